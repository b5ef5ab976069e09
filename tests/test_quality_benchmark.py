"""benchmarks/quality.py: scores against a labels file; exit 0 whatever the scores, 2 on bad input."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "quality.py"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("quality", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "a.txt").write_text(
        "The council met on Monday.\n"
        "Advertisement\n"
        "It voted to close the library.\n"
        "Follow the money, she said.\n"
        "(Image: Getty)\n",
        encoding="utf-8",
    )
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "b.txt").write_text("A clean story.\n\nIt has two paragraphs.\n", encoding="utf-8")
    return tmp_path


def write_labels(corpus: Path, *records) -> Path:
    path = corpus / "labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_scores_and_exit_0_even_when_low(quality, corpus, capsys):
    # Line 4 is labelled junk (wrongly) to give a miss; the score is low and the exit code still 0.
    record = {"file": "a.txt", "footer_lines": [2, 4], "caption_lines": [5], "duplicate_paragraph_lines": []}
    labels = write_labels(corpus, record)
    code = quality.main(
        ["--corpus", str(corpus), "--labels", str(labels), "--clean", str(corpus / "clean"), "--show-errors"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "footer         1.000   0.500" in out
    assert "caption        1.000   1.000" in out
    assert "overall        1.000   0.667" in out
    assert "Clean folder clean: 0 flagged of 2 lines in 1 files = 0.00 per 1,000" in out
    assert "FN footer    a.txt:4 [-] Follow the money, she said." in out


def test_uncertain_lines_count_neither_way(quality, corpus, capsys):
    record = {"file": "a.txt", "footer_lines": [], "caption_lines": [5], "uncertain_lines": [2]}
    labels = write_labels(corpus, record)
    assert quality.main(["--corpus", str(corpus), "--labels", str(labels)]) == 0
    assert "overall        1.000   1.000        1         1        1" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json\n", "labels.jsonl:1: not JSON"),
        ('{"footer_lines": [1]}\n', "needs 'file'"),
        ('{"file": "a.txt", "footer_lines": ["2"]}\n', "'footer_lines' must be a list of line numbers"),
        ('{"file": "missing.txt"}\n', "missing.txt"),
    ],
)
def test_bad_labels_exit_2(quality, corpus, capsys, content, message):
    labels = corpus / "labels.jsonl"
    labels.write_text(content, encoding="utf-8")
    assert quality.main(["--corpus", str(corpus), "--labels", str(labels)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("quality: ") and message in err


def test_list_flagged_reads_unlabelled_files(quality, corpus, capsys):
    (corpus / "unlabelled.txt").write_text("A story.\nADVERTISEMENT\n", encoding="utf-8")
    labels = write_labels(corpus, {"file": "a.txt"})
    assert quality.main(["--corpus", str(corpus), "--labels", str(labels), "--list-flagged", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert f"FLAG junk      {corpus / 'unlabelled.txt'}:2 [advertisement] ADVERTISEMENT" in out
    assert "a.txt:" not in out  # labelled files are scored, not listed


def test_missing_clean_folder_exits_2(quality, corpus, capsys):
    labels = write_labels(corpus, {"file": "a.txt"})
    assert quality.main(["--corpus", str(corpus), "--labels", str(labels), "--clean", str(corpus / "nope")]) == 2
    assert "clean folder" in capsys.readouterr().err


def write_l3s(folder: Path) -> Path:
    """A tiny set in L3S-GN1's layout (invented text): a menu above a story, per extractor."""
    story = (
        "The council voted on Tuesday to close the library after a long and heated debate about what "
        "the town could still afford to pay for, and what it would have to give up instead."
    )
    (folder / "articles" / "trafilatura").mkdir(parents=True)
    (folder / "articles" / "trafilatura" / "a.txt").write_text(
        f"Home\nNews\nSport\nWeather\nCouncil to close library\n{story}\n", encoding="utf-8"
    )
    record = {
        "file": "articles/trafilatura/a.txt",
        "junk_lines": [1, 2, 3, 4],
        "content_lines": [5, 6],
        "uncertain_lines": [],
        "junk_kinds": {"boilerplate": [1, 2, 3], "comments": [4]},
        "extractor": "trafilatura",
        "site": "example.com",
    }
    (folder / "labels.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return folder


def test_l3s_gn1_is_scored_as_measure_py_scores_it(quality, corpus, capsys, tmp_path):
    labels = write_labels(corpus, {"file": "a.txt"})
    l3s = write_l3s(tmp_path / "l3s")
    assert quality.main(["--corpus", str(corpus), "--labels", str(labels), "--l3s", str(l3s), "--show-errors"]) == 0
    out = capsys.readouterr().out
    assert f"L3S-GN1 ({l3s}): 1 files" in out
    assert "trafilatura                              P=1.000 R=1.000 (TP 4, FP 0, FN 0)" in out
    assert "trafilatura, without user comments       P=1.000 R=1.000 (TP 3, FP 0, FN 0)" in out
    assert "  boilerplate        3 /     3 = 1.000" in out
    # example.com's half of the sites (by a hash of the domain), scored apart.
    assert "development sites                        P=1.000 R=1.000 (TP 4, FP 0, FN 0)" in out
    assert "rules behind false alarms: {}" in out


def test_l3s_gn1_found_by_the_environment_or_skipped_with_a_note(quality, corpus, capsys, tmp_path, monkeypatch):
    labels = write_labels(corpus, {"file": "a.txt"})
    monkeypatch.delenv("NEWSLINT_L3S", raising=False)
    assert quality.main(["--corpus", str(corpus), "--labels", str(labels)]) == 0
    assert "L3S-GN1: not built" in capsys.readouterr().out
    monkeypatch.setenv("NEWSLINT_L3S", str(write_l3s(tmp_path / "l3s")))
    assert quality.main(["--corpus", str(corpus), "--labels", str(labels)]) == 0
    assert "L3S-GN1 (" in capsys.readouterr().out
    assert quality.main(["--corpus", str(corpus), "--labels", str(labels), "--l3s", str(tmp_path / "none")]) == 2
    assert "has no labels.jsonl" in capsys.readouterr().err
