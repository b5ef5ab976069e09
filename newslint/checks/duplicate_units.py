"""What the duplicate check (duplicate.py) compares, and which repeats it leaves alone by design.

Units: paragraphs or lines with their text normalised (case, spacing and punctuation folded
away). Repeats by design: items that lists share (a meal plan's dishes under several days),
items of one template (near repeats opening with different names or numbers), an event log's
short units (live commentary), and a short unit held in a later, longer one (which is the
finding, not the full one)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from newslint.checks.options import Option
from newslint.engine.near_duplicates import Repeats

if TYPE_CHECKING:
    from newslint.document import Document

_ALNUM_RUN = re.compile(r"[^\W_]+")  # letters and digits: the words normalise keeps
# ASCII letters and digits lowered, every other byte a space but the newline, which stays (it
# separates words as a space does, and the lines of a folded text): the same words, for ASCII text.
_ASCII_FOLD = bytes(
    (b | 0x20 if chr(b).isalpha() else b) if chr(b).isascii() and chr(b).isalnum() else (b if b == 0x0A else 0x20)
    for b in range(256)
)
# The non-ASCII marks most common in news text: curly quotes, dashes, ellipsis, pound sign.
TYPOGRAPHIC_MARKS = "\u2019\u201c\u201d\u2014\u2013\u2018\u2026\u00a3"
# Words of a unit's template are those starting lower-case ("wins a free kick in the defensive
# half"), as opposed to the names and numbers that change from one event to the next.
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_WORD_OR_NUMBER = re.compile(r"[^\W_][\w'\u2019-]*")
# Event-like units share a run of this many lower-case words.
GRAM = 3
# How far into a unit a dateline or date put before a copy may push its first word.
OPENING_WORDS = 4


# What both kinds that compare units (duplicate.py, cross_article.py) compare.
UNIT_OPTION = Option(
    "str",
    "What is compared: paragraphs, or single lines (each non-blank line on its own).",
    default="paragraph",
    choices=("paragraph", "line"),
)


def document_units(document: Document, unit: str) -> Iterator[tuple[int, int, str, list[str]]]:
    """The document's paragraphs (or non-blank checked lines, `unit` "line"), each as its first
    and last line, its text and its normalised words."""
    folded = folded_lines(document.scan_text)  # one per line of the document
    if unit == "paragraph":
        raw = [(p.first_line, p.last_line, p.text) for p in document.paragraphs]
    else:
        raw = [(ln.number, ln.number, ln.text.strip()) for ln in document.lines if ln.checked and not ln.is_blank]
    for first, last, text in raw:
        yield first, last, text, (folded[first - 1] if first == last else " ".join(folded[first - 1 : last])).split()


def normalise(text: str) -> str:
    """Case, spacing and punctuation folded away: what two copies of a paragraph share."""
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    """The words of `normalise(text)`."""
    return " ".join(folded_lines(text)).split()


def folded_lines(text: str) -> list[str]:
    """Each line of `text` (split at "\n"), folded: its split() gives the line's words. A
    paragraph's words are its lines' words (folding and splitting go character by character),
    and folding a whole document at once costs much less than folding it line by line."""
    if not text.isascii():
        # Most non-ASCII text is ASCII but for typographic punctuation. Those marks separate
        # words (they are not alphanumeric and casefold to themselves) as a space does.
        for mark in TYPOGRAPHIC_MARKS:
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


class Unit:
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


def without_list_items(
    matches: Repeats, units: list[Unit], every: list[tuple[str, str]], lists: dict[str, Any], items: Any
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


def held_in_later(matches: Repeats, units: list[Unit], threshold: float) -> dict[int, int]:
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


def template_items(a: Unit, b: Unit) -> bool:
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


def is_event_log(short_texts: list[str], needed: float) -> bool:
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
