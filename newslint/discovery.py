"""Which files a run checks: the paths given, and the article files inside folders given."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


@dataclass(frozen=True)
class MissingPath:
    path: str
    reason: str


def discover(paths: list[str], suffixes: tuple[str, ...] = ARTICLE_SUFFIXES) -> tuple[list[str], list[MissingPath]]:
    """Files to check, in a stable order and without repeats, and the paths that could not be used.

    A file named on the command line is checked whatever its suffix (pre-commit hands over
    exactly the files it wants checked); in folders only files with an article suffix are taken.
    Hidden files and folders (.git, .venv) are skipped, and symlinked folders are not followed,
    so a symlink loop cannot trap the walk.
    """
    found: list[str] = []
    problems: list[MissingPath] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=lambda e: problems.append(MissingPath(e.filename or given, e.strerror or str(e)))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower().endswith(suffixes):
                        add(os.path.join(root, name))
        elif path.exists():
            add(given)
        elif path.is_symlink():
            problems.append(MissingPath(given, "broken symbolic link"))
        else:
            problems.append(MissingPath(given, "no such file or folder"))
    return found, problems
