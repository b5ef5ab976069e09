"""The interface every check kind implements."""

from __future__ import annotations

from typing import Any, ClassVar, Iterable

from newslint.checks.literals import Literal
from newslint.checks.options import Option
from newslint.document import Document
from newslint.violations import Finding


class Check:
    """A kind of check. A rule file names one (`check: phrase`) and sets its options.

    Subclasses declare OPTIONS and MESSAGE_FIELDS, compile what they need once in __init__
    (raising ValueError with a short reason for a bad option value; the loader turns it into an
    error naming the rule file), and yield Findings from `run`. Checks never print or read files.
    """

    OPTIONS: ClassVar[dict[str, Option]] = {}
    # Names a rule's message may use besides {match}; the loader rejects any other placeholder.
    MESSAGE_FIELDS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: dict[str, Any]):
        self.options = options

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

    def required_literals(self) -> frozenset[Literal] | None:
        """Literals one of which every finding's text contains, or None (the rule always runs):
        the prefilter skips the rule on documents that contain none of them."""
        return None

    def screen(self) -> str | None:
        """An RE2 pattern (never_nl, case-sensitive) that matches every document the rule may
        report something in, or None (the rule always runs): the prefilter searches all the
        rules' screens in one pass and skips a rule on documents its screen does not match."""
        return None

    def derived(self) -> dict[str, Any]:
        """What the check works out from its options and would rather not work out again
        (JSON values): the rule cache keeps it and gives it back through `restore`."""
        return {}

    def restore(self, derived: dict[str, Any]) -> None:
        """Take back what `derived` returned; raise TypeError or ValueError if it is damaged."""
