"""What a match means for the line-matching kinds (`phrase`, `pattern`).

Both compile to one RE2 regular expression, matched in the document's lines (no match crosses a
line); the engine finds its matches (newslint/engine/), and the rule keeps those that satisfy its
constraints: where in the article (first / last N paragraphs), how long the line may be, and
`unless`. RE2 runs in linear time, so no rule can hang a run by backtracking.

A match that is only part of its line is reported with its own columns, and its fix removes only
that part. With `list_after`, a match that is its whole line (a "Read more:" heading) also takes
the short lines under it, as one finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from newslint.checks.base import Check
from newslint.checks.options import Option
from newslint.document import Document, Line
from newslint.engine import LineMatcher, LinePatterns, alternation, compile_re2, line_matcher, regex_problem
from newslint.violations import Finding, Span

if TYPE_CHECKING:
    from newslint.engine.programs import Program

POSITION_FIELDS = {
    "first": Option("int", "Only lines in the first N paragraphs.", default=None, minimum=1),
    "last": Option("int", "Only lines in the last N paragraphs.", default=None, minimum=1),
}

LIST_FIELDS = {
    "min_items": Option(
        "int",
        "At least this many lines make a list (one short line after a heading may be the story's).",
        default=2,
        minimum=1,
    ),
    "max_items": Option("int", "At most this many lines of the list.", default=10, minimum=1),
    "max_length": Option("int", "A list item is at most this many characters (stripped).", default=120, minimum=1),
    "stop": Option(
        "str-list",
        "RE2 patterns: a line matching one ends the list (a quote, a credit).",
        default=None,
        check=lambda patterns: regex_problem(patterns),
    ),
    "stop_after_blank": Option(
        "str-list",
        "RE2 patterns: a line matching one after a blank line ends the list (the story going on: "
        "a full sentence set apart as a paragraph), unless an item before it matched one too (a list of "
        "headlines that are sentences).",
        default=None,
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
        "str-list",
        "RE2 patterns: a line matching any of them is never flagged by this rule.",
        default=None,
        check=lambda patterns: regex_problem(patterns),
    ),
    "list_after": Option(
        "mapping",
        'When a match is its whole line (a heading such as "Read more:"), also flag the list under it: '
        "the following non-blank lines, at least `min_items` and up to `max_items`, each at most "
        "`max_length` characters, "
        "stopping at a longer line or one matching a `stop` pattern. Reported as one problem.",
        default=None,
        fields=LIST_FIELDS,
    ),
}

# A rule reports at most this many problems on one line: past that the line is junk whatever the
# count, and the cap bounds the engine's work on the line (see engine/lines.py).
MAX_FINDINGS_PER_LINE = 100


class LineMatchCheck(Check):
    """Base of kinds that flag regex matches on lines. Subclasses set `self.pattern`, the RE2
    pattern of the whole rule, and a `pattern` rule its `alternatives` (`pattern` is their
    alternation); the engine's matcher of them is made on first use, and compiles its programs
    on first use too, so a run never compiles the program of a rule the gate rules out."""

    pattern: str  # the whole rule, one RE2 pattern
    alternatives: list[str] | None = None

    @cached_property
    def matcher(self) -> LineMatcher:
        alternatives = tuple(self.alternatives) if self.alternatives else None
        return line_matcher(LinePatterns(self.pattern, alternatives, self.options["ignore_case"]))

    @cached_property
    def unless(self) -> Program | None:
        """The `unless` patterns' program (None without them), compiled when a line first matches."""
        unless = self.options["unless"]
        return compile_re2(alternation(unless), self.options["ignore_case"]) if unless else None

    @cached_property
    def list_stop(self) -> Program | None:
        listing = self.options["list_after"]
        stop = listing["stop"] if listing else None
        return compile_re2(alternation(stop), self.options["ignore_case"]) if stop else None

    @cached_property
    def list_stop_after_blank(self) -> Any:
        listing = self.options["list_after"]
        stop = listing["stop_after_blank"] if listing else None
        return compile_re2(alternation(stop), self.options["ignore_case"]) if stop else None

    def compile(self) -> None:
        # Compiling is the point: a program too large fails here.
        self.matcher.compile()
        self.unless, self.list_stop, self.list_stop_after_blank  # noqa: B018

    def program_size(self) -> int:
        size = self.matcher.program_size()
        programs = (self.unless, self.list_stop, self.list_stop_after_blank)
        return size + sum(program.programsize for program in programs if program is not None)

    def run(self, document: Document) -> Iterable[Finding]:
        facts: _LineFacts | None = None
        eligible = False
        listed_until = 0  # the last line of a list already reported under its heading
        for line, start, end in self.matcher.spans(document, MAX_FINDINGS_PER_LINE):
            if not line.checked or line.number <= listed_until:
                continue
            if facts is None or facts.line is not line:
                # Matches come in line order: work out what depends on the line once.
                facts = _LineFacts(line)
                eligible = self._eligible(document, facts)
            if not eligible:
                continue
            text = line.text[start:end]
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

    def _eligible(self, document: Document, facts: _LineFacts) -> bool:
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


def _in_position(document: Document, line_number: int, position: dict[str, Any]) -> bool:
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
