from __future__ import annotations

import json
import subprocess
import sys

from newslint.cli import main

# The rules the seed article's junk is found by. Tests name the rules they are about; the whole
# built-in set over whole articles is test_snapshots.py's.
SEED_RULES = "photo-caption,orphan-dateline,duplicate-paragraph,site-footer"


def test_seed_article(fixtures, capsys):
    seed = fixtures / "seed.txt"
    code = main(["check", "--select", SEED_RULES, str(seed)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out == [
        f'{seed}:1:1: error photo-caption Photo caption left in the body: "File photo of UK police."',
        f'{seed}:2:1: warning orphan-dateline Dateline alone on its line: "London:"',
        f"{seed}:15:1: error duplicate-paragraph Lines 15-25 repeat lines 4-14 (100% similar)",
        f'{seed}:26:1: error site-footer Site footer: "Track Latest News Live on NDTV.com and ..."',
        "Found 4 problems in 1 file (3 fixable with --fix).",
    ]


def test_clean_article_exits_0(fixtures, capsys):
    assert main(["check", str(fixtures / "clean.md")]) == 0
    assert capsys.readouterr().out == "No problems found in 1 file.\n"


def test_folder_takes_article_files_only(fixtures, capsys, tmp_path):
    (tmp_path / "a.txt").write_text((fixtures / "seed.txt").read_text())
    (tmp_path / "b.md").write_text((fixtures / "clean.md").read_text())
    (tmp_path / "c.yaml").write_text("{}")  # neither an article nor a dataset
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("Advertisement\n")
    assert main(["check", "--format", "json", str(tmp_path)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["files_checked"] == 2
    assert {v["path"] for v in payload["violations"]} == {str(tmp_path / "a.txt")}


def test_json_format(fixtures, capsys):
    main(["check", "--format", "json", str(fixtures / "seed.txt")])
    payload = json.loads(capsys.readouterr().out)
    assert payload["version"] == 1
    assert payload["summary"]["problems"] == 4
    dup = next(v for v in payload["violations"] if v["rule"] == "duplicate-paragraph")
    assert (dup["line"], dup["end_line"], dup["category"]) == (15, 25, "duplicate")
    assert dup["related"] == [{"line": 4, "column": 1, "end_line": 14, "end_column": 167}]
    assert dup["fix"]["safe"] is True
    for v in payload["violations"]:
        assert set(v) >= {"path", "line", "column", "end_line", "end_column", "rule", "category", "severity", "message"}


def test_select_and_ignore(fixtures, capsys):
    seed = str(fixtures / "seed.txt")
    main(["check", "--select", "site-footer,photo-caption", seed])
    assert [ln.split()[2] for ln in capsys.readouterr().out.splitlines()[:-1]] == ["photo-caption", "site-footer"]
    main(["check", "--ignore", "orphan-dateline", "--ignore", "duplicate-paragraph", seed])
    assert [ln.split()[2] for ln in capsys.readouterr().out.splitlines()[:-1]] == ["photo-caption", "site-footer"]


def test_unknown_rule_name_is_usage_error(fixtures, capsys):
    assert main(["check", "--select", "no-such-rule", str(fixtures / "seed.txt")]) == 2
    assert "unknown rule 'no-such-rule'" in capsys.readouterr().err


def test_missing_path_exits_2_and_still_checks_the_rest(fixtures, capsys, tmp_path):
    code = main(["check", str(tmp_path / "nope.txt"), str(fixtures / "seed.txt")])
    captured = capsys.readouterr()
    assert code == 2
    assert "nope.txt: no such file or folder" in captured.err
    assert "site-footer" in captured.out


def test_bad_usage_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "newslint", "check", "--format", "xml"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_rules_command_lists_documentation(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "duplicate-paragraph" in out and "Why:" in out


def test_console_script_runs(fixtures):
    result = subprocess.run(
        [sys.executable, "-m", "newslint", "check", str(fixtures / "seed.txt")], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr == ""
    assert "Found 4 problems in 1 file" in result.stdout
