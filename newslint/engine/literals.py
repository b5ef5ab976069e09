"""The literal strings every match of an RE2 pattern must contain: the gate's raw material.

`required_literals(pattern)` returns a set of literals at least one of which occurs in any text
the pattern matches (or None when no such set can be worked out, e.g. for `^.{20,}$`). A text
containing none of them cannot match, so a rule need not run on it. This is the idea of RE2's
own FilteredRE2, whose atoms its Python binding does not expose; here the pattern is parsed
with Python's regular-expression parser, which reads the RE2 syntax rule files use once
Unicode classes (`\\pL`, `\\p{Lu}`) are replaced by "any character". Anything the translation
cannot be sure of (POSIX classes, a parse error, a flag in the middle of a pattern) gives None:
the rule then always runs. Only ever weaker, never stronger: every step below either keeps a
condition a match implies or drops it.

A literal is (text, caseless). The gate looks for them in the first few documents of a
run (later ones are screened by screen.py's patterns), folding the case of a caseless
one at least as widely as RE2's `(?i:...)` does, so it never misses what the rule would find.
"""

from __future__ import annotations

import re
import warnings
from itertools import product
from typing import Iterable

from newslint.engine.re2syntax import UNICODE_CLASS, tokens

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

Literal = tuple[str, bool]

# Bounds on the work: at most this many alternative strings are carried through a sequence
# (`(?:a|b)(?:c|d)` is 4), and a character class of at most this many characters is spelled out.
MAX_EXACT = 64
MAX_CLASS = 8

_ANY = r"\x00-\U0010ffff"  # stands for a Unicode class (\pL): any character, so it requires nothing


def required_literals(pattern: str, ignore_case: bool = False) -> frozenset[Literal] | None:
    """Literals one of which every match of `pattern` (RE2 syntax) contains, or None."""
    translated = _translate(pattern)
    if translated is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Python's own FutureWarnings (nested sets) are not the user's
            parsed = sre_parse.parse(translated)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    if parsed.state.flags & ~(sre_constants.SRE_FLAG_MULTILINE | sre_constants.SRE_FLAG_IGNORECASE | sre_constants.SRE_FLAG_UNICODE | sre_constants.SRE_FLAG_DOTALL):
        return None  # a flag whose meaning differs between the two syntaxes (verbose, ASCII, ...)
    caseless = ignore_case or bool(parsed.state.flags & sre_constants.SRE_FLAG_IGNORECASE)
    try:
        exact, required = _sequence(list(parsed), caseless)
    except RecursionError:
        return None
    return required if exact is None else _as_required(exact)


def _translate(pattern: str) -> str | None:
    """The pattern in Python's syntax, with each Unicode class as a class of every character;
    None where the two syntaxes may read it differently."""
    out = []
    for text, start, in_class in tokens(pattern):
        if UNICODE_CLASS.fullmatch(text):
            out.append(_ANY if in_class else f"[{_ANY}]")
            continue
        if text in ("\\Q", "\\E", "\\C", "\\z") or text.startswith("\\x{"):
            return None  # \Q...\E quoting, \C, \z, \x{...}: RE2 only
        if in_class and text.startswith("[") and pattern[start + 1 : start + 2] in (":", ".", "="):
            return None  # [[:alpha:]]: Python reads a different class
        if not in_class and text == "(" and pattern[start + 1 : start + 3] == "?<" and pattern[start + 3 : start + 4] not in ("=", "!"):
            return None  # (?<name>...): RE2's named group, unknown to Python 3.11
        out.append(text)
    return "".join(out)


# A node's facts: `exact`, the set of strings it can match when it is small and known (each a
# Literal), else None; `required`, literals one of which any match of it contains, or None.
Facts = tuple["frozenset[Literal] | None", "frozenset[Literal] | None"]
_EMPTY: Facts = (frozenset({("", False)}), None)
_UNKNOWN: Facts = (None, None)


