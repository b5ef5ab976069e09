"""How the report is put out: JUnit failing only what fails the run, colour on a terminal,
--quiet, --exit-zero and --output-file."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from newslint.cli import main

ESC = "\x1b["


@pytest.fixture
def article(tmp_path, monkeypatch) -> Path:
    """An article with an error (advertisement) and an info problem (a dateline made info)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    (tmp_path / ".newslint.yaml").write_text("severity: {orphan-dateline: info}\n")
    path = tmp_path / "a.md"
    path.write_text("A story.\n\nLondon:\n\nAdvertisement\n")
    return path


def test_junit_fails_only_the_problems_that_fail_the_run(article, capsys):
    assert main(["check", "--format", "junit", "a.md"]) == 1
    root = ET.fromstring(capsys.readouterr().out)
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    cases = {case.get("name"): case for case in root.iter("testcase")}
    dateline, advert = cases["orphan-dateline at 3:1"], cases["advertisement at 5:1"]
    assert dateline.find("failure") is None
    assert dateline.find("system-out").text.startswith("a.md:3:1: info orphan-dateline")
    assert advert.find("failure") is not None
    assert main(["check", "--format", "junit", "--fail-on", "info", "a.md"]) == 1
    assert ET.fromstring(capsys.readouterr().out).get("failures") == "2"
    # Only info: the run passes, and so do all its test cases.
    article.write_text("A story.\n\nLondon:\n")
    assert main(["check", "--format", "junit", "a.md"]) == 0
    assert ET.fromstring(capsys.readouterr().out).get("failures") == "0"


def colored(text: str) -> bool:
    return ESC in text


def test_colour_is_off_when_not_a_terminal_and_follows_the_flag_and_the_environment(article, capsys, monkeypatch):
    main(["check", "a.md"])
    assert not colored(capsys.readouterr().out)
    main(["check", "--color", "always", "a.md"])
    first = capsys.readouterr().out.splitlines()[0]
    assert (
        first
        == f'{ESC}1ma.md{ESC}0m:3:1: {ESC}1;34minfo{ESC}0m {ESC}35morphan-dateline{ESC}0m Dateline alone on its line: "London:"'
    )
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(["check", "a.md"])
    assert colored(capsys.readouterr().out)
    main(["check", "--color", "never", "a.md"])
    assert not colored(capsys.readouterr().out)
    monkeypatch.setenv("NO_COLOR", "1")  # any non-empty value; it wins over FORCE_COLOR
    main(["check", "a.md"])
    assert not colored(capsys.readouterr().out)
    # Machine formats never get colour.
    main(["check", "--color", "always", "--format", "json", "a.md"])
    assert not colored(capsys.readouterr().out)


def run_in_terminal(cwd: Path, env: dict[str, str]) -> str:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "newslint", "check", "--no-cache", "a.md"],
        cwd=cwd,
        stdout=terminal,
        stderr=terminal,
        env={k: v for k, v in {**os.environ, **env}.items() if v is not None},
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(controller)
    return output.decode()


def test_colour_on_a_terminal_unless_no_color(article):
    assert colored(run_in_terminal(article.parent, {"NO_COLOR": None, "FORCE_COLOR": None}))
    assert not colored(run_in_terminal(article.parent, {"NO_COLOR": "1", "FORCE_COLOR": None}))


def test_quiet_prints_only_the_problems(article, capsys):
    assert main(["check", "--quiet", "a.md"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        'a.md:3:1: info orphan-dateline Dateline alone on its line: "London:"',
        'a.md:5:1: error advertisement Advertisement marker left in the text: "Advertisement"',
    ]
    article.write_text("A clean story.\n")
    assert main(["check", "-q", "a.md"]) == 0
    assert capsys.readouterr().out == ""


def test_exit_zero_passes_problems_but_not_errors(article, capsys):
    assert main(["check", "--exit-zero", "a.md"]) == 0
    assert "Found 2 problems" in capsys.readouterr().out
    assert main(["check", "--exit-zero", "a.md", "missing.md"]) == 2
    assert main(["check", "--exit-zero", "--fix", "--exit-non-zero-on-fix", "a.md"]) == 2
    assert "contradict" in capsys.readouterr().err


def test_output_file_gets_the_report_and_stdout_nothing(article, capsys):
    assert main(["check", "--format", "json", "a.md"]) == 1
    expected = capsys.readouterr().out
    report = article.parent / "reports" / "newslint.json"
    report.parent.mkdir()
    report.write_text("an old report\n")
    assert main(["check", "--format", "json", "--output-file", str(report), "a.md"]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert report.read_text() == expected
    assert sorted(p.name for p in report.parent.iterdir()) == ["newslint.json"]  # no temporary file left


def test_output_file_that_cannot_be_written_exits_2(article, capsys):
    assert main(["check", "--output-file", "no-such-folder/report.txt", "a.md"]) == 2
    assert (
        "newslint: error: no-such-folder/report.txt: cannot write the report: No such file or directory"
        in capsys.readouterr().err
    )
    assert main(["check", "--output-file", ".", "a.md"]) == 2
    assert "cannot write the report: a folder" in capsys.readouterr().err
