"""An RE2 pattern read token by token, knowing which tokens stand inside a bracket class.

checks/literals.py, checks/repertoire.py and checks/screen.py rewrite patterns token by token: a
Unicode class (`\\pL`, `\\p{Lu}`, `\\PL`) is one token, as is a character by its code
(`\\x{263A}`), any other escape (`\\]`, `\\x`) and a POSIX class (`[:alpha:]`) inside brackets;
everything else is one character (`[.` and `[=` mean nothing special to RE2). Bracket classes
follow RE2: a `]` first in the class (after an optional `^`) is a literal, the next one closes it.
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

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
