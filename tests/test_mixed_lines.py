"""A line holding junk and something else is reported with the junk's own columns, and a fix
removes only that part."""

from __future__ import annotations

from newslint import document
from newslint.linter import lint


def spans(builtin_rules, text: str) -> list[tuple[str, int, int, str]]:
    doc = document.from_text(text, "t.txt")
    return [
        (v.rule, v.column, v.end_column, text[v.fix.start : v.fix.end] if v.fix else "")
        for v in lint(doc, builtin_rules)
    ]


def test_player_notice_and_video_caption_are_two_spans(builtin_rules):
    notice = "Media playback is unsupported on your device "
    caption = 'Media caption Oceanographer Dr Simon Boxall: "If this is the pulse, this becomes a viable search"'
    found = spans(builtin_rules, notice + caption + "\n")
    assert found == [
        ("video-player-chrome", 1, len(notice) + 1, notice),
        ("image-caption-label", len(notice) + 1, len(notice + caption) + 1, " " + caption),
    ]


def test_link_glued_to_a_paragraph_is_cut_alone(builtin_rules):
    paragraph = "The moon's lower limb will appear much brighter than the dark upper limb."
    link = "[In Photos: The Snow Moon Lunar Eclipse & Comet 45P Encounter]"
    found = spans(builtin_rules, f"{paragraph} {link}\n")
    assert found == [("related-link", len(paragraph) + 2, len(paragraph) + len(link) + 2, " " + link)]


def test_caption_run_into_a_headline_keeps_the_headline(builtin_rules):
    caption = "A US soldier distributes new uniforms in 2005. | Getty"
    found = spans(builtin_rules, f"{caption} State worried about Marine uniforms during attack\n")
    assert [(rule, start, end) for rule, start, end, _ in found] == [("photo-caption", 1, len(caption) + 1)]


def test_share_bar_glued_to_a_caption(builtin_rules):
    text = "Facebook Twitter Pinterest An artist's impression of the Parker Solar Probe. Photograph: NASA/PA\n"
    found = {(rule, start) for rule, start, _, _ in spans(builtin_rules, text)}
    assert found == {("share-link-label", 1), ("photo-caption", 1)}
