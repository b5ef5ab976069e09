"""The duplicate check's repeats that are no copies: a short paragraph held in a later, full one
is the finding (the full one stays), and items that lists share by design are not reported."""

from __future__ import annotations

import textwrap

import pytest

from newslint import document
from newslint.errors import RuleError
from newslint.linter import lint
from newslint.rules import parse_rule
from tests.helpers import check_json

RULE = textwrap.dedent(
    """\
    check: duplicate
    category: duplicate
    message: "{repeat} ({similarity}% similar)"
    doc: {what: Repeats., why: Junk.}
    unit: paragraph
    min_length: 30
    OPTIONS
    fix: delete
    examples:
      - text: "A line long enough to be compared with another.\\nA line long enough to be compared with another.\\n"
        expect: [2]
    """
)
LISTS = "lists: {max_length: 150, min_items: 3, items: ['^[-*] ']}"

PULL_QUOTE = "No matter what the cause, hostage-taking can never be justified"
FULL = (
    f'The Foreign Office spokesman said: "{PULL_QUOTE}. We are doing all we can to secure their '
    'release, and we are in close touch with the families."'
)


def rule(options: str = ""):
    return parse_rule(RULE.replace("OPTIONS", options), "rules/x/repeats.yaml", "repeats")


def found(text: str, options: str = "") -> list[tuple[int, int, str]]:
    return [(v.line, v.end_line, v.message) for v in lint(document.from_text(text, "t.txt"), [rule(options)])]


def test_a_short_paragraph_held_in_a_later_full_one_is_the_finding():
    text = f"{PULL_QUOTE}\n\nThe kidnappers released a video on Sunday night.\n\n{FULL}\n"
    assert found(text) == [(1, 1, "Line 1 is held in line 5 (100% similar)")]


def test_a_short_copy_after_the_full_one_and_a_dateline_copy_stay_as_they_were():
    # Held in an earlier paragraph: the later, short copy is the repeat.
    assert [line for line, _, _ in found(f"{FULL}\n\n{PULL_QUOTE}\n")] == [3]
    # A near copy that only adds a dateline is the later copy, not a short one held in it.
    lede = "President Donald Trump harkened back to the style of his 2016 campaign in a long press conference."
    assert [line for line, _, _ in found(f"{lede}\n\nWASHINGTON — {lede}\n")] == [3]


def test_the_fix_deletes_the_short_copy_and_never_the_full_paragraph(tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "repeats.yaml").write_text(rule_text(), encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(
        f"{PULL_QUOTE}\n\nThe kidnappers released a video on Sunday night.\n\n{FULL}\n", encoding="utf-8"
    )
    args = ["--no-cache", "--rules", str(rules), "--select", "repeats", "--fix", str(article)]
    code, payload = check_json(capsys, *args)
    assert code == 1 and article.read_text(encoding="utf-8").startswith(PULL_QUOTE)  # a near copy: unsafe
    code, payload = check_json(capsys, *args, "--unsafe-fixes")
    assert code == 0
    assert article.read_text(encoding="utf-8") == f"The kidnappers released a video on Sunday night.\n\n{FULL}\n"


def rule_text() -> str:
    return RULE.replace("OPTIONS", "")


MEAL_PLAN = textwrap.dedent(
    """\
    Monday
    - Breakfast: oatmeal with blueberries, walnuts and honey
    - Lunch: a turkey sandwich on rye with carrot sticks
    - Dinner: grilled salmon with brown rice and green beans

    Tuesday
    - Breakfast: oatmeal with blueberries, walnuts and honey
    - Lunch: a turkey sandwich on rye with carrot sticks
    - Dinner: a lentil soup with wholegrain bread and an apple
    """
)


def test_items_that_lists_share_by_design_are_not_reported():
    assert [line for line, _, _ in found(MEAL_PLAN)] == [7]  # without `lists`: a run of repeats
    assert found(MEAL_PLAN, LISTS) == []


def test_a_list_printed_twice_is_still_a_copy():
    items = (
        "- Northgate branch closes in March\n- Riverside branch closes in April\n- Market Square branch stays open\n"
    )
    # Two lists alike, and one list that is the same items twice.
    assert [(line, end) for line, end, _ in found(f"{items}\nThe council voted on Tuesday.\n\n{items}", LISTS)] == [
        (7, 9)
    ]
    assert [(line, end) for line, end, _ in found(items + items, LISTS)] == [(4, 6)]


def test_an_item_needs_the_item_shape_and_a_list_around_it():
    # Short paragraphs without a bullet (headlines, quotes) are compared as ever.
    plain = MEAL_PLAN.replace("- ", "")
    assert [line for line, _, _ in found(plain, LISTS)] == [7]
    # Two bulleted lines are no list of three.
    short = "- Breakfast: oatmeal with blueberries, walnuts and honey\n- Lunch: soup\n\nTuesday\n"
    assert [line for line, _, _ in found(short * 2, LISTS)] != []


def test_list_items_patterns_are_validated():
    with pytest.raises(RuleError) as error:
        rule("lists: {items: ['(?<=x)y']}")
    assert "rules/x/repeats.yaml" in str(error.value) and "invalid regular expression" in str(error.value)
    with pytest.raises(RuleError) as error:
        rule("lists: {max_length: 150}")
    assert "missing required key 'items'" in str(error.value)
