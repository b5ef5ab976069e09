"""Stage 4 of a run (see pipeline.py), for one file: read its bytes once, decode them into a
Document, find its problems (filters.find_problems), and with --fix or --diff fix them and write
the file back (atomic_write) or diff it. Each function here takes one file and gives a FileResult;
checking.check_files runs them over many files (workers.map_in_order), with or without the cache,
and passes each on as a FileReport.
An article on a stream (an editor's buffer on stdin) is checked by check_stream, as the file it
is named after.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from newslint import document as documents
from newslint.cache import Table, content_hash
from newslint.datasets.fields import is_dataset
from newslint.filters import ArticleData, Plan, article_units, find_problems
from newslint.lineranges import LineRanges
from newslint.reading import SkippedFile, SkippedStream, max_file_bytes, read_article, read_article_stream
from newslint.vetted import VettedPath
from newslint.violations import Violation

if TYPE_CHECKING:
    from newslint.baseline import Baseline


class FixMode(NamedTuple):
    """How a run fixes: --fix writes the fixed files, --diff only describes them."""

    write: bool  # False: change nothing, give a diff of each file that would change
    unsafe: bool = False  # also apply the fixes rules mark unsafe (--unsafe-fixes)


class FileError(NamedTuple):
    """A file that could not be checked, and why (shown as `path: message`)."""

    path: str
    message: str


class FileFix(NamedTuple):
    """What fixing one file did (or, with --diff, would do)."""

    path: str
    fixed: int  # problems fixed
    diff: str = ""  # the unified diff, in --diff mode only
    lines: LineRanges | None = None  # with --diff-base, the change's lines in the file as fixed
    units: ArticleData | None = None  # with cross-article rules, the units of the file as fixed (repeats.py)


class FileResult(NamedTuple):
    """What stage 4 gives for one file."""

    violations: list[Violation]  # with --fix, those that remain
    digest: str | None = None  # the content hash of the bytes checked, when the run uses the cache
    error: FileError | None = None
    fix: FileFix | None = None


class FileReport(NamedTuple):
    """One file's result on its way from stage 4 to the report, in the parent process, in the
    order of discovery (a dataset's: all its records' problems, in record order). Each pass
    after stage 4 (pipeline.py: the baseline, the change) gives it on with what it leaves of
    the problems, and counts what it left out."""

    path: str
    violations: list[Violation]  # with --fix, those that remain
    errors: Sequence[FileError] = ()  # why it (or some of its records) could not be checked
    fix: FileFix | None = None
    checked: bool = True  # False: nothing of it could be checked
    baselined: int = 0  # problems left out because the baseline records them
    outside_change: int = 0  # with --diff-base, problems left out on lines the change did not touch

    @classmethod
    def of(cls, path: str, result: FileResult) -> FileReport:
        """An article's report: a file that could not be read or decoded was not checked; one
        whose fixes could not be written was (its problems are those found)."""
        if result.error is None:
            return cls(path, result.violations, (), result.fix)
        return cls(path, result.violations, (result.error,), result.fix, checked=bool(result.violations))


def check_file(path: str, plan: Plan, max_bytes: int) -> FileResult:
    """One file's problems (without the cache): read it, and check its bytes."""
    data, _, error = read_file(path, max_bytes)
    if data is None:
        return FileResult([], error=error)
    return check_bytes((path, data, None), plan)


def check_bytes(item: tuple[str, bytes, str | None], plan: Plan) -> FileResult:
    """The problems of a file's bytes: `item` is its path, its bytes and their content hash
    (None without the cache), which the result carries back."""
    path, data, digest = item
    doc, error = document_of(path, data)
    if doc is None:
        return FileResult([], error=error)
    return FileResult(find_problems(plan)(doc), digest)


class BufferResult(NamedTuple):
    """What check_buffer gives for bytes held in memory."""

    document: documents.Document | None  # None when the bytes are not text newslint reads
    violations: list[Violation]  # after every filter, the baseline's included
    error: FileError | None = None


def check_buffer(
    path: str, data: bytes, plan: Plan, table: Table[list[Violation]] | None = None, baseline: Baseline | None = None
) -> BufferResult:
    """Stages 4 to 6 for one file whose bytes are in memory rather than on disk (an editor's
    buffer): its document and the problems a run would report in it, answered from `table`
    when it holds a result for these bytes (else found and kept there; saving is the
    caller's), less what `baseline` records. A dataset file's buffer is not an article: it
    gives no document and no problems (`newslint check` reads its records)."""
    if is_dataset(path):
        return BufferResult(None, [])
    doc, error = document_of(path, data)
    if doc is None:
        return BufferResult(None, [], error)
    digest = content_hash(data) if table is not None else ""
    entry = None if table is None else table.get(path)
    if entry is not None and entry[0] == digest:
        violations = entry[1]
    else:
        violations = find_problems(plan)(doc)
        if table is not None:
            table.put(path, digest, [v.to_data() for v in violations])
    if baseline is not None:
        violations = baseline.filter(violations, [path]).new
    return BufferResult(doc, violations)


