"""A dataset's records streamed through the per-record tasks (records.py) in worker processes,
in file order, and the dataset written back as the results come (atomic_write)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, BinaryIO, NamedTuple

from newslint.datasets.fields import Fields
from newslint.datasets.records import NotADataset, Piece, RecordResult, check_record, fix_record, item_of
from newslint.filters import Plan
from newslint.per_file import FileError, FileFix, FixMode
from newslint.reading import max_file_bytes
from newslint.vetted import VettedPath
from newslint.violations import Violation
from newslint.workers import Jobs, as_mapper

# Roughly the bytes of a dataset per article, to tell the gate how many documents to expect.
BYTES_PER_ARTICLE = 4096

Emit = Callable[[Piece, str | None], None]  # a piece in file order, and its record's new text if fixed


class DatasetResult(NamedTuple):
    violations: list[Violation]  # with a fix, those that remain
    errors: list[FileError]  # the file's (it could not be checked), or its malformed records'
    fix: FileFix | None = None
    checked: bool = True


class Tally:
    """What checking a dataset's records found, gathered in file order."""

    def __init__(self, path: str):
        self.path = path
        self.violations: list[Violation] = []
        self.errors: list[FileError] = []
        self.fixed = 0
        self.diffs: list[str] = []
        self.records = 0  # records, well-formed or not
        self.articles = 0  # records with a text

    def add(self, piece: Piece, result: RecordResult | None) -> None:
        ref = piece.record
        if ref is None:
            return
        name = f"{self.path}#{ref.number}"
        self.records += 1
        if piece.error is not None:
            self.errors.append(FileError(name, f"malformed record, kept as it is: {piece.error}"))
            return
        if result is None:
            return
        self.articles += 1
        if result.error is not None:
            self.errors.append(FileError(name, f"record not checked, kept as it is: {result.error}"))
            return
        self.violations += [v._replace(record=ref) for v in result.violations]
        self.fixed += result.fixed
        if result.diff:
            self.diffs.append(result.diff)

    def finish(self, fields: Fields) -> None:
        """NotADataset when the file's records hold no article: the fields are misnamed, or the
        file is not a dataset of articles."""
        if self.records and not self.articles:
            raise NotADataset(fields.missing())

    def result(self, mode: FixMode | None) -> DatasetResult:
        fix = FileFix(self.path, self.fixed, "".join(self.diffs)) if mode is not None and self.fixed else None
        return DatasetResult(self.violations, self.errors, fix)


def run_pieces(
    path: str, pieces: Iterable[Piece], plan: Plan, mode: FixMode | None, jobs: Jobs, emit: Emit | None = None
) -> Tally:
    """Check (with `mode`, fix) each record of `pieces` in up to `jobs` processes (or with the
    cluster's mapper `jobs` is: cluster.py); hand every piece, in order, to `emit` with its
    record's new text when a fix changed it."""
    max_bytes = max_file_bytes()
    task: Callable[[Any], RecordResult | None]
    if mode is None:
        task = partial(check_record, plan=plan, max_bytes=max_bytes)
    else:
        task = partial(fix_record, plan=plan, mode=mode, max_bytes=max_bytes)
    pending: deque[Piece] = deque()  # the pieces handed over, whose results are still to come

    def items() -> Iterator[tuple[str, str, str] | None]:
        for piece in pieces:
            pending.append(piece)
            yield item_of(path, piece)

    tally = Tally(path)
    for result in as_mapper(jobs)(task, items(), size=lambda item: 0 if item is None else len(item[2])):
        piece = pending.popleft()
        tally.add(piece, result)
        if emit is not None:
            emit(piece, None if result is None else result.text)
    return tally


class _Unchanged(Exception):
    """Raised inside a dataset's write when no record changed: the file is not replaced."""

    def __init__(self, tally: Tally):
        super().__init__("unchanged")
        self.tally = tally


class WriteFailed(Exception):
    """A dataset that could not be written back (left as it was)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def write_dataset(path: str, info: Any, write: Callable[[BinaryIO], Tally]) -> Tally:
    """Write a dataset back atomically as `write` produces it (see atomic_write), unless no
    record changed; the tally of its records."""
    from newslint.atomic_write import FileChanged, HardLinked, write_atomic

    done: list[Tally] = []

    def writing(handle: BinaryIO) -> None:
        tally = write(handle)
        if not tally.fixed:
            raise _Unchanged(tally)
        done.append(tally)

    try:
        write_atomic(path.real if isinstance(path, VettedPath) else path, writing, read_as=info)
    except _Unchanged as unchanged:
        return unchanged.tally
    except FileChanged:
        raise WriteFailed("changed while being fixed, left unchanged") from None
    except HardLinked as exc:
        raise WriteFailed(f"has {exc.links} hard links: fixing would split them; left unchanged") from None
    except OSError as exc:
        raise WriteFailed(f"cannot write the fixes, left unchanged: {exc.strerror or exc}") from None
    return done[0]
