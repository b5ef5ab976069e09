"""Every rule file's own examples, run as tests: a rule without examples does not load."""

from __future__ import annotations

import pytest

from newslint.rule_examples import example_failures
from newslint.rules import builtin_rules_dir, load_rule_file, rule_files

RULE_FILES = rule_files(builtin_rules_dir())


def test_there_are_builtin_rules():
    names = {path.stem for path in RULE_FILES}
    assert {"duplicate-paragraph", "site-footer", "photo-caption", "orphan-dateline"} <= names


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_examples(path):
    rule = load_rule_file(path)
    assert rule.examples, f"{path} has no examples"
    assert any(example.expect for example in rule.examples), f"{path} has no example it flags"
    assert any(not example.expect for example in rule.examples), f"{path} has no example it leaves alone"
    # The lines each example expects, and the same problems with CRLF line endings.
    assert [str(failure) for failure in example_failures(rule)] == []