def fix_file(
    path: str, plan: Plan, mode: FixMode, max_bytes: int, changed: Mapping[str, LineRanges] | None = None
) -> FileResult:
    """One file's remaining problems and what fixing it did, with a write error if there was one.
    With `changed` (--diff-base), only the problems on the lines it gives for the file are fixed.

    The file is written only when its bytes change, and only if it is still the file that was
    read (see atomic_write); if it is not written it is left as it was and its problems are
    reported as found.
    """
    # Imported here: a run without --fix or --diff is spared difflib, tempfile and shutil.
    from newslint.atomic_write import FileChanged, HardLinked, write_atomic

    data, info, error = read_file(path, max_bytes)
    doc, error = (None, error) if data is None else document_of(path, data)
    if doc is None:
        return FileResult([], error=error)
    result, fixed_data = fix_in_memory(doc, plan, mode, None if changed is None else changed.get(path, ()))
    if fixed_data is None:
        return result
    find = find_problems(plan)
    try:
        # A VettedPath is written where it was read; write_atomic resolves a plain path's links.
        write_atomic(path.real if isinstance(path, VettedPath) else path, fixed_data, read_as=info)
    except FileChanged:
        return FileResult(find(doc), error=FileError(path, "changed while being fixed, left unchanged"))
    except HardLinked as exc:
        message = f"has {exc.links} hard links: fixing would split them; left unchanged (--diff shows the fixes)"
        return FileResult(find(doc), error=FileError(path, message))
    except OSError as exc:
        return FileResult(
            find(doc), error=FileError(path, f"cannot write the fixes, left unchanged: {exc.strerror or exc}")
        )
    return result


def fix_in_memory(
    doc: documents.Document, plan: Plan, mode: FixMode, lines: LineRanges | None = None
) -> tuple[FileResult, bytes | None]:
    """What fixing `doc` gives: the problems that remain and the fixes (with --diff, the diff);
    and when `mode` writes and something was fixed, the bytes to write in its place (the
    result holds once they are written). With `lines`, only problems touching them are fixed."""
    from newslint.fix import fix_document, unified_diff  # here: a run without fixes is spared difflib

    outcome = fix_document(doc, find_problems(plan), unsafe=mode.unsafe, lines=lines)
    if not outcome.fixed:
        return FileResult(outcome.remaining), None
    # The cross-article rules report in the text as fixed: its units, not the index's.
    units = article_units(outcome.document, plan) if plan.cross_article_rules else None
    if not mode.write:
        diff = unified_diff(doc.path, doc.text, outcome.document.text)
        return FileResult(outcome.remaining, fix=FileFix(doc.path, outcome.fixed, diff, outcome.lines, units)), None
    file_fix = FileFix(doc.path, outcome.fixed, lines=outcome.lines, units=units)
    return FileResult(outcome.remaining, fix=file_fix), outcome.data


def read_file(path: str, max_bytes: int) -> tuple[bytes | None, os.stat_result | None, FileError | None]:
    """The article's bytes and its stat from before they were read, or why it cannot be read."""
    try:
        data, info = read_article(path, max_bytes)
    except OSError as exc:
        return None, None, FileError(path, f"cannot read: {exc.strerror or exc}")
    except SkippedFile as exc:
        return None, None, FileError(path, f"skipped: {exc}")
    return data, info, None


def document_of(path: str, data: bytes) -> tuple[documents.Document | None, FileError | None]:
    """The article's Document, or why its bytes are not one (binary, not UTF-8)."""
    try:
        return documents.from_bytes(data, path), None
    except documents.DecodeError as exc:
        return None, FileError(path, f"skipped: {exc}")


def writes(fix: FixMode | None) -> bool:
    """Whether `fix` writes files (--fix), rather than diffing (--diff) or not fixing."""
    return fix is not None and fix.write


def check_stream(
    stream: BinaryIO, name: str, plan: Plan, fix: FixMode | None
) -> tuple[FileResult, Iterable[bytes] | None]:
    """One article read from `stream` (an editor's buffer on stdin) as the file `name`: its
    problems (with `fix`, fixed or diffed) and, when `fix` writes, the text to give back in
    place of the file (see pipeline.Outcome.fixed_stdin)."""
    try:
        data = read_article_stream(stream, max_file_bytes())
    except SkippedStream as exc:
        result = FileResult([], error=FileError(name, f"skipped: {exc}"))
        return result, pass_through(exc.head, stream) if writes(fix) else None
    except OSError as exc:  # nothing was read: there is nothing to give back
        return FileResult([], error=FileError(name, f"cannot read: {exc.strerror or exc}")), None
    if fix is None:
        return check_bytes((name, data, None), plan), None
    doc, error = document_of(name, data)
    if doc is None:
        return FileResult([], error=error), [data] if fix.write else None
    result, fixed_data = fix_in_memory(doc, plan, fix)
    if not fix.write:
        return result, None
    return result, [data if fixed_data is None else fixed_data]


def pass_through(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """`head`, then the rest of `stream` in chunks: a text too large to check, given back as it was."""
    yield head
    while chunk := stream.read(1 << 16):
        yield chunk
