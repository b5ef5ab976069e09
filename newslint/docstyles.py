"""The two styles rule documentation is written in (ruledocs.py): Markdown for docs/rules.md and
plain text for a terminal, the same structure (headings, literals, prose, lists, code blocks)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from newslint.formats import printable

if TYPE_CHECKING:
    from typing import TypeAlias

    Entry: TypeAlias = "str | tuple[str, Sequence[Entry]]"  # a list item, or one with items under it


class Markdown:
    """Markdown for docs/rules.md (GitHub's flavour, CommonMark escapes)."""

    # What a rule file's prose must not be read as: emphasis, links, HTML tags (`<caption>`),
    # table cells, code, entities; and at its start, a heading, a list item or a quote.
    _SPECIAL = re.compile(r"[\\`*_\[\]<>|]|&(?=#?\w+;)|^[#>+=-]|^(?=\d+[.)])")

    def heading(self, level: int, text: str) -> str:
        return f"{'#' * level} {text}"

    def literal(self, text: str) -> str:
        fence = "`" * (_longest_run(text, "`") + 1)
        padding = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{fence}{padding}{text}{padding}{fence}"

    def prose(self, text: str) -> str:
        """Text written as plain text (a rule file's doc), on one line and escaped so that
        Markdown shows it as it is."""
        return self._SPECIAL.sub(lambda m: "\\" + m.group(), " ".join(text.split()))

    def strong(self, text: str) -> str:
        return f"**{text}**"

    def link(self, text: str, target: str) -> str:
        return f"[{text}]({target})"

    def block(self, text: str, language: str = "text") -> str:
        body = text.rstrip("\n")
        fence = "`" * max(3, _longest_run(body, "`") + 1)
        return f"{fence}{language}\n{body}\n{fence}"

    def items(self, entries: Iterable[Entry], depth: int = 0) -> str:
        lines = []
        for entry in entries:
            text, nested = entry if isinstance(entry, tuple) else (entry, [])
            lines.append(f"{'  ' * depth}- {text}")
            if nested:
                lines.append(self.items(nested, depth + 1))
        return "\n".join(lines)

    def finish(self, blocks: Iterable[str]) -> str:
        return "\n\n".join(blocks) + "\n"


class PlainText(Markdown):
    """Plain text for a terminal: the same structure without markup but `code` (as the option
    docs write it), and every line escaped (formats.printable)."""

    def heading(self, level: int, text: str) -> str:
        return text if level > 2 else f"{text}\n{('=' if level == 1 else '-') * len(text)}"

    def prose(self, text: str) -> str:
        return text

    def strong(self, text: str) -> str:
        return text

    def link(self, text: str, target: str) -> str:
        return text

    def block(self, text: str, language: str = "text") -> str:
        return "\n".join(f"    {line}" if line else "" for line in text.rstrip("\n").split("\n"))

    def finish(self, blocks: Iterable[str]) -> str:
        text = "\n\n".join(blocks)
        return "\n".join(printable(line) for line in text.split("\n")) + "\n"


def _longest_run(text: str, char: str) -> int:
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)
