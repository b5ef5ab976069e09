"""How the fast engine runs one rule's line patterns, worked out from the patterns alone.

A rule's strategy is plain data: the literals one of which every match holds (literals.py), its
screen (screen.py) and each alternative's, whether each alternative is anchored at a line's
start (re2syntax.py), the groups of alternatives run as separate programs, and each program's
narrowed pattern (repertoire.py). Each part is worked out the first time it is needed, so a run
never works out what it does not use; the rule cache keeps them all (`derived`, `restore`), so a
run that reads its rules from the cache works none of them out again.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, Final

from newslint.engine.lines import LinePatterns
from newslint.engine.programs import alternation, compile_re2
from newslint.engine.re2syntax import starts_at_line_start
from newslint.engine.repertoire import narrow

if TYPE_CHECKING:
    from newslint.engine.literals import Literal
    from newslint.engine.programs import Program

# literals.py and screen.py are imported where they are first needed: a run whose rules come
# from the cache needs neither.

# A rule's narrowed program over SPLIT_SIZE instructions runs as programs of about GROUP_SIZE
# (see Strategy.groups).
SPLIT_SIZE = 9_000
GROUP_SIZE = 5_000


class _Unknown(Enum):
    """Not worked out yet (an enum member, so that `is _UNKNOWN` tells mypy the type)."""

    UNKNOWN = 0


_UNKNOWN: Final = _Unknown.UNKNOWN


def _literal(item: Any) -> Literal:
    text, caseless = item
    if not isinstance(text, str) or not text or not isinstance(caseless, bool):
        raise TypeError(f"not a literal: {item!r}")
    return text, caseless


class Strategy:
    """The fast engine's analysis of one rule's line patterns (see the module's docstring)."""

    def __init__(self, patterns: LinePatterns):
        self.patterns = patterns
        self._literals: frozenset[Literal] | None | _Unknown = _UNKNOWN
        self._screen: str | _Unknown = _UNKNOWN
        self._screen_program: Program | None | _Unknown = _UNKNOWN
        # How many consecutive alternatives each program holds; None: one program.
        self._groups: list[int] | None | _Unknown = _UNKNOWN
        self._anchored: list[bool] | None = None  # whether each alternative (the pattern, without any) is anchored
        # Each alternative's screen; None for a rule of one pattern.
        self._alternative_screens: list[str] | None | _Unknown = _UNKNOWN
        self._narrowed: list[str] | None = None  # the narrowed pattern of each program

    def required_literals(self) -> frozenset[Literal] | None:
        """Literals one of which every match contains, or None (no such set is known)."""
        if self._literals is _UNKNOWN:
            from newslint.engine.literals import required_literals

            self._literals = required_literals(self.patterns.pattern, self.patterns.ignore_case)
        return self._literals

    @property
    def line_screen(self) -> str:
        """The rule's screen (screen.py), with its case folding written in: a cheap search for
        the lines the rule may match."""
        if self._screen is _UNKNOWN:
            from newslint.engine.screen import screen

            widened, whole = self._cased(screen(self.patterns.pattern)), self._cased(self.patterns.pattern)
            try:
                program = compile_re2(widened, ignore_case=False)
            except ValueError:  # not expected; the pattern itself is a screen, if a dear one
                widened, program = whole, None
            self._screen = widened
            # Compiled to be checked: kept, so screen_program does not compile it again.
            self._screen_program = program if widened != whole else None
        return self._screen

    def screen_program(self) -> Program | None:
        """The line screen's program; None if the screen is the pattern itself (searching for
        its lines would be the search itself)."""
        if self._screen_program is _UNKNOWN:
            screened = self.line_screen
            if self._screen_program is _UNKNOWN:  # the screen came from the cache
                whole = screened == self._cased(self.patterns.pattern)
                self._screen_program = None if whole else compile_re2(screened, ignore_case=False)
        return self._screen_program

    def _cased(self, pattern: str) -> str:
        """`pattern` with the rule's case folding written in, to compile case-sensitively."""
        return f"(?i:{pattern})" if self.patterns.ignore_case else pattern

    def gate_screen(self) -> str | None:
        """The screen the gate searches for with every rule's at once (gate.py), or None: the
        rule always runs.

        A rule whose program is split (see groups) has alternatives that float over the line;
        in the gate's set they would multiply the automaton's states, which are built as text
        arrives (photo-caption's alone would about double the set's cost per article, which
        benchmarks/speed.py measures). Such a rule always runs, and its own screen search rules
        it out instead."""
        return None if self.groups is not None else self.line_screen

    @property
    def groups(self) -> list[int] | None:
        """How many consecutive alternatives each program holds (None: one program).

        One RE2 program of many alternatives that each float over the line (`^.{20,}...`,
        `^.*\\(...`) tracks them all at once: its DFA needs the product of their states, and
        past its memory budget it is rebuilt again and again: photo-caption's patterns run
        several times faster as two programs than as one. A program is split only when its
        narrowed form exceeds SPLIT_SIZE instructions: the smaller built-in rules (related-link
        is just under it) run slower when split, each program being one more pass over the
        text (benchmarks/speed.py measures the rules' cost per article).
        """
        if self._groups is _UNKNOWN:
            self._groups = None
            alternatives = self.patterns.alternatives
            if alternatives and len(alternatives) > 1:
                size = compile_re2(narrow(self.patterns.pattern), self.patterns.ignore_case).programsize
                if size > SPLIT_SIZE:
                    count = min(len(alternatives), -(-size // GROUP_SIZE))
                    self._groups = [len(alternatives[k::count]) for k in range(count)]
        return self._groups

    def group_patterns(self) -> list[str]:
        """The pattern of each program (the rule's own, when it is one program)."""
        groups = self.groups
        if groups is None:
            return [self.patterns.pattern]
        alternatives = self.patterns.alternatives or ()
        patterns, start = [], 0
        for size in groups:
            patterns.append(f"(?m){alternation(alternatives[start : start + size])}")
            start += size
        return patterns

    @property
    def anchored_alternatives(self) -> list[bool]:
        """Whether each alternative (the pattern, for a rule without them) is anchored: every
        match of it starts at a line's start, as it opens with `^` (re2syntax.starts_at_line_start).
        A line is matched from its start by such an alternative rather than searched (see spans.py)."""
        if self._anchored is None:
            self._anchored = [starts_at_line_start(p) for p in self.patterns.alternatives or [self.patterns.pattern]]
        return self._anchored

    @property
    def alternative_screens(self) -> list[str] | None:
        """The screen of each alternative, with its case folding written in (None for a rule of
        one pattern): which alternatives may match a line (see FastLineMatcher)."""
        if self._alternative_screens is _UNKNOWN:
            from newslint.engine.screen import screen

            alternatives = self.patterns.alternatives
            self._alternative_screens = (
                [self._cased(screen(f"(?m){pattern}")) for pattern in alternatives]
                if alternatives and len(alternatives) > 1
                else None
            )
        return self._alternative_screens

    @property
    def narrowed_patterns(self) -> list[str]:
        """Each program's pattern narrowed for COMMON text (repertoire.py)."""
        if self._narrowed is None:
            self._narrowed = [narrow(pattern) for pattern in self.group_patterns()]
        return self._narrowed

    def derived(self) -> dict[str, Any]:
        """All of it, worked out now, as JSON values (for the rule cache)."""
        literals = self.required_literals()
        return {
            "literals": None if literals is None else sorted([text, caseless] for text, caseless in literals),
            "groups": self.groups,
            "anchored": self.anchored_alternatives,
            "alternative_screens": self.alternative_screens,
            "narrowed": self.narrowed_patterns,
            "screen": self.line_screen,
        }

    def restore(self, derived: dict[str, Any]) -> None:
        """Take back what `derived` returned; raise TypeError or ValueError if it is damaged."""
        literals, groups = derived["literals"], derived["groups"]
        narrowed, screened = derived["narrowed"], derived["screen"]
        anchored, alternative_screens = derived["anchored"], derived["alternative_screens"]
        alternatives = self.patterns.alternatives
        if not (literals is None or isinstance(literals, list)):
            raise TypeError("damaged derived data")
        if groups is not None and (
            not alternatives
            or not all(isinstance(size, int) and size > 0 for size in groups)
            or sum(groups) != len(alternatives)
        ):
            raise ValueError("damaged derived data")
        if (
            not isinstance(anchored, list)
            or len(anchored) != len(alternatives or [self.patterns.pattern])
            or not all(isinstance(flag, bool) for flag in anchored)
        ):
            raise TypeError("damaged derived data")
        if alternative_screens is not None and (
            not isinstance(alternative_screens, list)
            or len(alternative_screens) != len(alternatives or [])
            or not all(isinstance(p, str) for p in alternative_screens)
        ):
            raise TypeError("damaged derived data")
        if (
            not isinstance(narrowed, list)
            or len(narrowed) != len(groups or [1])
            or not all(isinstance(p, str) for p in narrowed)
        ):
            raise TypeError("damaged derived data")
        if not isinstance(screened, str):
            raise TypeError("damaged derived data")
        self._literals = None if literals is None else frozenset(map(_literal, literals))
        self._screen = screened
        self._screen_program = _UNKNOWN  # compiled when first needed
        self._groups = groups
        self._anchored = anchored
        self._alternative_screens = alternative_screens
        self._narrowed = narrowed
