"""--format sarif: SARIF 2.1.0, as GitHub code scanning takes it."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from newslint import __version__
from newslint.formats.escaping import json_text
from newslint.formats.report import Report, record_note
from newslint.violations import RuleInfo, Span, Violation

INFORMATION_URI = "https://github.com/newslint/newslint"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

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


def _related_text(span: Span) -> str:
    lines = f"lines {span.line}-{span.end_line}"
    return lines if span.path is None else f"{span.path}, {lines}"


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
        if v.record is not None:
            # The region is the record's line in the file; the position in its text is a property.
            result.update(
                level=SARIF_LEVELS[v.severity],
                message={"text": f"{v.message}{record_note(v)} at {v.line}:{v.column} of its text"},
                locations=[
                    {"physicalLocation": {"artifactLocation": artifact, "region": {"startLine": v.record.line}}}
                ],
                partialFingerprints={"newslintTextHash/v1": text_hash(v)},
                properties={"record": v.record.as_dict(), "textRegion": _region(v)},
            )
            results.append(result)
            continue
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
                    "physicalLocation": {
                        "artifactLocation": artifact if span.path is None else _artifact_uri(span.path),
                        "region": _region(span),
                    },
                    "message": {"text": _related_text(span)},
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
