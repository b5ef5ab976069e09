"""Anchored programs: a rule's alternatives that open with `^` are matched from the start of each
line the screen picks out, never searched for (a search runs the program backwards from each
match's end, which bounded repetitions of large classes make slow on text outside Latin-1), and
they find what the reference engine's search of the whole text finds."""

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint import document
from newslint.engine import compile_re2
from newslint.engine.re2syntax import starts_at_line_start
from newslint.engine.reference import ReferenceLineMatcher
from newslint.engine.repertoire import is_common
from newslint.engine.scan import encoded
from newslint.rules import load_rules, parse_rule


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [
        ("^a", True),
        (r"\Aa", True),
        ("(?m)^a|^b", True),
        ("(?m)^a|b", False),
        ("(?m)(?:^a)|(?:^b|^c)", True),
        ("(?m)(?:^a)|(?:^b|c)", False),
        ("(?i)(?m)^x", True),
        ("(?i:^a)", True),
        ("(^a)|(?P<name>^b)", True),
        ("^(a|b)c|^(d)", True),
        ("^(a|b)|c", False),
        ("(?:^a)?b", False),  # the anchored group may match nothing
        ("(?:^a)*", False),
        ("(?:^a){0,2}", False),
        ("(?:^a){1,2}", True),
        ("(?:^a)??", False),
        ("a^", False),
        ("[^a]", False),  # a negated class, not an anchor
        (r"\^a", False),
        (r"\Q^a\E", False),
        ("", False),
        ("(?:)^a", False),  # unsure: False
    ],
)
def test_which_patterns_start_at_a_line_start(pattern, anchored):
    assert starts_at_line_start(pattern) == anchored


_ATOMS = ["^", "a", "b", "a*", "b?", ".", r"\b", "$", "(?:^a|b)", "(?:^b)", "(?:^a)?", "(?i)", "(a|^b)", "[^a]"]
_PIECES = st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=4).map("".join)
# Two in three open with an anchor, so that many are anchored.
_PATTERNS = st.one_of(_PIECES, _PIECES.map("^{}".format), _PIECES.map("(?:^{})+".format))
_TEXT = st.text(alphabet="ab \nxé", max_size=30)


@settings(max_examples=400)
@given(st.lists(_PATTERNS, min_size=1, max_size=3).map("|".join), _TEXT)
def test_an_anchored_pattern_matches_only_at_line_starts(pattern, text):
    if not starts_at_line_start(pattern):
        return
    data = text.encode("utf-8")
    for match in compile_re2(f"(?m){pattern}", ignore_case=False).finditer(data):
        assert match.start() == 0 or data[match.start() - 1 : match.start()] == b"\n", (pattern, text)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True  # the rule loader refuses YAML aliases


def _rule(patterns: list[str]):
    data = {
        "check": "pattern",
        "category": "other",
        "message": "m",
        "doc": {"what": "t", "why": "t"},
        "patterns": patterns,
        "examples": [{"text": "", "expect": []}],
    }
    return parse_rule(yaml.dump(data, Dumper=_NoAliases), "t.yaml", "t")


@settings(max_examples=300)
@given(st.lists(_PATTERNS, min_size=2, max_size=5), _TEXT)
def test_a_line_searched_by_the_alternatives_its_screens_pick_finds_what_their_alternation_finds(patterns, text):
    """Each alternative alone, matched from the line's start if anchored, and only those whose
    screen matches the line: the spans of the whole rule's program on that line."""
    matcher = _rule(patterns).check.matcher
    reference = ReferenceLineMatcher(matcher.patterns).regex
    data = text.encode("utf-8")
    start = 0
    for line in data.split(b"\n"):
        end = start + len(line)
        expected = [m.span() for m in reference.finditer(data, start, end)]
        for common in (False, True) if is_common(line.decode("utf-8")) else (False,):
            assert list(matcher._alternatives_spans(data, start, end, common)) == expected, (patterns, text)
        start = end + 1


def test_builtin_rules_are_anchored_but_for_four_alternatives(builtin_rules):
    floating = set()
    for rule in builtin_rules:
        if rule.check.matcher is not None:
            anchored = rule.check.matcher.strategy.anchored_alternatives
            floating.update({(rule.name, k) for k, flag in enumerate(anchored) if not flag})
    assert floating == {
        ("follow-contact-trailer", 4),
        ("image-caption-label", 1),
        ("related-link", 3),
        ("video-player-chrome", 0),
    }


class _Recorder:
    """A program that records whether it was matched or searched."""

    def __init__(self, program, calls):
        self.program, self.calls = program, calls

    def match(self, *args):
        self.calls.append("match")
        return self.program.match(*args)

    def search(self, *args):
        self.calls.append("search")
        return self.program.search(*args)

    def finditer(self, *args):
        self.calls.append("search")
        return self.program.finditer(*args)


def test_a_caption_rule_on_lines_outside_latin1_matches_from_line_starts_and_never_searches():
    """Lines of Cyrillic ending in a credit took photo-caption 4 ms each (22 s a megabyte): each
    search ran its large program backwards from the match's end. Now each line is matched forwards
    from its start, and the findings are those of a search of the whole text."""
    rule = next(r for r in load_rules([]) if r.name == "photo-caption")
    text = "".join(
        f"Жители города собрались на площади номер {k} в воскресенье. Credit: Иван Петров\n" for k in range(50)
    )
    doc = document.from_text(text)
    assert not encoded(doc).common
    matcher = rule.check.matcher
    whole = list(ReferenceLineMatcher(matcher.patterns).document_spans(doc))
    calls: list[str] = []
    alone = matcher._alternative_program
    matcher._alternative_program = lambda index, common: _Recorder(alone(index, common), calls)
    assert list(matcher.document_spans(doc)) == whole and len(whole) == 50
    assert calls and set(calls) == {"match"}
    assert [f.span.line for f in rule.findings(doc)] == list(range(1, 51))


RULE = r"""
check: pattern
category: other
message: "Junk: {match}"
doc:
  what: test
  why: test
patterns:
  - '^Read more: .*$'
  - '\bclick here\b'
  - '^\p{Lu}\pL+ / \p{Lu}\pL+$'
examples:
  - text: "Read more: the rest"
    expect: [1]
"""


def test_a_rule_of_both_kinds_finds_what_its_program_finds():
    rule = parse_rule(RULE, "t.yaml", "mixed")
    matcher = rule.check.matcher
    assert matcher.strategy.anchored_alternatives == [True, False, True]
    text = "Read more: the rest, click here\nPlease click here or click here.\nÉlise / Éditions\nЖан / Пол\n" * 40
    doc = document.from_text(text)
    whole = list(ReferenceLineMatcher(matcher.patterns).document_spans(doc))
    assert list(matcher.document_spans(doc)) == whole
    assert len(list(rule.findings(doc))) == len(whole) == 40 * 5


def test_a_rule_that_built_its_set_still_pickles_for_spawned_workers():
    import pickle

    rule = next(r for r in load_rules([]) if r.name == "photo-caption")
    doc = document.from_text("The story.\nA man walks by in Athens, Monday, Jan. 5, 2015. (AP Photo/John Doe)\n")
    found = list(rule.findings(doc))
    assert rule.check.matcher._alternative_set not in (None, False) and len(found) == 1
    assert list(pickle.loads(pickle.dumps(rule)).findings(doc)) == found
