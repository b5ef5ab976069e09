"""The caches: a file whose bytes, rules and settings have not changed is not checked again, and
rule files newslint has parsed and validated before are not parsed again.

An entry maps a file's path to the hash of its bytes and the violations found in them. Entries
live under a fingerprint of everything else a result depends on: the effective rules (each rule's
name, kind, options, message, severity, category and fix, so a changed rule file, --select or a
config override all change it), newslint's version and code, and a settings string the caller
passes (config that acts outside the rules). So a cached result is used only when it is exactly
what checking the file again would give.

Layout, in a folder the user can delete or move at any time:

    CACHE_DIR/CACHEDIR.TAG, .gitignore               (backup tools and git skip the folder)
    CACHE_DIR/v2/results/FINGERPRINT/SHARD.json      {abs path: [content hash, [violation data, ...]]}
    CACHE_DIR/v2/rules/KEY.json                      [validated rule data, ...] (see rules.rule_from_data)

Paths are spread over 256 shards by a hash of the path, so a run over one file reads and writes
one small shard, not the whole archive's results. A shard is written whole to a temporary file
and renamed over the old one, so a reader never sees half of it; two runs writing at once lose
entries (re-checked next time), never mix them.

A rule set's KEY hashes newslint's code and every rule file's path and bytes; its entry holds the
validated data the rules are built from, so a single-file run neither imports nor runs the YAML
parser (a good part of its start-up).

What the cache trusts: nothing in the cache folder but what newslint wrote there for this user.
The folder often lies in a checkout whose author may be hostile (a pull request checked in CI
can commit a .newslint_cache of its own), so:

- Each entry file is `MAC\\nJSON`, signed with this user's random key (see cache_key.py) for its
  place in the layout (`v2/results/FINGERPRINT/SHARD.json`). An entry without the right MAC, or
  moved from another place, is a miss: a CI runner makes a new key, so a committed cache is
  never used. The MAC is checked before the JSON is parsed.
- Result entries are validated too (the types and ranges of every field, and through the
  caller's `validate` the rules and severities of the run); one that fails is a miss.
- The cache folder and every folder and file in it are opened relative to their folder's
  descriptor without following a link (see nofollow.py), so a symbolic link anywhere inside is
  never followed, and are used only when they are real folders and files of this user. A
  relative cache path is walked the same way from the current folder. A cache folder (or one of
  v2, v2/results, v2/rules) that is a link or another user's makes open_cache refuse it: the run
  goes on without a cache.
- Only files newslint writes are ever written or removed: entries go to a new temporary file
  (O_EXCL) renamed over their name; CACHEDIR.TAG and .gitignore are made only where nothing has
  their name; old generations are removed by unlinking, by name in their folder, the real files
  of this user named as newslint names them, and then the folder, which stays if anything else
  is in it.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple

from newslint import __version__
from newslint.cache_key import KeyUnusable, blake2b, key_path, signed, user_key, verified
from newslint.nofollow import (
    SAFE_CALLS, Unsafe, create_file, descend, inside, open_folder, opened_folder, owned, read_file, replace_file,
)
from newslint.violations import Violation

if TYPE_CHECKING:
    from newslint.rules import Rule

FORMAT = "v2"
ENV_VAR = "NEWSLINT_CACHE_DIR"
DEFAULT_DIR = ".newslint_cache"
# Entries kept per kind: each --select or rule edit starts a new results folder and a new rule
# set entry; beyond this many, the least recently written go.
MAX_GENERATIONS = 8
# An entry file larger than this is not read: a shard holds 1/256 of an archive's results (about
# 2 MB for a million files), so only a planted file is this large.
MAX_ENTRY_BYTES = 64 << 20
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by newslint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_GITIGNORE = "# Created by newslint: the whole folder is a cache.\n*\n"
# The names newslint gives what it writes; nothing else in the cache folder is ever removed.
_GENERATION = re.compile(r"[0-9a-f]{32}\Z")  # v2/results/FINGERPRINT
_RULE_SET = re.compile(r"[0-9a-f]{32}\.json\Z")  # v2/rules/KEY.json
_SHARD = re.compile(r"[0-9a-f]{2}\.json\Z")  # v2/results/FINGERPRINT/SHARD.json
_TEMPORARY = re.compile(r"\.[0-9a-f]{2}\.json\.[0-9]+\.[0-9]+\.tmp\Z")  # a shard being written (nofollow.temporary_name)


class CacheError(Exception):
    """The cache cannot be used or written (the run's results stand; only the next run is slower)."""


class CacheFolder(NamedTuple):
    """A cache folder open_cache accepted, and the key that authenticates its entries."""

    path: Path
    key: bytes


def default_cache_dir() -> Path:
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DIR)


