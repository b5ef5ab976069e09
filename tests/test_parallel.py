"""--jobs: checking in worker processes gives exactly the output of checking in-process."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import sys
from pathlib import Path

import pytest
from helpers import mixed_archive

from newslint import per_file, workers
from newslint.cli import main
from newslint.document import from_bytes
from newslint.linter import lint
from newslint.per_file import FileError, FileResult


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Workers for a dozen files, in chunks of 3: every path of the parallel code, quickly."""
    monkeypatch.setattr(workers, "MIN_FILES_FOR_WORKERS", 6)
    monkeypatch.setattr(workers, "CHUNK_FILES", 3)


@pytest.fixture
def archive(tmp_path, fixtures):
    """Enough files for worker processes to be used, some with problems, two that cannot be checked."""
    return mixed_archive(tmp_path / "archive", fixtures)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_jobs_do_not_change_the_output(archive, capsys, fmt):
    outputs = []
    for jobs in ("1", "2"):
        code = main(["check", "--no-cache", "--format", fmt, "--jobs", jobs, str(archive)])
        captured = capsys.readouterr()
        outputs.append((code, captured.out, captured.err))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 2 and "005.txt: skipped: binary file" in outputs[0][2]


def test_results_found_by_workers_are_cached(archive, capsys, monkeypatch):
    assert main(["check", "--jobs", "2", str(archive)]) == 2
    first = capsys.readouterr()
    checked = []

    def record(item, plan):
        path = item[0]
        checked.append(Path(path).name)
        return FileResult([], error=FileError(path, "skipped: still binary"))

    monkeypatch.setattr(per_file, "check_bytes", record)
    assert main(["check", "--jobs", "1", str(archive)]) == 2
    assert capsys.readouterr().out == first.out
    assert checked == ["005.txt", "007.txt"]  # only the files that could not be checked


def test_jobs_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--jobs", "0", "."])
    assert exit_info.value.code == 2
    assert "expected a whole number of at least 1" in capsys.readouterr().err


def test_rules_pickle_for_spawned_workers(builtin_rules, fixtures):
    doc = from_bytes((fixtures / "seed.txt").read_bytes(), "seed.txt")
    assert lint(doc, pickle.loads(pickle.dumps(builtin_rules))) == lint(doc, builtin_rules)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers inherit the patched function")
def test_a_worker_that_dies_ends_the_run_with_exit_3(archive, capsys, monkeypatch):
    monkeypatch.setattr(per_file, "check_file", lambda path, plan, max_bytes: os._exit(9))
    assert main(["check", "--no-cache", "--jobs", "2", str(archive)]) == 3
    assert "a worker process stopped abruptly" in capsys.readouterr().err


@pytest.mark.parametrize("size", [None, lambda item: workers.CHUNK_BYTES], ids=["by count", "by size"])
def test_items_are_taken_as_the_workers_need_them(monkeypatch, size):
    """What the workers are handed may be files' bytes (a run with the cache reads each file
    once, in the parent): an archive's worth must never wait in the parent's memory."""
    monkeypatch.setattr(workers, "CHUNKS_AHEAD_PER_WORKER", 2)
    taken = []

    def items():
        for n in range(-100, 0):
            taken.append(n)
            yield n

    results = workers.map_in_order(abs, items(), 2, size)
    assert next(results) == 100
    files_per_chunk = 3 if size is None else 1
    # The first 6 decide on workers; 2 workers x 2 chunks ahead, and one more for the one given back.
    assert len(taken) <= 6 + (2 * 2 + 1) * files_per_chunk
    assert [100, *results] == list(range(100, 0, -1))


def test_workers_leave_ctrl_c_to_the_parent():
    before = signal.getsignal(signal.SIGINT)
    try:
        workers._start_worker(str)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_jobs_do_not_change_what_fixing_does(archive, tmp_path, capsys, mode):
    results = []
    for jobs in ("1", "2"):
        copy = tmp_path / f"copy-{jobs}"
        shutil.copytree(archive, copy)
        code = main(["check", mode, "--jobs", jobs, str(copy)])
        captured = capsys.readouterr()
        contents = {p.name: p.read_bytes() for p in sorted(copy.iterdir())}
        results.append(
            (code, captured.out.replace(str(copy), "ARCHIVE"), captured.err.replace(str(copy), "ARCHIVE"), contents)
        )
    assert results[0] == results[1]
    code, out, _, contents = results[0]
    if mode == "--fix":
        assert contents["000.txt"] != (archive / "000.txt").read_bytes()  # a copy of the seed, fixed
    else:
        assert out.startswith("--- ") and contents["000.txt"] == (archive / "000.txt").read_bytes()
