"""Read a file newslint did not write (an article, a config, a rule file, a baseline), as one
would read anything a stranger's pull request may hold: a regular file only, never waiting on a
named pipe or a device, and never more than a limit (`/dev/zero` as a baseline, or a 10 GB
"rule file", would otherwise read until memory runs out).
"""

from __future__ import annotations

import os
import stat

from newslint.discovery import VettedPath

MEGABYTE = 1 << 20


class SkippedFile(Exception):
    """A file newslint will not read: not a regular file, or too large (or, for an article, too
    many lines)."""


def read_regular_file(path: str, max_bytes: int, limit_hint: str = "") -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `max_bytes`, and its stat from before they were
    read; OSError or SkippedFile otherwise (`limit_hint` ends the message of a file too large).
    A VettedPath is read at its real path, and a link found there now (swapped in since discover
    vetted it) is refused, not followed."""
    # O_NONBLOCK so that opening a named pipe (a FIFO called x.txt in a folder) cannot wait
    # forever for a writer; it changes nothing for regular files.
    if isinstance(path, VettedPath):
        fd = os.open(path.real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    else:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SkippedFile("not a regular file")
        if info.st_size > max_bytes:
            raise SkippedFile(too_large(info.st_size, max_bytes, limit_hint))
        # As much as fstat says, + 1 to see whether the file has grown since (reading up to the
        # 32 MB limit at once would allocate it all for every file, which costs more than reading
        # a short article). Plain os.read, without a buffered file object, is cheaper again.
        # One read that returns exactly the size fstat gave has reached the end: asking again
        # to be told so would be one more system call for every article.
        data = os.read(fd, info.st_size + 1)
        if len(data) != info.st_size:  # it grew, shrank, or its size is not known (/proc): read on
            data += _read_up_to(fd, max_bytes + 1 - len(data))
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise SkippedFile(too_large(len(data), max_bytes, limit_hint))
    return data, info


def read_small_file(path: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes` (a config, a rule file, a baseline);
    OSError, or SkippedFile naming what is wrong with it."""
    return read_regular_file(path, max_bytes)[0]


def _read_up_to(fd: int, limit: int) -> bytes:
    """Up to `limit` bytes from `fd`, fewer only at the end of the file."""
    chunks, total = [], 0
    while total < limit:
        chunk = os.read(fd, limit - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def too_large(size: int, max_bytes: int, limit_hint: str = "") -> str:
    return f"file too large ({size / MEGABYTE:.1f} MB; the limit is {max_bytes / MEGABYTE:g} MB{limit_hint})"
