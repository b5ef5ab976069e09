"""The options of the `context` check (context.py) that are mappings of their own: `story` (how
the story is found), `lines` (what a line must have to count) and `run` (how many counted lines
together are reported), each with its fields' documentation and checks."""

from __future__ import annotations

from typing import Any

from newslint.checks.context_analysis import STOPWORDS_DIR
from newslint.checks.options import Option
from newslint.engine import regex_problem


def stopwords_problem(language: str) -> str | None:
    if not language.isalnum() or not (STOPWORDS_DIR / f"{language}.txt").is_file():
        known = ", ".join(sorted(p.stem for p in STOPWORDS_DIR.glob("*.txt")))
        return f"no stop-word list for {language!r} (newslint has: {known})"
    return None


def _share(value: float) -> str | None:
    return None if 0 <= value <= 1 else "must be a share between 0 and 1"


STORY_FIELDS = {
    "min_length": Option(
        "int",
        "A block (a line, or the lines of a hard-wrapped paragraph) is story text only if it is at least "
        "this many characters long...",
        default=150,
        minimum=1,
    ),
    "min_stopwords": Option(
        "number",
        "...at least this share of its words are stop words...",
        default=0.3,
        check=_share,
    ),
    "sentence": Option("bool", "...and (if true) it ends a sentence.", default=False),
    "near_words": Option(
        "int",
        "A line of at least this many words that ends a sentence, next to the story, is the story's too "
        "(and so on outwards), if...",
        default=5,
        minimum=1,
    ),
    "near_stopwords": Option(
        "number", "...at least this share of its words are stop words.", default=0.2, check=_share
    ),
    "headline_words": Option(
        "int",
        "Above the story, the last line of at least this many words is taken for the headline: it and "
        "the lines between it and the story (byline, date) are spared by rules with `spare_headline`.",
        default=3,
        minimum=1,
    ),
    "wrap_length": Option(
        "int",
        "A line at least this many characters long that stops mid-sentence, followed by one that carries "
        "on (in lower case, or after a comma, hyphen, bracket or semicolon), is part of a hard-wrapped paragraph.",
        default=35,
        minimum=1,
    ),
    "sign_off_length": Option(
        "int",
        'A dash and at most this many characters after a sentence ("... deport him. -- PTI") are a '
        "sign-off: the line still ends a sentence.",
        default=30,
        minimum=0,
    ),
    "stem_length": Option(
        "int",
        'Words are compared across lines by their first this many letters ("dies" and "died").',
        default=5,
        minimum=1,
    ),
    "min_content_word": Option(
        "int",
        "Words shorter than this (and stop words and numbers) are not compared across lines.",
        default=3,
        minimum=1,
    ),
}

LINE_FIELDS = {
    "min_words": Option(
        "int", "At least this many words (those of its paragraph, for a hard-wrapped line).", default=None, minimum=0
    ),
    "max_words": Option("int", "At most this many words (likewise).", default=None, minimum=0),
    "max_length": Option("int", "At most this many characters (stripped).", default=None, minimum=1),
    "sentence": Option(
        "bool", "Whether it ends a sentence (. ! or ? before any closing quote or bracket).", default=None
    ),
    "max_stopwords": Option("number", "At most this share of its words are stop words.", default=None, check=_share),
    "vocabulary": Option(
        "str-list",
        "Words such lines are made of (a tool row's: print, e-mail, share, ...), matched "
        "regardless of case and punctuation.",
        default=None,
    ),
    "min_vocabulary_share": Option(
        "number", "With `vocabulary`: at least this share of the line's words are from it.", default=1.0, check=_share
    ),
    "patterns": Option("str-list", "RE2 patterns: it matches one of them.", default=None, check=regex_problem),
    "unless": Option("str-list", "RE2 patterns: it matches none of them.", default=None, check=regex_problem),
    "first": Option("bool", "It is the article's first line (true) or not (false).", default=None),
    "repeats_headline": Option(
        "bool",
        "It repeats the article's first line: the same words; or those and at most `headline_extra_words` "
        "more before or after them (a byline run into it); or the end of it, of at least `headline_share` "
        "of its characters (the first line being the headline after a site's or an agency's name).",
        default=None,
    ),
    "headline_extra_words": Option("int", "See `repeats_headline`.", default=5, minimum=0),
    "headline_share": Option("number", "See `repeats_headline`.", default=0.7, check=_share),
    "max_story_share": Option(
        "number",
        "At most this share of its words (stop words, numbers and words under 3 letters aside) occur "
        "in the story, compared by their first 5 letters: a line about something else.",
        default=None,
        check=_share,
    ),
    "foreign": Option(
        "bool",
        "None of its words (stop words and words under 3 letters aside) occurs in the rest of the "
        "article, compared by their first 5 letters.",
        default=None,
    ),
}

RUN_FIELDS = {
    "min_lines": Option(
        "int", "At least this many such lines together (blank lines between them allowed).", default=1, minimum=1
    ),
    "max_digit_share": Option(
        "number",
        "At most this share of the run's lines hold a digit: more, and it is data the story lists "
        "(results, fixtures, a schedule), not a menu.",
        default=None,
        check=_share,
    ),
    "max_shared_word_share": Option(
        "number",
        "At most this share of the run's lines may share a word (other than their first): more, and it "
        'is a templated list the story gives (fixtures "X v Y", addresses "..., Fairmont, NC"), not links.',
        default=None,
        check=_share,
    ),
    "after_colon": Option(
        "bool",
        "Whether a run right after a line ending in a colon counts: false, and such a run is a list "
        "the story introduces.",
        default=True,
    ),
}


def with_defaults(fields: dict[str, Option], values: dict[str, Any] | None) -> dict[str, Any]:
    return dict(values) if values is not None else {name: option.default for name, option in fields.items()}
