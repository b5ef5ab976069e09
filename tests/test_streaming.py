"""The report streams: text, json-lines and github write each file's problems as its result
comes, while later files are still to be checked, and the bytes are those of the whole report;
--output-file stays atomic while it is written; the cache answers in bounded rounds; the exit
codes are those of the whole run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newslint import checking, per_file
from newslint.cli import main
from newslint.formats import FORMATTERS, Report
from newslint.pipeline import Request, check

STREAMING = ["text", "json-lines", "github"]
# Lines each flagged by the advertisement rule: a first file whose report is far larger than a
# pipe holds (64 KiB), so the run cannot go past it until a reader has taken most of it.
FLAGGED_LINES = 20_000


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """Three articles, each with an advertisement marker or two; no config applies."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "articles"
    root.mkdir()
    for name, body in [("a.md", "One.\n\nAdvertisement\n"), ("b.md", "Two.\n"), ("c.md", "Advertisement\n\nThree.\n")]:
        (root / name).write_text(body)
    return root


@pytest.mark.parametrize("output_format", STREAMING)
def test_the_first_file_is_reported_before_a_later_one_is_read(tmp_path, output_format):
    """The first file's report fills the pipe, so the run is held there until the test reads
    it: a problem added to the later file after the first line came out must be reported (a
    run that read every file before reporting could not see it)."""
    (tmp_path / "a.md").write_text("A story.\n\n" + "Advertisement\n\n" * FLAGGED_LINES)
    later = tmp_path / "b.md"
    later.write_text("A clean story.\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "newslint", "check", "--no-cache", "--jobs", "1", "--format", output_format, "."],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert "a.md" in first
        later.write_text("A story.\n\nAdvertisement\n")
        rest = process.stdout.read()  # (what readline buffered is read first; communicate would skip it)
        err = process.stderr.read()
        process.wait(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 1, err
    assert "b.md" in rest.splitlines()[-2 if output_format == "text" else -1]
    assert (first + rest).count("\n") == FLAGGED_LINES + 1 + (output_format == "text")


def collected_report(output_format: str, *paths: str) -> str:
    """The whole report of `paths` in `output_format`, formatted at once from every problem."""
    violations = []
    outcome = check(
        Request(paths=paths), notify=lambda message: None, deliver=lambda r: violations.extend(r.violations)
    )
    return FORMATTERS[output_format](Report(violations, outcome.summary, outcome.plan.rule_infos()))


@pytest.mark.parametrize("output_format", STREAMING)
def test_a_streamed_report_is_the_whole_report(folder, capsys, output_format):
    assert main(["check", "--no-cache", "--format", output_format, "articles"]) == 1
    streamed = capsys.readouterr().out
    assert streamed == collected_report(output_format, "articles")
    assert "a.md" in streamed and "c.md" in streamed


@pytest.mark.parametrize("output_format", STREAMING)
def test_each_file_is_written_before_the_next_is_checked(folder, capsys, monkeypatch, output_format):
    """In-process, --jobs 1: when each file is checked, stdout holds exactly the problems of
    the files before it."""
    seen: list[tuple[str, str]] = []
    written: list[str] = []
    real_check_file = per_file.check_file

    def check_file(path, plan, max_bytes):
        written.append(capsys.readouterr().out)
        seen.append((Path(path).name, "".join(written)))
        return real_check_file(path, plan, max_bytes)

    monkeypatch.setattr(per_file, "check_file", check_file)
    assert main(["check", "--no-cache", "--jobs", "1", "--format", output_format, "articles"]) == 1
    written.append(capsys.readouterr().out)
    assert [name for name, _ in seen] == ["a.md", "b.md", "c.md"]
    assert seen[0][1] == ""
    assert "a.md" in seen[1][1] and "c.md" not in seen[1][1]
    assert seen[2][1] == seen[1][1]  # b.md had nothing to report
    assert "c.md" in "".join(written)


def test_the_output_file_is_replaced_only_once_the_run_is_over(folder, capsys, monkeypatch):
    report = folder.parent / "report.txt"
    report.write_text("an old report\n")
    during: list[tuple[str, list[str]]] = []
    real_check_file = per_file.check_file

    def check_file(path, plan, max_bytes):
        during.append((report.read_text(), sorted(p.name for p in folder.parent.iterdir())))
        return real_check_file(path, plan, max_bytes)

    monkeypatch.setattr(per_file, "check_file", check_file)
    assert main(["check", "--no-cache", "--jobs", "1", "--output-file", str(report), "articles"]) == 1
    assert capsys.readouterr().out == ""
    for text, names in during:  # the old report whole while the new one is written beside it
        assert text == "an old report\n"
        assert len(names) == 3 and any(name.startswith(".newslint-") for name in names)
    assert report.read_text() == collected_report("text", "articles")
    assert sorted(p.name for p in folder.parent.iterdir()) == ["articles", "report.txt"]


def test_a_run_stopped_midway_leaves_the_old_output_file(folder, capsys, monkeypatch):
    report = folder.parent / "report.jsonl"
    report.write_text("an old report\n")
    real_check_file = per_file.check_file

    def check_file(path, plan, max_bytes):
        if path.endswith("c.md"):  # a.md's problem has been written to the temporary file
            raise KeyboardInterrupt
        return real_check_file(path, plan, max_bytes)

    monkeypatch.setattr(per_file, "check_file", check_file)
    assert main(["check", "--no-cache", "--jobs", "1", "--format", "json-lines", "-o", str(report), "articles"]) == 130
    assert capsys.readouterr().err == "newslint: interrupted\n"
    assert report.read_text() == "an old report\n"
    assert sorted(p.name for p in folder.parent.iterdir()) == ["articles", "report.jsonl"]


def test_an_error_of_the_run_is_not_taken_for_one_of_the_output_file(folder, capsys, monkeypatch):
    report = folder.parent / "report.txt"

    def check_file(path, plan, max_bytes):
        raise OSError("a bug")

    monkeypatch.setattr(per_file, "check_file", check_file)
    assert main(["check", "--no-cache", "--jobs", "1", "-o", str(report), "articles"]) == 3
    assert "internal error: OSError: a bug" in capsys.readouterr().err
    assert not report.exists()


@pytest.mark.parametrize("output_format", STREAMING)
@pytest.mark.parametrize(
    "config, flags, code",
    [("", [], 1), ("", ["--exit-zero"], 0), ("severity: {advertisement: warning}\nfail-on: error\n", [], 0)],
    ids=["problems", "exit-zero", "below-fail-on"],
)
def test_exit_codes_are_the_whole_runs(folder, capsys, output_format, config, flags, code):
    (folder.parent / ".newslint.yaml").write_text(config)
    assert main(["check", "--no-cache", "--format", output_format, *flags, "articles"]) == code
    (folder / "d.md").write_bytes(b"\x00binary")
    assert main(["check", "--no-cache", "--format", output_format, *flags, "articles"]) == 2
    assert "d.md: skipped: binary file" in capsys.readouterr().err


def test_the_cache_answers_in_bounded_rounds_with_the_same_report(tmp_path, monkeypatch, capsys):
    """With few answered files allowed to wait, a re-run where every fifth file changed goes
    round after round (through worker processes: 80 files), and reports what a run without the
    cache reports, in the same order."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(checking, "MAX_ANSWERED_WAITING", 3)
    root = tmp_path / "many"
    root.mkdir()
    for i in range(80):
        (root / f"{i:03d}.md").write_text(f"Story {i}.\n\n" + ("Advertisement\n" if i % 3 else "Fine.\n"))
    (root / "040.md").write_bytes(b"\x00binary")
    args = ["check", "--jobs", "2", "--format", "json", "--cache-dir", str(tmp_path / "cache"), "many"]
    assert main(args) == 2
    first = capsys.readouterr().out
    for i in range(0, 80, 5):
        if i != 40:
            (root / f"{i:03d}.md").write_text(f"Story {i} again.\n\nAdvertisement\n")
    assert main(args) == 2
    cached = capsys.readouterr().out
    assert main([*args[:-3], "--no-cache", "many"]) == 2
    fresh = capsys.readouterr().out
    assert cached == fresh != first
    assert [v["path"] for v in json.loads(cached)["violations"]] == sorted(
        v["path"] for v in json.loads(cached)["violations"]
    )
