"""Turn violations into text for people and machines. Formatters return strings; cli.py prints.

Each formatter takes a Report: the violations, the run's summary, and the metadata of the rules
that could report (SARIF lists them).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any, NamedTuple

from newslint import __version__
from newslint.violations import RuleInfo, Span, Violation

JSON_VERSION = 1
INFORMATION_URI = "https://github.com/newslint/newslint"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

# What would break "one line per problem", drive a terminal or give a CI runner a command:
# C0 and C1 control characters, DEL, the Unicode line and paragraph separators, lone
# surrogates (Python's stand-ins for the bytes of a file name that is not UTF-8), the first ":"
# of a "::" that starts a line (GitHub's workflow commands, "::error::", "::stop-commands::",
# are read after leading spaces), and the first "#" of "##[" or "##vso[" anywhere (GitHub's
# older commands and Azure Pipelines' logging commands are read wherever they stand).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]|#(?=#(?:vso)?\[)")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` on one line and safe to print to a terminal or a CI log: control characters
    escaped (\\n, \\x1b, ...), the undecodable bytes of a file name written as \\xNN, and what
    a CI runner would read as a command (a leading "::", "##[") broken by one escaped character."""
    text = _UNPRINTABLE.sub(_escape, text)
    command = text.lstrip()  # what is left of leading spaces: the others are escaped by now
    if command.startswith("::"):
        start = len(text) - len(command)
        text = f"{text[:start]}\\x3a{text[start + 1:]}"
    return text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's "surrogateescape" form of byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


class Summary(NamedTuple):
    files_checked: int
    files_with_problems: int
    problems: int
    fixable: int
    unsafe_fixable: int
    file_errors: int
    fixed: int = 0  # by --fix (or, with --diff, that would be); `problems` counts them too
    baselined: int = 0  # problems left out because the baseline records them

    @classmethod
    def of(
        cls,
        violations: list[Violation],
        files_checked: int,
        file_errors: int,
        fixed_by_path: dict[str, int] | None = None,
        baselined: int = 0,
    ) -> Summary:
        """`violations` are the problems left; `fixed_by_path` counts those --fix fixed per file."""
        fixed_by_path = fixed_by_path or {}
        return cls(
            files_checked=files_checked,
            files_with_problems=len({v.path for v in violations} | set(fixed_by_path)),
            problems=len(violations) + sum(fixed_by_path.values()),
            fixable=sum(1 for v in violations if v.fix is not None and v.fix.safe),
            unsafe_fixable=sum(1 for v in violations if v.fix is not None and not v.fix.safe),
            file_errors=file_errors,
            fixed=sum(fixed_by_path.values()),
            baselined=baselined,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "files_checked": self.files_checked,
            "files_with_problems": self.files_with_problems,
            "problems": self.problems,
            "fixable": self.fixable,
            "unsafe_fixable": self.unsafe_fixable,
            "file_errors": self.file_errors,
            "fixed": self.fixed,
            "baselined": self.baselined,
        }


class Report(NamedTuple):
    violations: list[Violation]
    summary: Summary
    rules: Sequence[RuleInfo] = ()  # every rule that could report in the run


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def text_line(v: Violation) -> str:
    return f"{printable(v.path)}:{v.line}:{v.column}: {v.severity} {v.rule} {printable(v.message)}"


def _skipped(summary: Summary) -> str:
    # Files that could not be checked are named on stderr; the summary counts them so that a
    # clean-looking report of a run that skipped files does not pass for a clean run.
    return f" {_plural(summary.file_errors, 'file')} could not be checked." if summary.file_errors else ""


def summary_line(summary: Summary) -> str:
    baselined = f"{summary.baselined} more in the baseline" if summary.baselined else ""
    if not summary.problems:
        line = f"No problems found in {_plural(summary.files_checked, 'file')}"
        return line + (f" ({baselined})." if baselined else ".") + _skipped(summary)
    line = f"Found {_plural(summary.problems, 'problem')} in {_plural(summary.files_with_problems, 'file')}"
    extras = []
    if summary.fixed:
        extras += [f"{summary.fixed} fixed", f"{summary.problems - summary.fixed} remaining"]
    if summary.fixable:
        extras.append(f"{summary.fixable} fixable with --fix")
    if summary.unsafe_fixable:
        more = "fixable" if summary.fixed else "more"
        extras.append(f"{summary.unsafe_fixable} {more} with --unsafe-fixes")
    if baselined:
        extras.append(baselined)
    return line + (f" ({', '.join(extras)})." if extras else ".") + _skipped(summary)


