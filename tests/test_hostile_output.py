"""A pull request's author controls file names, article text and rule files: nothing of theirs may
reach a terminal or a CI log as a control character or as a command the CI runner obeys.

GitHub Actions reads a line that starts with "::" (after spaces) as a workflow command, and
"##[" anywhere in a line as an older one; Azure Pipelines reads "##vso[" anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import log_problems

from newslint.cli import main

# What an attacker would put in names and text: a newline or CR then a workflow command,
# terminal escapes, and the commands read anywhere in a line.
COMMAND = "::error file=evil.txt::injected"
HOSTILE_TEXT = f"\x1b[2J\x07 ##[set-env name=X;]1 ##vso[task.setvariable variable=Y]2 {COMMAND}"
FORMATS = ["text", "json", "json-lines", "github", "sarif", "junit", "markdown"]


@pytest.fixture
def hostile_repo(tmp_path, monkeypatch) -> Path:
    """Articles whose names and text carry commands, and a rule folder whose doc does."""
    repo = tmp_path / "repo"
    repo.mkdir()
    body = f"Story line one is long enough to be the story's own paragraph.\nAdvertisement\nFile photo of UK police. {HOSTILE_TEXT}\n"
    for name in [f"a\n{COMMAND}.md", f"b\r{COMMAND}.md", f"{COMMAND}.md", "c ##[x].md", "plain.md"]:
        (repo / name).write_text(body)
    rules = repo / "pr-rules"
    rules.mkdir()
    (rules / "whole-line.yaml").write_text(
        "check: pattern\ncategory: other\nmessage: '{match}'\n"
        f"doc: {{what: {json.dumps('Flags.' + chr(10) + COMMAND)}, why: {json.dumps('Because.' + chr(13) + '::warning::x')}}}\n"
        "patterns: ['File photo.+$']\nexamples: [{text: \"File photo x\\n\", expect: [1]}]\n"
    )
    monkeypatch.chdir(repo)
    return repo


@pytest.mark.parametrize("output_format", FORMATS)
def test_no_format_lets_names_or_text_command_the_ci_log(hostile_repo, capsys, output_format):
    code = main(["check", "--rules", "pr-rules", "--format", output_format, "."])
    out, err = capsys.readouterr()
    assert code == 1
    assert log_problems(out, own_commands=output_format == "github") == []
    assert log_problems(err) == []


def test_json_output_decodes_to_the_exact_text(tmp_path, capsys):
    article = tmp_path / "a.md"
    article.write_text("Story line one is long enough to be the story's own paragraph.\n##[set-env name=X;]1\n")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "command.yaml").write_text(
        "check: pattern\ncategory: other\nmessage: '{match}'\ndoc: {what: W., why: Y.}\n"
        "patterns: ['^##.+$']\nexamples: [{text: \"##x\\n\", expect: [1]}]\n"
    )
    main(["check", "--rules", str(rules), "--select", "command", "--format", "json", str(article)])
    out = capsys.readouterr().out
    assert "##" not in out
    (violation,) = json.loads(out)["violations"]
    assert violation["message"] == '"##[set-env name=X;]1"'


def test_text_output_escapes_a_name_that_starts_with_a_command(hostile_repo, capsys):
    main(["check", "--select", "advertisement", f"{COMMAND}.md"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("\\x3a:error file=evil.txt::injected.md:2:1: error advertisement")


def test_diff_in_a_log_is_escaped_and_its_file_names_quoted(hostile_repo, capsys):
    code = main(["check", "--diff", "--select", "advertisement", "."])
    out, err = capsys.readouterr()
    assert code == 1
    assert log_problems(out) == [] and log_problems(err) == []
    assert f'--- "./a\\n{COMMAND}.md"' in out.splitlines()
    assert "diff lines escaped for display; write the diff to a file for an exact patch" in err


def test_diff_written_to_a_file_is_an_exact_patch(hostile_repo):
    with open(hostile_repo.parent / "fixes.patch", "wb") as patch_file:
        subprocess.run(
            [sys.executable, "-m", "newslint", "check", "--no-cache", "--diff", "--select", "advertisement", "."],
            stdout=patch_file,
            check=False,
        )
    before = {path: path.read_bytes() for path in hostile_repo.glob("*.md")}
    if subprocess.run(["patch", "--version"], capture_output=True).returncode != 0:  # pragma: no cover
        pytest.skip("GNU patch is not installed")
    subprocess.run(["patch", "-p0", "-s", "-i", str(hostile_repo.parent / "fixes.patch")], check=True)
    for path, data in before.items():
        assert path.read_bytes() == data.replace(b"Advertisement\n", b"")


def test_rules_listing_escapes_a_rule_files_doc(hostile_repo, capsys):
    assert main(["rules", "--rules", "pr-rules"]) == 0
    out = capsys.readouterr().out
    assert log_problems(out) == []
    assert "    Flags.\\n::error file=evil.txt::injected" in out.splitlines()
    assert main(["rules", "--rules", "pr-rules", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert log_problems(out) == []


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_sarif_names_a_file_whose_name_is_not_utf8(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open(os.path.join(os.fsencode(tmp_path), b"a\xff.txt"), "wb") as handle:
        handle.write(b"Advertisement\n")
    code = main(["check", "--format", "sarif", "."])
    out = capsys.readouterr().out
    (result,) = json.loads(out)["runs"][0]["results"]
    assert code == 1
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%FF.txt"


def test_bidirectional_overrides_are_escaped_in_text_output(tmp_path, capsys, monkeypatch):
    # A right-to-left override makes a terminal show what follows reversed ("Trojan Source"): a
    # name or a quoted match could read as something else.
    monkeypatch.chdir(tmp_path)
    name = "evil\u202egpj.md"
    Path(name).write_text("Advertisement\nFile photo of \u2067UK\u2069 police.\n", encoding="utf-8")
    main(["check", "--select", "advertisement,photo-caption", name])
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\u2067" not in out and "\u2069" not in out
    assert "evil\\u202egpj.md:1:1:" in out and "File photo of \\u2067UK\\u2069 police." in out
