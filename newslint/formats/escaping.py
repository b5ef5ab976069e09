"""Escaping for every output: what an article, a file name or a rule file holds must never break
a report's lines, drive a terminal or reach a CI log as a command the runner obeys."""

from __future__ import annotations

import json
import re

# What would break "one line per problem", drive a terminal or give a CI runner a command:
# C0 and C1 control characters, DEL, the Unicode line and paragraph separators, lone
# surrogates (Python's stand-ins for the bytes of a file name that is not UTF-8), the first ":"
# of a "::" that starts a line (GitHub's workflow commands, "::error::", "::stop-commands::",
# are read after leading spaces), and the first "#" of "##[" or "##vso[" anywhere (GitHub's
# older commands and Azure Pipelines' logging commands are read wherever they stand). And the
# bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): a terminal
# reorders the text after one, so a name or message could show as something it is not (Trojan
# Source, CVE-2021-42574). The marks LRM and RLM stay: right-to-left news text uses them, and
# they reorder nothing by themselves.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]|#(?=#(?:vso)?\[)")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` on one line and safe to print to a terminal or a CI log: control characters
    escaped (\\n, \\x1b, ...), the undecodable bytes of a file name written as \\xNN, and what
    a CI runner would read as a command (a leading "::", "##[") broken by one escaped character."""
    text = _UNPRINTABLE.sub(_escape, text)
    command = text.lstrip()  # what is left of leading spaces: the others are escaped by now
    if command.startswith("::"):
        start = len(text) - len(command)
        text = f"{text[:start]}\\x3a{text[start + 1 :]}"
    return text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's "surrogateescape" form of byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


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


def json_text(payload: object, indent: int | None = None) -> str:
    """`payload` as JSON, safe in a CI log: json escapes control characters itself, and "##"
    (of "##[" or "##vso[", which CI runners read as commands anywhere in a line) is written
    "#\\u0023", which decodes to the same text."""
    return json.dumps(payload, indent=indent, ensure_ascii=False).replace("##", "#\\u0023")
