"""What `newslint learn` writes: one `phrase` rule file per site, and the optional report.

A site's rule is `learned-<site>.yaml`: its boilerplate lines as phrases matched as whole lines
(`match: line`), sorted by text so that a re-run on a grown archive changes counts in place and
adds lines, each under a comment with its count and the first two articles holding it; and
examples made from the phrases, so `newslint test-rules` tests the rule: a line each phrase was
learned from is flagged, a phrase inside a sentence is not. Every file is parsed back and its examples run
before it is written (a phrase that its own line does not match is left out), and written
atomically into the output folder, never through a link out of it. A line listed in the output
folder's not-boilerplate.txt (a reviewer's verdict) is never written.

Text from the archive (phrases, site and article names) is untrusted: phrases and texts are
YAML double-quoted scalars with every unprintable character escaped, names in comments have
theirs escaped, and a site's name becomes a file name of lower-case letters, digits and
hyphens only (with a hash of the name when that changed it, so two sites never share a file).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from typing import NamedTuple

from newslint.atomic_write import write_atomic
from newslint.errors import RuleError, UsageError
from newslint.learn import line_core
from newslint.learn_judge import LearnedLine, SiteResult
from newslint.reading import SkippedFile, read_small_file
from newslint.rule_examples import example_failures, example_violations
from newslint.rules import parse_rule
from newslint.vetted import VettedPath

RULE_PREFIX = "learned-"
MAX_PHRASES = 200  # a site's most frequent boilerplate lines; more would be a site's whole pages
MAX_SLUG = 60
# In the output folder: lines a reviewer judged not to be boilerplate, never written again.
KEPT_OUT_FILE = "not-boilerplate.txt"
MAX_KEPT_OUT_BYTES = 4 << 20
_NEGATIVE_FRAMES = (
    "A reader wrote that {phrase} was the last thing she saw.",
    "Nobody expected the phrase {phrase} in a court filing.",
)
_FALLBACK_NEGATIVES = ("The council met on Tuesday evening.", "It rained all week in the valley.")


class Written(NamedTuple):
    site: str
    path: str  # the rule file written
    phrases: int
    dropped: list[str]  # phrases left out because their own line did not match them


def rule_name(site: str) -> str:
    """`learned-` and the site's name as a kebab-case rule name (and file name)."""
    words, word = [], []
    for char in site.lower():
        if char.isascii() and char.isalnum():
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    slug = "-".join(words)[:MAX_SLUG].strip("-")
    if slug != site:
        digest = hashlib.blake2b(site.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
        slug = f"{slug}-{digest}" if slug else digest
    return RULE_PREFIX + slug


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_YAML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n"}


def _quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar on one line: every character Python does not call
    printable escaped (line breaks of any kind, controls, bidi overrides, which PyYAML's own
    emitter writes as they are), and backslashes and quotes."""
    body = "".join(_YAML_ESCAPES.get(char) or (char if char.isprintable() else _escape(char)) for char in text)
    return f'"{body}"'


def _comment(text: str) -> str:
    """`text` safe inside a YAML comment: nothing that ends a line or hides text."""
    escaped = []
    for char in text:
        if char.isprintable():
            escaped.append(char)
        elif 0xDC80 <= ord(char) <= 0xDCFF:  # an undecodable byte of a file name
            escaped.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            escaped.append(_escape(char))
    return "".join(escaped)


def _positive(lines: list[LearnedLine]) -> str:
    """The lines the phrases were learned from, one after the other: each must be flagged."""
    return "".join(f"{line.line}\n" for line in lines)


def _examples(lines: list[LearnedLine], negative: str) -> list[tuple[str, list[int]]]:
    return [(_positive(lines), list(range(1, len(lines) + 1))), (negative + "\n", [])]


def rule_text(result: SiteResult, lines: list[LearnedLine], negative: str) -> str:
    site = result.site
    what = f"Lines that recur in the articles of the site {json.dumps(site)}: its footer, menus, share row."
    out = [
        f"# Learned by `newslint learn` from {result.articles} articles of the site {_comment(json.dumps(site))}:",
        f"# lines in at least {result.threshold} of them that look like boilerplate. Review before you",
        "# commit: delete a phrase that is story text. Re-running learn rewrites this file.",
        "check: phrase",
        "category: footer",
        "severity: warning",
        'message: "Boilerplate learned from this site\'s articles: {match}"',
        "doc:",
        f"  what: {_quoted(what)}",
        "  why: They are the site's page around the story, not the story.",
        "  fix: Deletes the line.",
        "match: line",
        "fix: delete",
        "phrases:",
    ]
    for line in lines:
        names = ", ".join(_comment(name) for name in line.names)
        out.append(f"  # {line.count} articles, e.g. {names}")
        out.append(f"  - {_quoted(line.text)}")
    out.append("examples:")
    for text, expect in _examples(lines, negative):
        out.append(f"  - text: {_quoted(text)}")
        out.append(f"    expect: {json.dumps(expect)}")
    return "\n".join(out) + "\n"


def _chosen(result: SiteResult, kept_out: frozenset[str]) -> list[LearnedLine]:
    """The site's boilerplate lines written: the most frequent MAX_PHRASES of those not kept
    out, sorted by text."""
    lines = [line for line in result.boilerplate() if line.text.lower() not in kept_out]
    lines = lines[:MAX_PHRASES]  # result.lines is most frequent first
    return sorted(lines, key=lambda line: (line.text.lower(), line.text))


def read_kept_out(out: str) -> frozenset[str]:
    """The lines the user keeps out of every learned rule: KEPT_OUT_FILE in the output folder,
    one line each (compared as learn compares lines; blank lines and lines starting with # are
    skipped). Empty when there is no such file."""
    path = os.path.join(out, KEPT_OUT_FILE)
    try:
        # As a vetted path: a link in its place is refused (O_NOFOLLOW), not followed out.
        data = read_small_file(VettedPath(path, os.path.abspath(path)), MAX_KEPT_OUT_BYTES)
    except FileNotFoundError:
        return frozenset()
    except (OSError, SkippedFile) as exc:
        raise UsageError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("not UTF-8 text", path) from None
    kept = set()
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            core = line_core(line)
            if core is not None:
                kept.add(core.lower())
    return frozenset(kept)


def verified_rule(
    result: SiteResult, path: str, kept_out: frozenset[str] = frozenset()
) -> tuple[str, list[LearnedLine], list[str]] | None:
    """The rule file's text for the site, the lines it holds and the phrases left out; None
    when no line is left. The text is parsed back: its phrases are exactly the lines', and its
    examples pass."""
    lines = _chosen(result, kept_out)
    dropped: list[str] = []
    name = os.path.splitext(os.path.basename(path))[0]
    for _attempt in range(3):
        if not lines:
            return None
        negatives = [frame.format(phrase=lines[0].text) for frame in _NEGATIVE_FRAMES] + list(_FALLBACK_NEGATIVES)
        for negative in negatives:
            text = rule_text(result, lines, negative)
            try:
                rule = parse_rule(text, path, name)
            except RuleError:
                return None
            if rule.check.options["phrases"] != [line.text for line in lines]:
                return None  # escaping did not round-trip: write nothing rather than something else
            if not any(example_failures(rule)):
                return text, lines, dropped
            if example_violations(rule, negative + "\n"):
                continue  # a phrase is this very sentence: try another
            break
        # Some phrase does not match its own line (the matcher splits words differently, or the
        # line is not checked where it stands alone: a fence): leave it out.
        flagged = {v.line for v in example_violations(rule, _positive(lines))}
        dropped += [line.text for n, line in enumerate(lines, 1) if n not in flagged]
        lines = [line for n, line in enumerate(lines, 1) if n in flagged]
    return None


def prepare_out(out: str) -> None:
    """Create the output folder if missing; UsageError if it cannot be a folder."""
    try:
        os.makedirs(out, exist_ok=True)
    except FileExistsError:
        raise UsageError("the output is not a folder", out) from None
    except OSError as exc:
        raise UsageError(f"cannot create the output folder: {exc.strerror or exc}", out) from None
    if not os.path.isdir(out):
        raise UsageError("the output is not a folder", out)


def write_site_rule(result: SiteResult, out: str, kept_out: frozenset[str] = frozenset()) -> Written | None:
    """Write the site's rule file into `out` (a folder); None when it has no boilerplate."""
    path = os.path.join(out, rule_name(result.site) + ".yaml")
    verified = verified_rule(result, path, kept_out)
    if verified is None:
        return None
    text, lines, dropped = verified
    _write_inside(path, text.encode("utf-8"))
    return Written(result.site, path, len(lines), dropped)


def _write_inside(path: str, data: bytes) -> None:
    """Write `path` atomically, refusing a link or anything but a regular file in its place
    (write_atomic follows links, which could lead out of the output folder)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise UsageError("refusing to replace what is not a regular file (a link?)", path)
    try:
        write_atomic(path, data, create=True)
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror or exc}", path) from None


def report_lines(results: list[SiteResult]) -> str:
    """Every recurring line of every site and how it was judged, as JSON lines."""
    rows = []
    for result in results:
        for line in sorted(result.lines, key=lambda line: (line.text.lower(), line.text)):
            record = {
                "site": result.site,
                "verdict": line.verdict,
                "articles": line.count,
                "site_articles": result.articles,
                "edge": line.edge,
                "overlap": round(line.similarity, 3),
                "site_overlap": round(result.baseline, 3),
                "reason": line.reason,
                "text": line.text,
                "examples": line.names,
            }
            rows.append(json.dumps(record, ensure_ascii=True) + "\n")
    return "".join(rows)


def write_report(results: list[SiteResult], path: str) -> None:
    if os.path.isdir(path):
        raise UsageError("cannot write the report: a folder", path)
    try:
        write_atomic(path, report_lines(results).encode("utf-8"), create=True)
    except OSError as exc:
        raise UsageError(f"cannot write the report: {exc.strerror or exc}", path) from None
