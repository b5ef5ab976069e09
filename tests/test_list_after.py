"""`list_after`: a heading line such as "Read more:" takes the short lines under it along."""

from __future__ import annotations

import textwrap

import pytest

from newslint import document
from newslint.errors import RuleError
from newslint.linter import lint
from newslint.rules import parse_rule

# A phrase rule for "Read more:"; LIST is replaced by each test's list_after option.
RULE = (
    'check: phrase\ncategory: footer\nmessage: "Links: {match}"\n'
    "doc: {what: A list of links., why: Not the story.}\n"
    'phrases: ["Read more:"]\nLIST\n'
    'examples: [{text: "Read more:\\n", expect: [1]}, {text: "Nothing to see.\\n", expect: []}]\n'
)


def rule(listing: str):
    return parse_rule(RULE.replace("LIST", listing), "rules/x/links.yaml", "links")


def spans(listing: str, text: str) -> list[tuple[int, int]]:
    return [(v.line, v.end_line) for v in lint(document.from_text(text, "t.txt"), [rule(listing)])]


ARTICLE = textwrap.dedent(
    """\
    The probe launches next year, officials said on Monday in a statement to reporters.

    Read more:

    New evidence suggests a ninth planet lurking at the edge of the solar system

    This broken space telescope keeps spotting new planets
    """
)


def test_the_list_under_a_heading_is_one_problem():
    assert spans("list_after: {max_items: 10, max_length: 120}", ARTICLE) == [(3, 7)]


def test_without_the_option_only_the_heading_is_flagged():
    assert spans("", ARTICLE) == [(3, 3)]


def test_a_long_line_ends_the_list():
    text = (
        "Read more:\nA short headline\nAnother one\n"
        + "A paragraph of the story that runs on well past the limit. " * 3
        + "\n"
    )
    assert spans("list_after: {max_length: 60}", text) == [(1, 3)]


def test_max_items_and_stop_patterns_end_the_list():
    text = "Read more:\nOne\nTwo\nThree\nFour\n"
    assert spans("list_after: {max_items: 2}", text) == [(1, 3)]
    assert spans("list_after: {stop: ['^Three']}", text) == [(1, 3)]


def test_one_short_line_after_a_heading_is_not_a_list():
    # "Read more" then the story's last sentence: only the heading is flagged.
    text = "Read more:\nThe end.\n"
    assert spans("list_after: {}", text) == [(1, 1)]
    assert spans("list_after: {min_items: 1}", text) == [(1, 2)]


def test_a_match_with_text_beside_it_takes_no_list():
    text = "Some text. Read more:\nA short headline\n"
    assert spans("match: contains\nlist_after: {max_items: 5}", text) == [(1, 1)]


def test_list_options_are_validated():
    with pytest.raises(RuleError, match="unknown key 'max_item'"):
        rule("list_after: {max_item: 3}")
    with pytest.raises(RuleError, match="invalid regular expression"):
        rule("list_after: {stop: ['(']}")


def test_a_stop_after_blank_pattern_ends_the_list_only_after_a_blank_line():
    listing = "list_after: {stop_after_blank: ['[.!?]\\s*$']}"
    text = "Read more:\nWhy the probe failed\nLions to be hunted\n\nThe launch is set for May.\n"
    assert spans(listing, text) == [(1, 3)]
    # Without the blank line, a headline ending in a full stop is still an item.
    assert spans(listing, "Read more:\nWhy the probe failed\nThe launch is set for May.\n") == [(1, 3)]
    # Once an item has the shape, it is the list's: headlines that are sentences.
    text = "Read more:\n\nLions are raised to be hunted.\n\nWhy the probe failed\n\nThe launch is set for May.\n"
    assert spans(listing, text) == [(1, 7)]
