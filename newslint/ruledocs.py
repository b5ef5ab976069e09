"""The documentation of rules and check kinds, rendered as Markdown or plain text.

A rule is documented once, in its rule file (`doc`, `examples`), a check kind in its class's
docstring, and an option in its Option (newslint/checks/options.py); this module only renders
them. docs/rules.md is its Markdown for the built-in rules, regenerated with

    python -m newslint.ruledocs > docs/rules.md

and tests/test_docs.py fails while that file is stale. The plain-text functions (`rule_text`,
`kind_text`, `common_keys_text`) give a terminal the same content: their output is escaped as
`newslint check` escapes its own (formats.printable), since a rule file may come from a pull request.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newslint.checks import CHECKS
from newslint.checks.options import TYPE_NAMES, Option
from newslint.docstyles import Markdown, PlainText
from newslint.errors import NewslintError
from newslint.formats import Report, Summary, format_text, printable
from newslint.repeats import example_repeats
from newslint.rule_examples import EXAMPLE_PATH, example_violations
from newslint.rule_validation import EXAMPLES_DOC
from newslint.rules import COMMON_OPTIONS, Rule, builtin_rules_dir, load_rules
from newslint.suppressions import UNUSED_SUPPRESSION
from newslint.violations import RuleInfo

if TYPE_CHECKING:
    from newslint.docstyles import Entry

COMMAND = "python -m newslint.ruledocs > docs/rules.md"


# Rules.


def rule_markdown(rule: Rule, level: int = 3) -> str:
    """A rule's documentation as Markdown, under a heading of `level`: what it flags, why, its
    fix, and its examples with what `newslint check` reports on each."""
    return Markdown().finish(_rule_blocks(Markdown(), rule, level))


def rule_text(rule: Rule, notes: Sequence[str] = ()) -> str:
    """A rule's documentation as plain text, escaped for a terminal (what `newslint rules NAME`
    prints): as in docs/rules.md, with `notes` (what the config does with it) after its summary,
    and the options its file sets, each with its meaning."""
    return PlainText().finish(_rule_blocks(PlainText(), rule, level=1, notes=notes, options=True))


def reported_rule_text(info: RuleInfo) -> str:
    """A rule newslint reports itself (unused-suppression), as plain text for a terminal."""
    style = PlainText()
    blocks = [style.heading(1, info.name), *_doc_blocks(style, info)]
    blocks.append(style.items([f"Category: {info.category}; severity: {info.severity}", "Reported by newslint itself"]))
    return style.finish(blocks)


def rule_pack(rule: Rule) -> str:
    """The pack a rule belongs to: the folder of its file under the built-in rules (or, for a
    rule of your own, the name of its folder)."""
    folder = Path(rule.path).resolve().parent
    try:
        return folder.relative_to(builtin_rules_dir().resolve()).as_posix()
    except ValueError:
        return folder.name


def _rule_source(style: Markdown, rule: Rule) -> str:
    """The rule file: for a built-in rule, rules/<pack>/<name>.yaml as in the repository (a link
    from docs/), for another its path."""
    path = Path(rule.path).resolve()
    try:
        source = "rules/" + path.relative_to(builtin_rules_dir().resolve()).as_posix()
    except ValueError:
        return style.literal(rule.path)
    return style.link(style.literal(source), f"../{source}")


def _fix_summary(style: Markdown, fix: str) -> str:
    if fix == "none":
        return "none"
    if fix == "delete":
        return f"{style.literal(fix)}, applied by {style.literal('--fix')}"
    return f"{style.literal(fix)}, applied only with {style.literal('--fix --unsafe-fixes')}"


def _rule_blocks(
    style: Markdown, rule: Rule, level: int, notes: Sequence[str] = (), options: bool = False
) -> list[str]:
    blocks = [style.heading(level, rule.name)]
    blocks += _doc_blocks(style, rule.info)
    state = "" if rule.enabled else " (off unless selected)"
    blocks.append(
        style.items(
            [
                f"Pack: {style.literal(rule_pack(rule))} ({_rule_source(style, rule)})",
                f"Category: {style.literal(rule.category)}; severity: {style.literal(rule.severity)}{state}",
                f"Check: {style.link(style.literal(rule.kind), '#' + _kind_anchor(rule.kind))}",
                f"Fix: {_fix_summary(style, rule.fix)}",
                *notes,
            ]
        )
    )
    if options:
        blocks.append(f"Options of this {rule.kind} rule (what its file sets, or the default):")
        blocks.append(style.items(_option_values(style, CHECKS[rule.kind].OPTIONS, rule.check.options)))
    for number, example in enumerate(rule.examples, 1):
        blocks += _example_blocks(style, rule, number, example.text, example.others)
    return blocks


def _option_values(style: Markdown, schema: dict[str, Option], values: dict[str, Any]) -> list[Entry]:
    """Each option of `schema` with its value in `values` and its meaning; a list's values one
    an item."""
    entries: list[Entry] = []
    for name, option in schema.items():
        value = values.get(name, option.default if not option.required else None)
        if isinstance(value, (list, tuple)) and value and option.kind != "mapping":
            entries.append((f"{style.literal(name)}: {option.doc}", [style.literal(_yaml(v)) for v in value]))
        elif isinstance(value, dict) and option.fields:
            nested = _option_values(style, option.fields, value)
            entries.append((f"{style.literal(name)}: {option.doc}", nested))
        elif value is None:
            entries.append(f"{style.literal(name)} (not set): {option.doc}")
        else:
            entries.append(f"{style.literal(name)} = {style.literal(_yaml(value))}: {option.doc}")
    return entries


def _doc_blocks(style: Markdown, info: RuleInfo) -> list[str]:
    blocks = [style.prose(info.doc["what"]), f"{style.strong('Why:')} {style.prose(info.doc['why'])}"]
    if info.doc.get("fix"):
        blocks.append(f"{style.strong('Fix:')} {style.prose(info.doc['fix'])}")
    return blocks


def _example_blocks(style: Markdown, rule: Rule, number: int, text: str, others: tuple[str, ...] = ()) -> list[str]:
    """An example's text (and the other articles it is checked against), and what `newslint
    check` prints for a file that holds it."""
    lines = sorted({v.line for v in example_violations(rule, text, others)})
    # The other articles of a cross-article example are checked with it, and report too.
    names = [EXAMPLE_PATH, *(f"other-{n}.txt" for n in range(1, len(others) + 1))]
    violations = example_repeats(rule, text, others, EXAMPLE_PATH) if others else example_violations(rule, text)
    if not lines:
        flagged = "flags nothing"
    else:
        flagged = ("flags line " if len(lines) == 1 else "flags lines ") + ", ".join(map(str, lines))
    summary = Summary.of(violations, files_checked=len(names), file_errors=0)
    output = f"$ newslint check --select {rule.name} {' '.join(names)}\n" + format_text(Report(violations, summary))
    blocks = [f"{style.strong(f'Example {number}')}, {flagged}:", style.block(text)]
    for n, other in enumerate(others, start=1):
        blocks += [f"In the same archive, other-{n}.txt:", style.block(other)]
    return [*blocks, style.block(output, "console")]


# Check kinds and their options.


def kind_markdown(kind: str, level: int = 3) -> str:
    """A check kind's documentation as Markdown: what it does, its message fields, its options."""
    return Markdown().finish(_kind_blocks(Markdown(), kind, level))


def kind_text(kind: str) -> str:
    """A check kind's documentation as plain text, for a terminal."""
    return PlainText().finish(_kind_blocks(PlainText(), kind, level=1))


def common_keys_markdown(level: int = 3) -> str:
    """The keys every rule file has, whatever its kind, as Markdown."""
    return Markdown().finish(_common_blocks(Markdown(), level))


def common_keys_text() -> str:
    """The keys every rule file has, whatever its kind, as plain text."""
    return PlainText().finish(_common_blocks(PlainText(), level=1))


def _kind_anchor(kind: str) -> str:
    return f"the-{kind}-check"


def _kind_blocks(style: Markdown, kind: str, level: int) -> list[str]:
    check_class = CHECKS[kind]
    blocks = [style.heading(level, f"The {kind} check")]
    blocks += _paragraphs(check_class.__doc__ or "")
    fields = ["match", *check_class.MESSAGE_FIELDS]
    blocks.append(
        f"Rules of this kind set {style.literal('check: ' + kind)}. Their messages may use "
        + ", ".join(style.literal("{" + name + "}") for name in fields)
        + ". Options:"
    )
    blocks.append(style.items(_option_entries(style, check_class.OPTIONS)))
    return blocks


def _common_blocks(style: Markdown, level: int) -> list[str]:
    entries = _option_entries(style, COMMON_OPTIONS)
    entries.append(f"{style.literal('examples')} (a list, required): {EXAMPLES_DOC}")
    return [
        style.heading(level, "Keys of every rule file"),
        "A rule file is one YAML mapping; its file name is the rule's name (kebab-case). These keys "
        "are the same for every kind of check; the others are options of its kind.",
        style.items(entries),
    ]


def _paragraphs(docstring: str) -> list[str]:
    """A docstring's paragraphs, each on one line."""
    return [" ".join(p.split()) for p in inspect.cleandoc(docstring).split("\n\n") if p.strip()]


def _option_entries(style: Markdown, schema: dict[str, Option]) -> list[Entry]:
    entries: list[Entry] = []
    for name, option in schema.items():
        text = f"{style.literal(name)} ({_option_summary(style, option)}): {option.doc}"
        nested = _option_entries(style, option.fields) if option.fields else []
        entries.append((text, nested) if nested else text)
    return entries


def _option_summary(style: Markdown, option: Option) -> str:
    """An option's type, allowed values and default: "a number from 50 to 100, default `90`"."""
    parts = [TYPE_NAMES[option.kind]]
    if option.choices:
        parts.append("one of " + ", ".join(style.literal(_yaml(c)) for c in option.choices))
    low, high = option.minimum, option.maximum
    if low is not None and high is not None:
        parts[0] += f" from {_yaml(low)} to {_yaml(high)}"
    elif low is not None:
        parts[0] += f" of at least {_yaml(low)}"
    elif high is not None:
        parts[0] += f" of at most {_yaml(high)}"
    if option.required:
        parts.append("required")
    elif option.default is None:
        parts.append("optional")
    else:
        parts.append(f"default {style.literal(_yaml(option.default))}")
    return ", ".join(parts)


def _yaml(value: Any) -> str:
    """`value` as a rule file writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return str(value)


# The reference page.


def reference_markdown(rules: Sequence[Rule]) -> str:
    """docs/rules.md: every rule in `rules` (the built-in ones), grouped by pack, then the rules
    newslint reports itself, then the keys of a rule file and the options of each check kind."""
    style = Markdown()
    by_pack: dict[str, list[Rule]] = {}
    for rule in sorted(rules, key=lambda r: (rule_pack(r), r.name)):
        by_pack.setdefault(rule_pack(rule), []).append(rule)
    blocks = [
        f"<!-- Generated from the rule files in rules/ and the option docs in newslint/ by\n"
        f"     `{COMMAND}`: edit those, not this file. -->",
        style.heading(1, "Rules"),
        "Every rule newslint ships, with what it flags, why, its fix and its examples (each with what "
        f"`newslint check` prints for it), and every key a rule file may set. {style.literal('newslint rules')} "
        "lists the rules in a terminal; [writing-rules.md](writing-rules.md) explains how to write your own.",
        style.items(
            [
                style.link("The built-in rules", "#the-built-in-rules"),
                style.link("Rules newslint reports itself", "#rules-newslint-reports-itself"),
                (
                    style.link("Rule files: keys and options", "#rule-files-keys-and-options"),
                    [style.link("Keys of every rule file", "#keys-of-every-rule-file")]
                    + [style.link(f"The {kind} check", "#" + _kind_anchor(kind)) for kind in sorted(CHECKS)],
                ),
            ]
        ),
        style.heading(2, "The built-in rules"),
        "| rule | pack | category | severity | check | fix |\n| --- | --- | --- | --- | --- | --- |\n"
        + "\n".join(
            f"| {style.link(rule.name, '#' + rule.name)} | {pack} | {rule.category} | {rule.severity}"
            f"{'' if rule.enabled else ' (off)'} | {rule.kind} | {rule.fix} |"
            for pack, pack_rules in by_pack.items()
            for rule in pack_rules
        ),
    ]
    for pack, pack_rules in by_pack.items():
        blocks.append(style.heading(2, f"The {pack} pack"))
        for rule in pack_rules:
            blocks += _rule_blocks(style, rule, level=3)
    blocks += [
        style.heading(2, "Rules newslint reports itself"),
        style.heading(3, UNUSED_SUPPRESSION.name),
        *_doc_blocks(style, UNUSED_SUPPRESSION),
        f"Category {style.literal(UNUSED_SUPPRESSION.category)}, severity "
        f"{style.literal(UNUSED_SUPPRESSION.severity)}; see "
        f"{style.link('Suppressing a problem', '../README.md#suppressing-a-problem')}.",
        style.heading(2, "Rule files: keys and options"),
        "Each option is listed with its type, the values it allows and its default; an option without "
        "a default is required, and one marked optional is off unless set.",
        *_common_blocks(style, level=3),
    ]
    for kind in sorted(CHECKS):
        blocks += _kind_blocks(style, kind, level=3)
    return style.finish(blocks)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newslint.ruledocs",
        description=f"Print docs/rules.md, the reference of the built-in rules and rule file options: {COMMAND}",
    )
    parser.parse_args(argv)
    try:
        text = reference_markdown(load_rules([]))
    except NewslintError as exc:
        print(f"newslint: {printable(str(exc))}", file=sys.stderr)
        return 2
    # Bytes, so the file is the same whatever the locale's encoding and line endings.
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
