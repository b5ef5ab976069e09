"""What a change brings: the files a branch changed since it left REF, and the lines it added or
modified in each, as git itself tells them (--diff-base).

The change is everything between the merge base of REF and HEAD and the working tree: commits on
the branch, staged and unstaged edits, and files git does not track yet (all of their lines are
new). Deleted files are not in it. Line numbers are those of the file now, counted as git counts
them (a line ends at LF, so CRLF files count as newslint counts them).

In a shallow CI checkout REF, or the history that joins it to HEAD, may be missing: then a
GitError says how to fetch it, rather than a diff against the wrong commit.
"""

from __future__ import annotations

import os
import re
import subprocess
from typing import NamedTuple

from newslint.errors import UsageError

# A hunk header of `git diff --unified=0`: the lines it adds start at c and number d (1 if absent).
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class GitError(UsageError):
    """--diff-base cannot tell what changed (no repository, an unknown REF, a shallow history)."""


class ChangedFile(NamedTuple):
    path: str  # as a path from the current folder
    added: tuple[tuple[int, int], ...]  # (first, last) line ranges added or modified, 1-based, inclusive

    def touches(self, first: int, last: int) -> bool:
        """Whether lines first..last hold an added or modified line."""
        return any(start <= last and first <= end for start, end in self.added)


def changed_files(base: str, paths: list[str] | None = None) -> list[ChangedFile]:
    """The files changed since the merge base of `base` and HEAD (limited to `paths`, files or
    folders, when given), in git's order, with the lines added in each."""
    _git("rev-parse", "--show-toplevel", what="--diff-base needs a git repository (none here or above)")
    _git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", what=_missing_ref(base))
    merge_base = _git("merge-base", base, "HEAD", what=_no_merge_base(base)).decode().strip()
    pathspec = ["--", *(paths or [])]
    common = ["--no-color", "--no-ext-diff", "--find-renames", "--diff-filter=AMR", "--relative", merge_base]
    names = _git("diff", "-z", "--name-only", *common, *pathspec).split(b"\0")[:-1]
    patch = _git("diff", "--unified=0", "--no-textconv", *common, *pathspec)
    hunks = _hunks_per_file(patch)
    if len(hunks) != len(names):  # cannot happen: both list the same files in the same order
        raise GitError("git's list of changed files and its diff disagree")
    changed = [ChangedFile(os.fsdecode(name), tuple(ranges)) for name, ranges in zip(names, hunks, strict=True)]
    untracked = _git("ls-files", "-z", "--others", "--exclude-standard", *pathspec).split(b"\0")[:-1]
    changed.extend(ChangedFile(os.fsdecode(name), ((1, _line_count(os.fsdecode(name))),)) for name in untracked)
    return changed


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


def _line_count(path: str) -> int:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return 1
    return max(1, data.count(b"\n") + (not data.endswith(b"\n")))


def _git(*args: str, what: str = "") -> bytes:
    try:
        result = subprocess.run(["git", *args], capture_output=True, check=False)
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
