"""Judging the lines `newslint learn` finds recurring (learn.py): boilerplate or story text.

An article's words are summed up in its signature, the smallest hashes of its content words (a
bottom-k sketch), taken from its lines that are not candidates: what it is about, without what
it shares with its site's other articles. From the signatures of a sample of a line's articles,
and of a sample of its site's, `judge` tells whether the articles holding the line are about
one thing (a cluster of stories) and, from the line itself, whether it is a sentence of prose
(the context check's test, checks/context_analysis.py) standing inside the story.
"""

from __future__ import annotations

import bisect
import zlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from newslint.checks.context_analysis import ends_sentence, tokenize

# An article's signature: the smallest hashes of its content words (a bottom-k sketch). Words a
# fifth of the site's sampled articles hold are dropped from it when articles are compared (the
# site's and its template's words say nothing of what a story is about), and the smallest
# COMPARED of those left are compared.
SIGNATURE_SIZE = 128
COMPARED = 32
COMMON_SHARE = 0.2
# A line's articles are a cluster when their words overlap at least this much more than the
# site's (mean estimated Jaccard similarity of pairs: at least CLUSTER_FACTOR times the site's
# and CLUSTER_MARGIN above it).
CLUSTER_FACTOR = 2.0
CLUSTER_MARGIN = 0.1
# Story-shaped: a sentence (as the context check's prose next to the story) of at least this
# many words, this share of them stop words.
STORY_WORDS = 5
STORY_STOPWORDS = 0.2
STORY = "story"
BOILERPLATE = "boilerplate"


@dataclass
class Candidate:
    """What pass 2 keeps of a line that recurs: its text, counts and evidence."""

    site: str
    text: str  # the line's core, as the first article holding it has it
    line: str  # that line whole (stripped), whose punctuation tells a sentence
    count: int = 0  # articles holding it
    edge: int = 0  # of them, those where it stands in the head or tail run
    names: list[str] = field(default_factory=list)  # the first two articles holding it
    sample: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)  # (name hash, signature)


@dataclass
class LearnedLine:
    text: str  # the phrase
    line: str  # a line it was learned from, whole (stripped)
    count: int
    edge: int
    names: list[str]
    verdict: str  # BOILERPLATE or STORY
    reason: str  # why, in a few words
    similarity: float  # mean word overlap of the sampled articles holding it


@dataclass
class SiteResult:
    site: str
    articles: int
    threshold: int
    baseline: float  # mean word overlap of the site's sampled articles
    lines: list[LearnedLine]  # most articles first, then by text

    def boilerplate(self) -> list[LearnedLine]:
        return [line for line in self.lines if line.verdict == BOILERPLATE]

    def story(self) -> list[LearnedLine]:
        return [line for line in self.lines if line.verdict == STORY]


def article_signature(
    lines: list[tuple[str, int, str]], flags: list[bool], stopwords: frozenset[str]
) -> tuple[int, ...]:
    """The smallest hashes of the content words of an article's lines that are not candidates:
    what it is about, without what it shares with the site's other articles."""
    words: set[str] = set()
    for (core, _, _), flag in zip(lines, flags, strict=True):
        if not flag:
            words.update(tokenize(core))
    content = (w for w in words if len(w) >= 3 and w not in stopwords and not w[0].isdigit())
    return tuple(sorted(zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in content)[:SIGNATURE_SIZE])


def common_words(signatures: list[tuple[int, ...]]) -> frozenset[int]:
    """The hashes of the words at least COMMON_SHARE of the site's sampled articles hold. A
    signature sees a hash only up to its largest (unless it holds all its article's words), so
    a word's share is of the signatures that see it."""
    holders: Counter[int] = Counter(h for signature in signatures for h in signature)
    reach = sorted(
        signature[-1] if len(signature) == SIGNATURE_SIZE else 1 << 32 for signature in signatures if signature
    )
    common = set()
    for h, count in holders.items():
        seeing = len(reach) - bisect.bisect_left(reach, h)
        if seeing >= 5 and count >= COMMON_SHARE * seeing:
            common.add(h)
    return frozenset(common)


def similarity(one: tuple[int, ...], other: tuple[int, ...]) -> float:
    """The Jaccard similarity of two articles' word sets, estimated from their signatures (the
    share of the union's smallest hashes that both hold)."""
    union = sorted(set(one) | set(other))[:COMPARED]
    if not union:
        return 0.0
    mine, theirs = set(one), set(other)
    return sum(1 for h in union if h in mine and h in theirs) / len(union)


def mean_similarity(signatures: list[tuple[int, ...]], common: frozenset[int]) -> float:
    """The mean similarity of pairs of the signatures, the common words left out."""
    kept = [tuple(h for h in signature if h not in common)[:COMPARED] for signature in signatures]
    pairs = list(combinations(kept, 2))
    return sum(similarity(a, b) for a, b in pairs) / len(pairs) if pairs else 0.0


def story_shaped(text: str, stopwords: frozenset[str]) -> bool:
    """Whether a line reads as a sentence of prose (see STORY_WORDS, STORY_STOPWORDS)."""
    words = tokenize(text)
    stops = sum(1 for word in words if word in stopwords)
    return len(words) >= STORY_WORDS and stops >= STORY_STOPWORDS * len(words) and ends_sentence(text, 30)


def judge(candidate: Candidate, baseline: float, common: frozenset[int], stopwords: frozenset[str]) -> LearnedLine:
    """Boilerplate or story text: story text if it is a sentence of prose inside the story, or if
    the articles that hold it are a cluster (about one thing) and it is prose or inside the story."""
    overlap = mean_similarity([signature for _, signature in candidate.sample], common)
    clustered = (
        len(candidate.sample) >= 3 and overlap >= CLUSTER_FACTOR * baseline and overlap >= baseline + CLUSTER_MARGIN
    )
    prose = story_shaped(candidate.line, stopwords)
    inside = 2 * candidate.edge < candidate.count
    where = f"{candidate.edge} of {candidate.count} in a head or tail run"
    cluster = f"articles' word overlap {overlap:.2f}, site's {baseline:.2f}"
    if prose and inside:
        verdict, reason = STORY, f"a sentence inside the story ({where})"
    elif clustered and (prose or inside):
        verdict, reason = STORY, f"{'a sentence' if prose else 'inside the story'} shared by a cluster ({cluster})"
    else:
        shape = "a sentence" if prose else "not a sentence"
        verdict, reason = BOILERPLATE, f"{shape}, {where}, {cluster}"
    return LearnedLine(
        candidate.text, candidate.line, candidate.count, candidate.edge, list(candidate.names), verdict, reason, overlap
    )
