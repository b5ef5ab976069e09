"""What a change brings: the files a branch changed since it left REF, and the lines it added or
modified in each, as git itself tells them (--diff-base).

The change is everything between the merge base of REF and HEAD and the working tree: commits on
the branch, staged and unstaged edits, and files git does not track yet (all of their lines are
new). Deleted files are not in it. Line numbers are those of the file now, as newslint counts
them: git ends a line at LF only, so in a file that also ends lines with a lone CR, git's lines
are renumbered (CRLF is one line ending to both).

In a shallow CI checkout REF, or the history that joins it to HEAD, may be missing: then a
GitError says how to fetch it, rather than a diff against the wrong commit.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from typing import NamedTuple

from newslint.errors import UsageError
from newslint.lineranges import LineRanges, touches

# A hunk header of `git diff --unified=0`: the lines it adds start at c and number d (1 if absent).
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class GitError(UsageError):
    """--diff-base cannot tell what changed (no repository, an unknown REF, a shallow history)."""


class ChangedFile(NamedTuple):
    path: str  # as a path from the current folder
    added: LineRanges  # (first, last) line ranges added or modified, 1-based, inclusive

    def touches(self, first: int, last: int) -> bool:
        """Whether lines first..last hold an added or modified line."""
        return touches(self.added, first, last)


def changed_files(base: str, paths: list[str] | None = None) -> list[ChangedFile]:
    """The files changed since the merge base of `base` and HEAD (limited to `paths`, files or
    folders, when given), in git's order, with the lines added in each."""
    return [ChangedFile(path, _newslint_lines(path, ranges)) for path, ranges in _git_changes(base, paths)]


class Change:
    """What changed since the merge base of `base` and HEAD, found by where the files are, so
    `./a.md`, `a.md` and its absolute path are all the file git names `a.md`. Only the files a
    run takes are read (to count their lines as newslint does), not every file the change holds."""

    def __init__(self, base: str):
        self._ranges = {os.path.abspath(path): ranges for path, ranges in _git_changes(base)}

    def lines_of(self, files: list[str]) -> dict[str, LineRanges]:
        """Of `files` (as discovery found them), those the change touched, with its lines."""
        found = ((path, os.path.abspath(path)) for path in files)
        return {path: _newslint_lines(path, self._ranges[key]) for path, key in found if key in self._ranges}

    def concerns(self, path: str, given: Sequence[str]) -> bool:
        """Whether a problem with `path` (a file or folder discovery could not take) is one a run
        over the change reports: a path given on the command line, a folder (whose files git may
        list as changed) or a changed file; not a file the change left alone."""
        return path in given or os.path.abspath(path) in self._ranges or os.path.isdir(path)


def _git_changes(base: str, paths: list[str] | None = None) -> list[tuple[str, list[tuple[int, int]] | None]]:
    """Each changed file's path and the ranges of git's lines it added (None: a file git does
    not track, all of it new)."""
    if base.startswith("-"):  # git would read it as an option
        raise GitError(f"--diff-base {base}: not a commit (a git revision does not start with '-')")
    _git("rev-parse", "--show-toplevel", what="--diff-base needs a git repository (none here or above)")
    _git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", what=_missing_ref(base))
    merge_base = _git("merge-base", base, "HEAD", what=_no_merge_base(base)).decode().strip()
    pathspec = ["--", *(paths or [])]
    # --text: a file that .gitattributes or git's own guess calls binary still gets its hunks
    # (without them every problem in it would pass for untouched).
    common = ["--no-color", "--no-ext-diff", "--text", "--find-renames", "--diff-filter=AMR", "--relative", merge_base]
    names = _git("diff", "-z", "--name-only", *common, *pathspec).split(b"\0")[:-1]
    patch = _git("diff", "--unified=0", "--no-textconv", *common, *pathspec)
    hunks: list[list[tuple[int, int]] | None] = list(_hunks_per_file(patch))
    if len(hunks) != len(names):  # cannot happen: both list the same files in the same order
        raise GitError("git's list of changed files and its diff disagree")
    # Not --exclude-standard: git would open every .gitignore of the pull request's, where a named
    # pipe blocks it for ever and a link loop fails it. What ignore files leave out was left out
    # by discovery already, which reads them safely (ignorefiles.py); only discovered files count.
    untracked = _git("ls-files", "-z", "--others", *pathspec).split(b"\0")[:-1]
    return list(zip(map(os.fsdecode, names + untracked), hunks + [None] * len(untracked), strict=True))


