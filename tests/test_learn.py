"""`newslint learn`: a site's boilerplate learned from its articles, written as rule files that
test themselves; shared story text left out; stable output; hostile names and lines safe."""

from __future__ import annotations

import difflib
import json
import os
import random
from pathlib import Path

import pytest

from newslint.cli import main
from newslint.learn import CountSketch, Settings, learn, line_core
from newslint.learn_judge import STORY, SiteResult
from newslint.learn_rules import rule_name
from newslint.learn_sources import Article, folder_articles, site_of
from newslint.rule_examples import run_folder_examples
from newslint.rules import load_rule_file

SUBJECTS = ["The council", "The minister", "Local residents", "The company", "Police", "The union", "Doctors"]
VERBS = ["said on Tuesday that", "warned that", "confirmed that", "argued that", "denied reports that"]
# Made-up content words: each story is about a few of them, as real stories are about their own things.
_SYLLABLES = ["ba", "ker", "lo", "min", "sta", "rou", "vel", "dor", "pe", "quin", "tra", "zel", "mo", "nar"]
TOPIC_WORDS = sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("n", "s", "ton", "ley")})
TAILS = ["", " despite the objections of the opposition", " after months of delay", " in a statement"]


def _sentence(rng: random.Random, topic: list[str]) -> str:
    a, b, c = rng.sample(topic, 3)
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} the {a} of {b} would reach {c}{rng.choice(TAILS)}."


SHARE_ROW = ["Share this article", "Facebook", "Twitter", "Email"]
# Eight footers the built-in rules were not written from, one per article, some of several lines.
FOOTERS = [
    ["Got a story for the Valley Courier? Ring the newsdesk on 01632 960 123"],
    ["Valley Courier: keeping you informed since 1887"],
    ["More from the Valley", "Weather | Traffic | Obituaries"],
    ["This story was first published in the Thursday print edition of the Courier."],
    ["Reporting by our community desk; editing by the valley team"],
    ["Join the conversation: comments are moderated by our editors", "Read our community guidelines"],
    ["Photos: Courier archive & readers' own"],
    ["The Courier is a member of the Independent Press Standards Organisation (IPSO)"],
]
QUOTE = '"We will rebuild the bridge before the winter comes," Mayor Ana Ortiz told reporters.'
EVENT_WORDS = ["Millbrook", "bridge", "collapse", "Ortiz", "engineers", "Kessel", "river", "crossing", "divers"]


