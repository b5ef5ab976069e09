"""A rule's screen: a small RE2 pattern that matches wherever the rule's pattern matches.

Most line rules find nothing in most articles, yet each one's program would scan the whole
text, and the dearest programs are those with counted repetitions (`.{10,200}`,
`(?:\\p{Lu}\\w*\\s*){1,5}`) and Unicode classes: their automata have many large states, built
anew as new text arrives. A screen has neither: each counted repetition becomes `*` (counted
from zero) or `+`, and each class holding a Unicode class becomes its ASCII members (as RE2
decides them) plus every character beyond ASCII; the new class stands where the old one stood,
so case folding there applies to both. Each rewrite
only widens what its part matches, and concatenation, alternation, repetition and the
zero-width assertions (left as they are) keep a wider part's matches wider, so any text the
pattern matches, the screen matches too; it may match more.

The screens of all a run's rules are searched together by one RE2 set (gate.py): a rule
runs only on the documents its screen matches (of the 21 built-in rules in the set, 0.6 run
on an average article of the corpus), and searches only the lines its own screen matches.
"""

from __future__ import annotations

import re
from functools import cache

import re2

from newslint.engine.re2syntax import UNICODE_CLASS, bracket_ranges, tokens

# A counted repetition as RE2 reads one ({2}, {2,}, {2,5}); `{,5}` and `{ 2}` are literal text.
_COUNTED = re.compile(r"\{(\d+)(?:,\d*)?\}")
# Every ASCII character but the newline, which no match contains (never_nl).
_ASCII = "".join(chr(code) for code in range(128) if code != 10)
_BEYOND_ASCII = r"\x{80}-\x{10FFFF}"


def screen(pattern: str) -> str:
    """A pattern matching every text `pattern` matches, without counted repetitions or
    Unicode classes. `\\Q...\\E` quoting (where neither is what it seems) is left as it is."""
    if "\\Q" in pattern:
        return pattern
    parts = list(tokens(pattern))
    out = []
    k = 0
    while k < len(parts):
        text, start, in_class = parts[k]
        if text == "[" and not in_class:
            end = k + 1
            while end < len(parts) and parts[end].in_class:
                end += 1  # parts[end] closes the class
            if end < len(parts) and any(UNICODE_CLASS.fullmatch(part.text) for part in parts[k + 1 : end]):
                out.append(_widened(pattern[start : parts[end].start + 1]))
            else:
                out.extend(part.text for part in parts[k : end + 1])
            k = end + 1
            continue
        counted = _COUNTED.match(pattern, start) if text == "{" and not in_class and k > 0 else None
        if counted:
            out.append("*" if int(counted.group(1)) == 0 else "+")
            while k < len(parts) and parts[k].start < counted.end():
                k += 1
            continue
        out.append(_widened(text) if UNICODE_CLASS.fullmatch(text) else text)
        k += 1
    return "".join(out)


@cache
def _widened(character_class: str) -> str:
    """A bracket class holding the ASCII members of `character_class` (a Unicode class or a
    bracket class) and every character beyond ASCII. Under case folding it holds the folds of
    the class's members too: an ASCII letter's other cases are ASCII, or beyond it (K and the
    Kelvin sign)."""
    options = re2.Options()
    options.log_errors = False
    members = re2.compile(character_class, options).findall(_ASCII)
    ascii_ranges = bracket_ranges(sorted(map(ord, members))) if members else ""
    return f"[{ascii_ranges}{_BEYOND_ASCII}]"
