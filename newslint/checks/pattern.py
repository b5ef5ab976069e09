"""`pattern`: regular expressions in RE2 syntax, run on each line.

RE2 (google-re2) runs in time linear in the text whatever the pattern, so a user's rule can never
hang a CI run; the price is no backreferences and no lookaround, which RE2 refuses at load.
`^` and `$` match at the start and end of each line, and no match crosses a line.
"""

from __future__ import annotations

from typing import Any

from newslint.checks.matching import SCOPE_OPTIONS, LineMatchCheck
from newslint.checks.options import Option
from newslint.engine import alternation, regex_problem


class PatternCheck(LineMatchCheck):
    """Flags what regular expressions in RE2 syntax (https://github.com/google/re2/wiki/Syntax)
    match, line by line. Patterns run on google-re2, in time linear in the text, so no pattern can
    hang a run: `(a+)+$`, which takes Python's backtracking `re` exponential time on `aaa...a!`, is
    one linear pass. The price is that backreferences and lookaround are refused at load, with
    RE2's reason. A match that is only part of its line is reported with its own columns, and its
    fix removes only that part."""

    OPTIONS = {
        "patterns": Option(
            "str-list",
            "RE2 regular expressions, matched in each line: `^` and `$` are the line's start and end, "
            "and no match crosses a line. A match of any of them is flagged.",
            check=regex_problem,
        ),
        **SCOPE_OPTIONS,
        "ignore_case": Option("bool", "Match regardless of case.", default=False),
    }

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(options)
        self.alternatives = list(options["patterns"])
        self.pattern = f"(?m){alternation(self.alternatives)}"
