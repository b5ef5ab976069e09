"""Replace a file's bytes so that a crash, a full disk or a kill mid-write leaves the old file,
and so that an edit made meanwhile is not lost.

The only place newslint writes an article. The new bytes go to a temporary file in the same
folder (so the final rename stays on one file system and is atomic), named
`.newslint-XXXXXXXX.tmp` whatever the file's own name (a name of 255 bytes leaves no room to add
to it), are flushed and fsynced, get the original's permission bits, and only then replace the
original with os.replace. On any failure the temporary file is removed and the original is
untouched.

A rename replaces whatever is there by then, so a file that is not the one the caller read any
more (someone saved it meanwhile) is left alone; this is checked again just before the rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile

TEMP_PREFIX = ".newslint-"
TEMP_SUFFIX = ".tmp"


class FileChanged(OSError):
    """The file is not as the caller read it: changed, replaced or removed since."""

    def __init__(self) -> None:
        super().__init__("changed since it was read")


def write_atomic(path: str, data: bytes, create: bool = False, read_as: os.stat_result | None = None) -> None:
    """Replace the contents of the existing file `path` with `data`, atomically.

    A symbolic link is followed: the file it points to is replaced and the link stays a link.
    With `read_as`, the stat taken when the caller read the file, raise FileChanged unless the
    file is still that one, unchanged (device, inode, size, modification and change times),
    both before anything is written and just before the rename. With `create`, a missing file
    is created, with the mode a new file gets under the umask (a baseline file; articles are
    never created). Raise OSError (with the original intact) when the write cannot be
    completed, or when the file is read-only.
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    try:
        before = os.lstat(target)
    except FileNotFoundError:
        if read_as is not None:
            raise FileChanged() from None
        if not create:
            raise
        before = None
    if before is not None:
        if read_as is not None and _version(before) != _version(read_as):
            raise FileChanged()
        # A rename would replace a read-only file as easily as any other; writing it in place
        # would fail, and so does this.
        if not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; the file keeps the mode it had.
        os.chmod(temp, _new_file_mode() if before is None else stat.S_IMODE(before.st_mode))
        if before is not None and not _unchanged(target, before):
            raise FileChanged()
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def _version(info: os.stat_result) -> tuple[int, int, int, int, int]:
    """What tells one state of a file from another: which inode, and its size and times (the
    change time moves with every write and every change of owner, mode or attributes)."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _unchanged(target: str, before: os.stat_result) -> bool:
    try:
        return _version(os.lstat(target)) == _version(before)
    except FileNotFoundError:  # removed meanwhile: the rename would bring it back
        return False


def _new_file_mode() -> int:
    umask = os.umask(0)  # the only way to read the umask is to set it
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable. Not every platform can open a folder (Windows cannot)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
