"""The registry of check kinds: the `check:` key of a rule file names one of these."""

from __future__ import annotations

from newslint.checks.base import Check
from newslint.checks.context import ContextCheck
from newslint.checks.cross_article import CrossArticleCheck
from newslint.checks.duplicate import DuplicateCheck
from newslint.checks.pattern import PatternCheck
from newslint.checks.phrase import PhraseCheck

CHECKS: dict[str, type[Check]] = {
    "context": ContextCheck,
    "cross-article": CrossArticleCheck,
    "duplicate": DuplicateCheck,
    "phrase": PhraseCheck,
    "pattern": PatternCheck,
}
