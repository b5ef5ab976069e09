"""`duplicate`: paragraphs (or lines) that repeat an earlier one, exactly or nearly.

Texts are compared after normalising case, spacing and punctuation. Exact repeats are found by
hashing. Near repeats are found without comparing all pairs: each unit's word 3-grams go into an
index, and only the few earlier units sharing the most 3-grams with it are scored with rapidfuzz,
within a budget of work proportional to the document's length.
With `containment`, a unit that holds an earlier one (or is held by it) also counts: a truncated
caption followed by the full caption, a summary that is the lede with a dateline added.

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

import gc
import math
import re
from collections import Counter
from functools import lru_cache
from itertools import compress, islice, repeat
from operator import mul, sub
from typing import Any, Iterable

from newslint.checks.base import Check
from newslint.checks.matching import regex_problem, alternation, compile_re2
from newslint.checks.options import Option
from newslint.document import Document
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
GRAM = 3
# A 3-gram that many units share says little about any pair of them, and scanning its posting
# list for every unit would make a long file quadratic; past this many units it is not indexed.
MAX_POSTING = 64
# Only the earlier units sharing the most 3-grams are scored.
MAX_CANDIDATES = 8
# Units longer than this (normalised characters; a long paragraph has 2,000) are only compared
# exactly: the 3-grams of a megabyte-long line fill hundreds of megabytes.
MAX_FUZZY_LENGTH = 20_000
# Fuzzy scoring is counted in cells, those of the tables a scorer fills: len(a) * len(b) for an
# LCS or a ratio, one such table per window for partial_ratio (see _partial_cells). A document
# may spend FUZZY_CELLS_PER_CHARACTER for each character of the units read so far: a budget that
# builds up as it is read, so a unit with many long candidates spends what the units before it
# left, and no stretch of a document spends more than its own share. Scoring then takes time
# linear in a document's size whatever its text, at most about 1.5 us a character (an LCS
# fills 25-30 cells a nanosecond). A score the budget does not cover is not worked out, and the
# pair does not count as similar. Without it, long lines that each hold an earlier one with
# words put in (the LCS bound lets every pair through to partial_ratio) cost 100 s a megabyte.
# Real articles stay well inside: of the corpus's articles the dearest needed 16,600 cells a
# character at its dearest point, the synthetic archive's (benchmarks/speed.py) 3,100.
FUZZY_CELLS_PER_CHARACTER = 40_000
# partial_ratio fills its tables about eight times faster a cell than an LCS (it reuses the
# shorter text's bit masks from window to window: 200-300 cells a nanosecond, measured), so its
# cells count an eighth.
PARTIAL_CELL_DISCOUNT = 8
# partial_ratio at which the shorter of two units counts as held in the longer.
CONTAINED = 95
# How far into a unit a dateline or date put before a copy may push its first word.
OPENING_WORDS = 4

LIST_FIELDS = {
    "max_length": Option("int", "A list item is at most this many normalised characters.", default=150, minimum=1),
    "min_items": Option("int", "At least this many short units in a row (headings included) make a list.", default=3, minimum=2),
    "items": Option(
        "str-list", "RE2 patterns: a list item matches one (opens with a bullet, a number or a label such as "
        "\"Breakfast:\"); a short unit that does not (a headline, a quote) is compared as any other.",
        check=regex_problem,
    ),
}

EVENT_FIELDS = {
    "min_count": Option("int", "Event-like units a document needs to be read as an event log.", default=10, minimum=2),
    "max_length": Option("int", "Units up to this many normalised characters are events.", default=150, minimum=1),
    "min_share": Option(
        "number", "...and at least this share (0-1) of all its units, so a long text with a few "
        "templated lines is not read as a log.", default=0.2, minimum=0, maximum=1,
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
    """ASCII text folded by _ASCII_FOLD: four times faster than by the regex."""
    return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")


def _grams(words: list[str]) -> list[tuple[str, ...]]:
    """The word 3-grams (GRAM) of a text's words (all of them as one, when fewer), in order."""
    return list(zip(words, words[1:], words[2:])) or [tuple(words)]


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
    OPTIONS = {
        "unit": Option("str", "Compare paragraphs or single lines.", default="paragraph", choices=("paragraph", "line")),
        "min_length": Option(
            "int", "Units shorter than this (normalised characters) are never compared.", default=60, minimum=1
        ),
        "threshold": Option(
            "number", "Similarity (0-100) at which two units count as repeats; 100: exact repeats only.",
            default=90, minimum=50, maximum=100,
        ),
        "containment": Option(
            "bool", "Also flag a unit that contains an earlier one, or is contained in it.", default=True
        ),
        "ignore_patterns": Option(
            "str-list", "RE2 patterns: units matching any are never compared (legitimate repeats).",
            default=None, check=regex_problem,
        ),
        "template_items": Option(
            "bool",
            "A near repeat that opens with another name or number (\"Jane Doe, 19, is charged with ...\" after "
            "\"John Roe, 17, is charged with ...\"; \"9:31 P.M. Sirens sound ...\" after \"3:33 P.M. Sirens "
            "sound ...\") is an item of a templated list, not a copy, unless one opening is only put before "
            "the other (a dateline).",
            default=False,
        ),
        "events": Option(
            "mapping",
            "Event logs (live commentary, results): when at least `min_count` short units of a document, "
            "and `min_share` of all its units, are event-like, its units of at most `max_length` "
            "normalised characters may repeat. A unit is event-like when it shares a run of three "
            "lower-case words (the template, names aside) with two or more other different short units.",
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

    def __init__(self, options):
        super().__init__(options)
        patterns = options["ignore_patterns"]
        self.ignore = compile_re2(alternation(patterns), False) if patterns else None
        lists = options["lists"]
        self.list_items = compile_re2(alternation(lists["items"]), False) if lists else None
        self.fuzzy = options["threshold"] < 100 or options["containment"]

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

    def _matches(self, units: list[_Unit]) -> tuple[dict[int, tuple[int, float, bool]], bool]:
        """Map each repeating unit's index to (index of what it repeats, similarity, exact); and
        whether every pair of units sharing a 3-gram was scored (no posting or candidate limit, nor
        the budget, cut)."""
        # The 3-gram index of a long file holds hundreds of thousands of tuples, which the cyclic
        # garbage collector would scan again and again (15% of a 5,000-paragraph file's time);
        # tuples of strings cannot form a cycle, so it is paused while the index is built.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._index_and_score(units)
        finally:
            if collecting:
                gc.enable()

    def _index_and_score(self, units: list[_Unit]) -> tuple[dict[int, tuple[int, float, bool]], bool]:
        threshold = self.options["threshold"]
        containment = self.options["containment"]
        min_length = self.options["min_length"]
        template_items = self.options["template_items"]
        first_seen: dict[str, int] = {}
        # The index of 3-grams: the first unit with each, and the later ones for 3-grams seen
        # again.
        first_with: dict[tuple[str, ...], int] = {}
        later_with: dict[tuple[str, ...], list[int]] = {}
        matches: dict[int, tuple[int, float, bool]] = {}
        exhaustive = True
        budget = FuzzyBudget()
        for i, unit in enumerate(units):
            budget.earn(len(unit.norm))
            earlier = first_seen.get(unit.norm)
            if earlier is not None:
                matches[i] = (earlier, 100.0, True)
                continue
            first_seen[unit.norm] = i
            if not self.fuzzy or len(unit.norm) > MAX_FUZZY_LENGTH:
                continue
            # One dict operation a 3-gram, without a Python loop: setdefault files a new 3-gram
            # under this unit and gives back the first unit of one seen before. Unless an
            # earlier unit shares a 3-gram with this one (rare), the smallest is this unit.
            # (A third cheaper than testing for shared 3-grams, then adding the new ones.)
            grams = _grams(unit.words)
            firsts = list(map(first_with.setdefault, grams, repeat(i)))
            if min(firsts) == i:
                continue
            shared: list[int] = []  # earlier units, once per 3-gram they share with this one
            # The 3-grams filed under an earlier unit (picked out by what setdefault gave back:
            # looking them up again in a long file's large index costs a cache miss each).
            for gram, first in dict(compress(zip(grams, firsts), map(i.__ne__, firsts))).items():
                later = later_with.get(gram)
                if later is None:
                    shared.append(first)
                    later_with[gram] = [i]
                    continue
                if 1 + len(later) < MAX_POSTING:
                    shared.append(first)
                    shared.extend(later)
                else:
                    exhaustive = False
                later.append(i)
            counts = Counter(shared)
            if len(counts) > MAX_CANDIDATES:
                exhaustive = False
            best: tuple[int, float, bool] | None = None
            for j in _candidates(counts, len(units)):
                score = _similarity(unit.norm, units[j].norm, threshold, containment, min_length, budget)
                if score is not None and template_items and _template_items(unit, units[j]):
                    score = None
                if score is not None and (best is None or score > best[1]):
                    best = (j, score, False)
            if best is not None:
                matches[i] = best
        return matches, exhaustive and not budget.refused

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
        repeat = f"{_lines(short.first_line, short.last_line).capitalize()} " + (
            "is held in " if short.first_line == short.last_line else "are held in "
        ) + _lines(full.first_line, full.last_line)
        return Finding(
            span=span,
            text=short.text,
            values={"repeat": repeat, "similarity": int(similarity)},
            related=(related,),
            fix_range=document.line_range(short.first_line, short.last_line),
            exact=False,
        )

    def _finding(self, document: Document, units, matches, run: list[int]) -> Finding:
        first, last = units[run[0]], units[run[-1]]
        orig_first, orig_last = units[matches[run[0]][0]], units[matches[run[-1]][0]]
        similarity = min(matches[i][1] for i in run)
        end_text = document.line(last.last_line).text
        span = Span(first.first_line, 1, last.last_line, len(end_text) + 1)
        related = Span(orig_first.first_line, 1, orig_last.last_line, len(document.line(orig_last.last_line).text) + 1)
        repeat = f"{_lines(first.first_line, last.last_line).capitalize()} " + (
            "repeats " if first.first_line == last.last_line else "repeat "
        ) + _lines(orig_first.first_line, orig_last.last_line)
        return Finding(
            span=span,
            text=first.text,
            values={"repeat": repeat, "similarity": int(similarity)},
            related=(related,),
            fix_range=document.line_range(first.first_line, last.last_line),
            exact=all(matches[i][2] for i in run),
        )


class FuzzyBudget:
    """The cells of fuzzy scoring a document may still spend (see FUZZY_CELLS_PER_CHARACTER)."""

    __slots__ = ("allowed", "spent", "refused")

    def __init__(self) -> None:
        self.allowed = 0  # cells earned by the units read so far
        self.spent = 0
        self.refused = 0  # scores not worked out for want of cells

    def earn(self, characters: int) -> None:
        self.allowed += FUZZY_CELLS_PER_CHARACTER * characters

    def spend(self, cells: int) -> bool:
        """Take `cells` if they are left; False (and nothing taken) if not."""
        if self.spent + cells > self.allowed:
            self.refused += 1
            return False
        self.spent += cells
        return True


def _candidates(counts: Counter[int], units: int) -> list[int]:
    """The MAX_CANDIDATES units (indices below `units`) that share the most 3-grams, by
    `counts`, the earliest first among equals: the same candidates every run. Each is sorted
    as one integer, unit - count * units, which orders them so and sorts in a third of the time
    (count, unit) pairs take: a long file's paragraphs may each have dozens of candidates."""
    keys = sorted(map(sub, counts.keys(), map(mul, counts.values(), repeat(units))))
    return [key % units for key in keys[:MAX_CANDIDATES]]


def _without_list_items(matches: dict, units: list[_Unit], every: list[tuple[str, str]], lists: dict, items: Any) -> dict:
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


def _held_in_later(matches: dict, units: list[_Unit], threshold: float) -> dict[int, int]:
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
            fuzz, _ = _rapidfuzz()
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


@lru_cache(maxsize=None)
def _rapidfuzz():
    """rapidfuzz's scorers, imported on first use: most articles have no pair to score, and a
    one-file run is spared the import."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import LCSseq

    return fuzz, LCSseq


def _similarity(
    a: str, b: str, threshold: float, containment: bool, min_length: int, budget: FuzzyBudget
) -> float | None:
    """Similarity of a and b (0-100) if it reaches `threshold`, else None (also when `budget` does
    not cover working it out)."""
    fuzz, LCSseq = _rapidfuzz()
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    cells = len(a) * len(b)
    # ratio is 200 * LCS(a, b) / (len(a) + len(b)) (in %), and the LCS is at most the shorter's
    # length: a ratio of `threshold` needs the shorter to be threshold / (200 - threshold) of the
    # longer at least, and a pair further apart is ruled out unscored.
    ratio_possible = 200 * len(shorter) >= threshold * (len(a) + len(b))
    if not containment or len(shorter) < min_length:
        if not ratio_possible or not budget.spend(cells):
            return None
        return fuzz.ratio(a, b, score_cutoff=threshold) or None
    cutoff = max(threshold, CONTAINED)
    # One LCS (longest common subsequence) rules most pairs out before either score, both of
    # which need a long one. A ratio >= t needs LCS >= t * (len(a) + len(b)) / 200. partial_ratio
    # (aligning the shorter text with its best window in the longer one, far dearer than an LCS)
    # >= c needs a window w with LCS(shorter, w) >= c/(200-c) * len(shorter), and w is part of
    # `longer`, so an LCS below that rules it out. Each bound is lowered by 1 more to absorb
    # rounding. (Where the lengths rule a ratio out, the LCS only stands for containment.)
    needed_for_ratio = max(0, math.floor(threshold * (len(a) + len(b)) / 200) - 1) if ratio_possible else math.inf
    needed_for_containment = max(0, math.floor(cutoff * len(shorter) / (200 - cutoff)) - 1)
    if not budget.spend(cells):
        return None
    common = LCSseq.similarity(shorter, longer, score_cutoff=min(needed_for_ratio, needed_for_containment))
    if common >= needed_for_ratio:
        if not budget.spend(cells):
            return None
        score = fuzz.ratio(a, b, score_cutoff=threshold)
        if score:
            return score
    if common >= needed_for_containment:
        return _contained(shorter, longer, cutoff, needed_for_containment, budget)
    return None


def _contained(shorter: str, longer: str, cutoff: float, needed: int, budget: FuzzyBudget) -> float | None:
    """partial_ratio(shorter, longer) if it reaches `cutoff`, else None (also when `budget` does
    not cover working it out), scoring only the stretches of `longer` where it can.

    partial_ratio scores the shorter text against every window of its length in the longer one
    (and the windows cut short at either end): (windows) * len(shorter) ** 2 cells, cubic. A
    window that scores `cutoff` has an LCS of at least `needed` with the shorter text (see
    _similarity), and so has any stretch of the longer text that holds it. The longer text is
    read as stretches of len(shorter) + step - 1 characters, `step` apart, so that each window,
    and each window cut short at an end, lies in one; only the runs of stretches whose LCS
    reaches `needed` are scored, for LCS costing about 5 * len(shorter) * len(longer) cells. A
    run's own windows cut short are no windows of the longer text, but none of them scores
    `cutoff`: the stretch before (or after) the run holds it, and would have joined the run.
    So the score is partial_ratio's.
    """
    fuzz, LCSseq = _rapidfuzz()
    size, length = len(shorter), len(longer)
    step = max(1, size // 4)
    starts = range(0, length - size + 1, step)
    if len(starts) <= 1:
        if not budget.spend(_partial_cells(size, length)):
            return None
        return fuzz.partial_ratio(shorter, longer, score_cutoff=cutoff) or None
    width = size + step - 1
    if not budget.spend(sum(size * (min(start + width, length) - start) for start in starts)):
        return None
    runs: list[list[int]] = []  # [start, end) of each run of stretches that may hold a window
    for start in starts:
        end = min(start + width, length)
        if LCSseq.similarity(shorter, longer[start:end], score_cutoff=needed) >= needed:
            if runs and start <= runs[-1][1]:
                runs[-1][1] = end
            else:
                runs.append([start, end])
    best = 0.0
    for start, end in runs:
        if not budget.spend(_partial_cells(size, end - start)):
            return None
        best = max(best, fuzz.partial_ratio(shorter, longer[start:end], score_cutoff=cutoff))
    return best or None


def _partial_cells(size: int, length: int) -> int:
    """What partial_ratio of a text of `size` characters in one of `length` may cost: a table of
    size * size cells for each of its windows (length - size + 1 whole ones, and up to
    2 * (size - 1) cut short at the ends), at PARTIAL_CELL_DISCOUNT."""
    return (length + size) * size * size // PARTIAL_CELL_DISCOUNT
