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

import re
from collections import Counter
from collections.abc import Iterable
from itertools import islice
from typing import Any

from newslint.checks.base import Check
from newslint.checks.options import Option
from newslint.document import Document
from newslint.engine import alternation, compile_re2, regex_problem
from newslint.engine.near_duplicates import Repeats, Scoring, find_repeats
from newslint.violations import Finding, Span

_ALNUM_RUN = re.compile(r"[^\W_]+")  # letters and digits: the words normalise keeps
# ASCII letters and digits lowered, every other byte a space but the newline, which stays (it
# separates words as a space does, and the lines of a folded text): the same words, for ASCII text.
_ASCII_FOLD = bytes(
    (b | 0x20 if chr(b).isalpha() else b) if chr(b).isascii() and chr(b).isalnum() else (b if b == 0x0A else 0x20)
    for b in range(256)
)
# The non-ASCII marks most common in news text: curly quotes, dashes, ellipsis, pound sign.
_TYPOGRAPHIC_MARKS = "\u2019\u201c\u201d\u2014\u2013\u2018\u2026\u00a3"
# Words of a unit's template are those starting lower-case ("wins a free kick in the defensive
# half"), as opposed to the names and numbers that change from one event to the next.
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_WORD_OR_NUMBER = re.compile(r"[^\W_][\w'\u2019-]*")
# Event-like units share a run of this many lower-case words.
GRAM = 3
# partial_ratio at which the shorter of two units counts as held in the longer.
CONTAINED = 95
# How far into a unit a dateline or date put before a copy may push its first word.
OPENING_WORDS = 4

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


def normalise(text: str) -> str:
    """Case, spacing and punctuation folded away: what two copies of a paragraph share."""
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    """The words of `normalise(text)`."""
    return " ".join(_folded_lines(text)).split()


def _folded_lines(text: str) -> list[str]:
    """Each line of `text` (split at "\n"), folded: its split() gives the line's words. A
    paragraph's words are its lines' words (folding and splitting go character by character),
    and folding a whole document at once costs much less than folding it line by line."""
    if not text.isascii():
        # Most non-ASCII text is ASCII but for typographic punctuation. Those marks separate
        # words (they are not alphanumeric and casefold to themselves) as a space does.
        for mark in _TYPOGRAPHIC_MARKS:
            if mark in text:
                text = text.replace(mark, " ")
        if not text.isascii():
            return [
                _fold_ascii(line) if line.isascii() else " ".join(_ALNUM_RUN.findall(line.casefold()))
                for line in text.split("\n")
            ]
    return _fold_ascii(text).split("\n")


def _fold_ascii(text: str) -> str:
    """ASCII text folded by _ASCII_FOLD: one byte translation, far cheaper than the regex."""
    return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")


class _Unit:
    """A paragraph (or line) as the check compares it. A plain class with slots: made once per
    paragraph of every article, it must be cheap to make."""

    __slots__ = ("first_line", "last_line", "text", "norm", "words", "position")

    def __init__(self, first_line: int, last_line: int, text: str, norm: str, words: list[str], position: int = 0):
        self.first_line = first_line
        self.last_line = last_line
        self.text = text
        self.norm = norm
        self.words = words
        self.position = position  # its index among all the document's units, compared or not


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
        "unit": Option(
            "str",
            "What is compared: paragraphs, or single lines (each non-blank line on its own).",
            default="paragraph",
            choices=("paragraph", "line"),
        ),
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

    def _units(self, document: Document) -> tuple[list[_Unit], list[str], list[tuple[str, str]]]:
        """The units compared; the texts of all short units (an event log's candidate events), and
        the text and normalised text of every unit, compared or not."""
        folded = _folded_lines(document.scan_text)  # one per line of the document
        if self.options["unit"] == "paragraph":
            raw = [(p.first_line, p.last_line, p.text) for p in document.paragraphs]
        else:
            raw = [(ln.number, ln.number, ln.text.strip()) for ln in document.lines if ln.checked and not ln.is_blank]
        min_length = self.options["min_length"]
        events = self.options["events"]
        units = []
        short_texts = []
        every = []
        for position, (first, last, text) in enumerate(raw):
            words = (folded[first - 1] if first == last else " ".join(folded[first - 1 : last])).split()
            norm = " ".join(words)
            every.append((text, norm))
            if events and len(norm) <= events["max_length"]:
                short_texts.append(text)
            if len(norm) >= min_length and (self.ignore is None or not self.ignore.search(text)):
                units.append(_Unit(first, last, text, norm, words, position))
        return units, short_texts, every

    def _event_units(self, units: list[_Unit], short_texts: list[str], unit_count: int) -> list[_Unit] | None:
        """The units still compared if the document is an event log, whose short units repeat
        legitimately ("Foul by Kemar Roofe (Leeds United)."); None if it is not one, or if no
        unit compared is short."""
        events = self.options["events"]
        if not events or not any(len(unit.norm) <= events["max_length"] for unit in units):
            return None
        if not _is_event_log(short_texts, max(events["min_count"], events["min_share"] * unit_count)):
            return None
        return [unit for unit in units if len(unit.norm) > events["max_length"]]

    def _matches(self, units: list[_Unit]) -> tuple[Repeats, bool]:
        """Map each repeating unit's index to (index of what it repeats, similarity, exact); and
        whether every pair of units sharing a 3-gram was scored (see find_repeats)."""
        return find_repeats(units, self.scoring, _template_items if self.options["template_items"] else None)

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
            matches = _without_list_items(matches, units, every, self.options["lists"], self.list_items)
        # A short unit held in a later, longer one is the finding; the full unit stays.
        held = _held_in_later(matches, units, self.options["threshold"]) if self.options["containment"] else {}
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

    def _held_finding(self, document: Document, short: _Unit, full: _Unit, similarity: float) -> Finding:
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

    def _finding(self, document: Document, units: list[_Unit], matches: Repeats, run: list[int]) -> Finding:
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


