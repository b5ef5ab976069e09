"""Check files: read each one, build its Document, lint it, apply its suppression comments, and
with --fix fix and write it.

The only module that reads articles; it writes them only through atomic_write. A file discover
found (a VettedPath) is read and written where discover found it inside its tree.
"""

from __future__ import annotations

import os
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from newslint import document as documents
from newslint import engine, suppressions
from newslint.config import Plan
from newslint.discovery import VettedPath
from newslint.document import Document
from newslint.errors import UsageError
from newslint.linter import lint
from newslint.reading import MEGABYTE, SkippedFile, read_regular_file
from newslint.violations import Violation
from newslint.workers import map_in_order

if TYPE_CHECKING:
    from newslint.cache import ResultCache
    from newslint.engine import Gate
    from newslint.fix import FindProblems


# Articles larger than this are skipped with a message rather than read: checking takes up to
# 40 times a file's size in memory (1.2 GB for 31 MB of short lines, see benchmarks/hostile.py),
# and no article is this long (the corpus's largest is 50 KB). Below it, every check is linear
# in the file's size, a single 20 MB line included.
DEFAULT_MAX_FILE_MB = 32
MAX_FILE_MB_VARIABLE = "NEWSLINT_MAX_FILE_MB"
# Each line costs a few hundred bytes of memory and a few microseconds whatever its length, so
# a file of empty lines within the size limit could still take gigabytes: the limit also caps
# the lines, at one per 32 bytes of it (a million lines for 32 MB).
BYTES_PER_LINE_ALLOWED = 32


class FileError(NamedTuple):
    """A file that could not be checked, and why (shown as `path: message`)."""

    path: str
    message: str


class FixMode(NamedTuple):
    """How check_files fixes: --fix writes the fixed files, --diff only describes them."""

    write: bool  # False: change nothing, return a diff of each file that would change
    unsafe: bool = False  # also apply the fixes rules mark unsafe (--unsafe-fixes)


class FileFix(NamedTuple):
    """What fixing one file did (or, with --diff, would do)."""

    path: str
    fixed: int  # problems fixed
    diff: str = ""  # the unified diff, in --diff mode only


class RunResult:
    """What a run found, filled in as files are checked."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []  # after fixing, those that remain
        self.checked: list[str] = []  # the files read and linted
        self.errors: list[FileError] = []
        self.fixes: list[FileFix] = []  # files changed (or that --diff would change)

    @property
    def files_checked(self) -> int:
        return len(self.checked)


def read_document(
    path: str, max_bytes: int | None = None
) -> tuple[Document | None, os.stat_result | None, FileError | None]:
    """The file's Document and its stat from before its bytes were read, or why it cannot be
    checked. Files over `max_bytes` (default: max_file_bytes()) are skipped unread."""
    try:
        data, info = read_article(path, max_file_bytes() if max_bytes is None else max_bytes)
    except OSError as exc:
        return None, None, FileError(path, f"cannot read: {exc.strerror or exc}")
    except SkippedFile as exc:
        return None, None, FileError(path, f"skipped: {exc}")
    try:
        return documents.from_bytes(data, path), info, None
    except documents.DecodeError as exc:
        return None, None, FileError(path, f"skipped: {exc}")


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


def read_article(path: str, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `max_bytes` and max_bytes / 32 lines, and its stat
    from before they were read; OSError or SkippedFile otherwise."""
    data, info = read_regular_file(path, max_bytes, f", set {MAX_FILE_MB_VARIABLE} to change it")
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")  # as the Document counts them
    max_lines = max_bytes // BYTES_PER_LINE_ALLOWED
    if lines > max_lines:
        raise SkippedFile(
            f"too many lines ({lines:,}; the limit is {max_lines:,} for files up to {max_bytes / MEGABYTE:g} MB, "
            f"set {MAX_FILE_MB_VARIABLE} to change it)"
        )
    return data, info


def find_problems(plan: Plan, gate: Gate | None = None) -> FindProblems:
    """What a check reports for a document: the rules the plan runs on its path, less what its
    suppression comments suppress, plus the comments that suppress nothing. --fix fixes exactly
    these, so it never touches suppressed text. `gate` (the engine's, for the plan's rules) spares
    the rules that cannot match a document."""

    def find(doc: Document) -> list[Violation]:
        rules = plan.rules_for(doc.path)
        ran = plan.rule_names if rules is plan.rules else frozenset(rule.name for rule in rules)
        return suppressions.apply(doc, lint(doc, rules, gate), ran, plan.known_rules, plan.unused_suppression_for(doc.path))

    return find


def check_file(
    path: str, plan: Plan, max_bytes: int | None = None, gate: Gate | None = None
) -> tuple[list[Violation], FileError | None]:
    doc, _, error = read_document(path, max_bytes)
    if doc is None:
        return [], error
    return find_problems(plan, gate)(doc), None


