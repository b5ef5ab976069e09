"""`context`: lines judged by their shape and where they stand around the story."""

from __future__ import annotations

import pickle
import textwrap

import pytest

from newslint import document, engine
from newslint.checks import context_analysis
from newslint.errors import RuleError
from newslint.linter import lint
from newslint.rules import parse_rule
from tests.helpers import check_json, rules_and_lines

STORY = (
    "The council voted on Tuesday to close the library after a long and heated debate about what "
    "the town could still afford to pay for, and what it would have to give up instead."
)
RULE = (
    'check: context\ncategory: footer\nmessage: "{count} lines {where}: {match}"\n'
    "doc: {what: Chrome., why: Not the story.}\n"
    "OPTIONS\n"
    'examples: [{text: "x\\n", expect: []}]\n'
)


def rule(options: str, name: str = "chrome"):
    return parse_rule(RULE.replace("OPTIONS", textwrap.dedent(options).strip()), f"rules/x/{name}.yaml", name)


def found(options: str, text: str) -> list[tuple[int, int, str]]:
    return [(v.line, v.end_line, v.message) for v in lint(document.from_text(text, "t.txt"), [rule(options)])]


MENU_RULE = """
    where: head
    spare_headline: true
    lines: {max_words: 12, sentence: false}
    run: {min_lines: 3}
"""


def test_a_run_above_the_story_is_one_finding_that_says_what_and_where():
    text = f"Home\nNews\n\nSport\nWeather\nCouncil to close library\n{STORY}\n"
    assert found(MENU_RULE, text) == [(1, 5, '4 lines at the top of the article: "Home"')]


def test_a_run_too_short_or_broken_by_a_sentence_is_not_flagged():
    text = f"Home\nNews\nThe paper was founded in 1851 and is read by many.\nSport\nCouncil to close library\n{STORY}\n"
    assert found(MENU_RULE, text) == []


def test_lines_of_symbols_neither_count_nor_break_a_run():
    text = f"Home\n|\nNews\n•\nSport\nCouncil to close library\n{STORY}\n"
    assert found(MENU_RULE, text) == [(1, 5, '3 lines at the top of the article: "Home"')]


def test_the_headline_and_the_byline_below_it_are_spared():
    # The last line above the story that shares its words (the headline) and all below it stay.
    text = f"Home\nNews\nSport\nCouncil votes to close library\nBy Jane Doe\nMonday\n{STORY}\n"
    assert found(MENU_RULE, text) == [(1, 3, '3 lines at the top of the article: "Home"')]


def test_a_first_line_set_apart_by_a_blank_line_is_a_title_and_spared():
    text = f"Council to close library\n\nHome\nNews\n{STORY}\n"
    assert found(MENU_RULE, text) == []


def test_without_a_story_the_head_and_tail_are_empty():
    assert found(MENU_RULE, "Home\nNews\nSport\nWeather\n") == []
    assert found("lines: {max_words: 3}\nrun: {min_lines: 3}", "Home\nNews\nSport\n") == [
        (1, 3, '3 lines in the article: "Home"')
    ]


def test_a_hard_wrapped_paragraph_is_one_block_not_short_lines():
    wrapped = textwrap.fill(STORY + " " + STORY, 60)
    tail = "lines: {max_words: 12, sentence: false}\nwhere: tail\nrun: {min_lines: 2}"
    assert found(tail, f"{STORY}\n{wrapped}\n") == []
    assert found(tail, f"{STORY}\nMayor defends cuts\nBus routes change\n") == [
        (2, 3, '2 lines at the end of the article: "Mayor defends cuts"')
    ]


def test_prose_next_to_the_story_joins_it():
    # A short paragraph ends the story; the link list after it is below the story.
    tail = "lines: {max_words: 12, sentence: false}\nwhere: tail\nrun: {min_lines: 2}"
    text = f"{STORY}\nIt will shut in March, she said.\nMayor defends cuts\nBus routes change\n"
    assert found(tail, text) == [(3, 4, '2 lines at the end of the article: "Mayor defends cuts"')]


