"""The line prefilter skips only rules that cannot match: lint gives the same violations with it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint import linter
from newslint.checks import prefilter
from newslint.document import from_text
from newslint.rules import load_rules

RULES = load_rules([])
LINES = sorted({line for rule in RULES for example in rule.examples for line in example.text.splitlines()})


def lint_both_ways(text: str):
    doc = from_text(text, "a.txt")
    built = prefilter.LinePrefilter([rule.check for rule in RULES])
    skipped = built.without_match(doc)
    with_prefilter = [v for i, rule in enumerate(RULES) if i not in skipped for v in linter.lint(doc, [rule])]
    return sorted(with_prefilter), linter.lint(doc, RULES), skipped


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LINES + ["", "  ", "Some story text."]), max_size=12))
def test_skipped_rules_had_nothing_to_find(lines):
    with_prefilter, without, skipped = lint_both_ways("\n".join(lines) + "\n")
    assert with_prefilter == without
    assert all(v.rule not in {RULES[i].name for i in skipped} for v in without)


def test_the_prefilter_skips_rules_on_a_clean_article(fixtures):
    _, _, skipped = lint_both_ways((fixtures / "clean.md").read_text())
    line_rules = {i for i, rule in enumerate(RULES) if rule.kind in ("phrase", "pattern")}
    assert skipped == line_rules


def test_lint_builds_the_prefilter_after_warm_up_and_rebuilds_for_new_rules(fixtures, monkeypatch):
    monkeypatch.setattr(prefilter, "WARM_UP", 3)
    monkeypatch.setattr(linter, "_prefilters", prefilter.PrefilterCache())
    doc = from_text((fixtures / "seed.txt").read_text(), "seed.txt")
    expected = linter.lint(doc, RULES)  # no prefilter for the first two uses
    assert linter.lint(doc, RULES) == linter.lint(doc, RULES) == expected  # the third builds it
    other = load_rules([])
    assert linter.lint(doc, other) == expected
    assert linter._prefilters.get([rule.check for rule in other]) is None  # another list counts afresh: 2 uses
    assert linter._prefilters.get([rule.check for rule in RULES]) is not None  # the first list's is kept


def test_a_rule_whose_set_cannot_be_built_always_runs(fixtures, monkeypatch):
    def refuse(self):
        raise prefilter.re2.error("failed to compile Set")

    monkeypatch.setattr(prefilter.re2.Set, "Compile", refuse)
    monkeypatch.setattr(prefilter, "WARM_UP", 1)
    monkeypatch.setattr(linter, "_prefilters", prefilter.PrefilterCache())
    doc = from_text((fixtures / "clean.md").read_text(), "clean.md")
    assert prefilter.LinePrefilter([rule.check for rule in RULES]).without_match(doc) == set()
    seed = from_text((fixtures / "seed.txt").read_text(), "seed.txt")
    assert len(linter.lint(seed, RULES)) == 4
