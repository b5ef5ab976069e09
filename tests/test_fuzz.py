"""Property-based tests: random text, bytes, rule files, configs and baselines thrown at the
document model, the loaders and the checks. They must never crash (only the defined error
types), report positions inside the file, give the same output twice, and find the same
problems whatever the line endings.

The normal run keeps to a few seconds; HYPOTHESIS_PROFILE=deep runs many more examples
(see conftest.py)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from newslint import document
from newslint.baseline import Baseline
from newslint.config import load_config
from newslint.errors import NewslintError, RuleError
from newslint.filters import Plan, find_problems
from newslint.linter import lint
from newslint.rules import load_rules, parse_rule
from newslint.violations import Span

BUILTIN_RULES = load_rules([])
SEED_LINES = (Path(__file__).parent / "fixtures" / "seed.txt").read_text().splitlines()

# Lines that set the built-in rules off, so the properties are tested on real findings too.
JUNK_LINES = [
    "Advertisement",
    "**ADVERTISEMENT**",
    "London:",
    "File photo of UK police.",
    "FILE - In this Aug. 11, 2015 file photo, the actress attends a premiere.",
    "The president speaks. (AP Photo/Evan Vucci)",
    "Track Latest News Live on NDTV.com and get news updates from India and around the world",
    "```",
    "---",
    "# A heading",
    "- a list item",
    "",
    "   ",
]

# Text within a line: anything but line breaks (and surrogates, which UTF-8 cannot hold).
line_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=120)
lines = st.lists(st.one_of(st.sampled_from(SEED_LINES + JUNK_LINES), line_text), max_size=30)
endings = st.sampled_from(["\n", "\r\n", "\r"])


def assert_span_inside(doc: document.Document, span: Span) -> None:
    assert 1 <= span.line <= span.end_line <= len(doc.lines)
    assert 1 <= span.column <= len(doc.line(span.line).text) + 1
    assert 1 <= span.end_column <= len(doc.line(span.end_line).text) + 1
    if span.line == span.end_line:
        assert span.end_column >= span.column


def assert_violations_inside(doc: document.Document, violations) -> None:
    for v in violations:
        assert_span_inside(doc, Span(v.line, v.column, v.end_line, v.end_column))
        for related in v.related:
            assert_span_inside(doc, related)
        if v.fix is not None:
            assert 0 <= v.fix.start <= v.fix.end <= len(doc.text)
        assert "\n" not in v.message and "\r" not in v.message


def positions(violations) -> list[tuple]:
    return [(v.line, v.column, v.end_line, v.end_column, v.rule, v.message, v.related) for v in violations]


# Bytes that are mostly text, with the troublemakers mixed in.
article_bytes = st.lists(
    st.one_of(
        st.sampled_from(
            [b"\n", b"\r\n", b"\r", b"\xef\xbb\xbf", b"\x00", b"\xff", b"\xc3", b"\xe2\x80", b"---\n", b"```\n"]
        ),
        line_text.map(lambda s: s.encode("utf-8")),
        st.binary(max_size=20),
    ),
    max_size=40,
).map(b"".join)


@given(article_bytes)
def test_any_bytes_give_a_document_or_a_decode_error(data):
    try:
        doc = document.from_bytes(data, "fuzz.txt")
    except document.DecodeError as error:
        assert 0 <= error.offset < len(data)
        if error.line is not None:
            assert 1 <= error.line <= data.count(b"\n") + data.count(b"\r") + 1
            assert error.column >= 1
        return
    # The lines are the text, cut at its line endings, with exact offsets.
    assert "".join(line.text + line.ending for line in doc.lines) == doc.text
    offset = 0
    for number, line in enumerate(doc.lines, 1):
        assert (line.number, line.offset) == (number, offset)
        assert "\n" not in line.text and "\r" not in line.text
        offset += len(line.text) + len(line.ending)
    # Paragraphs are in order, do not overlap, and hold checked, non-blank lines.
    previous_last = 0
    for index, paragraph in enumerate(doc.paragraphs):
        assert paragraph.index == index
        assert previous_last < paragraph.first_line <= paragraph.last_line <= len(doc.lines)
        previous_last = paragraph.last_line
    # Every offset in the scan text maps back to its line and column.
    for number, line in enumerate(doc.lines, 1):
        start = sum(len(ln.text) + 1 for ln in doc.lines[: number - 1])
        assert doc.locate(start + len(line.text)) == (number, len(line.text) + 1)


@given(lines, endings)
def test_builtin_rules_report_positions_inside_the_file_deterministically(article_lines, ending):
    text = ending.join(article_lines)
    doc = document.from_text(text, "fuzz.txt")
    violations = lint(doc, BUILTIN_RULES)
    assert_violations_inside(doc, violations)
    assert violations == lint(document.from_text(text, "fuzz.txt"), BUILTIN_RULES)


@given(lines, st.booleans())
def test_line_endings_do_not_change_the_problems(article_lines, final_newline):
    found = []
    for ending in ("\n", "\r\n", "\r"):
        text = ending.join(article_lines) + (ending if final_newline else "")
        found.append(positions(lint(document.from_text(text, "fuzz.txt"), BUILTIN_RULES)))
    assert found[0] == found[1] == found[2]


# Rule files: a kind's own keys with values that are mostly valid and sometimes anything at all,
# so that both the loader's refusals and the loaded rules' checks get exercised.
regex_text = st.text(st.sampled_from(list("ab x.*+?()[]|^$\\{}0123,-:!=<wsdSWDbBpLN")), max_size=25)
any_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 200), st.floats(allow_nan=False), line_text),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(line_text, children, max_size=3)),
    max_leaves=6,
)
COMMON_VALUES = {
    "category": st.sampled_from(["footer", "other", "duplicate"]),
    "severity": st.sampled_from(["error", "warning", "info"]),
    "message": st.sampled_from(
        ["{match}", "Junk: {match}", "{repeat} ({similarity}%)", "{", "{x}", "{match!r}", "100%"]
    ),
    "doc": st.just({"what": "Junk.", "why": "Noise."}),
    "fix": st.sampled_from(["none", "delete", "delete-unsafe"]),
    "enabled": st.booleans(),
    "examples": st.just([{"text": "x\n", "expect": []}]),
}
LINE_MATCH_VALUES = {
    "position": st.fixed_dictionaries({}, optional={"first": st.integers(0, 5), "last": st.integers(0, 5)}),
    "max_length": st.integers(0, 200),
    "min_length": st.integers(0, 200),
    "ignore_case": st.booleans(),
    "unless": st.lists(regex_text, min_size=1, max_size=2),
}
KIND_VALUES = {
    "phrase": {
        "phrases": st.lists(st.one_of(st.sampled_from(JUNK_LINES), line_text), min_size=1, max_size=4),
        "match": st.sampled_from(["line", "start", "end", "contains"]),
        **LINE_MATCH_VALUES,
    },
    "pattern": {"patterns": st.lists(regex_text, min_size=1, max_size=3), **LINE_MATCH_VALUES},
    "duplicate": {
        "unit": st.sampled_from(["paragraph", "line"]),
        "min_length": st.integers(0, 100),
        "threshold": st.integers(40, 110),
        "containment": st.booleans(),
        "ignore_patterns": st.lists(regex_text, min_size=1, max_size=2),
    },
}


def now_and_then(draw) -> bool:
    """True once in about twenty draws (a middle value: Hypothesis favours the ends of a range)."""
    return draw(st.integers(0, 19)) == 10


@st.composite
def rule_files(draw) -> str:
    kind = draw(st.sampled_from(sorted(KIND_VALUES)))
    strategies = {**COMMON_VALUES, **KIND_VALUES[kind]}
    required = {"category", "message", "doc", "examples", *([] if kind == "duplicate" else [f"{kind}s"])}
    optional = draw(st.sets(st.sampled_from(sorted(set(strategies) - required))))
    # Half the files are valid but for chance; in the other half one key holds anything at all.
    keys = sorted(required | optional)
    wrong = draw(st.sampled_from(["check", *keys])) if draw(st.booleans()) else None
    data = {"check": draw(any_value) if wrong == "check" else kind}
    for key in keys:
        if key in required and now_and_then(draw):
            continue  # a required key left out
        data[key] = draw(any_value) if key == wrong else draw(strategies[key])
    if now_and_then(draw):
        data[draw(line_text)] = draw(any_value)  # an unknown key
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@given(rule_files(), lines)
def test_any_rule_file_loads_or_is_refused_and_loaded_rules_behave(rule_text, article_lines):
    try:
        rule = parse_rule(rule_text, "fuzz-rule.yaml", "fuzz-rule")
    except RuleError as error:
        assert error.path == "fuzz-rule.yaml"
        assert "\n" not in str(error)
        return
    doc = document.from_text("\n".join(article_lines), "fuzz.txt")
    violations = lint(doc, [rule])
    assert_violations_inside(doc, violations)
    assert violations == lint(doc, [rule])


@given(st.text(max_size=300))
def test_any_text_as_a_rule_file_loads_or_is_refused(rule_text):
    try:
        parse_rule(rule_text, "fuzz-rule.yaml", "fuzz-rule")
    except RuleError as error:
        assert error.path == "fuzz-rule.yaml"


# Configs and baselines: the keys of .newslint.yaml with values that are mostly plausible.
RULE_NAMES = sorted(rule.name for rule in BUILTIN_RULES) + ["unused-suppression", "no-such-rule"]
glob_text = st.text(st.sampled_from(list("ab*?/.[]!-_ ")), max_size=12)
CONFIG_VALUES = {
    "select": st.lists(st.sampled_from(RULE_NAMES), max_size=3),
    "ignore": st.lists(st.sampled_from(RULE_NAMES), max_size=3),
    "include": st.lists(glob_text, max_size=3),
    "exclude": st.lists(glob_text, max_size=3),
    "per-file-ignores": st.dictionaries(glob_text, st.lists(st.sampled_from(RULE_NAMES), max_size=2), max_size=2),
    "severity": st.dictionaries(
        st.sampled_from(RULE_NAMES), st.sampled_from(["error", "warning", "info", "fatal"]), max_size=2
    ),
    "fail-on": st.sampled_from(["error", "warning", "info", "never"]),
}


@st.composite
def config_files(draw) -> str:
    keys = draw(st.sets(st.sampled_from(sorted(CONFIG_VALUES))))
    wrong = draw(st.sampled_from(sorted(keys))) if keys and draw(st.booleans()) else None
    data = {key: draw(any_value) if key == wrong else draw(CONFIG_VALUES[key]) for key in sorted(keys)}
    if now_and_then(draw):
        data[draw(line_text)] = draw(any_value)  # an unknown key
    return yaml.safe_dump(data, allow_unicode=True)


@given(config_files(), lines)
def test_any_config_loads_or_is_refused_and_its_plan_runs(config_text, article_lines):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, ".newslint.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(config_text)
        try:
            plan = Plan.of(load_config(path), BUILTIN_RULES)
        except NewslintError as error:
            assert "\n" not in str(error)
            return
        doc = document.from_text("\n".join(article_lines), os.path.join(folder, "wire", "a.txt"))
        violations = find_problems(plan)(doc)
        assert_violations_inside(doc, violations)
        assert all(v.rule in plan.known_rules for v in violations)


@given(st.one_of(any_value, st.fixed_dictionaries({"version": st.just(1), "entries": any_value})))
def test_any_json_as_a_baseline_loads_or_is_refused(data):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "baseline.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        try:
            Baseline.load(path)
        except NewslintError as error:
            assert error.path == path
