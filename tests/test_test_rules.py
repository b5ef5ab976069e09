"""`newslint test-rules`: a rule folder's examples run outside newslint's own tests, each
failure named by file and line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newslint.cli import main
from newslint.rules import builtin_rules_dir

RULE = """\
check: phrase
category: footer
message: "Teaser: {{match}}"
doc: {{what: A teaser., why: Not the story.}}
phrases: ["Read more from Nick Robinson"]
examples:
  - text: "Story.\\nRead more from Nick Robinson\\n"
    expect: [{expect}]
  - text: "We read more from the report.\\n"
    expect: []
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "house-rules").mkdir()
    return tmp_path / "house-rules"


def test_all_examples_pass(folder, capsys):
    (folder / "teaser.yaml").write_text(RULE.format(expect=2))
    assert main(["test-rules", "house-rules"]) == 0
    assert capsys.readouterr().out == "1 rule, 2 examples: all passed.\n"


def test_a_wrong_example_is_reported_with_file_and_line(folder, capsys):
    (folder / "teaser.yaml").write_text(RULE.format(expect=1))
    (folder / "sub").mkdir()
    (folder / "sub" / "other.yaml").write_text(RULE.format(expect=2))
    assert main(["test-rules", "house-rules"]) == 1
    assert capsys.readouterr().out == (
        "house-rules/teaser.yaml:7: teaser: expected lines [1], got [2]\n2 rules, 4 examples: 1 failed.\n"
    )


def test_a_bad_rule_file_exits_2_and_the_others_still_run(folder, capsys):
    (folder / "bad.yaml").write_text("check: nope\n")
    (folder / "teaser.yaml").write_text(RULE.format(expect=1))
    assert main(["test-rules", "house-rules"]) == 2
    captured = capsys.readouterr()
    assert (
        captured.err
        == "newslint: house-rules/bad.yaml:1:8: unknown check kind 'nope' (known: context, cross-article, duplicate, pattern, phrase)\n"
    )
    assert captured.out.splitlines() == [
        "house-rules/teaser.yaml:7: teaser: expected lines [1], got [2]",
        "1 rule, 2 examples: 1 failed; 1 could not be loaded.",
    ]


def test_default_folders_are_the_configs(folder, capsys):
    (folder / "teaser.yaml").write_text(RULE.format(expect=2))
    assert main(["test-rules"]) == 2
    assert "no rule folder to test" in capsys.readouterr().err
    (folder.parent / ".newslint.yaml").write_text("rules: [house-rules]\n")
    assert main(["test-rules"]) == 0
    assert capsys.readouterr().out == "1 rule, 2 examples: all passed.\n"


def test_a_missing_folder_exits_2(folder, capsys):
    assert main(["test-rules", "nope"]) == 2
    assert "nope: rule folder does not exist" in capsys.readouterr().err


def test_the_builtin_rules_pass(capsys):
    result = subprocess.run(
        [sys.executable, "-m", "newslint", "test-rules", str(builtin_rules_dir())], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("examples: all passed.\n")
