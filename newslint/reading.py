"""Read a file newslint did not write (an article, a config, a rule file, a baseline), as one
would read anything a stranger's pull request may hold: a regular file only, never waiting on a
named pipe or a device, and never more than a limit (`/dev/zero` as a baseline, or a 10 GB
"rule file", would otherwise read until memory runs out). An article's limits, its size and
its number of lines, are set here too.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from newslint.errors import UsageError
from newslint.vetted import VettedPath

MEGABYTE = 1 << 20
# Articles larger than this are skipped with a message rather than read: checking takes many
# times a file's size in memory (benchmarks/hostile.py prints the peak for 31 MB of short
# lines), and no article is anywhere near this long. Below it, every check is linear in the
# file's size, a single 20 MB line included.
DEFAULT_MAX_FILE_MB = 32
MAX_FILE_MB_VARIABLE = "NEWSLINT_MAX_FILE_MB"
# Each line costs a few hundred bytes of memory and a few microseconds whatever its length, so
# a file of empty lines within the size limit could still take gigabytes: the limit also caps
# the lines, at one per 32 bytes of it (a million lines for 32 MB).
BYTES_PER_LINE_ALLOWED = 32


class SkippedFile(Exception):
    """A file newslint will not read: not a regular file, or too large (or, for an article, too
    many lines)."""


def read_regular_file(path: str, max_bytes: int, limit_hint: str = "") -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `max_bytes`, and its stat from before they were
    read; OSError or SkippedFile otherwise (`limit_hint` ends the message of a file too large).
    A VettedPath is read at its real path, and a link found there now (swapped in since discover
    vetted it) is refused, not followed."""
    fd, info = _open_regular(path)
    try:
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


def open_regular_file(path: str) -> tuple[BinaryIO, os.stat_result]:
    """A regular file opened to be read in parts (a dataset: records, streamed), and its stat
    from before anything was read; OSError or SkippedFile otherwise. Opened as
    read_regular_file opens: never waiting on a FIFO, a VettedPath at its real path without
    following a link swapped in there."""
    fd, info = _open_regular(path)
    try:
        return os.fdopen(fd, "rb"), info
    except BaseException:
        os.close(fd)
        raise


def _open_regular(path: str) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file `path`, and its stat; OSError or SkippedFile (closed)
    otherwise. A VettedPath is opened at its real path, and a link found there now (swapped in
    since discover vetted it) is refused, not followed."""
    # O_NONBLOCK so that opening a named pipe (a FIFO called x.txt in a folder) cannot wait
    # forever for a writer; it changes nothing for regular files.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if isinstance(path, VettedPath):
        fd = os.open(path.real, flags | getattr(os, "O_NOFOLLOW", 0))
    else:
        fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SkippedFile("not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def read_article(path: str, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The bytes of an article: a regular file of at most `max_bytes` (see max_file_bytes) and
    max_bytes / 32 lines, and its stat from before they were read; OSError or SkippedFile
    otherwise."""
    data, info = read_regular_file(path, max_bytes, _LIMIT_HINT)
    check_lines(data, max_bytes)
    return data, info


class SkippedStream(SkippedFile):
    """An article on a stream (stdin) over a limit: `head` holds what was read of it, and the
    rest, if any, is still in the stream (so `newslint check - --fix` can give the text back as
    it was)."""

    def __init__(self, message: str, head: bytes):
        super().__init__(message)
        self.head = head


def read_article_stream(stream: BinaryIO, max_bytes: int) -> bytes:
    """An article from a stream (stdin: an editor's buffer), with the limits of a file's:
    at most `max_bytes` and max_bytes / 32 lines; SkippedStream otherwise.
    Read in chunks, so a stream of any length costs at most the limit in memory."""
    chunks, total = [], 0
    while total <= max_bytes:
        chunk = stream.read(min(1 << 16, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise SkippedStream(f"file too large (over the limit of {max_bytes / MEGABYTE:g} MB{_LIMIT_HINT})", data)
    try:
        check_lines(data, max_bytes)
    except SkippedFile as exc:
        raise SkippedStream(str(exc), data) from None
    return data


_LIMIT_HINT = f", set {MAX_FILE_MB_VARIABLE} to change it"


def check_lines(data: bytes, max_bytes: int) -> None:
    """SkippedFile if `data` has more lines than an article of the limit `max_bytes` may."""
    max_lines = max_bytes // BYTES_PER_LINE_ALLOWED
    if len(data) <= max_lines:  # each line ending takes a byte at least: no need to count them
        return
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")  # as the Document counts them
    if lines > max_lines:
        raise SkippedFile(
            f"too many lines ({lines:,}; the limit is {max_lines:,} for files up to {max_bytes / MEGABYTE:g} MB"
            f"{_LIMIT_HINT})"
        )


def max_file_bytes() -> int:
    """The size limit for articles: NEWSLINT_MAX_FILE_MB megabytes, or DEFAULT_MAX_FILE_MB."""
    value = os.environ.get(MAX_FILE_MB_VARIABLE, "").strip()
    if not value:
        return DEFAULT_MAX_FILE_MB * MEGABYTE
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes < float("inf"):
        raise UsageError(f"{MAX_FILE_MB_VARIABLE} must be a positive number of megabytes, not {value!r}")
    return int(megabytes * MEGABYTE)


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
