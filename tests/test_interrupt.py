"""Ctrl-C (SIGINT) or a CI runner's SIGTERM stops a run promptly, with its own exit code and
one line on stderr, no summary (the problems of the files already checked may have been
printed, whole lines, as the report streams) and every file left as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newslint import document
from newslint.config import Config
from newslint.filters import Plan, find_problems
from newslint.fix import fix_document
from newslint.rules import load_rules

# Prints "ready" once newslint is imported, then runs it: a signal sent after that line lands
# in the run, not in Python's start-up.
RUN_WHEN_READY = "import sys; from newslint.cli import main; print('ready', flush=True); sys.exit(main(sys.argv[1:]))"


def write_articles(parent: Path) -> Path:
    """A folder of about 40 MB of articles in `parent`: seconds of checking, generated in a
    fraction of one."""
    folder = parent / "articles"
    folder.mkdir()
    seed = (Path(__file__).parent / "fixtures" / "seed.txt").read_text()
    for i in range(300):
        (folder / f"article-{i:03d}.txt").write_text((seed.replace("Calais", f"Calais {i}") + "\n") * 30)
    return folder


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory):
    return write_articles(tmp_path_factory.mktemp("run"))


def start_run(folder: Path, *args: str) -> subprocess.Popen:
    """newslint in a child process on `folder`, once it is running (past Python's start-up).
    It runs in the folder's parent, where no config applies and anything it might write is
    outside the folder."""
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_WHEN_READY, *args, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=folder.parent,
    )
    assert process.stdout.readline() == "ready\n"
    time.sleep(0.3)  # into the run, which takes seconds
    return process


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    "signum, code, message",
    [(signal.SIGINT, 130, "newslint: interrupted"), (signal.SIGTERM, 143, "newslint: terminated")],
    ids=["sigint", "sigterm"],
)
def test_a_signal_stops_the_run_promptly(big_folder, tree_snapshot, signum, code, message):
    before = tree_snapshot(big_folder)
    process = start_run(big_folder, "check")
    try:
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == code
    assert err == message + "\n"
    # Only whole problem lines of the files reported before the signal, and no summary.
    stray = [line for line in out.splitlines() if not line.startswith(f"{big_folder}/article-")]
    assert stray == []
    assert out == "" or out.endswith("\n")
    assert tree_snapshot(big_folder) == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_an_interrupted_fix_leaves_each_file_as_it_was_or_fully_fixed(tmp_path, tree_snapshot):
    folder = write_articles(tmp_path)
    before = tree_snapshot(folder)
    process = start_run(folder, "check", "--fix")
    try:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert (process.returncode, err) == (130, "newslint: interrupted\n")
    after = tree_snapshot(folder)
    assert sorted(after) == sorted(before)  # no temporary file left behind
    find = find_problems(Plan.of(Config(root=str(folder.parent)), load_rules([])))  # what the run used
    changed = [path for path in before if after[path][0] != before[path][0]]
    assert len(changed) < len(before)  # the run was stopped, not finished
    for path in changed:
        fixed = fix_document(document.from_bytes(before[path][0], path), find).data
        assert after[path][0] == fixed
