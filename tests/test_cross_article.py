"""The cross-article rule (repeated-across-articles): a paragraph another article of the archive
holds, reported with that article as `related`; the archive a config's repository, updated
incrementally from the cache; suppressions, per-file ignores, --fix and hostile trees."""

from __future__ import annotations

import json
import os

import pytest

import newslint.repeats
from newslint.cli import main
from newslint.errors import RuleError
from newslint.filters import Plan
from newslint.repeats import decoder
from newslint.rules import load_rules, parse_rule
from tests.helpers import check_json

RULE = "repeated-across-articles"
SHARED = (
    "The council said on Tuesday that the bridge would stay closed to traffic until the end "
    "of next month while engineers inspect it."
)
OWN = "Residents of the town said the closure would add half an hour to their journeys to work each day."


def _article(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """A repository with a config selecting the rule, and three articles: a.md and c.md share a
    paragraph, b.md shares nothing."""
    (tmp_path / ".newslint.yaml").write_text(f"select: [{RULE}]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(_article("First story.", SHARED), encoding="utf-8")
    (tmp_path / "b.md").write_text(_article("Second story.", OWN), encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "c.md").write_text(_article("Third story.", "An intro line here.", SHARED), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_paragraph_in_another_article_is_reported_with_it_as_related(repository, capsys):
    code, payload = check_json(capsys, "--no-cache", ".")
    assert code == 1
    found = [(v["path"], v["line"], v["message"], v["related"]) for v in payload["violations"]]
    assert found == [
        ("./a.md", 3, "Paragraph also in ./news/c.md:5", [_related("./news/c.md", 5)]),
        ("./news/c.md", 5, "Paragraph also in ./a.md:3", [_related("./a.md", 3)]),
    ]


def _related(path: str, line: int) -> dict:
    return {"line": line, "column": 1, "end_line": line, "end_column": len(SHARED) + 1, "path": path}


def test_a_changed_file_alone_is_compared_with_the_whole_repository(repository, capsys):
    # As pre-commit runs it: only the changed file is named.
    code, payload = check_json(capsys, "--no-cache", "news/c.md")
    assert code == 1
    assert [(v["path"], v["line"], v["message"]) for v in payload["violations"]] == [
        ("news/c.md", 5, "Paragraph also in ./a.md:3")
    ]
    assert payload["summary"]["files_checked"] == 1


def test_without_a_config_the_archive_is_the_paths_checked(repository, capsys):
    os.remove(repository / ".newslint.yaml")
    code, payload = check_json(capsys, "--no-cache", "--select", RULE, "news/c.md")
    assert code == 0 and payload["violations"] == []
    code, payload = check_json(capsys, "--no-cache", "--select", RULE, "news/c.md", "a.md")
    assert [(v["path"], v["message"]) for v in payload["violations"]] == [
        ("news/c.md", "Paragraph also in a.md:3"),
        ("a.md", "Paragraph also in news/c.md:5"),
    ]


def test_more_articles_are_counted(repository, capsys):
    (repository / "d.md").write_text(_article(SHARED), encoding="utf-8")
    _, payload = check_json(capsys, "--no-cache", "news/c.md")
    assert [v["message"] for v in payload["violations"]] == ["Paragraph also in ./a.md:3 (and 1 more article)"]


def test_units_are_worked_out_again_only_for_changed_articles(repository, capsys, monkeypatch, tmp_path_factory):
    worked_out: list[str] = []
    original = newslint.repeats.units_of_bytes

    def counting(item, plan):
        worked_out.append(os.path.basename(item[0]))
        return original(item, plan)

    monkeypatch.setattr(newslint.repeats, "units_of_bytes", counting)
    cache = str(tmp_path_factory.mktemp("cache"))
    args = ("--cache-dir", cache, "--jobs", "1", "news/c.md")
    first = check_json(capsys, *args)
    assert sorted(worked_out) == ["a.md", "b.md", "c.md"]
    worked_out.clear()
    assert check_json(capsys, *args) == first
    assert worked_out == []
    # An unchanged article edited: only it is worked out again, and what it holds now counts.
    (repository / "a.md").write_text(_article("First story, rewritten.", OWN), encoding="utf-8")
    code, payload = check_json(capsys, *args)
    assert worked_out == ["a.md"]
    assert code == 0 and payload["violations"] == []


def test_the_cache_data_of_units_is_validated(repository):
    plan = Plan.of(_config(), load_rules([]))
    decode = decoder(plan)
    good = [[[2**63, 3, 1, 3, 10, 1]]]
    assert decode("a.md", good) == good
    for bad in (
        [],
        [[[2**64, 3, 1, 3, 10, 1]]],
        [[[-1, 3, 1, 3, 10, 1]]],
        [[[1, 0, 1, 3, 10, 1]]],
        [[[1, 4, 1, 3, 10, 1]]],
        [[[1, 3, 1, 3, 10, 2]]],
        [[[1, 3, 1, 3, 10]]],
        [[[1, 3, 1, 3, 10, True]]],
        [[[1, 3, 2, 3, 10, 1]]],
        [[[1, 3, 1, 3, "10", 1]]],
        [{"a": 1}],
        "units",
    ):
        assert decode("a.md", bad) is None, bad


def _config():
    from newslint.config import load_config

    return load_config(None, start=".").with_flags(select=[RULE])


def test_a_suppression_comment_and_per_file_ignores_apply(repository, capsys):
    (repository / "a.md").write_text(
        _article("First story.", f"<!-- newslint: disable-next-line {RULE} -->\n{SHARED}"), encoding="utf-8"
    )
    _, payload = check_json(capsys, "--no-cache", ".")
    assert [(v["path"], v["line"]) for v in payload["violations"]] == [("./news/c.md", 5)]
    (repository / ".newslint.yaml").write_text(
        f"select: [{RULE}]\nper-file-ignores:\n  'news/*': [{RULE}]\n", encoding="utf-8"
    )
    code, payload = check_json(capsys, "--no-cache", ".")
    assert code == 0 and payload["violations"] == []


def test_with_fix_the_repeat_is_reported_where_it_is_in_the_fixed_text(repository, capsys):
    (repository / ".newslint.yaml").write_text(f"select: [{RULE}, advertisement]\n", encoding="utf-8")
    (repository / "news" / "c.md").write_text(
        _article("Third story.", "Advertisement", "An intro line here.", SHARED), encoding="utf-8"
    )
    code = main(["check", "--no-cache", "--fix", "--format", "json", "news/c.md"])
    payload = json.loads(capsys.readouterr().out)
    assert (repository / "news" / "c.md").read_text(encoding="utf-8") == _article(
        "Third story.", "An intro line here.", SHARED
    )
    assert [(v["rule"], v["line"]) for v in payload["violations"]] == [(RULE, 5)]
    assert code == 1


def test_excluded_files_datasets_and_links_out_of_the_tree_are_not_in_the_archive(repository, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text(_article(OWN), encoding="utf-8")
    os.symlink(outside / "secret.md", repository / "linked.md")
    (repository / "data.jsonl").write_text(json.dumps({"id": 1, "text": OWN}) + "\n", encoding="utf-8")
    (repository / "drafts").mkdir()
    (repository / "drafts" / "draft.md").write_text(_article(OWN), encoding="utf-8")
    (repository / ".newslint.yaml").write_text(f"select: [{RULE}]\nexclude: ['drafts/']\n", encoding="utf-8")
    code, payload = check_json(capsys, "--no-cache", "b.md")
    assert code == 0 and payload["violations"] == []


def test_sarif_points_at_the_other_article(repository, capsys):
    main(["check", "--no-cache", "--format", "sarif", "news/c.md"])
    result = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "a.md"
    assert related["message"]["text"] == "./a.md, lines 3-3"


HEAD = "category: duplicate\nmessage: 'x'\ndoc: {what: x, why: y}\n"


def test_a_cross_article_rule_has_no_fix():
    text = f"check: cross-article\n{HEAD}fix: delete\nexamples:\n  - {{text: a, expect: []}}\n"
    with pytest.raises(RuleError, match="no fix"):
        parse_rule(text, "mine.yaml", "mine")


def test_only_a_cross_article_rule_takes_others_in_its_examples():
    text = f"check: phrase\n{HEAD}phrases: [Advertisement]\nexamples:\n  - {{text: a, expect: [], others: [b]}}\n"
    with pytest.raises(RuleError, match="unknown key 'others'"):
        parse_rule(text, "mine.yaml", "mine")


def test_a_partly_cached_index_in_worker_processes_gives_the_uncached_report(repository, capsys, tmp_path_factory):
    # Articles the cache answers come between articles the workers work out: the index must
    # hold them all, in the walk's order, as a run without the cache does.
    for number in range(150):  # over workers.MIN_FILES_FOR_WORKERS worked out again: in processes
        paragraphs = [f"Story {number}.", SHARED if number % 7 == 0 else f"{OWN} Number {number}."]
        (repository / f"n{number:03d}.md").write_text(_article(*paragraphs), encoding="utf-8")
    cache = str(tmp_path_factory.mktemp("cache"))
    check_json(capsys, "--cache-dir", cache, "--jobs", "2", ".")
    for number in range(0, 150, 2):
        path = repository / f"n{number:03d}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    cached = check_json(capsys, "--cache-dir", cache, "--jobs", "2", ".")
    assert cached == check_json(capsys, "--no-cache", "--jobs", "2", ".")
    assert len(cached[1]["violations"]) == 24  # a.md, news/c.md and the 22 n*.md holding SHARED
