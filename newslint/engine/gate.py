"""The fast engine's gate: which rules can match a document, worked out before any of them runs.

Most rules find nothing in most articles, yet each one's program would scan the whole text.
Each line rule's screen (screen.py: a small pattern that matches wherever the rule's does) goes
into one RE2 set, and one pass of the set over a document tells which screens match: only those
rules run. Rules without a screen (the duplicate check, a rule run as several programs) always
run. Skipping a rule this way never changes what is reported, only the work.

Building the set costs about as much as checking a few articles, so the first few documents
of a run (all of a pre-commit run's, usually) are screened more cheaply: by the literals one of
which every finding of a rule contains (literals.py), each looked for in turn.
"""

from __future__ import annotations

import typing
from collections.abc import Container, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import re2

from newslint.document import Document
from newslint.engine.fast import FastLineMatcher
from newslint.engine.lines import GatedRule, RuleT
from newslint.engine.scan import encoded
from newslint.engine.strategy import Strategy

if TYPE_CHECKING:
    from newslint.engine.literals import Literal

# The set is one RE2 program with its own memory budget; a set too large for it (tens of
# thousands of user phrases) is not built, and every rule runs.
_SET_MAX_MEM = 64 << 20
# The first few documents of a run are searched for literals, and the set is built only for a
# run that goes on, or for a long document: searching costs its length times the number of
# literals, which SEARCH_BUDGET bounds to less than building the set would cost (which is why a
# long file builds it instead).
SEARCHED_DOCUMENTS = 4
SEARCH_BUDGET = 4_000_000


class ScreenGate:
    """The screens and literals of a run's rules, and per document the rules they let run. Both
    are worked out when first needed: a run of many documents never searches for literals."""

    def __init__(self, rules: Sequence[GatedRule]):
        self._rules = list(rules)
        self._set: re2.Set | typing.Literal[False] | None = None  # built on first use; False if it cannot be
        self._searched = 0

    @cached_property
    def _literals(self) -> dict[str, list[Literal]]:
        """Each rule's literals (by rule name), for the rules that have them."""
        gated = {rule.name: _literals_of(rule) for rule in self._rules}
        return {name: sorted(literals) for name, literals in gated.items() if literals is not None}

    @cached_property
    def _screens(self) -> dict[str, str]:
        """Each rule's screen (by rule name), for the rules that have one, in the set's order."""
        screens = {rule.name: _screen_of(rule) for rule in self._rules}
        return {name: screen for name, screen in screens.items() if screen is not None}

    def expect(self, documents: int) -> None:
        """Told that a run has `documents` to check: past a few, the set is built now, before
        any worker starts (forked workers share it), and no document is searched for literals."""
        if documents > SEARCHED_DOCUMENTS:
            self._searched = SEARCHED_DOCUMENTS
            self._screen_set()

    def select(self, document: Document, rules: Sequence[RuleT]) -> Sequence[RuleT]:
        """The rules of `rules` that may report something in `document`."""
        if self._set is None and self._searched < SEARCHED_DOCUMENTS and self._searchable(len(document.scan_text)):
            self._searched += 1
            return _kept(rules, self._literals, self._found_by_search(document.scan_text))
        return _kept(rules, self._screens, self._found(encoded(document).data))

    def _searchable(self, length: int) -> bool:
        """Whether searching a text of `length` for every literal keeps within SEARCH_BUDGET.
        The rules' literals are worked out only as far as it takes to tell: a long document is
        over the budget after a rule or two (working them all out costs more than checking
        it)."""
        total = 0
        for rule in self._rules:
            total += len(_literals_of(rule) or ())
            if length * total > SEARCH_BUDGET:
                return False
        return length <= SEARCH_BUDGET

    def _found_by_search(self, text: str) -> set[str]:
        """The rules with a literal in `text`, found by searching for each in turn.

        As RE2 would find them (a caseless one as `(?i:literal)`), or a few more: a caseless
        ASCII literal is looked for in the text lowercased, with "ſ" as "s" (RE2 folds the long
        s and the Kelvin sign, which lower() makes "k", onto ASCII letters; a character lower()
        turns into two, such as "İ", can only add a match), and a caseless literal that is not
        ASCII counts as found."""
        lowered = None
        found = set()
        for name, literals in self._literals.items():
            for literal, caseless in literals:
                if not caseless:
                    hit = literal in text
                elif literal.isascii():
                    if lowered is None:
                        lowered = text.lower().replace("\u017f", "s")
                    hit = literal.lower() in lowered
                else:
                    hit = True
                if hit:
                    found.add(name)
                    break
        return found

    def _found(self, text: bytes) -> set[str] | None:
        """The rules whose screen matches `text`, found by the set in one pass (None: unknown,
        they all run). The set reports every member that matches, overlapping or not; its last
        member matches any text, so a result without it is a search that failed (RE2's
        automaton out of memory), not a text that matches nothing."""
        screen_set = self._screen_set()
        if screen_set is None:
            return None
        found = set(screen_set.Match(text) or ())
        names = self._screen_names
        if len(names) not in found:
            return None
        found.discard(len(names))
        return {names[index] for index in found}

    def _screen_set(self) -> re2.Set | None:
        """The set of the rules' screens, built on first use (None if it cannot be)."""
        if self._set is None:
            self._set = (self._build() if self._screens else None) or False
        return self._set or None

    @cached_property
    def _screen_names(self) -> list[str]:
        """The rule of each member of the set, by index."""
        return list(self._screens)

    def _build(self) -> re2.Set | None:
        options = re2.Options()
        options.max_mem = _SET_MAX_MEM
        options.log_errors = False
        options.never_nl = True
        screen_set = re2.Set.SearchSet(options)
        try:
            # Last, a member that matches any text (at its start: a member that matched
            # everywhere would make every state of the automaton a match, and each search
            # far slower).
            for index, screen in enumerate([*self._screens.values(), r"\A"]):
                if screen_set.Add(screen) != index:
                    return None
            screen_set.Compile()
        except re2.error:
            return None
        return screen_set

    def __getstate__(self) -> dict[str, Any]:
        # The compiled set does not pickle (workers started by spawn); each process builds its own.
        return {**self.__dict__, "_set": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def _kept(rules: Sequence[RuleT], gated: Container[str], found: set[str] | None) -> Sequence[RuleT]:
    """The rules not gated, and the gated ones found (all of them if `found` is None)."""
    if found is None or not gated:
        return rules
    return [rule for rule in rules if rule.name not in gated or rule.name in found]


def _strategy(rule: GatedRule) -> Strategy | None:
    """The fast engine's strategy for the rule's line patterns; None for a rule without them
    or one matched by another engine (it always runs)."""
    matcher = rule.check.matcher
    return matcher.strategy if isinstance(matcher, FastLineMatcher) else None


def _literals_of(rule: GatedRule) -> frozenset[Literal] | None:
    strategy = _strategy(rule)
    return None if strategy is None else strategy.required_literals()


def _screen_of(rule: GatedRule) -> str | None:
    strategy = _strategy(rule)
    return None if strategy is None else strategy.gate_screen()
