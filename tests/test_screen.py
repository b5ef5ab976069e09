"""Screens: a rule's screen matches every line its pattern matches, and searching only the lines
a screen picks out finds exactly what the reference engine finds."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint import document
from newslint.engine import compile_re2
from newslint.engine.gate import ScreenGate
from newslint.engine.reference import ReferenceLineMatcher
from newslint.engine.scan import encoded
from newslint.engine.screen import screen
from newslint.linter import lint

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^\S.{10,200}Read more$", r"^\S.+Read more$"),
        (r"a{0,3}b{2}c{1,}d{0}", r"a*b+c+d*"),
        (r"x{,3}y{ 2}", r"x{,3}y{ 2}"),  # RE2 reads these braces as text
        (r"\x{263A}{2}", r"\x{263A}+"),  # a character by its code, repeated
        (r"[{2}]", r"[{2}]"),  # braces in a class
        (r"\p{Lu}", r"[\x{41}-\x{5A}\x{80}-\x{10FFFF}]"),
        (r"(?i:\p{Lu})", r"(?i:[\x{41}-\x{5A}\x{80}-\x{10FFFF}])"),  # folding applies to both
        (r"[^\pL\d]", r"[\x{0}-\x{9}\x{B}-\x{2F}\x{3A}-\x{40}\x{5B}-\x{60}\x{7B}-\x{7F}\x{80}-\x{10FFFF}]"),
        (r"[\p{Greek}]", r"[\x{80}-\x{10FFFF}]"),  # no ASCII member
        (r"\Q\pL{2}\E", r"\Q\pL{2}\E"),  # quoted: left alone
        (r"[a-z]{2}\d", r"[a-z]+\d"),  # no Unicode class: the class stays
    ],
)
def test_screen_rewrites(pattern, expected):
    assert screen(pattern) == expected


# Patterns over letters of every kind the screen rewrites: Unicode classes (plain, negated, in
# brackets, negated brackets), counted repetitions, and the assertions it keeps.
_ATOMS = [
    r"\pL",
    r"\p{Lu}",
    r"\p{Ll}",
    r"\PL",
    r"\p{Greek}",
    r"[\pL\d]",
    r"[^\pL]",
    r"[^\p{Lu} ]",
    r"[\p{Lu}-z]",
    "a",
    "K",
    "s",
    "é",
    "Σ",
    " ",
    ".",
    r"\s",
    r"\W",
    r"\b",
    "^",
    "$",
    "(?:ab|b)",
    "(?i:k)",
    "(?-i:S)",
    r"(?i:\p{Lu})",
    r"(?i:[^\p{Ll}])",
    r"(?-i:\p{Ll})",
]
_COUNTS = ["", "", "*", "+", "?", "{2}", "{0,1}", "{1,3}", "{2,}", "{0}", "{1,3}?"]
_PIECES = st.tuples(st.sampled_from(_ATOMS), st.sampled_from(_COUNTS)).map("".join)
_PATTERNS = st.lists(_PIECES, min_size=1, max_size=4).map("".join)
_TEXT = st.text(alphabet="aAbKks\u017f\u212aéÉΣσ中😀 .\n-", max_size=20)


@settings(max_examples=400)
@given(st.lists(_PATTERNS, min_size=1, max_size=2).map("|".join), st.booleans(), _TEXT)
def test_a_screen_matches_every_line_its_pattern_matches(pattern, ignore_case, text):
    pattern = f"(?m){pattern}"
    exact = compile_re2(pattern, ignore_case)
    screened = compile_re2(screen(pattern), ignore_case)
    data = text.encode("utf-8")
    for match in exact.finditer(data):
        line_start = data.rfind(b"\n", 0, match.start()) + 1
        line_end = data.find(b"\n", match.start())
        line_end = len(data) if line_end == -1 else line_end
        assert screened.search(data, line_start, line_end) is not None, (pattern, screen(pattern), text)


def _texts(builtin_rules) -> list[str]:
    texts = [
        path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt")) + sorted(FIXTURES.glob("*.md"))
    ]
    return texts + [example.text for rule in builtin_rules for example in rule.examples]


def line_rules(rules):
    return [rule for rule in rules if rule.check.matcher is not None]


@pytest.mark.parametrize("screened_lines", [32, 1, 0])
def test_searching_the_screened_lines_finds_what_the_reference_engine_finds(builtin_rules, monkeypatch, screened_lines):
    """Line by line, then (past SCREENED_LINES) the rest of the text at once: the same spans."""
    import newslint.engine.fast as fast

    monkeypatch.setattr(fast, "SCREENED_LINES", screened_lines)
    screened = 0
    junk = "Advertisement\nThe council met on Tuesday.\nΗ Βουλή ψήφισε. (AP Photo/Jane Doe)\n" * 20
    for text in _texts(builtin_rules) + [junk]:
        doc = document.from_text(text, "t.txt")
        for rule in line_rules(builtin_rules):
            reference = list(ReferenceLineMatcher(rule.check.matcher.patterns).document_spans(doc))
            assert list(rule.check.matcher.document_spans(doc)) == reference, (rule.name, text)
            screened += bool(reference)
    assert screened > 50


def test_a_common_line_of_a_document_with_other_characters_is_searched_by_the_narrowed_programs():
    from newslint.rules import load_rules

    rule = next(r for r in load_rules([]) if r.name == "photo-caption")  # fresh: nothing compiled
    text = (
        "Η Βουλή ψήφισε χθες.\n\nA man walks by a shop in Athens, Greece, Monday, Jan. 5, 2015. (AP Photo/John Doe)\n"
    )
    doc = document.from_text(text)
    assert not encoded(doc).common
    assert [f.span.line for f in rule.findings(doc)] == [3]
    matcher = rule.check.matcher
    assert matcher._programs is None  # the full programs were never needed
    reference = ReferenceLineMatcher(matcher.patterns)
    assert list(reference.document_spans(doc)) == list(matcher.document_spans(doc))


def test_every_builtin_line_rule_has_a_screen_and_most_join_the_set(builtin_rules):
    strategies = {rule.name: rule.check.matcher.strategy for rule in line_rules(builtin_rules)}
    assert all(s.screen_program() is not None or "\\p" not in s.patterns.pattern for s in strategies.values())
    apart = {name for name, strategy in strategies.items() if strategy.gate_screen() is None}
    assert apart == {"photo-caption"}  # its program is split: its alternatives float


def test_the_set_skips_most_rules_and_changes_nothing_found(builtin_rules, reference_rules):
    gate = ScreenGate(builtin_rules)
    gate._searched = 10**6  # past the first documents: the set, not the literals
    ran = 0
    texts = _texts(builtin_rules)
    for text in texts:
        doc = document.from_text(text, "t.txt")
        assert lint(doc, builtin_rules, gate) == lint(doc, reference_rules)
        ran += len(gate.select(doc, builtin_rules))
    assert gate._set not in (None, False)
    # Of the rules with line patterns, a few run on each text; the rest (the duplicate check and
    # the context rules that judge every line by its shape, such as navigation runs) always run.
    always = sum(1 for rule in builtin_rules if rule.check.matcher is None)
    assert ran < (4 + always) * len(texts)


def test_a_failed_set_search_runs_every_rule(builtin_rules):
    """RE2 reports a set search that ran out of memory as no match; its always-matching last
    member tells the two apart, and then every rule runs."""

    class FailingSet:
        def Match(self, text):
            return []

    gate = ScreenGate(builtin_rules)
    gate._searched = 10**6
    doc = document.from_text("Advertisement\n")
    assert len(gate.select(doc, builtin_rules)) < len(builtin_rules)
    gate._set = FailingSet()
    assert list(gate.select(doc, builtin_rules)) == list(builtin_rules)


def test_a_run_of_many_documents_builds_the_set_at_once_and_works_out_no_literals(builtin_rules):
    gate = ScreenGate(builtin_rules)
    gate.expect(3)  # a pre-commit run: literals first, the set only if the run goes on
    assert gate._set is None
    gate.expect(10_000)
    assert gate._set not in (None, False)
    doc = document.from_text("Advertisement\nThe council met on Tuesday.\n")
    assert {rule.name for rule in gate.select(doc, builtin_rules)} >= {"advertisement", "duplicate-paragraph"}
    assert "_literals" not in gate.__dict__  # never worked out


def test_a_long_document_alone_is_screened_by_the_set_without_working_out_every_literal():
    from newslint.engine.strategy import _UNKNOWN
    from newslint.rules import load_rules

    rules = load_rules([])  # as a --no-cache run parses them: nothing worked out yet
    gate = ScreenGate(rules)
    gate.expect(1)
    long_text = "Advertisement\n" + "The council met on Tuesday to discuss the budget.\n" * 20_000
    selected = {rule.name for rule in gate.select(document.from_text(long_text), rules)}
    assert {"advertisement", "duplicate-paragraph"} <= selected
    assert gate._set not in (None, False)  # over the search budget: the set
    # Telling that it is over the budget took the literals of a rule or two, not all of them.
    worked_out = [rule.name for rule in line_rules(rules) if rule.check.matcher.strategy._literals is not _UNKNOWN]
    assert len(worked_out) <= 2, worked_out


def test_rules_parsed_without_a_cache_derive_nothing_until_used():
    from newslint.engine.strategy import _UNKNOWN
    from newslint.rules import load_rules

    strategy = next(rule.check.matcher.strategy for rule in load_rules([]) if rule.name == "related-link")
    assert strategy._literals is _UNKNOWN and strategy._screen is _UNKNOWN
    assert strategy.gate_screen() is not None and strategy._screen is not _UNKNOWN
