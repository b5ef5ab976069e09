"""required_literals: every match of a pattern contains one of its literals (never a false no)."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newslint import document
from newslint.engine import compile_re2
from newslint.engine.gate import ScreenGate
from newslint.engine.literals import required_literals
from newslint.linter import lint

FIXTURES = Path(__file__).parent / "fixtures"


def holds(literals, text: str) -> bool:
    """Whether `text` contains one of `literals`, matched by RE2 (caseless ones as `(?i:...)`)."""
    if literals is None:
        return True
    return any(compile_re2(_escaped(lit), ignore_case=lit[1]).search(text) for lit in literals)


def _escaped(literal):
    import re2

    return re2.escape(literal[0])


@pytest.mark.parametrize(
    ("pattern", "ignore_case", "expected"),
    [
        (r"^\W*Advertisement\W*$", False, {("Advertisement", False)}),
        (r"(?m)^(?:Share|Tweet)\s+this$", True, {("Share", True), ("Tweet", True)}),
        (r"\((?:AP|AFP) Photo/", False, {("(AP Photo/", False), ("(AFP Photo/", False)}),
        (r"(?i:file) photo", False, {("file photo", True)}),
        (r"^.{20,}$", False, None),
        (r"^\pL+ \d{4}$", False, {(" ", False)}),
        (r"(?:Read more)?\s*Opinion", False, {("Opinion", False)}),
        (r"x?", False, None),
        (r"abc|.*", False, None),
        (r"[[:alpha:]]+:", False, {(":", False)}),  # a POSIX class: some letters, unknown
        (r"a(?i)b", False, {("ab", True)}),  # a flag in the middle: for the rest of the group
        (r"(?:a(?i)b|c)d", False, {("abd", True), ("cd", True)}),  # ... its other branches too
        (r"(?i)a(?-i:B)", False, {("aB", True)}),
        (r"x{,3}y", False, {("x{,3}y", False)}),  # RE2 reads `{,3}` as text
        (r"\x41\x{42}[\x43]", False, {("ABC", False)}),
        (r"[a-c]x|[^a]y", False, {("ax", False), ("bx", False), ("cx", False), ("y", False)}),  # [^a]: unknown
        (r"\Qa.b\E", False, None),  # quoted: not read
        (r"a\Cb", False, None),  # any byte
        (r"\1a", False, None),  # an escape the parser does not read
    ],
)
def test_literals_of_patterns(pattern, ignore_case, expected):
    found = required_literals(pattern, ignore_case)
    assert (None if found is None else set(found)) == expected


# A small regex grammar, drawn together with a text that the regex matches: the literals must
# then occur in the text. Each node is (pattern, strategy of texts it matches).
_CHARS = "abcAB .-/(é"


def _literal():
    return st.sampled_from(_CHARS).map(lambda c: (_escape(c), st.just(c)))


def _escape(char: str) -> str:
    return "\\" + char if char in ".-/()" else char


def _class():
    return st.lists(st.sampled_from("abAB.é"), min_size=1, max_size=4, unique=True).map(
        lambda chars: ("[" + "".join(_escape(c) for c in chars) + "]", st.sampled_from(chars))
    )


# Other spellings of characters and classes, each with texts it matches.
_SPELLED = [
    (r"\x41", "A"),
    (r"\x{e9}", "é"),
    (r"\x{42}", "B"),
    (r"\.", "."),
    (r"\ ", " "),
    (r"\-", "-"),
    ("[a-c]", "abc"),
    ("[b-bA]", "bA"),
    (r"[\x{41}-\x{43}]", "ABC"),
    ("[]a]", "]a"),
    ("[a-]", "a-"),
    (r"\d", "0123456789"),
    (r"\pL", "abé"),
    (r"[[:alpha:]]", "aB"),
    (r"[\pL-]", "a-"),
    ("[^a]", "b.é"),
    (r"\s", " "),
    ("x{,2}", ["x{,2}"]),
]


def _spelled():
    return st.sampled_from(_SPELLED).map(lambda item: (item[0], st.sampled_from(list(item[1]))))


def _extend(children):
    def sequence(parts):
        return "".join(p for p, _ in parts), st.tuples(*(t for _, t in parts)).map("".join)

    def alternation(parts):
        return "(?:" + "|".join(p for p, _ in parts) + ")", st.one_of(*(t for _, t in parts))

    def repeat(args):
        (pattern, texts), low, extra = args
        high = low + extra
        return f"(?:{pattern}){{{low},{high}}}", st.integers(low, high).flatmap(
            lambda n: st.lists(texts, min_size=n, max_size=n).map("".join)
        )

    def caseless(part):
        pattern, texts = part
        return f"(?i:{pattern})", texts.map(swapcase)

    def flagged(parts):
        # (?i) in the middle of a group: case is folded from there to the group's end.
        (before, before_texts), (after, after_texts) = parts
        return f"(?:{before}(?i){after})", st.tuples(before_texts, after_texts.map(swapcase)).map("".join)

    return st.one_of(
        st.lists(children, min_size=1, max_size=4).map(sequence),
        st.lists(children, min_size=1, max_size=3).map(alternation),
        st.tuples(children, st.integers(0, 2), st.integers(0, 2)).map(repeat),
        children.map(caseless),
        st.tuples(children, children).map(flagged),
        children.map(lambda part: (f"(?:{part[0]}).", part[1].map(lambda t: t + "z"))),
    )


def swapcase(text: str) -> str:
    return "".join(c.swapcase() if c.isascii() else c for c in text)


_REGEXES = st.recursive(st.one_of(_literal(), _class(), _spelled()), _extend, max_leaves=12)


@given(st.data())
def test_every_match_contains_a_literal(data):
    pattern, texts = data.draw(_REGEXES)
    text = data.draw(texts)
    regex = compile_re2(pattern, ignore_case=False)
    assert regex.search(text) is not None, (pattern, text)  # the drawn text does match
    assert holds(required_literals(pattern), "<" + text + ">"), (pattern, text, required_literals(pattern))


def test_every_finding_of_a_builtin_rule_contains_its_literals(builtin_rules):
    """On the fixtures and every rule's own examples, whatever a rule flags holds its literals."""
    texts = [
        path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt")) + sorted(FIXTURES.glob("*.md"))
    ]
    texts += [example.text for rule in builtin_rules for example in rule.examples]
    literals = {rule.name: literals_of(rule) for rule in builtin_rules}
    gated = [rule for rule in builtin_rules if literals[rule.name] is not None]
    assert len(gated) >= 20
    for text in texts:
        doc = document.from_text(text, "t.txt")
        for rule in gated:
            for finding in rule.findings(doc):
                assert holds(literals[rule.name], finding.text), (rule.name, finding.text)


