"""The reference engine: every rule as its one RE2 program over the whole text, and no gate.

No screen, literal, narrowed program, program group or anchored match: the plainest reading of
what a line rule matches, and so the oracle the fast engine (fast.py, gate.py) is tested
against. `NEWSLINT_ENGINE=reference` runs newslint on it, to the same output, only slower.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newslint.document import Document
from newslint.engine.lines import GatedRule, LineMatcher, RuleT


class ReferenceLineMatcher(LineMatcher):
    def document_spans(self, document: Document) -> Iterator[tuple[int, int, int]]:
        # Over the str: the binding gives offsets in characters, which Document.locate maps.
        for match in self.regex.finditer(document.scan_text):
            start, end = match.span()
            if start == end:
                continue  # an empty match flags nothing
            number, column = document.locate(start)
            yield number, column - 1, column - 1 + end - start

    def line_spans(self, text: str, document: Document) -> Iterator[tuple[int, int]]:
        for match in self.regex.finditer(text):
            yield match.span()


class EveryRule:
    """The reference engine's gate: every rule runs on every document."""

    def __init__(self, rules: Sequence[GatedRule]):
        pass

    def expect(self, documents: int) -> None:
        pass

    def select(self, document: Document, rules: Sequence[RuleT]) -> Sequence[RuleT]:
        return rules
