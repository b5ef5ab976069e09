"""`newslint learn` over news datasets: each record an article, its site from --site-field or its
URL's host; malformed records reported and skipped; a dataset-suffixed file holding no articles
passed over; the rules learned flag the same footers in the dataset with `check`."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from newslint.cli import main
from newslint.learn import Settings, learn, line_core
from newslint.learn_sources import folder_articles, record_site
from tests.test_learn import FOOTERS, SHARE_ROW, _article

HOSTS = ("www.valley-courier.example", "hill-gazette.example")


def _records(count: int = 60) -> list[dict[str, object]]:
    """`count` records for each host, its text built as test_learn's articles are, one host's
    footers different from the other's (each uses FOOTERS from a different start)."""
    records: list[dict[str, object]] = []
    for n in range(count):
        for shift, host in enumerate(HOSTS):
            text, _ = _article(n + 4 * shift, n < 10, random.Random(n * 7 + shift))
            records.append({"url": f"https://{host}/news/{n}", "id": len(records), "maintext": text, "lang": "en"})
    return records


def _write_jsonl(path: Path, records: list[dict[str, object]], malformed: bool = False) -> None:
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    if malformed:
        lines.insert(3, '{"url": "https://hill-gazette.example/broken", "maintext": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fail(problem: object) -> None:
    raise AssertionError(problem)


def test_each_host_of_a_jsonl_is_a_site_and_its_footers_are_learned(tmp_path: Path) -> None:
    _write_jsonl(tmp_path / "news.jsonl", _records())
    results = learn(folder_articles([str(tmp_path)], on_problem=_fail), Settings())
    assert [result.site for result in results] == sorted(h.removeprefix("www.") for h in HOSTS)
    expected = {line_core(line) for footer in FOOTERS for line in footer} | set(SHARE_ROW)
    for result in results:
        assert result.articles == 60
        assert {line.text for line in result.boilerplate()} == expected
        assert all("news.jsonl#" in name for line in result.boilerplate() for name in line.names)


def test_the_site_field_names_the_site(tmp_path: Path) -> None:
    records = _records(30)
    for record in records:
        record["source"] = "one desk"
    with (tmp_path / "news.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    out = tmp_path / "rules"
    code = main(["learn", str(tmp_path / "news.csv"), "--out", str(out), "--site-field", "source"])
    assert code == 0
    (written,) = sorted(out.glob("learned-*.yaml"))
    assert written.name.startswith("learned-one-desk")


def test_malformed_records_are_reported_and_the_rest_learned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "archive"
    data.mkdir()
    _write_jsonl(data / "news.jsonl", _records(), malformed=True)
    (data / "package.json").write_text('{"name": "site", "version": "1.0.0"}\n', encoding="utf-8")
    out = tmp_path / "rules"
    code = main(["learn", str(data), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2  # a record could not be read: said, and the run goes on
    assert "news.jsonl#4: malformed record, skipped" in err
    assert "package.json" not in err  # holds no articles: passed over, as check's folder walk does
    assert len(list(out.glob("learned-*.yaml"))) == 2
    # The rules learned from the dataset flag its footers when the dataset is checked.
    main(
        [
            "check",
            "--no-cache",
            "--select",
            next(out.glob("learned-valley-courier-example*.yaml")).stem,
            "--rules",
            str(out),
            "--format",
            "json",
            str(data),
        ]
    )
    report = json.loads(capsys.readouterr().out)
    flagged = {(problem["record"]["index"], problem["line"]) for problem in report["violations"]}
    # At least each of the host's 60 records: its four share-row lines and its footer's. (A
    # rule learned for one site flags its lines wherever it runs: the other host's share row too.)
    assert len({index for index, _ in flagged}) >= 60 and len(flagged) >= 60 * 5


@pytest.mark.parametrize(
    ("site_field", "record_id", "expected"),
    [
        ("desk", "https://www.example.com/a", "desk"),
        (None, "https://www.example.com/a", "example.com"),
        (None, "HTTP://Example.com:8080/a", None),  # not a URL newslint reads as one: the file's site
        (None, "https://[bad/", None),
        (None, "42", None),
        (None, None, None),
    ],
)
def test_record_site(site_field: str | None, record_id: str | None, expected: str | None) -> None:
    assert record_site(site_field, record_id) == expected
