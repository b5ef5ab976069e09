"""A store of signed JSON entries, addressed by the plain data they were worked out from, in a
folder the user can delete or move at any time. It knows nothing of what it stores: its callers
(see pipeline.py) say what an entry's key is and what its data means.

Two kinds of entry, each kind in namespaces of its own that the caller names:

- a value: one JSON value under a key (Cache.values: get and put);
- a table: many files' entries under one key (Cache.table): each file's path maps to the hash
  of the file's bytes (content_hash) and JSON data about those bytes, so a file whose bytes
  have not changed is answered from the table.

A key is plain data (strings, numbers, None, and lists, tuples and dicts of them) holding
everything an entry depends on. Its address is a hash of the key's repr together with this
newslint's version and code, so an entry written by other code is never read back (repr is
stable across runs for plain data; anything else only makes every run a miss, never a wrong hit).

    CACHE_DIR/CACHEDIR.TAG, .gitignore                 (backup tools and git skip the folder)
    CACHE_DIR/v2/NAMESPACE/ADDRESS.json                a value
    CACHE_DIR/v2/NAMESPACE/ADDRESS/SHARD.json          a table: {abs path: [content hash, data]}

A table's paths are spread over 256 shards by a hash of the path, so a run over one file reads
and writes one small shard, not the whole archive's. Every entry file is written whole to a
temporary file and renamed over the old one, so a reader never sees half of it; two runs
writing at once lose entries (worked out again next time), never mix them. Each new key of a
namespace is a new generation; beyond MAX_GENERATIONS, the least recently written go.

What the cache trusts: nothing in the cache folder but what newslint wrote there for this user.
The folder often lies in a checkout whose author may be hostile (a pull request checked in CI
can commit a .newslint_cache of its own), so:

- Each entry file is `MAC\\nJSON`, signed with this user's random key (see cache_key.py) for its
  place in the layout (`v2/NAMESPACE/ADDRESS/SHARD.json`). An entry without the right MAC, or
  moved from another place, is a miss: a CI runner makes a new key, so a committed cache is
  never used. The MAC is checked before the JSON is parsed.
- A table's data is handed to the caller's `decode` hook, which validates it (the types and
  ranges of every field, whatever the caller's data must satisfy); data it refuses is a miss.
- The cache folder and every folder and file in it are opened relative to their folder's
  descriptor without following a link (see nofollow.py), and used only when they are real
  folders and files of this user. A relative cache path is walked the same way from the
  current folder. A cache folder (or v2, or a namespace the run uses) that is a link or another
  user's makes open_cache refuse it: the run goes on without a cache.
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
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from newslint import __version__
from newslint.cache_key import KeyUnusable, blake2b, key_path, signed, user_key, verified
from newslint.nofollow import (
    SAFE_CALLS,
    Unsafe,
    create_file,
    descend,
    inside,
    open_folder,
    opened_folder,
    owned,
    read_file,
    replace_file,
)

FORMAT = "v2"
ENV_VAR = "NEWSLINT_CACHE_DIR"
DEFAULT_DIR = ".newslint_cache"
# Generations kept per namespace: each --select or rule edit starts a new table and a new
# parsed rule set; beyond this many, the least recently written go.
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
_TABLE = re.compile(r"[0-9a-f]{32}\Z")  # v2/NAMESPACE/ADDRESS
_VALUE = re.compile(r"[0-9a-f]{32}\.json\Z")  # v2/NAMESPACE/ADDRESS.json
_SHARD = re.compile(r"[0-9a-f]{2}\.json\Z")  # v2/NAMESPACE/ADDRESS/SHARD.json
# A shard being written (nofollow.temporary_name).
_TEMPORARY = re.compile(r"\.[0-9a-f]{2}\.json\.[0-9]+\.[0-9]+\.tmp\Z")

Decoded = TypeVar("Decoded")


class CacheError(Exception):
    """The cache cannot be used or written (the run's results stand; only the next run is slower)."""


def default_cache_dir() -> Path:
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DIR)


def content_hash(data: bytes) -> str:
    """The hash a table keeps of a file's bytes."""
    return blake2b(data, digest_size=16).hexdigest()


