"""News datasets as input: files of records (JSON Lines, a JSON array, CSV, Parquet), each record
an article in one of its fields. A dataset file is never read as text: each record's text is a
Document of its own, checked as any article is (filters.find_problems: per-file ignores by the
dataset's path, rules, suppressions), and its problems name the record (violations.RecordRef).

This module is what the rest of newslint needs to know of datasets, and imports nothing heavy:
which files are datasets, and which fields hold a record's text, id and site (`fields.py`). The formats are
read and written by `jsonl.py` (JSON Lines and JSON arrays), `csvfile.py` and `parquet.py`; a
dataset is checked and fixed, record by record, by `run.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from newslint.datasets.fields import DATASET_SUFFIXES, Fields, is_dataset

__all__ = ["DATASET_SUFFIXES", "Fields", "is_dataset", "with_datasets"]


def with_datasets(check_files: Callable[..., Any], named: Sequence[str]) -> Callable[..., Any]:
    """checking.check_files, extended to check dataset files too (run.check_paths); `named`
    are the paths the command line gave (a file found in a folder walk that is not a dataset
    of articles is skipped, a named one is an error)."""
    from newslint.datasets.run import check_paths  # here: most runs have no dataset

    return partial(check_paths, check_files=check_files, named=named)
