"""--scheduler: checking on a Dask cluster gives byte for byte the report of a run on one machine.

One cluster of two worker processes serves the module (starting one costs seconds); the tests
hand newslint its address, as a user would a real cluster's. One test starts `--scheduler local`."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from helpers import mixed_archive

from newslint import cluster, per_file
from newslint.cli import main
from newslint.per_file import FileError, FileResult

distributed = pytest.importorskip("distributed")


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    """Batches of 3 files, one ahead per worker: many batches for a dozen files, every path of
    the in-order merging."""
    monkeypatch.setattr(cluster, "BATCH_FILES", 3)
    monkeypatch.setattr(cluster, "BATCHES_AHEAD_PER_THREAD", 1)


@pytest.fixture
def archive(tmp_path, fixtures):
    """A dozen articles, some with junk, and files that cannot be checked: binary, not UTF-8,
    a link loop."""
    folder = mixed_archive(tmp_path / "archive", fixtures)
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    return folder


def run(capsys, *args):
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_report_is_the_one_a_run_on_one_machine_gives(archive, scheduler, capsys, fmt):
    plain = run(capsys, "--no-cache", "--jobs", "1", "--format", fmt, str(archive))
    on_cluster = run(capsys, "--no-cache", "--scheduler", scheduler, "--format", fmt, str(archive))
    assert on_cluster == plain
    code, out, err = plain
    assert code == 2 and "005.txt: skipped: binary file" in err and "loop-a.txt: cannot read" in err
    assert "007.txt: skipped:" in err and "duplicate-paragraph" in out


def test_the_cache_answers_before_the_cluster_is_asked(archive, scheduler, capsys, tmp_path, sent_to_cluster):
    cache = ["--cache-dir", str(tmp_path / "cache")]
    first = run(capsys, *cache, "--jobs", "1", str(archive))
    (archive / "003.txt").write_bytes((archive / "000.txt").read_bytes() + b"\nOne more line.\n")
    second = run(capsys, *cache, "--scheduler", scheduler, str(archive))
    # Only the file changed and those that could not be checked (never kept) go to the cluster.
    assert [item[0].rpartition("/")[2] for item in sent_to_cluster] == ["003.txt", "005.txt", "007.txt"]
    assert second == first


def test_results_found_on_the_cluster_are_cached(archive, scheduler, capsys, tmp_path, monkeypatch):
    cache = ["--cache-dir", str(tmp_path / "cache")]
    first = run(capsys, *cache, "--scheduler", scheduler, str(archive))
    checked = []

    def record(item, plan):
        checked.append(item[0].rpartition("/")[2])
        return FileResult([], error=FileError(item[0], "skipped: still binary"))

    monkeypatch.setattr(per_file, "check_bytes", record)
    assert run(capsys, *cache, "--jobs", "1", str(archive))[:2] == first[:2]
    assert checked == ["005.txt", "007.txt"]


def test_a_local_cluster(archive, capsys):
    plain = run(capsys, "--no-cache", "--jobs", "1", str(archive))
    assert run(capsys, "--no-cache", "--scheduler", "local", "--jobs", "2", str(archive)) == plain


def test_files_are_taken_as_the_cluster_needs_them(scheduler):
    """What is handed over is files' bytes: an archive's worth must never wait in memory."""
    taken = []

    def items():
        for n in range(-100, 0):
            taken.append(n)
            yield n

    with cluster.jobs_for(2, scheduler) as run:
        results = run(abs, items())
        assert next(results) == 100
        # 2 workers x 1 batch ahead, and one more for the one given back, of 3 files each.
        assert len(taken) <= (2 * 1 + 1) * 3
        assert [100, *results] == list(range(100, 0, -1))


def test_a_run_the_cache_answers_whole_starts_no_cluster(archive, capsys, tmp_path, monkeypatch):
    (archive / "005.txt").unlink()
    (archive / "007.txt").unlink()
    (archive / "loop-a.txt").unlink()
    (archive / "loop-b.txt").unlink()
    cache = ["--cache-dir", str(tmp_path / "cache")]
    first = run(capsys, *cache, "--jobs", "1", str(archive))
    # No cluster is there to answer: a run that needed one would fail.
    assert run(capsys, *cache, "--scheduler", "tcp://127.0.0.1:1", str(archive)) == first


def test_datasets_records_are_checked_on_the_cluster(scheduler, tmp_path, capsys, fixtures, sent_to_cluster):
    """A dataset's records are read here and sent in batches, as files are; small and large
    datasets alike, so the workers need not see them."""
    import json

    seed = (fixtures / "seed.txt").read_text(encoding="utf-8")
    clean = (fixtures / "clean.md").read_text(encoding="utf-8")
    records = [{"id": n, "text": seed if n % 4 == 0 else clean} for n in range(20)]
    lines = [json.dumps(record) for record in records]
    lines[5] = '{"id": 5, "text": "cut'  # malformed: reported, and the run goes on
    (tmp_path / "data.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps(records[0]), encoding="utf-8")
    (tmp_path / "article.txt").write_text(seed, encoding="utf-8")
    for fmt in ("text", "json"):
        plain = run(capsys, "--no-cache", "--jobs", "1", "--format", fmt, str(tmp_path))
        assert run(capsys, "--no-cache", "--scheduler", scheduler, "--format", fmt, str(tmp_path)) == plain
        code, out, err = plain
        assert code == 2 and "data.jsonl#6" in err and "one.json" in out
    # Each run: the article file, the small dataset's record and the large one's 20 (the
    # malformed one passes through in its place, so results stay in order).
    assert len(sent_to_cluster) == 2 * (1 + 1 + 20)


@pytest.mark.parametrize("flag", ["--fix", "--diff"])
def test_fixing_on_a_cluster_is_refused(archive, capsys, flag):
    code, out, err = run(capsys, flag, "--scheduler", "tcp://127.0.0.1:1", str(archive))
    assert code == 2 and out == ""
    assert err == f"newslint: error: {flag} runs on the machine that holds the files: give it without --scheduler\n"


def test_stdin_on_a_cluster_is_refused(capsys):
    code, _, err = run(capsys, "--scheduler", "local", "-")
    assert (code, err) == (2, "newslint: error: --scheduler checks files on a cluster, not stdin\n")


def test_without_dask_the_message_says_what_to_install(archive, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    code, out, err = run(capsys, "--no-cache", "--scheduler", "local", str(archive))
    assert (code, out) == (2, "")
    assert err == "newslint: error: --scheduler needs Dask (distributed is missing): install newslint[dask]\n"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler at tcp://127.0.0.1:1: Timed out"),
        ("no-port", "cannot reach the Dask scheduler at no-port: missing port number"),
    ],
)
def test_an_unreachable_scheduler_ends_the_run_without_a_hang(archive, capsys, monkeypatch, address, message):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    start = time.monotonic()
    code, out, err = run(capsys, "--no-cache", "--scheduler", address, str(archive))
    assert time.monotonic() - start < 30
    assert (code, out) == (2, "")
    assert err.startswith(f"newslint: error: {message}") and err.count("\n") == 1


def test_a_scheduler_without_workers_ends_the_run(archive, capsys, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    with distributed.LocalCluster(n_workers=0, processes=True, **cluster.LOCAL_OPTIONS) as empty:
        code, out, err = run(capsys, "--no-cache", "--scheduler", empty.scheduler_address, str(archive))
    assert (code, out) == (2, "")
    assert err == f"newslint: error: the Dask scheduler at {empty.scheduler_address} has no worker (none for 1 s)\n"


def test_a_worker_of_another_version_refuses_the_work():
    with pytest.raises(cluster.VersionMismatch, match="a Dask worker runs newslint .*, this is 0.0.1"):
        cluster._run_batch(abs, None, cluster.Batch([-1]), "0.0.1")


def test_a_worker_that_dies_ends_the_run_with_a_message():
    import dask

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, **cluster.LOCAL_OPTIONS) as own,
        cluster.jobs_for(1, own.scheduler_address) as run,
    ):
        with pytest.raises(cluster.ClusterError, match="the Dask cluster failed during the run: KilledWorker"):
            list(run(os._exit, [9]))


def test_dasks_own_log_lines_stay_off_stderr_during_a_run(scheduler):
    """Dask logs a slow garbage collection or a closed stream at warning level, on stderr: a
    run's stderr must be a plain run's. (In a process of its own: Dask's handler writes to the
    stderr there was when it was imported, which pytest's capture would hide.)"""
    probe = """
import logging, sys
from newslint import cluster
with cluster.jobs_for(2, sys.argv[1]) as run:
    assert list(run(abs, [-1])) == [1]
    for name in ("distributed.gc", "distributed.client", "distributed.worker"):
        logging.getLogger(name).warning("full garbage collections took 12% CPU time recently")
logging.getLogger("distributed.gc").warning("after the run, as before it")
"""
    done = subprocess.run([sys.executable, "-c", probe, scheduler], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [line for line in done.stderr.splitlines() if "after the run" in line]
    assert "after the run" in done.stderr
