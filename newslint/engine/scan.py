"""A document's scan text as the fast engine's programs read it: UTF-8, encoded once a document.

Given a str, the RE2 binding encodes it on every call and maps every offset back; the gate and
each rule that runs search the same text, so it is encoded once, kept beside the document for as
long as the document lives, and offsets in it are mapped to lines and columns here.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property
from itertools import accumulate, repeat
from operator import add
from weakref import WeakKeyDictionary

from newslint.document import Document
from newslint.engine.repertoire import is_common

_ENCODED: WeakKeyDictionary[Document, EncodedScan] = WeakKeyDictionary()


class EncodedScan:
    """A document's scan_text in UTF-8 (`data`), and what the engine asks of it. It holds no
    reference to its document, so the document's end ends it too."""

    def __init__(self, text: str):
        self.text = text
        self.data = text.encode("utf-8")
        self.ascii = len(self.data) == len(text)  # bytes are characters

    @cached_property
    def common(self) -> bool:
        """Whether the text is made of COMMON_RANGES characters only (repertoire.py)."""
        return is_common(self.text)

    def locate(self, byte_offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset in `data` (columns count characters), as
        Document.locate gives for the same place in scan_text."""
        starts = self._line_starts
        index = bisect_right(starts, byte_offset) - 1
        if self.ascii:
            return index + 1, byte_offset - starts[index] + 1
        return index + 1, len(self.data[starts[index] : byte_offset].decode("utf-8")) + 1

    def length(self, start: int, end: int) -> int:
        """The characters in data[start:end]."""
        return end - start if self.ascii else len(self.data[start:end].decode("utf-8"))

    @cached_property
    def _line_starts(self) -> list[int]:
        """Where each line starts in `data`."""
        starts = [0]
        starts.extend(accumulate(map(add, map(len, self.data.split(b"\n")[:-1]), repeat(1))))
        return starts


def encoded(document: Document) -> EncodedScan:
    """The document's scan text encoded, made on first use."""
    scan = _ENCODED.get(document)
    if scan is None:
        scan = _ENCODED[document] = EncodedScan(document.scan_text)
    return scan
