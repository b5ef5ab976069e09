"""Replace a file's bytes so that a crash, a full disk or a kill mid-write leaves the old file,
and so that nothing about the file but its bytes changes.

The only place newslint writes an article. The new bytes go to a temporary file in the same
folder (so the final rename stays on one file system and is atomic), named
`.newslint-XXXXXXXX.tmp` whatever the file's own name (a name of 255 bytes leaves no room to add
to it), are flushed and fsynced, get the original's owner and group (as far as the user may give
them), extended attributes and permission bits, and only then replace the original with
os.replace. On any failure the temporary file is removed and the original is untouched.

A rename replaces the file's inode, so two things a new inode cannot keep are refused instead:
a file with other hard links (they would keep the old bytes, split from it), and a file that is
not the one the caller read any more (someone saved it meanwhile: the rename would undo that).
The second is checked again just before the rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from typing import BinaryIO

TEMP_PREFIX = ".newslint-"
TEMP_SUFFIX = ".tmp"

# Extended attributes the system will not let this user set on the new file (trusted.* and
# most of security.* need root) or a file system without them: they are left behind rather
# than stopping the fix. ENODATA: an attribute removed since it was listed.
_ATTRIBUTE_REFUSALS = frozenset({errno.EPERM, errno.EACCES, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENODATA})


class FileChanged(OSError):
    """The file is not as the caller read it: changed, replaced or removed since."""

    def __init__(self) -> None:
        super().__init__("changed since it was read")


class HardLinked(OSError):
    """The file has other hard links, which replacing it would split from it."""

    def __init__(self, links: int) -> None:
        super().__init__(f"has {links} hard links: replacing it would split them")
        self.links = links


def write_atomic(
    path: str,
    data: bytes | Callable[[BinaryIO], None],
    create: bool = False,
    read_as: os.stat_result | None = None,
) -> None:
    """Replace the contents of the existing file `path` with `data`, atomically. `data` may be
    a function that writes the new contents to the file it is given (a dataset, written as it
    is read): whatever it raises leaves the original as it was, and is raised again.

    A symbolic link is followed: the file it points to is replaced and the link stays a link.
    With `read_as`, the stat taken when the caller read the file, raise FileChanged unless the
    file is still that one, unchanged (device, inode, size, modification and change times),
    both before anything is written and just before the rename. Raise HardLinked for a file
    with more than one link. With `create`, a missing file is created, with the mode a new file
    gets under the umask (a baseline file; articles are never created). Raise OSError (with
    the original intact) when the write cannot be completed, or when the file is read-only.
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
        if before.st_nlink > 1:
            raise HardLinked(before.st_nlink)
        # A rename would replace a read-only file as easily as any other; writing it in place
        # would fail, and so does this.
        if not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            handle.flush()
            if before is not None:
                _copy_owner(handle.fileno(), before)
                _copy_extended_attributes(target, handle.fileno())
            os.fsync(handle.fileno())
        # mkstemp creates 0600; the file keeps the mode it had. After the owner: giving a file
        # away clears its set-user-ID and set-group-ID bits.
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


def _copy_owner(fd: int, before: os.stat_result) -> None:
    """Give the new file the original's owner and group where the user may: root may give
    both; anyone may keep a file's owner if it is theirs, and its group if they belong to it."""
    if not hasattr(os, "fchown"):  # Windows
        return
    try:
        os.fchown(fd, before.st_uid, before.st_gid)
    except OSError as exc:
        # EINVAL: an owner this user namespace cannot name (a container's "nobody").
        if exc.errno not in (errno.EPERM, errno.EINVAL):
            raise
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, before.st_gid)


def _copy_extended_attributes(source: str, fd: int) -> None:
    """Copy the extended attributes of `source` (user.*, ACLs, ...) to the file open as `fd`,
    but those the system refuses (see _ATTRIBUTE_REFUSALS)."""
    if not hasattr(os, "listxattr"):  # Linux only
        return
    try:
        names = os.listxattr(source)
    except OSError as exc:
        if exc.errno in _ATTRIBUTE_REFUSALS:
            return
        raise
    for name in names:
        try:
            os.setxattr(fd, name, os.getxattr(source, name))
        except OSError as exc:
            if exc.errno not in _ATTRIBUTE_REFUSALS:
                raise


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
