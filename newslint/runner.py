"""Check files: read each one, build its Document, lint it, and with --fix fix and write it.

The only module that reads articles; it writes them only through atomic_write.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newslint import document as documents
from newslint.atomic_write import write_atomic
from newslint.document import Document
from newslint.fix import FindProblems, fix_document, unified_diff
from newslint.linter import lint
from newslint.rules import Rule
from newslint.violations import Violation


@dataclass(frozen=True)
class FileError:
    """A file that could not be checked, and why (shown as `path: message`)."""

    path: str
    message: str


@dataclass(frozen=True)
class FixMode:
    """How check_files fixes: --fix writes the fixed files, --diff only describes them."""

    write: bool  # False: change nothing, return a diff of each file that would change
    unsafe: bool = False  # also apply the fixes rules mark unsafe (--unsafe-fixes)


@dataclass(frozen=True)
class FileFix:
    """What fixing one file did (or, with --diff, would do)."""

    path: str
    fixed: int  # problems fixed
    diff: str = ""  # the unified diff, in --diff mode only


@dataclass
class RunResult:
    violations: list[Violation] = field(default_factory=list)  # after fixing, those that remain
    files_checked: int = 0
    errors: list[FileError] = field(default_factory=list)
    fixes: list[FileFix] = field(default_factory=list)  # files changed (or that --diff would change)


def read_document(path: str) -> tuple[Document | None, FileError | None]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return None, FileError(path, f"cannot read: {exc.strerror or exc}")
    try:
        return documents.from_bytes(data, path), None
    except documents.DecodeError as exc:
        return None, FileError(path, f"skipped: {exc}")


def find_problems(rules: list[Rule]) -> FindProblems:
    """What a check reports for a document; --fix fixes exactly these."""
    return lambda doc: lint(doc, rules)


def check_file(path: str, rules: list[Rule]) -> tuple[list[Violation], FileError | None]:
    doc, error = read_document(path)
    if doc is None:
        return [], error
    return find_problems(rules)(doc), None


def fix_file(path: str, rules: list[Rule], mode: FixMode) -> tuple[list[Violation], FileFix | None, FileError | None]:
    """The file's remaining problems, what fixing it did, and a write error if there was one.

    The file is written only when its bytes change; if the write fails it is left as it was and
    its problems are reported as found.
    """
    doc, error = read_document(path)
    if doc is None:
        return [], None, error
    find = find_problems(rules)
    outcome = fix_document(doc, find, unsafe=mode.unsafe)
    if not outcome.fixed:
        return outcome.remaining, None, None
    if not mode.write:
        diff = unified_diff(path, doc.text, outcome.document.text)
        return outcome.remaining, FileFix(path, outcome.fixed, diff), None
    try:
        write_atomic(path, outcome.data)
    except OSError as exc:
        return find(doc), None, FileError(path, f"cannot write the fixes, left unchanged: {exc.strerror or exc}")
    return outcome.remaining, FileFix(path, outcome.fixed), None


def check_files(paths: list[str], rules: list[Rule], fix: FixMode | None = None) -> RunResult:
    result = RunResult()
    for path in paths:
        if fix is None:
            violations, error = check_file(path, rules)
            file_fix = None
        else:
            violations, file_fix, error = fix_file(path, rules, fix)
        if error is not None:
            result.errors.append(error)
            if not violations:  # unreadable; a file whose fixes could not be written was checked
                continue
        result.files_checked += 1
        result.violations.extend(violations)
        if file_fix is not None:
            result.fixes.append(file_fix)
    return result
