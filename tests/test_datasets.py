"""Datasets as input (newslint/datasets/): JSON Lines, JSON, CSV and Parquet files read as records,
each record's text checked as an article, and --fix rewriting only the text field of the records
it changes. Outputs naming records: tests/test_datasets_output.py."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from helpers import check_json

from newslint.cli import main

STORM = (
    "Storm hits the coast\n\nThe storm reached the coast on Monday, officials said.\n\n"
    "Share this article\n\nRescue teams worked through the night.\n"
)
VOTE = "Election results\n\nVoters went to the polls on Sunday.\n\nAdvertisement\n\nThe count continues.\n"
CLEAN = "A clean story\n\nNothing here but the story itself, told plainly.\n"
RECORDS = [
    {"id": "a1", "title": "Storm", "text": STORM, "n": 1},
    {"url": "https://example.com/vote", "text": VOTE, "tags": ["politics", "ünïcode"]},
    {"id": 3, "text": CLEAN, "extra": {"nested": [1, 2.5, None, True]}},
]


def jsonl(records: list[dict], ending: str = "\n") -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + ending for r in records).encode("utf-8")


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def text_report(capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(["check", "--format", "text", "--quiet", *args])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


def test_jsonl_records_are_checked_as_articles_and_named(here, capsys):
    (here / "ds.jsonl").write_bytes(jsonl(RECORDS))
    code, lines, _ = text_report(capsys, "ds.jsonl")
    assert code == 1
    assert [line.split(": ")[0] + ": " + line.split(" ")[2] for line in lines] == [
        "ds.jsonl#1:5:1: share-bar",
        "ds.jsonl#2:5:1: advertisement",
    ]


def test_the_data_loss_case_cannot_happen(here, capsys):
    """Issue 15: read as text, two records of the same site were "Line 2 repeats line 1", and
    --fix --unsafe-fixes deleted 2 of 3 records. As records, each is an article of its own."""
    body = "The council met on Tuesday to discuss the new budget for the town's schools and roads."
    records = [{"id": k, "text": f"{body}\n\nShare this article\n"} for k in range(3)]
    data = jsonl(records)
    (here / "ds.jsonl").write_bytes(data)
    code, lines, _ = text_report(capsys, "ds.jsonl")
    assert all("duplicate" not in line for line in lines)
    assert [line.split(":")[0] for line in lines] == ["ds.jsonl#1", "ds.jsonl#2", "ds.jsonl#3"]
    assert main(["check", "--fix", "--unsafe-fixes", "ds.jsonl"]) == 0
    fixed = [json.loads(line) for line in (here / "ds.jsonl").read_text().splitlines()]
    assert fixed == [{"id": k, "text": f"{body}\n"} for k in range(3)]


def test_fix_rewrites_only_the_text_field_of_changed_records(here, capsys):
    data = jsonl(RECORDS, ending="\r\n")
    (here / "ds.jsonl").write_bytes(data)
    assert main(["check", "--fix", "ds.jsonl"]) == 0
    before, after = data.split(b"\r\n"), (here / "ds.jsonl").read_bytes().split(b"\r\n")
    assert len(after) == len(before)
    assert after[2] == before[2]  # the clean record: every byte
    for k in (0, 1):
        old, new = json.loads(before[k]), json.loads(after[k])
        assert list(new) == list(old)  # key order
        assert {key: v for key, v in new.items() if key != "text"} == {
            key: v for key, v in old.items() if key != "text"
        }
        assert "Share this article" not in new["text"] and "Advertisement" not in new["text"]
        # Spliced: the bytes before and after the text field's value are the original's.
        prefix = before[k][: before[k].index(b'"text": ') + 8]
        assert after[k].startswith(prefix)
    assert b"\xc3\xbc" in after[1]  # non-ASCII kept as UTF-8, not \u escapes
    capsys.readouterr()
    assert main(["check", "ds.jsonl"]) == 0  # idempotent: nothing left


def test_a_text_field_given_twice_is_spliced_where_json_reads_it(here):
    line = '{"id": 1, "text": "old",  "x": 1, "text": "Story.\\n\\nAdvertisement\\n"}\n'
    (here / "ds.jsonl").write_text(line)
    assert main(["check", "--fix", "ds.jsonl"]) == 0
    assert (here / "ds.jsonl").read_text() == '{"id": 1, "text": "old",  "x": 1, "text": "Story.\\n"}\n'


def test_a_record_the_splice_cannot_prove_is_written_whole(monkeypatch):
    # Where the splice cannot be shown to give the original record with only the text changed,
    # the record is re-dumped: its keys in their order, on its one line, its ending kept.
    from newslint.datasets import jsonl as jsonl_module

    def no_spans(text, pos):
        raise ValueError("cannot tell")

    monkeypatch.setattr(jsonl_module, "_member_spans", no_spans)
    raw = b'{"id": 1,  "text": "old", "w": "\\u00e9"}\r\n'
    assert jsonl_module.rewrite_json(raw, "text", "new") == '{"id": 1, "text": "new", "w": "é"}\r\n'.encode()


def test_malformed_records_are_reported_and_kept(here, capsys):
    lines = [
        jsonl(RECORDS[:1]),
        b'{"id": "cut", "text": "Advertisement\n',  # not valid JSON
        b"[1, 2]\n",  # not an object
        b'{"id": "n", "text": 42}\n',  # the text field is not text
        b'{"id": "u", "text": "caf\xe9"}\n',  # not UTF-8
        b"\n",  # a blank line is not a record
        b'{"id": "nul", "text": "a\\u0000b"}\n',  # a text newslint does not read (binary)
        jsonl(RECORDS[1:2]),
    ]
    data = b"".join(lines)
    (here / "ds.jsonl").write_bytes(data)
    code, found, err = text_report(capsys, "ds.jsonl")
    assert code == 2
    assert [line.split(":")[0] for line in found] == ["ds.jsonl#1", "ds.jsonl#8"]
    errors = err.splitlines()
    assert [line.split(": ")[1] for line in errors] == [f"ds.jsonl#{n}" for n in (2, 3, 4, 5, 7)]
    assert "not valid JSON" in errors[0] and "not a JSON object" in errors[1]
    assert "holds a number, not text" in errors[2] and "not valid UTF-8" in errors[3] and "binary" in errors[4]
    assert all("kept as it is" in line for line in errors)
    assert main(["check", "--fix", "ds.jsonl"]) == 2
    after = (here / "ds.jsonl").read_bytes().splitlines(keepends=True)
    assert after[1:7] == data.splitlines(keepends=True)[1:7]  # every malformed record, byte for byte
    assert len(after) == 8 and b"Advertisement" not in after[7] and b"Share this" not in after[0]


def test_a_dataset_without_a_text_field_is_an_error_of_its_own(here, capsys):
    data = jsonl([{"id": 1, "headline": "x"}, {"id": 2, "headline": "y"}])
    (here / "ds.jsonl").write_bytes(data)
    (here / "a.txt").write_text("Advertisement\n")
    code, found, err = text_report(capsys, "ds.jsonl", "a.txt")
    assert code == 2
    assert found == ['a.txt:1:1: error advertisement Advertisement marker left in the text: "Advertisement"']
    assert "ds.jsonl: no record has a text field (looked for: text, maintext, body, content, article)" in err
    assert "Traceback" not in err
    assert main(["check", "--fix", "ds.jsonl"]) == 2
    assert (here / "ds.jsonl").read_bytes() == data
    capsys.readouterr()
    code, found, _ = text_report(capsys, "--text-field", "headline", "ds.jsonl")
    assert code == 0


def test_text_id_and_site_fields(here, capsys):
    records = [
        {"url": "https://a/1", "maintext": VOTE, "source_domain": "a.example"},
        {"article_id": "x9", "body": STORM, "source_domain": "b.example"},
    ]
    (here / "ds.jsonl").write_bytes(jsonl(records))
    code, payload = check_json(capsys, "ds.jsonl", "--site-field", "source_domain")
    assert [(v["rule"], v["record"]) for v in payload["violations"]] == [
        ("advertisement", {"index": 1, "id": "https://a/1", "site": "a.example"}),
        ("share-bar", {"index": 2, "id": None, "site": "b.example"}),
    ]
    assert all(v["path"] == "ds.jsonl" for v in payload["violations"])
    code, payload = check_json(capsys, "ds.jsonl", "--id-field", "article_id,url", "--text-field", "body")
    assert [v["record"] for v in payload["violations"]] == [{"index": 2, "id": "x9"}]
    (here / ".newslint.yaml").write_text("text-field: [maintext]\nid-field: [source_domain]\n")
    code, payload = check_json(capsys, "ds.jsonl")
    assert [v["record"] for v in payload["violations"]] == [{"index": 1, "id": "a.example"}]


def test_per_file_ignores_apply_by_the_datasets_path(here, capsys):
    (here / "ds.jsonl").write_bytes(jsonl([{"text": VOTE}, {"text": STORM}]))
    (here / ".newslint.yaml").write_text("per-file-ignores:\n  '*.jsonl': [share-bar]\n")
    code, lines, _ = text_report(capsys, "ds.jsonl")
    assert [line.split(" ")[2] for line in lines] == ["advertisement"]


def test_json_array_check_and_fix_keep_its_layout(here, capsys):
    text = json.dumps(RECORDS, indent=2, ensure_ascii=False) + "\n"
    (here / "ds.json").write_text(text)
    code, lines, _ = text_report(capsys, "ds.json")
    assert [line.split(" ")[0] for line in lines] == ["ds.json#1:5:1:", "ds.json#2:5:1:"]
    assert main(["check", "--fix", "ds.json"]) == 0
    fixed = (here / "ds.json").read_text()
    expected = json.loads(text)
    expected[0]["text"] = STORM.replace("Share this article\n\n", "")
    expected[1]["text"] = VOTE.replace("Advertisement\n\n", "")
    assert json.loads(fixed) == expected
    # The layout (indentation, the clean record) is kept: only the two text values differ.
    assert fixed.replace(json.dumps(expected[0]["text"]), json.dumps(STORM)).replace(
        json.dumps(expected[1]["text"]), json.dumps(VOTE)
    ) == text.replace("\\u00fc", "ü")


def test_a_json_file_of_one_record_or_of_json_lines(here, capsys):
    (here / "one.json").write_text(json.dumps({"maintext": VOTE, "url": "u"}, indent=1))
    (here / "lines.json").write_bytes(jsonl(RECORDS))
    code, lines, _ = text_report(capsys, "one.json", "lines.json")
    assert [line.split(" ")[0] for line in lines] == ["one.json#1:5:1:", "lines.json#1:5:1:", "lines.json#2:5:1:"]


def test_a_json_file_that_is_not_a_dataset(here, capsys):
    for name, text in (("a.json", '{"name": "pkg"}'), ("b.json", '"text"'), ("c.json", '[{"text": "x"},')):
        (here / name).write_text(text)
    code, lines, err = text_report(capsys, "a.json", "b.json", "c.json")
    assert code == 2 and lines == []
    errors = err.splitlines()
    assert "a.json: no record has a text field" in errors[0]
    assert "b.json: not a dataset" in errors[1]
    assert "c.json: not valid JSON" in errors[2]


def csv_text(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_csv_check_and_fix(here, capsys):
    rows = [["id", "text", "note"], ["a1", STORM, '"quoted", note'], ["b2", CLEAN, "x"], ["c3", VOTE, ""]]
    data = csv_text(rows)
    (here / "ds.csv").write_bytes(data)
    code, lines, _ = text_report(capsys, "ds.csv")
    # Numbered by the line each record starts on: the header is line 1, STORM's record lines 2 to 9.
    assert [line.split(" ")[0] for line in lines] == ["ds.csv#2:5:1:", "ds.csv#14:5:1:"]
    assert main(["check", "--fix", "ds.csv"]) == 0
    fixed = list(csv.reader(io.StringIO((here / "ds.csv").read_text(), newline="")))
    assert fixed == [
        rows[0],
        ["a1", STORM.replace("Share this article\n\n", ""), rows[1][2]],
        rows[2],
        ["c3", VOTE.replace("Advertisement\n\n", ""), ""],
    ]
    after = (here / "ds.csv").read_bytes()
    clean = csv_text(rows[2:3])
    assert clean in after  # the untouched record, byte for byte


def test_csv_malformed_records(here, capsys):
    data = b'id,text\r\n1,"Advertisement\r\n2,a,b\r\n'
    (here / "ds.csv").write_bytes(b"id,text\r\n1,Story\r\n2,a,b\r\n3,Advertisement\r\n")
    code, lines, err = text_report(capsys, "ds.csv")
    assert code == 2 and [line.split(" ")[0] for line in lines] == ["ds.csv#4:1:1:"]
    assert "ds.csv#3: malformed record, kept as it is: has 3 fields where the header has 2" in err
    assert main(["check", "--fix", "ds.csv"]) == 2
    assert (here / "ds.csv").read_bytes() == b"id,text\r\n1,Story\r\n2,a,b\r\n3,\r\n"
    (here / "cut.csv").write_bytes(data)
    capsys.readouterr()
    code, lines, err = text_report(capsys, "cut.csv")  # an unclosed quote runs to the end of the file
    assert [line.split(" ")[0] for line in lines] == ["cut.csv#2:1:1:"] and err == ""


def test_a_folder_walk_takes_datasets(here, capsys):
    (here / "data").mkdir()
    (here / "data" / "ds.jsonl").write_bytes(jsonl(RECORDS))
    (here / "data" / "notes.txt").write_text("Advertisement\n")
    code, lines, _ = text_report(capsys, "data")
    assert [line.split(":")[0] for line in lines] == [
        os.path.join("data", "ds.jsonl#1"),
        os.path.join("data", "ds.jsonl#2"),
        os.path.join("data", "notes.txt"),
    ]


def test_records_are_checked_in_workers_with_the_same_report(here, capsys):
    records = [{"id": k, "text": [STORM, VOTE, CLEAN][k % 3]} for k in range(300)]
    (here / "ds.jsonl").write_bytes(jsonl(records))
    one = text_report(capsys, "--jobs", "1", "ds.jsonl")
    two = text_report(capsys, "--jobs", "2", "ds.jsonl")
    assert one == two and len(one[1]) == 200
    assert main(["check", "--jobs", "2", "--fix", "ds.jsonl"]) == 0
    assert [json.loads(line)["id"] for line in (here / "ds.jsonl").read_text().splitlines()] == list(range(300))


def test_a_record_over_the_limit_is_reported_and_kept(here, capsys, monkeypatch):
    monkeypatch.setenv("NEWSLINT_MAX_FILE_MB", "0.01")  # 10 KB a record
    big = json.dumps({"text": "Advertisement\n" + "word " * 5000}) + "\n"
    data = jsonl(RECORDS[:1]) + big.encode() + jsonl(RECORDS[1:2])
    (here / "ds.jsonl").write_bytes(data)
    code, lines, err = text_report(capsys, "ds.jsonl")
    assert code == 2 and [line.split(":")[0] for line in lines] == ["ds.jsonl#1", "ds.jsonl#3"]
    assert "ds.jsonl#2: malformed record, kept as it is: over the limit of 0.01 MB a record" in err
    assert main(["check", "--fix", "ds.jsonl"]) == 2
    assert (here / "ds.jsonl").read_bytes().splitlines(keepends=True)[1] == big.encode()


def test_diff_shows_each_record(here, capsys):
    (here / "ds.jsonl").write_bytes(jsonl(RECORDS))
    assert main(["check", "--diff", "ds.jsonl"]) == 1
    out = capsys.readouterr().out
    assert out.count("--- ds.jsonl#1\n+++ ds.jsonl#1\n") == 1 and "--- ds.jsonl#2\n" in out
    assert "-Share this article\n" in out and "-Advertisement\n" in out
    assert (here / "ds.jsonl").read_bytes() == jsonl(RECORDS)


def test_a_fix_that_changes_nothing_writes_nothing(here):
    (here / "ds.jsonl").write_bytes(jsonl(RECORDS[2:]))
    before = os.stat(here / "ds.jsonl")
    assert main(["check", "--fix", "ds.jsonl"]) == 0
    after = os.stat(here / "ds.jsonl")
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_a_hard_linked_dataset_is_not_fixed(here, capsys):
    (here / "ds.jsonl").write_bytes(jsonl(RECORDS))
    os.link(here / "ds.jsonl", here / "other.jsonl")
    code, lines, err = text_report(capsys, "--fix", "ds.jsonl")
    assert code == 2 and "hard links" in err and len(lines) == 2
    assert (here / "other.jsonl").read_bytes() == jsonl(RECORDS)


def test_the_cache_never_answers_for_a_dataset(here, capsys):
    (here / "ds.jsonl").write_bytes(jsonl(RECORDS))
    first = text_report(capsys, "ds.jsonl")
    assert text_report(capsys, "ds.jsonl") == first
    (here / "ds.jsonl").write_bytes(jsonl(RECORDS[2:]))
    assert text_report(capsys, "ds.jsonl")[0] == 0


def test_parquet_check_and_fix(here, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "id": ["a", "b", "c"],
            "maintext": [STORM, CLEAN, VOTE],
            "n": pa.array([1, 2, 3], type=pa.int32()),
        }
    ).replace_schema_metadata({"origin": "test"})
    pq.write_table(table, here / "ds.parquet", compression="gzip")
    code, lines, _ = text_report(capsys, "ds.parquet")
    assert code == 1 and [line.split(" ")[0] for line in lines] == ["ds.parquet#1:5:1:", "ds.parquet#3:5:1:"]
    code, payload = check_json(capsys, "ds.parquet")
    assert [v["record"] for v in payload["violations"]] == [{"index": 1, "id": "a"}, {"index": 3, "id": "c"}]
    assert main(["check", "--fix", "ds.parquet"]) == 0
    fixed = pq.read_table(here / "ds.parquet")
    assert fixed.schema == table.schema and fixed.schema.metadata == table.schema.metadata
    assert fixed.column("maintext").to_pylist() == [
        STORM.replace("Share this article\n\n", ""),
        CLEAN,
        VOTE.replace("Advertisement\n\n", ""),
    ]
    assert fixed.column("id").to_pylist() == ["a", "b", "c"] and fixed.column("n").to_pylist() == [1, 2, 3]
    assert pq.ParquetFile(here / "ds.parquet").metadata.row_group(0).column(0).compression == "GZIP"


def test_parquet_without_pyarrow_is_a_clear_error(here, capsys, monkeypatch):
    import sys

    (here / "ds.parquet").write_bytes(b"PAR1not really")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    code, lines, err = text_report(capsys, "ds.parquet")
    assert code == 2 and "ds.parquet: reading Parquet needs pyarrow: install newslint[parquet]" in err


def test_a_file_that_is_not_parquet(here, capsys):
    pytest.importorskip("pyarrow")
    (here / "ds.parquet").write_bytes(b"not parquet at all")
    code, lines, err = text_report(capsys, "ds.parquet")
    assert code == 2 and "ds.parquet: not a Parquet file newslint can read" in err and "Traceback" not in err


def test_a_folder_walk_skips_files_that_are_no_datasets_of_articles(here, capsys):
    """A baseline file, a package.json, a labels file, a config with comments: found in a folder,
    they are skipped without a word; named, each is an error of its own."""
    (here / "baseline.json").write_text('{"version": 1, "problems": []}')
    (here / "tsconfig.json").write_text('{ // comments\n "a": 1 }')
    (here / "labels.jsonl").write_bytes(jsonl([{"path": "a.txt", "label": 1}]))
    (here / "numbers.json").write_text("[1, 2, 3]")
    (here / "ds.jsonl").write_bytes(jsonl(RECORDS))
    code, lines, err = text_report(capsys, ".")
    assert code == 1 and err == "" and len(lines) == 2
    for name in ("baseline.json", "tsconfig.json", "labels.jsonl", "numbers.json"):
        assert text_report(capsys, name)[0] == 2


def test_a_dataset_changed_while_being_fixed_is_left_as_it_is(here, capsys, monkeypatch):
    from newslint.datasets import stream

    data = jsonl(RECORDS)
    (here / "ds.jsonl").write_bytes(data)
    fix_record = stream.fix_record

    def saved_meanwhile(item, **kwargs):
        if item is not None and item[2] == VOTE:  # someone appends a record while the fix runs
            with open(here / "ds.jsonl", "ab") as handle:
                handle.write(jsonl([{"text": "New."}]))
        return fix_record(item, **kwargs)

    monkeypatch.setattr(stream, "fix_record", saved_meanwhile)
    code, lines, err = text_report(capsys, "--fix", "ds.jsonl")
    assert code == 2 and "ds.jsonl: changed while being fixed, left unchanged" in err
    assert (here / "ds.jsonl").read_bytes() == data + jsonl([{"text": "New."}])
    assert not [name for name in os.listdir(here) if name.startswith(".newslint-")]  # no temporary file left


def test_stdin_is_never_read_as_a_dataset(here, capsys):
    assert main(["check", "-", "--stdin-filename", "ds.jsonl"]) == 2
    assert "stdin is read as one article, not a dataset" in capsys.readouterr().err


def test_an_editors_buffer_of_a_dataset_is_not_an_article(here):
    from newslint.per_file import check_buffer
    from newslint.pipeline import Settings, load_plan

    result = check_buffer("ds.jsonl", jsonl(RECORDS), load_plan(Settings()))
    assert result.document is None and result.violations == [] and result.error is None


def test_parquet_of_many_batches_in_workers(here, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    texts = [[STORM, VOTE, CLEAN][k % 3] for k in range(700)]  # batches of 256 rows: three
    pq.write_table(pa.table({"text": texts, "k": list(range(700))}), here / "ds.parquet", row_group_size=300)
    one = text_report(capsys, "--jobs", "1", "ds.parquet")
    assert text_report(capsys, "--jobs", "2", "ds.parquet") == one and len(one[1]) == 467
    assert one[1][-1].startswith("ds.parquet#700:5:1:")
    assert main(["check", "--jobs", "2", "--fix", "ds.parquet"]) == 0
    fixed = pq.read_table(here / "ds.parquet")
    assert fixed.column("k").to_pylist() == list(range(700))
    assert fixed.column("text").to_pylist() == [
        text.replace("Share this article\n\n", "").replace("Advertisement\n\n", "") for text in texts
    ]


def test_a_bom_at_the_start_of_json_lines_is_kept(here, capsys):
    data = b"\xef\xbb\xbf" + jsonl(RECORDS)
    (here / "ds.jsonl").write_bytes(data)
    assert [line.split(":")[0] for line in text_report(capsys, "ds.jsonl")[1]] == ["ds.jsonl#1", "ds.jsonl#2"]
    assert main(["check", "--fix", "ds.jsonl"]) == 0
    fixed = (here / "ds.jsonl").read_bytes()
    assert fixed.startswith(b'\xef\xbb\xbf{"id": "a1", "title": "Storm", "text": "Storm hits')
    assert fixed.splitlines()[2] == data.splitlines()[2]


def test_the_baseline_records_a_datasets_problems(here, capsys):
    (here / "ds.jsonl").write_bytes(jsonl(RECORDS))
    assert main(["check", "--baseline", "known.json", "--update-baseline", "ds.jsonl"]) == 0
    capsys.readouterr()
    code, lines, _ = text_report(capsys, "--baseline", "known.json", "ds.jsonl")
    assert code == 0 and lines == []
    (here / "ds.jsonl").write_bytes(jsonl([*RECORDS, {"id": "new", "text": VOTE}]))
    code, lines, _ = text_report(capsys, "--baseline", "known.json", "ds.jsonl")
    assert code == 1 and len(lines) == 1 and lines[0].startswith("ds.jsonl#")


def test_diff_base_reports_the_records_on_the_lines_a_change_touched(here, capsys):
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=here, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "T")
    (here / "ds.jsonl").write_bytes(jsonl(RECORDS))
    git("add", "-A")
    git("commit", "-qm", "dataset")
    git("checkout", "-qb", "pr")
    (here / "ds.jsonl").write_bytes(jsonl([*RECORDS, {"id": "new", "text": STORM}]))
    code, lines, _ = text_report(capsys, "--no-cache", "--diff-base", "main")
    assert code == 1 and [line.split(":")[0] for line in lines] == ["./ds.jsonl#4"]


def test_a_folder_of_one_record_json_files_is_checked_in_workers(here, capsys):
    """news-please writes one .json file an article: small datasets go to the workers whole."""
    (here / "np").mkdir()
    for k in range(100):
        record = {"url": f"https://e.org/{k}", "maintext": [STORM, VOTE, CLEAN][k % 3]}
        (here / "np" / f"{k:03d}.json").write_text(json.dumps(record, indent=1))
    one = text_report(capsys, "--jobs", "1", "np")
    assert text_report(capsys, "--jobs", "2", "np") == one and len(one[1]) == 67
    assert one[1][0].startswith(os.path.join("np", "000.json#1:5:1:"))
    assert main(["check", "--jobs", "2", "--fix", "np"]) == 0
    assert json.loads((here / "np" / "001.json").read_text())["maintext"] == VOTE.replace("Advertisement\n\n", "")
