"""--format markdown: a summary for people, as a CI job summary ($GITHUB_STEP_SUMMARY) or a pull
request comment: the summary line, problems per rule and per file, then each problem, with links
to its lines when the run is on GitHub Actions.

Everything an article, a file name or a rule file holds is text here, never markup. It goes
through printable() as in every format (no control character, no CI command), and then through
markdown_text(): each ASCII punctuation character is backslash-escaped, so nothing is a link, an
image, emphasis, a table cell's end or an HTML tag; and what GitHub acts on in plain text is
broken by an invisible zero-width space: an @mention (which would notify that user), a #123 or
owner/repo#123 reference (which links, and from a comment adds a note to that issue) and a bare
URL (which would be a link). The output is at most MAX_BYTES, GitHub's limit for a step summary:
problems that do not fit are counted in a note at the end.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import PurePath

from newslint.formats.escaping import printable
from newslint.formats.report import Report, rule_statistics, summary_line
from newslint.violations import Violation

# GitHub refuses a step summary larger than 1 MiB (and shows none of it).
MAX_BYTES = 1 << 20
# A message (which quotes the flagged text) is cut to this many characters before escaping: a
# megabyte-long junk line must not take the summary's whole room.
MAX_TEXT = 300
MAX_PATH = 1000  # a path is cut only where no file system would have it
# The per-file table lists this many files, the most problems first; the rest are counted.
MAX_FILE_ROWS = 100

_ZERO_WIDTH_SPACE = "&#8203;"  # an entity: the raw Markdown stays ASCII, and no invisible byte is in it
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
# After escaping: "@" and "#" (mentions and references), "://" and "www." (bare URLs).
_GITHUB_LINKS = re.compile(r"(\\[@#])|(\\:)(?=\\/\\/)|(?i:(www))(?=\\\.)")
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\Z")
_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")
_SERVER = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~/-]*)?\Z")


def markdown_text(text: str, limit: int = MAX_TEXT) -> str:
    """`text` (at most `limit` characters of it) as Markdown that shows exactly it: one line, no
    markup, nothing GitHub turns into a mention, a reference or a link."""
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    escaped = _PUNCTUATION.sub(lambda match: "\\" + match.group(), printable(text))
    return _GITHUB_LINKS.sub(lambda match: match.group() + _ZERO_WIDTH_SPACE, escaped)


def line_links(environ: Mapping[str, str]) -> str | None:
    """The start of a link to a file of the commit checked, `SERVER/OWNER/REPO/blob/SHA/`, from
    GitHub Actions' variables; None when they are not set (or not what GitHub sets)."""
    server = environ.get("GITHUB_SERVER_URL", "").rstrip("/")
    repository = environ.get("GITHUB_REPOSITORY", "")
    sha = environ.get("GITHUB_SHA", "")
    if not (_SERVER.match(server) and _REPOSITORY.match(repository) and _SHA.match(sha)):
        return None
    return f"{server}/{repository}/blob/{sha}/"


def _link(base: str | None, path: str, root: str, first: int | None = None, last: int | None = None) -> str | None:
    """The URL of `path` (lines first..last) on GitHub, or None outside the repository at `root`."""
    if base is None:
        return None
    import urllib.parse  # here: only linked summaries need it

    relative = os.path.relpath(os.path.abspath(path), root)
    if relative == os.curdir or relative.split(os.sep)[0] == os.pardir:
        return None
    url = base + urllib.parse.quote(os.fsencode(relative.replace(os.sep, "/")), safe="/")
    if first is not None:
        url += f"#L{first}" + (f"-L{last}" if last is not None and last != first else "")
    return url


def _shown_path(path: str) -> str:
    # As GitHub names a file of the repository, and as the github format writes it: "./a.md" as "a.md".
    return markdown_text(PurePath(path).as_posix(), MAX_PATH)


def _where(v: Violation, base: str | None, root: str) -> str:
    if v.record is not None:  # a dataset's record: its number after the file, the link to its line
        text = f"{_shown_path(v.path)}#{v.record.number}:{v.line}"
        url = _link(base, v.path, root, v.record.line, v.record.line)
        return f"[{text}]({url})" if url else text
    text = f"{_shown_path(v.path)}:{v.line}"
    url = _link(base, v.path, root, v.line, v.end_line)
    return f"[{text}]({url})" if url else text


class _Budget:
    """Lines of output while they fit in MAX_BYTES, keeping room for the notes that end it."""

    ROOM_FOR_NOTES = 1024

    def __init__(self, limit: int = MAX_BYTES):
        self.lines: list[str] = []
        self.left = limit - self.ROOM_FOR_NOTES

    def add(self, line: str) -> bool:
        size = len(line.encode("utf-8", "surrogatepass")) + 1
        if size > self.left:
            return False
        self.lines.append(line)
        self.left -= size
        return True


def format_markdown(report: Report, environ: Mapping[str, str] | None = None, limit: int = MAX_BYTES) -> str:
    """The summary as Markdown (see the module's docstring); links to lines when `environ`
    (default: this process's) has GitHub Actions' GITHUB_SERVER_URL, GITHUB_REPOSITORY and
    GITHUB_SHA. Paths are linked relative to GITHUB_WORKSPACE (default: the current folder)."""
    environ = os.environ if environ is None else environ
    base = line_links(environ)
    root = os.path.abspath(environ.get("GITHUB_WORKSPACE") or os.curdir)
    out = _Budget(limit)
    out.add("## newslint\n")
    out.add(markdown_text(summary_line(report.summary), MAX_PATH))
    violations = report.violations
    if violations:
        out.add("\n### Problems per rule\n")
        out.add("| rule | severity | problems | fixable |")
        out.add("| --- | --- | ---: | ---: |")
        for row in rule_statistics(violations):
            out.add(f"| {markdown_text(row['rule'])} | {row['severity']} | {row['count']} | {row['fixable']} |")
        by_file: dict[str, int] = {}
        for v in violations:
            by_file[v.path] = by_file.get(v.path, 0) + 1
        out.add("\n### Problems per file\n")
        out.add("| file | problems |")
        out.add("| --- | ---: |")
        files = sorted(by_file.items(), key=lambda item: -item[1])
        for path, count in files[:MAX_FILE_ROWS]:
            url = _link(base, path, root)
            name = _shown_path(path)
            out.add(f"| {f'[{name}]({url})' if url else name} | {count} |")
        if len(files) > MAX_FILE_ROWS:
            out.add(f"\n{len(files) - MAX_FILE_ROWS} more files have problems.")
        out.add("\n### Problems\n")
        shown = 0
        for v in violations:
            line = f"- {_where(v, base, root)} **{v.severity}** {markdown_text(v.rule)}: {markdown_text(v.message)}"
            if not out.add(line):
                break
            shown += 1
        if shown < len(violations):
            # The budget kept room for this note.
            out.lines.append(
                f"\n{len(violations) - shown} more problems are not shown: the summary is cut to "
                f"{limit // 1024} KiB (GitHub's limit). The annotations and `--format json` have them all."
            )
    return "\n".join(out.lines) + "\n"
