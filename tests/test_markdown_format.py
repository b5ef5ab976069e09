"""--format markdown: a summary for people (a CI job summary, a pull request comment) in which an
article's text and file names stay text: no markup, no HTML, no mention, no link of theirs."""

from __future__ import annotations

import re

import pytest
from helpers import log_problems
from hypothesis import given
from hypothesis import strategies as st

from newslint.cli import main
from newslint.formats import Report, Summary
from newslint.formats.escaping import printable
from newslint.formats.markdown import MAX_BYTES, MAX_TEXT, format_markdown, markdown_text
from newslint.violations import Violation

SHA = "0123456789abcdef0123456789abcdef01234567"
GITHUB = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/news", "GITHUB_SHA": SHA}
ZWSP = "&#8203;"
HOSTILE = (
    "@octocat #12 acme/other#3 GH-4 https://evil.example www.evil.example <img src=x onerror=alert(1)> "
    "<script>alert(1)</script> [click](javascript:alert(1)) ![i](https://evil.example/i.png) **bold** _em_ "
    "`code` | cell | $x^2$ &amp; &#64; \\ \x1b[2J \x07 \n::error::injected ##[set-env name=X;]1"
)


def violation(
    path: str = "a.md", line: int = 1, end_line: int | None = None, rule: str = "site-footer", message: str = "m"
) -> Violation:
    return Violation(path, line, 1, line if end_line is None else end_line, 5, rule, "footer", "error", message)


def markdown(*violations: Violation, environ: dict | None = None, **kwargs) -> str:
    report = Report(list(violations), Summary.of(list(violations), 3, 0))
    return format_markdown(report, environ={} if environ is None else environ, **kwargs)


def unescaped(markdown_line: str) -> str:
    """What a Markdown renderer shows of text markdown_text wrote."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown_line.replace(ZWSP, ""))


def test_counts_per_rule_and_per_file_and_each_problem_with_links_to_its_lines(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    out = markdown(
        violation("./wire/a.md", 3),
        violation("./wire/a.md", 7, 9, rule="duplicate-paragraph"),
        violation("b.md", 2),
        environ={**GITHUB, "GITHUB_WORKSPACE": str(tmp_path)},
    )
    lines = out.splitlines()
    assert lines[0] == "## newslint"
    assert "Found 3 problems in 2 files\\." in lines
    assert "| site\\-footer | error | 2 | 0 |" in lines
    assert "| duplicate\\-paragraph | error | 1 | 0 |" in lines
    blob = f"https://github.com/acme/news/blob/{SHA}/"
    assert f"| [wire\\/a\\.md]({blob}wire/a.md) | 2 |" in lines
    assert f"- [wire\\/a\\.md:7]({blob}wire/a.md#L7-L9) **error** duplicate\\-paragraph: m" in lines
    assert f"- [b\\.md:2]({blob}b.md#L2) **error** site\\-footer: m" in lines


def test_without_github_variables_locations_are_plain_path_and_line():
    out = markdown(violation("./a b.md", 4))
    assert "- a b\\.md:4 **error** site\\-footer: m" in out.splitlines()
    assert "](" not in out


@pytest.mark.parametrize(
    "environ",
    [
        {**GITHUB, "GITHUB_SERVER_URL": "javascript:alert(1)//"},
        {**GITHUB, "GITHUB_REPOSITORY": "acme/news) [x](https://evil.example"},
        {**GITHUB, "GITHUB_SHA": "main"},
    ],
)
def test_github_variables_that_are_not_what_github_sets_give_no_links(environ):
    assert "](" not in markdown(violation(), environ=environ)


def test_a_file_outside_the_repository_is_not_linked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = markdown(violation(str(tmp_path.parent / "x.md")), environ={**GITHUB, "GITHUB_WORKSPACE": str(tmp_path)})
    assert "](" not in out


def test_a_clean_run_is_its_summary_line():
    assert markdown() == "## newslint\n\nNo problems found in 3 files\\.\n"


def test_hostile_names_rules_and_text_stay_text():
    name = f"{HOSTILE}.md"
    out = markdown(violation(name, 1, rule=HOSTILE[:40], message=HOSTILE), environ=GITHUB)
    assert log_problems(out) == []
    for line in out.splitlines():
        # Every line is newslint's own: empty, a heading, a table row, an item or a note.
        assert line == "" or re.match(r"(#{2,3} |\| |- |\d+ more |Found \d+ problem)", line)
    # Link destinations are newslint's own and percent-encoded: no ")", "<" or space ends them early.
    destinations = re.findall(r"\]\((https://github\.com/[^)]*)\)", out)
    assert len(destinations) == 2 and all(re.fullmatch(r"[A-Za-z0-9_.~/%:#-]+", d) for d in destinations)
    ours = re.sub(r"\]\(https://github\.com/[^)]*\)", "]", out)
    for bare in [
        "<img",
        "<script",
        "](javascript",
        "@octocat",
        "#12",
        "https://",
        "www.evil",
        "**bold",
        "`code`",
        "$x",
    ]:
        assert not re.search(r"(?<!\\)" + re.escape(bare), ours), bare
    assert f"\\@{ZWSP}octocat" in out and f"\\#{ZWSP}12" in out and f"https\\:{ZWSP}\\/\\/evil" in out
    # A table row has exactly its own cell separators: the text's "|" are escaped.
    row = next(line for line in out.splitlines() if line.startswith("| ") and "error" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 5


@given(st.text(max_size=400))
def test_markdown_text_shows_exactly_the_printable_text_and_nothing_else(text):
    shown = markdown_text(text)
    assert "\n" not in shown and "\r" not in shown
    # Every ASCII punctuation character is escaped, or part of the zero-width space entity.
    assert re.search(r"(?<!\\)[!-/:-@\[-`{-~]", re.sub(r"\\[!-/:-@\[-`{-~]", "", shown).replace(ZWSP, "")) is None
    expected = printable(text[: MAX_TEXT - 1] + "\u2026" if len(text) > MAX_TEXT else text)
    assert unescaped(shown) == expected


def test_the_summary_fits_githubs_limit_and_says_what_it_left_out():
    long_junk = "x" * 5000  # cut to MAX_TEXT in the summary
    violations = [violation(f"folder/article-{n:05}.md", n % 50 + 1, message=long_junk) for n in range(20000)]
    out = markdown(*violations)
    assert len(out.encode()) <= MAX_BYTES
    shown = sum(1 for line in out.splitlines() if line.startswith("- "))
    assert 0 < shown < 20000
    assert out.splitlines()[-1].startswith(f"{20000 - shown} more problems are not shown")
    assert out.count("more files have problems") == 1  # the table lists the first 100 files


def test_a_smaller_limit_is_kept_too():
    out = markdown(*[violation(message="y" * 200) for _ in range(100)], limit=8192)
    assert len(out.encode()) <= 8192 and "more problems are not shown" in out


def test_the_cli_prints_it(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, value in GITHUB.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    (tmp_path / "story.md").write_text("A story paragraph long enough to be one.\n\nAdvertisement\n")
    assert main(["check", "--no-cache", "--format", "markdown", "."]) == 1
    out = capsys.readouterr().out
    assert f"- [story\\.md:3](https://github.com/acme/news/blob/{SHA}/story.md#L3) **error** advertisement: " in out
