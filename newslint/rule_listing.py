"""What `newslint rules [NAME...]` says about the rules of a run's plan: a list of every rule, an
explanation of the rules named, or either as JSON data. It gives text; cli.py prints it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newslint.errors import UsageError
from newslint.filters import Plan
from newslint.formats import json_text, printable
from newslint.rules import Rule
from newslint.suppressions import UNUSED_SUPPRESSION
from newslint.violations import RuleInfo


def rules_text(plan: Plan, names: Sequence[str], output_format: str, listed_by_flags: bool) -> str:
    """The output of `newslint rules`: the rules `names` says, else every rule (only those that
    run when --select or --ignore narrowed them: `listed_by_flags`), in `output_format`."""
    if names:
        rules: list[Rule | RuleInfo] = [named_rule(plan, name) for name in names]
    else:
        rules = list(plan.rules if listed_by_flags else plan.all_rules)
    if output_format == "json":
        return json_text([rule_data(plan, rule) for rule in rules], indent=2) + "\n"
    if names:
        from newslint.ruledocs import reported_rule_text, rule_text  # here: only explaining a rule needs them

        texts = [
            rule_text(rule, rule_notes(plan, rule)) if isinstance(rule, Rule) else reported_rule_text(rule)
            for rule in rules
        ]
        return "\n".join(texts)
    lines: list[str] = []
    for rule in rules:
        assert isinstance(rule, Rule)  # without names, the rules of rule files only
        off = plan.why_off(rule.name)
        state = "" if off is None else f" ({off})"
        fix = "" if rule.fix == "none" else f", fix: {rule.fix}"
        own = plan.own_severity.get(rule.name, rule.severity)
        severity = rule.severity if own == rule.severity else f"{rule.severity} (the rule's own: {own})"
        lines.append(f"{rule.name}  [{rule.category}, {severity}, {rule.kind}{fix}]{state}")
        # A rule file comes from whoever wrote it (a pull request): its doc is printed escaped.
        lines.append(f"    {printable(rule.doc['what'])}")
        lines.append(f"    Why: {printable(rule.doc['why'])}")
        if rule.doc.get("fix"):
            lines.append(f"    Fix: {printable(rule.doc['fix'])}")
    return "".join(line + "\n" for line in lines)


def rule_data(plan: Plan, rule: Rule | RuleInfo) -> dict[str, Any]:
    """A rule in `newslint rules --format json` (a rule newslint reports itself has no file)."""
    own_file = rule if isinstance(rule, Rule) else None
    return {
        "name": rule.name,
        "check": own_file and own_file.kind,
        "category": rule.category,
        "severity": rule.severity,
        "own_severity": plan.own_severity.get(rule.name, rule.severity),
        "enabled": own_file.enabled if own_file else True,
        "runs": plan.why_off(rule.name) is None,
        "fix": own_file and own_file.fix,
        "path": own_file and own_file.path,
        "doc": rule.doc,
    }


def named_rule(plan: Plan, name: str) -> Rule | RuleInfo:
    """The loaded rule called `name` (with the config's severity), or unused-suppression (which
    newslint reports itself), or a UsageError suggesting the closest names."""
    for rule in plan.all_rules:
        if rule.name == name:
            return rule
    if name == UNUSED_SUPPRESSION.name:
        return plan.unused_suppression or UNUSED_SUPPRESSION
    import difflib

    close = difflib.get_close_matches(name, sorted(plan.known_rules), n=3)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise UsageError(f"unknown rule {name!r}{hint} (`newslint rules` lists them)")


def rule_notes(plan: Plan, rule: Rule) -> list[str]:
    """What this run's config and flags do with `rule`, for `newslint rules NAME`."""
    off = plan.why_off(rule.name)
    own = plan.own_severity.get(rule.name, rule.severity)
    notes = ["With this config: runs" if off is None else f"With this config: does not run ({off})"]
    if own != rule.severity:
        notes.append(f"Severity with this config: {rule.severity} (the rule's own: {own})")
    globs = plan.ignored_by_globs(rule.name)
    if globs:
        notes.append("Not run on files matching (per-file-ignores): " + ", ".join(map(repr, globs)))
    return notes
