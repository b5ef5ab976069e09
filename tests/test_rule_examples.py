"""Every rule file's own examples, run as tests: a rule without examples does not load."""

from __future__ import annotations

import pytest

from newslint import document
from newslint.linter import lint
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
    for example in rule.examples:
        doc = document.from_text(example.text, "example.txt")
        found = [v.line for v in lint(doc, [rule])]
        assert found == list(example.expect), f"{path}:{example.line}: expected lines {list(example.expect)}, got {found}"


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_examples_same_with_crlf(path):
    rule = load_rule_file(path)
    for example in rule.examples:
        lf = [(v.line, v.column, v.end_line, v.end_column) for v in lint(document.from_text(example.text), [rule])]
        crlf_text = example.text.replace("\n", "\r\n")
        crlf = [(v.line, v.column, v.end_line, v.end_column) for v in lint(document.from_text(crlf_text), [rule])]
        assert lf == crlf