@pytest.mark.parametrize(
    "run, lines",
    [
        ("{min_lines: 3, max_digit_share: 0.5}", ["1. Riverside 3", "2. Harbour 2", "3. Northfield 1"]),
        ("{min_lines: 3, max_shared_word_share: 0.6}", ["Arsenal v Stoke", "Derby v Wigan", "Hull v Colchester"]),
        ("{min_lines: 2, after_colon: false}", ["Mayor defends cuts", "Bus routes change"]),
    ],
)
def test_data_lists_are_left_alone(run, lines):
    intro = (
        "These are the results of the vote that the council published on its website on Monday:"
        if "colon" in run
        else "The results follow."
    )
    text = f"{STORY}\n{intro}\n" + "\n".join(lines) + "\n"
    assert found(f"where: tail\nlines: {{max_words: 12, sentence: false}}\nrun: {run}", text) == []


def test_patterns_vocabulary_and_unless():
    options = """
        lines:
          vocabulary: [print, e-mail, this, story, share, digg]
          unless: ['^Digg$']
    """
    text = "Print this story\nShare: Digg | E-mail\nDigg\nEmail-this-story\nPrint the minutes, she said\n"
    assert [line for line, _, _ in found(options, text)] == [1, 2]
    assert [line for line, _, _ in found("lines: {patterns: ['(?i)^\\W*e-?mail\\b']}", text)] == [4]


def test_a_hyphenated_word_made_of_vocabulary_words_counts():
    assert [line for line, _, _ in found("lines: {vocabulary: [email, a, friend]}", "Email-a-friend\n")] == [1]


def test_repeats_headline():
    options = "lines: {repeats_headline: true, headline_extra_words: 3, headline_share: 0.7}"
    text = "AFP: Council to close library\n\nCouncil to close library\n\nCouncil\n"
    assert [line for line, _, _ in found(options, text)] == [3]
    text = "Council to close library\n\nCouncil to close library by Jane Doe\n\nCouncil to close library as the funds run out\n"
    assert [line for line, _, _ in found(options, text)] == [3]
    text = "Riverside Gazette: Local News: Library to close\n\nLibrary to close\n"
    assert found(options, text) == []
    # A byline put before the headline.
    assert [
        line for line, _, _ in found(options, "Council to close library\n\nJane Doe Council to close library\n")
    ] == [3]
    # A first line that ends a sentence is a lede, not a headline: its near copy is the
    # duplicate check's to report (as an unsafe fix), not this rule's.
    lede = "The council voted to close the library on Tuesday after a long debate."
    assert found(options, f"{lede}\n{lede} too\n") == []


def test_foreign_and_story_share():
    options = "where: head\nlines: {first: true, foreign: true}"
    assert [line for line, _, _ in found(options, f"Riverside Gazette Online\n\n{STORY}\n")] == [1]
    assert found(options, f"Library to close\n\n{STORY}\n") == []  # "library" is the story's
    share = "where: head\nlines: {max_story_share: 0.5}"
    assert [line for line, _, _ in found(share, f"Weather forecast\nLibrary vote closes library\n{STORY}\n")] == [1]


def test_a_clause_that_introduces_a_list_joins_the_story_and_its_list_is_spared():
    tail = "where: tail\nlines: {max_words: 12, sentence: false}\nrun: {min_lines: 3, after_colon: false}"
    items = "Northgate\nRiverside\nMarket Square\n"
    assert found(tail, f"{STORY}\nThe branches that stay open are:\n{items}") == []
    assert [line for line, _, _ in found(tail, f"{STORY}\nRelated stories:\n{items}")] == [2]


def test_how_words_are_compared_and_lines_joined_are_options_of_the_story():
    # Stems of 5 letters make "libraries" the story's "library"; of 9 letters they differ.
    text = f"Libraries Weekly\n\n{STORY}\n"
    options = "where: head\nlines: {first: true, foreign: true}"
    assert found(options, text) == []
    assert [line for line, _, _ in found(options + "\nstory: {stem_length: 9}", text)] == [1]
    # Words shorter than min_content_word are not compared: "Town" (the story's) then counts
    # for nothing, and "Chronicle" is foreign.
    text = f"Town Chronicle\n\n{STORY}\n"
    assert found(options, text) == []
    assert [line for line, _, _ in found(options + "\nstory: {min_content_word: 5}", text)] == [1]
    # A sign-off after a dash longer than sign_off_length leaves the line without a sentence end.
    signed = "lines: {sentence: true}"
    assert [line for line, _, _ in found(signed, "He was deported. -- PTI\n")] == [1]
    assert found(signed + "\nstory: {sign_off_length: 3}", "He was deported. -- PTI\n") == []
    # A line shorter than wrap_length does not run on into the next: each is a block.
    wrapped = "lines: {max_words: 4}"
    text = "The council voted on Tuesday to close\nthe library.\n"
    assert found(wrapped, text) == []
    assert [line for line, _, _ in found(wrapped + "\nstory: {wrap_length: 60}", text)] == [2]


