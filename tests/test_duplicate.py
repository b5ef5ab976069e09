"""The duplicate check's shortcuts give the answers of the plain computation they replace."""

from __future__ import annotations

import re
from collections import Counter
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from newslint.checks import duplicate
from newslint.checks.duplicate import normalise


def reference_normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


@given(st.text(max_size=60))
def test_normalise_matches_the_regex_definition(text):
    assert normalise(text) == reference_normalise(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_normalise_ascii_fast_path_matches_the_regex_definition(text):
    assert normalise(text) == reference_normalise(text)


@given(st.text(alphabet=st.sampled_from("aZ9_ -.'\u00e9\u00df\u0130" + duplicate._TYPOGRAPHIC_MARKS), max_size=60))
def test_normalise_typographic_marks_fast_path_matches_the_regex_definition(text):
    # Curly quotes and dashes are spaced out before the ASCII table; other non-ASCII letters
    # (\u00df and \u0130 casefold to two characters) still need the regex.
    assert normalise(text) == reference_normalise(text)


class _NoBound:
    """Stands in for LCSseq so that no pair is ruled out before partial_ratio."""

    @staticmethod
    def similarity(a, b, score_cutoff=0):
        return len(a) + len(b)


def similarity_without_bound(*args):
    with mock.patch.object(duplicate, "_rapidfuzz", lambda: (fuzz, _NoBound)):
        return duplicate._similarity(*args)


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
        edited[at:at + draw(st.integers(0, 1))] = draw(st.sampled_from(["", "e", " ", "xy"]))
    return text, "".join(edited)


@settings(max_examples=400)
@given(st.one_of(near_pairs(), edited_copies()), st.sampled_from([50, 90, 95, 98]), st.booleans())
def test_lcs_bound_never_drops_a_match(pair, threshold, swap):
    a, b = pair if not swap else pair[::-1]
    assert duplicate._similarity(a, b, threshold, True, 1) == similarity_without_bound(a, b, threshold, True, 1)



@given(st.dictionaries(st.integers(0, 199), st.integers(1, 70), max_size=60))
def test_candidates_are_the_most_shared_then_the_earliest(counts):
    # The integer ranking gives the order of sorting (-count, unit) pairs.
    expected = [unit for _, unit in sorted((-n, unit) for unit, n in counts.items())][: duplicate.MAX_CANDIDATES]
    assert duplicate._candidates(Counter(counts), 200) == expected