def open_cache(path: Path) -> CacheFolder:
    """The cache in folder `path`, with this user's key (made on first use). CacheError says why
    the cache cannot be used safely: the key cannot be read or made, or the folder, or one of the
    folders newslint keeps in it, is a symbolic link, not a folder or another user's. A folder
    not made yet is fine: saving makes it."""
    if not SAFE_CALLS:
        raise CacheError("not using the cache: this system cannot open files relative to a folder, which it needs")
    path = Path(path)
    try:
        key = user_key(key_path())
    except KeyUnusable as exc:
        raise CacheError(f"not using the cache: {exc}") from None
    # Refused here, once, rather than entry by entry: the run says so and uses no cache at all.
    for inner in ((FORMAT, "results"), (FORMAT, "rules")):
        try:
            with opened_folder(path) as root, inside(root, path, inner):
                pass
        except FileNotFoundError:
            continue
        except Unsafe as exc:
            raise CacheError(f"not using the cache: {exc}") from None
        except OSError as exc:
            raise CacheError(f"not using the cache in {path}: {exc.strerror or exc}") from None
    return CacheFolder(path, key)


def content_hash(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def fingerprint(rules: Iterable[Rule], settings: str = "") -> str:
    """A hash of everything besides a file's bytes that its violations depend on."""
    digest = blake2b(digest_size=16)
    parts: list[object] = [FORMAT, __version__, _code_hash(), settings]
    for rule in rules:
        parts.append((rule.name, rule.kind, rule.category, rule.severity, rule.message, rule.fix, rule.check.options))
    # repr of strings, numbers, lists, tuples and dicts (in schema order) is stable across runs;
    # anything whose repr is not (an address) only makes every run a miss, never a wrong hit.
    digest.update(repr(parts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@lru_cache(maxsize=None)
def _code_hash() -> str:
    """A hash of what newslint's own source files are (name, size, modification time in ns),
    so a changed check (in development, or an upgrade that kept the version number) never reuses
    results of the old code. Their stat, not their bytes: reading them all cost 2 ms a run."""
    package = Path(__file__).resolve().parent
    state = []
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(n for n in names if n.endswith(".py")):
            info = os.stat(os.path.join(folder, name))
            state.append((os.path.relpath(os.path.join(folder, name), package), info.st_size, info.st_mtime_ns))
    return blake2b(repr(state).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class ResultCache:
    """Cached violations of files, under one fingerprint. Load lazily, save once at the end;
    close when done looking up (save closes too).

    `validate` says whether a violation read back is one the run could report (its rule, and
    that rule's category and severity); a cached result with any other is a miss."""

    def __init__(self, cache: CacheFolder, fingerprint: str, validate: Callable[[Violation], bool]):
        self.cache = cache
        self.fingerprint = fingerprint
        self.validate = validate
        self._inner = (FORMAT, "results", fingerprint)
        self._shards: dict[str, dict[str, list]] = {}
        self._changed: set[str] = set()
        self._cwd = os.getcwd()  # once: os.path.abspath asks the system for it on every call
        # The folder of the shards, opened once for all the shards a run reads (opening it a
        # folder at a time cost a cached re-run of an archive 5%); -1 when there is none to use.
        self._folder: int | None = None

    def _key(self, path: str) -> str:
        """The absolute path: entries survive a change of the current folder."""
        return os.path.normpath(os.path.join(self._cwd, path))

    def lookup(self, path: str, digest: str) -> list[Violation] | None:
        """The violations cached for `path` with bytes hashing to `digest`, or None (a miss)."""
        key = self._key(path)
        entry = self._shard(key).get(key)
        if not isinstance(entry, list) or len(entry) != 2 or entry[0] != digest or not isinstance(entry[1], list):
            return None
        try:
            violations = [Violation.from_data(data, path) for data in entry[1]]
        except (TypeError, ValueError, IndexError):
            return None
        validate = self.validate
        for violation in violations:
            if not (_well_formed(violation) and validate(violation)):
                return None
        return violations

    def store(self, path: str, digest: str, violations: list[Violation]) -> None:
        key = self._key(path)
        self._shard(key)[key] = [digest, [v.to_data() for v in violations]]
        self._changed.add(_shard_name(key))

    def close(self) -> None:
        """Close the folder lookups read from (a later lookup opens it again)."""
        if self._folder is not None and self._folder >= 0:
            os.close(self._folder)
        self._folder = None

    def save(self) -> None:
        """Write the shards that changed, each atomically. Raise CacheError if that fails."""
        self.close()
        if not self._changed:
            return
        folder = self.cache.path
        try:
            with opened_folder(folder, create=True) as root:
                _tag(root)
                with inside(root, folder, (FORMAT, "results"), create=True) as results:
                    with inside(results, folder / FORMAT / "results", (self.fingerprint,), create=True) as shards:
                        for name in sorted(self._changed):
                            file_name = f"{name}.json"
                            data = _signed(self.cache.key, self._inner, file_name, self._shards[name])
                            replace_file(shards, file_name, data)
                    self._changed.clear()
                    _remove_oldest(results, _GENERATION, folders=True)
        except Unsafe as exc:
            raise CacheError(f"cannot write the cache: {exc}") from None
        except OSError as exc:
            raise CacheError(f"cannot write the cache in {folder}: {exc.strerror or exc}") from None

    def _shard(self, key: str) -> dict[str, list]:
        name = _shard_name(key)
        shard = self._shards.get(name)
        if shard is None:
            if self._folder is None:
                self._folder = _open_entries(self.cache, self._inner)
            data = _read_authentic(self._folder, self.cache.key, self._inner, f"{name}.json") if self._folder >= 0 else None
            shard = self._shards[name] = data if isinstance(data, dict) else {}
        return shard


def _well_formed(violation: Violation) -> bool:
    """Whether a violation read back from the cache has the types and ranges of one newslint
    reports: positions positive whole numbers, no range ending before it starts, strings where
    strings belong, a fix deleting a range of offsets. (Written out, without generators: a
    cached re-run checks every violation of an archive.)"""
    v, fix = violation, violation.fix
    return (
        _is_span(v.line, v.column, v.end_line, v.end_column)
        and (not v.related or all(_is_span(*span) for span in v.related))
        and type(v.rule) is str
        and type(v.category) is str
        and type(v.severity) is str
        and type(v.message) is str
        and type(v.text) is str
        and (
            fix is None
            or type(fix.start) is int and type(fix.end) is int and 0 <= fix.start <= fix.end and type(fix.safe) is bool
        )
    )


def _is_span(line: int, column: int, end_line: int, end_column: int) -> bool:
    # type() rather than isinstance: True is an int to isinstance.
    return (
        type(line) is int
        and type(column) is int
        and type(end_line) is int
        and type(end_column) is int
        and line >= 1
        and column >= 1
        and end_column >= 1
        and (end_line > line or end_line == line and end_column >= column)
    )


def rule_set_key(files: Iterable[tuple[str, str]]) -> str:
    """The key of a rule set: newslint's code and each rule file's (path, text), in load order."""
    digest = blake2b(digest_size=16)
    digest.update(repr([FORMAT, __version__, _code_hash(), list(files)]).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load_rule_data(cache: CacheFolder, key: str) -> Any:
    """The validated rule data stored under `key`, or None."""
    inner = (FORMAT, "rules")
    folder = _open_entries(cache, inner)
    if folder < 0:
        return None
    try:
        return _read_authentic(folder, cache.key, inner, f"{key}.json")
    finally:
        os.close(folder)


def store_rule_data(cache: CacheFolder, key: str, data: list[dict[str, Any]]) -> None:
    inner = (FORMAT, "rules")
    try:
        with opened_folder(cache.path, create=True) as root:
            _tag(root)
            with inside(root, cache.path, inner, create=True) as rules:
                replace_file(rules, f"{key}.json", _signed(cache.key, inner, f"{key}.json", data))
                _remove_oldest(rules, _RULE_SET, folders=False)
    except Unsafe as exc:
        raise CacheError(f"cannot write the cache: {exc}") from None
    except OSError as exc:
        raise CacheError(f"cannot write the cache in {cache.path}: {exc.strerror or exc}") from None


# Reading and writing entries.


def _signed(key: bytes, inner: tuple[str, ...], name: str, data: Any) -> bytes:
    payload = json.dumps(data).encode("utf-8", "surrogatepass")
    return signed(key, "/".join((*inner, name)), payload)


def _read_authentic(folder: int, key: bytes, inner: tuple[str, ...], name: str) -> Any:
    """The data of entry `name` in `folder` (the folder `inner` of the cache) if newslint wrote
    it there with this user's key; None if it is missing, unreadable, not a real file of this
    user's, or not authentic."""
    try:
        content = read_file(folder, name, MAX_ENTRY_BYTES)
    except OSError:
        return None
    payload = None if content is None else verified(key, "/".join((*inner, name)), content)
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except ValueError:  # only newslint's own bug could write this, but a miss costs nothing
        return None


def _open_entries(cache: CacheFolder, inner: tuple[str, ...]) -> int:
    """A descriptor of the folder `inner` of the cache, or -1 if it is missing or not usable."""
    try:
        return descend(open_folder(cache.path), cache.path, inner, create=False)
    except (OSError, Unsafe):
        return -1


def _tag(root: int) -> None:
    """Mark the cache folder for backup tools and git, making each file only where nothing has
    its name: an existing file is left as it is, whoever wrote it."""
    for name, text in (("CACHEDIR.TAG", _CACHEDIR_TAG), (".gitignore", _GITIGNORE)):
        create_file(root, name, text.encode("utf-8"))


# Removing old generations.


def _remove_oldest(folder: int, pattern: re.Pattern, folders: bool) -> None:
    """Keep the MAX_GENERATIONS most recently written entries of `folder` that newslint wrote
    (named by `pattern`, real folders or files of this user's); remove the older ones."""
    entries = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if not pattern.match(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:  # removed meanwhile by another run
                continue
            if owned(info, folders):
                entries.append((info.st_mtime_ns, entry.name))
    if len(entries) <= MAX_GENERATIONS:
        return
    entries.sort(reverse=True)
    for _, name in entries[MAX_GENERATIONS:]:
        try:
            if folders:
                _remove_generation(folder, name)
            else:  # unlink removes the name, never what a link swapped in since the check points to
                os.unlink(name, dir_fd=folder)
        except (OSError, Unsafe):  # removed meanwhile, or no longer what it was: left alone
            pass


def _remove_generation(results: int, name: str) -> None:
    """Remove results folder `name`: its shards (and shards being written), then the folder,
    which stays if anything else is in it."""
    with inside(results, Path(), (name,)) as generation:
        with os.scandir(generation) as listing:
            names = [
                entry.name
                for entry in listing
                if (_SHARD.match(entry.name) or _TEMPORARY.match(entry.name))
                and owned(entry.stat(follow_symlinks=False), folder=False)
            ]
        for shard in names:
            os.unlink(shard, dir_fd=generation)
    os.rmdir(name, dir_fd=results)


def _shard_name(key: str) -> str:
    return blake2b(key.encode("utf-8", "surrogatepass"), digest_size=1).hexdigest()