def _sequence(items: list, caseless: bool) -> Facts:
    """Facts of a concatenation: runs of exact parts multiply out; the rest are conditions,
    of which the most selective is kept (any of them holds for a match)."""
    exact = frozenset({("", False)})  # the current run of exact parts
    whole = True  # every part so far was exact: the sequence's strings are the run's
    conditions: list[frozenset[Literal]] = []

    def settle() -> None:
        required = _as_required(exact)
        if required is not None:
            conditions.append(required)

    for op, arg in _literal_runs(items, caseless):
        item_exact, item_required = (arg, None) if op is _RUN else _node(op, arg, caseless)
        if item_exact is not None and len(exact) * len(item_exact) <= MAX_EXACT:
            exact = frozenset(_join(a, b) for a, b in product(exact, item_exact))
            continue
        settle()
        whole = False
        if item_exact is None:
            if item_required is not None:
                conditions.append(item_required)
            exact = frozenset({("", False)})  # what follows cannot be joined to what came before
        else:
            exact = item_exact  # too many strings to multiply out: a new run starts here
    if whole:
        return exact, None
    settle()
    return None, _most_selective(conditions)


_RUN = object()  # a run of literal characters, already joined: (_RUN, frozenset({literal}))


def _literal_runs(items: list, caseless: bool):
    """The items, with each run of plain characters joined into one string first (the same
    strings as joining them one by one, without a set product per character)."""
    run: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            yield _RUN, frozenset({_run_literal(run, caseless)})
            run = []
        yield op, arg
    if run:
        yield _RUN, frozenset({_run_literal(run, caseless)})


def _run_literal(chars: list[str], caseless: bool) -> Literal:
    return "".join(chars), caseless and any(_has_case(c) for c in chars)


def _node(op, arg, caseless: bool) -> Facts:
    if op is sre_constants.LITERAL:
        return frozenset({(chr(arg), caseless and _has_case(chr(arg)))}), None
    if op is sre_constants.IN:
        chars = _class_chars(arg)
        if chars is None:
            return _UNKNOWN
        return frozenset((c, caseless and _has_case(c)) for c in chars), None
    if op is sre_constants.AT:
        return _EMPTY  # ^, $, \b: zero width
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, sub = arg
        if add_flags & sre_constants.SRE_FLAG_IGNORECASE:
            caseless = True
        if del_flags & sre_constants.SRE_FLAG_IGNORECASE:
            caseless = False
        return _sequence(list(sub), caseless)
    if op is sre_constants.BRANCH:
        return _branch([_sequence(list(alternative), caseless) for alternative in arg[1]])
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        low, high, sub = arg
        if high == 0:
            return _EMPTY
        facts = _sequence(list(sub), caseless)
        if low == high == 1:
            return facts
        if low == 0:
            return _UNKNOWN  # may match nothing
        return None, facts[1] if facts[0] is None else _as_required(facts[0])
    return _UNKNOWN  # ., \s, a negated class, anything else: no literal


def _branch(alternatives: list[Facts]) -> Facts:
    if all(exact is not None for exact, _ in alternatives):
        union = frozenset().union(*(exact for exact, _ in alternatives))
        if len(union) <= MAX_EXACT:
            return union, None
    required: set[Literal] = set()
    for exact, needed in alternatives:
        needed = _as_required(exact) if exact is not None else needed
        if needed is None:
            return _UNKNOWN  # one alternative needs nothing, so the branch needs nothing
        required |= needed
    return None, frozenset(required)


def _class_chars(items) -> list[str] | None:
    chars: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            chars.append(chr(arg))
        elif op is sre_constants.RANGE and arg[1] - arg[0] < MAX_CLASS:
            chars.extend(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            return None  # negated, a category (\s, \d), a wide range
        if len(chars) > MAX_CLASS:
            return None
    return chars


def _join(a: Literal, b: Literal) -> Literal:
    # A caseless part makes the whole literal caseless: a weaker condition, never a stronger one.
    return a[0] + b[0], a[1] or b[1]


def _has_case(char: str) -> bool:
    # Only ASCII digits and punctuation are known not to fold: any other character of a
    # caseless part is searched caselessly too (RE2's folding is Unicode's, not Python's).
    return not (char.isascii() and not char.isalpha())


def _as_required(exact: frozenset[Literal]) -> frozenset[Literal] | None:
    """An exact set as a condition: one of its strings occurs. None if one of them is empty."""
    if any(not text for text, _ in exact):
        return None
    return exact


def _most_selective(conditions: Iterable[frozenset[Literal]]) -> frozenset[Literal] | None:
    """Of several conditions that all hold, the one least likely to hold by chance: the one
    whose shortest literal is longest (a literal of 12 characters rarely occurs by accident,
    one of 2 often), then the one with fewer literals."""
    best = None
    for condition in conditions:
        key = (min(len(text) for text, _ in condition), -len(condition))
        if best is None or key > best[0]:
            best = (key, condition)
    return best[1] if best else None
