"""The interface every check kind implements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from newslint.checks.options import Option
from newslint.document import Document
from newslint.violations import Finding

if TYPE_CHECKING:
    from newslint.engine.lines import LineMatcher


class Check:
    """A kind of check. A rule file names one (`check: phrase`) and sets its options.

    Subclasses declare OPTIONS and MESSAGE_FIELDS, compile what they need once in __init__
    (raising ValueError with a short reason for a bad option value; the loader turns it into an
    error naming the rule file), and yield Findings from `run`. Checks never print or read files.
    """

    OPTIONS: ClassVar[dict[str, Option]] = {}
    # A kind whose findings need the other articles of the archive (cross_article.py): the
    # linter never runs it on one document; repeats.py does its work over the archive.
    ACROSS_ARTICLES: ClassVar[bool] = False
    # Names a rule's message may use besides {match}; the loader rejects any other placeholder.
    MESSAGE_FIELDS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: dict[str, Any]):
        self.options = options

    @property
    def matcher(self) -> LineMatcher | None:
        """The engine's matcher of the check's line patterns (newslint/engine/), for a check whose
        findings are matches in lines; None for one that reads the document its own way. How the
        matches are found fast, and which documents they can be in, is the engine's business."""
        return None

    def run(self, document: Document) -> Iterable[Finding]:
        raise NotImplementedError

    def compile(self) -> None:
        """Build what `run` needs that __init__ left for later; raise ValueError if it cannot be
        built. The loader calls it on every rule file it parses, so a rule that would fail on
        first use fails at load instead."""

    def program_size(self) -> int:
        """The instructions of the RE2 programs `compile` built (0 for a check with none): the
        loader holds a run's rules to a total, so no set of rule files can take unbounded
        time and memory to compile."""
        return 0
