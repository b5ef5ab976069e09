"""Splitting into lines: the fast paths (LF-only text, no fences) agree with the general ones."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newslint.document import _checked_flags, _may_have_unchecked_lines, from_text

pieces = st.sampled_from(["a", " ", "-", "`", "~", "\u00e9", "\r", "\n", "\r\n", "+", "```", "---\n"])


@given(st.lists(pieces, max_size=30).map("".join))
def test_lines_rebuild_the_text_exactly(text):
    doc = from_text(text)
    assert "".join(line.text + line.ending for line in doc.lines) == text
    offset = 0
    for number, line in enumerate(doc.lines, 1):
        assert line.number == number and line.offset == offset
        assert "\r" not in line.text and "\n" not in line.text
        assert line.ending in ("\n", "\r\n", "\r") or (line.ending == "" and number == len(doc.lines))
        offset += len(line.text) + len(line.ending)


@given(st.lists(st.sampled_from(["---", " ---", "+++", "...", "```", "  ~~~~", "text", "", "``", "~~"]), max_size=8))
def test_text_without_fence_or_front_matter_has_every_line_checked(texts):
    text = "\n".join(texts)
    if not _may_have_unchecked_lines(text, texts):
        assert _checked_flags(texts) == [True] * len(texts)
