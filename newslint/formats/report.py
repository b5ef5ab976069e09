"""What every format reports: the run's Summary (and its tally, added up as files pass), the
Report a formatter takes, how a format that streams is written, and the lines people read (one
per problem, the summary line)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from newslint.formats.escaping import printable
from newslint.violations import RuleInfo, Violation


class Summary(NamedTuple):
    files_checked: int
    files_with_problems: int
    problems: int
    fixable: int
    unsafe_fixable: int
    file_errors: int
    fixed: int = 0  # by --fix (or, with --diff, that would be); `problems` counts them too
    baselined: int = 0  # problems left out because the baseline records them
    outside_change: int | None = None  # with --diff-base: problems left out on lines it did not touch

    @classmethod
    def of(
        cls,
        violations: list[Violation],
        files_checked: int,
        file_errors: int,
        fixed_by_path: dict[str, int] | None = None,
        baselined: int = 0,
        outside_change: int | None = None,
    ) -> Summary:
        """`violations` are the problems left; `fixed_by_path` counts those --fix fixed per file."""
        fixed_by_path = fixed_by_path or {}
        by_path: dict[str, list[Violation]] = {}
        for v in violations:
            by_path.setdefault(v.path, []).append(v)
        tally = SummaryTally(files_checked, file_errors, baselined, outside_change)
        for path in by_path.keys() | fixed_by_path.keys():
            tally.add_problems(by_path.get(path, []), fixed_by_path.get(path, 0))
        return tally.summary()

    def as_dict(self) -> dict[str, Any]:
        data = {
            "files_checked": self.files_checked,
            "files_with_problems": self.files_with_problems,
            "problems": self.problems,
            "fixable": self.fixable,
            "unsafe_fixable": self.unsafe_fixable,
            "file_errors": self.file_errors,
            "fixed": self.fixed,
            "baselined": self.baselined,
        }
        if self.outside_change is not None:  # only a --diff-base run has it
            data["outside_change"] = self.outside_change
        return data


class SummaryTally:
    """A Summary's counts, added up file by file as the results pass: a run keeps no list of
    its problems to count them at the end. (A plain class: a dataclass would import inspect
    into every run.)"""

    def __init__(
        self, files_checked: int = 0, file_errors: int = 0, baselined: int = 0, outside_change: int | None = None
    ):
        self.files_checked = files_checked
        self.file_errors = file_errors
        self.baselined = baselined
        self.outside_change = outside_change  # counted only with --diff-base (start it at 0 then)
        self.files_with_problems = 0
        self.problems = 0
        self.fixable = 0
        self.unsafe_fixable = 0
        self.fixed = 0

    def add_problems(self, violations: Sequence[Violation], fixed: int = 0) -> None:
        """One file's problems left after every filter, and how many --fix fixed in it."""
        if violations or fixed:
            self.files_with_problems += 1
        self.problems += len(violations) + fixed
        self.fixed += fixed
        for v in violations:
            if v.fix is not None:
                if v.fix.safe:
                    self.fixable += 1
                else:
                    self.unsafe_fixable += 1

    def summary(self) -> Summary:
        return Summary(
            files_checked=self.files_checked,
            files_with_problems=self.files_with_problems,
            problems=self.problems,
            fixable=self.fixable,
            unsafe_fixable=self.unsafe_fixable,
            file_errors=self.file_errors,
            fixed=self.fixed,
            baselined=self.baselined,
            outside_change=self.outside_change,
        )


def _every_problem_fails(violation: Violation) -> bool:
    return True


class Report(NamedTuple):
    violations: list[Violation]
    summary: Summary
    rules: Sequence[RuleInfo] = ()  # every rule that could report in the run
    # Whether a problem fails the run (its severity is at least fail-on's): JUnit fails only those.
    fails: Callable[[Violation], bool] = _every_problem_fails
    color: bool = False  # text: severities, rule names and paths in colour (for a terminal)
    quiet: bool = False  # text: the problems only, no summary line


def _nothing_at_the_end(summary: Summary, quiet: bool) -> str:
    return ""


