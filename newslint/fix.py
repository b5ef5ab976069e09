"""Apply the fixes rules declare: a Document in, the fixed text out. No I/O.

A Fix deletes text[start:end] of the decoded document. Fixes come in two shapes: a span inside
one line (a junk phrase cut out of a mixed line) and whole lines with their endings (a footer, a
caption, the later copy of a duplicated block). Applying them:

1. The ranges are merged, so overlapping and nested fixes (a footer line inside a duplicated
   block that is deleted anyway) delete their union, whatever order the rules reported them in.
2. Lines are rebuilt one by one. A non-blank line whose text is all deleted (bar spaces) goes
   entirely, ending included; a blank line goes when a deletion touches it (it sat inside a
   deleted block). Any other line keeps its ending: a fix never joins two lines (the one
   ending ever changed is that of a blank line "\n" that a deletion brings right after a line
   ending in a lone CR, which would otherwise read as one CRLF).
3. Deleting a paragraph between blank lines would leave the blank lines on both of its sides
   next to each other, so where lines went, the blank lines around them are collapsed to one
   of the separators that were there: the first non-empty one in the middle of the text, the
   original leading blank lines at its start, the original trailing ones at its end.
4. The text keeps its final-newline convention: if it had no final newline, the new last line
   loses its ending too (the seed article, which ends without one, fixed is its lines 2-14 with
   no newline after line 14).

fix_passes repeats lint-then-apply until no applicable fix is left (a fix can change what
the rules see: a deleted line changes which paragraphs are the last N), so fixing a fixed text
changes nothing and a check after --fix reports no problem --fix could fix. Unsafe fixes
(--unsafe-fixes) only run once no safe fix is left, on the text the safe fixes produced.

With `lines` (--diff-base: the lines a change added or modified), only the problems touching
those lines are fixed, pass after pass: each pass tells where each line of the text it leaves
came from, so the lines follow the text as fixes delete others.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from newslint import document as documents
from newslint.document import Document, Line
from newslint.lineranges import LineRanges, renumbered, touches
from newslint.violations import Fix, Violation

# How the caller finds the problems of a document: lint with its rules, and whatever filters
# (suppressions, per-file ignores) it applies, so a fix never touches what a check would not report.
FindProblems = Callable[[Document], list[Violation]]

# Lint-and-fix passes before giving up on reaching a fixpoint. One pass fixes every built-in
# rule's safe problems, one more the unsafe ones with --unsafe-fixes; another runs only when a
# fix changed what a rule sees. Problems left after the last pass are reported as remaining,
# never silently dropped.
MAX_PASSES = 5

# Lines with their endings, split where Document splits them (str.splitlines also splits at
# form feeds, U+2028 and others, which would make the diff disagree with reported lines).
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclass(frozen=True)
class FixOutcome:
    document: Document  # the fixed document (the input itself when nothing applied)
    fixed: int  # problems whose fixes were applied, over all passes
    remaining: list[Violation]  # the problems of the fixed document
    lines: LineRanges | None = None  # fix_document's `lines`, in the fixed document's numbering

    @property
    def data(self) -> bytes:
        """The fixed document's bytes, BOM included: what the file is written as."""
        return documents.encode(self.document.text, self.document.bom)


@dataclass(frozen=True)
class FixPass:
    """One round of fixing: the text it linted, what the rules found there, what it applied."""

    document: Document
    violations: list[Violation]
    applied: list[Fix]  # empty on the last pass, whose violations are the ones that remain
    lines: LineRanges | None = None  # the lines whose problems may be fixed (None: all), of `document`


def fix_passes(
    document: Document, find: FindProblems, unsafe: bool = False, lines: LineRanges | None = None
) -> Iterator[FixPass]:
    """Find problems, apply every applicable fix, find them again in the result; until nothing
    applies. With `lines`, only the problems touching those lines of `document` are fixed."""
    for number in range(MAX_PASSES + 1):
        violations = find(document)
        chosen = [] if number == MAX_PASSES else _fixes_to_apply(violations, unsafe, lines)
        text, origins = _apply(document, chosen)
        if text == document.text:  # nothing applied (or fixes that delete nothing): done
            yield FixPass(document, violations, [], lines)
            return
        yield FixPass(document, violations, chosen, lines)
        # Re-read the bytes the file would be written as, so the next pass (and the returned
        # document) is exactly what a later run reads from disk.
        document = documents.from_bytes(documents.encode(text, document.bom), document.path)
        if lines is not None:
            lines = renumbered(lines, origins)


def fix_document(
    document: Document, find: FindProblems, unsafe: bool = False, lines: LineRanges | None = None
) -> FixOutcome:
    passes = list(fix_passes(document, find, unsafe, lines))
    fixed = sum(len(p.applied) for p in passes)
    return FixOutcome(passes[-1].document, fixed, passes[-1].violations, passes[-1].lines)


def _fixes_to_apply(violations: list[Violation], unsafe: bool, lines: LineRanges | None) -> list[Fix]:
    if lines is not None:
        violations = [v for v in violations if touches(lines, v.line, v.end_line)]
    # Safe fixes first: an unsafe one (a near copy) is judged again on the text the safe ones
    # leave, where junk no longer glues onto story paragraphs.
    chosen = [v.fix for v in violations if v.fix is not None and v.fix.safe]
    if not chosen and unsafe:
        chosen = [v.fix for v in violations if v.fix is not None]
    return chosen


def apply_fixes(document: Document, fixes: Iterable[Fix]) -> str:
    """document.text with the fixes' ranges deleted and the blank lines around them collapsed."""
    return _apply(document, fixes)[0]