def fix_file(
    path: str, plan: Plan, mode: FixMode, gate: Gate | None = None
) -> tuple[list[Violation], FileFix | None, FileError | None]:
    """The file's remaining problems, what fixing it did, and a write error if there was one.

    The file is written only when its bytes change, and only if it is still the file that was
    read (see atomic_write); if it is not written it is left as it was and its problems are
    reported as found.
    """
    # Imported here: a run without --fix or --diff is spared difflib, tempfile and shutil.
    from newslint.atomic_write import FileChanged, HardLinked, write_atomic
    from newslint.fix import fix_document, unified_diff

    doc, info, error = read_document(path)
    if doc is None:
        return [], None, error
    find = find_problems(plan, gate)
    outcome = fix_document(doc, find, unsafe=mode.unsafe)
    if not outcome.fixed:
        return outcome.remaining, None, None
    if not mode.write:
        diff = unified_diff(path, doc.text, outcome.document.text)
        return outcome.remaining, FileFix(path, outcome.fixed, diff), None
    try:
        # A VettedPath is written where it was read; write_atomic resolves a plain path's links.
        write_atomic(path.real if isinstance(path, VettedPath) else path, outcome.data, read_as=info)
    except FileChanged:
        return find(doc), None, FileError(path, "changed while being fixed, left unchanged")
    except HardLinked as exc:
        message = f"has {exc.links} hard links: fixing would split them; left unchanged (--diff shows the fixes)"
        return find(doc), None, FileError(path, message)
    except OSError as exc:
        return find(doc), None, FileError(path, f"cannot write the fixes, left unchanged: {exc.strerror or exc}")
    return outcome.remaining, FileFix(path, outcome.fixed), None


def check_files(
    paths: list[str], plan: Plan, fix: FixMode | None = None, jobs: int = 1, cache: "ResultCache | None" = None
) -> RunResult:
    """Check `paths` (with `fix`, fix them) in up to `jobs` processes; the results are in the
    order given whatever `jobs` is. Checking skips the files `cache` answers for."""
    gate = engine.gate_for(plan.rules)
    gate.expect(len(paths))
    if fix is not None:
        # --fix and --diff never use the cache: a cached result says what is wrong with a file,
        # not what fixing it would write.
        outcomes = map_in_order(partial(fix_file, plan=plan, mode=fix, gate=gate), paths, jobs)
    else:
        outcomes = ((violations, None, error) for violations, error in _check_all(paths, plan, jobs, cache, gate))
    result = RunResult()
    for path, (violations, file_fix, error) in zip(paths, outcomes):
        if error is not None:
            result.errors.append(error)
            if not violations:  # unreadable; a file whose fixes could not be written was checked
                continue
        result.checked.append(path)
        result.violations.extend(violations)
        if file_fix is not None:
            result.fixes.append(file_fix)
    return result


def _check_all(
    paths: list[str], plan: Plan, jobs: int, cache: "ResultCache | None", gate: Gate
) -> list[tuple[list[Violation], FileError | None]]:
    """check_file for each path, in order: from `cache` where it holds the file's bytes, else
    in up to `jobs` processes. Files that could not be checked are never cached (the reason may
    be passing: a permission, a file being written)."""
    outcomes: list[tuple[list[Violation], FileError | None]] = [([], None)] * len(paths)
    unchecked: list[int] = []  # indices of the files the cache did not answer for
    identities: dict[int, tuple[str, tuple[int, int]]] = {}  # index -> (content hash, stat) when cacheable

    max_bytes = max_file_bytes()

    def to_check():
        for index, path in enumerate(paths):
            if cache is not None:
                identity = _identity(path, max_bytes)
                if identity is not None:
                    cached = cache.lookup(path, identity[0])
                    if cached is not None:
                        outcomes[index] = (cached, None)
                        continue
                    identities[index] = identity
            unchecked.append(index)
            yield path

    for position, outcome in enumerate(map_in_order(partial(check_file, plan=plan, gate=gate), to_check(), jobs)):
        index = unchecked[position]
        outcomes[index] = outcome
        identity = identities.get(index)
        if identity is not None and outcome[1] is None and _stat_key(paths[index]) == identity[1]:
            cache.store(paths[index], identity[0], outcome[0])
    return outcomes


def _identity(path: str, max_bytes: int) -> tuple[str, tuple[int, int]] | None:
    """The hash of a file's bytes and its (size, mtime) before they were read; None if it cannot
    be read (check_file then says why)."""
    from newslint.cache import content_hash

    try:
        data, info = read_regular_file(path, max_bytes)
    except (OSError, SkippedFile):
        return None
    return content_hash(data), (info.st_size, info.st_mtime_ns)


def _stat_key(path: str) -> tuple[int, int] | None:
    """(size, mtime) now: a result is cached only if the file did not change while it was
    checked, since check_file reads it again after it was hashed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns
