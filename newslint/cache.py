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
    CACHE_DIR/v1/results/FINGERPRINT/SHARD.json      {abs path: [content hash, [violation data, ...]]}
    CACHE_DIR/v1/rules/KEY.json                      [validated rule data, ...] (see rules.rule_from_data)

Paths are spread over 256 shards by a hash of the path, so a run over one file reads and writes
one small shard, not the whole archive's results. A shard is written whole to a temporary file
and renamed over the old one, so a reader never sees half of it; two runs writing at once lose
entries (re-checked next time), never mix them. A shard that cannot be read or parsed, or an
entry that does not describe violations, counts as a miss.

A rule set's KEY hashes newslint's code and every rule file's path and bytes; its entry holds the
validated data the rules are built from, so a single-file run neither imports nor runs the YAML
parser (a good part of its start-up).
"""

from __future__ import annotations

import json
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from newslint import __version__
from newslint.violations import Violation

try:  # hashlib would load OpenSSL, a few milliseconds of every run's start-up, for this one hash
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without CPython's _blake2
    from hashlib import blake2b

if TYPE_CHECKING:
    from newslint.rules import Rule

FORMAT = "v1"
ENV_VAR = "NEWSLINT_CACHE_DIR"
DEFAULT_DIR = ".newslint_cache"
# Entries kept per kind: each --select or rule edit starts a new results folder and a new rule
# set entry; beyond this many, the least recently written go.
MAX_GENERATIONS = 8
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by newslint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


class CacheError(Exception):
    """The cache could not be written (the run's results stand; only the next run is slower)."""


def default_cache_dir() -> Path:
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DIR)


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
    """Cached violations of files, under one fingerprint. Load lazily, save once at the end."""

    def __init__(self, folder: Path, fingerprint: str):
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self._root = self.folder / FORMAT / "results" / fingerprint
        self._shards: dict[str, dict[str, list]] = {}
        self._changed: set[str] = set()
        self._cwd = os.getcwd()  # once: os.path.abspath asks the system for it on every call

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
            return [Violation.from_data(data, path) for data in entry[1]]
        except (TypeError, ValueError, IndexError):
            return None

    def store(self, path: str, digest: str, violations: list[Violation]) -> None:
        key = self._key(path)
        self._shard(key)[key] = [digest, [v.to_data() for v in violations]]
        self._changed.add(_shard_name(key))

    def save(self) -> None:
        """Write the shards that changed, each atomically. Raise CacheError if that fails."""
        if not self._changed:
            return
        try:
            _prepare(self.folder, self._root)
            for name in sorted(self._changed):
                _write_atomically(self._root / f"{name}.json", json.dumps(self._shards[name]))
            self._changed.clear()
            _remove_oldest(self._root.parent)
        except OSError as exc:
            raise CacheError(f"cannot write the cache in {self.folder}: {exc.strerror or exc}") from None

    def _shard(self, key: str) -> dict[str, list]:
        name = _shard_name(key)
        shard = self._shards.get(name)
        if shard is None:
            shard = self._shards[name] = _read_shard(self._root / f"{name}.json")
        return shard


def rule_set_key(files: Iterable[tuple[str, str]]) -> str:
    """The key of a rule set: newslint's code and each rule file's (path, text), in load order."""
    digest = blake2b(digest_size=16)
    digest.update(repr([FORMAT, __version__, _code_hash(), list(files)]).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load_rule_data(folder: Path, key: str) -> Any:
    """The validated rule data stored under `key`, or None."""
    try:
        return json.loads((Path(folder) / FORMAT / "rules" / f"{key}.json").read_bytes())
    except (OSError, ValueError):
        return None


def store_rule_data(folder: Path, key: str, data: list[dict[str, Any]]) -> None:
    rules = Path(folder) / FORMAT / "rules"
    try:
        _prepare(Path(folder), rules)
        _write_atomically(rules / f"{key}.json", json.dumps(data))
        _remove_oldest(rules)
    except OSError as exc:
        raise CacheError(f"cannot write the cache in {folder}: {exc.strerror or exc}") from None


def _prepare(folder: Path, inner: Path) -> None:
    """Create `inner` (a folder inside the cache `folder`), tagging `folder` as a cache first."""
    inner.mkdir(parents=True, exist_ok=True)
    if not (folder / "CACHEDIR.TAG").exists():
        _write_atomically(folder / "CACHEDIR.TAG", _CACHEDIR_TAG)
        _write_atomically(folder / ".gitignore", "# Created by newslint: the whole folder is a cache.\n*\n")


def _remove_oldest(parent: Path) -> None:
    """Keep the MAX_GENERATIONS most recently written entries of `parent` (files or folders)."""
    entries = [entry for entry in parent.iterdir() if not entry.name.startswith(".")]
    if len(entries) <= MAX_GENERATIONS:
        return
    import shutil

    entries.sort(key=_written, reverse=True)
    for old in entries[MAX_GENERATIONS:]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def _written(entry: Path) -> float:
    try:
        return entry.stat().st_mtime
    except OSError:  # removed meanwhile by another run
        return 0.0


def _shard_name(key: str) -> str:
    return blake2b(key.encode("utf-8", "surrogatepass"), digest_size=1).hexdigest()


def _read_shard(path: Path) -> dict[str, list]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):  # missing, unreadable or damaged: every entry a miss
        return {}
    return data if isinstance(data, dict) else {}


def _write_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside `path` and rename it over `path` (atomic on one file system)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
