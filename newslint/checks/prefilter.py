"""A quick test of which line-matching rules can match a document at all, before they run.

Each phrase or pattern rule scans the whole document with its own regex (finditer), and most
documents give most rules nothing to find. Asking an RE2 Set of the rule's one regex whether it
matches anywhere is cheaper: a Set answers with its DFA alone and, unlike a regex search, never
falls back to the NFA to find where a match starts (photo-caption: 55 us an article against
589). Only the rules whose Set matches run. A rule whose Set does not match has no match in the
document's scan text, and every finding of a line-matching rule comes from a match there, so
skipping it loses nothing. One Set per rule, not one for all: a Set of all 22 built-in
phrase/pattern rules made a DFA so large it took 1.5-3 ms an article instead of ~0.25.

The Sets cost about as much to compile as the rules themselves, so they are built only once the
same rules have checked WARM_UP documents in this process: a one-file run never pays for them.
RE2 runs a Set in linear time like any regex, and for a Set its DFA never gives up for being
slow; a rule whose Set cannot be built simply always runs.
"""

from __future__ import annotations

from typing import Any, Sequence

import re2

from newslint.checks.matching import LineMatchCheck
from newslint.document import Document

# Documents a rule list checks before its Sets are built (where they start paying for themselves).
WARM_UP = 100
# Room for a Set's program and its DFA's cache of states, which grows only as texts need.
MAX_MEM = 64 << 20


class LinePrefilter:
    """For the line-matching rules among `checks` (by index): which cannot match a document."""

    def __init__(self, checks: Sequence[Any]):
        self._sets: list[tuple[int, Any]] = []
        for i, check in enumerate(checks):
            if isinstance(check, LineMatchCheck):
                match_set = _set_of(check.regex)
                if match_set is not None:
                    self._sets.append((i, match_set))

    def without_match(self, document: Document) -> set[int]:
        """Indices of the line-matching checks with no match in the document's scan text."""
        text = document.scan_text.encode("utf-8")
        return {i for i, match_set in self._sets if not match_set.Match(text)}


def _set_of(regex: Any) -> Any:
    """An RE2 Set holding `regex` alone (compiled as compile_re2 compiles it), or None."""
    options = re2.Options()
    options.log_errors = False
    options.never_nl = True
    options.case_sensitive = regex.options.case_sensitive
    options.max_mem = MAX_MEM
    match_set = re2.Set.SearchSet(options)
    try:
        match_set.Add(regex.pattern)
        match_set.Compile()
    except re2.error:
        return None  # the rule always runs
    return match_set


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
            entry[2] = LinePrefilter(checks)
        return entry[2]