# A diff line (without its LF) a terminal or a CI log must not get as it is: a control character
# other than a tab or the CR of a CRLF line, or a command that printable() escapes.
_DIFF_HAZARD = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029](?<!\r\Z)|##(?:vso)?\[")


def log_safe_diff(diff: str) -> tuple[str, int]:
    """`diff` with each line that holds a control character or a CI command escaped by
    printable() (a CRLF line keeps its CR), and how many lines were. Its lines start with
    " ", "+", "-", "@" or "\\", so none can start a "::" command."""
    lines = diff.split("\n")
    escaped = 0
    for k, line in enumerate(lines):
        if _DIFF_HAZARD.search(line):
            body, cr = (line[:-1], "\r") if line.endswith("\r") else (line, "")
            lines[k] = printable(body) + cr
            escaped += 1
    return "\n".join(lines), escaped


def diff_summary_line(summary: Summary) -> str:
    """The summary of a --diff run, which fixed nothing but says what --fix would do."""
    if not summary.problems:
        return f"No problems found in {_plural(summary.files_checked, 'file')}.{_skipped(summary)}"
    remaining = summary.problems - summary.fixed
    return (
        f"Would fix {_plural(summary.fixed, 'problem')}; {remaining} would remain "
        f"(found {_plural(summary.problems, 'problem')} in {_plural(summary.files_with_problems, 'file')})."
    ) + _skipped(summary)


def format_text(report: Report) -> str:
    lines = [text_line(v) for v in report.violations]
    lines.append(summary_line(report.summary))
    return "\n".join(lines) + "\n"


def json_text(payload: object, indent: int | None = None) -> str:
    """`payload` as JSON, safe in a CI log: json escapes control characters itself, and "##"
    (of "##[" or "##vso[", which CI runners read as commands anywhere in a line) is written
    "#\\u0023", which decodes to the same text."""
    return json.dumps(payload, indent=indent, ensure_ascii=False).replace("##", "#\\u0023")


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


# GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _github_data(text: str) -> str:
    # Line breaks are encoded as GitHub decodes them; any other control character (ESC, BEL)
    # must not reach the log raw either.
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(report: Report) -> str:
    """`::error file=...,line=...::message` annotations, one per violation.

    GitHub takes columns only for a one-line range, and its endColumn is the last column (ours
    is one past it). Paths are written as GitHub matches them to the repository: "./a.md" as
    "a.md", with "/" separators.
    """
    lines = []
    for v in report.violations:
        props = [f"file={_github_property(PurePath(v.path).as_posix())}", f"line={v.line}"]
        if v.end_line == v.line:
            props += [f"col={v.column}", f"endColumn={max(v.column, v.end_column - 1)}"]
        else:
            props.append(f"endLine={v.end_line}")
        props.append(f"title={_github_property(f'newslint ({v.rule})')}")
        lines.append(f"::{GITHUB_LEVELS[v.severity]} {','.join(props)}::{_github_data(v.message)}\n")
    return "".join(lines)


SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# GitHub code scanning's own severity scale for results of non-security tools.
GITHUB_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}


def _artifact_uri(path: str) -> dict[str, Any]:
    import os
    import urllib.parse  # here: only SARIF needs it, and start-up counts

    pure = PurePath(path)
    # Quoted from the name's bytes (os.fsencode): a name that is not UTF-8 has its bytes
    # percent-encoded (%FF), as a URI of that file must.
    quoted = urllib.parse.quote(os.fsencode(pure.as_posix()))
    if pure.is_absolute():
        return {"uri": "file://" + quoted}
    return {"uri": quoted, "uriBaseId": "%SRCROOT%"}


def _region(span: Span | Violation) -> dict[str, Any]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": max(span.end_column, 1),
    }


def _sarif_rule(info: RuleInfo) -> dict[str, Any]:
    doc = info.doc
    help_lines = [doc["what"], f"Why: {doc['why']}"] + ([f"Fix: {doc['fix']}"] if doc.get("fix") else [])
    return {
        "id": info.name,
        "name": info.name,
        "shortDescription": {"text": doc["what"]},
        "fullDescription": {"text": f"{doc['what']} {doc['why']}"},
        "help": {"text": "\n".join(help_lines), "markdown": "\n\n".join(help_lines)},
        "defaultConfiguration": {"level": SARIF_LEVELS[info.severity]},
        "properties": {
            "tags": ["newslint", info.category],
            "category": info.category,
            "problem.severity": GITHUB_PROBLEM_SEVERITY[info.severity],
        },
    }


