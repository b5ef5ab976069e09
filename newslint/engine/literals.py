"""The literal strings every match of an RE2 pattern must contain: the gate's raw material.

`required_literals(pattern)` returns a set of literals at least one of which occurs in any text
the pattern matches (or None when no such set can be worked out, e.g. for `^.{20,}$`). A text
containing none of them cannot match, so a rule need not run on it. This is the idea of RE2's
own FilteredRE2, whose atoms its Python binding does not expose; here the pattern is read by the
project's own RE2 parser (re2tree.py). Anything it cannot be sure of (`\\Q...\\E` quoting, `\\C`,
an octal escape) gives None: the rule then always runs. Only ever weaker, never stronger: every
step below either keeps a condition a match implies or drops it.

A literal is (text, caseless). The gate looks for them in the first few documents of a run
(later ones are screened by screen.py's patterns), folding the case of a caseless one at least
as widely as RE2's `(?i:...)` does, so it never misses what the rule would find.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import product

from newslint.engine.re2tree import (
    AnyChar,
    Char,
    CharClass,
    Concat,
    Empty,
    Node,
    Repeat,
    Unsupported,
    parse,
)

Literal = tuple[str, bool]

# Bounds on the work: at most this many alternative strings are carried through a sequence
# (`(?:a|b)(?:c|d)` is 4), and a character class of at most this many characters is spelled out.
MAX_EXACT = 64
MAX_CLASS = 8


def required_literals(pattern: str, ignore_case: bool = False) -> frozenset[Literal] | None:
    """Literals one of which every match of `pattern` (RE2 syntax) contains, or None."""
    try:
        tree = parse(pattern, ignore_case)
        exact, required = _node(tree)
    except (Unsupported, RecursionError):
        return None
    return required if exact is None else _as_required(exact)


# A node's facts: `exact`, the set of strings it can match when it is small and known (each a
# Literal), else None; `required`, literals one of which any match of it contains, or None.
Facts = tuple["frozenset[Literal] | None", "frozenset[Literal] | None"]
_EMPTY: Facts = (frozenset({("", False)}), None)
_UNKNOWN: Facts = (None, None)


def _node(node: Node) -> Facts:
    if isinstance(node, Concat):
        return _sequence(node.items)
    if isinstance(node, Char):
        return frozenset({(node.char, node.caseless and _has_case(node.char))}), None
    if isinstance(node, CharClass):
        chars = _class_chars(node)
        if chars is None:
            return _UNKNOWN
        return frozenset((c, node.caseless and _has_case(c)) for c in chars), None
    if isinstance(node, Empty):
        return _EMPTY  # ^, $, \b: zero width
    if isinstance(node, Repeat):
        if node.high == 0:
            return _EMPTY
        facts = _node(node.item)
        if node.low == node.high == 1:
            return facts
        if node.low == 0:
            return _UNKNOWN  # may match nothing
        return None, facts[1] if facts[0] is None else _as_required(facts[0])
    if isinstance(node, AnyChar):
        return _UNKNOWN  # ., \s, \pL: no literal
    return _branch([_node(branch) for branch in node.branches])


def _sequence(items: tuple[Node, ...]) -> Facts:
    """Facts of a concatenation: runs of exact parts multiply out; the rest are conditions,
    of which the most selective is kept (any of them holds for a match)."""
    exact = frozenset({("", False)})  # the current run of exact parts
    whole = True  # every part so far was exact: the sequence's strings are the run's
    conditions: list[frozenset[Literal]] = []

    def settle() -> None:
        required = _as_required(exact)
        if required is not None:
            conditions.append(required)

    for item_exact, item_required in _facts_of_items(items):
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


def _facts_of_items(items: tuple[Node, ...]) -> Iterator[Facts]:
    """The facts of each item, with each run of plain characters joined into one string first
    (the same strings as joining them one by one, without a set product per character)."""
    run: list[Char] = []
    for item in items:
        if isinstance(item, Char):
            run.append(item)
            continue
        if run:
            yield frozenset({_run_literal(run)}), None
            run = []
        yield _node(item)
    if run:
        yield frozenset({_run_literal(run)}), None


def _run_literal(chars: list[Char]) -> Literal:
    return "".join(c.char for c in chars), any(c.caseless and _has_case(c.char) for c in chars)


def _branch(alternatives: list[Facts]) -> Facts:
    exacts = [exact for exact, _ in alternatives if exact is not None]
    if len(exacts) == len(alternatives):
        union = frozenset[Literal]().union(*exacts)
        if len(union) <= MAX_EXACT:
            return union, None
    required: set[Literal] = set()
    for exact, needed in alternatives:
        needed = _as_required(exact) if exact is not None else needed
        if needed is None:
            return _UNKNOWN  # one alternative needs nothing, so the branch needs nothing
        required |= needed
    return None, frozenset(required)


def _class_chars(node: CharClass) -> list[str] | None:
    if node.negated or node.opaque:
        return None  # negated, or holding a class by name (\s, \d, \pL)
    chars: list[str] = []
    for low, high in node.ranges:
        if high - low >= MAX_CLASS:
            return None  # a wide range
        chars.extend(chr(c) for c in range(low, high + 1))
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
