"""Finding the units of a document that repeat an earlier one, without comparing all pairs.

The duplicate check (checks/duplicate.py) says what a repeat is: units compared as normalised
text, equal, or similar by a Scoring. Here is how they are found fast. Exact repeats are found
by hashing. Near repeats: each unit's word 3-grams go into an index, and only the few earlier
units sharing the most 3-grams with it are scored with rapidfuzz; a longest common subsequence
(LCS) bound rules out most pairs before either score, containment is scored only in the
stretches of the longer text that may hold the shorter, and all of it within a budget of work
proportional to the document's length.
"""

from __future__ import annotations

import gc
import math
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from itertools import compress, repeat
from operator import mul, sub
from typing import Any, NamedTuple, Protocol

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
# linear in a document's size whatever its text, a small multiple of reading it. A score the
# budget does not cover is not worked out, and the pair does not count as similar. Without it,
# long lines that each hold an earlier one with words put in (the LCS bound lets every pair
# through to partial_ratio) cost orders of magnitude more (benchmarks/hostile.py's "long lines,
# each holding the one before" and "edited copies" give the cost with it). Real articles stay
# well inside: the dearest of ../shared/corpus needs less than half of it at its dearest point,
# the synthetic archive's (benchmarks/speed.py) far less.
FUZZY_CELLS_PER_CHARACTER = 40_000
# partial_ratio fills its tables about eight times faster a cell than an LCS (it reuses the
# shorter text's bit masks from window to window), so its cells count an eighth.
PARTIAL_CELL_DISCOUNT = 8


class Unit(Protocol):
    norm: str  # the unit's normalised text
    words: list[str]  # its words (norm split)


class Scoring(NamedTuple):
    """When two units are near repeats: ratio(a, b) reaches `threshold`; or, with `containment`
    and the shorter of the two at least `min_length` long, partial_ratio(shorter, longer) (the
    shorter aligned with its best window in the longer) reaches `contained`. Their similarity
    is the score that reached its mark, the ratio first."""

    threshold: float
    containment: bool
    min_length: int
    contained: float


# Each repeating unit's index -> (the index of the unit it repeats, similarity, exact).
Repeats = dict[int, tuple[int, float, bool]]


def find_repeats(
    units: Sequence[Unit], scoring: Scoring | None, distinct: Callable[[Any, Any], bool] | None = None
) -> tuple[Repeats, bool]:
    """The units that repeat an earlier one: exactly (equal `norm`), or, given a `scoring`,
    nearly; a near repeat the unit repeats most (highest similarity, the earliest among equals),
    of the candidates it shares the most 3-grams with, unless `distinct(unit, earlier)` says the
    two are not repeats. And whether every pair of units sharing a 3-gram was scored (no posting
    or candidate limit, nor the budget, cut)."""
    # The 3-gram index of a long file holds hundreds of thousands of tuples, which the cyclic
    # garbage collector would scan again and again (a good part of the time of benchmarks/
    # speed.py's file of 5,000 distinct paragraphs);
    # tuples of strings cannot form a cycle, so it is paused while the index is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _index_and_score(units, scoring, distinct)
    finally:
        if collecting:
            gc.enable()


def _index_and_score(
    units: Sequence[Unit], scoring: Scoring | None, distinct: Callable[[Any, Any], bool] | None
) -> tuple[Repeats, bool]:
    first_seen: dict[str, int] = {}
    # The index of 3-grams: the first unit with each, and the later ones for 3-grams seen
    # again.
    first_with: dict[tuple[str, ...], int] = {}
    later_with: dict[tuple[str, ...], list[int]] = {}
    matches: Repeats = {}
    exhaustive = True
    budget = FuzzyBudget()
    for i, unit in enumerate(units):
        budget.earn(len(unit.norm))
        earlier = first_seen.get(unit.norm)
        if earlier is not None:
            matches[i] = (earlier, 100.0, True)
            continue
        first_seen[unit.norm] = i
        if scoring is None or len(unit.norm) > MAX_FUZZY_LENGTH:
            continue
        # One dict operation a 3-gram, without a Python loop: setdefault files a new 3-gram
        # under this unit and gives back the first unit of one seen before. Unless an
        # earlier unit shares a 3-gram with this one (rare), the smallest is this unit.
        # (Cheaper than testing for shared 3-grams, then adding the new ones: one dict
        # operation a 3-gram, not two.)
        grams = _grams(unit.words)
        firsts = list(map(first_with.setdefault, grams, repeat(i)))
        if min(firsts) == i:
            continue
        shared: list[int] = []  # earlier units, once per 3-gram they share with this one
        # The 3-grams filed under an earlier unit (picked out by what setdefault gave back:
        # looking them up again in a long file's large index costs a cache miss each).
        for gram, first in dict(compress(zip(grams, firsts, strict=True), map(i.__ne__, firsts))).items():
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
            score = similarity(unit.norm, units[j].norm, scoring, budget)
            if score is not None and distinct is not None and distinct(unit, units[j]):
                score = None
            if score is not None and (best is None or score > best[1]):
                best = (j, score, False)
        if best is not None:
            matches[i] = best
    return matches, exhaustive and not budget.refused


