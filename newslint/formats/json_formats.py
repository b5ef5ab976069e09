"""--format json (the problems and the summary) and json-lines (one problem a line), and
--statistics' JSON."""

from __future__ import annotations

from newslint.formats.escaping import json_text
from newslint.formats.report import Report, rule_statistics

JSON_VERSION = 1


def format_json(report: Report) -> str:
    payload = {
        "version": JSON_VERSION,
        "violations": [v.as_dict() for v in report.violations],
        "summary": report.summary.as_dict(),
    }
    return json_text(payload, indent=2) + "\n"


def format_json_lines(report: Report) -> str:
    """One JSON object per violation per line (the objects of --format json), no summary."""
    return "".join(json_text(v.as_dict()) + "\n" for v in report.violations)


def format_statistics_json(report: Report) -> str:
    payload = {
        "version": JSON_VERSION,
        "statistics": rule_statistics(report.violations),
        "summary": report.summary.as_dict(),
    }
    return json_text(payload, indent=2) + "\n"
