"""A dataset file's records read for what they say, not to be fixed: each record's piece with its
text, in file order, for readers that only look (`newslint learn`). The same readers as a check
uses (jsonl.py, csvfile.py, parquet.py), so a record is what `check` would call it."""

from __future__ import annotations

from collections.abc import Iterator

from newslint.datasets.fields import Fields
from newslint.datasets.records import Piece
from newslint.reading import max_file_bytes, open_regular_file


def dataset_records(path: str, fields: Fields) -> Iterator[Piece]:
    """The records of the dataset at `path`, streamed (Parquet needs pyarrow). Raises OSError
    or reading.SkippedFile when the file cannot be opened, and datasets.DatasetError (or
    NotADataset) when it is not records newslint reads; a malformed record is a piece with an
    `error` and no text."""
    if path.lower().endswith(".parquet"):
        from newslint.datasets.parquet import parquet_records

        yield from parquet_records(path, fields)
        return
    from newslint.datasets.csvfile import CsvDataset
    from newslint.datasets.jsonl import json_pieces, jsonl_pieces

    source, _ = open_regular_file(path)
    with source:
        if path.lower().endswith(".csv"):
            pieces = CsvDataset(source, fields, max_file_bytes()).pieces()
        elif path.lower().endswith(".json"):
            pieces = json_pieces(source, fields, max_file_bytes())
        else:
            pieces = jsonl_pieces(source, fields, max_file_bytes())
        for piece in pieces:
            if piece.record is not None:
                yield piece
