"""Which files a run checks: the paths given, and the article files inside folders given; and
the tree each belongs to, outside which a run reads and writes nothing.

A run's tree is the current folder (in CI and pre-commit, the repository). A path given on the
command line outside the current folder, as written, is its own tree: a folder, that folder; a
file, its folder. A file whose real path (every symbolic link in every component resolved) is
outside the real path of its tree is not checked: in a pull request, `users.txt ->
/etc/passwd` would otherwise print the password file into the CI log, and `--fix` would write
through `notes.md -> ../../outside.txt`. Links inside the tree work as any file does.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from newslint.datasets.fields import DATASET_SUFFIXES
from newslint.globs import GlobSet, relative_to
from newslint.ignorefiles import IGNORE_FILES, IgnoreFile, IgnoreFileError, IgnoreRules, read_ignore_file
from newslint.vetted import VettedPath

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")
# Folders never walked into (only a folder given by name is): what package managers install.
ALWAYS_SKIPPED = ("node_modules",)
OUTSIDE_THE_TREE = "skipped: symbolic link to outside the checked tree ({real}; --follow-outside-links checks it)"


class FileFilter(NamedTuple):
    """The config's say in which files a run takes (globs relative to `root`).

    `exclude` drops files and folders, named ones included, so a pre-commit run (which names
    every file) honours it too. In folders, a file is taken when it matches `include`, or by
    default when it has an article or a dataset suffix.
    """

    root: str = "."
    include: GlobSet | None = None
    exclude: GlobSet = GlobSet(())

    def excluded(self, path: str) -> bool:
        return bool(self.exclude) and self.exclude.match(relative_to(path, self.root))

    def included(self, path: str) -> bool:
        if self.include is None:
            return path.lower().endswith(ARTICLE_SUFFIXES + DATASET_SUFFIXES)
        return self.include.match(relative_to(path, self.root))


class PathProblem(NamedTuple):
    """A path given or found that is not checked, and why (shown as `path: reason`)."""

    path: str
    reason: str


def tree_of(path: str, is_folder: bool, here: str | None = None) -> str:
    """The folder that is the tree of `path`, given on the command line: the current folder
    (`here`, default os.getcwd()) if `path` as written is inside it; else the folder given, or
    the folder of the file given. As written: `link/x.txt` belongs to the current folder's tree
    even when `link` leads elsewhere, so a link cannot widen the tree. Files are checked
    against the tree's real path."""
    here = os.getcwd() if here is None else here
    absolute = os.path.abspath(path)
    if _inside(absolute, here):
        return here
    return absolute if is_folder else os.path.dirname(absolute)


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root if root.endswith(os.sep) else root + os.sep)


def discover(
    paths: list[str],
    file_filter: FileFilter | None = None,
    follow_outside_links: bool = False,
    ignore_files: bool = True,
) -> tuple[list[str], list[PathProblem]]:
    """Files to check, in a stable order and without repeats, and the paths that are not checked.

    A file named on the command line is checked whatever its suffix (pre-commit hands over
    exactly the files it wants checked); in folders only the files `file_filter` includes
    (by default those with an article suffix) are taken. Excluded paths are skipped everywhere.
    In folders, hidden files and folders (.git, .venv) and folders named node_modules are
    skipped, and so, with `ignore_files`, is what .gitignore and .ignore files leave out (see
    ignorefiles.py; those of the folders above a folder given count too, up to the
    repository's root); a path named is taken whatever they say. Symlinked folders are not
    followed, so a symlink loop cannot trap the walk. A file, or a folder given, whose real path
    is outside its tree is reported rather than taken; the files taken are VettedPaths. With
    `follow_outside_links` nothing is vetted and the files are plain paths, as given or found.
    An ignore file that cannot be used is reported too, and the walk goes on without it.
    """
    selector = file_filter or FileFilter()
    found: list[str] = []
    problems: list[PathProblem] = []
    seen: set[str] = set()
    here = os.getcwd()
    real_trees: dict[str, str] = {}  # tree folder -> its real path, resolved once

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
                problems.append(PathProblem(given, _stat_problem(given, exc)))
            continue
        if selector.excluded(given):
            continue
        folder = tree_of(given, is_folder, here)
        files: Iterable[tuple[str, str, str | None]]  # as _walk gives them
        if is_folder:
            real_folder = os.path.realpath(given)
            files = _walk(given, real_folder, selector, problems, folder if ignore_files else None)
        else:
            real_folder = None
            files = [(given, os.path.normpath(given), None)]
        if follow_outside_links:
            found.extend(path for path, key, _ in files if first_time(key))
            continue
        tree = real_trees.get(folder) or real_trees.setdefault(folder, os.path.realpath(folder))
        if real_folder is not None and not _inside(real_folder, tree):
            if first_time(os.path.normpath(given)):
                problems.append(PathProblem(given, OUTSIDE_THE_TREE.format(real=real_folder)))
            continue
        for path, key, real in files:
            if not first_time(key):
                continue
            if real is None:
                real = os.path.realpath(path)
                if not _inside(real, tree):
                    problems.append(PathProblem(path, OUTSIDE_THE_TREE.format(real=real)))
                    continue
            found.append(VettedPath(path, real))
    return found, problems


