"""How rules run fast, behind two small interfaces; checks/ says what they mean.

- A line rule hands its patterns (LinePatterns) to `line_matcher` and gets a LineMatcher, whose
  `spans(document, limit)` are the rule's matches, line by line (lines.py).
- `gate_for(rules)` gives a Gate, which picks per document the rules worth running (`select`);
  told how many documents a run has (`expect`), it prepares for them.
- The duplicate check finds its repeats with `near_duplicates.find_repeats`.

Two engines implement them. The fast one (the default) screens documents and lines, narrows
Unicode classes on Latin-1 text, splits large programs and matches anchored patterns from the
line's start (fast.py, gate.py). The reference one runs each rule's one program over the whole
text on every document (reference.py): the oracle the tests hold the fast one to.
NEWSLINT_ENGINE=reference picks it; both give the same output.

What the fast engine works out about a rule (strategy.py) is kept in the rule cache: the loader
asks `derived(check)` for it and gives it back with `restore(check, data)`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from newslint.document import Document
from newslint.engine.lines import GatedRule, LineMatcher, LinePatterns, RuleT
from newslint.engine.programs import alternation, compile_re2, regex_problem
from newslint.errors import UsageError

if TYPE_CHECKING:
    from newslint.checks.base import Check

__all__ = [
    "ENGINE_VARIABLE",
    "Gate",
    "GatedRule",
    "LineMatcher",
    "LinePatterns",
    "alternation",
    "compile_re2",
    "derived",
    "engine_name",
    "gate_for",
    "line_matcher",
    "regex_problem",
    "restore",
]

ENGINE_VARIABLE = "NEWSLINT_ENGINE"
ENGINES = ("fast", "reference")


class Gate(Protocol):
    def expect(self, documents: int) -> None:
        """Told that a run has `documents` to check."""

    def select(self, document: Document, rules: Sequence[RuleT]) -> Sequence[RuleT]:
        """The rules of `rules` that may report something in `document`; the others find
        nothing there."""


def engine_name() -> str:
    """The engine NEWSLINT_ENGINE names ("fast" unless set); UsageError for an unknown one."""
    name = os.environ.get(ENGINE_VARIABLE, "").strip() or "fast"
    if name not in ENGINES:
        raise UsageError(f"{ENGINE_VARIABLE} must be one of {', '.join(ENGINES)}, not {name!r}")
    return name


def line_matcher(patterns: LinePatterns) -> LineMatcher:
    """The engine's matcher of a line rule's patterns; it compiles nothing until it is used."""
    if engine_name() == "reference":
        from newslint.engine.reference import ReferenceLineMatcher

        return ReferenceLineMatcher(patterns)
    from newslint.engine.fast import FastLineMatcher

    return FastLineMatcher(patterns)


def gate_for(rules: Sequence[GatedRule]) -> Gate:
    """The engine's gate for a run of `rules`."""
    if engine_name() == "reference":
        from newslint.engine.reference import EveryRule

        return EveryRule(rules)
    from newslint.engine.gate import ScreenGate

    return ScreenGate(rules)


def derived(check: Check) -> dict[str, Any]:
    """What the fast engine works out about a check's line patterns, all of it now, as JSON
    values ({} for a check without): the same whichever engine runs, so the rule cache serves
    both."""
    strategy = _strategy(check)
    return {} if strategy is None else strategy.derived()


def restore(check: Check, data: dict[str, Any]) -> None:
    """Give back what `derived` returned; raise TypeError, ValueError or KeyError if it is
    damaged (the rule is then parsed afresh)."""
    strategy = _strategy(check)
    if strategy is not None:
        strategy.restore(data)


def _strategy(check: Check) -> Any:
    from newslint.engine.fast import FastLineMatcher
    from newslint.engine.strategy import Strategy

    matcher = check.matcher
    if matcher is None:
        return None
    # The reference engine uses none of it; it is worked out (or checked) all the same.
    return matcher.strategy if isinstance(matcher, FastLineMatcher) else Strategy(matcher.patterns)
