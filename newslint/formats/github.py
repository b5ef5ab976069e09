"""--format github: GitHub Actions annotations (workflow commands), written as each file's result
comes (GITHUB streams)."""

from __future__ import annotations

from pathlib import PurePath

from newslint.formats.escaping import printable
from newslint.formats.report import Report, StreamingFormat, record_note
from newslint.violations import Violation

# GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _github_data(text: str) -> str:
    # Line breaks are encoded as GitHub decodes them; any other control character (ESC, BEL)
    # must not reach the log raw either.
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(v: Violation, color: bool = False) -> str:
    """`::error file=...,line=...::message`: the annotation of one violation.

    GitHub takes columns only for a one-line range, and its endColumn is the last column (ours
    is one past it). Paths are written as GitHub matches them to the repository: "./a.md" as
    "a.md", with "/" separators. A problem in a dataset's record points at the dataset file, at
    the record's line (1 where lines mean nothing), and its message names the record and the
    line and column in the record's text.
    """
    props = [f"file={_github_property(PurePath(v.path).as_posix())}"]
    if v.record is not None:
        message = f"{v.message}{record_note(v)} at {v.line}:{v.column} of its text"
        props += [f"line={v.record.line}", f"title={_github_property(f'newslint ({v.rule})')}"]
        return f"::{GITHUB_LEVELS[v.severity]} {','.join(props)}::{_github_data(message)}\n"
    props.append(f"line={v.line}")
    if v.end_line == v.line:
        props += [f"col={v.column}", f"endColumn={max(v.column, v.end_column - 1)}"]
    else:
        props.append(f"endLine={v.end_line}")
    props.append(f"title={_github_property(f'newslint ({v.rule})')}")
    return f"::{GITHUB_LEVELS[v.severity]} {','.join(props)}::{_github_data(v.message)}\n"


# One annotation per violation, no summary: it streams.
GITHUB = StreamingFormat(github_annotation)


def format_github(report: Report) -> str:
    return GITHUB.whole(report)
