"""Which files a run checks: the paths given, and the article files inside folders given."""

from __future__ import annotations

import errno
import os
import stat
from typing import NamedTuple

from newslint.globs import GlobSet, relative_to

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


class FileFilter(NamedTuple):
    """The config's say in which files a run takes (globs relative to `root`).

    `exclude` drops files and folders, named ones included, so a pre-commit run (which names
    every file) honours it too. In folders, a file is taken when it matches `include`, or by
    default when it has an article suffix.
    """

    root: str = "."
    include: GlobSet | None = None
    exclude: GlobSet = GlobSet(())

    def excluded(self, path: str) -> bool:
        return bool(self.exclude) and self.exclude.match(relative_to(path, self.root))

    def included(self, path: str) -> bool:
        if self.include is None:
            return path.lower().endswith(ARTICLE_SUFFIXES)
        return self.include.match(relative_to(path, self.root))


class MissingPath(NamedTuple):
    path: str
    reason: str


def discover(paths: list[str], file_filter: FileFilter | None = None) -> tuple[list[str], list[MissingPath]]:
    """Files to check, in a stable order and without repeats, and the paths that could not be used.

    A file named on the command line is checked whatever its suffix (pre-commit hands over
    exactly the files it wants checked); in folders only the files `file_filter` includes
    (by default those with an article suffix) are taken. Excluded paths are skipped everywhere.
    Hidden files and folders (.git, .venv) are skipped, and symlinked folders are not followed,
    so a symlink loop cannot trap the walk.
    """
    selector = file_filter or FileFilter()
    found: list[str] = []
    problems: list[MissingPath] = []
    seen: set[str] = set()

    def first_time(path: str) -> bool:
        key = os.path.normpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    def add(path: str) -> None:
        if first_time(path):
            found.append(path)

    for given in paths:
        try:
            is_dir = stat.S_ISDIR(os.stat(given).st_mode)
        except OSError as exc:
            if first_time(given):
                problems.append(MissingPath(given, _stat_problem(given, exc)))
            continue
        if selector.excluded(given):
            continue
        if is_dir:
            for root, dirs, files in os.walk(given, onerror=lambda e: problems.append(MissingPath(e.filename or given, e.strerror or str(e)))):
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not selector.excluded(os.path.join(root, d))
                )
                for name in sorted(files):
                    file_path = os.path.join(root, name)
                    if not name.startswith(".") and selector.included(file_path) and not selector.excluded(file_path):
                        add(file_path)
        else:
            add(given)
    return found, problems


def _stat_problem(path: str, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if os.path.islink(path) else "no such file or folder"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)
