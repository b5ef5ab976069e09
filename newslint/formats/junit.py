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

