"""`phrase`: a list of literal phrases, matched in one pass.

The phrases compile into one RE2 alternation (RE2 matches an alternation of hundreds of
literals in a single linear pass). Matching ignores case and treats any run of spaces in a
phrase as any run of whitespace in the text.

`match` says how a phrase must sit in its line:
- `line`: the phrase is the whole line, bar surrounding punctuation and Markdown markers
  ("- Advertisement", "**ADVERTISEMENT**");
- `start` / `end`: the line begins / ends with the phrase;
- `contains`: anywhere, on word boundaries.
"""

from __future__ import annotations

from typing import Any

import re2

from newslint.checks.matching import SCOPE_OPTIONS, LineMatchCheck
from newslint.checks.options import Option

# Anything that is not a letter or a digit: punctuation, Markdown markers, spaces.
_EDGE = r"[^\pL\pN\n]*"


def _phrase_list_problem(phrases: list[str]) -> str | None:
    for phrase in phrases:
        if not phrase.strip():
            return "phrases must not be blank"
        if "\n" in phrase or "\r" in phrase:
            return f"a phrase must fit on one line: {phrase!r}"
    return None


class PhraseCheck(LineMatchCheck):
    """Flags lines that hold one of a list of literal phrases: "Advertisement", "Share this
    article", "Track Latest News Live on NDTV.com ...". Spacing is ignored (a space in a phrase
    matches any run of whitespace), and so is case unless `ignore_case: false`. All the phrases of
    a rule are matched in one pass. A phrase that is only part of its line is reported with its
    own columns, and its fix removes only that part."""

    OPTIONS = {
        "phrases": Option(
            "str-list",
            "The literal phrases to flag, each on one line and not blank. No character is special: "
            "write a regular expression with the `pattern` kind.",
            check=_phrase_list_problem,
        ),
        "match": Option(
            "str",
            "How the phrase sits in its line: `line`, it is the whole line, bar punctuation and Markdown "
            'markers around it ("- Advertisement", "**ADVERTISEMENT**"); `start` / `end`, the line '
            "begins / ends with it; `contains`, anywhere in the line, on word boundaries.",
            default="line",
            choices=("line", "start", "end", "contains"),
        ),
        **SCOPE_OPTIONS,
    }

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(options)
        # Longest first, so that of two phrases where one starts the other, the longer wins.
        phrases = sorted({p.strip() for p in options["phrases"]}, key=len, reverse=True)
        alternation = "|".join(_phrase_regex(p) for p in phrases)
        body = f"(?:{alternation})"
        mode = options["match"]
        if mode == "line":
            pattern = rf"(?m)^{_EDGE}{body}{_EDGE}$"
        elif mode == "start":
            pattern = rf"(?m)^{_EDGE}{body}{_boundary_after(phrases)}"
        elif mode == "end":
            pattern = rf"(?m){_boundary_before(phrases)}{body}{_EDGE}$"
        else:
            pattern = rf"{_boundary_before(phrases)}{body}{_boundary_after(phrases)}"
        self.pattern = pattern


def _phrase_regex(phrase: str) -> str:
    return r"\s+".join(re2.escape(word) for word in phrase.split())


def _boundary_before(phrases: list[str]) -> str:
    # \b only where every phrase starts with a word character; RE2's \b is ASCII-only, so a
    # phrase starting with punctuation ("(Photo:") gets no boundary instead of a wrong one.
    return r"\b" if all(_is_word_char(p[0]) for p in phrases) else ""


def _boundary_after(phrases: list[str]) -> str:
    return r"\b" if all(_is_word_char(p[-1]) for p in phrases) else ""


def _is_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")
