"""--format text: one line per problem, then the summary line (and --statistics' table)."""

from __future__ import annotations

from newslint.formats.report import Report, rule_statistics, summary_line, text_line


def format_text(report: Report) -> str:
    lines = [text_line(v, report.color) for v in report.violations]
    if not report.quiet:
        lines.append(summary_line(report.summary))
    return "".join(line + "\n" for line in lines)


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
