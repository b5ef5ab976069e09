"""Which rules can match a document, found in one pass over it.

Most rules find nothing in most articles, yet each one's program would scan the whole text. A
rule that knows literals one of which every finding contains (`Check.required_literals`, worked
out from its pattern by checks/literals.py) runs only on documents that contain one of them: all the
literals of all the rules are searched together by one RE2 set, in one pass. Rules without
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


class Prefilter:
    def __init__(self, rules: Sequence[Rule]):
        # One set member per gated rule: the alternation of its literals. The set reports the
        # members found anywhere in the text, overlapping or not, so each rule is asked whether
        # one of its own literals occurs, independently of the others.
        self._gated: dict[str, int] = {}  # rule name -> its member of the set
        self._members: list[str] = []
        for rule in rules:
            literals = rule.check.required_literals()
            if literals is None:
                continue
            self._gated[rule.name] = len(self._members)
            self._members.append("|".join(_literal_pattern(literal) for literal in sorted(literals)))
        self._set: Any = None

    def select(self, document: Document, rules: Sequence[Rule]) -> Sequence[Rule]:
        """The rules of `rules` that may report something in `document`."""
        if not self._gated:
            return rules
        found = self._found(document.scan_bytes)
        if found is None:
            return rules
        gated = self._gated
        return [rule for rule in rules if rule.name not in gated or gated[rule.name] in found]

    def _found(self, text: bytes) -> set[int] | None:
        """The members of the set found in `text` (None: the set could not be built)."""
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
            for index, member in enumerate(self._members):
                if literal_set.Add(member) != index:
                    return None
            literal_set.Compile()
        except re2.error:
            return None
        return literal_set

    def __getstate__(self) -> dict:
        # The compiled set does not pickle (workers started by spawn); each process builds its own.
        return {"_gated": self._gated, "_members": self._members, "_set": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


def _literal_pattern(literal: Literal) -> str:
    text, caseless = literal
    escaped = re2.escape(text)
    return f"(?i:{escaped})" if caseless else escaped
