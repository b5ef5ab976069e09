"""Check files: read each one, build its Document, lint it. The only module that reads articles."""

from __future__ import annotations

from dataclasses import dataclass, field

from newslint import document as documents
from newslint.linter import lint
from newslint.rules import Rule
from newslint.violations import Violation


@dataclass(frozen=True)
class FileError:
    """A file that could not be checked, and why (shown as `path: message`)."""

    path: str
    message: str


@dataclass
class RunResult:
    violations: list[Violation] = field(default_factory=list)
    files_checked: int = 0
    errors: list[FileError] = field(default_factory=list)


def check_file(path: str, rules: list[Rule]) -> tuple[list[Violation], FileError | None]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return [], FileError(path, f"cannot read: {exc.strerror or exc}")
    try:
        doc = documents.from_bytes(data, path)
    except documents.DecodeError as exc:
        return [], FileError(path, f"skipped: {exc}")
    return lint(doc, rules), None


def check_files(paths: list[str], rules: list[Rule]) -> RunResult:
    result = RunResult()
    for path in paths:
        violations, error = check_file(path, rules)
        if error is not None:
            result.errors.append(error)
            continue
        result.files_checked += 1
        result.violations.extend(violations)
    return result
