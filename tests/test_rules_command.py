"""`newslint rules`: the list as the config sets it, and `newslint rules NAME`, one rule explained."""

from __future__ import annotations

import json

import pytest

from newslint.cli import main


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".newslint.yaml").write_text(
        "ignore: [site-footer]\nseverity: {advertisement: info}\nper-file-ignores: {'wire/*': [advertisement]}\n"
    )
    return tmp_path


def test_the_list_reflects_the_config(project, capsys):
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "site-footer  [footer, error, pattern, fix: delete] (ignored)" in lines
    assert "advertisement  [footer, info (the rule's own: error), pattern, fix: delete]" in lines
    assert "photo-caption  [caption, error, pattern, fix: delete]" in lines
    assert main(["rules", "--format", "json"]) == 0
    by_name = {rule["name"]: rule for rule in json.loads(capsys.readouterr().out)}
    assert (by_name["site-footer"]["runs"], by_name["site-footer"]["enabled"]) == (False, True)
    assert (by_name["advertisement"]["severity"], by_name["advertisement"]["own_severity"]) == ("info", "error")
    assert by_name["photo-caption"]["runs"] is True


def test_a_select_in_the_config_turns_the_others_off(project, capsys):
    (project / ".newslint.yaml").write_text("select: [photo-caption]\n")
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "photo-caption  [caption, error, pattern, fix: delete]" in lines
    assert "site-footer  [footer, error, pattern, fix: delete] (not selected)" in lines


def test_a_named_rule_is_explained_with_options_examples_and_the_config(project, capsys):
    assert main(["rules", "advertisement"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("advertisement\n=============\n\nAn ad slot's label")
    for expected in [
        "Why: It marks where an ad was on the page",
        "Fix: Deletes the line.",
        "- Fix: `delete`, applied by `--fix`",
        "- With this config: runs",
        "- Severity with this config: info (the rule's own: error)",
        "- Not run on files matching (per-file-ignores): 'wire/*'",
        "Options of this pattern rule (what its file sets, or the default):",
        "- `max_length` (not set): Only lines at most this many characters long (stripped).",
        "- `ignore_case` = `true`: Match regardless of case.",
        "Example 1, flags line",
        "    $ newslint check --select advertisement example.txt",
    ]:
        assert expected in out, expected
    assert main(["rules", "site-footer"]) == 0
    assert "- With this config: does not run (ignored)" in capsys.readouterr().out


def test_an_unknown_name_exits_2_with_the_closest_names(project, capsys):
    assert main(["rules", "site-foter"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err
        == "newslint: error: unknown rule 'site-foter'; did you mean 'site-footer'? (`newslint rules` lists them)\n"
    )


def test_the_rule_newslint_reports_itself_is_explained_too(project, capsys):
    assert main(["rules", "unused-suppression"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("unused-suppression\n==================\n\nA newslint suppression comment")
    assert "- Category: other; severity: warning" in out
