"""Replace a file's bytes so that a crash, a full disk or a kill mid-write leaves the old file.

The only place newslint writes an article. The new bytes go to a temporary file in the same
folder (so the final rename stays on one file system and is atomic), named
`.newslint-XXXXXXXX.tmp` whatever the file's own name (a name of 255 bytes leaves no room to add
to it), are flushed and fsynced, get the original's permission bits, and only then replace the
original with os.replace. On any failure the temporary file is removed and the original is
untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile

TEMP_PREFIX = ".newslint-"
TEMP_SUFFIX = ".tmp"


def write_atomic(path: str, data: bytes, create: bool = False) -> None:
    """Replace the contents of the existing file `path` with `data`, atomically.

    A symbolic link is followed: the file it points to is replaced and the link stays a link.
    With `create`, a missing file is created, with the mode a new file gets under the umask
    (a baseline file; articles are never created). Raise OSError (with the original intact)
    when the write cannot be completed, or when the file is read-only.
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        if not create:
            raise
        mode = _new_file_mode()
    else:
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
        os.chmod(temp, mode)  # mkstemp creates 0600; the file keeps the mode it had
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


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
