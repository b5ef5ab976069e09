"""Narrowed Unicode classes match exactly what the full ones match on COMMON text."""

import pytest
import re2
from hypothesis import given
from hypothesis import strategies as st

from newslint import document
from newslint.engine import compile_re2
from newslint.engine.repertoire import COMMON_RANGES, FOLDS_INTO_COMMON, narrow
from newslint.engine.scan import encoded

COMMON = "".join(chr(code) for low, high in COMMON_RANGES for code in range(low, high + 1) if code != 0x0A)
CLASSES = [
    r"\pL",
    r"\p{L}",
    r"\p{Lu}",
    r"\p{Ll}",
    r"\p{Lt}",
    r"\p{Lm}",
    r"\p{Lo}",
    r"\pN",
    r"\p{Nd}",
    r"\pP",
    r"\p{Pd}",
    r"\p{Pi}",
    r"\p{Pf}",
    r"\pS",
    r"\p{Sc}",
    r"\pZ",
    r"\p{Zs}",
    r"\p{Greek}",
    r"\p{Latin}",
    r"\p{Cyrillic}",
    r"\p{Han}",
]
NEGATED = [r"\PL", r"\P{Lu}", r"\p{^Lu}", r"\P{Greek}"]
SHAPES = [
    "{c}",
    "[{c}]",
    "[^{c}]",
    "[{c}x.-]",
    "[^{c}0-9]",
    "(?i:{c})",
    "(?i:[^{c}])",
    "(?i)[{c}']",
    "[{c}-z]",
    "[^{c}-]",
    "[-{c}]",
    "[{c}-{c}]",
    "[{c}--]",
]


@pytest.mark.parametrize("unicode_class", CLASSES)
@pytest.mark.parametrize("ignore_case", [False, True])
def test_a_narrowed_class_matches_the_same_common_characters(unicode_class, ignore_case):
    for shape in SHAPES:
        pattern = shape.format(c=unicode_class)
        full = compile_re2(pattern, ignore_case)
        narrowed = compile_re2(narrow(pattern), ignore_case)
        assert narrowed.pattern != pattern
        # One pass each over every COMMON character, so a difference names its character.
        full_hits = [m.start() for m in full.finditer(COMMON)]
        narrowed_hits = [m.start() for m in narrowed.finditer(COMMON)]
        assert narrowed_hits == full_hits, (pattern, ignore_case, set(full_hits) ^ set(narrowed_hits))


@pytest.mark.parametrize("unicode_class", NEGATED)
def test_negated_classes_are_left_as_they_are(unicode_class):
    # Under case folding RE2 reads \P{Lu} as "no case of an uppercase letter": not narrowable.
    for shape in SHAPES:
        pattern = shape.format(c=unicode_class)
        assert narrow(pattern) == pattern


def test_folds_into_common_lists_every_character_that_folds_onto_common():
    """Recomputed over all of Unicode with RE2's own case folding."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and c != 0x0A)
    common_class = "[" + "".join(re2.escape(c) for c in COMMON) + "]"
    found = {m.group(0) for m in compile_re2(common_class, ignore_case=True).finditer(everything)}
    assert "".join(sorted(found - set(COMMON))) == FOLDS_INTO_COMMON


def test_patterns_without_unicode_classes_are_left_alone():
    for pattern in [r"^\W*Advertisement\W*$", r"\\pL", r"[[:alpha:]]+", r"\x{263A}", r"[\\p]L", r"\Q\pL\E\pL"]:
        assert narrow(pattern) == pattern


def test_escapes_and_posix_classes_survive_narrowing():
    pattern = r"[[:alpha:]\]\\]\pL\\pL\[\pL"
    narrowed = narrow(pattern)
    assert narrowed.startswith(r"[[:alpha:]\]\\][")
    assert r"\\pL\[[" in narrowed
    compile_re2(narrowed, ignore_case=False)


def test_documents_know_whether_they_are_common_text():
    assert encoded(document.from_text("Plain ASCII.\nCafé – “quoted” …\n")).common
    assert not encoded(document.from_text("Ελλάδα\n")).common
    assert not encoded(document.from_text("€5\n")).common


_CLASS_ITEMS = [
    r"\pL",
    r"\p{Lu}",
    r"\p{Ll}",
    r"\pN",
    "a",
    "z",
    "-",
    r"\]",
    r"\-",
    "[:alpha:]",
    r"\d",
    ".",
    "é",
    "’",
    "[",
    r"\\",
]


@given(
    st.lists(st.sampled_from(_CLASS_ITEMS), min_size=1, max_size=5),
    st.booleans(),
    st.sampled_from(["", "+", "{2}", "*x"]),
    st.booleans(),
    st.text(alphabet=COMMON[:300] + "\u2019\u201c\u2014", max_size=40),
)
def test_random_classes_narrow_exactly(items, negated, suffix, ignore_case, text):
    pattern = "[" + ("^" if negated else "") + "".join(items) + "]" + suffix + r"|\pL\p{Lu}"
    try:
        full = compile_re2(pattern, ignore_case)
    except ValueError:
        return  # refused at load: never narrowed
    narrowed = compile_re2(narrow(pattern), ignore_case)
    assert [m.span() for m in narrowed.finditer(text)] == [m.span() for m in full.finditer(text)], pattern


def test_a_bad_pattern_is_reported_as_the_user_wrote_it():
    from newslint.engine import regex_problem

    problem = regex_problem([r"[\pL-"])
    assert problem is not None and r"[\pL-" in problem and r"\x{41}" not in problem
    assert "invalid character class range" in regex_problem([r"\p{Foo}x"])
    assert regex_problem([r"[\pL-z]", r"\p{Lu}\pL+"]) is None
