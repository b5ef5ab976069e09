"""The result and rule caches: used only when nothing a result depends on changed, and harmless when damaged."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from newslint import cache as caches
from newslint import engine, per_file
from newslint import rules as rule_loading
from newslint.cli import main
from newslint.config import Config
from newslint.document import from_bytes
from newslint.filters import Plan
from newslint.linter import lint
from newslint.pipeline import PARSED_RULES, RESULTS, result_key
from newslint.violations import Violation

RULE = textwrap.dedent(
    """\
    check: phrase
    category: footer
    message: "Teaser: {match}"
    doc: {what: A teaser., why: Not the story.}
    match: start
    phrases: [Read more from]
    examples:
      - text: "Read more from Nick\\n"
        expect: [1]
    """
)


@pytest.fixture
def articles(tmp_path, fixtures):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "seed.txt").write_bytes((fixtures / "seed.txt").read_bytes())
    (folder / "clean.md").write_bytes((fixtures / "clean.md").read_bytes())
    (folder / "teaser.txt").write_text("The story.\nRead more from Nick\n")
    return folder


def run(capsys, *args) -> tuple[int, str]:
    code = main(["check", "--jobs", "1", *map(str, args)])
    return code, capsys.readouterr().out


def forbid_checking(monkeypatch):
    def fail(item, plan):
        raise AssertionError(f"{item[0]} was checked again")

    monkeypatch.setattr(per_file, "check_bytes", fail)


def rule_store(folder):
    """Where a run keeps parsed rule files, in the cache folder `folder`."""
    return caches.open_cache(folder, [PARSED_RULES]).values(PARSED_RULES)


class MemoryStore(dict):
    """A store of parsed rule files in memory, as load_rules sees the cache's."""

    def get(self, key):
        return super().get(repr(key))

    def put(self, key, value):
        self[repr(key)] = json.loads(json.dumps(value))
        return True


def test_violations_survive_the_trip_through_json(fixtures, builtin_rules):
    doc = from_bytes((fixtures / "seed.txt").read_bytes(), "seed.txt")
    found = lint(doc, builtin_rules)
    assert any(v.related for v in found) and any(v.fix for v in found)
    back = [Violation.from_data(json.loads(json.dumps(v.to_data())), "seed.txt") for v in found]
    assert back == found
    assert [(v.as_dict(), v.text) for v in back] == [(v.as_dict(), v.text) for v in found]


def test_a_rerun_reads_unchanged_files_from_the_cache(articles, capsys, monkeypatch, cache_in_tmp):
    first = run(capsys, articles)
    assert first[0] == 1 and (cache_in_tmp / "CACHEDIR.TAG").exists()
    forbid_checking(monkeypatch)
    assert run(capsys, articles) == first


def test_a_changed_file_is_checked_again(articles, capsys):
    run(capsys, articles)
    (articles / "clean.md").write_text("Some story.\nAdvertisement\n")
    code, out = run(capsys, articles)
    assert "clean.md:2:1: error advertisement" in out


def test_a_changed_rule_or_selection_is_never_answered_from_the_cache(articles, tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "teaser.yaml").write_text(RULE)
    assert "teaser.txt:2:1: error teaser" in run(capsys, "--rules", rules, articles)[1]
    (rules / "teaser.yaml").write_text(RULE.replace("Teaser:", "Promo:"))
    assert "teaser.txt:2:1: error teaser Promo:" in run(capsys, "--rules", rules, articles)[1]
    assert run(capsys, "--rules", rules, "--select", "teaser", articles)[1].count("error") == 1
    assert "error teaser " not in run(capsys, articles)[1]  # the built-in rules only


def test_the_result_key_follows_the_rules_and_the_settings(builtin_rules, tmp_path):
    def address(rules=builtin_rules, **config):
        return caches.address(result_key(Plan.of(Config(root=str(tmp_path), **config), rules)))

    assert address() == address()
    assert address(rules=builtin_rules[1:]) != address()
    reworded = [builtin_rules[0]._replace(message="Reworded: {match}"), *builtin_rules[1:]]
    assert address(rules=reworded) != address()
    assert address(per_file_ignores=(("x", ("site-footer",)),)) != address()
    assert address(severity=(("site-footer", "warning"),)) != address()
    # Only what changes a report: a rule's documentation does not.
    documented = [builtin_rules[0]._replace(doc={"what": "x", "why": "y"}), *builtin_rules[1:]]
    assert address(rules=documented) == address()


def test_damaged_cache_files_count_as_misses(articles, capsys, cache_in_tmp):
    first = run(capsys, articles)
    shards = list((cache_in_tmp / caches.FORMAT / RESULTS).rglob("*.json"))
    assert shards
    shards[0].write_text('{"truncated": ')
    for shard in shards[1:]:
        entries = json.loads(shard.read_bytes().split(b"\n", 1)[1])  # after the line of the entry's MAC
        shard.write_text(json.dumps({path: [digest, [{"line": "?"}]] for path, (digest, _) in entries.items()}))
    for rule_set in (cache_in_tmp / caches.FORMAT / PARSED_RULES).glob("*.json"):
        rule_set.write_bytes(b"\x00garbage")
    assert run(capsys, articles) == first
    assert run(capsys, articles) == first  # and the cache works again


