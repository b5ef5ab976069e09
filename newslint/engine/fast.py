"""The fast engine's line matcher: a rule's matches found with as little RE2 work as it takes.

The rule's screen (screen.py) picks out the lines it may match, and only those are searched; a
line of COMMON characters is searched by programs whose Unicode classes are narrowed to them
(repertoire.py); a rule whose program would be large runs as a few smaller ones (program groups),
their matches merged in the order one program would give them (spans.py); an alternative that
opens with `^` is matched from its line's start, never searched for. What to do is worked out
once per rule (strategy.py); the spans are those of the reference engine (reference.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

import re2

from newslint.document import Document
from newslint.engine.lines import LineMatcher, LinePatterns
from newslint.engine.programs import MAX_MEM, compile_re2
from newslint.engine.repertoire import is_common, narrow
from newslint.engine.scan import encoded
from newslint.engine.spans import merged_spans
from newslint.engine.strategy import Strategy

if TYPE_CHECKING:
    from newslint.engine.programs import Program

# A rule searches at most this many lines its screen matches one by one, then scans the rest of
# the document whole; a rule with anchored patterns searches every such line one by one (see
# FastLineMatcher._screened_spans).
SCREENED_LINES = 32


class FastLineMatcher(LineMatcher):
    """Each program is compiled when a line first needs it, so a one-file run compiles only a
    few, and never the program of a rule the gate rules out (compiling the built-in rules is
    most of start-up)."""

    def __init__(self, patterns: LinePatterns):
        super().__init__(patterns)
        self.strategy = Strategy(patterns)
        self._programs: list[Program] | None = None  # for any text: one program per group
        self._common_programs: list[Program] | None = None  # narrowed, for COMMON text
        self._full_by_group: dict[int, Program] | None = None  # group index -> its full program, compiled so far
        self._alternative_programs: dict[bool, dict[int, Program]] = {}  # (common, index) -> one alternative's program
        self._alternative_set: re2.Set | Literal[False] | None = None  # built on first use; False if it cannot be

    def __getstate__(self) -> dict[str, Any]:
        # The compiled set does not pickle (workers started by spawn); each process builds its own.
        return {**self.__dict__, "_alternative_set": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def programs(self, common: bool) -> list[Program]:
        """The programs that together find the rule's matches: narrowed ones (see
        repertoire.py) for a text of COMMON characters only, the full ones for any text.
        Each is compiled when first asked for. (A line the screen picks out is searched by
        the alternatives it may hold, each alone: _alternatives_spans.)"""
        if common:
            if self._common_programs is None:
                full = self.strategy.group_patterns()
                self._common_programs = [
                    self._full_program(k, full) if narrowed == full[k] else self._narrowed_program(k, full, narrowed)
                    for k, narrowed in enumerate(self.strategy.narrowed_patterns)
                ]
            return self._common_programs
        if self._programs is None:
            full = self.strategy.group_patterns()
            self._programs = [self._full_program(k, full) for k in range(len(full))]
        return self._programs

    def _narrowed_program(self, index: int, patterns: list[str], narrowed: str) -> Program:
        try:
            return compile_re2(narrowed, self.patterns.ignore_case)
        except ValueError:  # cannot happen for a pattern that loaded; if it did, stay correct
            return self._full_program(index, patterns)

    def _full_program(self, index: int, patterns: list[str]) -> Program:
        """The full program of group `index` (of `patterns`), compiled once."""
        if len(patterns) == 1:
            return self.regex
        if self._full_by_group is None:
            self._full_by_group = {}
        program = self._full_by_group.get(index)
        if program is None:
            program = self._full_by_group[index] = compile_re2(patterns[index], self.patterns.ignore_case)
        return program

    def document_spans(self, document: Document) -> Iterator[tuple[int, int, int]]:
        # The scan reads UTF-8 bytes, encoded once per document (scan.py).
        scan = encoded(document)
        for start, end in self._screened_spans(document):
            if start == end:
                continue  # an empty match flags nothing
            number, column = scan.locate(start)
            yield number, column - 1, column - 1 + scan.length(start, end)

    def line_spans(self, text: str, document: Document) -> Iterator[tuple[int, int]]:
        return merged_spans(self.programs(encoded(document).common), text)

    def _screened_spans(self, document: Document) -> Iterator[tuple[int, int]]:
        """The spans `merged_spans` gives over the document's encoded scan text, searched only
        on the lines the rule's screen matches (it matches every line the pattern does,
        screen.py). The same spans: no match crosses a line, and each line's search sees the
        text around it, as `^`, `$` and `\\b` do in the whole text. On most flagged documents
        one or two lines are searched, so the rule's own programs, the dearer ones, see little
        text; and a line of COMMON characters is searched by the narrowed programs even in a
        document that has others (they read the line and the newlines around it, nothing more).

        A rule with anchored alternatives (each built-in one) is searched line by line to the
        end, as such an alternative is matched from the start of each line (see merged_spans):
        a line the screen picks out costs a screen search, a set search and a match of the
        alternatives that may hold it (_alternatives_spans), in time linear in its length
        whatever its text."""
        scan = encoded(document)
        data = scan.data
        common = scan.common
        screen = self.strategy.screen_program()
        if screen is None:
            yield from merged_spans(self.programs(common), data)
            return
        anchored = self.strategy.anchored_alternatives
        by_line = any(anchored)
        # A rule of one program (of one pattern, or of anchored patterns only) runs it on each
        # line; the others run the patterns each line may hold (see _alternatives_spans).
        whole = len(anchored) == 1 or (self.strategy.groups is None and all(anchored))
        position = 0
        searched = 0
        # One iterator over the screen's matches, each line taken at its first.
        matches = screen.finditer(data)
        while by_line or searched < SCREENED_LINES:
            match = next(matches, None)
            if match is None:
                return
            start = match.start()
            if start < position:
                continue  # the line is searched already
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", start)
            if line_end == -1:
                line_end = len(data)
            line_common = common or is_common(data[line_start:line_end].decode("utf-8"))
            if not whole:
                yield from self._alternatives_spans(data, line_start, line_end, line_common)
            elif anchored[0]:
                found = self.programs(line_common)[0].match(data, line_start, line_end)
                if found is not None:
                    yield line_start, found.end()
            else:
                yield from merged_spans(self.programs(line_common), data, line_start, line_end)
            searched += 1
            position = line_end + 1
            if position > len(data):
                return
        # The screen matches line after line (a file of junk): one scan of the rest costs less
        # than a search per line, and finds the same (from a line's start, as above).
        yield from merged_spans(self.programs(common), data, position)

    def _alternatives_spans(
        self, data: bytes, line_start: int, line_end: int, common: bool
    ) -> Iterator[tuple[int, int]]:
        """The spans `merged_spans` gives on one line of `data` (its text around still seen)
        for a rule split into several programs for size (groups), or with patterns both
        anchored and not: the patterns whose screen matches the line, each alone (one set search
        says which), by their narrowed programs if the line is `common`.

        One program of many patterns tracks them all at once, and where one builds a new
        automaton state at every character (lines of many "Credit: X" for photo-caption's
        `\\bCredit:\\s*\\S[^.]{1,80}\\W*$`, each credit starting another count), all the
        others are carried into each new state, and two programs of a dozen patterns cost over
        twice what that pattern costs alone (benchmarks/hostile.py, "many 'Credit: X'", gives
        the cost as it is now). The screens share no such states (they have no
        counted repetitions), and a line a rule's screen picks out most often holds one or two
        patterns' words."""
        chosen = self._screened_alternatives(data[line_start:line_end])
        programs = [self._alternative_program(k, common) for k in chosen]
        anchored = [self.strategy.anchored_alternatives[k] for k in chosen]
        if all(anchored):
            # Each can only match at the line's start: the first that does gives the one span.
            for program in programs:
                match = program.match(data, line_start, line_end)
                if match is not None:
                    yield match.span()
                    return
            return
        yield from merged_spans(programs, data, line_start, line_end, anchored)

    def _screened_alternatives(self, line: bytes) -> list[int]:
        """The indices of the alternatives whose screen matches `line`, in order (all of them if
        the set could not tell). The line is searched alone: `^`, `$` and `\\b` hold at its ends
        as beside its newlines, and `\\A` and `\\z` only match more."""
        count = len(self.strategy.anchored_alternatives)
        screens = self._screen_set()
        found = screens.Match(line) if screens is not None else None
        if not found or count not in found:
            return list(range(count))
        return sorted(k for k in found if k != count)

    def _screen_set(self) -> re2.Set | None:
        """One RE2 set of the alternatives' screens and, last, a pattern that matches any text
        (so a search that failed, its automaton out of memory, tells itself apart by lacking
        it); None if the set cannot be built."""
        if self._alternative_set is None:
            options = re2.Options()
            options.log_errors = False
            options.never_nl = True
            options.max_mem = MAX_MEM
            screens = re2.Set.SearchSet(options)
            try:
                for pattern in (self.strategy.alternative_screens or []) + [""]:
                    screens.Add(pattern)
                screens.Compile()
            except re2.error:
                self._alternative_set = False
            else:
                self._alternative_set = screens
        return self._alternative_set or None

    def _alternative_program(self, index: int, common: bool) -> Program:
        """Alternative `index` alone, narrowed for a line of COMMON characters; compiled once."""
        programs = self._alternative_programs.setdefault(common, {})
        program = programs.get(index)
        if program is None:
            full = f"(?m){(self.patterns.alternatives or ())[index]}"
            pattern = narrow(full) if common else full
            if common and pattern == full:
                program = self._alternative_program(index, False)
            else:
                program = compile_re2(pattern, self.patterns.ignore_case)
            programs[index] = program
        return program
