"""Folders and files opened one name at a time relative to their folder's descriptor, never
through a symbolic link, and used only when they are real folders and files of this user (the
effective uid). The cache is kept with these (see cache.py): it often lies in a checkout whose
author may be hostile, where any name may have been planted as a link, a pipe or someone else's.

Nothing here removes or replaces anything but by its name in its folder: a link swapped in
after a check is removed itself, never what it points to.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC
# O_NONBLOCK: a named pipe planted under an entry's name must not wait forever for a writer.
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC
# O_EXCL: never open what is already there, a symbolic link included.
CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC

# What this module needs of the system to open nothing through a link; where it is missing
# (Windows), the cache is not used. (os.replace is os.rename's twin: both take dir_fd where
# renameat exists.)
SAFE_CALLS = (
    hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and {os.open, os.mkdir, os.stat, os.unlink, os.rmdir, os.link, os.rename} <= os.supports_dir_fd
    and os.scandir in os.supports_fd
)


class Unsafe(Exception):
    """Why a name is not used: a symbolic link, not a folder, another user's. The message is
    the name's path (or as much of it as is known) and why."""


class _Refused(Exception):
    """Why a name met on the way is not used, before its path is put together."""


def open_folder(path: Path, create: bool = False) -> int:
    """A descriptor of folder `path`, made if missing with `create`. The folder itself is never
    a symbolic link and is this user's; for a relative path, no folder on the way from the
    current folder is a link either (they lie in what may be a hostile checkout). The folders
    above an absolute path are the user's choice and are taken as they are. Unsafe, or OSError."""
    parts: tuple[str, ...]
    if path.is_absolute():
        anchor, parts = path.parent, (path.name,) if path.name else ()
        if create:
            os.makedirs(anchor, exist_ok=True)
    else:
        anchor, parts = Path("."), path.parts
    fd = os.open(anchor, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    if not parts and os.fstat(fd).st_uid != os.geteuid():  # the folder is "." or "/"
        os.close(fd)
        raise Unsafe(f"{path} belongs to another user")
    return descend(fd, anchor, parts, create, owned_from=len(parts) - 1)


@contextmanager
def opened_folder(path: Path, create: bool = False) -> Iterator[int]:
    """open_folder as a context: the descriptor is closed after."""
    fd = open_folder(path, create)
    try:
        yield fd
    finally:
        os.close(fd)


@contextmanager
def inside(fd: int, where: Path, names: tuple[str, ...], create: bool = False, mode: int = 0o777) -> Iterator[int]:
    """A descriptor of the folder `names` below folder `fd` (which is at `where`): each a real
    folder of this user's, never a symbolic link, made if missing with `create`. `fd` stays
    open; the descriptor given is closed after."""
    fd = descend(os.dup(fd), where, names, create, mode=mode)
    try:
        yield fd
    finally:
        os.close(fd)


def descend(fd: int, where: Path, names: tuple[str, ...], create: bool, owned_from: int = 0, mode: int = 0o777) -> int:
    """Open folder `names` below folder `fd` (at `where`) one name at a time, closing each folder
    passed, `fd` included (also on an error). Each is opened without following a link, made if
    missing with `create`, and from the `owned_from`th name on must be this user's. Unsafe
    names the first that is not usable; OSError if one cannot be opened or made."""
    try:
        for depth, name in enumerate(names):
            try:
                inner = _open_child(fd, name, create, owned=depth >= owned_from, mode=mode)
            except _Refused as exc:  # the path is built only here: a run opens these folders often
                raise Unsafe(f"{where.joinpath(*names[: depth + 1])} {exc}") from None
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_child(parent: int, name: str, create: bool, owned: bool, mode: int) -> int:
    """A descriptor of folder `name` in folder `parent`, made if missing with `create`. OSError
    if it cannot be opened or made; _Refused if it is a link, not a folder or (`owned`) another
    user's."""
    try:
        fd = os.open(name, FOLDER_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            raise
        try:
            os.mkdir(name, mode, dir_fd=parent)
        except FileExistsError:  # made meanwhile (by another run, or planted): checked on opening
            pass
        return _open_child(parent, name, False, owned, mode)
    except OSError as exc:
        _refuse_if_not_plain(parent, name, exc)
        raise
    if owned and os.fstat(fd).st_uid != os.geteuid():
        os.close(fd)
        raise _Refused("belongs to another user")
    return fd


def refuse_if_not_plain(parent: int, name: str, error: OSError, path: Path) -> None:
    """Raise Unsafe naming `path` and saying what it is if opening `name` in `parent` failed
    because it is a symbolic link or not a folder."""
    try:
        _refuse_if_not_plain(parent, name, error)
    except _Refused as exc:
        raise Unsafe(f"{path} {exc}") from None


def _refuse_if_not_plain(parent: int, name: str, error: OSError) -> None:
    """Raise _Refused saying what `name` is if opening it failed because it is a symbolic link
    or not a folder (O_NOFOLLOW and O_DIRECTORY fail with ELOOP, ENOTDIR or EMLINK)."""
    try:
        info = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise _Refused("is a symbolic link") from error
    if error.errno in (errno.ENOTDIR, errno.ELOOP, errno.EMLINK) and not stat.S_ISDIR(info.st_mode):
        raise _Refused("is not a folder") from error


def read_file(folder: int, name: str, max_bytes: int) -> bytes | None:
    """The bytes of `name` in `folder` if it is a real file of this user's of at most
    `max_bytes`, else None; OSError if it cannot be read."""
    fd = os.open(name, READ_FLAGS, dir_fd=folder)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_size > max_bytes:
            return None
        data = os.read(fd, info.st_size + 1)
        if len(data) != info.st_size:  # it grew or shrank since fstat: read on, up to the limit
            while len(data) <= max_bytes and (more := os.read(fd, max_bytes + 1 - len(data))):
                data += more
    finally:
        os.close(fd)
    return data if len(data) <= max_bytes else None


def replace_file(folder: int, name: str, data: bytes) -> None:
    """Write a new temporary file in `folder` and rename it over `name` (atomic on one file
    system). The rename replaces whatever had the name, a link included, never what it points to."""
    temporary = temporary_name(name)
    fd = os.open(temporary, CREATE_FLAGS, 0o666, dir_fd=folder)
    try:
        try:
            write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        try:
            os.unlink(temporary, dir_fd=folder)
        except OSError:
            pass
        raise


def create_file(folder: int, name: str, data: bytes) -> None:
    """Make file `name` in `folder` holding `data`, only where nothing has that name (an
    existing file is left as it is, whoever wrote it). Never half a file: one whose writing
    fails is removed."""
    try:
        fd = os.open(name, CREATE_FLAGS, 0o666, dir_fd=folder)
    except FileExistsError:
        return
    try:
        try:
            write_all(fd, data)
        finally:
            os.close(fd)
    except BaseException:
        try:
            os.unlink(name, dir_fd=folder)
        except OSError:
            pass
        raise


def temporary_name(name: str) -> str:
    """The name of a temporary file written on the way to `name` (see TEMPORARY in cache.py)."""
    return f".{name}.{os.getpid()}.{time.monotonic_ns()}.tmp"


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def owned(info: os.stat_result, folder: bool) -> bool:
    """Whether `info` (of a name, its links not followed) is a real folder (or, not `folder`,
    a real file) of this user's."""
    kind = stat.S_ISDIR if folder else stat.S_ISREG
    return kind(info.st_mode) and info.st_uid == os.geteuid()