def _article(n: int, event: bool, rng: random.Random) -> tuple[str, list[str]]:
    """An article's text and its footer lines: headline, share row, story, footer."""
    lines = [f"Headline number {n} about the valley", *SHARE_ROW]
    topic = rng.sample(TOPIC_WORDS, 10)
    body = [_sentence(rng, topic) for _ in range(rng.randint(6, 10))]
    if event:
        body = [_sentence(rng, EVENT_WORDS) for _ in range(4)] + body
        # Half the event stories carry the quote in the middle, half as their last line.
        body.insert(len(body) // 2, QUOTE) if n % 2 else body.append(QUOTE)
    footer = FOOTERS[n % len(FOOTERS)]
    return "\n".join(lines + body + footer) + "\n", footer


def make_site(folder: Path, count: int = 60, seed: int = 7, start: int = 0) -> dict[str, list[str]]:
    """`count` articles of the site folder's name; the first ten are about one event."""
    folder.mkdir(parents=True, exist_ok=True)
    footers = {}
    for n in range(start, start + count):
        rng = random.Random(seed * 1000 + n)
        text, footer = _article(n, n < 10, rng)
        name = f"article-{n:03d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        footers[name] = footer
    return footers


def _learn(tmp_path: Path, *paths: Path) -> list[SiteResult]:
    return learn(folder_articles([str(p) for p in paths], on_problem=_fail), Settings())


def _fail(problem: object) -> None:
    raise AssertionError(problem)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    make_site(tmp_path / "archive" / "valley-courier")
    return tmp_path / "archive"


def test_finds_every_footer_line_and_no_story_line(archive: Path, tmp_path: Path) -> None:
    (result,) = _learn(tmp_path, archive)
    assert result.site == "valley-courier" and result.articles == 60 and result.threshold == 5
    learned = {line.text for line in result.boilerplate()}
    expected = {line_core(line) for footer in FOOTERS for line in footer} | set(SHARE_ROW)
    assert learned == expected
    story = {line.text for line in result.story()}
    assert line_core(QUOTE) in story  # reported as shared story text, not learned


def test_the_quote_is_story_text_even_as_the_last_line(tmp_path: Path) -> None:
    # Every event story ends with the quote (then the footer): only the cluster evidence tells.
    folder = tmp_path / "archive" / "site"
    make_site(folder)
    for n in range(10):
        path = folder / f"article-{n:03d}.txt"
        lines = [line for line in path.read_text().splitlines() if line != QUOTE]
        footer = FOOTERS[n % len(FOOTERS)]
        path.write_text("\n".join(lines[: -len(footer)] + [QUOTE] + footer) + "\n")
    (result,) = _learn(tmp_path, tmp_path / "archive")
    quote = next(line for line in result.lines if line.text == line_core(QUOTE))
    assert quote.verdict == STORY, quote.reason
    assert "cluster" in quote.reason


def test_written_rules_test_themselves_and_flag_the_footers(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "rules"
    assert main(["learn", str(archive), "--out", str(out)]) == 0
    assert sorted(os.listdir(out)) == ["learned-valley-courier.yaml"]
    tested = run_folder_examples([out])
    assert tested.rules == 1 and not tested.failures and not tested.errors
    assert main(["test-rules", str(out)]) == 0
    report = tmp_path / "report.json"
    code = main(
        ["check", "--rules", str(out), "--select", "learned-valley-courier", "--format", "json", "--no-cache"]
        + ["-o", str(report), str(archive)]
    )
    assert code == 1
    flagged = json.loads(report.read_text())
    problems = flagged["violations"] if isinstance(flagged, dict) else flagged
    per_file: dict[str, int] = {}
    for problem in problems:
        per_file[os.path.basename(problem["path"])] = per_file.get(os.path.basename(problem["path"]), 0) + 1
    for n in range(60):
        assert per_file[f"article-{n:03d}.txt"] == len(SHARE_ROW) + len(FOOTERS[n % len(FOOTERS)])


def test_rule_file_has_counts_and_examples(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "rules"
    main(["learn", str(archive), "--out", str(out)])
    text = (out / "learned-valley-courier.yaml").read_text()
    assert "  # 60 articles, e.g. " in text and "article-000.txt, " in text
    rule = load_rule_file(out / "learned-valley-courier.yaml")
    assert rule.check.options["match"] == "line"
    phrases = rule.check.options["phrases"]
    assert phrases == sorted(phrases, key=lambda p: (p.lower(), p))  # sorted: small diffs on re-runs
    assert [e.expect for e in rule.examples] == [tuple(range(1, len(phrases) + 1)), ()]


def test_output_is_stable_and_a_grown_archive_gives_a_small_diff(tmp_path: Path) -> None:
    site = tmp_path / "archive" / "courier"
    make_site(site, count=60)
    first, again, grown = tmp_path / "first", tmp_path / "again", tmp_path / "grown"
    main(["learn", str(tmp_path / "archive"), "--out", str(first)])
    main(["learn", str(tmp_path / "archive"), "--out", str(again)])
    name = "learned-courier.yaml"
    assert (first / name).read_bytes() == (again / name).read_bytes()
    make_site(site, count=10, start=60)
    main(["learn", str(tmp_path / "archive"), "--out", str(grown)])
    before, after = (first / name).read_text().splitlines(), (grown / name).read_text().splitlines()
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0) if line[:1] in "+-"]
    changed = [line for line in changed if not line.startswith(("+++", "---"))]
    assert changed, "the counts grew"
    # Only counts changed: the header's and the phrases' comments, in place.
    assert all(line[1:].lstrip().startswith("#") for line in changed), changed
    assert len(changed) == 2 * sum(1 for line in before if line.startswith(("  #", "# Learned")))


def test_sketch_never_undercounts() -> None:
    sketch = CountSketch(1 << 4)  # tiny: many collisions
    rng = random.Random(1)
    keys = [rng.getrandbits(96) for _ in range(200)]
    truth: dict[int, int] = {}
    for _ in range(2000):
        key = rng.choice(keys)
        sketch.add(key)
        truth[key] = truth.get(key, 0) + 1
    assert all(sketch.estimate(key) >= count for key, count in truth.items())


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("bbc-fulltext", "learned-bbc-fulltext"),
        ("../../etc", "learned-etc-"),
        ("a/b", "learned-a-b-"),
        ("\x1b[31m\nevil", "learned-31m-evil-"),
        ("..", "learned-"),
    ],
)
def test_site_names_become_safe_rule_names(site: str, expected: str) -> None:
    name = rule_name(site)
    assert name.startswith(expected)
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in name) and name == name.lower()
    assert name != rule_name(site + "x")


