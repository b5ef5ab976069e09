"""The fast engine finds what the reference engine finds (newslint/engine/).

The reference engine runs each rule as its one RE2 program over the whole text, on every
document: the plain reading of a line rule. The fast one screens documents (its gate) and lines,
narrows Unicode classes, splits programs and matches anchored patterns from a line's start.
Every built-in rule, with a few rules of patterns chosen to stress the engines (many matches on a
line, empty matches, `\\A`), must report the same violations on the fixture articles, the rules'
own examples, generated articles, hostile texts and random ones; and so must random rules.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest
import yaml
from helpers import load_with_engine
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint import document
from newslint.cli import main
from newslint.engine.gate import ScreenGate
from newslint.engine.reference import EveryRule
from newslint.engine.scan import encoded
from newslint.linter import lint
from newslint.rules import parse_rule

FIXTURES = Path(__file__).parent / "fixtures"
SPEED = Path(__file__).resolve().parent.parent / "benchmarks" / "speed.py"

# Rules beside the built-in ones: a match repeated past the limit per line, empty matches
# among others, `\A` and `\z` (the text's start and end, not a line's), a rule of anchored and
# floating patterns both, and Unicode classes outside Latin-1.
STRESS_RULES = {
    "many-ads": ["Advertisement"],
    "empty-or-x": [r"x*y|x", r"^q*"],
    "text-ends": [r"\AThe\b", r"\w+\z", r"(?-m)^Credit"],
    "mixed-anchors": [r"^Read more: .*$", r"\bclick here\b", r"^\p{Lu}\pL+ / \p{Lu}\pL+$", r"Photo\s*\S{0,5}"],
    "greek-words": [r"\p{Greek}{3,}", r"(?i)\b\p{Lu}{2}\p{Greek}[\pL’']*"],
}


def _write_stress_rules(folder: Path) -> Path:
    for name, patterns in STRESS_RULES.items():
        data = {
            "check": "pattern",
            "category": "other",
            "message": "Junk: {match}",
            "doc": {"what": "t", "why": "t"},
            "patterns": patterns,
            "examples": [{"text": "", "expect": []}],
        }
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


class Engines:
    """The built-in rules and STRESS_RULES as each engine runs them, and the fast engine's gate
    past the first documents of a run (it searches its set of screens)."""

    def __init__(self, folder: Path):
        self.fast = load_with_engine("fast", [folder])
        self.reference = load_with_engine("reference", [folder])
        self.screened = ScreenGate(self.fast)
        self.screened.expect(100)


@pytest.fixture(scope="module")
def engines(tmp_path_factory) -> Engines:
    return Engines(_write_stress_rules(tmp_path_factory.mktemp("stress-rules")))


def assert_same(text: str, engines: Engines) -> int:
    """The fast engine, without a gate, with the gate's literals and with its set, finds what the
    reference engine finds in `text`; how many violations that is."""
    fast, reference = engines.fast, engines.reference
    doc = document.from_text(text, "t.txt")
    expected = lint(doc, reference, EveryRule(reference))
    assert lint(doc, fast) == expected
    assert lint(document.from_text(text, "t.txt"), fast, ScreenGate(fast)) == expected  # literals
    assert lint(document.from_text(text, "t.txt"), fast, engines.screened) == expected
    return len(expected)


def test_the_fixtures_and_every_rules_examples(engines):
    texts = [
        path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt")) + sorted(FIXTURES.glob("*.md"))
    ]
    texts += [example.text for rule in engines.fast for example in rule.examples]
    found = sum(assert_same(text, engines) for text in texts)
    assert found > 100


def test_generated_articles(engines):
    """benchmarks/speed.py's articles: footers, captions, datelines, repeats, CRLF, a BOM, front
    matter and wrapped Markdown, some lines outside Latin-1."""
    spec = importlib.util.spec_from_file_location("speed_benchmark", SPEED)
    speed = importlib.util.module_from_spec(spec)
    sys.modules["speed_benchmark"] = speed  # dataclasses look their module up while it loads
    spec.loader.exec_module(speed)
    generator = speed.Generator(speed.SEED, [])
    found = 0
    for _ in range(100):
        text, _ = document.decode(generator.article())
        found += assert_same(text, engines)
    assert found > 50


def _cyrillic(rng: random.Random, capital: bool = False) -> str:
    word = "".join(rng.choices("абвгдежзийклмнопрстуфхцчшщыэюя", k=rng.randint(2, 8)))
    return word.capitalize() if capital else word


def _hostile_texts() -> list[str]:
    """Small versions of benchmarks/hostile.py's cases."""
    rng = random.Random(7)
    words = [f"word{i}" for i in range(200)]

    def word() -> str:
        return _cyrillic(rng)

    def name() -> str:
        return _cyrillic(rng, True)

    credit = "\n".join(f"{' '.join(word() for _ in range(12))}. Credit: {name()} {name()}" for _ in range(40))
    credits = "\n".join(" ".join(f"Credit: {name()}" for _ in range(rng.randint(3, 30))) for _ in range(20))
    screened = "\n".join(f"{word()} Credit: {word()}." for _ in range(60))
    related = "\n".join(f"{word()} {word()} [Related: {word()} {word()}]" for _ in range(40))
    follow = "\n".join(f"Follow {word()} {word()} on Twitter {word()}" for _ in range(40))
    return [
        credit,
        credits,
        screened,
        related,
        follow,
        "Advertisement\nA man walks by a shop in Athens, Monday, Jan. 5, 2015. (AP Photo/John Doe)\n" * 60,
        "Photo\n" * 300,
        "Photo " * 400 + "\n",
        "Advertisement " * 250 + "\nThe story goes on.\nAdvertisement " * 120 + "\n",  # past the limit per line
        "x" * 3000 + "\nThe end.\n" + "xy " * 150 + "\n",
        " ".join(rng.choices(words, k=3000)) + "\n",
        "---\ntitle: Advertisement\n---\nAdvertisement\n```\nAdvertisement\n(AP Photo/X)\n```\nRead more: this\n",
        "Read more: the rest, click here\r\nPlease click here or click here.\rÉlise / Éditions\nЖан / Пол\n" * 30,
        "Ελλάδα ΑΘΗΝΑ Photo: Κώστας\nΗ Βουλή ψήφισε. (AP Photo/Jane Doe)\nΤΕΛΟΣ\n" * 30,
        "\ufeffThe story.\n\n\n\nAdvertisement\n\u2028Photo\u2029credit\n",
        "",
    ]


