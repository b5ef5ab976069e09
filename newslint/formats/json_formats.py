"""--format json (the problems and the summary) and json-lines (one problem a line), and
--statistics' JSON."""

from __future__ import annotations

from newslint.formats.escaping import json_text
from newslint.formats.report import Report, StreamingFormat, rule_statistics
from newslint.violations import Violation

JSON_VERSION = 1


def format_json(report: Report) -> str:
    payload = {
        "version": JSON_VERSION,
        "violations": [v.as_dict() for v in report.violations],
        "summary": report.summary.as_dict(),
    }
    return json_text(payload, indent=2) + "\n"


def _json_line(v: Violation, color: bool) -> str:
    return json_text(v.as_dict()) + "\n"


# One JSON object per violation per line (the objects of --format json), no summary: it streams.
JSON_LINES = StreamingFormat(_json_line)


def format_json_lines(report: Report) -> str:
    return JSON_LINES.whole(report)


def format_statistics_json(report: Report) -> str:
    payload = {
        "version": JSON_VERSION,
        "statistics": rule_statistics(report.violations),
        "summary": report.summary.as_dict(),
    }
    return json_text(payload, indent=2) + "\n"
