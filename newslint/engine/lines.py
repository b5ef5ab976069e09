"""The interface between the line rules and the engine: a rule's patterns in, its matches out.

A line rule (checks/matching.py) is one RE2 pattern, perhaps the alternation of several. Its
matches are those `finditer` gives over the document's scan text (its checked lines joined by
"\\n"; compiled never_nl, so no match crosses a line), at most a given number on each line. What
they mean (where in the article, how long the line, `unless`, lists, fixes) is the rule's
business; how they are found is the engine's, and each engine finds the same: the fast one
(fast.py) with screens, narrowed programs and program groups, the reference one (reference.py)
with the rule's one program over the whole text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

from newslint.document import Document, Line
from newslint.engine.programs import compile_re2

if TYPE_CHECKING:
    from newslint.engine.programs import Program


class _Matched(Protocol):
    @property
    def matcher(self) -> LineMatcher | None: ...


class GatedRule(Protocol):
    """What a gate knows of a rule (rules.Rule is one): its name, and its check's matcher (None
    for a check that reads the document its own way). The engine knows nothing else of rules."""

    @property
    def name(self) -> str: ...

    @property
    def check(self) -> _Matched: ...


RuleT = TypeVar("RuleT", bound=GatedRule)


class LinePatterns(NamedTuple):
    """What a line rule asks the engine to match."""

    pattern: str  # the whole rule, one RE2 pattern
    # The patterns `pattern` is the alternation of (a `pattern` rule's), or None: an engine may
    # run them as several programs.
    alternatives: tuple[str, ...] | None
    ignore_case: bool


class LineMatcher:
    """Finds the matches of one rule's line patterns. An engine implements `document_spans`
    (the non-empty matches over the scan text) and `line_spans` (the matches in one line's text);
    `spans` holds every engine to the same limit per line."""

    def __init__(self, patterns: LinePatterns):
        self.patterns = patterns
        self._regex: Program | None = None

    @property
    def regex(self) -> Program:
        """The rule's program as one, for any text: what loading validates."""
        if self._regex is None:
            self._regex = compile_re2(self.patterns.pattern, self.patterns.ignore_case)
        return self._regex

    def compile(self) -> None:
        """Compile the rule's program; raise ValueError (RE2's reason) if it cannot be. Every
        other program an engine compiles is no larger: a part of these patterns, or narrowed."""
        self.regex  # noqa: B018

    def program_size(self) -> int:
        return self.regex.programsize

    def spans(self, document: Document, limit: int) -> Iterator[tuple[Line, int, int]]:
        """Each non-empty match as (line, start, end), columns 0-based, in order, and at most
        `limit` on a line: the first that `finditer` gives there.

        Once a line reaches the limit, the search of the whole text stops and the lines after
        it are searched one by one, each up to the limit. A search may read to the end of the
        line before it settles on a match (`x*y|x` on a long run of x's), so finding every match
        on a line costs up to (matches on the line) x (its length): with the limit that stays
        linear in the file's size.
        """
        current, found = 0, 0
        lines = document.lines
        for number, start, end in self.document_spans(document):
            found = found + 1 if number == current else 1
            current = number
            yield lines[number - 1], start, end
            if found == limit:
                break
        else:
            return
        for line in lines[current:]:
            if not line.checked:
                continue
            found = 0
            for start, end in self.line_spans(line.text, document):
                if start == end:
                    continue
                yield line, start, end
                found += 1
                if found == limit:
                    break

    def document_spans(self, document: Document) -> Iterator[tuple[int, int, int]]:
        """The non-empty matches of `finditer` over the document's scan text, in order, each as
        (line number, start, end), columns 0-based."""
        raise NotImplementedError

    def line_spans(self, text: str, document: Document) -> Iterator[tuple[int, int]]:
        """The spans `finditer` gives over `text`, a line of `document` alone."""
        raise NotImplementedError