def test_site_rule(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert site_of(str(tmp_path / "a" / "b" / "x.txt"), str(tmp_path), 1) == "a"
    assert site_of(str(tmp_path / "a" / "b" / "x.txt"), str(tmp_path), 2) == "a/b"
    assert site_of(str(tmp_path / "a" / "x.txt"), str(tmp_path / "a"), 1) == "a"  # directly in PATH
    assert site_of(str(tmp_path / "a" / "b" / "x.txt"), str(tmp_path), 0) == "b"


HOSTILE_LINES = [
    'Tip us: news@example.com # "quotes" & {match} *star: colon',
    "- [ ] ~~~ `code` !tag &anchor",
    "Süddeutsche — ‹Ω› ✓ \u00a0nbsp",
    "\u202eevil-bidi text",
    "C:\\path\\to\\nowhere %s %(x)s",
]


def test_hostile_lines_and_site_names_are_written_safely(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "archive" / "evil\x1b]0;..\u2028site"
    site.mkdir(parents=True)
    rng = random.Random(3)
    for n in range(8):
        body = [_sentence(rng, TOPIC_WORDS) for _ in range(6)]
        (site / f"{n}.txt").write_text("\n".join(body + HOSTILE_LINES) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["learn", str(tmp_path / "archive"), "--out", str(out)]) == 0
    (written,) = os.listdir(out)
    assert written.startswith("learned-evil-0-site-") and written.endswith(".yaml")
    assert not list(tmp_path.glob("learned-*")) and not list((tmp_path / "archive").glob("learned-*"))
    rule = load_rule_file(out / written)
    # Every hostile line is learned exactly, but the one with a no-break space (which the
    # phrase matcher's spacing does not match: left out, and said so); the bidi override and
    # the site's control characters are never written as they are.
    nbsp = HOSTILE_LINES[2]
    assert set(rule.check.options["phrases"]) == {line_core(line) for line in HOSTILE_LINES if line != nbsp}
    text = (out / written).read_text()
    assert "\u202e" not in text and "\x1b" not in text and "\u2028" not in text
    assert "left out" in capsys.readouterr().err
    assert main(["test-rules", str(out)]) == 0


def test_a_link_in_the_output_folder_is_not_followed(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n")
    (out / "learned-valley-courier.yaml").symlink_to(outside)
    assert main(["learn", str(archive), "--out", str(out)]) == 2
    assert outside.read_text() == "keep me\n"


def test_bad_output_and_flags(archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "file"
    afile.write_text("x")
    assert main(["learn", str(archive), "--out", str(afile)]) == 2
    assert "not a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["learn", str(archive), "--out", str(tmp_path / "o"), "--min-share", "2"])
    assert exit_info.value.code == 2
    assert main(["learn", str(archive), "--out", str(tmp_path / "o"), "--min-articles", "1"]) == 2
    assert "--min-articles" in capsys.readouterr().err
    # A path that is not there: said so, exit 2, and the rest is still learned.
    assert main(["learn", str(tmp_path / "missing"), str(archive), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "no such file or folder" in err and "valley-courier: 60 articles" in err
    assert (tmp_path / "o" / "learned-valley-courier.yaml").is_file()


def test_article_source_can_be_any_iterator(tmp_path: Path) -> None:
    # A dataset plugs in as a function giving (site, name, Document) each time it is called.
    from newslint.document import from_text

    def records() -> object:
        for n in range(6):
            yield Article("example.org", f"ds.jsonl#{n}", from_text(f"Story {n} words here.\nSubscribe now\n"))

    (result,) = learn(records, Settings())  # type: ignore[arg-type]
    assert [line.text for line in result.boilerplate()] == ["Subscribe now"]


def test_report_lists_every_recurring_line_with_its_verdict(archive: Path, tmp_path: Path) -> None:
    report = tmp_path / "learned.jsonl"
    assert main(["learn", str(archive), "--out", str(tmp_path / "o"), "--report", str(report)]) == 0
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    verdicts = {row["text"]: row["verdict"] for row in rows}
    assert verdicts[line_core(QUOTE)] == "story"
    assert verdicts["Share this article"] == "boilerplate"
    assert all(row["site"] == "valley-courier" and len(row["examples"]) == 2 for row in rows)


def test_lines_a_reviewer_kept_out_are_not_written_again(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "rules"
    out.mkdir()
    (out / "not-boilerplate.txt").write_text("# judged story text\n  TWITTER \nMore from the Valley.\n")
    assert main(["learn", str(archive), "--out", str(out)]) == 0
    phrases = load_rule_file(out / "learned-valley-courier.yaml").check.options["phrases"]
    assert "Facebook" in phrases and "Twitter" not in phrases and "More from the Valley" not in phrases
    assert main(["test-rules", str(out)]) == 0  # the text file beside the rules is not a rule
    (out / "not-boilerplate.txt").unlink()
    (out / "not-boilerplate.txt").symlink_to(tmp_path / "elsewhere.txt")
    (tmp_path / "elsewhere.txt").write_text("Facebook\n")
    assert main(["learn", str(archive), "--out", str(out)]) == 2  # a link is refused, not followed
