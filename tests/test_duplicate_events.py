"""The duplicate check's `events` option: live commentary repeats its short lines legitimately.

tests/fixtures/live-commentary.txt is an excerpt of a BBC Sport match report (XSum): "Foul by
Kemar Roofe (Leeds United)." and "Chris Löwe (Huddersfield Town) wins a free kick in the
defensive half." recur verbatim as separate match events.
"""

from __future__ import annotations

import random
import textwrap
from unittest import mock

import pytest

from newslint import document
from newslint.engine import near_duplicates
from newslint.errors import RuleError
from newslint.linter import lint
from newslint.rules import parse_rule

RULE = textwrap.dedent(
    """\
    check: duplicate
    category: duplicate
    message: "{repeat}"
    doc: {what: Repeats., why: Junk.}
    unit: paragraph
    min_length: 30
    EVENTS
    examples:
      - text: "A line long enough to be compared with another.\\nA line long enough to be compared with another.\\n"
        expect: [2]
      - text: "Short.\\n"
        expect: []
    """
)


def duplicate_rule(events: str):
    return parse_rule(RULE.replace("EVENTS", events), "rules/x/dup.yaml", "dup")


def flagged_lines(rule, text: str) -> list[int]:
    return [v.line for v in lint(document.from_text(text, "t.txt"), [rule])]


def test_commentary_repeats_are_flagged_without_events(fixtures):
    text = (fixtures / "live-commentary.txt").read_text(encoding="utf-8")
    assert flagged_lines(duplicate_rule(""), text), "the fixture must hold repeats for this test to mean anything"


def test_commentary_repeats_stay_quiet_with_events(fixtures):
    text = (fixtures / "live-commentary.txt").read_text(encoding="utf-8")
    assert flagged_lines(duplicate_rule("events: {min_count: 10, max_length: 150}"), text) == []


def test_an_article_is_not_an_event_log():
    # A repeated headline in ordinary prose is still flagged with events on.
    lines = [
        "Frail Robert Durst sentenced on gun charge in New Orleans",
        "The judge read the sentence aloud in a packed courtroom on Wednesday.",
        "Frail Robert Durst sentenced on gun charge in New Orleans",
    ]
    rule = duplicate_rule("events: {min_count: 10, max_length: 150}")
    assert flagged_lines(rule, "\n\n".join(lines) + "\n") == [5]


def test_long_units_in_an_event_log_are_still_compared(fixtures):
    text = (fixtures / "live-commentary.txt").read_text(encoding="utf-8")
    paragraph = "The manager said the team had deserved every one of its points and would give itself no limits. " * 2
    rule = duplicate_rule("events: {min_count: 10, max_length: 150}")
    doubled = text + paragraph.strip() + "\n" + paragraph.strip() + "\n"
    assert flagged_lines(rule, doubled) == [len(text.splitlines()) + 2]


def test_too_few_event_lines_is_not_a_log(fixtures):
    text = (fixtures / "live-commentary.txt").read_text(encoding="utf-8")
    rule = duplicate_rule("events: {min_count: 1000, max_length: 150}")
    assert flagged_lines(rule, text)


def test_a_few_event_lines_in_a_long_text_do_not_make_a_log(fixtures):
    # The commentary is under a fifth of this document's paragraphs, so its repeats are flagged.
    text = (fixtures / "live-commentary.txt").read_text(encoding="utf-8")
    words = random.Random(3).choices(
        [
            "council",
            "river",
            "budget",
            "school",
            "bridge",
            "vote",
            "road",
            "plan",
            "court",
            "mayor",
            "night",
            "price",
            "train",
            "storm",
            "market",
            "union",
        ],
        k=1800,
    )
    prose = "".join("The " + " ".join(words[k : k + 30]) + ".\n" for k in range(0, 1800, 30))  # 60 long paragraphs
    rule = duplicate_rule("events: {min_count: 10, min_share: 0.2, max_length: 150}")
    assert flagged_lines(rule, prose + text)
    assert flagged_lines(duplicate_rule("events: {min_count: 10, min_share: 0, max_length: 150}"), prose + text) == []


# The event-log scan is skipped when no unit repeats and every pair sharing a 3-gram was scored.
# When a limit cut the scoring short, leaving the log's short units out may let a long repeat
# through; these documents are made so that it does. J is L with every fourth word changed (90%+
# similar, few 3-grams in common); the short units share more 3-grams with L than J does.
_WORDS = (
    "river bank town hall road sign blue moon dark wood cold rain soft sand tall tree wide lake "
    "old mill deep well gray dust warm fire long walk slow boat late bus last stop"
).split()
_LONG = " ".join(_WORDS) + "."
_NEAR_COPY = " ".join(w + "s" if k % 4 == 3 else w for k, w in enumerate(_WORDS)) + "."
# Three pieces of the long unit: more 3-grams in common with it than the near copy has.
_PIECES = " ".join(_WORDS[0:9] + _WORDS[14:23] + _WORDS[28:36]) + "."
# The long unit without the words the near copy changed: all the 3-grams the two share.
_SHARED = " ".join(w for k, w in enumerate(_WORDS) if k % 4 != 3) + "."


@pytest.mark.parametrize(
    ("limit", "short"), [("MAX_CANDIDATES", _PIECES), ("MAX_POSTING", _SHARED)], ids=["candidates", "posting"]
)
def test_a_repeat_hidden_by_a_limit_is_found_in_an_event_log(fixtures, limit, short):
    commentary = (fixtures / "live-commentary.txt").read_text(encoding="utf-8")
    events = "\n".join(dict.fromkeys(commentary.splitlines())) + "\n"  # no repeats of its own
    tail = "\n".join([_NEAR_COPY, short, _LONG]) + "\n"
    on = duplicate_rule("events: {min_count: 10, max_length: 150}")
    assert flagged_lines(on, events) == []
    assert flagged_lines(duplicate_rule(""), tail) == [3]
    with mock.patch.object(near_duplicates, limit, {"MAX_CANDIDATES": 1, "MAX_POSTING": 2}[limit]):
        # The short unit takes the near copy's place (among the candidates, or in the postings)...
        assert flagged_lines(duplicate_rule(""), tail) == []
        # ...but an event log's short units are not compared, so the near copy is found again.
        assert flagged_lines(on, events + tail) == [len(events.splitlines()) + 3]


def test_events_options_are_validated():
    with pytest.raises(RuleError, match="unknown key 'min_cout'"):
        duplicate_rule("events: {min_cout: 10}")
    with pytest.raises(RuleError, match="'min_count' must be at least 2"):
        duplicate_rule("events: {min_count: 1}")
    with pytest.raises(RuleError, match="'min_share' must be at most 1"):
        duplicate_rule("events: {min_share: 2}")