def _without_list_items(
    matches: Repeats, units: list[_Unit], every: list[tuple[str, str]], lists: dict[str, Any], items: Any
) -> Repeats:
    """`matches` without the repeats of list items that lists share by design (see the `lists`
    option): a meal plan's "Breakfast: oatmeal with berries ..." under Monday and Thursday."""
    max_length, min_items = lists["max_length"], lists["min_items"]
    # The list each item stands in: the (start, end) positions of its run of items in a row.
    runs: dict[int, tuple[int, int]] = {}
    start = None
    for position, (text, norm) in enumerate(every + [("", "")]):
        if norm and len(norm) <= max_length and items.search(text):
            if start is None:
                start = position
            continue
        if start is not None and position - start >= min_items:
            for member in range(start, position):
                runs[member] = (start, position)
        start = None

    def texts(run: tuple[int, int]) -> list[str]:
        return [norm for _, norm in every[run[0] : run[1]]]

    def by_design(i: int, j: int) -> bool:
        later, earlier = units[i], units[j]
        mine, theirs = runs.get(later.position), runs.get(earlier.position)
        if mine is None or theirs is None or later.position == earlier.position + 1:
            return False
        # A list printed twice (two lists alike, or one list that is the same items twice)
        # repeats every item: that is a copy.
        if mine != theirs:
            return texts(mine) != texts(theirs)
        own = texts(mine)
        half = len(own) // 2
        return len(own) % 2 == 1 or own[:half] != own[half:]

    return {i: match for i, match in matches.items() if not by_design(i, match[0])}


def _held_in_later(matches: Repeats, units: list[_Unit], threshold: float) -> dict[int, int]:
    """The units held in a later, longer one: {short unit: the first later unit holding it}. A
    pair counts when it matched by containment alone (their ratio is below `threshold`: one is
    much shorter), and the short unit is no repeat itself."""
    held: dict[int, int] = {}
    for i in sorted(matches):
        j, _, exact = matches[i]
        short, full = units[j].norm, units[i].norm
        if exact or j in held or j in matches or len(full) <= len(short):
            continue
        # The ratio is worked out only where the lengths allow it (see _similarity): its cost is
        # that of the LCS the pair already passed to match.
        if 200 * len(short) >= threshold * (len(short) + len(full)):
            from rapidfuzz import fuzz  # imported on first use, as the engine's scorers are

            if fuzz.ratio(short, full, score_cutoff=threshold):
                continue  # a near copy with a word or two added (a dateline): the later is the copy
        held[j] = i
    return held


def _template_items(a: _Unit, b: _Unit) -> bool:
    """Whether two similar units are items of one template: they open with different names or
    numbers (a capitalised word or a figure), and neither opening is merely put before the other
    ("WASHINGTON — President Trump ..." is a copy of "President Trump ..." with a dateline)."""
    opening_a = [w.group(0) for w in islice(_WORD_OR_NUMBER.finditer(a.text), OPENING_WORDS)]
    opening_b = [w.group(0) for w in islice(_WORD_OR_NUMBER.finditer(b.text), OPENING_WORDS)]
    if not opening_a or not opening_b or not (_is_name(opening_a[0]) and _is_name(opening_b[0])):
        return False
    folded_a, folded_b = [w.casefold() for w in opening_a], [w.casefold() for w in opening_b]
    return folded_a[0] not in folded_b and folded_b[0] not in folded_a


def _is_name(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit()


def _is_event_log(short_texts: list[str], needed: float) -> bool:
    """Whether at least `needed` of a document's short units share a three-word template with
    two others.

    Live commentary ("X (Team) wins a free kick in the defensive half.") and results lists are
    many short units built on a few templates; prose and captions are not.
    """
    if len(short_texts) < needed:
        return False
    grams_of: dict[str, set[tuple[str, ...]]] = {}
    for text in short_texts:
        key = text.casefold()
        if key in grams_of:
            continue  # a repeat: each different unit counts once
        words = [w.casefold() for w in _WORD.findall(text) if w[0].islower()]
        grams_of[key] = {tuple(words[k : k + GRAM]) for k in range(len(words) - GRAM + 1)}
    sharing: Counter[tuple[str, ...]] = Counter(g for grams in grams_of.values() for g in grams)
    event_like = sum(1 for grams in grams_of.values() if any(sharing[g] >= 3 for g in grams))
    return event_like >= needed


def _lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"