def _apply(document: Document, fixes: Iterable[Fix]) -> tuple[str, list[int]]:
    """apply_fixes's text, and for each of its lines the number of the line of `document` it
    came from (a fix never joins or splits lines, so each line left is one line cut or kept)."""
    ranges = _merge((fix.start, fix.end) for fix in fixes)
    if not ranges:
        return document.text, list(range(1, len(document.lines) + 1))
    kept: list[_KeptLine | None] = []  # None where one or more lines went
    cursor = 0  # first range that may still touch the current line (both are sorted)
    for line in document.lines:
        line_end = line.offset + len(line.text) + len(line.ending)
        while cursor < len(ranges) and ranges[cursor][1] <= line.offset:
            cursor += 1
        past = cursor
        while past < len(ranges) and ranges[past][0] < line_end:
            past += 1
        touching = ranges[cursor:past]
        if not touching:
            kept.append(_KeptLine(line.text, line.ending, line.number))
            continue
        body = _cut(line, touching)
        if line.is_blank or not body.strip():
            if not kept or kept[-1] is not None:
                kept.append(None)
        else:
            kept.append(_KeptLine(body, line.ending, line.number))
    kept_lines = _collapse_blank_runs(kept)
    for k in range(1, len(kept_lines)):
        # A blank line "\n" brought next to a line ending in a lone CR would read as one CRLF
        # ending, merging the two lines; it takes a CR ending instead and stays a line.
        if kept_lines[k - 1].ending == "\r" and kept_lines[k].text == "" and kept_lines[k].ending == "\n":
            kept_lines[k] = _KeptLine("", "\r", kept_lines[k].origin)
    if kept_lines and not document.lines[-1].ending and kept_lines[-1].ending:
        kept_lines[-1] = _KeptLine(kept_lines[-1].text, "", kept_lines[-1].origin)
    return "".join(line.text + line.ending for line in kept_lines), [line.origin for line in kept_lines]


@dataclass(frozen=True)
class _KeptLine:
    text: str
    ending: str
    origin: int  # the number of the line it was

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges covering the same offsets; empty ranges dropped."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _cut(line: Line, ranges: list[tuple[int, int]]) -> str:
    """The line's text (not its ending) without the parts the ranges cover."""
    pieces, position = [], line.offset
    text_end = line.offset + len(line.text)
    for start, end in ranges:
        if start > position:
            pieces.append(line.text[position - line.offset : min(start, text_end) - line.offset])
        position = max(position, end)
    if position < text_end:
        pieces.append(line.text[position - line.offset :])
    return "".join(pieces)


def _collapse_blank_runs(kept: list[_KeptLine | None]) -> list[_KeptLine]:
    """Drop the removal markers, keeping one separator per run of blank lines they split.

    A stretch of blank lines and markers reads S0 x S1 x ... Sk (x: where lines went, Si: the
    blank lines that were between them). Of it only one Si stays: S0 at the start of the text,
    Sk at its end (the leading and trailing blank lines the text had), else the first non-empty
    one (the separator that stood right after the paragraph before the deletion). A text left
    with no non-blank line is left empty.
    """

    def between_paragraphs(entry: _KeptLine | None) -> bool:
        return entry is None or entry.is_blank

    result: list[_KeptLine] = []
    start = 0
    while start < len(kept):
        entry = kept[start]
        if entry is not None and not entry.is_blank:
            result.append(entry)
            start += 1
            continue
        end = start
        while end < len(kept) and between_paragraphs(kept[end]):
            end += 1
        segments: list[list[_KeptLine]] = [[]]
        for entry in kept[start:end]:
            if entry is None:
                segments.append([])
            else:
                segments[-1].append(entry)
        at_start, at_end = start == 0, end == len(kept)
        if len(segments) == 1:
            result.extend(segments[0])  # blank lines no deletion touched
        elif at_start and at_end:
            pass  # every non-blank line went: nothing is left to separate
        elif at_start:
            result.extend(segments[0])
        elif at_end:
            result.extend(segments[-1])
        else:
            result.extend(next((segment for segment in segments if segment), []))
        start = end
    return result


def lines_with_endings(text: str) -> list[str]:
    """The lines of `text`, each with its ending, split where Document splits them (and where
    LSP does: LF, CRLF, a lone CR)."""
    return _LINES.findall(text)


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff from `before` to `after` of the file `path` (apply with `patch -p0`).

    The lines are the article's own, exact, as a patch must be; each starts with " ", "+" or
    "-", so none can start a CI command. The file name is quoted where needed (diff_path)."""
    name = diff_path(path)
    diff = difflib.unified_diff(lines_with_endings(before), lines_with_endings(after), name, name)
    out = []
    for line in diff:
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


# A file name a diff header may hold as it is: no whitespace (GNU patch ends an unquoted name
# there), control character, quote, backslash, "#" or undecodable byte.
_PLAIN_NAME = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\"\\\\#]*\Z")
# What stays as it is inside the quotes: all but those characters, the space included.
_QUOTED_AS_IS = re.compile(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\"\\\\#]\Z")
_C_ESCAPES = {
    0x07: "\\a",
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0B: "\\v",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}


def diff_path(path: str) -> str:
    """`path` as a diff header names it: as it is, or, if it holds a control character, a
    quote, a backslash, a "#", whitespace or bytes that are not UTF-8, in double quotes with C escapes
    (\\n, \\ooo for each other byte), as git writes such names and GNU patch reads them. A name
    must never end a header line early or put a CI command ("::error::", "##[") in the log."""
    if _PLAIN_NAME.match(path):
        return path
    out = []
    for char in path:
        if _QUOTED_AS_IS.match(char):
            out.append(char)
            continue
        for byte in os.fsencode(char):
            out.append(_C_ESCAPES.get(byte) or f"\\{byte:03o}")
    return '"' + "".join(out) + '"'
