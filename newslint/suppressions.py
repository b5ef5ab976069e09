"""Suppression comments in Markdown articles, applied to one file's violations after linting.

    <!-- newslint: disable-next-line site-footer,photo-caption -->   the next line with text
    <!-- newslint: disable site-footer -->  ...  <!-- newslint: enable site-footer -->
    <!-- newslint: disable-file -->   or   <!-- newslint: disable-file orphan-dateline -->

A comment stands alone on its line; naming no rule means every rule. A violation is suppressed
when the line it starts on is covered. A comment that suppresses nothing, names an unknown rule
or is not a newslint directive is itself reported as `unused-suppression` (as ruff reports an
unused `noqa`), so suppressions do not outlive the junk they were written for. Plain text has no
comment syntax: there the comment is reported too, and per-file-ignores or the baseline serve.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from newslint.document import DIRECTIVE_LINE, Document
from newslint.violations import Fix, RuleInfo, Span, Violation

MARKDOWN_SUFFIXES = (".md", ".markdown")
ACTIONS = ("disable-next-line", "disable", "enable", "disable-file")

UNUSED_SUPPRESSION = RuleInfo(
    name="unused-suppression",
    category="other",
    severity="warning",
    doc={
        "what": "A newslint suppression comment that suppresses nothing, names an unknown rule, "
        "or is not a newslint directive.",
        "why": "A suppression left behind after the junk it was written for is gone would hide the "
        "next real problem on that line; a misspelt one never worked.",
        "fix": "Deletes the comment line when nothing in it is still used.",
    },
)

_NAME_SEPARATORS = re.compile(r"[\s,]+")


class Directive:
    """One `<!-- newslint: ... -->` comment, and what came of it."""

    def __init__(
        self,
        line: int,
        column: int,  # of "<!--"
        end_column: int,  # one past "-->"
        action: str,
        rules: tuple[str, ...],  # empty: every rule
        problem: str | None = None,  # why it can never suppress anything
        unknown: tuple[str, ...] = (),  # rule names that are not rules
    ):
        self.line, self.column, self.end_column = line, column, end_column
        self.action, self.rules = action, rules
        self.problem, self.unknown = problem, unknown
        self.used: set[str] = set()  # rule names it suppressed

    def __repr__(self) -> str:
        return f"Directive({self.line}:{self.column} {self.action} {', '.join(self.rules) or 'all'})"


class _Cover(NamedTuple):
    """Lines first..last (inclusive) where `rules` (None: every rule) are suppressed by `directive`."""

    first: int
    last: int
    rules: frozenset[str] | None
    directive: Directive

    def covers(self, violation: Violation) -> bool:
        return self.first <= violation.line <= self.last and (self.rules is None or violation.rule in self.rules)


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


def parse_directives(document: Document, known_rules: frozenset[str]) -> list[Directive]:
    directives = []
    markdown = is_markdown(document.path)
    for number in document.directive_lines:
        text = document.line(number).text
        match = DIRECTIVE_LINE.match(text)
        assert match is not None  # directive_lines are the lines it matches (document.py)
        start = text.index("<!--")
        end = text.rindex("-->") + 3
        words = match.group(1).split(None, 1)
        action = words[0] if words else ""
        rules = tuple(name for name in _NAME_SEPARATORS.split(words[1] if len(words) > 1 else "") if name)
        directive = Directive(number, start + 1, end + 1, action, rules)
        if not markdown:
            directive.problem = (
                "newslint comments work only in Markdown files; in plain text use per-file-ignores or the baseline"
            )
        elif action not in ACTIONS:
            directive.problem = f"unknown newslint directive {action!r} (expected one of: {', '.join(ACTIONS)})"
        directive.unknown = tuple(name for name in rules if name not in known_rules)
        directives.append(directive)
    return directives


def _covers(document: Document, directives: list[Directive]) -> list[_Cover]:
    """What each working directive covers. An `enable` that ends nothing is given a problem."""
    last_line = len(document.lines)
    directive_lines = set(document.directive_lines)
    covers: list[_Cover] = []
    open_ranges: dict[str | None, Directive] = {}  # rule name (None: every rule) -> its `disable`

    def close(key: str | None, before: int) -> None:
        opened = open_ranges.pop(key)
        covers.append(_Cover(opened.line + 1, before - 1, frozenset([key]) if key else None, opened))

    for directive in directives:
        if directive.problem:
            continue
        rules = frozenset(directive.rules) if directive.rules else None
        if directive.action == "disable-file":
            covers.append(_Cover(1, last_line, rules, directive))
        elif directive.action == "disable-next-line":
            target = next(
                (
                    ln.number
                    for ln in document.lines[directive.line :]
                    if not ln.is_blank and ln.number not in directive_lines
                ),
                None,
            )
            if target is not None:
                covers.append(_Cover(target, target, rules, directive))
        elif directive.action == "disable":
            for key in directive.rules or (None,):
                if key not in open_ranges:
                    open_ranges[key] = directive
        else:  # enable
            keys = [key for key in (directive.rules or list(open_ranges)) if key in open_ranges]
            if not keys:
                directive.problem = "`enable` without a matching `disable` before it"
            for key in keys:
                close(key, directive.line)
    for key in list(open_ranges):
        close(key, last_line + 1)
    return covers


def apply(
    document: Document,
    violations: list[Violation],
    ran_rules: frozenset[str],
    known_rules: frozenset[str],
    unused: RuleInfo | None,
) -> list[Violation]:
    """`violations` less those the document's comments suppress, plus a report of each comment
    that suppresses nothing when `unused` (the unused-suppression rule, as configured) is given.

    `ran_rules` are the rules run on this file: a comment naming a rule that did not run (not
    selected, or ignored for this file) cannot be judged unused.
    """
    if not document.directive_lines:
        return violations
    directives = parse_directives(document, known_rules)
    covers = _covers(document, directives)
    kept = []
    for violation in violations:
        covering = [cover for cover in covers if cover.covers(violation)]
        for cover in covering:
            cover.directive.used.add(violation.rule)
        if not covering:
            kept.append(violation)
    if unused is not None:
        kept.extend(_unused_reports(document, directives, ran_rules, unused))
        kept.sort()
    return kept


def _unused_reports(
    document: Document, directives: list[Directive], ran_rules: frozenset[str], unused: RuleInfo
) -> list[Violation]:
    reports = []
    for directive in directives:
        if directive.action == "enable" and not directive.problem:
            continue
        if directive.problem:  # it never worked: the fix is to correct it, not to delete it
            message, removable = directive.problem, False
        elif directive.unknown:
            names = ", ".join(directive.unknown)
            message, removable = f"Suppression names unknown rule(s): {names}", False
        elif not directive.rules:
            if directive.used:
                continue
            message, removable = "Suppression comment suppresses nothing", True
        else:
            idle = [name for name in directive.rules if name in ran_rules and name not in directive.used]
            if not idle:
                continue
            message = f"Suppression of {', '.join(idle)} suppresses nothing"
            removable = not directive.used and len(idle) == len(directive.rules)
        start, end = document.line_range(directive.line, directive.line)
        reports.append(
            Violation.at(
                document.path,
                Span(directive.line, directive.column, directive.line, directive.end_column),
                unused,
                message,
                fix=Fix(start, end) if removable else None,
                text=document.line(directive.line).text.strip(),
            )
        )
    return reports
