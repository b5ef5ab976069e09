"""Turn violations into text for people and machines. Formatters return strings; cli.py prints.

Each formatter takes a Report (report.py): the violations, the run's summary, and the metadata
of the rules that could report (SARIF lists them). The formats that need no more than one
problem at a time (STREAMING_FORMATS: text, json-lines, github) are also a StreamingFormat, which
cli.py writes as each file's result comes, so a run keeps none of its problems for them; the
others (json, sarif, junit, markdown, and --statistics) are given the whole list. One module per
format; escaping.py holds what every format uses to keep hostile text from breaking a report or
commanding a CI log.
"""

from __future__ import annotations

from newslint.formats.escaping import json_text, log_safe_diff, printable
from newslint.formats.github import GITHUB, format_github
from newslint.formats.json_formats import (
    JSON_LINES,
    JSON_VERSION,
    format_json,
    format_json_lines,
    format_statistics_json,
)
from newslint.formats.junit import format_junit
from newslint.formats.markdown import format_markdown
from newslint.formats.report import (
    Report,
    StreamingFormat,
    Summary,
    SummaryTally,
    diff_summary_line,
    rule_statistics,
    summary_line,
    text_line,
)
from newslint.formats.sarif import format_sarif
from newslint.formats.text import TEXT, format_statistics_text, format_text

FORMATTERS = {
    "text": format_text,
    "json": format_json,
    "json-lines": format_json_lines,
    "github": format_github,
    "sarif": format_sarif,
    "junit": format_junit,
    "markdown": format_markdown,
}

STREAMING_FORMATS: dict[str, StreamingFormat] = {"text": TEXT, "json-lines": JSON_LINES, "github": GITHUB}

STATISTICS_FORMATTERS = {"text": format_statistics_text, "json": format_statistics_json}

__all__ = [
    "FORMATTERS",
    "JSON_VERSION",
    "STATISTICS_FORMATTERS",
    "STREAMING_FORMATS",
    "Report",
    "StreamingFormat",
    "Summary",
    "SummaryTally",
    "diff_summary_line",
    "format_github",
    "format_json",
    "format_json_lines",
    "format_junit",
    "format_markdown",
    "format_sarif",
    "format_statistics_json",
    "format_statistics_text",
    "format_text",
    "json_text",
    "log_safe_diff",
    "printable",
    "rule_statistics",
    "summary_line",
    "text_line",
]
