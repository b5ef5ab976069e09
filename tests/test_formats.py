from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from newslint.cli import main
from newslint.formats import Report, Summary, format_github, format_junit
from newslint.violations import Violation

SCHEMA_FILE = "sarif-schema-2.1.0.json"


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    return code, capsys.readouterr().out


def violation(**fields) -> Violation:
    base = {
        "path": "a.txt",
        "line": 1,
        "column": 1,
        "end_line": 1,
        "end_column": 5,
        "rule": "site-footer",
        "category": "footer",
        "severity": "error",
        "message": "m",
    }
    return Violation(**{**base, **fields})


def report(*violations: Violation) -> Report:
    return Report(list(violations), Summary.of(list(violations), 1, 0))


@pytest.fixture(scope="module")
def sarif_schema(request):
    path = request.path.parent / "fixtures" / SCHEMA_FILE
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    jsonschema.Draft4Validator.check_schema(schema)
    return schema


def test_sarif_is_valid_against_the_official_schema(fixtures, capsys, sarif_schema, tmp_path):
    article = tmp_path / "a b%.md"  # a path that needs escaping as a URI
    article.write_text("<!-- newslint: disable-next-line site-footer -->\nStory.\nAdvertisement\n")
    code, out = run(capsys, "--format", "sarif", str(fixtures / "seed.txt"), str(article))
    log = json.loads(out)
    jsonschema.validate(log, sarif_schema, cls=jsonschema.Draft4Validator, format_checker=jsonschema.FormatChecker())
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert code == 1 and len(run_["results"]) == 6
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert {r["id"] for r in rules} >= {"site-footer", "duplicate-paragraph", "unused-suppression"}
    duplicate = next(r for r in run_["results"] if r["ruleId"] == "duplicate-paragraph")
    assert duplicate["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 15,
        "startColumn": 1,
        "endLine": 25,
        "endColumn": 167,
    }
    assert duplicate["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 4
    footer = rules[[r["id"] for r in rules].index("site-footer")]
    assert footer["shortDescription"]["text"].startswith("A site's standard footer")
    assert footer["defaultConfiguration"]["level"] == "error"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]}
    assert any(uri.endswith("/a%20b%25.md") for uri in uris)


def test_sarif_of_a_clean_run_with_relative_paths_is_valid(fixtures, capsys, sarif_schema, monkeypatch):
    monkeypatch.chdir(fixtures)
    code, out = run(capsys, "--format", "sarif", "clean.md")
    log = json.loads(out)
    jsonschema.validate(log, sarif_schema, cls=jsonschema.Draft4Validator, format_checker=jsonschema.FormatChecker())
    assert log["runs"][0]["results"] == [] and code == 0


def test_github_annotations_escape_data_and_properties():
    text = format_github(
        report(
            violation(path="dir,a:b%.txt", message="50% done\r\nnext", end_column=5),
            violation(path="./a.txt", line=2, end_line=4, end_column=9, severity="info", rule="duplicate-paragraph"),
        )
    )
    assert text.splitlines() == [
        "::error file=dir%2Ca%3Ab%25.txt,line=1,col=1,endColumn=4,title=newslint (site-footer)::50%25 done%0D%0Anext",
        "::notice file=a.txt,line=2,endLine=4,title=newslint (duplicate-paragraph)::m",
    ]


def test_github_format_is_chosen_under_github_actions(fixtures, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out = run(capsys, str(fixtures / "seed.txt"))
    assert out.startswith("::error file=") and code == 1
    code, out = run(capsys, "--format", "text", str(fixtures / "seed.txt"))
    assert out.startswith(str(fixtures / "seed.txt"))


def test_junit_is_well_formed_even_with_control_characters():
    xml = format_junit(report(violation(message="bad \x0b char & <tag>"), violation(path="b.txt", line=3)))
    root = ET.fromstring(xml)
    assert root.tag == "testsuites" and root.get("failures") == "2"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["a.txt", "b.txt"]
    failure = suites[0].find("testcase/failure")
    assert failure.get("message") == "bad \ufffd char & <tag>" and failure.get("type") == "site-footer"


def test_junit_of_a_clean_run_has_one_passing_case():
    root = ET.fromstring(format_junit(report()))
    assert root.get("failures") == "0" and len(root.findall("testsuite/testcase")) == 1
    assert root.find("testsuite/testcase/failure") is None


def test_json_lines(fixtures, capsys):
    code, out = run(capsys, "--format", "json-lines", str(fixtures / "seed.txt"))
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["rule"] for r in rows] == ["photo-caption", "orphan-dateline", "duplicate-paragraph", "site-footer"]
    code, out = run(capsys, "--format", "json-lines", str(fixtures / "clean.md"))
    assert out == "" and code == 0


def test_statistics(fixtures, capsys, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("London:\nAdvertisement\nStory.\nAdvertisement\n")
    code, out = run(capsys, "--statistics", str(article))
    assert out.splitlines() == [
        "2  advertisement    error  (2 fixable)",
        "1  orphan-dateline  warning",
        "Found 3 problems in 1 file (2 fixable with --fix).",
    ]
    code, out = run(capsys, "--statistics", "--format", "json", str(article))
    assert json.loads(out)["statistics"][0] == {"rule": "advertisement", "count": 2, "severity": "error", "fixable": 2}
    assert main(["check", "--statistics", "--format", "sarif", str(article)]) == 2
    assert "--statistics prints only as text or json" in capsys.readouterr().err