def _walk(
    top: str, real_top: str, selector: FileFilter, problems: list[PathProblem], tree: str | None = None
) -> Iterator[tuple[str, str, str | None]]:
    """(path, key, real path) of each file `selector` takes under the folder `top` (real path
    `real_top`), folder by folder in sorted order, each folder's files before its subfolders';
    folders that cannot be read are added to `problems`. With `tree` (the folder of `top`'s
    tree), what ignore files leave out is not taken (see discover).

    The walk keeps its own stack of folders rather than recursing (os.walk does, and a tree
    1,000 folders deep exhausted Python's stack). It follows no symbolic link to a folder, so
    a file that is not a link has the real path of its folder plus its name; a link's real path
    is left to be resolved (None). Paths are built as os.path.join builds them, and the key
    that tells repeats apart is their os.path.normpath, both worked out once a folder.
    """
    # Each folder's path relative to the root its ignore files' patterns are read from.
    rules, top_relative = _ignore_rules_above(top, tree, problems) if tree is not None else (None, "")
    stack = [(top, real_top, top_relative, rules)]
    while stack:
        folder, real_folder, relative, rules = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            problems.append(PathProblem(exc.filename or folder, exc.strerror or str(exc)))
            continue
        prefix = os.path.join(folder, "")
        real_prefix = os.path.join(real_folder, "")
        relative_prefix = relative + "/" if relative else ""
        normal = os.path.normpath(folder)
        key_prefix = "" if normal == os.curdir else os.path.join(normal, "")
        if rules is not None:
            names = {entry.name for entry in entries}
            found = [
                _read_ignore_file(prefix + name, real_prefix + name, relative, problems)
                for name in IGNORE_FILES
                if name in names
            ]
            rules = rules.adding([ignore_file for ignore_file in found if ignore_file is not None])
        files: list[str] = []
        links: set[str] = set()
        folders: list[str] = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if rules is not None and rules.ignored(relative_prefix + name, is_folder):
                continue
            if is_folder:
                if name not in ALWAYS_SKIPPED and not _is_link(entry) and not selector.excluded(prefix + name):
                    folders.append(name)
                continue
            files.append(name)
            if _is_link(entry):
                links.add(name)
        for name in sorted(files):
            path = prefix + name
            if selector.included(path) and not selector.excluded(path):
                yield path, key_prefix + name, None if name in links else real_prefix + name
        stack.extend(
            (prefix + name, real_prefix + name, relative_prefix + name, rules) for name in sorted(folders, reverse=True)
        )


def _ignore_rules_above(top: str, tree: str, problems: list[PathProblem]) -> tuple[IgnoreRules, str]:
    """The ignore rules in force at the folder `top` (whose tree is the folder `tree`) from the
    folders above it, and `top`'s path relative to the root they are read from: the
    repository's root (the nearest folder up holding .git), else the tree's folder if `top` is
    inside it, else `top` itself. The repository's .git/info/exclude comes first, below all."""
    absolute = os.path.abspath(top)
    root = _repository_root(absolute)
    if root is None:
        root = tree if _inside(absolute, tree) else absolute
    files: list[IgnoreFile] = []
    exclude = os.path.join(root, ".git", "info", "exclude")
    if os.path.isdir(os.path.join(root, ".git")):
        found = _read_ignore_file(
            exclude, os.path.join(os.path.realpath(os.path.dirname(exclude)), "exclude"), "", problems
        )
        files += [found] if found is not None else []
    relative = os.path.relpath(absolute, root).replace(os.sep, "/")
    relative = "" if relative == "." else relative
    parts = relative.split("/") if relative else []
    for depth in range(len(parts)):  # root, then each folder down to top's parent
        folder = os.path.join(root, *parts[:depth])
        real_folder = os.path.realpath(folder)
        for name in IGNORE_FILES:
            found = _read_ignore_file(
                os.path.join(folder, name), os.path.join(real_folder, name), "/".join(parts[:depth]), problems
            )
            files += [found] if found is not None else []
    return IgnoreRules(tuple(files)), relative


def _repository_root(folder: str) -> str | None:
    """The nearest folder from `folder` up that holds .git (a folder, or a worktree's file)."""
    while True:
        if os.path.lexists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _read_ignore_file(path: str, real: str, base: str, problems: list[PathProblem]) -> IgnoreFile | None:
    try:
        return read_ignore_file(path, real, base)
    except FileNotFoundError:
        return None
    except IgnoreFileError as exc:
        problems.append(PathProblem(exc.path, exc.reason))
        return None


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:  # cannot tell: treat it as a link, which is checked, not trusted
        return True


def _stat_problem(path: str, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if os.path.islink(path) else "no such file or folder"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)
