"""CSV datasets (comma-separated, a header row naming the fields, RFC 4180 quoting, UTF-8),
streamed a record at a time. A record is numbered by the line it starts on (the header is line
1); a quoted field may span lines.

A record whose text a fix changes is written again whole by Python's csv writer (minimal
quoting, its own line ending): its fields keep their values, but a field quoted where it need
not be loses its quotes. Every other record keeps its bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from newslint.datasets.fields import Fields
from newslint.datasets.records import DatasetError, Piece
from newslint.reading import MEGABYTE
from newslint.violations import RecordRef


class CsvDataset:
    """One CSV file's pieces (the header, then each record), and how a record is written back."""

    def __init__(self, source: BinaryIO, fields: Fields, max_record: int):
        self.source = source
        self.fields = fields
        self.max_record = max_record
        self.header: list[str] = []

    def pieces(self) -> Iterator[Piece]:
        # A field may be as long as a record (the module's default is 128 KiB). The limit is
        # the csv module's, process-wide: newslint is its only user.
        csv.field_size_limit(max(self.max_record, csv.field_size_limit()))
        consumed: list[bytes] = []  # the lines the reader took since the last record
        lines_read = 0

        def lines() -> Iterator[str]:
            nonlocal lines_read
            while raw := self.source.readline(self.max_record + 1):
                if len(raw) > self.max_record and not raw.endswith(b"\n"):
                    limit = self.max_record / MEGABYTE
                    raise DatasetError(f"line {lines_read + 1} is longer than the limit of {limit:.3g} MB a record")
                lines_read += 1
                consumed.append(raw)
                # Bytes that are not UTF-8 pass through the reader as surrogates, and back.
                yield raw.decode("utf-8", "surrogateescape")

        reader = csv.reader(lines())
        start = 1  # the line the next record starts on
        while True:
            try:
                row = next(reader)
                error = None
            except StopIteration:
                break
            except csv.Error as exc:
                row, error = [], f"not valid CSV: {exc}"
            raw = b"".join(consumed)
            consumed.clear()
            number, start = start, lines_read + 1
            if error is not None:
                yield Piece(raw, RecordRef(number, line=number), error=error)
            elif not self.header and number == 1:
                self.header = [row[0].removeprefix("\ufeff"), *row[1:]] if row else []
                yield Piece(raw)
            elif not row:  # a blank line
                yield Piece(raw)
            else:
                yield self._record(raw, row, number)
        if not self.header and lines_read:
            raise DatasetError("no header row: a CSV dataset's first line names its fields")

    def _record(self, raw: bytes, row: list[str], number: int) -> Piece:
        ref = RecordRef(number, line=number)
        if len(row) != len(self.header):
            return Piece(raw, ref, error=f"has {len(row)} fields where the header has {len(self.header)}")
        record = dict(zip(self.header, row, strict=True))
        field, text = self.fields.article(record)
        ref = RecordRef(number, self.fields.name_of(record), number, self.fields.site_of(record))
        if text is not None and _undecodable(text):
            return Piece(raw, ref, error=f"field {field!r} is not valid UTF-8")
        return Piece(raw, ref, text, field)

    def rewrite(self, piece: Piece, text: str) -> bytes:
        """The record `piece` with its text field set to `text` (see the module's docstring)."""
        assert piece.field is not None  # only a record with a text is fixed
        row = next(csv.reader(io.StringIO(piece.raw.decode("utf-8", "surrogateescape"), newline="")))
        # The last column of that name: the one dict(zip(header, row)) read.
        index = len(self.header) - 1 - self.header[::-1].index(piece.field)
        row[index] = text
        raw = piece.raw
        ending = "\r\n" if raw.endswith(b"\r\n") else "\n" if raw.endswith(b"\n") else ""
        out = io.StringIO()
        csv.writer(out, lineterminator=ending).writerow(row)
        return out.getvalue().encode("utf-8", "surrogateescape")


def _undecodable(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text) if not text.isascii() else False
