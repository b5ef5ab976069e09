"""A rule run as several programs finds exactly what its single program finds (the reference
engine's)."""

from hypothesis import given
from hypothesis import strategies as st

from newslint import document
from newslint.engine import alternation, compile_re2
from newslint.engine.reference import ReferenceLineMatcher
from newslint.engine.scan import encoded
from newslint.engine.spans import merged_spans

# Small patterns over a small alphabet, so that they overlap, tie, nest and match empty.
_ATOMS = ["a", "b", "ab", "a*", "b?", "[ab]", ".", "^a", "a$", "^", "$", r"\b", "(?:a|ab)", "(?:ab|a)", "x*"]
_PATTERNS = st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=3).map("".join)


@given(
    st.lists(_PATTERNS, min_size=2, max_size=5),
    st.integers(1, 4),
    st.text(alphabet="ab \nxé", max_size=30),
)
def test_programs_of_consecutive_patterns_find_what_their_alternation_finds(patterns, cut, text):
    cut = min(cut, len(patterns) - 1)
    groups = [patterns[:cut], patterns[cut:]]
    union = compile_re2(f"(?m){alternation(patterns)}", ignore_case=False)
    programs = [compile_re2(f"(?m){alternation(group)}", ignore_case=False) for group in groups]
    for subject in (text, text.encode("utf-8")):
        assert list(merged_spans(programs, subject)) == [m.span() for m in union.finditer(subject)], (
            patterns,
            cut,
            subject,
        )


def test_photo_caption_runs_as_two_programs_and_finds_the_same(builtin_rules):
    rule = next(r for r in builtin_rules if r.name == "photo-caption")
    matcher = rule.check.matcher
    assert matcher.strategy.groups is not None and len(matcher.strategy.groups) == 2
    reference = ReferenceLineMatcher(matcher.patterns)
    texts = [example.text for r in builtin_rules for example in r.examples]
    for text in texts:
        doc = document.from_text(text)
        data = encoded(doc).data
        assert list(merged_spans(matcher.programs(False), data)) == [m.span() for m in reference.regex.finditer(data)]
        assert list(matcher.document_spans(doc)) == list(reference.document_spans(doc))


RULE = r"""
check: pattern
category: other
message: "Junk: {match}"
doc:
  what: test
  why: test
patterns:
  - '^Read more: .*$'
  - '^\p{Lu}\pL+ \p{Lu}\pL+ / \p{Lu}\pL+$'
  - '\bclick here\b'
examples:
  - text: "Read more: the rest"
    expect: [1]
"""


def test_a_split_rule_compiles_only_the_programs_a_document_needs(monkeypatch):
    import newslint.engine.strategy as strategy
    from newslint.linter import lint
    from newslint.rules import parse_rule

    whole = parse_rule(RULE, "t.yaml", "split-test")
    assert whole.check.matcher.strategy.groups is None  # worked out on first use: here, with the real SPLIT_SIZE
    monkeypatch.setattr(strategy, "SPLIT_SIZE", 1)
    monkeypatch.setattr(strategy, "GROUP_SIZE", 1)
    split = parse_rule(RULE, "t.yaml", "split-test")
    assert split.check.matcher.strategy.groups == [1, 1, 1]
    monkeypatch.setenv("NEWSLINT_ENGINE", "reference")
    reference = parse_rule(RULE, "t.yaml", "split-test")
    text = "Read more: the rest\nJane Doe / Reuters\nPlease click here now.\nÉlise Roy / Éditions\n"
    doc = document.from_text(text)
    assert encoded(doc).common
    assert lint(doc, [split]) == lint(doc, [whole]) == lint(doc, [reference]) and len(lint(doc, [whole])) == 4
    # On common text only the narrowed programs ran: no full program with \\pL was compiled,
    # only those that narrowing leaves as they are.
    assert set(split.check.matcher._full_by_group or {}) <= {0, 2}
