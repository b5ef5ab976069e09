"""Parquet datasets, through pyarrow (the optional extra `newslint[parquet]`): read a batch of
rows at a time; records are numbered by position (1, 2, ...) and have no line (1).

--fix writes a new file in the old one's place (atomic_write), batch by batch, with the same
schema (its metadata included) and the first column's compression: every column is written
again with the values it had, but the text column's changed values. Row groups are as
pyarrow's writer makes them, not as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from newslint.datasets.fields import Fields
from newslint.datasets.records import DatasetError, NotADataset, Piece
from newslint.datasets.stream import BYTES_PER_ARTICLE, Tally, run_pieces, write_dataset
from newslint.per_file import FixMode, writes
from newslint.reading import open_regular_file
from newslint.violations import RecordRef

if TYPE_CHECKING:
    from newslint.filters import Plan
    from newslint.workers import Jobs

BATCH_ROWS = 256  # rows read at once: a few chunks of work for the workers


def run_parquet(path: str, plan: Plan, mode: FixMode | None, jobs: Jobs, fields: Fields) -> Tally:
    pa, pq = _pyarrow()
    source, info = open_regular_file(path)
    with source:
        parquet = _open(source, pa, pq)
        schema = parquet.schema_arrow
        wanted = _columns(schema, fields, pa)
        plan.gate.expect(max(parquet.metadata.num_rows, info.st_size // BYTES_PER_ARTICLE))
        writing = writes(mode)
        batches: dict[int, Any] = {}  # read and not yet written (--fix)

        def pieces() -> Iterator[Piece]:
            return _pieces(parquet, wanted, fields, pa, batches if writing else None)

        if not writing:
            tally = run_pieces(path, pieces(), plan, mode, jobs)
            tally.finish(fields)
            return tally

        def write(handle: BinaryIO) -> Tally:
            compression = "snappy"
            if parquet.metadata.num_row_groups:
                compression = str(parquet.metadata.row_group(0).column(0).compression).lower()
            writer = pq.ParquetWriter(handle, schema, compression=compression)
            changes: dict[tuple[str, int], str] = {}
            written = 0  # batches written

            def flush(upto: int) -> None:
                nonlocal written
                while written < upto:
                    writer.write_batch(_changed(batches.pop(written), changes, schema, pa))
                    changes.clear()
                    written += 1

            def emit(piece: Piece, text: str | None) -> None:
                batch, row = piece.position
                flush(batch)
                if text is not None and piece.field is not None:
                    changes[piece.field, row] = text

            tally = run_pieces(path, pieces(), plan, mode, jobs, emit)
            flush(max(batches, default=-1) + 1)
            writer.close()
            tally.finish(fields)
            return tally

        return write_dataset(path, info, write)


def parquet_records(path: str, fields: Fields) -> Iterator[Piece]:
    """The records of a Parquet file, read for their text only (datasets/articles.py)."""
    pa, pq = _pyarrow()
    source, _ = open_regular_file(path)
    with source:
        parquet = _open(source, pa, pq)
        yield from _pieces(parquet, _columns(parquet.schema_arrow, fields, pa), fields, pa, None)


def _pieces(
    parquet: Any, wanted: list[str], fields: Fields, pa: Any, batches: dict[int, Any] | None
) -> Iterator[Piece]:
    """Each row as a piece, read BATCH_ROWS at a time; with `batches`, every column is read and
    each batch kept there by its index (to be written back)."""
    number = 0
    try:
        columns = None if batches is not None else wanted
        for index, batch in enumerate(parquet.iter_batches(BATCH_ROWS, columns=columns)):
            if batches is not None:
                batches[index] = batch
            for row, values in enumerate(batch.select(wanted).to_pylist()):
                number += 1
                field, text = fields.article(values)
                ref = RecordRef(number, fields.name_of(values), 1, fields.site_of(values))
                yield Piece(b"", ref, text, field, position=(index, row))
    except (pa.ArrowException, OSError) as exc:
        raise DatasetError(f"cannot read the Parquet data: {exc}") from None


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise DatasetError("reading Parquet needs pyarrow: install newslint[parquet]") from None
    return pa, pq


def _open(source: BinaryIO, pa: Any, pq: Any) -> Any:
    try:
        return pq.ParquetFile(source)
    except (pa.ArrowException, ValueError) as exc:
        raise DatasetError(f"not a Parquet file newslint can read: {exc}") from None


def _columns(schema: Any, fields: Fields, pa: Any) -> list[str]:
    """The columns a record is read from: its text fields (which must hold strings), id and site."""
    names = schema.names
    text = [name for name in fields.text if name in names]
    if not text:
        raise NotADataset(fields.missing())
    for name in text:
        kind = schema.field(name).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            raise DatasetError(f"column {name!r} holds {kind}, not text")
    others = [name for name in (*fields.id, fields.site) if name is not None and name in names]
    return list(dict.fromkeys(text + others))


def _changed(batch: Any, changes: dict[tuple[str, int], str], schema: Any, pa: Any) -> Any:
    """`batch` with the changed texts in place."""
    for name in dict.fromkeys(column for column, _ in changes):
        index = schema.get_field_index(name)
        values = batch.column(index).to_pylist()
        for (column, row), text in changes.items():
            if column == name:
                values[row] = text
        batch = batch.set_column(index, schema.field(index), pa.array(values, type=schema.field(index).type))
    return batch