def test_hostile_texts(engines):
    found = sum(assert_same(text, engines) for text in _hostile_texts())
    assert found > 1000


# Random articles made of lines the rules look for, pieces of them, and other scripts.
_LINE_PIECES = st.sampled_from(
    [
        "Advertisement",
        "(AP Photo/Evan Vucci)",
        "Credit: Иван Петров",
        "Read more:",
        "[Related: Story]",
        "Photo",
        "Follow us on Twitter @x",
        "Share this article",
        "London:",
        "Image copyright Getty Images",
        "toggle caption",
        "FILE - In this Aug. 11, 2015 file photo, officials attend",
        "REUTERS/Jane Doe",
        "xy",
        "x",
        "b",
        "The",
        "Ελλάδα",
        "ΑΘΗΝΑ",
        "Жан / Пол",
        "Élise / Éditions",
        "click here",
        "“quoted” —",
        "  ",
        "**",
        "-",
        "|",
        ".",
    ]
)
_LINES = st.lists(
    st.one_of(
        st.lists(st.one_of(_LINE_PIECES, st.text(max_size=8)), max_size=6).map(" ".join),
        st.text(max_size=30),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(_LINES, st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_random_articles(engines, lines, ending, front_matter):
    text = ending.join((["---", "title: x", "---"] if front_matter else []) + lines)
    assert_same(text, engines)


_ATOMS = [
    "^",
    "$",
    "a",
    "b",
    "ab",
    "a*",
    "b?",
    ".",
    r"\b",
    r"\pL",
    r"\p{Lu}",
    "[^a]",
    "é",
    "Σ",
    "(?i)",
    "(?:^a|b)",
    "(?:^b)",
    "(?:^a)?",
    "(a|^b)",
    "x*",
    r"\s",
    "{2}",
    r"\A",
    r"\z",
    " ",
]
_PATTERNS = st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=4).map("".join)
_TEXT = st.text(alphabet="aAbB é\nxΣσЖ", max_size=40)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True  # the rule loader refuses YAML aliases


def _rule(patterns: list[str], ignore_case: bool, engine: str, monkeypatch):
    data = {
        "check": "pattern",
        "category": "other",
        "message": "m",
        "doc": {"what": "t", "why": "t"},
        "patterns": patterns,
        "ignore_case": ignore_case,
        "examples": [{"text": "", "expect": []}],
    }
    monkeypatch.setenv("NEWSLINT_ENGINE", engine)
    return parse_rule(yaml.dump(data, Dumper=_NoAliases), "t.yaml", "t")


@settings(max_examples=300, deadline=None)
@given(st.lists(_PATTERNS, min_size=1, max_size=5), st.booleans(), st.booleans(), _TEXT)
def test_random_rules(patterns, ignore_case, split, text):
    """Any pattern rule, run as one program or (split) as one program per pattern."""
    import newslint.engine.strategy as strategy

    with pytest.MonkeyPatch.context() as patch:
        try:
            reference = _rule(patterns, ignore_case, "reference", patch)
        except Exception:  # noqa: BLE001 (a pattern RE2 refuses: nothing to compare)
            return
        if split:
            patch.setattr(strategy, "SPLIT_SIZE", 1)
            patch.setattr(strategy, "GROUP_SIZE", 1)
        fast = _rule(patterns, ignore_case, "fast", patch)
        doc = document.from_text(text, "t.txt")
        expected = lint(doc, [reference])
        assert lint(doc, [fast]) == expected, (patterns, text)
        assert lint(doc, [fast], ScreenGate([fast])) == expected


def test_the_reference_engine_gives_the_cli_output_byte_for_byte(tmp_path, capsys, monkeypatch):
    for name in ("seed.txt", "live-commentary.txt", "clean.md"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "hostile.txt").write_text("".join(_hostile_texts()[:8]), encoding="utf-8")
    outputs = []
    for engine in ("fast", "reference"):
        monkeypatch.setenv("NEWSLINT_ENGINE", engine)
        code = main(["check", "--no-cache", "--format", "json", str(tmp_path)])
        outputs.append((code, capsys.readouterr()))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 1 and outputs[0][1].out.count('"rule"') > 100


def test_an_unknown_engine_is_bad_usage(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.txt").write_text("Advertisement\n")
    monkeypatch.setenv("NEWSLINT_ENGINE", "turbo")
    assert main(["check", "--no-cache", str(tmp_path / "a.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "NEWSLINT_ENGINE must be one of fast, reference, not 'turbo'" in err


def test_utf8_offsets_locate_the_same_positions_as_character_offsets():
    doc = document.from_text("Café – “quoted” …\nplain\n\nΕλλάδα 😀 end\n---\n")
    text = doc.scan_text
    for offset in range(len(text) + 1):
        assert encoded(doc).locate(len(text[:offset].encode("utf-8"))) == doc.locate(offset)
    ascii_doc = document.from_text("a\nbc\n")
    assert [encoded(ascii_doc).locate(i) for i in range(5)] == [ascii_doc.locate(i) for i in range(5)]


def test_the_encoded_text_lives_as_long_as_its_document():
    import gc
    import weakref

    doc = document.from_text("Advertisement\n")
    scan = encoded(doc)
    assert encoded(doc) is scan
    alive = weakref.ref(scan)
    del doc, scan
    gc.collect()
    assert alive() is None
