"""`pattern`: regular expressions in RE2 syntax, run on each line.

RE2 (google-re2) runs in time linear in the text whatever the pattern, so a user's rule can never
hang a CI run; the price is no backreferences and no lookaround, which RE2 refuses at load.
`^` and `$` match at the start and end of each line, and no match crosses a line.
"""

from __future__ import annotations

from newslint.checks.matching import SCOPE_OPTIONS, LineMatchCheck, alternation, regex_problem
from newslint.checks.options import Option


class PatternCheck(LineMatchCheck):
    OPTIONS = {
        "patterns": Option("str-list", "RE2 regular expressions; a match on any of them is flagged.", check=regex_problem),
        **SCOPE_OPTIONS,
        "ignore_case": Option("bool", "Match regardless of case.", default=False),
    }

    def __init__(self, options):
        super().__init__(options)
        self.alternatives = list(options["patterns"])
        self.pattern = f"(?m){alternation(self.alternatives)}"
