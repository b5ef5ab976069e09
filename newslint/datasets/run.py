"""Stage 4 for dataset files: each record's text checked (or fixed) as an article, the records
streamed, and the dataset written back with only the changed records' text fields rewritten.

A dataset's records go to the workers one by one (workers.map_in_order over the records, so
one large dataset uses every core), in chunks, a few ahead: a dataset's memory is a few chunks
of records and its problems (a dataset's problems are reported together, as one file's), not
its size. Each record is within an article's limits (reading.max_file_bytes);
the file itself has none, but a .json file, which is parsed whole (see jsonl.py).

Datasets never use the result cache: a cached result is a file's, and a dataset's records
are many; a re-run checks them again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, BinaryIO

from newslint.checking import WholeFiles
from newslint.datasets.fields import Fields, is_dataset
from newslint.datasets.records import DatasetError, NotADataset, Piece
from newslint.datasets.stream import BYTES_PER_ARTICLE, DatasetResult, Tally, WriteFailed, run_pieces, write_dataset
from newslint.filters import Plan
from newslint.per_file import FileError, FileReport, FixMode, writes
from newslint.reading import SkippedFile, max_file_bytes, open_regular_file
from newslint.vetted import VettedPath
from newslint.violations import Violation
from newslint.workers import Jobs

if TYPE_CHECKING:
    from newslint.cache import Table
    from newslint.lineranges import LineRanges

# A dataset smaller than this is checked whole by one worker, as a file is (in the same
# workers as the articles beside it); a larger one record by record in all of them. So a folder
# of one-record .json files (news-please's layout) uses every core, and so does one large JSON
# Lines file.
SMALL_DATASET_BYTES = 1 << 20


def check_paths(
    paths: list[str],
    plan: Plan,
    fix: FixMode | None,
    jobs: Jobs,
    table: Table[list[Violation]] | None,
    changed: Mapping[str, LineRanges] | None,
    check_files: Callable[..., Iterator[FileReport]],
    named: Sequence[str] = (),
) -> Generator[FileReport, None, None]:
    """checking.check_files for paths among which are datasets: each file's report in the order
    of `paths`, as it comes. The articles and the small datasets between two large datasets go
    to `check_files` together (the datasets checked whole by its workers); each large dataset
    is checked here, its records over the workers, once the files before it are done (one pool
    of workers at a time). A dataset not among the paths `named` (found in a folder walk) that
    holds no articles is skipped, unreported: a folder's `package.json`, a baseline file, a
    labels file are no datasets of articles."""
    named_files = frozenset(os.path.normpath(path) for path in named)
    # On a cluster (jobs a mapper: cluster.py) the workers may not see the files: every
    # dataset's records are read here and sent.
    whole = WholeFiles(is_dataset, partial(_check_small_dataset, plan=plan, mode=fix, named=named_files))
    between: list[str] = []  # the articles and small datasets since the last large dataset
    for path in paths:
        if not is_dataset(path) or _is_small_dataset(path, jobs):
            between.append(path)
            continue
        if between:
            yield from check_files(between, plan, fix, jobs, table, changed, whole)
            between = []
        yield _report(path, check_dataset(path, plan, fix, jobs, os.path.normpath(path) in named_files))
    if between:
        yield from check_files(between, plan, fix, jobs, table, changed, whole)


def _report(path: str, result: DatasetResult) -> FileReport:
    return FileReport(path, result.violations, result.errors, result.fix, result.checked)


def _is_small_dataset(path: str, jobs: Jobs) -> bool:
    if not is_dataset(path) or not isinstance(jobs, int):
        return False
    try:
        return os.stat(path.real if isinstance(path, VettedPath) else path).st_size < SMALL_DATASET_BYTES
    except OSError:  # check_dataset says why
        return False


def _check_small_dataset(path: str, plan: Plan, mode: FixMode | None, named: frozenset[str]) -> FileReport:
    return _report(path, check_dataset(path, plan, mode, 1, os.path.normpath(path) in named))


def check_dataset(path: str, plan: Plan, mode: FixMode | None, jobs: Jobs, named: bool = True) -> DatasetResult:
    """A dataset's problems, record by record; with `mode`, fixed (written back) or diffed.
    What cannot be read is an error of the file, which is left as it was; but a file that is
    not a dataset of articles is skipped without a word unless it was `named`."""
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
    except NotADataset as exc:
        return _unreadable(path, str(exc)) if named else DatasetResult([], [], checked=False)
    except DatasetError as exc:
        return _unreadable(path, str(exc))
    except WriteFailed as exc:
        # Left as it was: report what is in it, and why it was not fixed.
        result = check_dataset(path, plan, None, jobs, named)
        return result._replace(errors=[*result.errors, FileError(path, exc.message)])
    return tally.result(mode)


def _unreadable(path: str, message: str) -> DatasetResult:
    return DatasetResult([], [FileError(path, message)], checked=False)


def _run_file(path: str, plan: Plan, mode: FixMode | None, jobs: Jobs, fields: Fields) -> Tally:
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

        if not writes(mode):
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
