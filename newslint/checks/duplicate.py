"""`duplicate`: paragraphs (or lines) that repeat an earlier one, exactly or nearly.

Texts are compared after normalising case, spacing and punctuation. A unit repeats an earlier
one when the two are equal, or similar: rapidfuzz's ratio reaches `threshold`. With
`containment`, a unit that holds an earlier one (or is held by it) also counts: a truncated
caption followed by the full caption, a summary that is the lede with a dateline added. How the
repeats are found without comparing all pairs (hashing, an index of word 3-grams, bounds, a
budget of work proportional to the document's length) is the engine's: see
engine/near_duplicates.py.

A run of repeated units whose originals are themselves consecutive (a whole body printed twice)
is one finding naming both ranges. The later copy is flagged; the first copy always stays,
but for one case: a short unit held in a later, longer one (a pull quote, a highlight, a
summary, a truncated caption, then the full paragraph) is the finding, and the full one stays.

Legitimate repeats: units shorter than `min_length` are never compared (credits, list items);
with `template_items`, near repeats that open with different names or numbers are items of one
template; with `events`, a document made largely of short templated units (live commentary) is
an event log, and its short units may repeat; with `lists`, a short unit that stands in a list
may repeat in another list, or further down its own (a meal plan's dishes under several days,
a schedule, a product's features), unless the whole list is printed again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newslint.checks.base import Check
from newslint.checks.duplicate_units import (
    UNIT_OPTION,
    Unit,
    document_units,
    held_in_later,
    is_event_log,
    template_items,
    without_list_items,
)
from newslint.checks.options import Option
from newslint.document import Document
from newslint.engine import alternation, compile_re2, regex_problem
from newslint.engine.near_duplicates import Repeats, Scoring, find_repeats
from newslint.violations import Finding, Span

# partial_ratio at which the shorter of two units counts as held in the longer.
CONTAINED = 95
LIST_FIELDS = {
    "max_length": Option("int", "A list item is at most this many normalised characters.", default=150, minimum=1),
    "min_items": Option(
        "int", "At least this many short units in a row (headings included) make a list.", default=3, minimum=2
    ),
    "items": Option(
        "str-list",
        "RE2 patterns: a list item matches one (opens with a bullet, a number or a label such as "
        '"Breakfast:"); a short unit that does not (a headline, a quote) is compared as any other.',
        check=regex_problem,
    ),
}

EVENT_FIELDS = {
    "min_count": Option("int", "Event-like units a document needs to be read as an event log.", default=10, minimum=2),
    "max_length": Option(
        "int",
        "Units of at most this many normalised characters may be events, and may repeat in an event log.",
        default=150,
        minimum=1,
    ),
    "min_share": Option(
        "number",
        "The share (0-1) of all a document's units that must be event-like as well, so a long "
        "text with a few templated lines is not read as a log.",
        default=0.2,
        minimum=0,
        maximum=1,
    ),
}


class DuplicateCheck(Check):
    """Flags a paragraph (or line) that repeats an earlier one, exactly or nearly. Units are compared with
    case, spacing and punctuation folded away ("normalised"); near repeats are scored with
    rapidfuzz. A run of repeated units whose originals are consecutive too (a whole body printed
    twice) is one problem naming both ranges. The later copy is flagged and its fix deletes it; the
    first copy always stays. But a short unit held in a later, longer one (a pull quote, a
    highlight, a truncated caption, then the full paragraph; their ratio below `threshold`) is the
    problem ("Line 1 is held in line 5"), and its fix deletes the short copy, never the full one. A
    near repeat or a containment is an unsafe fix (it runs only with `--unsafe-fixes`): the words
    that differ may be the story's. Units longer than 20,000 normalised characters are compared for
    exact repeats only: fuzzy scoring costs the product of the two lengths; and a document may spend
    a bounded number of such character pairs for each character it has, so a file of long, alike
    paragraphs is checked in linear time (a pair the budget does not cover does not count as a
    repeat; articles use a small part of it). Message fields: `{repeat}`, the ranges ("Lines 15-25
    repeat lines 4-14"), and `{similarity}`, the similarity in percent (100 for an exact repeat)."""

    OPTIONS = {
        "unit": UNIT_OPTION,
        "min_length": Option(
            "int",
            "Units shorter than this many normalised characters are never compared, so short credits "
            "and list items may repeat.",
            default=60,
            minimum=1,
        ),
        "threshold": Option(
            "number",
            "Similarity (0-100) at which a unit counts as a near repeat of an earlier one; 100: exact repeats only.",
            default=90,
            minimum=50,
            maximum=100,
        ),
        "containment": Option(
            "bool",
            "Also flag a unit that holds an earlier one (a truncated caption followed by the full one, a "
            "lede printed again with a dateline before it) or is held by it.",
            default=True,
        ),
        "ignore_patterns": Option(
            "str-list",
            "RE2 patterns: units matching any of them are never compared (legitimate repeats).",
            default=None,
            check=regex_problem,
        ),
        "template_items": Option(
            "bool",
            'A near repeat that opens with another name or number ("Jane Doe, 19, is charged with ..." after '
            '"John Roe, 17, is charged with ..."; "9:31 P.M. Sirens sound ..." after "3:33 P.M. Sirens '
            'sound ...") is an item of a templated list, not a copy, unless one opening is only put before '
            "the other (a dateline).",
            default=False,
        ),
        "events": Option(
            "mapping",
            "Event logs (live commentary, results): when at least `min_count` short units of a document, "
            "and `min_share` of all its units, are event-like, its units of at most `max_length` "
            "normalised characters may repeat. A unit is event-like when it shares a run of three "
            "lower-case words (the template, names aside) with two or more other different short units, "
            'as live commentary\'s "X (Team) wins a free kick in the defensive half." does.',
            default=None,
            fields=EVENT_FIELDS,
        ),
        "lists": Option(
            "mapping",
            "Lists (runs of at least `min_items` units of at most `max_length` normalised characters) may "
            "share items by design: an item (a short unit matching one of `items`) in a list that repeats "
            "one in another list, or further up its own, is not a copy, unless the two lists are the same "
            "list printed twice.",
            default=None,
            fields=LIST_FIELDS,
        ),
    }
    MESSAGE_FIELDS = ("repeat", "similarity")

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(options)
        patterns = options["ignore_patterns"]
        self.ignore = compile_re2(alternation(patterns), False) if patterns else None
        lists = options["lists"]
        self.list_items = compile_re2(alternation(lists["items"]), False) if lists else None
        # Near repeats as the engine scores them; None: exact repeats only.
        self.scoring = (
            Scoring(
                options["threshold"],
                options["containment"],
                options["min_length"],
                max(options["threshold"], CONTAINED),
            )
            if options["threshold"] < 100 or options["containment"]
            else None
        )

    def program_size(self) -> int:
        return sum(program.programsize for program in (self.ignore, self.list_items) if program is not None)

    def _units(self, document: Document) -> tuple[list[Unit], list[str], list[tuple[str, str]]]:
        """The units compared; the texts of all short units (an event log's candidate events), and
        the text and normalised text of every unit, compared or not."""
        min_length = self.options["min_length"]
        events = self.options["events"]
        units = []
        short_texts = []
        every = []
        for position, (first, last, text, words) in enumerate(document_units(document, self.options["unit"])):
            norm = " ".join(words)
            every.append((text, norm))
            if events and len(norm) <= events["max_length"]:
                short_texts.append(text)
            if len(norm) >= min_length and (self.ignore is None or not self.ignore.search(text)):
                units.append(Unit(first, last, text, norm, words, position))
        return units, short_texts, every

    def _event_units(self, units: list[Unit], short_texts: list[str], unit_count: int) -> list[Unit] | None:
        """The units still compared if the document is an event log, whose short units repeat
        legitimately ("Foul by Kemar Roofe (Leeds United)."); None if it is not one, or if no
        unit compared is short."""
        events = self.options["events"]
        if not events or not any(len(unit.norm) <= events["max_length"] for unit in units):
            return None
        if not is_event_log(short_texts, max(events["min_count"], events["min_share"] * unit_count)):
            return None
        return [unit for unit in units if len(unit.norm) > events["max_length"]]

    def _matches(self, units: list[Unit]) -> tuple[Repeats, bool]:
        """Map each repeating unit's index to (index of what it repeats, similarity, exact); and
        whether every pair of units sharing a 3-gram was scored (see find_repeats)."""
        return find_repeats(units, self.scoring, template_items if self.options["template_items"] else None)

    def run(self, document: Document) -> Iterable[Finding]:
        units, short_texts, every = self._units(document)
        unit_count = len(every)
        matches, exhaustive = self._matches(units)
        # Whether the document is an event log (a scan of every short unit's words) only matters
        # when leaving its short units out could change the answer. If no unit repeats and every
        # pair sharing a 3-gram was scored, leaving units out cannot make a repeat: the pairs
        # left are among those scored. So most documents are spared the scan.
        if matches or not exhaustive:
            event_units = self._event_units(units, short_texts, unit_count)
            if event_units is not None:
                units = event_units
                matches, _ = self._matches(units)
        if matches and self.options["lists"]:
            matches = without_list_items(matches, units, every, self.options["lists"], self.list_items)
        # A short unit held in a later, longer one is the finding; the full unit stays.
        held = held_in_later(matches, units, self.options["threshold"]) if self.options["containment"] else {}
        for j, i in held.items():
            yield self._held_finding(document, units[j], units[i], matches.pop(i)[1])
        index = sorted(matches)
        k = 0
        while k < len(index):
            # Extend a run while the next repeating unit follows this one and its original
            # follows this one's original.
            end = k
            while (
                end + 1 < len(index)
                and index[end + 1] == index[end] + 1
                and matches[index[end + 1]][0] == matches[index[end]][0] + 1
                and matches[index[end + 1]][0] < index[k]
            ):
                end += 1
            run = [index[m] for m in range(k, end + 1)]
            yield self._finding(document, units, matches, run)
            k = end + 1

    def _held_finding(self, document: Document, short: Unit, full: Unit, similarity: float) -> Finding:
        span = Span(short.first_line, 1, short.last_line, len(document.line(short.last_line).text) + 1)
        related = Span(full.first_line, 1, full.last_line, len(document.line(full.last_line).text) + 1)
        repeat = (
            f"{_lines(short.first_line, short.last_line).capitalize()} "
            + ("is held in " if short.first_line == short.last_line else "are held in ")
            + _lines(full.first_line, full.last_line)
        )
        return Finding(
            span=span,
            text=short.text,
            values={"repeat": repeat, "similarity": int(similarity)},
            related=(related,),
            fix_range=document.line_range(short.first_line, short.last_line),
            exact=False,
        )

    def _finding(self, document: Document, units: list[Unit], matches: Repeats, run: list[int]) -> Finding:
        first, last = units[run[0]], units[run[-1]]
        orig_first, orig_last = units[matches[run[0]][0]], units[matches[run[-1]][0]]
        similarity = min(matches[i][1] for i in run)
        end_text = document.line(last.last_line).text
        span = Span(first.first_line, 1, last.last_line, len(end_text) + 1)
        related = Span(orig_first.first_line, 1, orig_last.last_line, len(document.line(orig_last.last_line).text) + 1)
        repeat = (
            f"{_lines(first.first_line, last.last_line).capitalize()} "
            + ("repeats " if first.first_line == last.last_line else "repeat ")
            + _lines(orig_first.first_line, orig_last.last_line)
        )
        return Finding(
            span=span,
            text=first.text,
            values={"repeat": repeat, "similarity": int(similarity)},
            related=(related,),
            fix_range=document.line_range(first.first_line, last.last_line),
            exact=all(matches[i][2] for i in run),
        )


def _lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"
