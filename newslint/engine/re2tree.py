"""An RE2 pattern parsed into a tree, from its tokens (re2syntax.py), as far as RE2's syntax goes.

The tree says what each part of a pattern matches, at the level literals.py needs: a character
(with whether case is folded there), a bracket class, "some one character" (`.`, `\\d`, `\\pL`),
nothing (`^`, `\\b`), a concatenation, an alternation, a repetition. Flags follow RE2: `(?i)`
sets case folding for the rest of its group, across `|`; `(?i:...)` for the group it opens.
What the parser does not know for sure (`\\Q...\\E` quoting, `\\C`, an octal escape, anything
RE2 would refuse) raises Unsupported: its reader then knows nothing of the pattern.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from newslint.engine.re2syntax import Token, tokens


class Unsupported(ValueError):
    """A pattern, or a part of it, this parser cannot be sure how RE2 reads."""


class Char(NamedTuple):
    char: str
    caseless: bool  # case folded here: (?i) or the rule's ignore_case


class CharClass(NamedTuple):
    """A bracket class: `ranges` of code points (inclusive); `opaque` when it also holds a class
    by name (`\\d`, `\\pL`, `[:alpha:]`), whose members are not spelled out."""

    ranges: tuple[tuple[int, int], ...]
    negated: bool
    opaque: bool
    caseless: bool


class AnyChar(NamedTuple):
    """One character of a class not spelled out: `.`, `\\d`, `\\s`, `\\w`, `\\pL` and their negations."""


class Empty(NamedTuple):
    """Matches the empty string only: `^`, `$`, `\\A`, `\\z`, `\\b`, `\\B`."""


class Concat(NamedTuple):
    items: tuple[Node, ...]


class Alternation(NamedTuple):
    branches: tuple[Node, ...]


class Repeat(NamedTuple):
    low: int
    high: int | None  # None: no upper bound
    item: Node


Node = Char | CharClass | AnyChar | Empty | Concat | Alternation | Repeat

# A counted repetition as RE2 reads one ({2}, {2,}, {2,5}); `{,5}` and `{ 2}` are literal text.
COUNTED = re.compile(r"\{(\d+)(?:(,)(\d*))?\}")
_GROUP_OPENING = re.compile(r"\((?:\?(?:([A-Za-z-]*):|P?<[^>]*>))?")
_FLAG_GROUP = re.compile(r"\(\?([A-Za-z-]*)\)")
_FLAGS = re.compile(r"([imsU]*)(?:-([imsU]+))?")
_HEX_PAIR = re.compile(r"\\x([0-9A-Fa-f]{2})")
_HEX_BRACED = re.compile(r"\\x\{([0-9A-Fa-f]{1,8})\}")
# Escapes of one character (\t) and of a class by name (\d), as RE2 reads them.
_CONTROL = {"\\a": "\a", "\\f": "\f", "\\t": "\t", "\\n": "\n", "\\r": "\r", "\\v": "\v"}
_NAMED_CLASS = re.compile(r"\\[dDsSwW]|\\[pP](?:\{[^}]*\}|[A-Za-z])")
_ZERO_WIDTH = {"^", "$", "\\A", "\\z", "\\b", "\\B"}


def parse(pattern: str, caseless: bool = False) -> Node:
    """The tree of `pattern`, with case folded throughout if `caseless`; Unsupported if it
    holds anything this parser cannot be sure of."""
    parser = _Parser(pattern)
    try:
        tree = parser.alternation(caseless)
    except (RecursionError, IndexError):
        raise Unsupported("too deep, or cut short") from None
    if parser.k != len(parser.parts):
        raise Unsupported("an unmatched ')'")
    return tree


class _Parser:
    def __init__(self, pattern: str):
        self.pattern = pattern
        self.parts: list[Token] = list(tokens(pattern))
        self.k = 0  # the next token

    def _at(self, *texts: str) -> bool:
        """Whether the next token, outside a class, is one of `texts`."""
        return self.k < len(self.parts) and not self.parts[self.k].in_class and self.parts[self.k].text in texts

    def _skip_to(self, offset: int) -> None:
        """Move on to the first token at or after `offset` in the pattern."""
        while self.k < len(self.parts) and self.parts[self.k].start < offset:
            self.k += 1

    def alternation(self, caseless: bool) -> Node:
        flags = [caseless]  # (?i) changes it for the rest of the group, other branches included
        branches = [self._concatenation(flags)]
        while self._at("|"):
            self.k += 1
            branches.append(self._concatenation(flags))
        return branches[0] if len(branches) == 1 else Alternation(tuple(branches))

    def _concatenation(self, flags: list[bool]) -> Node:
        items: list[Node] = []
        while self.k < len(self.parts) and not self._at("|", ")"):
            item = self._atom(flags)
            if item is not None:
                items.append(self._repeated(item))
        return items[0] if len(items) == 1 else Concat(tuple(items))

    def _repeated(self, item: Node) -> Node:
        while self.k < len(self.parts) and not self.parts[self.k].in_class:
            text, start, _ = self.parts[self.k]
            counted = COUNTED.match(self.pattern, start) if text == "{" else None
            if text in ("*", "+", "?"):
                low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[text]
                self.k += 1
            elif counted:
                low = int(counted.group(1))
                high = low if counted.group(2) is None else (int(counted.group(3)) if counted.group(3) else None)
                self._skip_to(counted.end())
            else:
                return item
            if self._at("?"):
                self.k += 1  # a lazy repetition matches the same strings
            item = Repeat(low, high, item)
        return item

    def _atom(self, flags: list[bool]) -> Node | None:
        """The next item (None for a flag group, which matches nothing)."""
        text, start, _ = self.parts[self.k]
        if text == "(":
            return self._group(start, flags)
        if text == "[":
            return self._bracket_class(flags[0])
        if text in ("*", "+", "?") or (text == "{" and COUNTED.match(self.pattern, start)):
            raise Unsupported("a repetition of nothing")
        self.k += 1
        if text == ".":
            return AnyChar()
        if text in _ZERO_WIDTH:
            return Empty()
        if text.startswith("\\"):
            char = self._escaped_char(text, start)
            return AnyChar() if char is None else Char(char, flags[0])
        return Char(text, flags[0])

    def _group(self, start: int, flags: list[bool]) -> Node | None:
        flag_group = _FLAG_GROUP.match(self.pattern, start)
        if flag_group:
            flags[0] = _caseless(flag_group.group(1), flags[0])
            self._skip_to(flag_group.end())
            return None
        opening = _GROUP_OPENING.match(self.pattern, start)
        assert opening is not None  # it matches at every "(": all after the "(" is optional
        if opening.end() == start + 1 and self.pattern.startswith("(?", start):
            raise Unsupported("a group RE2 does not know")  # (?=, (?!, (?#
        caseless = flags[0] if opening.group(1) is None else _caseless(opening.group(1), flags[0])
        self._skip_to(opening.end())
        inner = self.alternation(caseless)
        if not self._at(")"):
            raise Unsupported("a group not closed")
        self.k += 1
        return inner

    def _bracket_class(self, caseless: bool) -> Node:
        self.k += 1  # the "["
        negated = self.k < len(self.parts) and self.parts[self.k].in_class and self.parts[self.k].text == "^"
        if negated:
            self.k += 1
        ranges: list[tuple[int, int]] = []
        opaque = False
        previous: str | None = None  # the last single character, which a "-" may extend to a range
        while self.k < len(self.parts) and self.parts[self.k].in_class:
            text, start, _ = self.parts[self.k]
            self.k += 1
            ends_class = self.k >= len(self.parts) or not self.parts[self.k].in_class
            if text == "-" and previous is not None and not ends_class:
                text, start, _ = self.parts[self.k]
                self.k += 1
                last = self._class_char(text, start)
                if last is None or ord(last) < ord(previous):
                    raise Unsupported("a range RE2 refuses")
                ranges[-1] = (ord(previous), ord(last))
                previous = None
                continue
            char = self._class_char(text, start)
            if char is None:
                opaque, previous = True, None
            else:
                ranges.append((ord(char), ord(char)))
                previous = char
        if not self._at("]"):
            raise Unsupported("a class not closed")
        self.k += 1
        return CharClass(tuple(ranges), negated, opaque, caseless)

    def _class_char(self, text: str, start: int) -> str | None:
        """The one character a token in a class stands for; None for a class by name."""
        if text.startswith("[:") and len(text) > 2:
            return None  # [:alpha:]
        if text.startswith("\\"):
            return self._escaped_char(text, start)
        return text

    def _escaped_char(self, text: str, start: int) -> str | None:
        """The character an escape stands for; None for a class by name (\\d, \\pL)."""
        if _NAMED_CLASS.fullmatch(text):
            return None
        if text in _CONTROL:
            return _CONTROL[text]
        braced = _HEX_BRACED.fullmatch(text)
        if braced and int(braced.group(1), 16) <= 0x10FFFF:
            return chr(int(braced.group(1), 16))
        pair = _HEX_PAIR.match(self.pattern, start) if text == "\\x" else None
        if pair:
            self._skip_to(pair.end())
            return chr(int(pair.group(1), 16))
        escaped = text[1:]
        if len(escaped) == 1 and escaped.isascii() and not escaped.isalnum():
            return escaped  # \. \( \\ \- ...
        raise Unsupported(f"an escape this parser does not read: {text}")  # \Q, \C, \1, \e ...


def _caseless(flags: str, caseless: bool) -> bool:
    """Case folding after flags such as `i`, `-i`, `im-s`."""
    parsed = _FLAGS.fullmatch(flags)
    if parsed is None:
        raise Unsupported(f"flags RE2 does not know: {flags}")
    if "i" in parsed.group(1):
        caseless = True
    if parsed.group(2) and "i" in parsed.group(2):
        caseless = False
    return caseless
