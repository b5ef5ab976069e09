"""Stage 4 for dataset files: each record's text checked (or fixed) as an article, the records
streamed, and the dataset written back with only the changed records' text fields rewritten.

A dataset's records go to the workers one by one (workers.map_in_order over the records, so
one large dataset uses every core), in chunks, a few ahead: a dataset's memory is a few chunks
of records, not its size. Each record is within an article's limits (reading.max_file_bytes);
the file itself has none, but a .json file, which is parsed whole (see jsonl.py).

Datasets never use the result cache: a cached result is a file's, and a dataset's records
are many; a re-run checks them again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from newslint.datasets import Fields, is_dataset
from newslint.datasets.records import (
    DatasetError,
    Piece,
    RecordResult,
    check_record,
    fix_record,
    item_of,
)
from newslint.filters import Plan
from newslint.per_file import FileError, FileFix, FixMode
from newslint.reading import SkippedFile, max_file_bytes, open_regular_file
from newslint.vetted import VettedPath
from newslint.violations import Violation
from newslint.workers import map_in_order

if TYPE_CHECKING:
    from newslint.cache import Table
    from newslint.lineranges import LineRanges

# Roughly the bytes of a dataset per article, to tell the gate how many documents to expect.
BYTES_PER_ARTICLE = 4096

Emit = Callable[[Piece, str | None], None]  # a piece in file order, and its record's new text if fixed
FileResults = tuple[list[str], list[Violation], list[FileError], list[FileFix]]


class DatasetResult(NamedTuple):
    violations: list[Violation]  # with a fix, those that remain
    errors: list[FileError]  # the file's (it could not be checked), or its malformed records'
    fix: FileFix | None = None
    checked: bool = True


def check_paths(
    paths: list[str],
    plan: Plan,
    fix: FixMode | None,
    jobs: int,
    table: Table[list[Violation]] | None,
    changed: Mapping[str, LineRanges] | None,
    check_files: Callable[..., FileResults],
) -> FileResults:
    """pipeline.check_files for paths among which are datasets: the articles checked by
    `check_files`, each dataset here; the results in the order of `paths`."""
    articles = [path for path in paths if not is_dataset(path)]
    checked_articles, violations_found, errors_found, fixes_found = check_files(
        articles, plan, fix, jobs, table, changed
    )
    by_path: dict[str, tuple[list[Violation], list[FileError], list[FileFix]]] = {}
    for path in articles:
        by_path.setdefault(path, ([], [], []))
    for v in violations_found:
        by_path[v.path][0].append(v)
    for error in errors_found:
        by_path[error.path][1].append(error)
    for file_fix in fixes_found:
        by_path[file_fix.path][2].append(file_fix)
    was_checked = set(checked_articles)
    checked: list[str] = []
    violations: list[Violation] = []
    errors: list[FileError] = []
    fixes: list[FileFix] = []
    for path in paths:
        if is_dataset(path):
            result = check_dataset(path, plan, fix, jobs)
            found = (result.violations, result.errors, [] if result.fix is None else [result.fix])
            is_checked = result.checked
        else:
            found, is_checked = by_path[path], path in was_checked
        checked += [path] if is_checked else []
        violations += found[0]
        errors += found[1]
        fixes += found[2]
    return checked, violations, errors, fixes


def check_dataset(path: str, plan: Plan, mode: FixMode | None, jobs: int) -> DatasetResult:
    """A dataset's problems, record by record; with `mode`, fixed (written back) or diffed.
    What cannot be read is an error of the file, which is left as it was."""
    fields = Fields.of(plan.config.text_fields, plan.config.id_fields, plan.config.site_field)
    try:
        if path.lower().endswith(".parquet"):
            from newslint.datasets.parquet import run_parquet  # here: it imports pyarrow

            tally = run_parquet(path, plan, mode, jobs, fields)
        else:
            tally = _run_file(path, plan, mode, jobs, fields)
    except OSError as exc:
        return _unreadable(path, f"cannot read: {exc.strerror or exc}")
    except SkippedFile as exc:
        return _unreadable(path, f"skipped: {exc}")
    except DatasetError as exc:
        return _unreadable(path, str(exc))
    except _WriteFailed as exc:
        # Left as it was: report what is in it, and why it was not fixed.
        result = check_dataset(path, plan, None, jobs)
        return result._replace(errors=[*result.errors, FileError(path, exc.message)])
    return tally.result(mode)


def _unreadable(path: str, message: str) -> DatasetResult:
    return DatasetResult([], [FileError(path, message)], checked=False)


class Tally:
    """What checking a dataset's records found, gathered in file order."""

    def __init__(self, path: str):
        self.path = path
        self.violations: list[Violation] = []
        self.errors: list[FileError] = []
        self.fixed = 0
        self.diffs: list[str] = []
        self.records = 0  # well-formed records
        self.articles = 0  # records with a text

    def add(self, piece: Piece, result: RecordResult | None) -> None:
        ref = piece.record
        if ref is None:
            return
        name = f"{self.path}#{ref.number}"
        if piece.error is not None:
            self.errors.append(FileError(name, f"malformed record, kept as it is: {piece.error}"))
            return
        self.records += 1
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
        """DatasetError when the file's records hold no article: the fields are likely misnamed."""
        if self.records and not self.articles:
            raise DatasetError(fields.missing())

    def result(self, mode: FixMode | None) -> DatasetResult:
        fix = FileFix(self.path, self.fixed, "".join(self.diffs)) if mode is not None and self.fixed else None
        return DatasetResult(self.violations, self.errors, fix)