def format_sarif(report: Report) -> str:
    """SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), as GitHub code scanning
    takes it: rule metadata in tool.driver.rules, results pointing at them by ruleIndex, a
    duplicate's first copy as a related location, and the baseline's text hash so results keep
    their identity across edits."""
    from newslint.baseline import text_hash  # here: only SARIF needs it (and with it, hashlib)

    index = {info.name: i for i, info in enumerate(report.rules)}
    results = []
    for v in report.violations:
        artifact = _artifact_uri(v.path)
        result: dict[str, Any] = {"ruleId": v.rule}
        if v.rule in index:
            result["ruleIndex"] = index[v.rule]
        result.update(
            level=SARIF_LEVELS[v.severity],
            message={"text": v.message},
            locations=[{"physicalLocation": {"artifactLocation": artifact, "region": _region(v)}}],
            partialFingerprints={"newslintTextHash/v1": text_hash(v)},
        )
        if v.related:
            result["relatedLocations"] = [
                {
                    "id": n,
                    "physicalLocation": {"artifactLocation": artifact, "region": _region(span)},
                    "message": {"text": f"lines {span.line}-{span.end_line}"},
                }
                for n, span in enumerate(v.related, start=1)
            ]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "newslint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_sarif_rule(info) for info in report.rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json_text(log, indent=2) + "\n"


# Characters XML 1.0 cannot hold even escaped; an article's junk may contain them.
_XML_INVALID = "[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def _xml_text(text: str) -> str:
    return re.sub(_XML_INVALID, "\ufffd", text)  # re caches the compiled pattern


def format_junit(report: Report) -> str:
    """JUnit XML, as CI systems show test results: one test suite per file with problems, one
    failing test case per problem (a clean run is one passing test case)."""
    import xml.etree.ElementTree as ET  # here: only JUnit output needs it, and start-up counts

    by_file: dict[str, list[Violation]] = {}
    for v in report.violations:
        by_file.setdefault(v.path, []).append(v)
    root = ET.Element("testsuites", name="newslint", tests=str(max(len(report.violations), 1)),
                      failures=str(len(report.violations)))
    for path, violations in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=_xml_text(path), tests=str(len(violations)),
                              failures=str(len(violations)))
        for v in violations:
            case = ET.SubElement(suite, "testcase", name=f"{v.rule} at {v.line}:{v.column}",
                                 classname=_xml_text(path), file=_xml_text(path), line=str(v.line))
            failure = ET.SubElement(case, "failure", type=v.rule, message=_xml_text(v.message))
            failure.text = _xml_text(text_line(v))
    if not by_file:
        suite = ET.SubElement(root, "testsuite", name="newslint", tests="1", failures="0")
        ET.SubElement(suite, "testcase", name=summary_line(report.summary), classname="newslint")
    ET.indent(root)
    # "##" as "#&#35;" (the same text to an XML reader): see json_text.
    xml = ET.tostring(root, encoding="unicode").replace("##", "#&#35;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"


FORMATTERS = {
    "text": format_text,
    "json": format_json,
    "json-lines": format_json_lines,
    "github": format_github,
    "sarif": format_sarif,
    "junit": format_junit,
}


def rule_statistics(violations: list[Violation]) -> list[dict[str, Any]]:
    """Problems per rule, most frequent first."""
    counts = Counter(v.rule for v in violations)
    fixable = Counter(v.rule for v in violations if v.fix is not None)
    severity = {v.rule: v.severity for v in violations}
    return [
        {"rule": rule, "count": n, "severity": severity[rule], "fixable": fixable[rule]}
        for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def format_statistics_text(report: Report) -> str:
    rows = rule_statistics(report.violations)
    width = max((len(str(row["count"])) for row in rows), default=1)
    name_width = max((len(row["rule"]) for row in rows), default=0)
    lines = [
        f"{row['count']:>{width}}  {row['rule']:<{name_width}}  {row['severity']}"
        + (f"  ({row['fixable']} fixable)" if row["fixable"] else "")
        for row in rows
    ]
    lines.append(summary_line(report.summary))
    return "\n".join(lines) + "\n"


def format_statistics_json(report: Report) -> str:
    payload = {"version": JSON_VERSION, "statistics": rule_statistics(report.violations),
               "summary": report.summary.as_dict()}
    return json_text(payload, indent=2) + "\n"


STATISTICS_FORMATTERS = {"text": format_statistics_text, "json": format_statistics_json}
