"""`newslint check -`: an article on stdin (an editor's buffer), checked as the file it is
named after (--stdin-filename), and with --fix given back fixed on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import snapshot

ARTICLE = b"A story from Calais.\n\nAdvertisement\n\nLondon:\n\nMore of the story.\n"
FIXED = b"A story from Calais.\n\nLondon:\n\nMore of the story.\n"


def run(cwd: Path, *args: str, stdin: bytes = ARTICLE, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newslint", "check", *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def project(tmp_path) -> Path:
    """articles/ with a config of its own, and the file on disk an editor has open (unsaved)."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / ".newslint.yaml").write_text(
        "per-file-ignores:\n  'wire/*.md': [orphan-dateline]\nseverity:\n  advertisement: warning\nexclude: [drafts]\n"
    )
    (tmp_path / "articles" / "x.md").write_bytes(b"The saved text.\n")
    return tmp_path


def test_stdin_is_reported_under_its_name_with_the_config_of_its_folder(project):
    result = run(project, "-", "--stdin-filename", "articles/x.md", "--format", "json")
    assert result.returncode == 1, result.stderr
    payload = json.loads(result.stdout)
    # The config is articles/.newslint.yaml, found from the name's folder, not from the current one.
    assert [(v["path"], v["line"], v["rule"], v["severity"]) for v in payload["violations"]] == [
        ("articles/x.md", 3, "advertisement", "warning"),
        ("articles/x.md", 5, "orphan-dateline", "warning"),
    ]
    assert payload["summary"]["files_checked"] == 1


def test_per_file_ignores_and_exclude_apply_to_the_name(project):
    result = run(project, "-", "--stdin-filename", "articles/wire/y.md")
    assert result.returncode == 1
    assert [line.split()[2] for line in result.stdout.decode().splitlines()[:-1]] == ["advertisement"]
    excluded = run(project, "-", "--stdin-filename", "articles/drafts/z.md")
    assert (excluded.returncode, excluded.stdout) == (0, b"No problems found in 0 files.\n")


def test_fix_writes_the_fixed_text_to_stdout_and_nothing_to_disk(project):
    before = snapshot(project)
    result = run(project, "--fix", "-", "--stdin-filename", "articles/x.md", "--no-cache")
    assert result.stdout == FIXED
    # The problems that remain go to stderr, with the exit code they give.
    assert b"articles/x.md:3:1: warning orphan-dateline" in result.stderr
    assert result.returncode == 1
    assert snapshot(project) == before


def test_fix_with_nothing_to_fix_gives_the_text_back(project):
    clean = "A clean story.\r\n\r\nWith CRLF line endings and a BOM.\r\n".encode("utf-8-sig")
    result = run(project, "--fix", "-", "--stdin-filename", "articles/x.md", stdin=clean)
    assert (result.returncode, result.stdout) == (0, clean)


def test_a_name_alone_reads_stdin(project):
    result = run(project, "--stdin-filename", "articles/x.md")
    assert result.returncode == 1
    assert result.stdout.decode().startswith("articles/x.md:3:1: warning advertisement")


def test_without_a_name_stdin_is_dash_and_the_config_is_the_current_folders(project):
    result = run(project / "articles", "-")
    assert result.returncode == 1
    assert (
        result.stdout.decode().splitlines()[0]
        == '-:3:1: warning advertisement Advertisement marker left in the text: "Advertisement"'
    )


@pytest.mark.parametrize(
    "stdin, env, reason",
    [
        (b"Advertisement\n" * 200, {"NEWSLINT_MAX_FILE_MB": "0.001"}, "file too large (over the limit of"),
        (b"\n" * 1000, {"NEWSLINT_MAX_FILE_MB": "0.001"}, "too many lines (1,000; the limit is 32"),
        (b"Advertisement\n\x00\n", {}, "binary file (NUL byte"),
        (b"Caf\xe9\n", {}, "not valid UTF-8"),
    ],
)
def test_text_that_cannot_be_checked_is_an_error_and_fix_gives_it_back_unchanged(project, stdin, env, reason):
    result = run(project, "-", "--stdin-filename", "articles/x.md", stdin=stdin, env=env)
    assert result.returncode == 2
    assert f"newslint: articles/x.md: skipped: {reason}".encode() in result.stderr
    fixed = run(project, "-", "--fix", "--stdin-filename", "articles/x.md", stdin=stdin, env=env)
    assert (fixed.returncode, fixed.stdout) == (2, stdin)


@pytest.mark.parametrize(
    "args, message",
    [
        (["-", "articles"], "- (stdin) is checked alone"),
        (["--stdin-filename", "x.md", "articles"], "give - as the path"),
        (["-", "--update-baseline", "--baseline", "b.json"], "--update-baseline records the problems of files"),
    ],
)
def test_bad_stdin_usage_exits_2(project, args, message):
    result = run(project, *args)
    assert result.returncode == 2 and message in result.stderr.decode() and b"Traceback" not in result.stderr
