"""Where `newslint learn` gets its articles: an archive read as (site, name, Document) triples.

learn.py reads the archive twice (once to count, once to look closer at what recurs), so a
source is something it can iterate more than once: an `ArticleSource` is a function that
returns a fresh iterator of `Article`s each time it is called. Folders of article files are
the source here (found by discovery.discover, read by reading.read_article, decoded by
document.from_bytes, as `check` does). A dataset file among them (.jsonl, .json, .csv,
.parquet: datasets/) gives one article per record, named `path#N` as `check` names it.

The site of a file in a folder is the first `site_depth` folder levels under the PATH given
(`corpus/bbc/2024/x.txt` under `corpus` is site `bbc` at depth 1, `bbc/2024` at depth 2); a
file with fewer levels than that above it (directly in PATH, or a file named itself) belongs
to the site named after its own folder. A record's site is its site field's value (with
--site-field), else the host of its URL (its id field, `url` first), else its file's site.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from newslint import document as documents
from newslint.datasets.fields import DEFAULT_ID_FIELDS, Fields, is_dataset
from newslint.datasets.stream import BYTES_PER_ARTICLE
from newslint.discovery import PathProblem, discover
from newslint.reading import SkippedFile, max_file_bytes, read_article

DEFAULT_SITE_DEPTH = 1
# A record is named, and its site found, by its URL before any other id.
LEARN_ID_FIELDS = ("url", *(name for name in DEFAULT_ID_FIELDS if name != "url"))


class Article(NamedTuple):
    site: str  # the group its boilerplate is learned in
    name: str  # how examples name it: a path, or a dataset's record
    document: documents.Document


class Read(NamedTuple):
    """An article as read, before it is parsed: a file's bytes or a record's text, or why it
    cannot be read (then `data` is empty)."""

    site: str
    name: str
    path: str  # the file (a record's dataset file), which names its Document
    data: bytes | str  # a file's bytes, a record's text
    problem: str | None = None


# Called once for each pass over the archive; each call reads it anew, in the same order.
ArticleSource = Callable[[], Iterator[Article]]
# Told of each path that is not read, and why (in each pass that meets it).
ProblemSink = Callable[[PathProblem], None]


def site_of(path: str, given: str, site_depth: int) -> str:
    """The site of the file `path`, found under the PATH `given` (see the module's docstring)."""
    folder = os.path.dirname(os.path.relpath(path, given)) if os.path.isdir(given) else ""
    parts = [part for part in folder.split(os.sep) if part and part != os.curdir]
    if site_depth and len(parts) >= site_depth:
        return "/".join(parts[:site_depth])
    own = os.path.dirname(os.path.abspath(path))
    return os.path.basename(own) or "root"


class FolderArticles:
    """The article files under some paths, as an ArticleSource; `len()` is how many were found."""

    def __init__(self, files: list[tuple[str, str]], on_problem: ProblemSink, fields: Fields | None = None):
        self.files = files  # (path, site), in discovery's order
        self.on_problem = on_problem
        self.fields = fields if fields is not None else Fields(id=LEARN_ID_FIELDS)
        self.max_bytes = max_file_bytes()

    def __len__(self) -> int:
        """How many articles there are, about: a dataset's records are guessed from its size."""
        total = 0
        for path, _ in self.files:
            try:
                total += max(1, os.path.getsize(path) // BYTES_PER_ARTICLE) if is_dataset(path) else 1
            except OSError:
                total += 1
        return total

    def __call__(self) -> Iterator[Article]:
        for item in self.read():
            article = parse(item, self.max_bytes)
            if isinstance(article, PathProblem):
                self.on_problem(article)
            else:
                yield article

    def read(self) -> Iterator[Read]:
        """The articles as read, not yet parsed (on a cluster, the workers parse them), each
        problem in its place."""
        for path, site in self.files:
            if is_dataset(path):
                yield from self._records(path, site)
                continue
            try:
                data, _ = read_article(path, self.max_bytes)
            except (OSError, SkippedFile) as exc:
                yield Read(site, path, path, "", _reason(exc))
                continue
            yield Read(site, path, path, data)

    def _records(self, path: str, site: str) -> Iterator[Read]:
        """The dataset file's records. A file with a dataset's suffix that holds no articles
        (package.json, a labels file) is passed over, as a check's folder walk does."""
        from newslint.datasets.articles import dataset_records
        from newslint.datasets.records import DatasetError, NotADataset

        try:
            for piece in dataset_records(path, self.fields):
                assert piece.record is not None  # dataset_records gives records only
                name = f"{path}#{piece.record.number}"
                if piece.error is not None:
                    yield Read(site, name, path, "", f"malformed record, skipped: {piece.error}")
                elif piece.text is not None:
                    yield Read(record_site(piece.record.site, piece.record.id) or site, name, path, piece.text)
        except NotADataset:
            return
        except (DatasetError, OSError, SkippedFile) as exc:
            yield Read(site, path, path, "", _reason(exc))


def parse(item: Read, max_bytes: int) -> Article | PathProblem:
    """The article read, or why it is skipped."""
    if item.problem is not None:
        return PathProblem(item.name, item.problem)
    if isinstance(item.data, str):  # a record's text
        from newslint.datasets.records import record_document

        document, error = record_document(item.path, item.data, max_bytes)
        if document is None:
            return PathProblem(item.name, error or "its text is skipped")
        return Article(item.site, item.name, document)
    try:
        return Article(item.site, item.name, documents.from_bytes(item.data, item.path))
    except documents.DecodeError as exc:
        return PathProblem(item.path, _reason(exc))


def _reason(exc: Exception) -> str:
    """Why a file was not read, as a problem says it."""
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def record_site(site_field: str | None, record_id: str | None) -> str | None:
    """A record's site: its site field's value, else its URL's host (less "www."), else None."""
    if site_field:
        return site_field
    if record_id and record_id.startswith(("http://", "https://")):
        try:
            host = urlsplit(record_id).hostname
        except ValueError:
            return None
        if host:
            return host.removeprefix("www.")
    return None


def folder_articles(
    paths: list[str],
    on_problem: ProblemSink,
    site_depth: int = DEFAULT_SITE_DEPTH,
    ignore_files: bool = True,
    fields: Fields | None = None,
) -> FolderArticles:
    """The article files under `paths` as a source. Files are found once, here: the paths that
    will not be read (missing, outside their tree) go to `on_problem` now; a file that cannot be
    read or decoded goes there when a pass reaches it, and is skipped."""
    found: list[tuple[str, str]] = []
    for given in paths:
        files, missing = discover([given], ignore_files=ignore_files)
        for problem in missing:
            on_problem(problem)
        found.extend((path, site_of(path, given, site_depth)) for path in files)
    return FolderArticles(found, on_problem, fields)