def literals_of(rule):
    return None if rule.check.matcher is None else rule.check.matcher.strategy.required_literals()


def test_the_gate_changes_what_runs_not_what_is_found(builtin_rules, reference_rules):
    texts = [
        path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt")) + sorted(FIXTURES.glob("*.md"))
    ]
    texts += [example.text for rule in builtin_rules for example in rule.examples]
    gate = ScreenGate(builtin_rules)
    skipped = 0
    for text in texts:
        doc = document.from_text(text, "t.txt")
        assert lint(doc, builtin_rules, gate) == lint(doc, reference_rules)
        skipped += len(builtin_rules) - len(gate.select(doc, builtin_rules))
    assert skipped > len(texts)  # it does skip rules, more than one a document on average


def test_a_document_without_any_literal_runs_only_the_ungated_rules(builtin_rules):
    doc = document.from_text("The council met on Tuesday and voted on the budget.\n", "t.txt")
    ran = {rule.name for rule in ScreenGate(builtin_rules).select(doc, builtin_rules)}
    assert "duplicate-paragraph" in ran  # no literals: always runs
    assert "photo-caption" in ran  # "Tuesday": a picture's date ("..., Tuesday, Feb. 16, 2017.")
    assert not ran & {"site-footer", "share-bar", "newsletter-prompt", "video-player-chrome", "syndication-note"}


_FOLDING = st.sampled_from(["\u212a", "\u017f", "\u0130", "\u00df", "ẞ", "K", "s", "é", "É", " ", "\n"])


@given(st.data())
def test_searching_literals_one_by_one_finds_what_re2_finds(builtin_rules, data):
    """The first documents of a run are searched for literals with Python's `in`: it must find
    every rule whose literals RE2 finds, with its own case folding (a few more cost only time)."""
    gate = ScreenGate(builtin_rules)
    literals = sorted({text for gated in gate._literals.values() for text, _ in gated})
    pieces = st.one_of(
        st.sampled_from(literals),
        st.sampled_from(literals).map(str.upper),
        st.sampled_from(literals).map(str.swapcase),
        st.sampled_from(literals).map(lambda t: t.replace("k", "\u212a").replace("s", "\u017f")),
        _FOLDING,
        st.text(max_size=5),
    )
    text = "".join(data.draw(st.lists(pieces, max_size=8)))
    doc = document.from_text(text)
    by_re2 = {name for name, literals in gate._literals.items() if holds(literals, doc.scan_text)}
    assert by_re2 <= gate._found_by_search(doc.scan_text), text


def test_the_first_documents_are_searched_and_the_set_is_built_after(builtin_rules, monkeypatch):
    import newslint.engine.gate as gates

    gate = ScreenGate(builtin_rules)
    doc = document.from_text("Advertisement\nFollow us on Twitter @x\n")
    for _ in range(gates.SEARCHED_DOCUMENTS):
        assert gate.select(doc, builtin_rules) and gate._set is None
    chosen = gate.select(doc, builtin_rules)
    assert gate._set not in (None, False)
    assert {r.name for r in chosen} >= {"advertisement", "follow-contact-trailer"}


def test_a_long_document_is_searched_by_the_set(builtin_rules):
    gate = ScreenGate(builtin_rules)
    long_text = "The council met on Tuesday and voted on the budget.\n" * 20_000
    gate.select(document.from_text(long_text), builtin_rules)
    assert gate._set not in (None, False)  # searching it literal by literal would take long
