"""Every pattern of a built-in rule is exercised by one of the rule's own flagged examples, so a
pattern that stops matching (or never did) fails a test."""

from __future__ import annotations

import pytest

from newslint.engine import compile_re2
from newslint.rules import builtin_rules_dir, load_rule_file, rule_files

PATTERN_RULES = [p for p in rule_files(builtin_rules_dir()) if load_rule_file(p).kind == "pattern"]


@pytest.mark.parametrize("path", PATTERN_RULES, ids=lambda p: p.stem)
def test_every_pattern_matches_a_flagged_example_line(path):
    rule = load_rule_file(path)
    flagged = [example.text.splitlines()[line - 1] for example in rule.examples for line in example.expect]
    for pattern in rule.check.options["patterns"]:
        regex = compile_re2(pattern, rule.check.options["ignore_case"])
        assert any(regex.search(line) for line in flagged), f"{path}: no flagged example matches {pattern!r}"
