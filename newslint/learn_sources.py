"""Where `newslint learn` gets its articles: an archive read as (site, name, Document) triples.

learn.py reads the archive twice (once to count, once to look closer at what recurs), so a
source is something it can iterate more than once: an `ArticleSource` is a function that
returns a fresh iterator of `Article`s each time it is called. Folders of article files are
the source here (found by discovery.discover, read by reading.read_article, decoded by
document.from_bytes, as `check` does); a dataset of records can be another such function,
with the site taken from a record's field or its URL's host.

The site of a file in a folder is the first `site_depth` folder levels under the PATH given
(`corpus/bbc/2024/x.txt` under `corpus` is site `bbc` at depth 1, `bbc/2024` at depth 2); a
file with fewer levels than that above it (directly in PATH, or a file named itself) belongs
to the site named after its own folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import NamedTuple

from newslint import document as documents
from newslint.discovery import PathProblem, discover
from newslint.reading import SkippedFile, max_file_bytes, read_article

DEFAULT_SITE_DEPTH = 1


class Article(NamedTuple):
    site: str  # the group its boilerplate is learned in
    name: str  # how examples name it: a path, or a dataset's record
    document: documents.Document


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

    def __init__(self, files: list[tuple[str, str]], on_problem: ProblemSink):
        self.files = files  # (path, site), in discovery's order
        self.on_problem = on_problem
        self.max_bytes = max_file_bytes()

    def __len__(self) -> int:
        return len(self.files)

    def __call__(self) -> Iterator[Article]:
        for path, site in self.files:
            try:
                data, _ = read_article(path, self.max_bytes)
                document = documents.from_bytes(data, path)
            except (OSError, SkippedFile, documents.DecodeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.on_problem(PathProblem(path, reason))
                continue
            yield Article(site, str(path), document)


def folder_articles(
    paths: list[str], on_problem: ProblemSink, site_depth: int = DEFAULT_SITE_DEPTH, ignore_files: bool = True
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
    return FolderArticles(found, on_problem)
