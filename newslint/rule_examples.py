"""Run a rule's examples, as its file states them: each example's text, and the lines where
the rule must report a problem. newslint's test suite runs those of the built-in rules
(tests/test_rule_examples.py), and `newslint test-rules` those of a rule folder of yours, both
through this module, so an example means the same to both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from newslint.document import from_text
from newslint.errors import RuleError
from newslint.linter import lint
from newslint.rule_validation import Example
from newslint.rules import Rule, load_rule_file, rule_files
from newslint.violations import Violation

# The name an example is checked under, as a user would check a file holding it.
EXAMPLE_PATH = "example.txt"


class ExampleFailure(NamedTuple):
    """An example whose problems are not the ones its rule file expects."""

    path: str  # the rule file
    line: int  # where the example stands in it
    rule: str
    problem: str  # "expected lines [2], got [2, 3]"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.problem}"


def example_violations(rule: Rule, text: str, others: tuple[str, ...] = ()) -> list[Violation]:
    """What `rule` reports on a file holding `text` (its only rule); for a cross-article rule,
    in an archive of that file and files holding `others`."""
    if rule.check.ACROSS_ARTICLES:
        from newslint.repeats import example_repeats  # here: most rules are run on one document

        return [v for v in example_repeats(rule, text, others, EXAMPLE_PATH) if v.path == EXAMPLE_PATH]
    return lint(from_text(text, EXAMPLE_PATH), [rule])


def example_failures(rule: Rule) -> Iterator[ExampleFailure]:
    """Each of `rule`'s examples that does not give what it expects: the lines where problems
    start, and the same problems, at the same positions, when its lines end in CRLF."""
    for example in rule.examples:
        problem = _problem(rule, example)
        if problem:
            yield ExampleFailure(rule.path, example.line, rule.name, problem)


def _problem(rule: Rule, example: Example) -> str | None:
    found = example_violations(rule, example.text, example.others)
    lines = [v.line for v in found]
    if lines != list(example.expect):
        return f"expected lines {list(example.expect)}, got {lines}"
    crlf = example_violations(rule, example.text.replace("\n", "\r\n"), example.others)
    if _positions(crlf) != _positions(found):
        return (
            f"expected the same problems with CRLF line endings, got {_positions(crlf)} instead of {_positions(found)}"
        )
    return None


def _positions(violations: list[Violation]) -> list[tuple[int, int, int, int]]:
    return [(v.line, v.column, v.end_line, v.end_column) for v in violations]


class FolderTest(NamedTuple):
    """What running the examples of the rules in some folders found."""

    rules: int  # rules loaded and run
    examples: int
    failures: list[ExampleFailure]
    errors: list[RuleError]  # folders and rule files that could not be loaded

    def summary(self) -> str:
        failed = f"{len(self.failures)} failed" if self.failures else "all passed"
        unloaded = f"; {len(self.errors)} could not be loaded" if self.errors else ""
        return f"{_plural(self.rules, 'rule')}, {_plural(self.examples, 'example')}: {failed}{unloaded}."


def run_folder_examples(folders: Iterable[str | Path]) -> FolderTest:
    """Run the examples of every rule file under `folders`, each file on its own: a file that
    cannot be loaded is an error, and the others are still run."""
    rules = examples = 0
    failures: list[ExampleFailure] = []
    errors: list[RuleError] = []
    for folder in folders:
        try:
            paths = rule_files(Path(folder))
        except RuleError as exc:
            errors.append(exc)
            continue
        for path in paths:
            try:
                rule = load_rule_file(path)
            except RuleError as exc:
                errors.append(exc)
                continue
            rules += 1
            examples += len(rule.examples)
            failures.extend(example_failures(rule))
    return FolderTest(rules, examples, failures, errors)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
