"""newslint's problems and fixes in the Language Server Protocol's terms, for server.py:
positions (newslint's 1-based lines and code point columns as LSP's 0-based lines and columns in
the agreed position encoding), diagnostics, whole-line text edits, and file URIs."""

from __future__ import annotations

import os
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp

from newslint.document import Document
from newslint.fix import lines_with_endings
from newslint.violations import Span, Violation

SOURCE = "newslint"
SEVERITIES = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}


def range_key(where: lsp.Range) -> tuple[int, int, int, int]:
    return where.start.line, where.start.character, where.end.line, where.end.character


def overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    """Whether the ranges share a position (an empty range, a cursor, touching counts)."""
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (b.start.line, b.start.character) <= (
        a.end.line,
        a.end.character,
    )


# Positions and edits.


class Positions:
    """LSP positions in a document for newslint's (line, column), in a position encoding."""

    def __init__(self, document: Document, encoding: str):
        self.lines = document.lines
        self.encoding = encoding

    def units(self, text: str) -> int:
        """How many units of the encoding `text` takes."""
        if self.encoding == lsp.PositionEncodingKind.Utf32.value:
            return len(text)
        if self.encoding == lsp.PositionEncodingKind.Utf8.value:
            return len(text.encode("utf-8", "surrogatepass"))
        if text.isascii():
            return len(text)
        return len(text.encode("utf-16-le", "surrogatepass")) // 2

    def position(self, line: int, column: int) -> lsp.Position:
        """The position of newslint's 1-based line and 1-based code point column (at most the
        end of the line's text, which a column one past it denotes)."""
        if not self.lines:
            return lsp.Position(0, 0)
        if line > len(self.lines):
            last = self.lines[-1]
            return lsp.Position(len(self.lines) - 1, self.units(last.text))
        return lsp.Position(line - 1, self.units(self.lines[line - 1].text[: column - 1]))

    def range(self, span: Violation | Span) -> lsp.Range:
        return lsp.Range(self.position(span.line, span.column), self.position(span.end_line, span.end_column))

    def end_of_text(self) -> lsp.Position:
        if not self.lines:
            return lsp.Position(0, 0)
        last = self.lines[-1]
        if last.ending:  # the text ends with a line ending: LSP has an empty line after it
            return lsp.Position(len(self.lines), 0)
        return lsp.Position(len(self.lines) - 1, self.units(last.text))


def text_edit(document: Document, new_text: str, positions: Positions) -> lsp.TextEdit | None:
    """One edit of whole lines turning the document's text into `new_text` (None if equal):
    the lines between those both texts start and end with. Whole lines, so no edit ever starts
    or ends inside a CRLF or a character."""
    old = [line.text + line.ending for line in document.lines]
    new = lines_with_endings(new_text)
    if old == new:
        return None
    first = 0
    while first < min(len(old), len(new)) and old[first] == new[first]:
        first += 1
    common_end = 0
    while common_end < min(len(old), len(new)) - first and old[-1 - common_end] == new[-1 - common_end]:
        common_end += 1
    last = len(old) - common_end  # exclusive
    end = lsp.Position(last, 0) if last < len(old) else positions.end_of_text()
    return lsp.TextEdit(lsp.Range(lsp.Position(first, 0), end), "".join(new[first : len(new) - common_end]))


def describe_deletion(document: Document, violation: Violation) -> str:
    """What a fix deletes, briefly: `delete lines 15-25`, or the start of the text it deletes."""
    assert violation.fix is not None
    deleted = document.text[violation.fix.start : violation.fix.end]
    lines = len(lines_with_endings(deleted))
    if lines > 1:
        return f"delete lines {violation.line}-{violation.line + lines - 1}"
    text = " ".join(deleted.split())
    return f'delete "{text}"' if len(text) <= 40 else f'delete "{text[:37]}..."'


# Diagnostics.


def diagnostics_of(uri: str, document: Document, violations: list[Violation], encoding: str) -> list[lsp.Diagnostic]:
    positions = Positions(document, encoding)
    return [diagnostic_of(uri, violation, positions) for violation in violations]


def diagnostic_of(uri: str, violation: Violation, positions: Positions) -> lsp.Diagnostic:
    related = [
        lsp.DiagnosticRelatedInformation(
            lsp.Location(uri, positions.range(span)),
            f"the first copy (line {span.line})"
            if span.line == span.end_line
            else f"the first copy (lines {span.line}-{span.end_line})",
        )
        for span in violation.related
    ]
    return lsp.Diagnostic(
        range=positions.range(violation),
        message=violation.message,
        severity=SEVERITIES.get(violation.severity, lsp.DiagnosticSeverity.Warning),
        code=violation.rule,
        source=SOURCE,
        related_information=related or None,
    )


def file_path(uri: str) -> str | None:
    """The local path of a file: URI, or None for any other document."""
    parsed = urlparse(uri)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    return os.path.abspath(unquote(parsed.path))