def run_pieces(
    path: str, pieces: Iterable[Piece], plan: Plan, mode: FixMode | None, jobs: int, emit: Emit | None = None
) -> Tally:
    """Check (with `mode`, fix) each record of `pieces` in up to `jobs` processes; hand every
    piece, in order, to `emit` with its record's new text when a fix changed it."""
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
    for result in map_in_order(task, items(), jobs, size=lambda item: 0 if item is None else len(item[2])):
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


class _WriteFailed(Exception):
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
        raise _WriteFailed("changed while being fixed, left unchanged") from None
    except HardLinked as exc:
        raise _WriteFailed(f"has {exc.links} hard links: fixing would split them; left unchanged") from None
    except OSError as exc:
        raise _WriteFailed(f"cannot write the fixes, left unchanged: {exc.strerror or exc}") from None
    return done[0]


def _run_file(path: str, plan: Plan, mode: FixMode | None, jobs: int, fields: Fields) -> Tally:
    """A JSON Lines, JSON or CSV dataset, checked, diffed or fixed."""
    from newslint.datasets.csvfile import CsvDataset
    from newslint.datasets.jsonl import json_pieces, jsonl_pieces, rewrite_json

    source, info = open_regular_file(path)
    with source:
        plan.gate.expect(info.st_size // BYTES_PER_ARTICLE)
        max_record = max_file_bytes()
        rewrite: Callable[[Piece, str], bytes]
        if path.lower().endswith(".csv"):
            dataset = CsvDataset(source, fields, max_record)
            pieces, rewrite = dataset.pieces(), dataset.rewrite
        else:
            read = json_pieces if path.lower().endswith(".json") else jsonl_pieces
            pieces = read(source, fields, max_record)

            def rewrite(piece: Piece, text: str) -> bytes:
                assert piece.field is not None  # only a record with a text is fixed
                return rewrite_json(piece.raw, piece.field, text)

        if mode is None or not mode.write:
            tally = run_pieces(path, pieces, plan, mode, jobs)
            tally.finish(fields)
            return tally

        def write(handle: BinaryIO) -> Tally:
            def emit(piece: Piece, text: str | None) -> None:
                handle.write(piece.raw if text is None else rewrite(piece, text))

            tally = run_pieces(path, pieces, plan, mode, jobs, emit)
            tally.finish(fields)
            return tally

        return write_dataset(path, info, write)