def test_no_cache_writes_nothing(articles, capsys, cache_in_tmp):
    before = sorted(cache_in_tmp.rglob("*"))
    run(capsys, "--no-cache", articles)
    assert sorted(cache_in_tmp.rglob("*")) == before


def test_cache_dir_option_and_environment(articles, capsys, tmp_path, cache_in_tmp):
    run(capsys, articles)
    assert (cache_in_tmp / caches.FORMAT / RESULTS).is_dir()
    run(capsys, "--cache-dir", tmp_path / "elsewhere", articles)
    assert (tmp_path / "elsewhere" / caches.FORMAT / RESULTS).is_dir()


def test_a_cache_folder_that_is_a_file_is_a_warning_not_a_failure(articles, capsys, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    code = main(["check", "--cache-dir", str(blocked), str(articles / "clean.md")])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == f"newslint: warning: not using the cache: {blocked} is not a folder\n"
    assert blocked.read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in read-only folders")
def test_an_unwritable_cache_is_a_warning_not_a_failure(articles, capsys, tmp_path):
    blocked = tmp_path / "read-only"
    blocked.mkdir(mode=0o500)
    code = main(["check", "--cache-dir", str(blocked), str(articles / "clean.md")])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == f"newslint: warning: cannot write the cache in {blocked}: Permission denied\n"


def test_files_that_cannot_be_checked_are_not_cached(tmp_path, capsys):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x00\x01")
    assert main(["check", str(binary)]) == 2
    binary.write_text("Fine now.\n")
    assert main(["check", str(binary)]) == 0


def test_old_generations_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(caches, "MAX_GENERATIONS", 2)
    for key in ("a", "b", "c"):
        table = caches.open_cache(tmp_path, ["table"]).table("table", key, lambda path, data: data)
        table.put("x.txt", "hash", [])
        table.save()
        assert caches.open_cache(tmp_path, ["values"]).values("values").put(key, [key])
    assert len(list((tmp_path / caches.FORMAT / "table").iterdir())) == 2
    assert len(list((tmp_path / caches.FORMAT / "values").iterdir())) == 2
    assert caches.open_cache(tmp_path, ["values"]).values("values").get("c") == ["c"]
    assert caches.open_cache(tmp_path, ["values"]).values("values").get("a") is None


def test_a_table_answers_only_for_the_bytes_it_was_given(tmp_path):
    table = caches.open_cache(tmp_path, ["table"]).table("table", "key", lambda path, data: data)
    table.put("x.txt", caches.content_hash(b"old"), ["found"])
    table.save()
    again = caches.open_cache(tmp_path, ["table"]).table("table", "key", lambda path, data: data)
    assert again.get("x.txt") == (caches.content_hash(b"old"), ["found"])
    assert again.get("y.txt") is None
    refusing = caches.open_cache(tmp_path, ["table"]).table("table", "key", lambda path, data: None)
    assert refusing.get("x.txt") is None  # data the caller's decode refuses is a miss
    other = caches.open_cache(tmp_path, ["table"]).table("table", "other key", lambda path, data: data)
    assert other.get("x.txt") is None


def test_cached_rules_skip_parsing_and_equal_parsed_ones(tmp_path, monkeypatch):
    parsed = rule_loading.load_rules([], store=rule_store(tmp_path))

    def fail(*args):
        raise AssertionError("a cached rule file was parsed again")

    monkeypatch.setattr(rule_loading, "_parse", fail)
    cached = rule_loading.load_rules([], store=rule_store(tmp_path))
    assert [(r.name, r.kind, r.check.options, r.message, r.examples) for r in cached] == [
        (r.name, r.kind, r.check.options, r.message, r.examples) for r in parsed
    ]
    # What checks work out from their options comes back from the cache, not worked out again.
    monkeypatch.setattr("newslint.engine.literals.required_literals", fail)
    monkeypatch.setattr("newslint.engine.strategy.narrow", fail)
    cached = rule_loading.load_rules([], store=rule_store(tmp_path))
    assert [engine.derived(r.check) for r in cached] == [engine.derived(r.check) for r in parsed]


def test_damaged_derived_data_is_worked_out_again():
    store = MemoryStore()
    parsed = rule_loading.load_rules([], store=store)
    [data] = store.values()
    for item in data:
        if item["derived"]:
            item["derived"]["literals"] = [[1, "x"]]
    # Stored as the store keeps entries (authentic), as a bug of an earlier version might have.
    again = rule_loading.load_rules([], store=store)
    assert [engine.derived(r.check) for r in again] == [engine.derived(r.check) for r in parsed]


def test_a_changed_config_is_never_answered_from_the_cache(articles, capsys, monkeypatch):
    monkeypatch.chdir(articles)
    config = articles / ".newslint.yaml"
    config.write_text('per-file-ignores:\n  "seed.txt": [site-footer]\n')
    assert "seed.txt:26:1: error site-footer" not in run(capsys, "seed.txt")[1]
    config.write_text('per-file-ignores:\n  "seed.txt": [photo-caption]\n')
    out = run(capsys, "seed.txt")[1]
    assert "seed.txt:26:1: error site-footer" in out and "photo-caption" not in out
    config.write_text("severity:\n  site-footer: warning\n")
    assert "seed.txt:26:1: warning site-footer" in run(capsys, "seed.txt")[1]
