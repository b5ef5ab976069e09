"""Which files a run checks: the paths given, and the article files inside folders given."""

from __future__ import annotations

import errno
import os
import stat
from typing import Iterator, NamedTuple

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

    def first_time(key: str) -> bool:
        if key in seen:
            return False
        seen.add(key)
        return True

    for given in paths:
        try:
            is_folder = stat.S_ISDIR(os.stat(given).st_mode)
        except OSError as exc:
            if first_time(os.path.normpath(given)):
                problems.append(MissingPath(given, _stat_problem(given, exc)))
            continue
        if selector.excluded(given):
            continue
        files = _walk(given, selector, problems) if is_folder else [(given, os.path.normpath(given))]
        found.extend(path for path, key in files if first_time(key))
    return found, problems


def _walk(top: str, selector: FileFilter, problems: list[MissingPath]) -> Iterator[tuple[str, str]]:
    """(path, key) of each file `selector` takes under the folder `top`, folder by folder in
    sorted order, each folder's files before its subfolders'; folders that cannot be read are
    added to `problems`.

    The walk keeps its own stack of folders rather than recursing (os.walk does, and a tree
    1,000 folders deep exhausted Python's stack). Paths are built as os.path.join builds them,
    and the key that tells repeats apart is their os.path.normpath, both worked out once a
    folder rather than once a file.
    """
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            problems.append(MissingPath(exc.filename or folder, exc.strerror or str(exc)))
            continue
        prefix = os.path.join(folder, "")
        normal = os.path.normpath(folder)
        key_prefix = "" if normal == os.curdir else os.path.join(normal, "")
        files: list[str] = []
        folders: list[str] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder:
                files.append(name)
            elif not _is_link(entry) and not selector.excluded(prefix + name):
                folders.append(name)
        for name in sorted(files):
            path = prefix + name
            if selector.included(path) and not selector.excluded(path):
                yield path, key_prefix + name
        stack.extend(prefix + name for name in sorted(folders, reverse=True))


def _is_link(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:  # cannot tell: do not follow it
        return True


def _stat_problem(path: str, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if os.path.islink(path) else "no such file or folder"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)
