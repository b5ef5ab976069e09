from __future__ import annotations

import pytest

from newslint import document


def test_lines_keep_exact_offsets_and_endings():
    text = "one\r\ntwo\nthree\rfour"
    doc = document.from_text(text)
    assert [ln.text for ln in doc.lines] == ["one", "two", "three", "four"]
    assert [ln.ending for ln in doc.lines] == ["\r\n", "\n", "\r", ""]
    for ln in doc.lines:
        assert text[ln.offset : ln.offset + len(ln.text)] == ln.text


def test_bom_is_kept_aside_and_not_counted_in_columns():
    doc = document.from_bytes("\ufeffLondon:\n".encode("utf-8"))
    assert doc.bom is True
    assert doc.lines[0].text == "London:"
    assert doc.lines[0].offset == 0


def test_one_paragraph_per_line_without_blank_lines():
    doc = document.from_text("First line is long enough.\nSecond line.\nThird line.\n")
    assert [(p.first_line, p.last_line) for p in doc.paragraphs] == [(1, 1), (2, 2), (3, 3)]


def test_hard_wrapped_markdown_paragraphs():
    text = (
        "# Title\n\n"
        "This paragraph is wrapped at about seventy characters, as editors and\n"
        "formatters do, and goes on to a second and a third line of text that\n"
        "ends here.\n\n"
        "- a list item\n- another item\n"
    )
    doc = document.from_text(text)
    spans = [(p.first_line, p.last_line) for p in doc.paragraphs]
    assert spans == [(1, 1), (3, 5), (7, 7), (8, 8)]
    assert doc.paragraphs[1].text.startswith("This paragraph is wrapped")
    assert doc.paragraphs[1].text.endswith("ends here.")


def test_front_matter_and_code_blocks_are_counted_but_not_checked():
    text = "---\ntitle: A\n---\nBody text.\n```\nAdvertisement\n```\nMore text.\n"
    doc = document.from_text(text)
    assert [ln.checked for ln in doc.lines] == [False, False, False, True, False, False, False, True]
    assert [(p.first_line, p.last_line) for p in doc.paragraphs] == [(4, 4), (8, 8)]


def test_scan_text_positions_map_back_to_lines_and_columns():
    doc = document.from_text("ab\r\n\tcé X\r\n")
    offset = doc.scan_text.index("X")
    assert doc.locate(offset) == (2, 5)


def test_invalid_utf8_names_line_and_column():
    with pytest.raises(document.DecodeError) as info:
        document.from_bytes(b"fine\nbad \xff here\n")
    assert "line 2, column 5" in str(info.value)


def test_binary_is_refused():
    with pytest.raises(document.DecodeError, match="binary"):
        document.from_bytes(b"PK\x03\x04\x00\x00")


def test_a_second_bom_is_text_and_encode_gives_the_bytes_back():
    data = "\ufeff\ufeffLondon:\r\n".encode("utf-8")
    doc = document.from_bytes(data)
    assert doc.bom is True and doc.text == "\ufeffLondon:\r\n"
    assert document.encode(doc.text, doc.bom) == data