def address(key: Any) -> str:
    """Where the entry of `key` is kept: a hash of the key and of the code that works entries out."""
    digest = blake2b(digest_size=16)
    digest.update(repr([FORMAT, __version__, _code_hash(), key]).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@cache
def _code_hash() -> str:
    """A hash of what newslint's own source files are (name, size, modification time in ns),
    so a changed check (in development, or an upgrade that kept the version number) never reuses
    entries of the old code. Their stat, not their bytes: reading them all would add to every
    run's start-up (which benchmarks/speed.py measures)."""
    package = Path(__file__).resolve().parent
    state = []
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(n for n in names if n.endswith(".py")):
            info = os.stat(os.path.join(folder, name))
            state.append((os.path.relpath(os.path.join(folder, name), package), info.st_size, info.st_mtime_ns))
    return blake2b(repr(state).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Cache(NamedTuple):
    """A cache folder open_cache accepted, and the key that signs its entries."""

    path: Path
    key: bytes

    def values(self, namespace: str) -> Values:
        return Values(self, namespace)

    def table(self, namespace: str, key: Any, decode: Callable[[str, Any], Decoded | None]) -> Table[Decoded]:
        return Table(self, namespace, key, decode)


def open_cache(path: Path, namespaces: Iterable[str]) -> Cache:
    """The cache in folder `path`, with this user's key (made on first use), for a run that
    uses `namespaces`. CacheError says why the cache cannot be used safely: the key cannot be
    read or made, or the folder, v2 or one of the namespaces is a symbolic link, not a folder or
    another user's. A folder not made yet is fine: saving makes it."""
    if not SAFE_CALLS:
        raise CacheError("not using the cache: this system cannot open files relative to a folder, which it needs")
    path = Path(path)
    try:
        key = user_key(key_path())
    except KeyUnusable as exc:
        raise CacheError(f"not using the cache: {exc}") from None
    # Refused here, once, rather than entry by entry: the run says so and uses no cache at all.
    for namespace in namespaces:
        try:
            with opened_folder(path) as root, inside(root, path, (FORMAT, namespace)):
                pass
        except FileNotFoundError:
            continue
        except Unsafe as exc:
            raise CacheError(f"not using the cache: {exc}") from None
        except OSError as exc:
            raise CacheError(f"not using the cache in {path}: {exc.strerror or exc}") from None
    return Cache(path, key)


class Values(NamedTuple):
    """The values of one namespace: one JSON value for each key."""

    cache: Cache
    namespace: str

    def get(self, key: Any) -> Any:
        """The value put under `key`, or None."""
        inner = (FORMAT, self.namespace)
        folder = _open_entries(self.cache, inner)
        if folder < 0:
            return None
        try:
            return _read_entry(folder, self.cache.key, inner, f"{address(key)}.json")
        finally:
            os.close(folder)

    def put(self, key: Any, value: Any) -> bool:
        """Keep `value` under `key`; whether it was written. A cache that cannot be written is
        not an error here: the value is worked out again next time."""
        try:
            _write_entries(self.cache, self.namespace, (), {f"{address(key)}.json": value}, _VALUE, folders=False)
        except CacheError:
            return False
        return True


class Table(Generic[Decoded]):
    """The entries of one table: for each file's path, the hash of its bytes and data about
    those bytes, as `decode(path, data)` reads it back (None: not data the caller can use, a
    miss). Loaded lazily, shard by shard; saved once at the end. close() when done looking up
    (save closes too)."""

    def __init__(self, cache: Cache, namespace: str, key: Any, decode: Callable[[str, Any], Decoded | None]):
        self.cache = cache
        self.namespace = namespace
        self.decode = decode
        self._address = address(key)
        self._inner = (FORMAT, namespace, self._address)
        self._shards: dict[str, dict[str, list[Any]]] = {}  # shard name -> path -> [digest, data]
        self._changed: set[str] = set()
        self._cwd = os.getcwd()  # once: os.path.abspath asks the system for it on every call
        # The folder of the shards, opened once for all the shards a run reads (opening it a
        # folder at a time slowed benchmarks/speed.py's cached re-run of an archive); -1 when
        # there is none to use.
        self._folder: int | None = None

    def _key(self, path: str) -> str:
        """The absolute path: entries survive a change of the current folder."""
        return os.path.normpath(os.path.join(self._cwd, path))

    def get(self, path: str) -> tuple[str, Decoded] | None:
        """The content hash kept for `path` and its data as decoded, or None (a miss)."""
        key = self._key(path)
        entry = self._shard(key).get(key)
        if not isinstance(entry, list) or len(entry) != 2 or type(entry[0]) is not str:
            return None
        decoded = self.decode(path, entry[1])
        return None if decoded is None else (entry[0], decoded)

    def put(self, path: str, digest: str, data: Any) -> None:
        """Keep `data` (JSON-able) for `path` whose bytes hash to `digest` (see content_hash)."""
        key = self._key(path)
        self._shard(key)[key] = [digest, data]
        self._changed.add(_shard_name(key))

    def close(self) -> None:
        """Close the folder lookups read from (a later lookup opens it again)."""
        if self._folder is not None and self._folder >= 0:
            os.close(self._folder)
        self._folder = None

    def save(self) -> None:
        """Write the shards that changed, each atomically. Raise CacheError if that fails."""
        self.close()
        if self._changed:
            shards = {f"{name}.json": self._shards[name] for name in sorted(self._changed)}
            _write_entries(self.cache, self.namespace, (self._address,), shards, _TABLE, folders=True)
            self._changed.clear()

    def _shard(self, key: str) -> dict[str, list[Any]]:
        name = _shard_name(key)
        shard = self._shards.get(name)
        if shard is None:
            if self._folder is None:
                self._folder = _open_entries(self.cache, self._inner)
            data = _read_entry(self._folder, self.cache.key, self._inner, f"{name}.json") if self._folder >= 0 else None
            shard = self._shards[name] = data if isinstance(data, dict) else {}
        return shard


def _shard_name(key: str) -> str:
    return blake2b(key.encode("utf-8", "surrogatepass"), digest_size=1).hexdigest()


# Reading and writing entries.


def _open_entries(cache: Cache, inner: tuple[str, ...]) -> int:
    """A descriptor of the folder `inner` of the cache, or -1 if it is missing or not usable."""
    try:
        return descend(open_folder(cache.path), cache.path, inner, create=False)
    except (OSError, Unsafe):
        return -1


def _read_entry(folder: int, key: bytes, inner: tuple[str, ...], name: str) -> Any:
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


def _write_entries(
    cache: Cache,
    namespace: str,
    below: tuple[str, ...],
    entries: dict[str, Any],
    generation: re.Pattern[str],
    folders: bool,
) -> None:
    """Write each of `entries` (file name -> data), signed, into folder `below` of `namespace`;
    then remove the namespace's oldest generations (named by `generation`, folders or files).
    CacheError if that fails."""
    inner = (FORMAT, namespace)
    try:
        with opened_folder(cache.path, create=True) as root:
            _tag(root)
            with inside(root, cache.path, inner, create=True) as generations:
                with inside(generations, cache.path.joinpath(*inner), below, create=True) as folder:
                    for name, data in entries.items():
                        payload = json.dumps(data).encode("utf-8", "surrogatepass")
                        replace_file(folder, name, signed(cache.key, "/".join((*inner, *below, name)), payload))
                _remove_oldest(generations, generation, folders)
    except Unsafe as exc:
        raise CacheError(f"cannot write the cache: {exc}") from None
    except OSError as exc:
        raise CacheError(f"cannot write the cache in {cache.path}: {exc.strerror or exc}") from None


def _tag(root: int) -> None:
    """Mark the cache folder for backup tools and git, making each file only where nothing has
    its name: an existing file is left as it is, whoever wrote it."""
    for name, text in (("CACHEDIR.TAG", _CACHEDIR_TAG), (".gitignore", _GITIGNORE)):
        create_file(root, name, text.encode("utf-8"))


# Removing old generations.


def _remove_oldest(folder: int, pattern: re.Pattern[str], folders: bool) -> None:
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
                _remove_table(folder, name)
            else:  # unlink removes the name, never what a link swapped in since the check points to
                os.unlink(name, dir_fd=folder)
        except (OSError, Unsafe):  # removed meanwhile, or no longer what it was: left alone
            pass


def _remove_table(generations: int, name: str) -> None:
    """Remove table folder `name`: its shards (and shards being written), then the folder,
    which stays if anything else is in it."""
    with inside(generations, Path(), (name,)) as table:
        with os.scandir(table) as listing:
            names = [
                entry.name
                for entry in listing
                if (_SHARD.match(entry.name) or _TEMPORARY.match(entry.name))
                and owned(entry.stat(follow_symlinks=False), folder=False)
            ]
        for shard in names:
            os.unlink(shard, dir_fd=table)
    os.rmdir(name, dir_fd=generations)
