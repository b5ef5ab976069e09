"""An RE2 pattern read token by token, knowing which tokens stand inside a bracket class.

re2tree.py parses patterns from their tokens, repertoire.py and screen.py rewrite patterns token
by token, and the fast engine asks of one whether its matches all start at a line's start: a
Unicode class (`\\pL`, `\\p{Lu}`, `\\PL`) is one token, as is a character by its code
(`\\x{263A}`), any other escape (`\\]`, `\\x`) and a POSIX class (`[:alpha:]`) inside brackets;
everything else is one character (`[.` and `[=` mean nothing special to RE2). Bracket classes
follow RE2: a `]` first in the class (after an optional `^`) is a literal, the next one closes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

UNICODE_CLASS = re.compile(r"\\[pP](?:\{[^}]*\}|[A-Za-z])")
# A character by its code (`\x{263A}`): one token, so its braces are not read as a repetition.
HEX_CODE = re.compile(r"\\x\{[^}]*\}")
# One that is not negated (`\PL` and `\p{^L}` are).
POSITIVE_UNICODE_CLASS = re.compile(r"\\p(?:\{(?!\^)[^}]*\}|[A-Za-z])")


class Token(NamedTuple):
    text: str
    start: int  # its offset in the pattern
    in_class: bool  # inside a bracket class (the brackets themselves are not)


def tokens(pattern: str) -> Iterator[Token]:
    i, in_class, class_start = 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            match = UNICODE_CLASS.match(pattern, i) or HEX_CODE.match(pattern, i)
            end = match.end() if match else i + 2
            yield Token(pattern[i:end], i, in_class)
            i = end
            continue
        if in_class:
            if char == "[" and pattern[i + 1 : i + 2] == ":":
                end = pattern.find(":]", i + 2)  # as RE2 looks for the end of [:alpha:]
                if end != -1:
                    yield Token(pattern[i : end + 2], i, True)
                    i = end + 2
                    continue
            if char == "]" and i > class_start:
                in_class = False
                yield Token(char, i, False)
                i += 1
                continue
        elif char == "[":
            yield Token(char, i, False)
            in_class = True
            class_start = i + 1
            if pattern[class_start : class_start + 1] == "^":
                yield Token("^", class_start, True)
                class_start += 1
                i += 1
            i += 1
            continue
        yield Token(char, i, in_class)
        i += 1


def bracket_ranges(codes: list[int]) -> str:
    """The inside of a bracket class matching exactly `codes` (sorted, not empty), as ranges."""
    parts = []
    start = previous = codes[0]
    for code in codes[1:] + [None]:
        if code is not None and code == previous + 1:
            previous = code
            continue
        parts.append(rf"\x{{{start:X}}}" if start == previous else rf"\x{{{start:X}}}-\x{{{previous:X}}}")
        if code is not None:
            start = previous = code
    return "".join(parts)


# How a group opens: `(`, `(?:`, `(?i:`, `(?P<name>`, `(?<name>`; or a flag group `(?i)`, which
# matches nothing and sets flags for the rest of its group.
_GROUP_OPENING = re.compile(r"\((?:\?(?:[A-Za-z-]*:|P?<[^>]*>))?")
_FLAG_GROUP = re.compile(r"\(\?[A-Za-z-]*\)")
# A repetition that lets the item before it match nothing: `?`, `*`, `{0}`, `{0,n}`, `{0,}`.
_OPTIONAL = re.compile(r"[?*]|\{0(?:,\d*)?\}")


def starts_at_line_start(pattern: str) -> bool:
    """Whether every match of `pattern` starts at the start of a line: each branch of its
    alternation begins with `^` (or `\\A`), or with a group, not optional, of which that holds.
    `^` holds only at the text's start or after a newline, with `(?m)` or without, so such a
    match found from a line's start is the only one its line can hold (no match crosses a line).
    False when unsure."""
    if "\\Q" in pattern:
        return False  # \Q...\E quoting: nothing in it is what it seems
    parts = list(tokens(pattern))
    anchored, end = _alternation_anchored(pattern, parts, 0)
    return anchored and end == len(parts)


def _alternation_anchored(pattern: str, parts: list[Token], k: int) -> tuple[bool, int]:
    """Whether each branch of the alternation starting at parts[k] is anchored; and the index of
    the `)` that ends it (or len(parts))."""
    anchored = True
    while True:
        branch, k = _branch_anchored(pattern, parts, k)
        anchored = anchored and branch
        if k < len(parts) and parts[k].text == "|" and not parts[k].in_class:
            k += 1
            continue
        return anchored, k


def _branch_anchored(pattern: str, parts: list[Token], k: int) -> tuple[bool, int]:
    """Whether the branch starting at parts[k] begins with an anchor; and the index of the `|`
    or `)` that ends it (or len(parts))."""
    anchored = None  # not decided yet: flag groups before the first item decide nothing
    while k < len(parts):
        text, start, in_class = parts[k]
        if not in_class and text in ("|", ")"):
            break
        if anchored is None and not in_class:
            flags = _FLAG_GROUP.match(pattern, start) if text == "(" else None
            if flags:
                k = _index_after(parts, k, flags.end())
                continue
            if text in ("^", "\\A"):
                anchored = True
            elif text == "(":
                opening = _GROUP_OPENING.match(pattern, start)
                assert opening is not None  # it matches at every "(": all after the "(" is optional
                inner, close = _alternation_anchored(pattern, parts, _index_after(parts, k, opening.end()))
                after = parts[close].start + 1 if close < len(parts) else len(pattern)
                anchored = inner and not _OPTIONAL.match(pattern, after)
                k = close + 1
                continue
            else:
                anchored = False
        if text == "(" and not in_class:  # a later group: skip it whole
            _, close = _alternation_anchored(pattern, parts, k + 1)
            k = close + 1
            continue
        k += 1
    return bool(anchored), k


def _index_after(parts: list[Token], k: int, offset: int) -> int:
    """The index of the first token at or after `offset` in the pattern, from parts[k] on."""
    while k < len(parts) and parts[k].start < offset:
        k += 1
    return k
