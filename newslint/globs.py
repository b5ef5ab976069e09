"""Glob patterns from a config file (include, exclude, per-file-ignores), gitignore-style.

Patterns are matched against a path relative to the config file's folder, with "/" separators:

- a pattern without "/" matches a file name or any folder name on the path (`*.md`, `drafts`);
- a pattern with "/" is anchored at the config folder (`wire/*.txt`, `archive/**/old-*.md`);
- `*` and `?` never cross a "/", `**` spans any number of folders, `[abc]` is a character class;
- a pattern that matches a folder matches everything under it (`archive` or `archive/`).

Globs come from a config file, which in CI may come from a stranger's pull request, and are
matched against every path a run walks: they run on RE2, in time linear in the path, like every
regular expression in newslint (`*a*a*a*a*a*b` on Python's backtracking `re` took minutes on a
200-character name).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import re2

if TYPE_CHECKING:
    from newslint.engine.programs import Program

# The memory one GlobSet's program may take: far more than thousands of globs need.
_MAX_MEM = 32 << 20


def translate(pattern: str) -> str:
    """The regular expression (without anchors) for one glob pattern."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            regex, i = _char_class(pattern, i)
            out.append(regex)
        else:
            out.append(re2.escape(c))
            i += 1
    return "".join(out)


def _char_class(pattern: str, i: int, negated_extra: str = "") -> tuple[str, int]:
    """The regular expression for the character class `[...]` opening at pattern[i], and where
    the pattern goes on after it (a "[" without its "]" is a literal "["). A negated class
    (`[!a]`, `[^a]`) also leaves out the characters of `negated_extra`."""
    end = pattern.find("]", i + 2 if pattern.startswith(("[!", "[^"), i) else i + 1)
    if end == -1:  # no closing bracket: a literal "["
        return re2.escape("["), i + 1
    body = pattern[i + 1 : end]
    negated = body[:1] in ("!", "^")
    if negated:
        body = body[1:]
    # Escaped: "\\", and "[" ("[:alpha:]" is a class of its own in RE2), "&", "~", "|".
    body = re.sub(r"([\\\[&~|])", r"\\\1", body)
    return ("[^" + body + re2.escape(negated_extra) if negated else "[" + body) + "]", end + 1


def gitignore_regex(body: str) -> str:
    """The regular expression (without anchors) for a pattern of a .gitignore file, as git's
    documentation (gitignore(5)) defines it, for a path relative to the file's folder. `body` is
    the pattern without its `!`, leading `/` and trailing `/`; without any other `/` the caller
    puts `**/` before it. Unlike a config's globs, a backslash escapes the next character, and
    `**` spans folders only as a whole part of the path (`**/x`, `x/**`, `x/**/y`); elsewhere
    it is a `*`. No wildcard or class matches a "/"."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == "*":
            j = i
            while j < n and body[j] == "*":
                j += 1
            whole_part = j - i >= 2 and (i == 0 or body[i - 1] == "/") and (j == n or body[j] == "/")
            if whole_part and j == n:  # "x/**": everything inside
                out.append(".*")
            elif whole_part:  # "**/": any number of folders, none included
                out.append("(?:.*/)?")
                j += 1
            else:
                out.append("[^/]*")
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "\\":
            out.append(re2.escape(body[i + 1 : i + 2]))  # a trailing backslash stands for nothing
            i += 2
        elif c == "[":
            regex, i = _char_class(body, i, negated_extra="/")
            out.append(regex)
        else:
            out.append(re2.escape(c))
            i += 1
    return "".join(out)


def glob_problem(pattern: str) -> str | None:
    """Why `pattern` is not a usable glob (a bad character class such as "[z-a]"), or None."""
    if not pattern.strip():
        return "a glob must not be empty"
    try:
        _compile([translate(pattern.strip())])
    except re2.error as exc:
        return f"invalid glob {pattern!r}: {_reason(exc)}"
    return None


def _compile(alternatives: list[str]) -> Program:
    """One RE2 program matching any of the translated globs (used with fullmatch); `.` and
    negated classes take a newline too, which a file name may hold."""
    options = re2.Options()
    options.log_errors = False
    options.dot_nl = True
    options.max_mem = _MAX_MEM
    return re2.compile("|".join(f"(?:{a})" for a in alternatives), options)


def _reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


class GlobSet:
    """Some glob patterns; `match(relative_path)` says whether any of them matches."""

    def __init__(self, patterns: Iterable[str]):
        self.patterns = tuple(patterns)
        anchored: list[str] = []  # translated globs of paths
        names: list[str] = []  # of names, matched anywhere
        for pattern in self.patterns:
            body = pattern.strip().rstrip("/")
            body = body[2:] if body.startswith("./") else body.lstrip("/")
            (anchored if "/" in body else names).append(translate(body))
        self._anchored = _compile(anchored) if anchored else None
        self._names = _compile(names) if names else None

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def match(self, relative_path: str) -> bool:
        relative_path = for_re2(relative_path)
        parts = [p for p in relative_path.replace(os.sep, "/").split("/") if p not in ("", ".")]
        if self._names is not None and any(self._names.fullmatch(part) for part in parts):
            return True
        if self._anchored is not None:
            # The path itself or any folder above it.
            return any(self._anchored.fullmatch("/".join(parts[:end])) for end in range(len(parts), 0, -1))
        return False


def for_re2(path: str) -> str:
    """`path` as RE2 can read it. RE2 reads UTF-8: each byte of a name that is not UTF-8 (a
    lone surrogate here) is matched as one U+FFFD, which `?` and `*` match as they match any
    character."""
    if path.isascii():
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def relative_to(path: str, root: str) -> str:
    """`path` relative to the folder `root`, with "/" separators (may start with "../")."""
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
