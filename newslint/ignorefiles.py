"""Which files and folders `.gitignore` and `.ignore` files leave out of a folder walk, read as
git reads them (gitignore(5)) and, for `.ignore`, as ripgrep does.

- A line is a pattern; blank lines and lines starting with `#` are none (`\\#` is a `#`), and
  trailing spaces are dropped unless escaped with a backslash.
- `!` before a pattern re-includes what an earlier pattern left out (`\\!` is a `!`).
- A pattern ending in `/` matches only folders.
- A pattern with a `/` at its start or in its middle is anchored at the file's folder
  (`/_site`, `docs/build`); one without matches a name at any depth below it (`*.tmp`).
- `*`, `?` and `[...]` never match a `/`; `**/`, `/**` and `/**/` span folders.
- Of the patterns that match a path, the last one of the nearest file decides: a folder's files
  override its parents', and in one folder `.ignore` overrides `.gitignore`. The repository's
  `.git/info/exclude` comes below them all.
- What is inside a folder left out is never reached, so it cannot be re-included (as in git).

Ignore files may come from a stranger's pull request like everything else in a checkout, so
their patterns run on RE2 (globs.gitignore_regex), in time linear in a path whatever they say;
each file is read as a stranger's file is (reading.read_small_file: regular, bounded, no link
followed), and a pattern RE2 cannot read is passed over, as git passes over one it cannot.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

import re2

from newslint.globs import for_re2, gitignore_regex
from newslint.reading import SkippedFile, read_small_file
from newslint.vetted import VettedPath

# In one folder, the later file's patterns win (ripgrep: .ignore over .gitignore).
IGNORE_FILES = (".gitignore", ".ignore")
# No honest ignore file comes close; a larger one is reported and not used.
MAX_IGNORE_FILE_BYTES = 1 << 20
# The memory one file's program may take.
_MAX_MEM = 32 << 20


class IgnoreFileError(Exception):
    """An ignore file that cannot be used (unreadable, too large, a link): shown as `path: reason`."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Pattern(NamedTuple):
    regex: str  # for a path relative to the file's folder, "/" separated
    negated: bool  # `!`: re-includes
    folders_only: bool  # a trailing `/`


def parse(text: str) -> list[Pattern]:
    """The patterns of an ignore file's text, in order."""
    patterns = []
    for line in text.splitlines():
        line = _strip_trailing_spaces(line)
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith(("\\!", "\\#")):
            line = line[1:]
        folders_only = line.endswith("/") and not line.endswith("\\/")
        body = line.rstrip("/") if folders_only else line
        anchored = "/" in body
        body = body.lstrip("/")
        if not body:
            continue
        regex = gitignore_regex(body)
        patterns.append(Pattern(regex if anchored else "(?:.*/)?" + regex, negated, folders_only))
    return patterns


def _strip_trailing_spaces(line: str) -> str:
    stripped = line.rstrip(" ")
    if stripped != line and stripped.endswith("\\") and (len(stripped) - len(stripped.rstrip("\\"))) % 2:
        return stripped + " "  # "x\ ": the escaped space stays
    return stripped


class IgnoreFile:
    """The patterns of one ignore file, for paths relative to `base`, its folder (itself
    relative to the walk's root, "" for the root)."""

    def __init__(self, base: str, patterns: list[Pattern]):
        self.base = base
        self._prefix = base + "/" if base else ""
        self.patterns: list[Pattern] = []
        self._set = _compile(patterns, self.patterns)

    def decides(self, path: str, is_folder: bool) -> bool | None:
        """For `path` (relative to the walk's root) below this file's folder: True if the last
        pattern matching it leaves it out, False if that pattern re-includes it, None if none
        matches."""
        if self._set is None or not path.startswith(self._prefix):
            return None
        hits = self._set.Match(for_re2(path[len(self._prefix) :]))
        if not hits:
            return None
        for index in sorted(hits, reverse=True):
            pattern = self.patterns[index]
            if is_folder or not pattern.folders_only:
                return not pattern.negated
        return None


def _compile(patterns: list[Pattern], kept: list[Pattern]) -> Any:
    """One RE2 set of `patterns` (used with full matches), each index that of its pattern in
    `kept`, where the patterns RE2 takes are put; None if it takes none. A set too large for its
    memory is an error."""
    options = re2.Options()
    options.log_errors = False
    options.dot_nl = True  # a file name may hold a newline
    options.max_mem = _MAX_MEM
    compiled = re2.Set.FullMatchSet(options)
    for pattern in patterns:
        try:
            index = compiled.Add(pattern.regex)
        except re2.error:  # a class RE2 cannot read ("[z-a]"): git matches nothing with it
            continue
        if index != len(kept):
            continue
        kept.append(pattern)
    if not kept:
        return None
    try:
        compiled.Compile()
    except re2.error:
        raise ValueError("too many patterns") from None
    return compiled


class IgnoreRules:
    """The ignore files that apply in one folder of a walk: its own and those of the folders
    above it, nearest last. Paths are relative to the walk's root, "/" separated."""

    def __init__(self, files: tuple[IgnoreFile, ...] = ()):
        self.files = files

    def ignored(self, path: str, is_folder: bool) -> bool:
        for ignore_file in reversed(self.files):
            decision = ignore_file.decides(path, is_folder)
            if decision is not None:
                return decision
        return False

    def adding(self, files: list[IgnoreFile]) -> IgnoreRules:
        return IgnoreRules(self.files + tuple(files)) if files else self


def read_ignore_file(path: str, real: str, base: str) -> IgnoreFile:
    """The ignore file at `path` (real path `real`: a link there is refused, not followed) for
    the folder `base` (relative to the walk's root); FileNotFoundError if there is none,
    IgnoreFileError if it cannot be used."""
    try:
        data = read_small_file(VettedPath(path, real), MAX_IGNORE_FILE_BYTES)
    except FileNotFoundError:
        raise
    except OSError as exc:
        reason = "a symbolic link, not followed" if os.path.islink(real) else (exc.strerror or str(exc))
        raise IgnoreFileError(path, f"ignore file not used: {reason}") from None
    except SkippedFile as exc:
        raise IgnoreFileError(path, f"ignore file not used: {exc}") from None
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    try:
        return IgnoreFile(base, parse(text))
    except ValueError as exc:
        raise IgnoreFileError(path, f"ignore file not used: {exc}") from None
