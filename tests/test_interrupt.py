"""Ctrl-C (SIGINT) or a CI runner's SIGTERM stops a run promptly, with its own exit code and
one line on stderr, printing no partial report and leaving every file as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Prints "ready" once newslint is imported, then runs it: a signal sent after that line lands
# in the run, not in Python's start-up.
RUN_WHEN_READY = "import sys; from newslint.cli import main; print('ready', flush=True); sys.exit(main(sys.argv[1:]))"


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory):
    """About 40 MB of articles: several seconds of checking, generated in a fraction of one."""
    folder = tmp_path_factory.mktemp("articles")
    seed = (Path(__file__).parent / "fixtures" / "seed.txt").read_text()
    for i in range(300):
        (folder / f"article-{i:03d}.txt").write_text((seed.replace("Calais", f"Calais {i}") + "\n") * 30)
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    "signum, code, message",
    [(signal.SIGINT, 130, "newslint: interrupted"), (signal.SIGTERM, 143, "newslint: terminated")],
    ids=["sigint", "sigterm"],
)
def test_a_signal_stops_the_run_promptly(big_folder, tree_snapshot, signum, code, message):
    before = tree_snapshot(big_folder)
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_WHEN_READY, "check", str(big_folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline() == "ready\n"
        time.sleep(0.3)  # into the run, which takes seconds
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == code
    assert err == message + "\n"
    assert out == ""  # no partial report
    assert tree_snapshot(big_folder) == before
