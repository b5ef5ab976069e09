"""News datasets as input: files of records (JSON Lines, a JSON array, CSV, Parquet), each record
an article in one of its fields. A dataset file is never read as text: each record's text is a
Document of its own, checked as any article is (filters.find_problems: per-file ignores by the
dataset's path, rules, suppressions), and its problems name the record (violations.RecordRef).

This module is what the rest of newslint needs to know of datasets, and imports nothing heavy:
which files are datasets, and which fields hold a record's text, id and site. The formats are
read and written by `jsonl.py` (JSON Lines and JSON arrays), `csvfile.py` and `parquet.py`; a
dataset is checked and fixed, record by record, by `run.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, NamedTuple

# The suffixes of dataset files (lower case), named or found in a folder walk.
DATASET_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".parquet")
DEFAULT_TEXT_FIELDS = ("text", "maintext", "body", "content", "article")
DEFAULT_ID_FIELDS = ("id", "url")


def is_dataset(path: str) -> bool:
    return path.lower().endswith(DATASET_SUFFIXES)


def with_datasets(check_files: Callable[..., Any]) -> Callable[..., Any]:
    """pipeline.check_files, extended to check dataset files too (run.check_paths)."""
    from newslint.datasets.run import check_paths  # here: most runs have no dataset

    return partial(check_paths, check_files=check_files)


class Fields(NamedTuple):
    """Which fields of a record hold its article, name it, and name its site."""

    text: tuple[str, ...] = DEFAULT_TEXT_FIELDS
    id: tuple[str, ...] = DEFAULT_ID_FIELDS
    site: str | None = None

    @classmethod
    def of(cls, text: tuple[str, ...] | None, id: tuple[str, ...] | None, site: str | None) -> Fields:
        return cls(text or DEFAULT_TEXT_FIELDS, id or DEFAULT_ID_FIELDS, site)

    def article(self, record: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """(field, text) of the record's article: the first text field it holds a value in
        (null counts as none); (None, None) when it has none. ValueError when that value is
        not a string (the record is malformed)."""
        for name in self.text:
            value = record.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise ValueError(f"field {name!r} holds {_json_type(value)}, not text")
            return name, value
        return None, None

    def name_of(self, record: Mapping[str, Any]) -> str | None:
        """The record's id: the first id field it holds a string or a number in."""
        for name in self.id:
            value = record.get(name)
            if isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
                return str(value)
        return None

    def site_of(self, record: Mapping[str, Any]) -> str | None:
        value = None if self.site is None else record.get(self.site)
        return None if value is None else str(value)

    def missing(self) -> str:
        """Why a dataset with no article in any record cannot be checked."""
        names = ", ".join(self.text)
        return f"no record has a text field (looked for: {names}); name it with --text-field or `text-field`"


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"
