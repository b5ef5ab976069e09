"""Configuration: where it is found and what its keys mean (what a run does with them: filters.py).

Found as ruff and yamllint find theirs: walking up from the current folder, the first folder
holding `.newslint.yaml`, or a `pyproject.toml` with a `[tool.newslint]` table, gives the config
(`.newslint.yaml` first when a folder has both). `--config PATH` names the file instead. Paths
and globs in a config are relative to the folder of the file they are written in, so a run
means the same from any current folder. Command-line flags override the config's keys.

Every key is validated when the config loads: an unknown key or a bad value stops the run with
exit code 2, naming the file and key (and, in YAML, the line and column; TOML parsers keep no
positions, so there the key's dotted path is named).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from newslint.checks.options import Option, validate_options
from newslint.discovery import FileFilter
from newslint.errors import ConfigError, NewslintError, UsageError
from newslint.globs import GlobSet, glob_problem
from newslint.rules import SEVERITIES

CONFIG_FILE = ".newslint.yaml"
PYPROJECT = "pyproject.toml"
DEFAULT_FAIL_ON = "warning"  # info-level problems are shown but do not fail a run by default
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
# A config (or pyproject.toml) larger than this is refused unread: no honest one comes close.
MAX_CONFIG_BYTES = 4 << 20

# An empty list clears a key (`ignore: []` is the same as no `ignore`), except where it would
# make a run check nothing and pass: `select: []` (no rule) and `include: []` (no file from a
# folder) are refused, naming what to write instead (see _parse).
KEYS = {
    "select": Option(
        "str-list",
        "Run only these rules (also turns on rules that are off by default).",
        default=None,
        may_be_empty=True,
    ),
    "ignore": Option("str-list", "Never run these rules.", default=(), may_be_empty=True),
    "rules": Option("str-list", "Folders of extra rule files.", default=(), may_be_empty=True),
    "include": Option(
        "str-list",
        "Globs of the files taken from folders (default: *.txt, *.md, *.markdown).",
        default=None,
        may_be_empty=True,
    ),
    "exclude": Option("str-list", "Globs of files and folders never checked.", default=(), may_be_empty=True),
    "per-file-ignores": Option("mapping", "Glob -> rules not run on the files it matches.", default={}),
    "severity": Option("mapping", "Rule -> the severity it reports with (error, warning, info).", default={}),
    "fail-on": Option("str", "The least severity that fails a run.", default=DEFAULT_FAIL_ON, choices=SEVERITIES),
    "baseline": Option("str", "A baseline file: report only the problems it does not record.", default=None),
    "text-field": Option(
        "str-list",
        "Dataset files: the fields a record's article may be in, the first one a record has "
        "(default: text, maintext, body, content, article).",
        default=None,
    ),
    "id-field": Option(
        "str-list", "Dataset files: the fields naming a record, the first it has (default: id, url).", default=None
    ),
    "site-field": Option("str", "Dataset files: the field naming a record's site, reported with it.", default=None),
}


# --text-field, --id-field and --site-field, as given (empty: not given).
DatasetFlags = tuple[Sequence[str], Sequence[str], str | None]


class _TomlTable:
    """The [tool.newslint] table of a pyproject.toml, with errors that name the file and the key."""

    _BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")

    def __init__(self, source: str, data: Any):
        self.source = source
        self.data = data

    def error(
        self, message: str, path: tuple[str | int, ...] = (), key: bool = False, cls: type[NewslintError] = ConfigError
    ) -> NewslintError:
        dotted = "tool.newslint"
        for part in path:
            if isinstance(part, int):
                dotted += f"[{part}]"
            else:
                dotted += "." + (part if self._BARE_KEY.match(part) else json.dumps(part))
        return cls(f"{message} (at {dotted})", self.source)


class Config(NamedTuple):
    """The effective configuration of a run: the config file's keys with any flags applied."""

    root: str  # absolute folder that relative paths and globs are resolved against
    source: str | None = None  # the config file, or None (no config: defaults)
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    rule_folders: tuple[str, ...] = ()
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str = DEFAULT_FAIL_ON
    baseline: str | None = None
    # Where each rule name in the config was written, to name it in an error once rules are known.
    source_document: Any = None
    from_flags: frozenset[str] = frozenset()  # the keys a command-line flag set
    text_fields: tuple[str, ...] | None = None  # None: datasets.DEFAULT_TEXT_FIELDS
    id_fields: tuple[str, ...] | None = None  # None: datasets.DEFAULT_ID_FIELDS
    site_field: str | None = None

    def with_flags(
        self,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        rule_folders: Sequence[str] = (),
        fail_on: str | None = None,
        baseline: str | None = None,
        dataset_fields: DatasetFlags = ((), (), None),
    ) -> Config:
        """Apply command-line flags: --select replaces both `select` and `ignore` (what you name
        is what runs, less any --ignore), --ignore replaces `ignore`, --rules folders are added
        after the config's, --fail-on and --baseline replace theirs. Flag paths are kept as
        given (relative to the current folder), so messages name them as the user wrote them.
        --text-field, --id-field and --site-field replace their keys."""
        changes: dict[str, Any] = {}
        flags = set(self.from_flags)
        if select:
            changes.update(select=tuple(select), ignore=())
            flags.update(("select", "ignore"))
        if ignore:
            changes["ignore"] = tuple(ignore)
            flags.add("ignore")
        if rule_folders:
            changes["rule_folders"] = self.rule_folders + tuple(rule_folders)
        if fail_on:
            changes["fail_on"] = fail_on
        if baseline:
            changes["baseline"] = baseline
        text_fields, id_fields, site_field = dataset_fields
        for key, value in (("text_fields", tuple(text_fields)), ("id_fields", tuple(id_fields))):
            if value:
                changes[key] = value
        if site_field:
            changes["site_field"] = site_field
        return self._replace(from_flags=frozenset(flags), **changes)

    def summary(self) -> dict[str, Any]:
        """Everything in the config that changes what a run reports, as plain JSON data."""
        return {
            "root": self.root,
            "select": list(self.select) if self.select is not None else None,
            "ignore": list(self.ignore),
            "rules": list(self.rule_folders),
            "include": list(self.include) if self.include is not None else None,
            "exclude": list(self.exclude),
            "per-file-ignores": [[glob, list(names)] for glob, names in self.per_file_ignores],
            "severity": dict(self.severity),
            "fail-on": self.fail_on,
            "baseline": self.baseline,
            "text-field": None if self.text_fields is None else list(self.text_fields),
            "id-field": None if self.id_fields is None else list(self.id_fields),
            "site-field": self.site_field,
        }

    def file_filter(self) -> FileFilter:
        return FileFilter(
            root=self.root,
            include=GlobSet(self.include) if self.include is not None else None,
            exclude=GlobSet(self.exclude),
        )

    def check_rule_names(self, known: frozenset[str]) -> None:
        """Raise an error naming the first rule name the config or a flag uses that is not in
        `known`: where the config wrote it, or the flag."""
        for key, index, name, at_key in self._rule_names():
            if name not in known:
                message = f"unknown rule {name!r} (see `newslint rules`)"
                if key in self.from_flags or self.source_document is None:
                    raise UsageError(message)
                raise self.source_document.error(message, (key,) + index, key=at_key, cls=ConfigError)

    def _rule_names(self) -> Iterator[tuple[str, tuple[str | int, ...], str, bool]]:
        """(key, index within it, rule name, whether the name is a mapping key) for each name."""
        for key, names in (("select", self.select or ()), ("ignore", self.ignore)):
            for i, name in enumerate(names):
                yield key, (i,), name, False
        for glob, names in self.per_file_ignores:
            for i, name in enumerate(names):
                yield "per-file-ignores", (glob, i), name, False
        for name, _ in self.severity:
            yield "severity", (name,), name, True


