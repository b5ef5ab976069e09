"""`newslint learn --scheduler`: on a Dask cluster, the rule files, the report and the summary are
byte for byte those of a run on one machine, for folders of articles and for datasets.

One cluster of two worker processes serves the module (starting one costs seconds); batches of
a few articles make every run merge many batches' results. One test starts `--scheduler local`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from newslint import cluster
from newslint.cli import main
from newslint.learn import NO_BOUND, Bounds
from newslint.learn_sources import Read
from tests.test_learn import make_site
from tests.test_learn_datasets import _records, _write_jsonl

distributed = pytest.importorskip("distributed")


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(cluster, "BATCH_FILES", 7)
    monkeypatch.setattr(cluster, "BATCHES_AHEAD_PER_THREAD", 1)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Three sites of different sizes (their thresholds differ; one's sample of articles fills
    up), and files that cannot be read: not UTF-8, binary, a link loop; reported in the order a
    run on one machine meets them."""
    folder = tmp_path / "archive"
    make_site(folder / "valley-courier", 150)
    make_site(folder / "hill-gazette", 45, seed=3, start=20)
    make_site(folder / "river-post", 12, seed=5, start=40)
    (folder / "hill-gazette" / "latin1.txt").write_bytes("Caf\xe9 au lait\n".encode("latin-1"))
    (folder / "river-post" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "valley-courier" / "loop-a.txt").symlink_to(folder / "valley-courier" / "loop-b.txt")
    (folder / "valley-courier" / "loop-b.txt").symlink_to(folder / "valley-courier" / "loop-a.txt")
    return folder


def learned(capsys, tmp_path: Path, name: str, *args: str) -> tuple[int, str, dict[str, bytes]]:
    """Exit code, stderr (the output folder's path made the same for each run) and the files
    written: the rule files, and the report."""
    out, report = tmp_path / name, tmp_path / f"{name}.jsonl"
    code = main(["learn", *args, "--out", str(out), "--report", str(report)])
    err = capsys.readouterr().err.replace(str(out), "OUT")
    written = {path.name: path.read_bytes() for path in sorted(out.iterdir())} if out.exists() else {}
    if report.exists():
        written["report"] = report.read_bytes()
    return code, err, written


def test_an_archive_learned_on_a_cluster_gives_the_same_files(archive, scheduler, capsys, tmp_path, sent_to_cluster):
    sent: list[Read | tuple[Read, Bounds]] = sent_to_cluster  # pass 2's with their site's bounds
    plain = learned(capsys, tmp_path, "plain", str(archive))
    assert sent == []
    on_cluster = learned(capsys, tmp_path, "cluster", str(archive), "--scheduler", scheduler)
    assert on_cluster == plain
    code, err, written = plain
    assert code == 2 and sorted(written) == [f"learned-{site}.yaml" for site in ("hill-gazette", "river-post")] + [
        "learned-valley-courier.yaml",
        "report",
    ]
    assert err.count("latin1.txt: ") == err.count("image.txt: ") == err.count("loop-a.txt: ") == 1
    assert "valley-courier: 150 articles; lines in at least 5 of them: 14 boilerplate" in err
    # What went to the cluster, each pass: every article's bytes, read here, and the files that
    # could not be read, in their place (so they are reported in order).
    reads = [item if isinstance(item, Read) else item[0] for item in sent]
    assert len(reads) == 2 * (150 + 46 + 13 + 2)
    assert all(isinstance(item.data, bytes) and item.data for item in reads if item.problem is None)
    assert sorted(Path(item.name).name for item in reads if item.problem) == 2 * ["loop-a.txt"] + 2 * ["loop-b.txt"]
    # Pass 2's articles went with bounds that had fallen: workers worked out fewer signatures.
    bounds = [item[1] for item in sent if not isinstance(item, Read) and item[0].site == "valley-courier"]
    assert bounds[0] == Bounds(NO_BOUND, {}) and bounds[-1].site < NO_BOUND and len(bounds[-1].lines) == 14


def test_a_dataset_learned_on_a_cluster_gives_the_same_files(scheduler, capsys, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _write_jsonl(data / "news.jsonl", _records(40), malformed=True)
    (data / "package.json").write_text('{"name": "not a dataset"}', encoding="utf-8")
    plain = learned(capsys, tmp_path, "plain", str(data))
    assert learned(capsys, tmp_path, "cluster", str(data), "--scheduler", scheduler) == plain
    code, err, written = plain
    assert code == 2 and "news.jsonl#4: malformed record" in err
    assert [name.split("-example")[0] for name in written] == [
        "learned-hill-gazette",
        "learned-valley-courier",
        "report",
    ]


def test_a_local_cluster(archive, capsys, tmp_path):
    plain = learned(capsys, tmp_path, "plain", str(archive))
    assert learned(capsys, tmp_path, "cluster", str(archive), "--scheduler", "local", "--jobs", "2") == plain


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler at tcp://127.0.0.1:1: Timed out"),
        ("no-port", "cannot reach the Dask scheduler at no-port: missing port number"),
    ],
)
def test_an_unreachable_scheduler_ends_the_run_without_a_hang(archive, capsys, tmp_path, monkeypatch, address, message):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    start = time.monotonic()
    code, err, written = learned(capsys, tmp_path, "out", str(archive), "--scheduler", address)
    assert time.monotonic() - start < 30
    assert (code, written) == (2, {})
    assert err.startswith(f"newslint: error: {message}") and err.count("\n") == 1


def test_without_dask_the_message_says_what_to_install(archive, capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    code, err, written = learned(capsys, tmp_path, "out", str(archive), "--scheduler", "local")
    assert (code, written) == (2, {})
    assert err == "newslint: error: --scheduler needs Dask (distributed is missing): install newslint[dask]\n"


def test_jobs_without_a_scheduler_is_refused(archive, capsys, tmp_path):
    code, err, _ = learned(capsys, tmp_path, "out", str(archive), "--jobs", "2")
    assert (code, err) == (
        2,
        "newslint: error: --jobs is the worker count of a local cluster: give it with --scheduler local\n",
    )
