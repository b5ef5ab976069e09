"""--format text: one line per problem, then the summary line (and --statistics' table).
It streams (TEXT): each problem's line is written as its file's result comes."""

from __future__ import annotations

from newslint.formats.report import Report, StreamingFormat, Summary, rule_statistics, summary_line, text_line
from newslint.violations import Violation


def _problem(v: Violation, color: bool) -> str:
    return text_line(v, color) + "\n"


def _end(summary: Summary, quiet: bool) -> str:
    return "" if quiet else summary_line(summary) + "\n"


TEXT = StreamingFormat(_problem, _end)


def format_text(report: Report) -> str:
    return TEXT.whole(report)


def format_statistics_text(report: Report) -> str:
    rows = rule_statistics(report.violations)
    width = max((len(str(row["count"])) for row in rows), default=1)
    name_width = max((len(row["rule"]) for row in rows), default=0)
    lines = [
        f"{row['count']:>{width}}  {row['rule']:<{name_width}}  {row['severity']}"
        + (f"  ({row['fixable']} fixable)" if row["fixable"] else "")
        for row in rows
    ]
    if not report.quiet:
        lines.append(summary_line(report.summary))
    return "".join(line + "\n" for line in lines)