def _newslint_lines(path: str, ranges: list[tuple[int, int]] | None) -> LineRanges:
    """The lines of `path` that git's `ranges` are, as newslint numbers them (None: all)."""
    return ((1, _line_count(path)),) if ranges is None else _as_newslint_counts(path, ranges)


def _hunks_per_file(patch: bytes) -> list[list[tuple[int, int]]]:
    """The added line ranges of each file of a --unified=0 patch, in its order."""
    files: list[list[tuple[int, int]]] = []
    for line in patch.split(b"\n"):
        if line.startswith(b"diff --git "):
            files.append([])
            continue
        match = _HUNK.match(line)
        if match and files:
            start, count = int(match.group(1)), int(match.group(2) or 1)
            if count:  # a hunk that only deletes adds no line
                files[-1].append((start, start + count - 1))
    return files


def _as_newslint_counts(path: str, ranges: list[tuple[int, int]]) -> LineRanges:
    """`ranges` of git's lines of `path` as newslint's lines: the same unless the file ends a line
    with a lone CR somewhere, which git does not count as a line ending."""
    data = _read(path) if ranges else None
    if data is None or data.count(b"\r") == data.count(b"\r\n"):
        return tuple(ranges)
    # first[k]: newslint's number of the line git numbers k + 1; a git line holding n lone CRs
    # is n + 1 of newslint's lines.
    first, number = [], 1
    for line in data.split(b"\n"):
        first.append(number)
        number += line.removesuffix(b"\r").count(b"\r") + 1
    first.append(number)  # one past the last line
    last_line = len(first) - 1
    return tuple((first[min(a, last_line) - 1], first[min(b, last_line)] - 1) for a, b in ranges)


def _line_count(path: str) -> int:
    """How many lines newslint counts in `path` (1 if it cannot be read: checking it will say why)."""
    data = _read(path)
    if not data:
        return 1
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    return lines + (not data.endswith((b"\n", b"\r")))


def _read(path: str) -> bytes | None:
    """The bytes of `path` if it is a regular file newslint would check, else None: read as
    articles are (a named pipe is not waited on, /dev/zero not read on)."""
    from newslint.reading import SkippedFile, max_file_bytes, read_article

    try:
        return read_article(path, max_file_bytes())[0]
    except (OSError, SkippedFile, UsageError):
        return None


# git opens files of the checkout (.gitattributes, for one), any of which a pull request may have
# made a named pipe: a run waits for git this long at most, then stops with exit code 2.
GIT_TIMEOUT = 300


def _git(*args: str, what: str = "") -> bytes:
    try:
        result = subprocess.run(["git", *args], capture_output=True, check=False, timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not finish in {GIT_TIMEOUT} s (a named pipe in the checkout?)") from None
    except OSError as exc:
        raise GitError(f"--diff-base needs git, which could not be run: {exc.strerror or exc}") from None
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(what or f"git {args[0]} failed: {detail[-1] if detail else result.returncode}")
    return result.stdout


def _missing_ref(base: str) -> str:
    return (
        f"--diff-base {base}: no such commit here. In a shallow CI checkout fetch it first, e.g. "
        f"`git fetch --no-tags --depth=1 origin {base.removeprefix('origin/')}` "
        "(or check out with actions/checkout's `fetch-depth: 0`)"
    )


def _no_merge_base(base: str) -> str:
    return (
        f"--diff-base {base}: no common ancestor with HEAD in this checkout's history; in a shallow "
        "clone fetch more of it (`git fetch --deepen=100`, or actions/checkout's `fetch-depth: 0`)"
    )
