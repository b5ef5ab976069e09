"""Shared machinery of the line-matching kinds (`phrase`, `pattern`).

Both compile to RE2 regular expressions that run once over the whole document (lines joined
by "\\n", with RE2's never_nl so no match crosses a line), then keep the matches that satisfy
the rule's constraints: where in the article (first / last N paragraphs) and how long the line
may be. RE2 runs in linear time, so no rule can hang a run by backtracking.
"""

from __future__ import annotations

from typing import Any, Iterable

import re2

from newslint.checks.base import Check
from newslint.checks.options import Option
from newslint.document import Document
from newslint.violations import Finding, Span

POSITION_FIELDS = {
    "first": Option("int", "Only lines in the first N paragraphs.", default=None, minimum=1),
    "last": Option("int", "Only lines in the last N paragraphs.", default=None, minimum=1),
}

SCOPE_OPTIONS = {
    "position": Option(
        "mapping",
        "Where in the article: {first: N} and/or {last: N} paragraphs (either matches).",
        default=None,
        fields=POSITION_FIELDS,
    ),
    "max_length": Option("int", "Only lines at most this many characters long (stripped).", default=None, minimum=1),
    "min_length": Option("int", "Only lines at least this many characters long (stripped).", default=None, minimum=1),
    "ignore_case": Option("bool", "Match regardless of case.", default=True),
    "unless": Option(
        "str-list", "RE2 patterns: a line matching any of them is never flagged by this rule.", default=None,
        check=lambda patterns: regex_problem(patterns),
    ),
}

# RE2 needs room for big phrase alternations; 64 MB is far beyond any sane rule.
_MAX_MEM = 64 << 20


def compile_re2(pattern: str, ignore_case: bool) -> Any:
    """Compile with never_nl (no match crosses a line); raise ValueError with RE2's reason."""
    options = re2.Options()
    options.log_errors = False
    options.never_nl = True
    options.case_sensitive = not ignore_case
    options.max_mem = _MAX_MEM
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(f"invalid regular expression: {reason}") from None


def regex_problem(patterns: list[str]) -> str | None:
    for pattern in patterns:
        try:
            compile_re2(pattern, ignore_case=False)
        except ValueError as exc:
            return f"{exc} in {pattern!r}"
    return None


def alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


class LineMatchCheck(Check):
    """Base of kinds that flag regex matches on lines. Subclasses set `self.regex`."""

    regex: Any

    def __init__(self, options):
        super().__init__(options)
        unless = options["unless"]
        self.unless = compile_re2(alternation(unless), options["ignore_case"]) if unless else None

    def run(self, document: Document) -> Iterable[Finding]:
        text = document.scan_text
        position = self.options["position"]
        max_length = self.options["max_length"]
        min_length = self.options["min_length"]
        for match in self.regex.finditer(text):
            start, end = match.span()
            if start == end:
                continue  # an empty match flags nothing
            line_number, column = document.locate(start)
            line = document.lines[line_number - 1]
            if not line.checked:
                continue
            stripped = line.text.strip()
            if max_length is not None and len(stripped) > max_length:
                continue
            if min_length is not None and len(stripped) < min_length:
                continue
            if position and not _in_position(document, line_number, position):
                continue
            if self.unless is not None and self.unless.search(line.text):
                continue
            end_column = column + (end - start)
            yield Finding(
                span=Span(line_number, column, line_number, end_column),
                text=match.group(0),
                fix_range=_fix_range(document, line_number, column, end_column),
            )


def _in_position(document: Document, line_number: int, position: dict) -> bool:
    paragraph = document.paragraph_of_line(line_number)
    if paragraph is None:
        return False
    first, last = position.get("first"), position.get("last")
    if first is not None and paragraph.index < first:
        return True
    if last is not None and paragraph.index >= len(document.paragraphs) - last:
        return True
    return False


def _fix_range(document: Document, line_number: int, column: int, end_column: int) -> tuple[int, int]:
    """Delete the whole line when the match is all of it (bar spaces); else only the match.

    When only part of a line goes, the spaces on one side of it go too, so "a JUNK b" becomes
    "a b" rather than "a  b".
    """
    line = document.lines[line_number - 1]
    before, after = line.text[: column - 1], line.text[end_column - 1 :]
    if not before.strip() and not after.strip():
        return document.line_range(line_number, line_number)
    start = line.offset + column - 1
    end = line.offset + end_column - 1
    if after[:1].isspace() or not after:
        end += len(after) - len(after.lstrip())
        if not after.strip():
            start -= len(before) - len(before.rstrip())
    elif before[-1:].isspace():
        start -= len(before) - len(before.rstrip())
    return start, end
