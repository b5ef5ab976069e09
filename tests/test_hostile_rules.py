"""Bad rule files (and configs and baselines) stop the run with exit code 2 and one line naming
the file, line and column; no rule can hang a run, whatever its YAML or its regular expressions."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newslint import rules
from newslint.cli import main

PATTERN_RULE = textwrap.dedent(
    """\
    check: pattern
    category: other
    message: "Matched {match}"
    doc: {what: A test pattern., why: To test it.}
    patterns: [PATTERN]
    examples:
      - text: "nothing\\n"
        expect: []
    """
)


def pattern_rule(pattern: str) -> str:
    return PATTERN_RULE.replace("PATTERN", f"'{pattern}'")


def run_with_rule(tmp_path: Path, capsys, rule_text: str | bytes, article: str = "Some text.\n"):
    pack = tmp_path / "rules"
    pack.mkdir(exist_ok=True)
    rule_file = pack / "my-rule.yaml"
    if isinstance(rule_text, bytes):
        rule_file.write_bytes(rule_text)
    else:
        rule_file.write_text(rule_text)
    (tmp_path / "a.txt").write_text(article)
    code = main(["check", "--rules", str(pack), str(tmp_path / "a.txt")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines(), rule_file


BILLION_LAUGHS = textwrap.dedent(
    """\
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
    """
)


@pytest.mark.parametrize(
    "rule_text, where, message",
    [
        ("check: phrase\nphrases: [a\n", "3:1", "invalid YAML: did not find expected ',' or ']'"),
        (BILLION_LAUGHS, "1:4", "YAML anchors and aliases are not allowed"),
        (
            "check: phrase\nphrases: " + "[" * 200 + "]" * 200 + "\n",
            "2:42",
            "YAML nested too deeply (more than 32 levels)",
        ),
        (
            "check: phrase\nphrases: " + "[" * 5000 + "]" * 5000 + "\n",
            "2:1009",
            "invalid YAML: exceeded maximum nesting depth",
        ),
        (
            pattern_rule("x").replace("check: pattern", "check: [pattern]"),
            "1:8",
            "unknown check kind ['pattern'] (known: context, cross-article, duplicate, pattern, phrase)",
        ),
        (
            pattern_rule("x").replace("check: pattern", "check: regex"),
            "1:8",
            "unknown check kind 'regex' (known: context, cross-article, duplicate, pattern, phrase)",
        ),
        (pattern_rule("x").replace("category: other", "category: 7"), "2:11", "'category' must be a string, not 7"),
        (
            pattern_rule("x").replace("patterns: ['x']", "patterns: {x: 1}"),
            "5:11",
            "'patterns' must be a list of strings, not {'x': 1}",
        ),
        (
            pattern_rule("x") + "colour: red\n",
            "9:1",
            "unknown key 'colour' (expected one of: category, check, doc, enabled, fix, ignore_case, list_after, max_length, message, min_length, patterns, position, severity, unless)",
        ),
        (
            pattern_rule("x") + "ignore_case: yes please\n",
            "9:14",
            "'ignore_case' must be true or false, not 'yes please'",
        ),
        (
            pattern_rule("(unclosed"),
            "5:11",
            "'patterns': invalid regular expression: missing ): (unclosed in '(unclosed'",
        ),
        (
            pattern_rule(r"(\w+)\1"),
            "5:11",
            "'patterns': invalid regular expression: invalid escape sequence: \\1 in '(\\\\w+)\\\\1'",
        ),
        (
            pattern_rule(r"x\C"),
            "5:11",
            "'patterns': invalid regular expression: \\C (any one byte) may split a character; use . instead in 'x\\\\C'",
        ),
        (
            pattern_rule("x").replace("Matched {match}", "Matched {match:>999999999}"),
            "3:10",
            "message field {match} has a format spec or conversion; write plain {match}",
        ),
        (
            "check: !!python/object/apply:os.system [echo hacked]\n",
            "1:8",
            "unknown check kind ['echo hacked'] (known: context, cross-article, duplicate, pattern, phrase)",
        ),
        (b"check: phrase\nmessage: caf\xe9\n", None, "rule file is not valid UTF-8 (byte 26)"),
    ],
    ids=[
        "invalid-yaml",
        "billion-laughs",
        "deep-nesting",
        "deeper-than-libyaml",
        "kind-not-a-string",
        "unknown-kind",
        "wrong-type",
        "list-expected",
        "unknown-key",
        "not-a-bool",
        "regex-does-not-compile",
        "backreference",
        "any-byte",
        "format-spec",
        "python-tag",
        "not-utf8",
    ],
)
def test_a_bad_rule_file_gets_one_line_naming_where(tmp_path, capsys, rule_text, where, message):
    code, out, err, rule_file = run_with_rule(tmp_path, capsys, rule_text)
    assert code == 2
    assert out == ""
    prefix = f"{rule_file}:{where}" if where else f"{rule_file}"
    assert err == [f"newslint: error: {prefix}: {message}"]


def test_a_50_mb_rule_file_is_refused_unread(tmp_path, capsys):
    pack = tmp_path / "rules"
    pack.mkdir()
    huge = pack / "huge-rule.yaml"
    with huge.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 << 20)
    code = main(["check", "--rules", str(pack), str(huge)])
    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"newslint: error: {huge}: cannot use rule file: file too large (50.0 MB; the limit is 2 MB)"
    ]


def run_pattern_in_subprocess(tmp_path: Path, pattern: str, article: str) -> subprocess.CompletedProcess:
    """Run newslint with one pattern rule in a child process: a pattern that hung would fail
    the test at the timeout instead of hanging the suite."""
    pack = tmp_path / "rules"
    pack.mkdir()
    (pack / "my-rule.yaml").write_text(pattern_rule(pattern))
    (tmp_path / "a.txt").write_text(article)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "newslint",
            "check",
            "--select",
            "my-rule",
            "--rules",
            str(pack),
            str(tmp_path / "a.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_catastrophic_backtracking_pattern_runs_in_linear_time(tmp_path):
    # (a+)+$ takes Python's backtracking `re` about 2**n steps on "aaa...!"; RE2 reads it once.
    result = run_pattern_in_subprocess(tmp_path, "(a+)+$", "a" * 100_000 + "!\n" + "a" * 50 + "\n")
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f'{tmp_path / "a.txt"}:2:1: error my-rule Matched "{"a" * 40} ..."',
        "Found 1 problem in 1 file.",
    ]


def test_a_pattern_that_rereads_its_line_for_every_match_stays_bounded(tmp_path):
    # Each search for `x*y|x` reads to the end of the run of x's before it settles on one x,
    # so a 1 MB line would take a million million steps; a rule reports at most 100 problems
    # on a line, which bounds the work.
    result = run_pattern_in_subprocess(tmp_path, "x*y|x", "x" * 1_000_000 + "\nxx\n")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 100 + 2 + 1
    assert lines[99].startswith(f"{tmp_path / 'a.txt'}:1:100: error my-rule")
    assert lines[100].startswith(f"{tmp_path / 'a.txt'}:2:1: error my-rule")
    assert lines[-1] == "Found 102 problems in 1 file."


def test_a_broken_or_looping_link_in_a_rule_folder_is_named_not_skipped(tmp_path, capsys, fixtures):
    pack = tmp_path / "rules"
    (pack / "sub").mkdir(parents=True)
    (pack / "sub" / "up").symlink_to(pack)  # a folder loop: the walk must still end
    (pack / "loop-a.yaml").symlink_to(pack / "loop-b.yaml")
    (pack / "loop-b.yaml").symlink_to(pack / "loop-a.yaml")
    code = main(["check", "--rules", str(pack), str(fixtures / "clean.md")])
    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"newslint: error: {pack / 'loop-a.yaml'}: cannot read rule file: Too many levels of symbolic links"
    ]


@pytest.mark.parametrize(
    "name, text, flags, message",
    [
        (
            "pyproject.toml",
            "[tool.newslint]\nselect = " + "[" * 5000 + "]" * 5000 + "\n",
            [],
            "invalid TOML: nested too deeply",
        ),
        (
            "baseline.json",
            "[" * 100_000 + "]" * 100_000,
            ["--baseline", "baseline.json"],
            "not a newslint baseline: JSON nested too deeply",
        ),
        (".newslint.yaml", "ignore: &a [x]\nselect: *a\n", [], "YAML anchors and aliases are not allowed"),
    ],
    ids=["deep-toml", "deep-json-baseline", "yaml-alias-config"],
)
def test_a_hostile_config_or_baseline_gets_one_line(tmp_path, capsys, monkeypatch, name, text, flags, message):
    # tomllib and json recurse once per nesting level: deep enough, they hit the recursion limit.
    (tmp_path / name).write_text(text)
    (tmp_path / "a.txt").write_text("Some text.\n")
    monkeypatch.chdir(tmp_path)
    code = main(["check", *flags, "a.txt"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("newslint: error: ") and err[0].endswith(message)


def test_rules_together_are_held_to_a_total_program_size(tmp_path, capsys):
    # Each of these compiles (1.4 million RE2 instructions) within its own budget; 200 of them
    # took minutes and gigabytes. The third crosses the total and stops the run at once.
    pack = tmp_path / "rules"
    pack.mkdir()
    for k in range(200):
        (pack / f"huge-{k:03}.yaml").write_text(pattern_rule(r"\pL{1,1000}\pN{1,1000}"))
    article = tmp_path / "a.txt"
    article.write_text("Some text.\n")
    assert main(["check", "--no-cache", "--rules", str(pack), str(article)]) == 2
    err = capsys.readouterr().err
    assert f"{pack / 'huge-002.yaml'}: the rules loaded so far compile to" in err
    assert "over the limit of 4,000,000 for all rules together" in err


@pytest.mark.parametrize(("value", "shown"), [(".nan", "nan"), (".inf", "inf"), ("-.inf", "-inf")])
def test_a_number_option_must_be_finite(tmp_path, capsys, value, shown):
    rule = textwrap.dedent(
        f"""\
        check: duplicate
        category: duplicate
        message: "{{repeat}}"
        doc: {{what: Repeats., why: Twice.}}
        events: {{min_share: {value}}}
        examples: [{{text: "a\\n", expect: []}}]
        """
    )
    code, _, err, rule_file = run_with_rule(tmp_path, capsys, rule)
    assert code == 2
    assert err == [f"newslint: error: {rule_file}:5:21: 'min_share' must be a finite number, not {shown}"]


def test_a_config_glob_cannot_backtrack_on_a_long_name(tmp_path, capsys, monkeypatch):
    # `*a*a*a*a*a*b` against a long name of a's ran for minutes on Python's backtracking re.
    monkeypatch.chdir(tmp_path)
    glob = "*a*a*a*a*a*a*a*a*a*a*b"
    (tmp_path / ".newslint.yaml").write_text(f"exclude: ['{glob}']\nper-file-ignores:\n  '{glob}': [advertisement]\n")
    (tmp_path / ("a" * 200 + ".txt")).write_text("Advertisement\n")
    assert main(["check", "."]) == 1
    assert "advertisement" in capsys.readouterr().out


def test_globs_match_names_with_newlines_and_bytes_that_are_not_utf8(tmp_path):
    from newslint.globs import GlobSet

    assert GlobSet(["*.md"]).match("a\nb.md")
    assert GlobSet(["drafts/*"]).match("drafts/x\udcff.md")
    assert GlobSet(["x?.md"]).match("x\udcff.md") and not GlobSet(["x?.md"]).match("x\udcff\udcfe.md")
    assert not GlobSet(["*.md"]).match("a\nb.txt")


def _special_files(tmp_path: Path) -> dict[str, str]:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    return {"a named pipe": str(fifo), "/dev/zero": "/dev/zero"}


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="needs POSIX FIFOs")
@pytest.mark.parametrize("kind", ["a named pipe", "/dev/zero"])
@pytest.mark.parametrize("role", ["baseline", "config", "rule"])
def test_a_pipe_or_device_is_refused_without_waiting_or_reading_on(tmp_path, kind, role):
    # Run in a child with a timeout: the old code blocked forever on a FIFO and read /dev/zero
    # until memory ran out.
    special = _special_files(tmp_path)[kind]
    article = tmp_path / "a.txt"
    article.write_text("Some text.\n")
    if role == "baseline":
        args = ["--baseline", special]
    elif role == "config":
        args = ["--config", special]
    else:
        pack = tmp_path / "rules"
        pack.mkdir()
        os.symlink(special, pack / "odd.yaml")
        args = ["--rules", str(pack)]
    result = subprocess.run(
        [sys.executable, "-m", "newslint", "check", "--no-cache", *args, str(article)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "not a regular file" in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_rule_folder_nested_deeply_loads(tmp_path, capsys):
    pack = tmp_path / "rules"
    pack.mkdir()
    deep = pack
    for _ in range(1_200):  # Path.rglob recursed once per level
        deep = deep / "d"
        deep.mkdir()
    (deep / "deep-rule.yaml").write_text(pattern_rule("^Deep$"))
    article = tmp_path / "a.txt"
    article.write_text("Deep\n")
    try:
        assert main(["check", "--no-cache", "--rules", str(pack), "--select", "deep-rule", str(article)]) == 1
        assert "deep-rule" in capsys.readouterr().out
    finally:  # removed bottom up here: pytest's own clean-up recurses once per level
        (deep / "deep-rule.yaml").unlink()
        while deep != pack:
            deep.rmdir()
            deep = deep.parent


def test_a_rule_folder_removed_during_the_walk_is_passed_over(tmp_path, monkeypatch):
    pack = tmp_path / "rules"
    (pack / "kept").mkdir(parents=True)
    (pack / "gone").mkdir()
    (pack / "kept" / "kept-rule.yaml").write_text(pattern_rule("^x$"))
    (pack / "gone" / "gone-rule.yaml").write_text(pattern_rule("^y$"))
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "gone":  # another process removes it just before it is listed
            (pack / "gone" / "gone-rule.yaml").unlink()
            (pack / "gone").rmdir()
        return real_scandir(path)

    monkeypatch.setattr(rules.os, "scandir", scandir)
    assert rules.rule_files(pack) == [pack / "kept" / "kept-rule.yaml"]


@pytest.mark.parametrize(
    ("config", "where"),
    [
        ("rules: [../outside-rules]\n", ":1:9:"),
        ("rules: [fine, /etc]\n", ":1:15:"),
        ("rules: [linked]\n", ":1:9:"),
        ("baseline: ../outside/known.json\n", ":1:11:"),
    ],
)
def test_a_config_names_no_path_outside_its_folder(tmp_path, capsys, monkeypatch, config, where):
    repo = tmp_path / "repo"
    (repo / "fine").mkdir(parents=True)
    (tmp_path / "outside-rules").mkdir()
    os.symlink(tmp_path / "outside-rules", repo / "linked")
    (repo / ".newslint.yaml").write_text(config)
    (repo / "a.txt").write_text("Some text.\n")
    monkeypatch.chdir(repo)
    assert main(["check", "--update-baseline", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert f".newslint.yaml{where}" in err and "a config may name only paths inside its folder" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside-rules", "repo"]
