"""Which rules can match a document, worked out before any of them runs.

Most rules find nothing in most articles, yet each one's program would scan the whole text. A
rule that knows literals one of which every finding contains (`Check.required_literals`, worked
out from its pattern by checks/literals.py) runs only on documents that contain one of them:
the literals of all the rules are searched together by one RE2 set, in one pass. Rules without
literals always run. Skipping a rule this way never changes what is reported, only the work.
"""

from __future__ import annotations

from typing import Any, Sequence

import re2

from newslint.checks.literals import Literal
from newslint.document import Document
from newslint.rules import Rule

# The literal set is one RE2 program with its own memory budget; a set too large for it (tens
# of thousands of user phrases) is not built, and every rule runs.
_SET_MAX_MEM = 64 << 20
# Building the set costs about as much as searching a few articles for each literal in turn,
# so the first few documents of a run (all of a pre-commit run's, usually) are searched that
# way, and the set is built only for a run that goes on, or for a long document: searching
# costs its length times the number of literals, which SEARCH_BUDGET bounds (about 2 ms; a
# 1.2 MB file would take a quarter of a second).
SEARCHED_DOCUMENTS = 4
SEARCH_BUDGET = 4_000_000


class Prefilter:
    """The literals of a run's rules, and per document the rules whose literals occur."""

    def __init__(self, rules: Sequence[Rule]):
        self._gated: dict[str, int] = {}  # rule name -> its index among the gated rules
        self._literals: list[list[Literal]] = []  # each gated rule's literals
        for rule in rules:
            literals = rule.check.required_literals()
            if literals is None:
                continue
            self._gated[rule.name] = len(self._literals)
            self._literals.append(sorted(literals))
        self._literal_count = sum(map(len, self._literals))
        self._set: Any = None
        self._searched = 0

    def select(self, document: Document, rules: Sequence[Rule]) -> Sequence[Rule]:
        """The rules of `rules` that may report something in `document`."""
        if not self._gated:
            return rules
        if (
            self._set is None
            and self._searched < SEARCHED_DOCUMENTS
            and len(document.scan_text) * self._literal_count <= SEARCH_BUDGET
        ):
            self._searched += 1
            found: set[int] | None = self._found_by_search(document.scan_text)
        else:
            found = self._found(document.scan_bytes)
        if found is None:
            return rules
        gated = self._gated
        return [rule for rule in rules if rule.name not in gated or gated[rule.name] in found]

    def _found_by_search(self, text: str) -> set[int]:
        """The gated rules with a literal in `text`, found by searching for each in turn.

        As the set would find them, or a few more: a caseless ASCII literal is looked for in
        the text lowercased, with "ſ" as "s" (RE2 folds the long s and the Kelvin sign, which
        lower() makes "k", onto ASCII letters; a character lower() turns into two, such as "İ",
        can only add a match), and a caseless literal that is not ASCII counts as found."""
        lowered = None
        found = set()
        for index, literals in enumerate(self._literals):
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
                    found.add(index)
                    break
        return found

    def _found(self, text: bytes) -> set[int] | None:
        """The gated rules with a literal in `text`, found by the set in one pass (None: the
        set could not be built). The set has one member per gated rule, the alternation of its
        literals, and reports every member found, overlapping or not."""
        if self._set is None:
            self._set = self._build() or False
        if self._set is False:
            return None
        return set(self._set.Match(text) or ())

    def _build(self) -> Any:
        options = re2.Options()
        options.max_mem = _SET_MAX_MEM
        options.log_errors = False
        literal_set = re2.Set.SearchSet(options)
        try:
            for index, literals in enumerate(self._literals):
                if literal_set.Add("|".join(map(_literal_pattern, literals))) != index:
                    return None
            literal_set.Compile()
        except re2.error:
            return None
        return literal_set

    def __getstate__(self) -> dict:
        # The compiled set does not pickle (workers started by spawn); each process builds its own.
        return {**self.__dict__, "_set": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


def _literal_pattern(literal: Literal) -> str:
    text, caseless = literal
    escaped = re2.escape(text)
    return f"(?i:{escaped})" if caseless else escaped
