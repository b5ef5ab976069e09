"""JSON datasets: JSON Lines (one record a line, streamed), and .json files (an array of
records, one record, or JSON Lines under a .json name; read whole, within MAX_JSON_BYTES).

A record's text is JSON-decoded. A changed text is written back by splicing: only the bytes of
the text field's value are replaced, by json.dumps(text, ensure_ascii=False), so every other
field, the key order, the spacing and the line ending stay as they were. The splice is kept
only if the record it gives parses back to the original with just that field changed;
otherwise (a record whose text field is given twice, say) the record is re-dumped whole with
json.dumps(ensure_ascii=False), its keys in their order, on the one line it had.
"""

from __future__ import annotations

import io
import json
import json.decoder
import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from newslint.datasets.fields import Fields
from newslint.datasets.records import DatasetError, NotADataset, Piece
from newslint.reading import MEGABYTE
from newslint.violations import RecordRef

# A .json file is parsed whole (the standard library has no streaming JSON parser): a file
# larger than this is refused with a hint to write it as JSON Lines, which are streamed.
MAX_JSON_BYTES = 256 * MEGABYTE

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
# A JSON string's value and end, from just after its opening quote. (typeshed does not declare
# it, though it is json.decoder's public name for what the decoder itself uses.)
scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def jsonl_pieces(source: BinaryIO, fields: Fields, max_record: int) -> Iterator[Piece]:
    """Each line of a JSON Lines file: a record (numbered by its line), or a blank line. A line
    longer than `max_record` bytes is never held whole: it is reported and passed through in
    parts."""
    number = 0
    while raw := source.readline(max_record + 1):
        number += 1
        if len(raw) > max_record and not raw.endswith(b"\n"):
            ref = RecordRef(number, line=number)
            yield Piece(raw, ref, error=f"over the limit of {max_record / MEGABYTE:.3g} MB a record")
            while raw and not raw.endswith(b"\n"):
                raw = source.readline(1 << 20)
                yield Piece(raw)
            continue
        yield _record_piece(raw, number, number, fields)


def json_pieces(source: BinaryIO, fields: Fields, max_record: int) -> Iterator[Piece]:
    """A .json file: an array of records (numbered 1, 2, ... by position, with the line each
    starts on), a single record, or JSON Lines."""
    data = source.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise DatasetError(
            f"too large for a .json dataset (over {MAX_JSON_BYTES // MEGABYTE} MB, which is read whole): "
            "write it as JSON Lines (.jsonl), which are read a record at a time"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"not valid UTF-8 (byte offset {exc.start})") from None
    start = _skip(text, 1 if text.startswith("\ufeff") else 0)
    if text.startswith("{", start):
        try:
            end = _value_end(text, start)
        except DatasetError as exc:  # not JSON (a config with comments): not a dataset
            raise NotADataset(str(exc)) from None
        if _skip(text, end) == len(text):  # one record
            yield _record_piece(data, 1, 1, fields)
            return
        yield from jsonl_pieces(io.BytesIO(data), fields, max_record)  # JSON Lines named .json
        return
    if not text.startswith("[", start):
        raise NotADataset("not a dataset: a .json dataset is an array of records, a record, or JSON Lines")
    yield from _array_pieces(text, start, fields)


def _array_pieces(text: str, start: int, fields: Fields) -> Iterator[Piece]:
    emitted, line, counted = 0, 1, 0  # what was given as pieces; the line at offset `counted`
    pos = _skip(text, start + 1)
    number = 0
    while not text.startswith("]", pos):
        end = _value_end(text, pos)
        yield Piece(text[emitted:pos].encode("utf-8"))  # "[", or "," and the spaces around it
        line += text.count("\n", counted, pos)
        counted = pos
        number += 1
        yield _record_piece(text[pos:end].encode("utf-8"), number, line, fields)
        emitted = end
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif not text.startswith("]", pos):
            raise DatasetError(f"not valid JSON: expected ',' or ']' at {_where(text, pos)}")
    if _skip(text, pos + 1) != len(text):
        raise DatasetError(f"not valid JSON: text after the array at {_where(text, _skip(text, pos + 1))}")
    yield Piece(text[emitted:].encode("utf-8"))


def _value_end(text: str, pos: int) -> int:
    try:
        return int(_DECODER.raw_decode(text, pos)[1])
    except ValueError as exc:
        raise DatasetError(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise DatasetError(f"not valid JSON: nested too deeply at {_where(text, pos)}") from None


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _record_piece(raw: bytes, number: int, line: int, fields: Fields) -> Piece:
    """A record from its bytes (a line, or an element of an array), or why it is malformed."""
    if not raw.strip():
        return Piece(raw)
    ref = RecordRef(number, line=line)
    try:
        record = _parse(raw)
    except ValueError as exc:
        return Piece(raw, ref, error=str(exc))
    try:
        field, text = fields.article(record)
    except ValueError as exc:
        return Piece(raw, ref, error=str(exc))
    ref = RecordRef(number, fields.name_of(record), line, fields.site_of(record))
    return Piece(raw, ref, text, field)


def _parse(raw: bytes) -> dict[str, Any]:
    """A record's bytes as a JSON object; ValueError saying why they are not one."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 (byte {exc.start + 1} of the record)") from None
    try:
        record = json.loads(text.removeprefix("\ufeff").rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at column {exc.colno}" + _of_line(exc)) from None
    except (ValueError, RecursionError) as exc:  # a number too long to convert; nesting too deep
        raise ValueError(f"not valid JSON: {exc or 'nested too deeply'}") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    return record


def _of_line(exc: json.JSONDecodeError) -> str:
    return f" of its line {exc.lineno}" if exc.lineno > 1 else ""


def rewrite_json(raw: bytes, field: str, text: str) -> bytes:
    """The record `raw` with `field` set to `text`: spliced if that is exact, else re-dumped
    (see the module's docstring)."""
    line = raw.decode("utf-8")
    bom = "\ufeff" if line.startswith("\ufeff") else ""
    record = json.loads(line[len(bom) :])
    expected = dict(record)
    expected[field] = text
    start = _skip(line, len(bom))
    try:
        value_start, value_end = _member_spans(line, start)[field]
        spliced = line[:value_start] + json.dumps(text, ensure_ascii=False) + line[value_end:]
        if json.loads(spliced[len(bom) :]) == expected:
            return spliced.encode("utf-8")
    except (ValueError, KeyError, IndexError):
        pass
    body = line.rstrip("\r\n")
    return (bom + json.dumps(expected, ensure_ascii=False) + line[len(body) :]).encode("utf-8")


def _member_spans(text: str, pos: int) -> dict[str, tuple[int, int]]:
    """The span of each top-level member's value of the JSON object starting at `pos` (the last
    one of a key given twice, as json.loads keeps). ValueError where it is not an object."""
    if not text.startswith("{", pos):
        raise ValueError("not an object")
    spans: dict[str, tuple[int, int]] = {}
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        return spans
    while True:
        if not text.startswith('"', pos):
            raise ValueError("expected a key")
        key, pos = scanstring(text, pos + 1)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise ValueError("expected ':'")
        pos = _skip(text, pos + 1)
        end = int(_DECODER.raw_decode(text, pos)[1])
        spans[key] = (pos, end)
        pos = _skip(text, end)
        if text.startswith("}", pos):
            return spans
        if not text.startswith(",", pos):
            raise ValueError("expected ',' or '}'")
        pos = _skip(text, pos + 1)
