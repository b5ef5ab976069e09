"""Which files are datasets, and which fields of a record hold its text, id and site."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

# The suffixes of dataset files (lower case), named or found in a folder walk.
DATASET_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".parquet")
DEFAULT_TEXT_FIELDS = ("text", "maintext", "body", "content", "article")
DEFAULT_ID_FIELDS = ("id", "url")


def is_dataset(path: str) -> bool:
    return path.lower().endswith(DATASET_SUFFIXES)


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
