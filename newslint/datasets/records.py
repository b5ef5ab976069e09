"""A dataset as a sequence of pieces, and what is done to one record's text.

Every reader (jsonl.py, csvfile.py, parquet.py) gives a file as Pieces whose `raw` bytes,
joined, are the file exactly: records, and what lies between them (a blank line, a JSON
array's brackets and commas, a CSV header). Writing a dataset back is writing each piece's raw
bytes, but for the records whose text a fix changed; so untouched records, malformed ones
included, keep every byte.

check_record and fix_record are the per-record tasks workers run (workers.map_in_order): a
record's text in, its problems (and fixed text) out; the parent keeps the pieces.
"""

from __future__ import annotations

from typing import NamedTuple

from newslint import document as documents
from newslint.filters import Plan, find_problems
from newslint.per_file import FixMode
from newslint.reading import MEGABYTE, SkippedFile, check_lines
from newslint.violations import RecordRef, Violation


class DatasetError(Exception):
    """A dataset file that cannot be read as records at all: an error of that file (exit code
    2), which is left as it is; the run goes on."""


class NotADataset(DatasetError):
    """A file with a dataset's suffix that holds no articles (no record has a text field) or
    is not records at all (`package.json`): an error when named, skipped in a folder walk."""


class Piece(NamedTuple):
    """A part of a dataset file: a record, or the bytes between records."""

    raw: bytes  # its bytes in the file (empty for Parquet, whose records are not bytes of their own)
    record: RecordRef | None = None  # None: not a record
    text: str | None = None  # the record's article, when it has one
    field: str | None = None  # the field `text` is in
    error: str | None = None  # why the record is malformed: reported, and kept as it is
    position: tuple[int, int] = (0, 0)  # Parquet: the row's batch, and its index in the batch


# What a worker is handed for one piece: None (nothing to check), or the dataset's path (the
# Document's, so per-file ignores and suppressions apply as to the file), the record's name
# in a diff, and its text.
RecordItem = tuple[str, str, str] | None


class RecordResult(NamedTuple):
    violations: list[Violation]  # with a fix, those that remain
    error: str | None = None  # the text is not one newslint reads (a NUL, a lone surrogate, too long)
    fixed: int = 0
    text: str | None = None  # the fixed text, when fixing changed it
    diff: str = ""  # with --diff, the record's diff


def item_of(path: str, piece: Piece) -> RecordItem:
    if piece.text is None or piece.record is None:
        return None
    from newslint.fix import diff_path  # the name a diff gives the record: see fix_record

    return path, f"{diff_path(path)}#{piece.record.number}", piece.text


def record_document(path: str, text: str, max_bytes: int) -> tuple[documents.Document | None, str | None]:
    """A record's text as a Document (named by the dataset's path), or why it cannot be one:
    within an article's limits (reading.py), UTF-8 (no lone surrogates), not binary."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return None, f"its text is not valid Unicode (a lone surrogate at character {exc.start})"
    if len(data) > max_bytes:
        return None, f"its text is too large ({len(data) / MEGABYTE:.1f} MB; the limit is {max_bytes / MEGABYTE:g} MB)"
    try:
        check_lines(data, max_bytes)
        return documents.from_bytes(data, path), None
    except (SkippedFile, documents.DecodeError) as exc:
        return None, f"its text is skipped: {exc}"


def check_record(item: RecordItem, plan: Plan, max_bytes: int) -> RecordResult | None:
    if item is None:
        return None
    path, _, text = item
    doc, error = record_document(path, text, max_bytes)
    if doc is None:
        return RecordResult([], error)
    return RecordResult(find_problems(plan)(doc))


def fix_record(item: RecordItem, plan: Plan, mode: FixMode, max_bytes: int) -> RecordResult | None:
    """The record's remaining problems and, when fixing changes its text, the new text (with
    `mode.write`) or the diff (without)."""
    from newslint.fix import diff_path, fix_document, unified_diff  # here: a run without fixes is spared difflib

    if item is None:
        return None
    path, name, text = item
    doc, error = record_document(path, text, max_bytes)
    if doc is None:
        return RecordResult([], error)
    outcome = fix_document(doc, find_problems(plan), unsafe=mode.unsafe)
    if not outcome.fixed:
        return RecordResult(outcome.remaining)
    fixed = outcome.data.decode("utf-8")  # the BOM a text began with included
    if mode.write:
        return RecordResult(outcome.remaining, fixed=outcome.fixed, text=fixed)
    # Headed by the dataset's name as a diff quotes it, and the record's number (`#N`).
    header = diff_path(path)
    diff = unified_diff(path, text, fixed).replace(f"--- {header}\n+++ {header}\n", f"--- {name}\n+++ {name}\n", 1)
    return RecordResult(outcome.remaining, fixed=outcome.fixed, diff=diff)
