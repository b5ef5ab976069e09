"""--format junit: JUnit XML, as CI systems show test results."""

from __future__ import annotations

import re

from newslint.formats.report import Report, summary_line, text_line
from newslint.violations import Violation

# Characters XML 1.0 cannot hold even escaped; an article's junk may contain them.
_XML_INVALID = "[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


def _xml_text(text: str) -> str:
    return re.sub(_XML_INVALID, "\ufffd", text)  # re caches the compiled pattern


def format_junit(report: Report) -> str:
    """JUnit XML, as CI systems show test results: one test suite per file with problems, one
    test case per problem. A problem that fails the run (at or above fail-on) is a failing
    case; one below it (an `info` by default) passes, with its line as the case's system-out,
    so the test report fails exactly when the run does. A clean run is one passing case."""
    import xml.etree.ElementTree as ET  # here: only JUnit output needs it, and start-up counts

    by_file: dict[str, list[Violation]] = {}
    for v in report.violations:
        by_file.setdefault(v.path, []).append(v)
    failing = sum(1 for v in report.violations if report.fails(v))
    root = ET.Element("testsuites", name="newslint", tests=str(max(len(report.violations), 1)), failures=str(failing))
    for path, violations in by_file.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=_xml_text(path),
            tests=str(len(violations)),
            failures=str(sum(1 for v in violations if report.fails(v))),
        )
        for v in violations:
            case = ET.SubElement(
                suite,
                "testcase",
                # In a dataset: "at #N:line:column", N the record, and the file's line the record's.
                name=f"{v.rule} at {'' if v.record is None else f'#{v.record.number}:'}{v.line}:{v.column}",
                classname=_xml_text(path),
                file=_xml_text(path),
                line=str(v.line if v.record is None else v.record.line),
            )
            if report.fails(v):
                failure = ET.SubElement(case, "failure", type=v.rule, message=_xml_text(v.message))
                failure.text = _xml_text(text_line(v))
            else:
                ET.SubElement(case, "system-out").text = _xml_text(text_line(v))
    if not by_file:
        suite = ET.SubElement(root, "testsuite", name="newslint", tests="1", failures="0")
        ET.SubElement(suite, "testcase", name=summary_line(report.summary), classname="newslint")
    ET.indent(root)
    # "##" as "#&#35;" (the same text to an XML reader): see json_text.
    xml = ET.tostring(root, encoding="unicode").replace("##", "#&#35;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"
