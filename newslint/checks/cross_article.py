"""The cross-article check: a paragraph (or line) of one article found in another article of the
archive, a story copied into another or a syndicated story filed twice.

One article alone cannot tell: the check gives each article's units (its paragraphs or lines,
normalised as the duplicate check normalises them, each with a 64-bit fingerprint), and
repeats.py puts every article's units in one index and reports, in each article checked, the
units another article holds too. So a rule of this kind is never run by the linter on one
document (Check.ACROSS_ARTICLES).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, NamedTuple

from newslint.checks.base import Check
from newslint.checks.duplicate_units import UNIT_OPTION, document_units
from newslint.checks.options import Option
from newslint.document import Document
from newslint.engine import alternation, compile_re2, regex_problem
from newslint.violations import Finding, Span


class ArticleUnit(NamedTuple):
    """A unit of an article that other articles may hold: its fingerprint and where it is."""

    fingerprint: int  # of its normalised text (64 bits): equal texts, equal fingerprints
    span: Span
    text: str


class CrossArticleCheck(Check):
    """Flags a paragraph (or line) that another article of the archive holds too: the archive is
    the repository of the config file in use (every article under its folder, as a folder walk
    finds them, plus the paths checked), or without a config file the paths checked. Units are
    compared with case, spacing and punctuation folded away, exactly (by a 64-bit fingerprint of
    the folded text); a unit repeated within one article is the duplicate check's. Each article
    checked reports its own copy, naming the first other article holding it in the order files
    are found. A rule of this kind has no fix: which article keeps the paragraph is an editor's
    call. Articles are read and hashed on every run; with the result cache, only those whose
    bytes changed are worked out again. Message fields: `{repeat}` ("Paragraph also in b.md:12
    (and 2 more articles)"), `{other}` and `{other_line}` (the first other article and the line
    there) and `{articles}` (how many other articles hold it)."""

    ACROSS_ARTICLES: ClassVar[bool] = True
    OPTIONS: ClassVar[dict[str, Option]] = {
        "unit": UNIT_OPTION,
        "min_length": Option(
            "int",
            "Units shorter than this many normalised characters are never compared: a short line "
            "(a byline, a credit, a one-line quote) may well appear in two stories.",
            default=100,
            minimum=1,
        ),
        "ignore_patterns": Option(
            "str-list",
            "RE2 patterns: units matching any of them are never compared (text articles share by design).",
            default=None,
            check=regex_problem,
        ),
    }
    MESSAGE_FIELDS: ClassVar[tuple[str, ...]] = ("repeat", "other", "other_line", "articles")

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(options)
        patterns = options["ignore_patterns"]
        self.ignore = compile_re2(alternation(patterns), False) if patterns else None

    def program_size(self) -> int:
        return 0 if self.ignore is None else int(self.ignore.programsize)

    def run(self, document: Document) -> Iterable[Finding]:
        raise TypeError("a cross-article rule is run over an archive (repeats.py), not on one document")

    def units(self, document: Document) -> list[ArticleUnit]:
        """The document's units that are long enough to compare, in document order."""
        from hashlib import blake2b  # here: a run without a cross-article rule is spared hashlib

        min_length = self.options["min_length"]
        units = []
        for first, last, text, words in document_units(document, self.options["unit"]):
            norm = " ".join(words)
            if len(norm) < min_length or (self.ignore is not None and self.ignore.search(text)):
                continue
            fingerprint = int.from_bytes(blake2b(norm.encode(), digest_size=8).digest(), "big")
            span = Span(first, 1, last, len(document.line(last).text) + 1)
            units.append(ArticleUnit(fingerprint, span, text))
        return units
