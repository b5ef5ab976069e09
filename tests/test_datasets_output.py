"""How each output format names a dataset's record (`path#N`, a `record` object, the record's
line), with the record's id escaped as any text from a file is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import log_problems

from newslint.cli import main

VOTE = "Election results\n\nVoters went to the polls on Sunday.\n\nAdvertisement\n\nThe count continues.\n"
HOSTILE_ID = "x\n::error file=evil::owned ##[warning]\x1b[31m"


@pytest.fixture
def dataset(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    records = [{"id": "clean", "text": "Just a story.\n"}, {"id": HOSTILE_ID, "text": VOTE, "site": "ex.org"}]
    (tmp_path / "ds.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return tmp_path


def run(capsys, *args: str) -> str:
    main(["check", "--no-cache", *args, "ds.jsonl"])
    return capsys.readouterr().out


def test_text(dataset, capsys):
    out = run(capsys, "--format", "text")
    assert (
        out.splitlines()[0]
        == 'ds.jsonl#2:5:1: error advertisement Advertisement marker left in the text: "Advertisement"'
    )


def test_json_and_json_lines(dataset, capsys):
    payload = json.loads(run(capsys, "--format", "json", "--site-field", "site"))
    (v,) = payload["violations"]
    assert (v["path"], v["line"], v["column"]) == ("ds.jsonl", 5, 1)
    assert v["record"] == {"index": 2, "id": HOSTILE_ID, "site": "ex.org"}
    line = run(capsys, "--format", "json-lines")
    assert json.loads(line)["record"] == {"index": 2, "id": HOSTILE_ID}
    assert log_problems(line) == []


def test_github_points_at_the_records_line(dataset, capsys):
    out = run(capsys, "--format", "github")
    (line,) = out.splitlines()
    assert line.startswith("::error file=ds.jsonl,line=2,title=newslint (advertisement)::")
    assert "(record 2, id x%0A::error file=evil::owned" in line and "at 5:1 of its text" in line
    assert log_problems(out, own_commands=True) == []


def test_sarif(dataset, capsys):
    log = json.loads(run(capsys, "--format", "sarif"))
    (result,) = log["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "ds.jsonl" and location["region"] == {"startLine": 2}
    assert result["properties"]["record"] == {"index": 2, "id": HOSTILE_ID}
    assert result["properties"]["textRegion"]["startLine"] == 5
    assert "(record 2, id x\n::error" in result["message"]["text"]


def test_sarif_validates(dataset, capsys, fixtures):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((fixtures / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(json.loads(run(capsys, "--format", "sarif")), schema)


def test_junit_and_markdown(dataset, capsys):
    assert 'name="advertisement at #2:5:1"' in run(capsys, "--format", "junit")
    assert "- ds\\.jsonl#2:5 **error**" in run(capsys, "--format", "markdown")


def test_stderr_escapes_a_malformed_records_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    name = "a\x1b]0;x\x07.jsonl"
    (tmp_path / name).write_text("{not json\n" + json.dumps({"text": "Story."}) + "\n")
    assert main(["check", "--no-cache", name]) == 2
    err = capsys.readouterr().err
    assert "a\\x1b]0;x\\x07.jsonl#1: malformed record" in err and log_problems(err) == []
