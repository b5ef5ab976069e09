"""One RE2 pass over a document that tells which line-matching rules can match it at all.

Each phrase or pattern rule scans the whole document with its own regex: about 10 us an
article per rule on this project's benchmark, nearly all of it finding nothing. An RE2 Set of
every such rule's regex scans the document once and names the rules with a match somewhere;
only those run. A rule the Set does not name has no match in the document's scan text, and
every finding of a line-matching rule comes from a match there, so skipping it loses nothing.

The Set costs about as much to compile as the rules themselves, so it is built only once the
same rules have checked WARM_UP documents in this process: a one-file run never pays for it.
RE2 runs a Set in linear time like any regex, and for a Set (unlike a single regex) its DFA
never gives up for being slow; if it cannot be built at all, every rule simply runs.
"""

from __future__ import annotations

from typing import Any, Sequence

import re2

from newslint.checks.matching import LineMatchCheck
from newslint.document import Document

# Documents a rule list checks before its Set is built (where the Set starts paying for itself).
WARM_UP = 100
# Room for the Set's program and its DFA's cache of states, which grows only as texts need.
MAX_MEM = 64 << 20


class LinePrefilter:
    """The line-matching rules among `checks` (by index) that may match a document."""

    def __init__(self, checks: Sequence[Any]):
        self.indices = [i for i, check in enumerate(checks) if isinstance(check, LineMatchCheck)]
        options = re2.Options()
        options.log_errors = False
        options.never_nl = True  # as compile_re2 compiles each rule's regex
        options.max_mem = MAX_MEM
        self._set = re2.Set.SearchSet(options)
        for i in self.indices:
            regex = checks[i].regex
            # The Set has one case mode; a rule matching regardless of case says so inline.
            self._set.Add(regex.pattern if regex.options.case_sensitive else f"(?i:{regex.pattern})")
        self._set.Compile()

    def without_match(self, document: Document) -> set[int]:
        """Indices of the line-matching checks with no match in the document's scan text."""
        matched = self._set.Match(document.scan_text.encode("utf-8")) or ()
        return set(self.indices).difference(self.indices[k] for k in matched)


class PrefilterCache:
    """The prefilters of the rule lists in use (a config's per-file ignores make several), each
    built once its list has checked WARM_UP documents."""

    MAX_LISTS = 8

    def __init__(self) -> None:
        # id()s of a list's checks -> [the checks, uses, prefilter]. Holding the checks keeps
        # their ids from being reused by other objects while the entry exists.
        self._entries: dict[tuple[int, ...], list[Any]] = {}

    def get(self, checks: Sequence[Any]) -> LinePrefilter | None:
        key = tuple(map(id, checks))
        entry = self._entries.get(key)
        if entry is None:
            if len(self._entries) >= self.MAX_LISTS:
                del self._entries[next(iter(self._entries))]  # the oldest list
            entry = self._entries[key] = [list(checks), 0, None]
        entry[1] += 1
        if entry[1] == WARM_UP:
            try:
                entry[2] = LinePrefilter(checks)
            except re2.error:
                entry[2] = None  # every rule runs, as before
        return entry[2]
