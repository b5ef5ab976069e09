"""Shared machinery of the line-matching kinds (`phrase`, `pattern`).

Both compile to RE2 regular expressions that run once over the whole document (lines joined
by "\\n", with RE2's never_nl so no match crosses a line), then keep the matches that satisfy
the rule's constraints: where in the article (first / last N paragraphs) and how long the line
may be. RE2 runs in linear time, so no rule can hang a run by backtracking.

A match that is only part of its line is reported with its own columns, and its fix removes only
that part. With `list_after`, a match that is its whole line (a "Read more:" heading) also takes
the short lines under it, as one finding.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Iterable, Iterator

import re2

from newslint.checks.base import Check
from newslint.checks.literals import Literal, required_literals
from newslint.checks.options import Option
from newslint.checks.re2syntax import starts_at_line_start
from newslint.checks.repertoire import narrow
from newslint.checks.screen import screen
from newslint.document import Document, Line, is_common
from newslint.violations import Finding, Span

POSITION_FIELDS = {
    "first": Option("int", "Only lines in the first N paragraphs.", default=None, minimum=1),
    "last": Option("int", "Only lines in the last N paragraphs.", default=None, minimum=1),
}

LIST_FIELDS = {
    "min_items": Option(
        "int", "At least this many lines make a list (one short line after a heading may be the story's).",
        default=2, minimum=1,
    ),
    "max_items": Option("int", "At most this many lines of the list.", default=10, minimum=1),
    "max_length": Option("int", "A list item is at most this many characters (stripped).", default=120, minimum=1),
    "stop": Option(
        "str-list", "RE2 patterns: a line matching one ends the list (a quote, a credit).", default=None,
        check=lambda patterns: regex_problem(patterns),
    ),
    "stop_after_blank": Option(
        "str-list", "RE2 patterns: a line matching one after a blank line ends the list (the story going on: "
        "a full sentence set apart as a paragraph), unless an item before it matched one too (a list of "
        "headlines that are sentences).", default=None,
        check=lambda patterns: regex_problem(patterns),
    ),
}

SCOPE_OPTIONS = {
    "position": Option(
        "mapping",
        "Where in the article: {first: N} and/or {last: N} paragraphs (either matches).",
        default=None,
        fields=POSITION_FIELDS,
    ),
    "max_length": Option("int", "Only lines at most this many characters long (stripped).", default=None, minimum=1),
    "min_length": Option("int", "Only lines at least this many characters long (stripped).", default=None, minimum=1),
    "ignore_case": Option("bool", "Match regardless of case.", default=True),
    "unless": Option(
        "str-list", "RE2 patterns: a line matching any of them is never flagged by this rule.", default=None,
        check=lambda patterns: regex_problem(patterns),
    ),
    "list_after": Option(
        "mapping",
        "When a match is its whole line (a heading such as \"Read more:\"), also flag the list under it: "
        "the following non-blank lines, at least `min_items` and up to `max_items`, each at most "
        "`max_length` characters, "
        "stopping at a longer line or one matching a `stop` pattern. Reported as one problem.",
        default=None,
        fields=LIST_FIELDS,
    ),
}

# A rule reports at most this many problems on one line: past that the line is junk whatever the
# count, and the cap bounds RE2's work. A search may read to the end of the line before it
# settles on a match (`x*y|x` on a long run of x's), so finding every match on a line costs up
# to (matches on the line) x (its length): with the cap that stays linear in the file's size.
MAX_FINDINGS_PER_LINE = 100

# RE2's memory budget per program, shared between the compiled program and its DFA's state
# cache, which is most of a worker's memory. 16 MB holds every built-in rule and phrase lists of
# several thousand phrases; a program too large for it (tens of thousands of phrases) gets the
# larger budget. Measured (benchmarks/speed.py, and --jobs 1 over ../shared/corpus): 16 MB takes
# peak memory with 2 workers from 201 MB to 145 MB and the corpus from 101 MB to 73 MB; CPU time
# moved within this machine's noise (corpus 2.2-2.8 s against 2.7-3.0 s at 64 MB; the synthetic
# archive 960-1,490 us an article against 980-1,150). At 8 MB the DFA thrashes (corpus 4-5 s).
_MAX_MEM = 16 << 20
_MAX_MEM_LARGE = 64 << 20
# A rule's narrowed program over SPLIT_SIZE instructions runs as programs of about GROUP_SIZE
# (see LineMatchCheck.groups).
SPLIT_SIZE = 9_000
GROUP_SIZE = 5_000
# A rule searches at most this many lines its screen matches one by one, then scans the rest of
# the document whole; a rule with anchored patterns searches every such line one by one (see
# LineMatchCheck._screened_spans).
SCREENED_LINES = 32


def compile_re2(pattern: str, ignore_case: bool) -> Any:
    """Compile with never_nl (no match crosses a line); raise ValueError with RE2's reason."""
    options = re2.Options()
    options.log_errors = False
    options.never_nl = True
    options.case_sensitive = not ignore_case
    for budget in (_MAX_MEM, _MAX_MEM_LARGE):
        options.max_mem = budget
        try:
            return re2.compile(pattern, options)
        except re2.error as exc:
            reason = _reason(exc)
            if "too large" not in reason:
                break
    raise ValueError(f"invalid regular expression: {reason}")