def test_fix_deletes_the_run(tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "menu.yaml").write_text(RULE.replace("OPTIONS", textwrap.dedent(MENU_RULE).strip() + "\nfix: delete"))
    article = tmp_path / "a.txt"
    article.write_text(f"Home\nNews\nSport\nCouncil to close library\n{STORY}\n", encoding="utf-8")
    code, payload = check_json(capsys, "--no-cache", "--rules", str(rules), "--select", "menu", "--fix", str(article))
    assert code == 0 and payload["summary"]["fixed"] == 1
    assert article.read_text(encoding="utf-8") == f"Council to close library\n{STORY}\n"


def test_the_builtin_rules_report_a_navigation_menu_and_leave_a_clean_story(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(f"Home\nNews\nSport\nWeather\nCouncil to close library\n{STORY}\n", encoding="utf-8")
    clean = tmp_path / "b.txt"
    clean.write_text(f"Council to close library\n\n{STORY}\n\nIt will shut in March.\n", encoding="utf-8")
    code, payload = check_json(capsys, "--no-cache", str(article), str(clean))
    assert code == 1
    assert ("navigation-above-story", 1) in rules_and_lines(payload)
    assert {v["path"] for v in payload["violations"]} == {str(article)}


def test_the_analysis_is_shared_by_rules_but_never_across_documents():
    one = document.from_text(f"Home\nNews\nSport\nCouncil to close library\n{STORY}\n", "a.txt")
    two = document.from_text(f"Council to close library\n\n{STORY}\n", "b.txt")
    rules = [rule(MENU_RULE, "menu"), rule(MENU_RULE.replace("min_lines: 3", "min_lines: 2"), "menu-two")]
    assert [v.line for v in lint(one, rules)] == [1, 1]
    assert lint(two, rules) == []
    assert [v.line for v in lint(one, rules)] == [1, 1]


def test_a_rule_pickles_for_spawned_workers():
    loaded = rule("lines: {patterns: ['^Home$'], unless: ['x']}")
    loaded.check.compile()
    # As the loader leaves a rule: what the engine works out about its patterns, worked out.
    engine.derived(loaded.check)
    again = pickle.loads(pickle.dumps(loaded))
    assert [v.line for v in lint(document.from_text("Home\n"), [again])] == [1]


def test_a_pattern_rule_has_a_line_matcher_and_a_shape_rule_has_none():
    # The engine's gate skips a rule with a matcher on documents its patterns cannot match.
    assert rule("lines: {patterns: ['^Home$']}").check.matcher is not None
    assert rule("lines: {max_words: 3}").check.matcher is None


@pytest.mark.parametrize(
    "options, message",
    [
        ("stopwords: xx\nlines: {max_words: 3}", "no stop-word list for 'xx'"),
        ("stopwords: ../en\nlines: {max_words: 3}", "no stop-word list for '../en'"),
        ("lines: {max_stopwords: 1.5}", "must be a share between 0 and 1"),
        ("lines: {patterns: ['(?<=x)y']}", "invalid regular expression"),
        ("lines: {max_word: 3}", "unknown key 'max_word'"),
        ("where: top\nlines: {max_words: 3}", "'where' must be one of"),
        ("lines: {vocabulary: [print, yes]}", "'vocabulary' must be a list of strings"),
    ],
)
def test_bad_options_name_the_rule_file(options, message):
    with pytest.raises(RuleError) as error:
        rule(options)
    assert "rules/x/chrome.yaml" in str(error.value) and message in str(error.value)


def test_the_stopword_list_is_data_shipped_with_newslint():
    words = context_analysis.load_stopwords("en")
    assert {"the", "and", "of", "don't"} <= words and "council" not in words
