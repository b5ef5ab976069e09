"""Turn an article's bytes into a Document: its lines and paragraphs, each with its exact span.

Every position newslint reports comes from here: a line's number and the offset of its first
character in the decoded text. Checks never search for text again to find where it was.

Columns are 1-based and count characters (code points), as most editors and ruff do; a UTF-8 BOM
is not counted. Line endings (LF, CRLF, lone CR) are kept per line so a fix can write them back.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from itertools import accumulate, repeat
from operator import add
from typing import NamedTuple

BOM = "\ufeff"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-32 LE starts with the UTF-16 LE one

# Markdown structure that starts a paragraph of its own even without a blank line before it.
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|>)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_LINE_SPLIT = re.compile(r"(\r\n|\r|\n)")
# newslint's own comment (`<!-- newslint: disable-next-line site-footer -->`) alone on a line:
# not content, so never checked; suppressions.py reads what it says.
DIRECTIVE_LINE = re.compile(r"^\s*<!--\s*newslint\s*:(.*?)-->\s*$")

# A block of lines is read as one hard-wrapped paragraph only when its lines look wrapped: every
# line but the last is of a width an editor or a wrapping tool would produce,
# and most of them stop mid-sentence, where the wrapping tool ran out of room. Scraped
# articles with one paragraph per line and no blank lines (the seed, the XSum files) have lines
# far longer, or lines that each end a sentence.
WRAP_MIN_WIDTH = 40
WRAP_MAX_WIDTH = 100
_SENTENCE_END = (".", "!", "?", '"', "\u201d", "'", "\u2019", ":", ")")


class DecodeError(ValueError):
    """The bytes are not text newslint can read: `offset` is the first bad byte."""

    def __init__(self, message: str, offset: int | None = None, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.offset = offset
        self.line = line
        self.column = column


class Line(NamedTuple):
    number: int  # 1-based
    offset: int  # of its first character in Document.text
    text: str  # without its line ending
    ending: str  # "\n", "\r\n", "\r" or "" (last line without a final newline)
    checked: bool  # False inside front matter and fenced code blocks

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


class Paragraph(NamedTuple):
    # 0-based among the document's paragraphs. (The field hides tuple.index, which nothing
    # calls on a Paragraph: the name says what it is.)
    index: int  # type: ignore[assignment]
    first_line: int  # 1-based, inclusive
    last_line: int  # 1-based, inclusive
    text: str  # its lines joined by single spaces, stripped


class Document:
    """An article's text, its lines and its paragraphs, and what checks ask of them."""

    def __init__(
        self,
        path: str,
        text: str,  # decoded, without a BOM
        lines: list[Line],
        paragraphs: list[Paragraph] | None = None,
        directive_lines: tuple[int, ...] = (),  # newslint comment lines outside front matter and code
        bom: bool = False,
    ):
        self.path = path
        self.text = text
        self.lines = lines
        self.paragraphs = [] if paragraphs is None else paragraphs
        self.directive_lines = directive_lines
        self.bom = bom

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, {len(self.lines)} lines, {len(self.paragraphs)} paragraphs)"

    def line(self, number: int) -> Line:
        return self.lines[number - 1]

    def paragraph_of_line(self, number: int) -> Paragraph | None:
        return self._paragraph_by_line.get(number)

    @cached_property
    def _paragraph_by_line(self) -> dict[int, Paragraph]:
        return {n: p for p in self.paragraphs for n in range(p.first_line, p.last_line + 1)}

    def offset(self, line: int, column: int) -> int:
        """Offset in `text` of a 1-based (line, column) position."""
        return self.lines[line - 1].offset + column - 1

    def line_range(self, first: int, last: int) -> tuple[int, int]:
        """Offsets in `text` covering lines first..last (1-based, inclusive) with their endings."""
        end_line = self.lines[last - 1]
        return self.lines[first - 1].offset, end_line.offset + len(end_line.text) + len(end_line.ending)

    @cached_property
    def scan_text(self) -> str:
        """The checked lines joined by "\n", for one-pass regex scans.

        Unchecked lines (front matter, code) are blanked to spaces of the same length, so an
        offset in scan_text maps to a line and column with `locate`, whatever the line endings.
        """
        return "\n".join(ln.text if ln.checked else " " * len(ln.text) for ln in self.lines)

    @cached_property
    def _scan_starts(self) -> list[int]:
        """Where each line starts in scan_text."""
        starts, position = [], 0
        for ln in self.lines:
            starts.append(position)
            position += len(ln.text) + 1
        return starts

    def locate(self, scan_offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset in scan_text."""
        starts = self._scan_starts
        index = bisect_right(starts, scan_offset) - 1
        return index + 1, scan_offset - starts[index] + 1


def decode(data: bytes) -> tuple[str, bool]:
    """Decode UTF-8 (with or without a BOM). Raise DecodeError naming the first bad byte.

    Text that is not UTF-8 is refused rather than decoded with replacement characters: its
    positions and any fix written back would not match the bytes on disk.
    """
    if data.startswith(_UTF16_BOMS):
        raise DecodeError("UTF-16 or UTF-32 text (newslint reads UTF-8 only)", offset=0)
    bom = data.startswith(b"\xef\xbb\xbf")
    start = 3 if bom else 0
    nul = data.find(b"\x00", start)
    if nul != -1:
        raise DecodeError(f"binary file (NUL byte at byte offset {nul})", offset=nul)
    try:
        return data[start:].decode("utf-8"), bom
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        before = data[start:offset]
        # Lines end at LF, CRLF or a lone CR, as in the Document; columns count characters.
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
        column = len(before[line_start:].decode("utf-8")) + 1
        raise DecodeError(
            f"not valid UTF-8: byte 0x{data[offset]:02x} at line {line}, column {column} (byte offset {offset})",
            offset=offset,
            line=line,
            column=column,
        ) from None


def encode(text: str, bom: bool) -> bytes:
    """The inverse of decode: what a Document's text is written back as."""
    return (BOM + text if bom else text).encode("utf-8")


def from_bytes(data: bytes, path: str = "<bytes>") -> Document:
    text, bom = decode(data)
    # decode already set the BOM aside; a U+FEFF left at the start is text (a second BOM, or a
    # line that starts with one once a fix deleted the lines above it) and must be kept.
    return _build(text, path, bom)


def from_text(text: str, path: str = "<text>", bom: bool = False) -> Document:
    if text.startswith(BOM):
        text, bom = text[1:], True
    return _build(text, path, bom)


def _build(text: str, path: str, bom: bool) -> Document:
    lines, directives = _split_lines(text)
    return Document(
        path=path, text=text, lines=lines, paragraphs=_paragraphs(lines), directive_lines=directives, bom=bom
    )


def _split_lines(text: str) -> tuple[list[Line], tuple[int, ...]]:
    if "\r" in text:
        parts = _LINE_SPLIT.split(text)  # text, ending, text, ending, ..., text
        bodies, endings = parts[0::2], parts[1::2] + [""]
    else:  # LF only, as most files are: str.split is much faster than the regex
        bodies = text.split("\n")
        endings = ["\n"] * (len(bodies) - 1) + [""]
    if not bodies[-1]:  # the text ended with a line ending (or is empty): no line after it
        bodies.pop()
        endings.pop()
    offsets = [0]
    offsets.extend(accumulate(map(add, map(len, bodies), map(len, endings))))
    checked = _checked_flags(bodies) if _may_have_unchecked_lines(text, bodies) else [True] * len(bodies)
    directives: tuple[int, ...] = ()
    if "<!--" in text:  # no directive without a comment (most articles have none)
        directives = tuple(n + 1 for n, body in enumerate(bodies) if checked[n] and DIRECTIVE_LINE.match(body))
        for number in directives:
            checked[number - 1] = False
    # tuple.__new__ over zipped fields is what Line._make does, without a Python call per line.
    # (offsets has one more item than the others: where the text ends.)
    fields = zip(range(1, len(bodies) + 1), offsets, bodies, endings, checked, strict=False)
    return list(map(tuple.__new__, repeat(Line), fields)), directives


def _may_have_unchecked_lines(text: str, texts: list[str]) -> bool:
    """False when `text` (split into `texts`) has neither a fence nor front matter (most articles)."""
    return "```" in text or "~~~" in text or (bool(texts) and texts[0].strip() in ("---", "+++"))


def _checked_flags(texts: list[str]) -> list[bool]:
    """False for lines of Markdown front matter and fenced code blocks (fences included)."""
    flags = [True] * len(texts)
    start = 0
    if texts and texts[0].strip() in ("---", "+++"):
        fence = texts[0].strip()
        for i in range(1, len(texts)):
            if texts[i].strip() in (fence, "...") if fence == "---" else texts[i].strip() == fence:
                for j in range(i + 1):
                    flags[j] = False
                start = i + 1
                break
    fence_marker = None
    for i in range(start, len(texts)):
        if fence_marker is None:
            m = _FENCE.match(texts[i])
            if m:
                fence_marker = m.group(1)
                flags[i] = False
        else:
            flags[i] = False
            stripped = texts[i].strip()
            if stripped.startswith(fence_marker[0] * len(fence_marker)) and not stripped.strip(fence_marker[0]):
                fence_marker = None
    return flags


def _paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Group checked lines into paragraphs.

    Blank lines and unchecked lines separate blocks. A block whose lines look hard-wrapped
    (every line but the last of a wrapping width, most of them stopping mid-sentence) is one
    paragraph, broken again wherever a Markdown heading, list item or quote starts; any other
    block is one paragraph per line, as scraped articles are.
    """
    paragraphs: list[Paragraph] = []
    block: list[Line] = []

    def flush() -> None:
        if len(block) == 1:  # a line alone (most paragraphs of scraped articles)
            line = block.pop()
            paragraphs.append(Paragraph(len(paragraphs), line.number, line.number, line.text.strip()))
            return
        inner = [line.text.rstrip() for line in block[:-1]]
        wrapped = (
            bool(inner)
            and all(WRAP_MIN_WIDTH <= len(text) <= WRAP_MAX_WIDTH for text in inner)
            and 2 * sum(1 for text in inner if not text.endswith(_SENTENCE_END)) >= len(inner)
        )
        if not wrapped:  # one paragraph per line: a line alone, or a scraped article's lines
            for line in block:
                paragraphs.append(Paragraph(len(paragraphs), line.number, line.number, line.text.strip()))
            block.clear()
            return
        groups: list[list[Line]] = []
        for line in block:
            if not groups or _BLOCK_START.match(line.text):
                groups.append([line])
            else:
                groups[-1].append(line)
        for group in groups:
            text = " ".join(line.text.strip() for line in group)
            paragraphs.append(Paragraph(len(paragraphs), group[0].number, group[-1].number, text))
        block.clear()

    for line in lines:
        if line.checked and line.text.strip():  # not line.is_blank, without a property call
            block.append(line)
        elif block:
            flush()
    if block:
        flush()
    return paragraphs
