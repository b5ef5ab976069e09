"""The one loop: run each rule's check over a document and turn findings into violations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from newslint.document import Document
from newslint.rules import Rule
from newslint.violations import Fix, Violation

if TYPE_CHECKING:
    from newslint.engine import Gate


def lint(document: Document, rules: Iterable[Rule], gate: Gate | None = None) -> list[Violation]:
    """All violations of `rules` in `document`, sorted by position then rule name. No I/O.

    With the engine's gate, rules it shows cannot match the document are not run (same result)."""
    if gate is not None:
        rules = gate.select(document, list(rules))
    violations = []
    for rule in rules:
        if rule.check.ACROSS_ARTICLES:  # found over the archive (repeats.py), not in one document
            continue
        for finding in rule.findings(document):
            fix = None
            if rule.fix != "none" and finding.fix_range is not None:
                safe = rule.fix == "delete" and finding.exact
                fix = Fix(finding.fix_range[0], finding.fix_range[1], safe)
            violations.append(
                Violation.at(
                    document.path,
                    finding.span,
                    rule,
                    rule.format_message(finding),
                    related=finding.related,
                    fix=fix,
                    text=finding.text,
                )
            )
    violations.sort()
    return violations