def find_config(start: str) -> str | None:
    """The config file for a run started in `start`: the nearest folder upwards holding
    `.newslint.yaml` or a pyproject.toml with a [tool.newslint] table."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, CONFIG_FILE)
        if os.path.isfile(candidate):
            return candidate
        pyproject = os.path.join(folder, PYPROJECT)
        if os.path.isfile(pyproject) and _newslint_table(pyproject) is not None:
            return pyproject
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def load_config(path: str | None = None, start: str = ".") -> Config:
    """The config in `path`, else the one found from `start`, else the defaults."""
    if path is None:
        path = find_config(start)
        if path is None:
            return Config(root=os.path.abspath(start))
    elif not os.path.lexists(path):
        raise ConfigError("config file not found", path)
    if path.endswith(".toml"):
        table = _newslint_table(path)
        if table is None:
            raise ConfigError("no [tool.newslint] table in this file", path)
        document: Any = _TomlTable(path, table)
    else:
        from newslint.yamlsource import load_yaml  # here: a run without a YAML config needs no parser

        document = load_yaml(_read(path), path, ConfigError)
        if document.data is None:  # an empty file: every default
            document.data = {}
    if not isinstance(document.data, dict):
        raise document.error("a newslint config must be a mapping of keys to values", cls=ConfigError)
    return _parse(document, path)


def _read(path: str) -> str:
    from newslint.reading import SkippedFile, read_small_file

    try:
        return read_small_file(path, MAX_CONFIG_BYTES).decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"cannot read config file: {exc.strerror or exc}", path) from None
    except SkippedFile as exc:
        raise ConfigError(f"cannot use config file: {exc}", path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file is not valid UTF-8 (byte {exc.start})", path) from None


def _newslint_table(pyproject: str) -> Any:
    """The [tool.newslint] table of a pyproject.toml, or None if it has none."""
    text = _read(pyproject)
    if "newslint" not in text:  # most pyproject.toml files never mention us: skip the parse
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", pyproject) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError("invalid TOML: nested too deeply", pyproject) from None
    tool = data.get("tool")
    return tool.get("newslint") if isinstance(tool, dict) else None


def _parse(document: Any, path: str) -> Config:
    values = validate_options(KEYS, document.data, document, (), ConfigError)
    root = os.path.dirname(os.path.abspath(path))
    for key, instead in (("select", "the rules that are on by default"), ("include", "the article suffixes")):
        if values[key] == []:
            raise document.error(
                f"{key!r}: an empty list would leave a run nothing to check; leave {key!r} out for {instead}",
                (key,),
                cls=ConfigError,
            )
    for key in ("include", "exclude"):
        for i, pattern in enumerate(values[key] or ()):
            problem = glob_problem(pattern)
            if problem:
                raise document.error(f"{key!r}: {problem}", (key, i), cls=ConfigError)
    per_file = []
    for glob, names in values["per-file-ignores"].items():
        where: tuple[str | int, ...] = ("per-file-ignores", glob)
        if not isinstance(glob, str) or not glob.strip():
            raise document.error(
                "'per-file-ignores': a glob must be a non-empty string", where, key=True, cls=ConfigError
            )
        problem = glob_problem(glob)
        if problem:
            raise document.error(f"'per-file-ignores': {problem}", where, key=True, cls=ConfigError)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise document.error(
                f"'per-file-ignores': {glob!r} must map to a list of rule names", where, cls=ConfigError
            )
        per_file.append((glob, tuple(names)))
    # A config may come from the pull request a CI run checks: the folders and files it names
    # must lie inside its own folder, so it can make newslint read (or, with --update-baseline,
    # write) nothing elsewhere. The command line's --rules and --baseline may name any path.
    real_root = os.path.realpath(root)
    baselines = [] if values["baseline"] is None else [values["baseline"]]
    for key, names in (("rules", values["rules"]), ("baseline", baselines)):
        for i, name in enumerate(names):
            real = os.path.realpath(os.path.join(root, name))
            if not (real == real_root or real.startswith(os.path.join(real_root, ""))):
                where = (key, i) if key == "rules" else (key,)
                raise document.error(
                    f"{key!r}: {name!r} is outside the folder of this config ({real}); a config may name only "
                    f"paths inside its folder (give --{key} on the command line for others)",
                    where,
                    cls=ConfigError,
                )
    severity = []
    for name, level in values["severity"].items():
        if level not in SEVERITIES:
            raise document.error(
                f"'severity': {name!r} must be one of: {', '.join(SEVERITIES)} (got {level!r})",
                ("severity", name),
                cls=ConfigError,
            )
        severity.append((name, level))
    return Config(
        root=root,
        source=path,
        select=tuple(values["select"]) if values["select"] is not None else None,
        ignore=tuple(values["ignore"]),
        rule_folders=tuple(os.path.join(root, folder) for folder in values["rules"]),
        include=tuple(values["include"]) if values["include"] is not None else None,
        exclude=tuple(values["exclude"]),
        per_file_ignores=tuple(per_file),
        severity=tuple(severity),
        fail_on=values["fail-on"],
        baseline=os.path.join(root, values["baseline"]) if values["baseline"] is not None else None,
        source_document=document,
        text_fields=None if values["text-field"] is None else tuple(values["text-field"]),
        id_fields=None if values["id-field"] is None else tuple(values["id-field"]),
        site_field=values["site-field"],
    )
