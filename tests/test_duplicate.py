"""The duplicate check's shortcuts give the answers of the plain computation they replace."""

from __future__ import annotations

import re
from collections import Counter
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from newslint.checks import duplicate, duplicate_units
from newslint.checks.duplicate_units import normalise
from newslint.cli import main
from newslint.engine import near_duplicates
from newslint.engine.near_duplicates import FuzzyBudget, Scoring


def reference_normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


@given(st.text(max_size=60))
def test_normalise_matches_the_regex_definition(text):
    assert normalise(text) == reference_normalise(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_normalise_ascii_fast_path_matches_the_regex_definition(text):
    assert normalise(text) == reference_normalise(text)


@given(st.text(alphabet=st.sampled_from("aZ9_ -.'\u00e9\u00df\u0130" + duplicate_units.TYPOGRAPHIC_MARKS), max_size=60))
def test_normalise_typographic_marks_fast_path_matches_the_regex_definition(text):
    # Curly quotes and dashes are spaced out before the ASCII table; other non-ASCII letters
    # (\u00df and \u0130 casefold to two characters) still need the regex.
    assert normalise(text) == reference_normalise(text)


class _NoBound:
    """Stands in for LCSseq so that no pair is ruled out before partial_ratio."""

    @staticmethod
    def similarity(a, b, score_cutoff=0):
        return len(a) + len(b)


def similarity(a, b, threshold, containment, min_length, budget):
    """The engine's similarity under the duplicate check's own reading of its options."""
    scoring = Scoring(threshold, containment, min_length, max(threshold, duplicate.CONTAINED))
    return near_duplicates.similarity(a, b, scoring, budget)


def similarity_without_bound(*args):
    with mock.patch.object(near_duplicates, "_rapidfuzz", lambda: (fuzz, _NoBound)):
        return similarity(*args, plenty())


def plenty() -> FuzzyBudget:
    """A budget no pair of these tests' texts can spend."""
    budget = FuzzyBudget()
    budget.earn(10**9)
    return budget


words = st.lists(st.sampled_from(["the", "a", "minister", "said", "on", "calais", "centre", "in", "x"]), min_size=1)


@st.composite
def near_pairs(draw):
    """A text, and a longer one holding it with a few edits: the pairs where the shortcut matters."""
    inner = " ".join(draw(words))
    edited = list(inner)
    for _ in range(draw(st.integers(0, 4))):
        if edited:
            edited[draw(st.integers(0, len(edited) - 1))] = draw(st.sampled_from("aeiou "))
    around = " ".join(draw(words)), " ".join(draw(words))
    return inner, f"{around[0]} {''.join(edited)} {around[1]}"


@st.composite
def edited_copies(draw):
    """A text and a copy of it with a few edits: pairs near the ratio threshold."""
    text = " ".join(draw(words))
    edited = list(text)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(edited)))
        edited[at : at + draw(st.integers(0, 1))] = draw(st.sampled_from(["", "e", " ", "xy"]))
    return text, "".join(edited)


@settings(max_examples=400)
@given(st.one_of(near_pairs(), edited_copies()), st.sampled_from([50, 90, 95, 98]), st.booleans())
def test_lcs_bound_never_drops_a_match(pair, threshold, swap):
    a, b = pair if not swap else pair[::-1]
    assert similarity(a, b, threshold, True, 1, plenty()) == similarity_without_bound(a, b, threshold, True, 1)


@given(st.dictionaries(st.integers(0, 199), st.integers(1, 70), max_size=60))
def test_candidates_are_the_most_shared_then_the_earliest(counts):
    # The integer ranking gives the order of sorting (-count, unit) pairs.
    expected = [unit for _, unit in sorted((-n, unit) for unit, n in counts.items())][: near_duplicates.MAX_CANDIDATES]
    assert near_duplicates._candidates(Counter(counts), 200) == expected