def _grams(words: list[str]) -> list[tuple[str, ...]]:
    """The word 3-grams (GRAM) of a text's words (all of them as one, when fewer), in order."""
    return list(zip(words, words[1:], words[2:], strict=False)) or [tuple(words)]


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
    as one integer, unit - count * units, which orders them so and sorts much faster than
    (count, unit) pairs, which compare as tuples: a long file's paragraphs may each have dozens
    of candidates."""
    keys = sorted(map(sub, counts.keys(), map(mul, counts.values(), repeat(units))))
    return [key % units for key in keys[:MAX_CANDIDATES]]


class _Fuzz(Protocol):
    """What is used of rapidfuzz.fuzz (mypy holds the module to it)."""

    def ratio(self, s1: str, s2: str, *, score_cutoff: float) -> float: ...

    def partial_ratio(self, s1: str, s2: str, *, score_cutoff: float) -> float: ...


class _LCSseq(Protocol):
    """What is used of rapidfuzz.distance.LCSseq."""

    def similarity(self, s1: str, s2: str, *, score_cutoff: int) -> int: ...


@cache
def _rapidfuzz() -> tuple[_Fuzz, _LCSseq]:
    """rapidfuzz's scorers, imported on first use: most articles have no pair to score, and a
    one-file run is spared the import."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import LCSseq

    return fuzz, LCSseq


def similarity(a: str, b: str, scoring: Scoring, budget: FuzzyBudget) -> float | None:
    """Similarity of a and b (0-100) if they are near repeats by `scoring`, else None (also when
    `budget` does not cover working it out)."""
    fuzz, LCSseq = _rapidfuzz()
    threshold, min_length, cutoff = scoring.threshold, scoring.min_length, scoring.contained
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    cells = len(a) * len(b)
    # ratio is 200 * LCS(a, b) / (len(a) + len(b)) (in %), and the LCS is at most the shorter's
    # length: a ratio of `threshold` needs the shorter to be threshold / (200 - threshold) of the
    # longer at least, and a pair further apart is ruled out unscored.
    ratio_possible = 200 * len(shorter) >= threshold * (len(a) + len(b))
    if not scoring.containment or len(shorter) < min_length:
        if not ratio_possible or not budget.spend(cells):
            return None
        return fuzz.ratio(a, b, score_cutoff=threshold) or None
    # One LCS (longest common subsequence) rules most pairs out before either score, both of
    # which need a long one. A ratio >= t needs LCS >= t * (len(a) + len(b)) / 200. partial_ratio
    # (aligning the shorter text with its best window in the longer one, far dearer than an LCS)
    # >= c needs a window w with LCS(shorter, w) >= c/(200-c) * len(shorter), and w is part of
    # `longer`, so an LCS below that rules it out. Each bound is lowered by 1 more to absorb
    # rounding. (Where the lengths rule a ratio out, None, the LCS only stands for containment.)
    needed_for_ratio = max(0, math.floor(threshold * (len(a) + len(b)) / 200) - 1) if ratio_possible else None
    needed_for_containment = max(0, math.floor(cutoff * len(shorter) / (200 - cutoff)) - 1)
    if not budget.spend(cells):
        return None
    needed = needed_for_containment if needed_for_ratio is None else min(needed_for_ratio, needed_for_containment)
    common = LCSseq.similarity(shorter, longer, score_cutoff=needed)
    if needed_for_ratio is not None and common >= needed_for_ratio:
        if not budget.spend(cells):
            return None
        score = fuzz.ratio(a, b, score_cutoff=threshold)
        if score:
            return score
    if common >= needed_for_containment:
        return contained(shorter, longer, cutoff, needed_for_containment, budget)
    return None


def contained(shorter: str, longer: str, cutoff: float, needed: int, budget: FuzzyBudget) -> float | None:
    """partial_ratio(shorter, longer) if it reaches `cutoff`, else None (also when `budget` does
    not cover working it out), scoring only the stretches of `longer` where it can.

    partial_ratio scores the shorter text against every window of its length in the longer one
    (and the windows cut short at either end): (windows) * len(shorter) ** 2 cells, cubic. A
    window that scores `cutoff` has an LCS of at least `needed` with the shorter text (see
    similarity), and so has any stretch of the longer text that holds it. The longer text is
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
        if not budget.spend(partial_cells(size, length)):
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
        if not budget.spend(partial_cells(size, end - start)):
            return None
        best = max(best, fuzz.partial_ratio(shorter, longer[start:end], score_cutoff=cutoff))
    return best or None


def partial_cells(size: int, length: int) -> int:
    """What partial_ratio of a text of `size` characters in one of `length` may cost: a table of
    size * size cells for each of its windows (length - size + 1 whole ones, and up to
    2 * (size - 1) cut short at the ends), at PARTIAL_CELL_DISCOUNT."""
    return (length + size) * size * size // PARTIAL_CELL_DISCOUNT
