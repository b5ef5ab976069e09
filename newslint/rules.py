"""Load rule files (one rule per YAML file) into validated, compiled Rule objects.

A rule file names its check kind (`check:`), its category, severity, message, documentation and
examples; every other key is an option of its kind. Everything is validated on load, so a typo is
an error naming the file, line and column, never a rule that silently matches nothing.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from newslint import engine
from newslint.checks import CHECKS
from newslint.checks.base import Check
from newslint.checks.options import Option, validate_options
from newslint.document import Document
from newslint.errors import RuleError
from newslint.rule_validation import Example, check_message, examples_of
from newslint.violations import Finding, RuleInfo

if TYPE_CHECKING:
    pass

CATEGORIES = ("duplicate", "footer", "caption", "dateline", "other")
SEVERITIES = ("error", "warning", "info")
FIXES = ("none", "delete", "delete-unsafe")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# A rule file larger than this is refused unread: no honest rule needs it, and parsing one
# could take minutes.
MAX_RULE_FILE_BYTES = 2 << 20
# The RE2 instructions all of a run's rules may compile to. Each program has a memory budget of
# its own, but rule folders may come from a pull request: 200 small files of
# `\pL{1,1000}\pN{1,1000}`, each within its budget, took minutes and gigabytes together. The
# limit leaves room for long phrase lists (benchmarks/rule_size.py prints what the built-in
# rules and lists of many phrases take).
MAX_TOTAL_PROGRAM_SIZE = 4_000_000
# The flagged text a message's {match} shows is cut to about this many characters.
MATCH_PREVIEW = 40

DOC_FIELDS = {
    "what": Option("str", "What the rule flags: the shapes of text it looks for, with an example or two."),
    "why": Option("str", "Why it is a problem: what it costs readers or a dataset."),
    "fix": Option("str", "What its fix does, where it has one.", default=None),
}

COMMON_OPTIONS = {
    "check": Option(
        "str", "The kind of check, which decides the rule's other keys: " + ", ".join(sorted(CHECKS)) + "."
    ),
    "category": Option(
        "str",
        "What kind of junk it flags: reports carry it (`category` in json), so tools can group problems.",
        choices=CATEGORIES,
    ),
    "severity": Option(
        "str",
        "How serious a problem is; a config's `severity` may change it, and `fail-on` decides which "
        "severities fail a run.",
        default="error",
        choices=SEVERITIES,
    ),
    "message": Option(
        "str",
        "The problem's message. `{match}` is the flagged text, quoted, with its spacing folded and cut "
        f"to about {MATCH_PREVIEW} characters; a kind may offer more fields (see each kind). A field takes no "
        "format spec or conversion; write `{{` and `}}` for literal braces.",
    ),
    "doc": Option(
        "mapping", "Documentation, shown by `newslint rules`, in docs/rules.md and in SARIF output.", fields=DOC_FIELDS
    ),
    "fix": Option(
        "str",
        "What `--fix` may do: `none`, nothing; `delete`, delete what the rule flags (the line, or only "
        "the flagged part of a line that also holds story text), except what the check marks inexact (a "
        "near-duplicate with words changed), which needs `--unsafe-fixes`; `delete-unsafe`, the same, "
        "but only with `--unsafe-fixes`, for a rule that might flag story text.",
        default="none",
        choices=FIXES,
    ),
    "enabled": Option(
        "bool",
        "Whether the rule runs by default; a rule with `enabled: false` runs only when `select` or "
        "`--select` names it.",
        default=True,
    ),
}


class Rule(NamedTuple):
    """A loaded rule: its check with the options of its file, and what it reports as."""

    name: str
    path: str
    kind: str
    check: Check
    category: str
    severity: str
    message: str
    doc: dict[str, str]
    fix: str
    enabled: bool
    examples: tuple[Example, ...]

    @property
    def info(self) -> RuleInfo:
        return RuleInfo(self.name, self.category, self.severity, self.doc)

    def findings(self, document: Document) -> Iterable[Finding]:
        return self.check.run(document)

    def format_message(self, finding: Finding) -> str:
        return self.message.format(match=_preview(finding.text), **finding.values)

    @property
    def identity(self) -> tuple[object, ...]:
        """Everything about the rule that what it reports depends on, as plain data: its name,
        kind, category, severity, message, fix and its kind's options (not its file's path, doc
        or examples)."""
        return (self.name, self.kind, self.category, self.severity, self.message, self.fix, self.check.options)


def rule_set_identity(rules: Iterable[Rule]) -> list[tuple[object, ...]]:
    """What a set of rules reports depends on, as plain data: each rule's identity, in order.
    Rule sets with equal identities report the same on any document, so a cache of results
    keys them by it (see pipeline.py)."""
    return [rule.identity for rule in rules]


class ParsedRuleStore(Protocol):
    """Where load_rules keeps the validated data of rule files it parsed, for the next run to
    read back instead of parsing them again (the cache's values: see cache.Values). `get` gives
    what `put` was given under an equal key, or None; `put` may fail (it says so, never raises)."""

    def get(self, key: Any) -> Any: ...

    def put(self, key: Any, value: Any) -> bool: ...


def _preview(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MATCH_PREVIEW:
        cut = text[:MATCH_PREVIEW].rsplit(" ", 1)[0] or text[:MATCH_PREVIEW]
        text = cut + " ..."
    return f'"{text}"'


def builtin_rules_dir() -> Path:
    """The rules shipped with newslint (the repo's rules/, installed as package newslint.builtin_rules)."""
    # Importing the (empty) package is cheaper than importlib.util.find_spec. By name: setuptools
    # maps it from rules/ (pyproject.toml), where mypy does not look for newslint's modules.
    package: ModuleType | None
    try:
        package = importlib.import_module("newslint.builtin_rules")
    except ImportError:
        package = None
    if package is None or not list(getattr(package, "__path__", [])):
        raise RuleError("the built-in rules are missing from this installation of newslint")
    return Path(list(package.__path__)[0])


def rule_files(folder: Path) -> list[Path]:
    """Every *.yaml / *.yml entry under `folder` but folders, in a stable order. Broken or
    looping symbolic links, pipes and the like are kept, so that loading names them instead of
    silently dropping a rule. The walk keeps its own stack (no depth exhausts Python's), follows
    no link to a folder, and passes over a folder removed while it runs."""
    if not folder.is_dir():
        raise RuleError("rule folder does not exist or is not a folder", str(folder))
    found: list[Path] = []
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except FileNotFoundError:  # removed since it was listed
            continue
        except OSError as exc:
            raise RuleError(f"cannot read rule folder: {exc.strerror or exc}", current) from None
        for entry in entries:
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                stack.append(entry.path)
            elif os.path.splitext(entry.name)[1] in (".yaml", ".yml"):
                found.append(Path(entry.path))
    return sorted(found)


def load_rules(folders: Iterable[str | Path], builtin: bool = True, store: ParsedRuleStore | None = None) -> list[Rule]:
    """Load the built-in rules and those in `folders`; a later folder's rule replaces a
    same-named earlier one (so a team can override a built-in rule), but one folder may not
    define a name twice.

    With `store`, a set of rule files this newslint has parsed and validated before (same
    paths, same bytes) is not parsed again: the validated rules are read back from the store,
    which spares a run the YAML parser.
    """
    sources = ([builtin_rules_dir()] if builtin else []) + [Path(f) for f in folders]
    paths: list[Path] = []
    for folder in sources:
        seen: dict[str, Path] = {}
        for path in rule_files(folder):
            if path.stem in seen:
                raise RuleError(f"rule {path.stem!r} is also defined in {seen[path.stem]}", str(path))
            seen[path.stem] = path
            paths.append(path)
    texts = [read_rule_file(path) for path in paths]
    # The key is the rule files themselves: the store adds the code that parses them.
    key = list(zip(map(str, paths), texts, strict=True))
    loaded = _load_stored(store, key) if store is not None else None
    if loaded is None:
        # What the engine derives from the checks is worked out here only to be cached; a run
        # without a cache works out what it uses, when it uses it.
        parsed = []
        total = 0
        for path, text in zip(paths, texts, strict=True):
            rule, data = _parse(text, str(path), path.stem, derive=store is not None)
            total += rule.check.program_size()
            if total > MAX_TOTAL_PROGRAM_SIZE:
                raise RuleError(
                    f"the rules loaded so far compile to {total:,} RE2 instructions, over the limit of "
                    f"{MAX_TOTAL_PROGRAM_SIZE:,} for all rules together (this rule's take "
                    f"{rule.check.program_size():,}); make its patterns smaller",
                    str(path),
                )
            parsed.append((rule, data))
        loaded = [rule for rule, _ in parsed]
        if store is not None:
            # A store that cannot be written is reported where the run writes its results.
            store.put(key, [data for _, data in parsed])
    rules = {rule.name: rule for rule in loaded}  # a later folder's rule replaces an earlier one
    return sorted(rules.values(), key=lambda r: r.name)


def _load_stored(store: ParsedRuleStore, key: list[tuple[str, str]]) -> list[Rule] | None:
    # A stored entry is authentic (only this user's newslint wrote it), so its data is used as
    # validated; a damaged one still only means parsing afresh.
    data = store.get(key)
    if not isinstance(data, list) or len(data) != len(key):
        return None
    try:
        return [rule_from_data(item) for item in data]
    except (KeyError, TypeError, ValueError, AttributeError):  # a damaged entry: parse afresh
        return None


def read_rule_file(path: Path) -> str:
    from newslint.reading import SkippedFile, read_small_file

    try:
        data = read_small_file(str(path), MAX_RULE_FILE_BYTES)
    except OSError as exc:
        raise RuleError(f"cannot read rule file: {exc.strerror or exc}", str(path)) from None
    except SkippedFile as exc:
        raise RuleError(f"cannot use rule file: {exc}", str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError(f"rule file is not valid UTF-8 (byte {exc.start})", str(path)) from None


def load_rule_file(path: Path) -> Rule:
    return parse_rule(read_rule_file(path), str(path), path.stem)


def parse_rule(text: str, source: str, name: str) -> Rule:
    return _parse(text, source, name)[0]


def _parse(text: str, source: str, name: str, derive: bool = False) -> tuple[Rule, dict[str, Any]]:
    """The rule in `text`, and the validated data it was built from (see rule_from_data), with
    what the engine derives from its check if `derive`."""
    from newslint.yamlsource import load_yaml

    if not RULE_NAME.match(name):
        raise RuleError(f"rule file name {name!r} is not a kebab-case rule name (like 'site-footer')", source)
    doc = load_yaml(text, source, RuleError)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error("a rule file must be a mapping of keys to values", cls=RuleError)
    kind = data.get("check")
    if kind is None:
        raise doc.error("missing required key 'check'", cls=RuleError)
    if not isinstance(kind, str) or kind not in CHECKS:
        raise doc.error(f"unknown check kind {kind!r} (known: {', '.join(sorted(CHECKS))})", ("check",), cls=RuleError)
    check_class = CHECKS[kind]
    schema = {**COMMON_OPTIONS, **check_class.OPTIONS}
    values = validate_options(schema, {k: v for k, v in data.items() if k != "examples"}, doc)
    examples = examples_of(data.get("examples"), doc, check_class.ACROSS_ARTICLES)
    check_message(values["message"], check_class, doc)
    if check_class.ACROSS_ARTICLES and values["fix"] != "none":
        # Which of two articles keeps a paragraph they share is an editor's call, not a fix's.
        raise doc.error("a cross-article rule has no fix: set `fix: none` or leave it out", ("fix",), cls=RuleError)
    validated = {
        "name": name,
        "path": source,
        "kind": kind,
        "values": values,
        "examples": [[e.text, list(e.expect), e.line, list(e.others)] for e in examples],
    }
    try:
        rule = rule_from_data(validated)
        rule.check.compile()
    except ValueError as exc:
        raise doc.error(str(exc), cls=RuleError) from None
    # What the engine works out from the check's patterns (literals, screens, narrowed programs)
    # is cached with the rule, so a run that reads its rules from the cache never works it out again.
    if derive:
        validated["derived"] = engine.derived(rule.check)
    return rule, validated


def rule_from_data(data: dict[str, Any]) -> Rule:
    """Build a Rule from validated data (plain JSON-able values, as _parse returns them).
    Raises ValueError when the check refuses its options."""
    check_class = CHECKS[data["kind"]]
    values = data["values"]
    check = check_class({k: values[k] for k in check_class.OPTIONS})
    if "derived" in data:
        engine.restore(check, data["derived"])
    return Rule(
        name=data["name"],
        path=data["path"],
        kind=data["kind"],
        check=check,
        category=values["category"],
        severity=values["severity"],
        message=values["message"],
        doc=values["doc"],
        fix=values["fix"],
        enabled=values["enabled"],
        examples=tuple(
            Example(text, tuple(expect), line, tuple(others)) for text, expect, line, others in data["examples"]
        ),
    )
