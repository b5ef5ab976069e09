"""--output-file: the report written to its file atomically as the run produces it. It goes to a
temporary file beside the file (atomic_write), which takes the file's place once the run is
over: a reader sees the old file or the whole new one, and a run that fails or is stopped
leaves the old one. So a report that streams (cli.py) is written to the file as it comes, and
never waits whole in memory."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import BinaryIO

from newslint.errors import UsageError


class _ReportUnwritable(Exception):
    """A write of the report to its file failed (the OSError): raised through the run, which
    it ends."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


class _RunFailed(Exception):
    """The run that writes the report raised an OSError of its own: carried out of the atomic
    write (which abandons the report) to be raised again as it was."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


def write_report_file(path: str, report: Callable[[Callable[[str], None]], int]) -> int:
    """Run `report`, which writes the report with the function it is given, into `path`
    atomically: the report goes to a temporary file beside it as it is written, which takes
    the file's place once the run is over (a reader sees the old file or the whole new one;
    a run that fails leaves the old one). Gives what `report` gives: the exit code."""
    from newslint.atomic_write import write_atomic  # here: it imports tempfile

    if os.path.isdir(path):
        raise UsageError("cannot write the report: a folder", path)
    exit_code: list[int] = []

    def write_into(handle: BinaryIO) -> None:
        def write(text: str) -> None:
            try:
                # As stdout writes them: a name's undecodable bytes as \udcXX (which JSON decodes back).
                handle.write(text.encode("utf-8", "backslashreplace"))
            except OSError as exc:
                raise _ReportUnwritable(exc) from None

        try:
            exit_code.append(report(write))
        except OSError as exc:
            raise _RunFailed(exc) from None

    try:
        write_atomic(path, write_into, create=True)
    except _RunFailed as failed:
        raise failed.error from None
    except (OSError, _ReportUnwritable) as exc:
        error = exc.error if isinstance(exc, _ReportUnwritable) else exc
        raise UsageError(f"cannot write the report: {error.strerror or error}", path) from None
    return exit_code[0]
