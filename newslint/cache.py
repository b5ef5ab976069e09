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

- Each entry file is `MAC\\nJSON`: MAC is the hex blake2b, keyed with this user's random key, of
  the entry's place in the layout (`v2/results/FINGERPRINT/SHARD.json`) and the JSON. The key
  lives outside any checkout, in $XDG_CACHE_HOME/newslint/key (default ~/.cache/newslint/key),
  made by the first run (32 random bytes, mode 0600, never through a symbolic link). An entry
  without the right MAC, or moved from another place, is a miss: a CI runner makes a new key, so
  a committed cache is never used. The MAC is checked before the JSON is parsed.
- Result entries are validated too (the types and ranges of every field, and through the
  caller's `validate` the rules and severities of the run); one that fails is a miss.
- The cache folder and every folder and file in it are opened relative to their folder's
  descriptor with O_NOFOLLOW, so a symbolic link anywhere inside is never followed, and are used
  only when they are real folders and files of this user (the effective uid). A relative cache
  path is walked the same way from the current folder. A cache folder (or one of v2, v2/results,
  v2/rules) that is a link or another user's makes open_cache refuse it: the run goes on without
  a cache.
- Only files newslint writes are ever written or removed: entries go to a new temporary file
  (O_EXCL) renamed over their name; CACHEDIR.TAG and .gitignore are made only where nothing has
  their name; old generations are removed by unlinking, by name in their folder, the real files
  of this user named as newslint names them, and then the folder, which stays if anything else
  is in it.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple

from newslint import __version__
from newslint.violations import Violation

try:  # hashlib would load OpenSSL, a few milliseconds of every run's start-up, for this one hash
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without CPython's _blake2
    from hashlib import blake2b
try:  # hmac.compare_digest is this function, but importing hmac loads OpenSSL too
    from _operator import _compare_digest as compare_digest
except ImportError:  # pragma: no cover - an interpreter without CPython's _operator
    from hmac import compare_digest

if TYPE_CHECKING:
    from newslint.rules import Rule

FORMAT = "v2"
ENV_VAR = "NEWSLINT_CACHE_DIR"
DEFAULT_DIR = ".newslint_cache"
# Entries kept per kind: each --select or rule edit starts a new results folder and a new rule
# set entry; beyond this many, the least recently written go.
MAX_GENERATIONS = 8
KEY_BYTES = 32
MAC_BYTES = 32
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
_TEMPORARY = re.compile(r"\.[0-9a-f]{2}\.json\.[0-9]+\.[0-9]+\.tmp\Z")  # a shard being written
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC
# O_NONBLOCK: a named pipe planted under an entry's name must not wait forever for a writer.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC
# O_EXCL: never open what is already there, a symbolic link included.
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC


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
    if not _SAFE_CALLS:
        raise CacheError("not using the cache: this system cannot open files relative to a folder, which it needs")
    path = Path(path)
    key = _user_key(key_path())
    # Refused here, once, rather than entry by entry: the run says so and uses no cache at all.
    for inner in ((FORMAT, "results"), (FORMAT, "rules")):
        try:
            with _cache_folder(path) as root, _inside(root, path, inner):
                pass
        except FileNotFoundError:
            continue
        except CacheError as exc:
            raise CacheError(f"not using the cache: {exc}") from None
        except OSError as exc:
            raise CacheError(f"not using the cache in {path}: {exc.strerror or exc}") from None
    return CacheFolder(path, key)


def key_path() -> Path:
    """Where this user's cache key is kept: $XDG_CACHE_HOME/newslint/key, by default
    ~/.cache/newslint/key. CacheError if there is no home folder to keep it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    # As the XDG spec says, a relative XDG_CACHE_HOME is ignored: it would put the key in the
    # current folder, which may be the checkout the key must stay out of.
    if not os.path.isabs(base):
        try:
            home = str(Path.home())
        except RuntimeError:
            home = ""
        if not os.path.isabs(home):
            raise CacheError("not using the cache: no home folder to keep its key in (set XDG_CACHE_HOME)")
        base = os.path.join(home, ".cache")
    return Path(base) / "newslint" / "key"


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
            with _cache_folder(folder, create=True) as root:
                _tag(root)
                with _inside(root, folder, (FORMAT, "results"), create=True) as results:
                    with _inside(results, folder / FORMAT / "results", (self.fingerprint,), create=True) as shards:
                        for name in sorted(self._changed):
                            file_name = f"{name}.json"
                            data = _signed(self.cache.key, self._inner, file_name, self._shards[name])
                            _replace_file(shards, file_name, data)
                    self._changed.clear()
                    _remove_oldest(results, _GENERATION, folders=True)
        except CacheError as exc:
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
        with _cache_folder(cache.path, create=True) as root:
            _tag(root)
            with _inside(root, cache.path, inner, create=True) as rules:
                _replace_file(rules, f"{key}.json", _signed(cache.key, inner, f"{key}.json", data))
                _remove_oldest(rules, _RULE_SET, folders=False)
    except CacheError as exc:
        raise CacheError(f"cannot write the cache: {exc}") from None
    except OSError as exc:
        raise CacheError(f"cannot write the cache in {cache.path}: {exc.strerror or exc}") from None


# Authentication.


def _signed(key: bytes, inner: tuple[str, ...], name: str, data: Any) -> bytes:
    payload = json.dumps(data).encode("utf-8", "surrogatepass")
    return _mac(key, inner, name, payload) + b"\n" + payload


def _read_authentic(folder: int, key: bytes, inner: tuple[str, ...], name: str) -> Any:
    """The data of entry `name` in `folder` (the folder `inner` of the cache) if newslint wrote
    it there with this user's key; None if it is missing, unreadable, not a real file of this
    user's, or not authentic."""
    try:
        content = _read_file(folder, name)
    except OSError:
        return None
    if content is None:
        return None
    mac, _, payload = content.partition(b"\n")
    if not compare_digest(mac, _mac(key, inner, name, payload)):
        return None
    try:
        return json.loads(payload)
    except ValueError:  # only newslint's own bug could write this, but a miss costs nothing
        return None


def _mac(key: bytes, inner: tuple[str, ...], name: str, payload: bytes) -> bytes:
    """The hex MAC of an entry: its place in the layout (so no entry can stand in for another)
    and its bytes."""
    digest = blake2b(key=key, digest_size=MAC_BYTES)
    digest.update("/".join((*inner, name)).encode("utf-8", "surrogatepass") + b"\n")
    digest.update(payload)
    return digest.hexdigest().encode("ascii")


# The key.


def _user_key(path: Path) -> bytes:
    """This user's key, read from `path`, made there first if missing. Its folder is made 0700
    and must be a real folder of this user's, the key a real file of this user's that nobody
    else may read; the folders above are the user's choice (XDG_CACHE_HOME or the home folder)."""
    folder = path.parent
    try:
        os.makedirs(folder.parent, exist_ok=True)
        base = os.open(folder.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
        try:
            with _inside(base, folder.parent, (folder.name,), create=True, mode=0o700) as fd:
                try:
                    return _read_key(fd, path)
                except FileNotFoundError:
                    _make_key(fd, path.name)
                    return _read_key(fd, path)
        finally:
            os.close(base)
    except CacheError as exc:
        raise CacheError(f"not using the cache: {exc}") from None
    except OSError as exc:
        raise CacheError(f"not using the cache: cannot read or make its key {path}: {exc.strerror or exc}") from None


def _read_key(folder: int, path: Path) -> bytes:
    try:
        fd = os.open(path.name, _READ_FLAGS, dir_fd=folder)
    except OSError as exc:
        try:
            _refuse_if_not_plain(folder, path.name, exc)
        except _Unsafe as unsafe:
            raise CacheError(f"{path} {unsafe}") from None
        raise
    try:
        info = os.fstat(fd)
        key = os.read(fd, KEY_BYTES + 1) if stat.S_ISREG(info.st_mode) else b""
    finally:
        os.close(fd)
    if info.st_uid != os.geteuid() or info.st_mode & 0o077 or len(key) != KEY_BYTES:
        raise CacheError(
            f"its key {path} is not one newslint made (a {KEY_BYTES}-byte file only you may read); "
            "delete it and the next run makes a new one"
        )
    return key


def _make_key(folder: int, name: str) -> None:
    """Write a new random key under `name`, unless another run does so first: the key is
    written whole to a temporary file and then linked to its name, which never replaces
    anything, so no run reads half a key or uses one another run replaced."""
    temporary = f".{name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    fd = os.open(temporary, _CREATE_FLAGS, 0o600, dir_fd=folder)
    try:
        try:
            _write_all(fd, os.urandom(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except FileExistsError:  # another run made it first: use that one
            pass
    finally:
        os.unlink(temporary, dir_fd=folder)


# Folders and files, never through a symbolic link.

# What the cache needs of the system to open nothing through a link; where it is missing
# (Windows), open_cache refuses the cache. (os.replace is os.rename's twin: both take dir_fd
# where renameat exists.)
_SAFE_CALLS = (
    hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and {os.open, os.mkdir, os.stat, os.unlink, os.rmdir, os.link, os.rename} <= os.supports_dir_fd
    and os.scandir in os.supports_fd
)


class _Unsafe(Exception):
    """Why a name met in the cache is not used: a symbolic link, not a folder, another user's."""


@contextmanager
def _cache_folder(path: Path, create: bool = False) -> Iterator[int]:
    """A descriptor of the cache folder `path`, made if missing with `create`. The folder itself
    is never a symbolic link and is this user's; for a relative path, no folder on the way from
    the current folder is a link either (they lie in what may be a hostile checkout). The folders
    above an absolute path are the user's choice and are taken as they are."""
    if path.is_absolute():
        anchor, parts = path.parent, (path.name,) if path.name else ()
        if create:
            os.makedirs(anchor, exist_ok=True)
    else:
        anchor, parts = Path("."), path.parts
    fd = os.open(anchor, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    if not parts and os.fstat(fd).st_uid != os.geteuid():  # the cache is "." or "/"
        os.close(fd)
        raise CacheError(f"{path} belongs to another user")
    fd = _descend(fd, anchor, parts, create, owned_from=len(parts) - 1)
    try:
        yield fd
    finally:
        os.close(fd)


@contextmanager
def _inside(fd: int, where: Path, names: tuple[str, ...], create: bool = False, mode: int = 0o777) -> Iterator[int]:
    """A descriptor of the folder `names` below folder `fd` (which is at `where`): each a real
    folder of this user's, never a symbolic link, made if missing with `create`. `fd` stays
    open; the descriptor given is closed after."""
    fd = _descend(os.dup(fd), where, names, create, mode=mode)
    try:
        yield fd
    finally:
        os.close(fd)


def _open_entries(cache: CacheFolder, inner: tuple[str, ...]) -> int:
    """A descriptor of the folder `inner` of the cache, or -1 if it is missing or not usable."""
    try:
        with _cache_folder(cache.path) as root:
            return _descend(os.dup(root), cache.path, inner, create=False)
    except (OSError, CacheError):
        return -1


def _descend(fd: int, where: Path, names: tuple[str, ...], create: bool, owned_from: int = 0, mode: int = 0o777) -> int:
    """Open folder `names` below folder `fd` (at `where`) one name at a time, closing each folder
    passed, `fd` included (also on an error). Each is opened without following a link, made if
    missing with `create`, and from the `owned_from`th name on must be this user's. CacheError
    names the first that is not usable; OSError if one cannot be opened or made."""
    try:
        for depth, name in enumerate(names):
            try:
                inner = _open_folder(fd, name, create, owned=depth >= owned_from, mode=mode)
            except _Unsafe as exc:  # the path is built only here: a run opens these folders often
                raise CacheError(f"{where.joinpath(*names[: depth + 1])} {exc}") from None
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_folder(parent: int, name: str, create: bool, owned: bool, mode: int) -> int:
    """A descriptor of folder `name` in folder `parent`, made if missing with `create`. OSError
    if it cannot be opened or made; _Unsafe if it is a link, not a folder or (`owned`) another
    user's."""
    try:
        fd = os.open(name, _FOLDER_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            raise
        try:
            os.mkdir(name, mode, dir_fd=parent)
        except FileExistsError:  # made meanwhile (by another run, or planted): checked on opening
            pass
        return _open_folder(parent, name, False, owned, mode)
    except OSError as exc:
        _refuse_if_not_plain(parent, name, exc)
        raise
    if owned and os.fstat(fd).st_uid != os.geteuid():
        os.close(fd)
        raise _Unsafe("belongs to another user")
    return fd


def _refuse_if_not_plain(parent: int, name: str, error: OSError) -> None:
    """Raise _Unsafe saying what `name` is if opening it failed because it is a symbolic link or
    not a folder (O_NOFOLLOW and O_DIRECTORY fail with ELOOP, ENOTDIR or EMLINK)."""
    try:
        info = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise _Unsafe("is a symbolic link") from error
    if error.errno in (errno.ENOTDIR, errno.ELOOP, errno.EMLINK) and not stat.S_ISDIR(info.st_mode):
        raise _Unsafe("is not a folder") from error


def _read_file(folder: int, name: str) -> bytes | None:
    """The bytes of `name` in `folder` if it is a real file of this user's of at most
    MAX_ENTRY_BYTES, else None; OSError if it cannot be read."""
    fd = os.open(name, _READ_FLAGS, dir_fd=folder)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_size > MAX_ENTRY_BYTES:
            return None
        data = os.read(fd, info.st_size + 1)
        if len(data) != info.st_size:  # it grew or shrank since fstat: read on, up to the limit
            while len(data) <= MAX_ENTRY_BYTES and (more := os.read(fd, MAX_ENTRY_BYTES + 1 - len(data))):
                data += more
    finally:
        os.close(fd)
    return data if len(data) <= MAX_ENTRY_BYTES else None


def _replace_file(folder: int, name: str, data: bytes) -> None:
    """Write a new temporary file in `folder` and rename it over `name` (atomic on one file
    system). The rename replaces whatever had the name, a link included, never what it points to."""
    temporary = f".{name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    fd = os.open(temporary, _CREATE_FLAGS, 0o666, dir_fd=folder)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        try:
            os.unlink(temporary, dir_fd=folder)
        except OSError:
            pass
        raise


def _tag(root: int) -> None:
    """Mark the cache folder for backup tools and git, making each file only where nothing has
    its name: an existing file is left as it is, whoever wrote it."""
    for name, text in (("CACHEDIR.TAG", _CACHEDIR_TAG), (".gitignore", _GITIGNORE)):
        try:
            fd = os.open(name, _CREATE_FLAGS, 0o666, dir_fd=root)
        except FileExistsError:
            continue
        try:
            try:
                _write_all(fd, text.encode("utf-8"))
            finally:
                os.close(fd)
        except BaseException:
            try:  # never leave half a tag: the next run writes it again
                os.unlink(name, dir_fd=root)
            except OSError:
                pass
            raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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
            if _ours(info, folders):
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
        except (OSError, CacheError):  # removed meanwhile, or no longer what it was: left alone
            pass


def _ours(info: os.stat_result, folder: bool) -> bool:
    kind = stat.S_ISDIR if folder else stat.S_ISREG
    return kind(info.st_mode) and info.st_uid == os.geteuid()


def _remove_generation(results: int, name: str) -> None:
    """Remove results folder `name`: its shards (and shards being written), then the folder,
    which stays if anything else is in it."""
    with _inside(results, Path(), (name,)) as generation:
        with os.scandir(generation) as listing:
            names = [
                entry.name
                for entry in listing
                if (_SHARD.match(entry.name) or _TEMPORARY.match(entry.name))
                and _ours(entry.stat(follow_symlinks=False), folder=False)
            ]
        for shard in names:
            os.unlink(shard, dir_fd=generation)
    os.rmdir(name, dir_fd=results)


def _shard_name(key: str) -> str:
    return blake2b(key.encode("utf-8", "surrogatepass"), digest_size=1).hexdigest()
