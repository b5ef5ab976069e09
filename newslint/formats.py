"""Turn violations into text for people and machines. Formatters return strings; cli.py prints."""

from __future__ import annotations

import json
from dataclasses import dataclass

from newslint.violations import Violation

JSON_VERSION = 1


@dataclass(frozen=True)
class Summary:
    files_checked: int
    files_with_problems: int
    problems: int
    fixable: int
    unsafe_fixable: int
    file_errors: int
    fixed: int = 0  # by --fix (or, with --diff, that would be); `problems` counts them too

    @classmethod
    def of(
        cls, violations: list[Violation], files_checked: int, file_errors: int, fixed_by_path: dict[str, int] | None = None
    ) -> "Summary":
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
        )

    def as_dict(self) -> dict:
        return {
            "files_checked": self.files_checked,
            "files_with_problems": self.files_with_problems,
            "problems": self.problems,
            "fixable": self.fixable,
            "unsafe_fixable": self.unsafe_fixable,
            "file_errors": self.file_errors,
            "fixed": self.fixed,
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def text_line(v: Violation) -> str:
    return f"{v.path}:{v.line}:{v.column}: {v.severity} {v.rule} {v.message}"


def summary_line(summary: Summary) -> str:
    if not summary.problems:
        return f"No problems found in {_plural(summary.files_checked, 'file')}."
    line = f"Found {_plural(summary.problems, 'problem')} in {_plural(summary.files_with_problems, 'file')}"
    extras = []
    if summary.fixed:
        extras += [f"{summary.fixed} fixed", f"{summary.problems - summary.fixed} remaining"]
    if summary.fixable:
        extras.append(f"{summary.fixable} fixable with --fix")
    if summary.unsafe_fixable:
        more = "fixable" if summary.fixed else "more"
        extras.append(f"{summary.unsafe_fixable} {more} with --unsafe-fixes")
    return line + (f" ({', '.join(extras)})." if extras else ".")


def diff_summary_line(summary: Summary) -> str:
    """The summary of a --diff run, which fixed nothing but says what --fix would do."""
    if not summary.problems:
        return f"No problems found in {_plural(summary.files_checked, 'file')}."
    remaining = summary.problems - summary.fixed
    return (
        f"Would fix {_plural(summary.fixed, 'problem')}; {remaining} would remain "
        f"(found {_plural(summary.problems, 'problem')} in {_plural(summary.files_with_problems, 'file')})."
    )


def format_text(violations: list[Violation], summary: Summary) -> str:
    lines = [text_line(v) for v in violations]
    lines.append(summary_line(summary))
    return "\n".join(lines) + "\n"


def format_json(violations: list[Violation], summary: Summary) -> str:
    payload = {
        "version": JSON_VERSION,
        "violations": [v.as_dict() for v in violations],
        "summary": summary.as_dict(),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


FORMATTERS = {
    "text": format_text,
    "json": format_json,
}
