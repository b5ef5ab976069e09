"""What a run reports of what its rules find: the filters, in the order a run applies them.

1. Selection and severity (Plan.of): the rules that run at all are `select`'s (without it,
   those enabled by default) less `ignore`'s, each reporting with the severity `severity`
   gives it. A rule that is not selected is never run, and cannot be reported.
2. Per-file ignores (Plan.rules_for): of those, the rules that `per-file-ignores` names for a
   file (by its path relative to the config's folder) are not run on it.
3. Then lint (linter.lint) runs the remaining rules over the file's document.
4. Suppression comments (suppressions.apply): in a Markdown file, what a `<!-- newslint: ... -->`
   comment covers is dropped, and a comment that suppresses nothing is reported as
   `unused-suppression` (where that rule is selected and not ignored for the file).
5. The baseline (baseline.BaselineRun, file by file as the results pass): the problems the
   baseline file records are left out of the report and counted; once every file has passed,
   its entries for checked files that match no problem any more are counted as stale.
6. The change (within_change, with --diff-base): only the problems whose lines touch a line
   the change added or modified are reported (a repeated paragraph: its later copy, the one
   reported); the others are left out and counted.

Steps 1 to 4 concern one file alone (find_problems): the result cache keeps what they give,
and --fix fixes exactly what they report, so it never touches ignored or suppressed text.
Steps 5 and 6 are applied in the parent process to each file's result as it passes (a
baseline's entries each name one file, so a file is matched against its own); only the stale
count and --update-baseline, which records what step 4 gives, wait for the end. Step 6 comes last, so the
baseline sees every problem of the files it covers and does not call its entries for untouched
lines stale; the cache keeps what steps 1 to 4 give, which does not depend on the change. With
--fix, only the problems step 6 would report are fixed (fix.fix_document's `lines`).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

from newslint import suppressions
from newslint.config import SEVERITY_RANK, Config
from newslint.globs import GlobSet, relative_to
from newslint.lineranges import LineRanges, touches
from newslint.linter import lint
from newslint.rules import Rule
from newslint.suppressions import UNUSED_SUPPRESSION
from newslint.violations import RuleInfo, Violation

if TYPE_CHECKING:
    from newslint.checks.cross_article import CrossArticleCheck
    from newslint.document import Document
    from newslint.engine import Gate
    from newslint.fix import FindProblems


class Plan:
    """What a run does with its rules: which run on each file, what it may report, and what
    fails the run."""

    def __init__(
        self,
        config: Config,
        all_rules: list[Rule],  # every loaded rule, with severity overrides
        rules: list[Rule],  # the selected ones
        known_rules: frozenset[str],
        unused_suppression: RuleInfo | None,  # None when unused-suppression is not selected
        own_severity: dict[str, str] | None = None,  # each rule's severity in its file, before overrides
    ):
        self.config = config
        self.all_rules = all_rules
        self.rules = rules
        # The rules run on each document (linter.lint), and those run over the archive, whose
        # findings need the other articles (repeats.py; Check.ACROSS_ARTICLES).
        self.document_rules = [rule for rule in rules if not rule.check.ACROSS_ARTICLES]
        self.cross_article_rules = [rule for rule in rules if rule.check.ACROSS_ARTICLES]
        self.known_rules = known_rules
        self.unused_suppression = unused_suppression
        self.own_severity = own_severity if own_severity is not None else {r.name: r.severity for r in all_rules}
        self._per_file = [(GlobSet([glob]), frozenset(names)) for glob, names in config.per_file_ignores]

    @classmethod
    def of(cls, config: Config, loaded: list[Rule]) -> Plan:
        """Step 1: check every rule name `config` uses against the `loaded` rules (an unknown
        one is an error naming where it was written), and choose the rules that run."""
        known = frozenset(rule.name for rule in loaded) | {UNUSED_SUPPRESSION.name}
        config.check_rule_names(known)
        severity = dict(config.severity)
        with_severity = [
            rule._replace(severity=severity[rule.name]) if rule.name in severity else rule for rule in loaded
        ]
        if config.select is not None:
            chosen = [rule for rule in with_severity if rule.name in config.select]
        else:
            chosen = [rule for rule in with_severity if rule.enabled]
        chosen = [rule for rule in chosen if rule.name not in config.ignore]
        unused = None
        name = UNUSED_SUPPRESSION.name
        if (config.select is None or name in config.select) and name not in config.ignore:
            unused = UNUSED_SUPPRESSION._replace(severity=severity.get(name, UNUSED_SUPPRESSION.severity))
        return cls(config, with_severity, chosen, known, unused, {rule.name: rule.severity for rule in loaded})

    def why_off(self, name: str) -> str | None:
        """Why the rule `name` does not run in this run (for `newslint rules`), or None if it runs."""
        if name in self.rule_names or (self.unused_suppression is not None and name == self.unused_suppression.name):
            return None
        if name in self.config.ignore:
            return "ignored"
        if self.config.select is not None:
            return "not selected"
        return "off unless selected"

    def ignored_by_globs(self, name: str) -> list[str]:
        """The per-file-ignores globs whose files the rule `name` is not run on."""
        return [glob for glob, names in self.config.per_file_ignores if name in names]

    def ignored_for(self, path: str) -> frozenset[str]:
        """Step 2: the rule names per-file-ignores names for `path`."""
        if not self._per_file:
            return frozenset()
        relative = relative_to(path, self.config.root)
        return frozenset().union(*(names for globs, names in self._per_file if globs.match(relative)))

    def rules_for(self, path: str) -> list[Rule]:
        """The rules run on the document of `path`: the document rules less its per-file ignores."""
        ignored = self.ignored_for(path)
        return [rule for rule in self.document_rules if rule.name not in ignored] if ignored else self.document_rules

    def unused_suppression_for(self, path: str) -> RuleInfo | None:
        if self.unused_suppression is None or self.unused_suppression.name in self.ignored_for(path):
            return None
        return self.unused_suppression

    @cached_property
    def gate(self) -> Gate:
        """The engine's gate for the selected rules: spares, per document, those that cannot
        match it (see newslint/engine/)."""
        from newslint import engine

        return engine.gate_for(self.document_rules)

    @cached_property
    def rule_names(self) -> frozenset[str]:
        return frozenset(rule.name for rule in self.rules)

    @cached_property
    def document_rule_names(self) -> frozenset[str]:
        return frozenset(rule.name for rule in self.document_rules)

    def rule_infos(self) -> list[RuleInfo]:
        """Metadata of every rule that can report in this run (for SARIF's rule list)."""
        infos = [rule.info for rule in self.rules]
        if self.unused_suppression is not None:
            infos.append(self.unused_suppression)
        return infos

    @cached_property
    def _reported(self) -> dict[str, tuple[str, str]]:
        return {info.name: (info.category, info.severity) for info in self.rule_infos()}

    def reports(self, violation: Violation) -> bool:
        """Whether this run could report `violation` (one read back from the result cache):
        found by a rule it runs, with the category and severity that rule reports with."""
        return self._reported.get(violation.rule) == (violation.category, violation.severity)

    def fails(self, violation: Violation) -> bool:
        """Whether `violation` fails the run (its severity is at least fail-on's)."""
        return SEVERITY_RANK[violation.severity] >= SEVERITY_RANK[self.config.fail_on]


def find_problems(plan: Plan) -> FindProblems:
    """Steps 2 to 4 for one document: the rules `plan` runs on its path, less what its
    suppression comments suppress, plus the comments that suppress nothing. --fix fixes exactly
    these, so it never touches suppressed text."""

    def find(doc: Document) -> list[Violation]:
        rules = plan.rules_for(doc.path)
        # A comment naming a cross-article rule is not judged unused here: that rule's problems
        # are found over the archive (repeats.py), which applies the comments to them.
        ran = plan.document_rule_names if rules is plan.document_rules else frozenset(rule.name for rule in rules)
        found = lint(doc, rules, plan.gate)
        return suppressions.apply(doc, found, ran, plan.known_rules, plan.unused_suppression_for(doc.path))

    return find


# One unit of a cross-article rule (checks/cross_article.py) as worked out and as cached:
# fingerprint, line, column, end line, end column, and 1 when it may be reported, else 0.
UnitData = list[int]
# An article's units, one list per cross-article rule of the plan, in the plan's order.
ArticleData = list[list[UnitData]]


def article_units(document: Document, plan: Plan) -> ArticleData:
    """Step 4 for the cross-article rules, whose problems are found over the archive
    (repeats.py, which applies step 2): the units of `document` for each, each marked with
    whether it may be reported there (no suppression comment covers it)."""
    data = []
    for rule in plan.cross_article_rules:
        units = cast("CrossArticleCheck", rule.check).units(document)
        candidates = [Violation.at(document.path, unit.span, rule, "") for unit in units]
        kept = set(suppressions.apply(document, candidates, frozenset(), plan.known_rules, None))
        data.append(
            [
                [unit.fingerprint, *unit.span[:4], int(found in kept)]
                for unit, found in zip(units, candidates, strict=True)
            ]
        )
    return data


def within_change(violations: list[Violation], lines: LineRanges) -> tuple[list[Violation], int]:
    """Step 6 for one file: of its `violations`, those whose lines touch the `lines` the change
    added or modified in it (a file with none: ()), and how many were left out. A dataset's
    problem is kept when the line its record starts on was touched."""
    kept = [
        v for v in violations if touches(lines, *((v.line, v.end_line) if v.record is None else (v.record.line,) * 2))
    ]
    return kept, len(violations) - len(kept)
