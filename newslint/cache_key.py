"""This user's cache key, and the signatures it puts on cache entries (see cache.py).

The key lives outside any checkout, in $XDG_CACHE_HOME/newslint/key (default
~/.cache/newslint/key), made by the first run: 32 random bytes, mode 0600, never read or made
through a symbolic link. An entry is signed with a MAC, the hex blake2b keyed with it, of the
entry's place in the cache and its bytes: an entry another key made (a committed cache: a CI
runner makes a new key) or one moved from another place does not verify.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from newslint.nofollow import CREATE_FLAGS, READ_FLAGS, Unsafe, inside, refuse_if_not_plain, temporary_name, write_all

# (`as blake2b`: cache.py hashes with it too.)
try:  # hashlib would load OpenSSL, a noticeable part of every run's start-up, for this one hash
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - an interpreter without CPython's _blake2
    from hashlib import blake2b as blake2b
compare_digest: Callable[[bytes, bytes], bool]  # (one type for the two imports)
try:  # hmac.compare_digest is this function, but importing hmac loads OpenSSL too
    from _operator import _compare_digest as compare_digest
except ImportError:  # pragma: no cover - an interpreter without CPython's _operator
    from hmac import compare_digest

KEY_BYTES = 32
MAC_BYTES = 32
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class KeyUnusable(Exception):
    """The key cannot be read or made safely; the message says why."""


def key_path() -> Path:
    """Where this user's cache key is kept: $XDG_CACHE_HOME/newslint/key, by default
    ~/.cache/newslint/key. KeyUnusable if there is no home folder to keep it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    # As the XDG spec says, a relative XDG_CACHE_HOME is ignored: it would put the key in the
    # current folder, which may be the checkout the key must stay out of.
    if not os.path.isabs(base):
        try:
            home = str(Path.home())
        except RuntimeError:
            home = ""
        if not os.path.isabs(home):
            raise KeyUnusable("no home folder to keep its key in (set XDG_CACHE_HOME)")
        base = os.path.join(home, ".cache")
    return Path(base) / "newslint" / "key"


def user_key(path: Path) -> bytes:
    """This user's key, read from `path`, made there first if missing. Its folder is made 0700
    and must be a real folder of this user's, the key a real file of this user's that nobody
    else may read; the folders above are the user's choice (XDG_CACHE_HOME or the home folder).
    KeyUnusable says why it cannot be used."""
    folder = path.parent
    try:
        os.makedirs(folder.parent, exist_ok=True)
        base = os.open(folder.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
        try:
            with inside(base, folder.parent, (folder.name,), create=True, mode=0o700) as fd:
                try:
                    return _read_key(fd, path)
                except FileNotFoundError:
                    _make_key(fd, path.name)
                    return _read_key(fd, path)
        finally:
            os.close(base)
    except Unsafe as exc:
        raise KeyUnusable(str(exc)) from None
    except OSError as exc:
        raise KeyUnusable(f"cannot read or make its key {path}: {exc.strerror or exc}") from None


def _read_key(folder: int, path: Path) -> bytes:
    try:
        fd = os.open(path.name, READ_FLAGS, dir_fd=folder)
    except OSError as exc:
        refuse_if_not_plain(folder, path.name, exc, path)
        raise
    try:
        info = os.fstat(fd)
        key = os.read(fd, KEY_BYTES + 1) if stat.S_ISREG(info.st_mode) else b""
    finally:
        os.close(fd)
    if info.st_uid != os.geteuid() or info.st_mode & 0o077 or len(key) != KEY_BYTES:
        raise KeyUnusable(
            f"its key {path} is not one newslint made (a {KEY_BYTES}-byte file only you may read); "
            "delete it and the next run makes a new one"
        )
    return key


def _make_key(folder: int, name: str) -> None:
    """Write a new random key under `name`, unless another run does so first: the key is
    written whole to a temporary file and then linked to its name, which never replaces
    anything, so no run reads half a key or uses one another run replaced."""
    temporary = temporary_name(name)
    fd = os.open(temporary, CREATE_FLAGS, 0o600, dir_fd=folder)
    try:
        try:
            write_all(fd, os.urandom(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except FileExistsError:  # another run made it first: use that one
            pass
    finally:
        os.unlink(temporary, dir_fd=folder)


def signed(key: bytes, place: str, payload: bytes) -> bytes:
    """An entry's file: the MAC of its place and `payload`, a newline, then `payload`."""
    return _mac(key, place, payload) + b"\n" + payload


def verified(key: bytes, place: str, content: bytes) -> bytes | None:
    """The payload of an entry's file `content` if it was signed with `key` for `place`, else None."""
    mac, _, payload = content.partition(b"\n")
    return payload if compare_digest(mac, _mac(key, place, payload)) else None


def _mac(key: bytes, place: str, payload: bytes) -> bytes:
    """The hex MAC of an entry: its place in the cache (so no entry can stand in for another)
    and its bytes."""
    digest = blake2b(key=key, digest_size=MAC_BYTES)
    digest.update(place.encode("utf-8", "surrogatepass") + b"\n")
    digest.update(payload)
    return digest.hexdigest().encode("ascii")
