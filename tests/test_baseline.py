from __future__ import annotations

import json

import pytest
from helpers import check_json, rules_and_lines

from newslint.cli import main

CAPTION = "File photo of UK police."
FOOTER = "Track Latest News Live on NDTV.com and get news updates from India and around the world"


@pytest.fixture
def archive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "a.txt").write_text(f"{CAPTION}\nThe story.\n{FOOTER}\n")
    (tmp_path / "old" / "b.txt").write_text("Another story.\nAdvertisement\n")
    return tmp_path


def test_update_then_check_reports_nothing_old(archive, capsys):
    assert main(["check", "--baseline", "baseline.json", "--update-baseline", "old"]) == 0
    assert "recorded 3 problems in baseline.json" in capsys.readouterr().err
    data = json.loads((archive / "baseline.json").read_text())
    assert data["version"] == 1
    assert [(e["path"], e["rule"], e["count"]) for e in data["entries"]] == [
        ("old/a.txt", "photo-caption", 1),
        ("old/a.txt", "site-footer", 1),
        ("old/b.txt", "advertisement", 1),
    ]
    assert sorted(p.name for p in archive.iterdir()) == ["baseline.json", "old"]  # no temporary file left
    code, payload = check_json(capsys, "--baseline", "baseline.json", "old")
    assert payload["violations"] == [] and payload["summary"]["baselined"] == 3 and code == 0
    main(["check", "--baseline", "baseline.json", "old"])
    assert capsys.readouterr().out == "No problems found in 2 files (3 more in the baseline).\n"


def test_entries_survive_unrelated_edits_but_new_copies_are_reported(archive, capsys):
    main(["check", "--baseline", "baseline.json", "--update-baseline", "old"])
    capsys.readouterr()
    # Lines added above move every problem; the same caption printed again is a new problem.
    (archive / "old" / "a.txt").write_text(f"A new first line.\n\n{CAPTION}\nThe story.\n{FOOTER}\n{CAPTION}\n")
    code, payload = check_json(capsys, "--baseline", "baseline.json", "old")
    assert rules_and_lines(payload) == [("photo-caption", 6)] and code == 1
    assert payload["summary"]["baselined"] == 3


def test_entries_whose_problem_was_fixed_are_pointed_out(archive, capsys):
    main(["check", "--baseline", "baseline.json", "--update-baseline", "old"])
    capsys.readouterr()
    (archive / "old" / "a.txt").write_text(f"The story.\n{FOOTER}\n")  # the caption is fixed
    assert main(["check", "--baseline", "baseline.json", "old/a.txt"]) == 0
    err = capsys.readouterr().err
    assert "1 baseline entry matches no problem any more" in err
    # Entries of files this run did not check (old/b.txt) are not stale.
    assert main(["check", "--baseline", "baseline.json", "old/b.txt"]) == 0
    assert capsys.readouterr().err == ""


def test_same_text_twice_is_counted(archive, capsys):
    (archive / "old" / "b.txt").write_text("Advertisement\nStory.\nAdvertisement\n")
    main(["check", "--baseline", "baseline.json", "--update-baseline", "old/b.txt"])
    entries = json.loads((archive / "baseline.json").read_text())["entries"]
    assert [(e["rule"], e["count"]) for e in entries] == [("advertisement", 2)]
    (archive / "old" / "b.txt").write_text("Advertisement\nStory.\nAdvertisement\nAdvertisement\n")
    code, payload = check_json(capsys, "--baseline", "baseline.json", "old/b.txt")
    assert rules_and_lines(payload) == [("advertisement", 4)]


def test_updating_from_part_of_the_archive_keeps_the_rest(archive, capsys):
    main(["check", "--baseline", "baseline.json", "--update-baseline", "old"])
    (archive / "old" / "b.txt").write_text("Another story, cleaned.\n")
    main(["check", "--baseline", "baseline.json", "--update-baseline", "old/b.txt"])
    entries = json.loads((archive / "baseline.json").read_text())["entries"]
    assert {e["path"] for e in entries} == {"old/a.txt"}  # b.txt's entry is gone, a.txt's kept


def test_baseline_paths_work_from_another_folder(archive, capsys, monkeypatch):
    main(["check", "--baseline", "baseline.json", "--update-baseline", "old"])
    monkeypatch.chdir(archive / "old")
    code, payload = check_json(capsys, "--baseline", "../baseline.json", ".")
    assert payload["violations"] == [] and code == 0


def test_baseline_from_config(archive, capsys):
    (archive / ".newslint.yaml").write_text("baseline: known-problems.json\n")
    assert main(["check", "--update-baseline", "old"]) == 0
    assert (archive / "known-problems.json").exists()
    code, payload = check_json(capsys, "old")
    assert payload["summary"]["baselined"] == 3 and code == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "baseline file not found (create it with --update-baseline)"),
        ("{not json", "not a newslint baseline: invalid JSON"),
        ('{"version": 2, "entries": []}', "unsupported version 2"),
        (
            '{"version": 1, "entries": [{"path": "a"}]}',
            'entry 1 must have exactly "path", "rule", "fingerprint" and "count"',
        ),
        ('{"version": 1, "entries": [{"path": "a", "rule": "r", "fingerprint": "f", "count": 0}]}', '"count" must be'),
        ("[]", "expected an object"),
    ],
)
def test_bad_baseline_is_exit_2_with_a_clear_message(archive, capsys, content, message):
    if content is not None:
        (archive / "baseline.json").write_text(content)
    assert main(["check", "--baseline", "baseline.json", "old"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("newslint: error: baseline.json: ") and message in captured.err, captured.err
    assert captured.out == ""


def test_update_refuses_to_overwrite_a_broken_baseline(archive, capsys):
    (archive / "baseline.json").write_text("{not json")
    assert main(["check", "--baseline", "baseline.json", "--update-baseline", "old"]) == 2
    assert (archive / "baseline.json").read_text() == "{not json"


def test_update_baseline_needs_a_file(archive, capsys):
    assert main(["check", "--update-baseline", "old"]) == 2
    assert "--update-baseline needs a baseline file" in capsys.readouterr().err
