"""Unicode classes narrowed to the characters news text is nearly always made of.

RE2 compiles `\\pL` or `\\p{Lu}` into an automaton over every letter of Unicode: the built-in rules'
classes made up most of their compile time (most of a one-file run) and, with their wide byte
maps, slowed every scan. Yet nearly all articles (of ../shared/corpus, all but a few) use only COMMON_RANGES: Latin-1
(ASCII, accented Latin letters, NBSP) and General Punctuation (curly quotes, dashes). On such a
text a class can only ever match its COMMON members, so `narrow(pattern)` rewrites each Unicode
class to exactly those (RE2 itself decides membership, character by character), and the
narrowed program finds the same matches on such a text as the full one. The fast engine
(fast.py) runs it on documents and lines within COMMON and the full program on the others.

Case folding is why a narrowed class also keeps a few characters outside COMMON: `(?i)\\p{Lu}`
matches "ÿ" because "Ÿ" (U+0178) is an uppercase letter, so "Ÿ" stays in the narrowed class
whenever the full one has it (FOLDS_INTO_COMMON lists such characters; a test recomputes the
list over all of Unicode). Characters outside COMMON never occur in the texts the narrowed
program runs on, so keeping them changes nothing else.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import re2

from newslint.engine.re2syntax import POSITIVE_UNICODE_CLASS, bracket_ranges, tokens

# The characters nearly every article is made of: Latin-1 (ASCII, accented Latin letters, NBSP)
# and General Punctuation (curly quotes, dashes, the ellipsis), as inclusive code point ranges.
COMMON_RANGES = ((0x0000, 0x00FF), (0x2000, 0x206F))
_OUTSIDE_COMMON = re.compile("[^" + "".join(f"{chr(low)}-{chr(high)}" for low, high in COMMON_RANGES) + "]")

# Characters outside COMMON that RE2 folds onto one inside it (ignoring case): Ÿ, ſ, Μ, μ, ẞ,
# the Kelvin sign and the Angstrom sign.
FOLDS_INTO_COMMON = "\u0178\u017f\u039c\u03bc\u1e9e\u212a\u212b"
# Added to every narrowed class so it is never empty (`[\p{Greek}]` has no member in COMMON, and
# `[]` is not a pattern): a private-use character, outside COMMON, so it never occurs in the text.
_PLACEHOLDER = 0xE000


def is_common(text: str) -> bool:
    """Whether `text` is made of COMMON_RANGES characters only."""
    return text.isascii() or _OUTSIDE_COMMON.search(text) is None


def narrow(pattern: str) -> str:
    """`pattern` with each Unicode class narrowed to its members in COMMON (plus the members
    of FOLDS_INTO_COMMON it has). A pattern without Unicode classes comes back unchanged."""
    if "\\p" not in pattern or "\\Q" in pattern:
        return pattern  # nothing to narrow, or \Q...\E quoting, where \pL is text
    parts = list(tokens(pattern))
    out = []
    for k, (text, _, in_class) in enumerate(parts):
        # A negated class (`\PL`, `\p{^L}`) is left as it is: under case folding RE2 reads it as
        # "not any case of a member", which no positive class spells.
        if POSITIVE_UNICODE_CLASS.fullmatch(text):
            ranges = _narrowed_ranges(text)
            out.append(ranges if in_class else f"[{ranges}]")
        elif (
            text == "-"
            and in_class
            and POSITIVE_UNICODE_CLASS.fullmatch(parts[k - 1].text)
            and (k + 1 == len(parts) or parts[k + 1].in_class)
        ):
            # RE2 reads "-" after a class as itself ([\pL-z]); after the last range of the
            # narrowed class it would start a range.
            out.append("\\-")
        else:
            out.append(text)
    return "".join(out)


@lru_cache(maxsize=1)
def _candidates() -> str:
    """Every character of COMMON, then those of FOLDS_INTO_COMMON."""
    codes = [code for low, high in COMMON_RANGES for code in range(low, high + 1)]
    return "".join(sorted(map(chr, codes)) + sorted(FOLDS_INTO_COMMON))


@cache
def _narrowed_ranges(unicode_class: str) -> str:
    """The members of one Unicode class (`\\pL`, `\\p{Lu}`) in COMMON and FOLDS_INTO_COMMON,
    as the inside of a bracket expression."""
    options = re2.Options()
    options.log_errors = False
    member = re2.compile(unicode_class, options)
    # One findall over the candidates, as UTF-8 (the binding's str path costs more per match).
    codes = [ord(found.decode("utf-8")) for found in member.findall(_candidates().encode("utf-8"))]
    return bracket_ranges(sorted(codes + [_PLACEHOLDER]))