def regex_problem(patterns: list[str]) -> str | None:
    """Why one of the patterns is not RE2, or None. Each is compiled with its Unicode classes
    narrowed (the same syntax, a third of the time); one that fails is compiled as written, so
    the message quotes what the user wrote. A program too large fails when the rule compiles
    them all (LineMatchCheck.compile)."""
    for pattern in patterns:
        try:
            compile_re2(narrow(pattern), ignore_case=False)
        except (re2.error, ValueError):  # re2.error: narrowing met a class RE2 does not know
            try:
                compile_re2(pattern, ignore_case=False)
            except ValueError as exc:
                return f"{exc} in {pattern!r}"
    return None


def _reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


_UNKNOWN = object()  # not worked out yet


def _literal(item: Any) -> Literal:
    text, caseless = item
    if not isinstance(text, str) or not text or not isinstance(caseless, bool):
        raise TypeError(f"not a literal: {item!r}")
    return text, caseless


class LineMatchCheck(Check):
    """Base of kinds that flag regex matches on lines. Subclasses set `self.pattern`, the RE2
    pattern of the whole rule; it is compiled on first use, so a run never compiles the program
    of a rule the prefilter rules out (compiling the built-in rules is most of start-up)."""

    pattern: str  # the whole rule, one RE2 pattern
    # PatternCheck: its patterns, of which `pattern` is the alternation. A rule whose program
    # would be big runs them as a few programs of consecutive patterns instead (see groups).
    alternatives: list[str] | None = None
    _regex: Any = None
    _programs: Any = None  # for any text: one program per group
    _common_programs: Any = None  # narrowed, for COMMON text
    _full_by_group: Any = None  # group index -> its full program, compiled so far
    _groups: Any = _UNKNOWN  # how many consecutive alternatives each program holds; None: one program
    _anchored: Any = None  # whether each alternative (the pattern, without any) is anchored
    _alternative_screens: Any = _UNKNOWN  # each alternative's screen; None for a rule of one pattern
    _narrowed: Any = None  # the narrowed pattern of each program
    _literals: Any = _UNKNOWN
    _screen: Any = _UNKNOWN

    @cached_property
    def unless(self) -> Any:
        """The `unless` patterns' program (None without them), compiled when a line first matches."""
        unless = self.options["unless"]
        return compile_re2(alternation(unless), self.options["ignore_case"]) if unless else None

    @cached_property
    def list_stop(self) -> Any:
        listing = self.options["list_after"]
        stop = listing["stop"] if listing else None
        return compile_re2(alternation(stop), self.options["ignore_case"]) if stop else None

    @cached_property
    def list_stop_after_blank(self) -> Any:
        listing = self.options["list_after"]
        stop = listing["stop_after_blank"] if listing else None
        return compile_re2(alternation(stop), self.options["ignore_case"]) if stop else None

    @property
    def regex(self) -> Any:
        """The rule's program as one, for any text (what loading validates)."""
        if self._regex is None:
            self._regex = compile_re2(self.pattern, self.options["ignore_case"])
        return self._regex

    def programs(self, common: bool) -> list[Any]:
        """The programs that together find the rule's matches: narrowed ones (see
        repertoire.py) for a text of COMMON characters only, the full ones for any text.
        Each is compiled when first asked for. (A line the screen picks out is searched by
        the alternatives it may hold, each alone: _line_spans.)"""
        if common:
            if self._common_programs is None:
                full = self._group_patterns()
                self._common_programs = [
                    self._full_program(k, full) if narrowed == full[k] else self._narrowed_program(k, full, narrowed)
                    for k, narrowed in enumerate(self.narrowed_patterns)
                ]
            return self._common_programs
        if self._programs is None:
            full = self._group_patterns()
            self._programs = [self._full_program(k, full) for k in range(len(full))]
        return self._programs

    def _narrowed_program(self, index: int, patterns: list[str], narrowed: str) -> Any:
        try:
            return compile_re2(narrowed, self.options["ignore_case"])
        except ValueError:  # cannot happen for a pattern that loaded; if it did, stay correct
            return self._full_program(index, patterns)

    def _full_program(self, index: int, patterns: list[str]) -> Any:
        """The full program of group `index` (of `patterns`), compiled once."""
        if len(patterns) == 1:
            return self.regex
        if self._full_by_group is None:
            self._full_by_group = {}
        program = self._full_by_group.get(index)
        if program is None:
            program = self._full_by_group[index] = compile_re2(patterns[index], self.options["ignore_case"])
        return program

    def compile(self) -> None:
        # Compiling is the point: a program too large fails here. The other programs need no
        # test: a group holds some of these patterns, a narrowed class is a subset, so each is
        # no larger than this one.
        self.regex, self.unless, self.list_stop, self.list_stop_after_blank  # noqa: B018

    def program_size(self) -> int:
        programs = (self.regex, self.unless, self.list_stop, self.list_stop_after_blank)
        return sum(program.programsize for program in programs if program is not None)

    def required_literals(self) -> frozenset[Literal] | None:
        if self._literals is _UNKNOWN:
            self._literals = required_literals(self.pattern, self.options["ignore_case"])
        return self._literals

    @property
    def line_screen(self) -> str:
        """The rule's screen (checks/screen.py), with its case folding written in: a cheap
        search for the lines the rule may match."""
        if self._screen is _UNKNOWN:
            widened, whole = self._cased(screen(self.pattern)), self._cased(self.pattern)
            try:
                program = compile_re2(widened, ignore_case=False)
            except ValueError:  # not expected; the pattern itself is a screen, if a dear one
                widened, program = whole, None
            self._screen = widened
            # Compiled to be checked: kept, so _screen_program does not compile it again.
            self.__dict__["_screen_program"] = program if widened != whole else None
        return self._screen

    def _cased(self, pattern: str) -> str:
        """`pattern` with the rule's case folding written in, to compile case-sensitively."""
        return f"(?i:{pattern})" if self.options["ignore_case"] else pattern

    def screen(self) -> str | None:
        # A rule whose program is split (see groups) has alternatives that float over the line;
        # in the prefilter's set they would multiply the automaton's states, which are built as
        # text arrives (over the benchmark archive's first 5,000 articles the set took 88-90 us
        # an article with photo-caption, 40-43 without). Such a rule always runs, and its own
        # screen search rules it out instead.
        return None if self.groups is not None else self.line_screen

    @cached_property
    def _screen_program(self) -> Any:
        """The line screen's program; None if the screen is the pattern itself (searching for
        its lines would be the search itself)."""
        if self.line_screen == self._cased(self.pattern):
            return None
        return compile_re2(self.line_screen, ignore_case=False)

    @property
    def groups(self) -> list[int] | None:
        """How many consecutive alternatives each program holds (None: one program).

        One RE2 program of many alternatives that each float over the line (`^.{20,}...`,
        `^.*\\(...`) tracks them all at once: its DFA needs the product of their states, and
        past its memory budget it is rebuilt again and again. photo-caption's 23 patterns ran
        at 85-104 us an article as one program, 15-37 as two. A program is split only when
        its narrowed form exceeds SPLIT_SIZE instructions: the smaller built-in rules measured
        slower when split (related-link, 8,840 instructions: 20 -> 26 us), each program being
        one more pass over the text.
        """
        if self._groups is _UNKNOWN:
            self._groups = None
            alternatives = self.alternatives
            if alternatives and len(alternatives) > 1:
                size = compile_re2(narrow(self.pattern), self.options["ignore_case"]).programsize
                if size > SPLIT_SIZE:
                    count = min(len(alternatives), -(-size // GROUP_SIZE))
                    self._groups = [len(alternatives[k::count]) for k in range(count)]
        return self._groups

    def _group_patterns(self) -> list[str]:
        groups = self.groups
        if groups is None:
            return [self.pattern]
        patterns, start = [], 0
        for size in groups:
            patterns.append(f"(?m){alternation(self.alternatives[start : start + size])}")
            start += size
        return patterns

    @property
    def anchored_alternatives(self) -> list[bool]:
        """Whether each alternative (the pattern, for a rule without them) is anchored: every
        match of it starts at a line's start, as it opens with `^` (re2syntax.starts_at_line_start).
        A line is matched from its start by such an alternative rather than searched (see _spans)."""
        if self._anchored is None:
            self._anchored = [starts_at_line_start(p) for p in self.alternatives or [self.pattern]]
        return self._anchored

    @property
    def alternative_screens(self) -> list[str] | None:
        """The screen of each alternative, with its case folding written in (None for a rule of
        one pattern): which alternatives may match a line (see _line_spans)."""
        if self._alternative_screens is _UNKNOWN:
            alternatives = self.alternatives
            self._alternative_screens = (
                [self._cased(screen(f"(?m){pattern}")) for pattern in alternatives]
                if alternatives and len(alternatives) > 1
                else None
            )
        return self._alternative_screens

    @cached_property
    def _alternative_set(self) -> Any:
        """One RE2 set of the alternatives' screens and, last, a pattern that matches any text
        (so a search that failed, its automaton out of memory, tells itself apart by lacking
        it); None if the set cannot be built."""
        options = re2.Options()
        options.log_errors = False
        options.never_nl = True
        options.max_mem = _MAX_MEM
        try:
            screens = re2.Set.SearchSet(options)
            for pattern in self.alternative_screens + [""]:
                screens.Add(pattern)
            screens.Compile()
        except re2.error:
            return None
        return screens

    def __getstate__(self) -> dict:
        # The compiled set does not pickle (workers started by spawn); each process builds its own.
        state = self.__dict__.copy()
        state.pop("_alternative_set", None)
        return state

    def _alternative_program(self, index: int, common: bool) -> Any:
        """Alternative `index` alone, narrowed for a line of COMMON characters; compiled once."""
        programs = self._alternative_programs.setdefault(common, {})
        program = programs.get(index)
        if program is None:
            full = f"(?m){self.alternatives[index]}"
            pattern = narrow(full) if common else full
            if common and pattern == full:
                program = self._alternative_program(index, False)
            else:
                program = compile_re2(pattern, self.options["ignore_case"])
            programs[index] = program
        return program

    @cached_property
    def _alternative_programs(self) -> dict[bool, dict[int, Any]]:
        return {}

    @property
    def narrowed_patterns(self) -> list[str]:
        if self._narrowed is None:
            self._narrowed = [narrow(pattern) for pattern in self._group_patterns()]
        return self._narrowed

    def derived(self) -> dict[str, Any]:
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
        literals, groups, narrowed, screened = derived["literals"], derived["groups"], derived["narrowed"], derived["screen"]
        anchored, alternative_screens = derived["anchored"], derived["alternative_screens"]
        if not (literals is None or isinstance(literals, list)):
            raise TypeError("damaged derived data")
        if groups is not None and (
            not self.alternatives
            or not all(isinstance(size, int) and size > 0 for size in groups)
            or sum(groups) != len(self.alternatives)
        ):
            raise ValueError("damaged derived data")
        if (
            not isinstance(anchored, list)
            or len(anchored) != len(self.alternatives or [self.pattern])
            or not all(isinstance(flag, bool) for flag in anchored)
        ):
            raise TypeError("damaged derived data")
        if alternative_screens is not None and (
            not isinstance(alternative_screens, list)
            or len(alternative_screens) != len(self.alternatives or [])
            or not all(isinstance(p, str) for p in alternative_screens)
        ):
            raise TypeError("damaged derived data")
        if not isinstance(narrowed, list) or len(narrowed) != len(groups or [1]) or not all(isinstance(p, str) for p in narrowed):
            raise TypeError("damaged derived data")
        if not isinstance(screened, str):
            raise TypeError("damaged derived data")
        self._literals = None if literals is None else frozenset(map(_literal, literals))
        self._screen = screened
        self._groups = groups
        self._anchored = anchored
        self._alternative_screens = alternative_screens
        self._narrowed = narrowed

    def run(self, document: Document) -> Iterable[Finding]:
        facts: _LineFacts | None = None
        eligible = False
        listed_until = 0  # the last line of a list already reported under its heading
        for line, start, end, text in self._matches(document):
            if not line.checked or line.number <= listed_until:
                continue
            if facts is None or facts.line is not line:
                # Matches come in line order: work out what depends on the line once.
                facts = _LineFacts(line)
                eligible = self._eligible(document, facts)
            if not eligible:
                continue
            whole_line = start <= facts.lead and end >= facts.content_end
            last = self._list_end(document, line.number) if whole_line and self.options["list_after"] else line.number
            if last > line.number:
                listed_until = last
                yield Finding(
                    span=Span(line.number, start + 1, last, len(document.line(last).text) + 1),
                    text=text,
                    fix_range=document.line_range(line.number, last),
                )
                continue
            yield Finding(
                span=Span(line.number, start + 1, line.number, end + 1),
                text=text,
                fix_range=_fix_range(document, facts, start, end),
            )

    def _matches(self, document: Document) -> Iterator[tuple[Line, int, int, str]]:
        """Each non-empty match as (line, start, end, text), columns 0-based, at most
        MAX_FINDINGS_PER_LINE per line.

        The lines the rule's screen picks out are searched (see _screened_spans). Once a line
        reaches the cap, that search stops and the lines after it are searched one by one, each
        up to the cap.
        """
        # The scan reads UTF-8 bytes, encoded once per document (given a str, the RE2 binding
        # encodes it on every call, and maps every offset back).
        data = document.scan_bytes
        ascii_text = len(data) == len(document.scan_text)
        current, found = 0, 0
        for start, end in self._screened_spans(document):
            if start == end:
                continue  # an empty match flags nothing
            number, column = document.locate_utf8(start)
            length = end - start if ascii_text else len(data[start:end].decode("utf-8"))
            found = found + 1 if number == current else 1
            current = number
            line = document.lines[number - 1]
            yield line, column - 1, column - 1 + length, line.text[column - 1 : column - 1 + length]
            if found == MAX_FINDINGS_PER_LINE:
                break
        else:
            return
        programs = self.programs(document.common_characters)
        for line in document.lines[current:]:
            if not line.checked:
                continue
            found = 0
            for start, end in _spans(programs, line.text):
                if start == end:
                    continue
                yield line, start, end, line.text[start:end]
                found += 1
                if found == MAX_FINDINGS_PER_LINE:
                    break

    def _screened_spans(self, document: Document) -> Iterator[tuple[int, int]]:
        """The spans `_spans` gives over the document's scan_bytes, searched only on the lines
        the rule's screen matches (it matches every line the pattern does, checks/screen.py).
        The same spans: no match crosses a line, and each line's search sees the text around
        it, as `^`, `$` and `\\b` do in the whole text. On most flagged documents one or two
        lines are searched, so the rule's own programs, the dearer ones, see little text; and
        a line of COMMON characters is searched by the narrowed programs even in a document
        that has others (they read the line and the newlines around it, nothing more).

        A rule with anchored alternatives (each built-in one) is searched line by line to the
        end, as such an alternative is matched from the start of each line (see _spans): a line
        the screen picks out costs a screen search, a set search and a match of the alternatives
        that may hold it (_line_spans), in time linear in its length whatever its text."""
        data = document.scan_bytes
        common = document.common_characters
        screen = self._screen_program
        if screen is None:
            yield from _spans(self.programs(common), data)
            return
        anchored = self.anchored_alternatives
        by_line = any(anchored)
        # A rule of one program (of one pattern, or of anchored patterns only) runs it on each
        # line; the others run the patterns each line may hold (see _line_spans).
        whole = len(anchored) == 1 or (self.groups is None and all(anchored))
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
                yield from self._line_spans(data, line_start, line_end, line_common)
            elif anchored[0]:
                found = self.programs(line_common)[0].match(data, line_start, line_end)
                if found is not None:
                    yield line_start, found.end()
            else:
                yield from _spans(self.programs(line_common), data, line_start, line_end)
            searched += 1
            position = line_end + 1
            if position > len(data):
                return
        # The screen matches line after line (a file of junk): one scan of the rest costs less
        # than a search per line, and finds the same (from a line's start, as above).
        yield from _spans(self.programs(common), data, position)

    def _line_spans(self, data: bytes, line_start: int, line_end: int, common: bool) -> Iterator[tuple[int, int]]:
        """The spans `_spans` gives on one line of `data` (its text around still seen) for a
        rule split into several programs for size (groups), or with patterns both anchored and
        not: the patterns whose screen matches the line, each alone (one set search says
        which), by their narrowed programs if the line is `common`.

        One program of many patterns tracks them all at once, and where one builds a new
        automaton state at every character (lines of many "Credit: X" for photo-caption's
        `\\bCredit:\\s*\\S[^.]{1,80}\\W*$`, each credit starting another count), all the
        others are carried into each new state: 2.9 s a megabyte as two programs of a dozen
        patterns, 1.3 s for that pattern alone. The screens share no such states (they have no
        counted repetitions), and a line a rule's screen picks out most often holds one or two
        patterns' words."""
        chosen = self._screened_alternatives(data[line_start:line_end])
        programs = [self._alternative_program(k, common) for k in chosen]
        anchored = [self.anchored_alternatives[k] for k in chosen]
        if all(anchored):
            # Each can only match at the line's start: the first that does gives the one span.
            for program in programs:
                match = program.match(data, line_start, line_end)
                if match is not None:
                    yield match.span()
                    return
            return
        yield from _spans(programs, data, line_start, line_end, anchored)

    def _screened_alternatives(self, line: bytes) -> list[int]:
        """The indices of the alternatives whose screen matches `line`, in order (all of them if
        the set could not tell). The line is searched alone: `^`, `$` and `\\b` hold at its ends
        as beside its newlines, and `\\A` and `\\z` only match more."""
        count = len(self.anchored_alternatives)
        screens = self._alternative_set
        found = screens.Match(line) if screens is not None else None
        if not found or count not in found:
            return list(range(count))
        return sorted(k for k in found if k != count)

    def _eligible(self, document: Document, facts: "_LineFacts") -> bool:
        """Whether the rule's length, position and `unless` constraints let it flag this line."""
        max_length = self.options["max_length"]
        min_length = self.options["min_length"]
        position = self.options["position"]
        if max_length is not None and facts.stripped_length > max_length:
            return False
        if min_length is not None and facts.stripped_length < min_length:
            return False
        if position and not _in_position(document, facts.line.number, position):
            return False
        return self.unless is None or not self.unless.search(facts.line.text)

    def _list_end(self, document: Document, heading: int) -> int:
        """The last line of the list under a heading line (the heading itself when none)."""
        listing = self.options["list_after"]
        last, items = heading, 0
        # The list ends where its shape changes: a paragraph of the story set apart by a blank
        # line, where no item before it had that shape. (The first item is the list's whatever
        # its shape.)
        after_blank = False
        sentence_stop = self.list_stop_after_blank
        for line in document.lines[heading:]:
            if line.is_blank:
                after_blank = items > 0
                continue
            stripped = line.text.strip()
            if (
                items == listing["max_items"]
                or not line.checked
                or len(stripped) > listing["max_length"]
                or (self.list_stop is not None and self.list_stop.search(line.text))
            ):
                break
            if sentence_stop is not None and sentence_stop.search(line.text):
                if after_blank:
                    break
                sentence_stop = None  # the items themselves are of that shape
            last, items, after_blank = line.number, items + 1, False
        return last if items >= listing["min_items"] else heading


def _spans(
    programs: list[Any], text: str | bytes, pos: int = 0, endpos: int | None = None, anchored: list[bool] | None = None
) -> Iterator[tuple[int, int]]:
    """The spans `finditer` gives for the alternation of the programs' patterns, in order
    (between pos and endpos, as finditer takes them: the text around is still seen).

    The alternation's next match is the leftmost of the programs' next matches, the earliest
    program's on a tie (leftmost-first: an earlier alternative wins at the same start); it
    ends where that program's match ends. Each program searches on from the end of the last
    match, as finditer does (one character on after an empty match).

    With `anchored` (a flag per program), pos..endpos is one line and pos its start. A program
    whose matches all start at a line's start can only match at pos, and is matched there
    (RE2's anchored match) rather than searched for. A search finds where a match ends in a
    pass forwards, then where it starts in a pass backwards from there, which runs the whole
    program, every alternative at once: backwards, bounded repetitions of large classes
    (`.{0,200}$`, `[^.]{1,80}`, `\\p{Lu}[\\pL.]*`) build a new automaton state at nearly every
    character, and one match cost milliseconds (photo-caption on lines of Cyrillic ending
    "Credit: ...", about 4 ms a line: 22 s a megabyte). An anchored match knows where it starts
    and makes the pass forwards only (0.02 ms a line there).
    """
    if endpos is None:
        endpos = len(text)
    if anchored is None:
        anchored = [False] * len(programs)
    if len(programs) == 1 and not anchored[0]:
        for match in programs[0].finditer(text, pos, endpos):
            yield match.span()
        return
    pending: list[tuple[int, int] | None] = [None] * len(programs)  # each program's next match
    done = [False] * len(programs)
    position = pos
    while True:
        best: tuple[int, int] | None = None
        for k, program in enumerate(programs):
            if done[k]:
                continue
            span = pending[k]
            if span is None or span[0] < position:
                if anchored[k]:
                    match = program.match(text, position, endpos) if position == pos else None
                else:
                    match = program.search(text, position, endpos)
                if match is None:
                    done[k] = True
                    continue
                span = pending[k] = match.span()
            if best is None or span[0] < best[0]:
                best = span
        if best is None:
            return
        yield best
        if position == endpos:
            return
        position = best[1] + 1 if best[1] == position else best[1]


class _LineFacts:
    """Where a line's text starts and ends bar spaces, and the runs of spaces next to matches,
    each worked out once per line: a huge line with many matches must cost linear time."""

    def __init__(self, line: Line):
        self.line = line
        text = line.text
        self.lead = len(text) - len(text.lstrip())  # index of the first non-space character
        self.content_end = len(text.rstrip())  # one past the last non-space character
        self._run = (0, 0)  # the last run of spaces found; matches come in order, so it is reused

    @property
    def stripped_length(self) -> int:
        return max(0, self.content_end - self.lead)

    def spaces_after(self, index: int) -> int:
        """Where the run of whitespace starting at `index` ends (`index` if there is none)."""
        return self._space_run(index)[1] if self._is_space(index) else index

    def spaces_before(self, index: int) -> int:
        """Where the run of whitespace ending at `index` starts (`index` if there is none)."""
        return self._space_run(index - 1)[0] if self._is_space(index - 1) else index

    def _is_space(self, index: int) -> bool:
        return 0 <= index < len(self.line.text) and self.line.text[index].isspace()

    def _space_run(self, index: int) -> tuple[int, int]:
        """(start, end) of the run of whitespace holding text[index], a space."""
        start, end = self._run
        if start <= index < end:
            return self._run
        text = self.line.text
        start, end = index, index + 1
        while start > 0 and text[start - 1].isspace():
            start -= 1
        while end < len(text) and text[end].isspace():
            end += 1
        self._run = (start, end)
        return self._run


def _in_position(document: Document, line_number: int, position: dict) -> bool:
    paragraph = document.paragraph_of_line(line_number)
    if paragraph is None:
        return False
    first, last = position.get("first"), position.get("last")
    if first is not None and paragraph.index < first:
        return True
    if last is not None and paragraph.index >= len(document.paragraphs) - last:
        return True
    return False


def _fix_range(document: Document, facts: _LineFacts, start: int, end: int) -> tuple[int, int]:
    """Delete the whole line when the match (columns start..end, 0-based) is all of it bar
    spaces; else only the match.

    When only part of a line goes, the spaces on one side of it go too, so "a JUNK b" becomes
    "a b" rather than "a  b".
    """
    line = facts.line
    blank_before = start <= facts.lead
    blank_after = end >= facts.content_end
    if blank_before and blank_after:
        return document.line_range(line.number, line.number)
    if end == len(line.text) or line.text[end].isspace():
        end = facts.spaces_after(end)
        if blank_after:
            start = facts.spaces_before(start)
    else:
        start = facts.spaces_before(start)
    return line.offset + start, line.offset + end