@st.composite
def held_texts(draw):
    """A text, and a far longer one that holds an edited copy of it, perhaps cut short at an end,
    among other words: several stretches to read, the copy in one or two of them, or none."""
    inner = " ".join(draw(st.lists(st.sampled_from(["the", "a", "minister", "said", "calais", "x"]), min_size=3)))
    edited = list(inner)
    for _ in range(draw(st.integers(0, 3))):
        edited[draw(st.integers(0, len(edited) - 1))] = draw(st.sampled_from("aeiou "))
    copy = "".join(edited)
    cut = draw(st.integers(0, len(copy) // 4))
    copy = draw(st.sampled_from([copy, copy[cut:], copy[: len(copy) - cut]]))
    before, after = " ".join(draw(words)), " ".join(draw(words))
    filler = " ".join(draw(st.lists(st.sampled_from(["on", "in", "centre", "said", "a"]), min_size=len(inner) // 2)))
    placed = draw(st.sampled_from(["start", "middle", "end", "none"]))
    longer = {
        "start": f"{copy} {before} {filler} {after}",
        "middle": f"{before} {filler} {copy} {filler} {after}",
        "end": f"{before} {filler} {after} {copy}",
        "none": f"{before} {filler} {after} {filler}",
    }[placed]
    return inner, longer


@settings(max_examples=300)
@given(held_texts(), st.sampled_from([90, 95, 98]))
def test_containment_read_in_stretches_scores_as_partial_ratio(pair, cutoff):
    """Only stretches of the longer text that may hold a window are scored, padded where the text
    goes on: the score is partial_ratio's over the whole text."""
    shorter, longer = pair
    needed = max(0, int(cutoff * len(shorter) / (200 - cutoff)) - 1)
    expected = fuzz.partial_ratio(shorter, longer, score_cutoff=cutoff) or None
    assert near_duplicates.contained(shorter, longer, cutoff, needed, plenty()) == expected, (shorter, longer)


def test_a_window_cut_short_inside_the_longer_text_does_not_count():
    """partial_ratio scores windows cut short only at the longer text's own ends. Here a copy
    missing its first three letters, cut short where it starts, would score 96; each whole
    window holding it scores 92.5. Stretches read one by one give the same: none."""
    shorter = "abcdefghij" * 4  # 40 characters: stretches of 49, 10 apart
    filler = "z" * 20
    longer = filler + shorter[3:] + filler
    assert fuzz.partial_ratio(shorter, longer, score_cutoff=95) == 0
    assert fuzz.partial_ratio(shorter, longer[20:69]) > 95  # the stretch from the copy's start
    assert near_duplicates.contained(shorter, longer, 95, 35, plenty()) is None
    assert near_duplicates.contained(shorter, filler + shorter + filler, 95, 35, plenty()) == 100


def _lines_holding_the_one_before(count: int, length: int, seed: int = 4) -> str:
    """Lines that each hold the line before with words put in: its LCS with the one before is the
    shorter's whole length, so no bound rules a pair out and partial_ratio, cubic, gets them all."""
    import random

    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(300)]
    line = rng.choices(vocabulary, k=length // 6)
    lines = []
    for _ in range(count):
        lines.append(" ".join(line)[: length * 2])
        grown = []
        for word in line:
            grown += [word, rng.choice(vocabulary)] if rng.random() < 0.3 else [word]
        line = grown
    return "\n".join(lines) + "\n"


class _CellCounter:
    """Stands in for rapidfuzz's scorers, counting the cells of each call it passes on."""

    def __init__(self):
        self.cells = 0
        counter = self

        class Fuzz:
            @staticmethod
            def ratio(a, b, **kw):
                counter.cells += len(a) * len(b)
                return fuzz.ratio(a, b, **kw)

            @staticmethod
            def partial_ratio(a, b, **kw):
                counter.cells += near_duplicates.partial_cells(min(len(a), len(b)), max(len(a), len(b)))
                return fuzz.partial_ratio(a, b, **kw)

        class LCS:
            @staticmethod
            def similarity(a, b, **kw):
                counter.cells += len(a) * len(b)
                return LCSseq.similarity(a, b, **kw)

        self.scorers = (Fuzz, LCS)


from rapidfuzz.distance import LCSseq  # noqa: E402


def test_fuzzy_work_on_lines_holding_each_other_stays_within_the_budget(tmp_path, capsys):
    """Counted at the scorers: what the duplicate check had rapidfuzz do is at most
    FUZZY_CELLS_PER_CHARACTER a character, though each pair would cost far more."""
    text = _lines_holding_the_one_before(count=8, length=1_500)
    (tmp_path / "a.txt").write_text(text)
    characters = len(text)
    counter = _CellCounter()
    with (
        mock.patch.object(near_duplicates, "_rapidfuzz", lambda: counter.scorers),
        mock.patch.object(near_duplicates, "FUZZY_CELLS_PER_CHARACTER", 2_000),
    ):
        assert main(["check", "--no-cache", "--select", "duplicate-paragraph", str(tmp_path / "a.txt")]) in (0, 1)
    capsys.readouterr()
    assert 0 < counter.cells <= 2_000 * characters
    # Without the budget, the pairs alone would have cost an order of magnitude more.
    lines = text.splitlines()
    unbounded = sum(near_duplicates.partial_cells(len(a), len(b)) for a, b in zip(lines, lines[1:], strict=False))
    assert unbounded > 10 * 2_000 * characters


def test_the_budget_is_never_short_on_the_fixtures_and_the_rules_examples(builtin_rules, fixtures):
    """What real text spends stays far inside the budget: the findings are those of an unbounded
    run, and no score was refused."""
    from newslint import document
    from newslint.linter import lint

    refused = []

    class Recording(FuzzyBudget):
        def spend(self, cells):
            ok = super().spend(cells)
            refused.append(not ok)
            return ok

    rule = next(r for r in builtin_rules if r.name == "duplicate-paragraph")
    texts = [
        path.read_text(encoding="utf-8") for path in sorted(fixtures.glob("*.txt")) + sorted(fixtures.glob("*.md"))
    ]
    texts += [example.text for r in builtin_rules for example in r.examples]
    for text in texts:
        doc = document.from_text(text)
        with mock.patch.object(near_duplicates, "FuzzyBudget", Recording):
            bounded = lint(doc, [rule])
        with mock.patch.object(near_duplicates, "FUZZY_CELLS_PER_CHARACTER", 10**12):
            assert lint(doc, [rule]) == bounded
    assert refused and not any(refused)