class StreamingFormat(NamedTuple):
    """A format written a problem at a time, as each file's result comes (cli.py writes it so
    when the run's output allows): `problem` gives one problem's text (in colour or not),
    `end` what follows the last one, given the run's summary (and whether --quiet). The whole
    report is exactly their texts in order (`whole`): streamed or not, the same bytes."""

    problem: Callable[[Violation, bool], str]
    end: Callable[[Summary, bool], str] = _nothing_at_the_end

    def problems(self, violations: Iterable[Violation], color: bool = False) -> str:
        return "".join(self.problem(v, color) for v in violations)

    def whole(self, report: Report) -> str:
        return self.problems(report.violations, report.color) + self.end(report.summary, report.quiet)


def record_note(v: Violation) -> str:
    """What names a dataset's record in a format that points at its file (github, sarif):
    " (record N, id ID)", or "" for a plain file. Unescaped: the id is the dataset's."""
    record = v.record
    if record is None:
        return ""
    return f" (record {record.number}" + ("" if record.id is None else f", id {record.id}") + ")"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def text_line(v: Violation, color: bool = False) -> str:
    """`path:line:column: severity rule message`; in a dataset, `path#N:line:column` with N the
    record's line in the file (JSON Lines, CSV) or its position (JSON array, Parquet), and the
    line and column those in its text."""
    if not color:
        return f"{printable(v.place)}:{v.line}:{v.column}: {v.severity} {v.rule} {printable(v.message)}"
    # Escaped first (printable), so the only escape sequences in the line are these.
    path = _paint(printable(v.place), BOLD)
    severity, rule = _paint(v.severity, SEVERITY_COLORS[v.severity]), _paint(v.rule, RULE_COLOR)
    return f"{path}:{v.line}:{v.column}: {severity} {rule} {printable(v.message)}"


# SGR codes of the text format's colours.
SEVERITY_COLORS = {"error": "1;31", "warning": "1;33", "info": "1;34"}  # bold red, yellow, blue
RULE_COLOR = "35"  # magenta
BOLD = "1"


def _paint(text: str, sgr: str) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m"


def _skipped(summary: Summary) -> str:
    # Files that could not be checked are named on stderr; the summary counts them so that a
    # clean-looking report of a run that skipped files does not pass for a clean run.
    return f" {_plural(summary.file_errors, 'file')} could not be checked." if summary.file_errors else ""


def _outside_change(summary: Summary) -> str:
    return f"{summary.outside_change} more on lines the change did not touch" if summary.outside_change else ""


def summary_line(summary: Summary) -> str:
    baselined = f"{summary.baselined} more in the baseline" if summary.baselined else ""
    left_out = ", ".join(note for note in (baselined, _outside_change(summary)) if note)
    if not summary.problems:
        line = f"No problems found in {_plural(summary.files_checked, 'file')}"
        return line + (f" ({left_out})." if left_out else ".") + _skipped(summary)
    line = f"Found {_plural(summary.problems, 'problem')} in {_plural(summary.files_with_problems, 'file')}"
    extras = []
    if summary.fixed:
        extras += [f"{summary.fixed} fixed", f"{summary.problems - summary.fixed} remaining"]
    if summary.fixable:
        extras.append(f"{summary.fixable} fixable with --fix")
    if summary.unsafe_fixable:
        more = "fixable" if summary.fixed else "more"
        extras.append(f"{summary.unsafe_fixable} {more} with --unsafe-fixes")
    if left_out:
        extras.append(left_out)
    return line + (f" ({', '.join(extras)})." if extras else ".") + _skipped(summary)


def diff_summary_line(summary: Summary) -> str:
    """The summary of a --diff run, which fixed nothing but says what --fix would do."""
    outside = _outside_change(summary)
    if not summary.problems:
        line = f"No problems found in {_plural(summary.files_checked, 'file')}"
        return line + (f" ({outside})." if outside else ".") + _skipped(summary)
    remaining = summary.problems - summary.fixed
    return (
        f"Would fix {_plural(summary.fixed, 'problem')}; {remaining} would remain "
        f"(found {_plural(summary.problems, 'problem')} in {_plural(summary.files_with_problems, 'file')}"
        + (f", {outside})." if outside else ").")
    ) + _skipped(summary)


def rule_statistics(violations: list[Violation]) -> list[dict[str, Any]]:
    """Problems per rule, most frequent first."""
    counts = Counter(v.rule for v in violations)
    fixable = Counter(v.rule for v in violations if v.fix is not None)
    severity = {v.rule: v.severity for v in violations}
    return [
        {"rule": rule, "count": n, "severity": severity[rule], "fixable": fixable[rule]}
        for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
