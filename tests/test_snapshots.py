"""End to end with every built-in rule: what `newslint check` reports on real articles and what
`--fix --unsafe-fixes` leaves of them, against reviewed snapshot files in tests/snapshots/.

These are the only tests that run every built-in rule over whole articles and compare the whole
output, so a rule added or changed shows here, on purpose, as a diff to review. After changing a
rule, regenerate them with

    python -m pytest tests/test_snapshots.py --update-snapshots

and read `git diff tests/snapshots/` as part of the change. Other tests select the rules they
are about."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newslint.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOTS = Path(__file__).parent / "snapshots"
ARTICLES = sorted(
    [
        *(FIXTURES / "articles").glob("*.txt"),
        FIXTURES / "seed.txt",
        FIXTURES / "clean.md",
        FIXTURES / "live-commentary.txt",
    ]
)
REGENERATE = "python -m pytest tests/test_snapshots.py --update-snapshots"


def compare(snapshot: Path, actual: str, update: bool) -> None:
    if update:
        snapshot.write_bytes(actual.encode("utf-8"))
        return
    assert snapshot.is_file(), f"no snapshot {snapshot.name}: run `{REGENERATE}` and review it"
    expected = snapshot.read_bytes().decode("utf-8")
    assert actual == expected, (
        f"{snapshot.name} differs; if the change is intended, run `{REGENERATE}` and review the diff"
    )


@pytest.fixture
def article_copy(request, tmp_path, monkeypatch) -> Path:
    """The article copied into an empty folder, run from there: paths in the report are relative
    and no config of the surroundings applies."""
    source: Path = request.param
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    monkeypatch.chdir(tmp_path)
    return copy


@pytest.mark.parametrize("article_copy", ARTICLES, ids=[a.name for a in ARTICLES], indirect=True)
def test_report(article_copy, capsys, update_snapshots):
    code = main(["check", "--no-cache", article_copy.name])
    out = capsys.readouterr().out
    compare(SNAPSHOTS / f"{article_copy.name}.report", f"exit code {code}\n{out}", update_snapshots)


@pytest.mark.parametrize("article_copy", ARTICLES, ids=[a.name for a in ARTICLES], indirect=True)
def test_fixed_text(article_copy, capsys, update_snapshots):
    main(["check", "--no-cache", "--fix", "--unsafe-fixes", article_copy.name])
    capsys.readouterr()
    compare(SNAPSHOTS / f"{article_copy.name}.fixed", article_copy.read_bytes().decode("utf-8"), update_snapshots)
