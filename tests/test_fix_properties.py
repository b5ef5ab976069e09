"""Property-based tests of fixing, on generated articles with junk injected (hypothesis).

Two kinds of article:
- stories built from real paragraphs (the seed's lines 3-14, distinct and long enough to be
  compared as duplicates) with known junk put between them: there the exact fixed text is known
  (the story as it was before the junk went in), bytes, line endings and BOM included;
- articles of random words with any junk anywhere, and mixed line endings: there the invariants
  must hold whatever the rules decide (kept lines were in the input, in order; lines no rule
  flagged stay; fixing twice equals fixing once; encoding and line endings round-trip).

Settings come from the profile in conftest.py (HYPOTHESIS_PROFILE=deep for a longer run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newslint import document as documents
from newslint.config import Config
from newslint.filters import Plan, find_problems
from newslint.fix import fix_document, fix_passes
from newslint.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures"
FIND = find_problems(Plan.of(Config(root="."), load_rules([])))  # what a plain `newslint check` reports

STORY = (FIXTURES / "seed.txt").read_text(encoding="utf-8").splitlines()[2:14]
# Junk lines that a built-in rule deletes with a safe fix.
JUNK = [
    "Track Latest News Live on NDTV.com and get news updates from India and around the world",
    "These are external links and will open in a new window",
    "Media playback is not supported on this device",
    "ADVERTISEMENT",
    "**Advertisement**",
    "File photo of UK police.",
    "President Trump speaks in the East Room of the White House. (AP Photo/Evan Vucci)",
    "FILE - In this Aug. 11, 2015 file photo, the actress attends a premiere in New York. (Associated Press)",
]
DATELINES = ["London:", "NEW DELHI -"]
WORDS = [
    "the",
    "council",
    "said",
    "on",
    "Tuesday",
    "it",
    "would",
    "build",
    "lanes",
    "police",
    "Calais",
    "port",
    "minister",
    "deal",
    "migrants",
    "a",
    "of",
    "in",
    "and",
    "report",
    "photo",
    "File",
    "news",
    "live",
]
ENDINGS = ["\n", "\r\n", "\r"]


def fix_bytes(data: bytes, unsafe: bool = False) -> bytes:
    return fix_document(documents.from_bytes(data, "article.txt"), FIND, unsafe=unsafe).data


def lines_of(data: bytes) -> list[tuple[str, str]]:
    """(text, ending) of every line, as newslint splits them."""
    return [(line.text, line.ending) for line in documents.from_bytes(data).lines]


def is_subsequence(part: list, whole: list) -> bool:
    rest = iter(whole)
    return all(any(item == candidate for candidate in rest) for item in part)


# -- stories with known junk: the exact result is known ---------------------------------------


@dataclass(frozen=True)
class Story:
    paragraphs: list[str]
    gaps: list[int]  # blank lines after each paragraph (the last: before junk put at the end)
    ending: str
    final_newline: bool
    bom: bool

    @property
    def blank_separated(self) -> bool:
        return any(self.gaps)

    def block(self, first: int, last: int) -> list[str]:
        """Paragraphs first..last as they stand in the story: a copy of them, for a duplicate."""
        lines: list[str] = []
        for k in range(first, last + 1):
            if k > first:
                lines.extend([""] * self.gaps[k - 1])
            lines.append(self.paragraphs[k])
        return lines

    def render(self, inserts: dict[int, list[tuple[list[str], int]]] | None = None) -> bytes:
        """The story as bytes, with inserts[k] = [(junk lines, blank lines after them), ...] put
        before paragraph k (after the blank lines that followed paragraph k-1)."""
        inserts = inserts or {}
        lines: list[str] = []
        blank_before = 0  # the blank lines the item added last asks for after itself

        def add(item: list[str], blank_after: int) -> None:
            nonlocal blank_before
            if lines:
                lines.extend([""] * blank_before)
            lines.extend(item)
            blank_before = blank_after

        for k in range(len(self.paragraphs) + 1):
            for item, blank_after in inserts.get(k, []):
                add(item, blank_after)
            if k < len(self.paragraphs):
                add([self.paragraphs[k]], self.gaps[k])
        text = self.ending.join(lines) + (self.ending if self.final_newline else "")
        return (documents.BOM + text if self.bom else text).encode("utf-8")


@st.composite
def stories(draw) -> Story:
    paragraphs = draw(st.lists(st.sampled_from(STORY), min_size=1, max_size=6, unique=True))
    gap = st.integers(1, 2) if draw(st.booleans()) else st.just(0)
    return Story(
        paragraphs=paragraphs,
        gaps=[draw(gap) for _ in paragraphs],
        ending=draw(st.sampled_from(["\n", "\r\n"])),
        final_newline=draw(st.booleans()),
        bom=draw(st.booleans()),
    )


def near_copy(paragraph: str, how: str) -> str:
    """A copy with a word dropped or added: not identical, so its fix is unsafe."""
    return paragraph.rsplit(" ", 1)[0] if how == "truncate" else paragraph + " too"


@st.composite
def with_junk(draw, kinds: tuple[str, ...]) -> tuple[Story, dict[int, list[tuple[list[str], int]]]]:
    """A story and junk to put in it: junk lines anywhere, copies and near copies of paragraphs
    (always after what they copy: the first copy is the one that stays)."""
    story = draw(stories())
    n = len(story.paragraphs)
    inserts: dict[int, list[tuple[list[str], int]]] = {}
    near_copies: list[list[str]] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(kinds))
        if kind == "line":
            at, item = draw(st.integers(0, n)), [draw(st.sampled_from(JUNK))]
        elif kind == "copy":
            first = draw(st.integers(0, n - 1))
            last = draw(st.integers(first, n - 1))
            at, item = draw(st.integers(last + 1, n)), story.block(first, last)
        else:
            original = draw(st.integers(0, n - 1))
            how = draw(st.sampled_from(["truncate", "extend"]))
            at, item = draw(st.integers(original + 1, n)), [near_copy(story.paragraphs[original], how)]
            if item in near_copies:
                continue  # a second identical near copy is an exact copy of the first
            near_copies.append(item)
        blank_after = draw(st.integers(0, 2)) if story.blank_separated else 0
        inserts.setdefault(at, []).append((item, blank_after))
    return story, inserts


@given(with_junk(kinds=("line", "copy")), st.booleans())
def test_fixing_junk_and_exact_copies_gives_back_the_story(case, unsafe):
    story, inserts = case
    assert fix_bytes(story.render(inserts), unsafe=unsafe) == story.render()


@given(with_junk(kinds=("line", "near")))
def test_near_copies_go_only_with_unsafe_fixes(case):
    story, inserts = case
    dirty = story.render(inserts)
    assert fix_bytes(dirty, unsafe=True) == story.render()
    safe = fix_bytes(dirty)
    kept = [text for text, _ in lines_of(safe) if text]
    assert kept == [text for text, _ in lines_of(dirty) if text and text not in JUNK]


# -- any article: invariants ------------------------------------------------------------------


@st.composite
def articles(draw) -> bytes:
    sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=20).map(" ".join)
    line = st.one_of(sentence, st.sampled_from(STORY + JUNK + DATELINES), st.just(""), st.just("   "))
    texts = draw(st.lists(line, max_size=16))
    for _ in range(draw(st.integers(0, 3))):  # copies of earlier stretches, exact or near
        if texts:
            first = draw(st.integers(0, len(texts) - 1))
            last = draw(st.integers(first, min(len(texts) - 1, first + 3)))
            copy = texts[first : last + 1]
            if draw(st.booleans()) and copy[-1].strip():
                copy[-1] = near_copy(copy[-1], draw(st.sampled_from(["truncate", "extend"])))
            texts[draw(st.integers(last + 1, len(texts))) : 0] = copy
    uniform = draw(st.sampled_from(ENDINGS))
    mixed = draw(st.booleans())
    endings = [draw(st.sampled_from(ENDINGS)) if mixed else uniform for _ in texts]
    if texts and draw(st.booleans()):
        endings[-1] = ""  # no final newline
    text = "".join(t + e for t, e in zip(texts, endings, strict=True))
    return (documents.BOM + text if draw(st.booleans()) else text).encode("utf-8")


def _final_newline(data: bytes) -> bool:
    return data.endswith((b"\n", b"\r"))


@given(articles(), st.booleans())
def test_fixing_only_deletes_and_keeps_what_no_rule_flagged(data, unsafe):
    before = lines_of(data)
    after = lines_of(fix_bytes(data, unsafe=unsafe))

    # Every kept line was in the input, in order, with its own line ending; only the new last
    # line may lose its ending, when the input had no final newline, and a blank line "\n" put
    # after a line ending in a lone CR becomes "\r" (else the two would read as one CRLF line).
    # A line may also have lost the junk inside it ("Media playback ... device too" -> "too"):
    # then what is kept is still the original's text with parts deleted.
    def kept_from(kept: tuple[str, str], original: tuple[str, str], last: bool) -> bool:
        if kept[0] != original[0] and not (kept[0].strip() and is_subsequence(list(kept[0]), list(original[0]))):
            return False
        if last and not _final_newline(data):
            return kept[1] == ""
        return kept[1] == original[1] or (kept == ("", "\r") and original == ("", "\n"))

    rest = iter(before)
    for k, kept in enumerate(after):
        assert any(kept_from(kept, original, k == len(after) - 1) for original in rest), (kept, before)
    # Lines no rule flagged, in any pass (a deletion can regroup the lines around it into a
    # paragraph that repeats another, which the next pass flags), are all still there.
    flagged = {
        line.text
        for fix_pass in fix_passes(documents.from_bytes(data), FIND, unsafe=unsafe)
        for v in fix_pass.violations
        for line in fix_pass.document.lines[v.line - 1 : v.end_line]
    }
    unflagged = [text for text, _ in before if text.strip() and text not in flagged]
    assert is_subsequence(unflagged, [text for text, _ in after])


@given(articles(), st.booleans())
def test_fixing_twice_equals_fixing_once(data, unsafe):
    once = fix_bytes(data, unsafe=unsafe)
    assert fix_bytes(once, unsafe=unsafe) == once


@given(articles())
def test_encoding_bom_and_final_newline_round_trip(data):
    fixed = fix_bytes(data)
    assert fixed.startswith(documents.BOM.encode()) == data.startswith(documents.BOM.encode())
    if fixed.strip(documents.BOM.encode()):
        assert _final_newline(fixed) == _final_newline(data)
    fixed.decode("utf-8")  # still UTF-8
    if not any(v.fix and v.fix.safe for v in FIND(documents.from_bytes(data))):
        assert fixed == data
