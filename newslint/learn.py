"""`newslint learn`: a site's boilerplate, learned from the lines its articles repeat.

A line that recurs in many articles of one site and says nothing about any of them (a footer,
a menu, a share row) is the site's boilerplate; a line that recurs because several stories
carry it (a quote, a syndicated paragraph) is story text. The archive is read twice, streamed
(its source, learn_sources.py, is iterated once each pass):

1. Count. Each line is normalised as the `phrase` check's `match: line` compares lines: the
   punctuation and Markdown markers around it dropped, its spacing collapsed, its case folded.
   Each site's articles are counted, and every distinct line of an article goes into one
   count-min sketch (conservative update; 16-bit counters, three rows) keyed by a keyed
   blake2b of the line and its site. Memory is the sketch's, whatever the archive's size; it
   can only overcount.
2. Look closer. A line whose sketch count reaches its site's threshold (`min_articles`, and
   `min_share` of the site's articles) is a candidate; for candidates alone the exact count is
   kept, with the two first article names (in the source's order), how often the line stands
   in the article's head or tail run (at most EDGE_SLACK lines that are not candidates between
   it and the article's start or end: a menu under the headline, a footer after the story), and
   a sample of the articles that hold it (the SAMPLE_SIZE with the smallest name hash, so the
   sample is the same whatever the order) with their words, to tell a site-wide line from one
   a cluster of stories shares.

A candidate with its exact count at the threshold is judged (see `judge`): story text if it is
story-shaped (a sentence of prose) and stands inside the story, or if the articles holding it
are about the same thing (their words overlap far more than the site's articles do) and it is
story-shaped or inside the story; boilerplate otherwise. Line features come from the context
check (checks/context.py): its words, stop words and sentence test.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from newslint.checks.context_analysis import ends_sentence, load_stopwords, tokenize
from newslint.learn_sources import Article, ArticleSource

DEFAULT_MIN_ARTICLES = 5
DEFAULT_MIN_SHARE = 0.02
# A phrase longer than this is not learned: boilerplate lines are short, and a phrase list's
# program grows with its text (the rule-size limit in rules.py).
MAX_PHRASE_CHARS = 500
EDGE_SLACK = 2
SAMPLE_SIZE = 16  # articles sampled of each candidate line
SITE_SAMPLE_SIZE = 64  # articles sampled of each site: its words' spread, its articles' overlap
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
_COUNTER_MAX = 0xFFFF


class CountSketch:
    """Counts of 96-bit keys in fixed memory: three rows of `width` 16-bit counters; a key's count
    is the least of its three counters, never below its true count (and saturating at 65,535)."""

    def __init__(self, width: int):
        assert width & (width - 1) == 0, "the width is a power of two"
        self.width = width
        self.mask = width - 1
        self.counts = array("H", bytes(2 * 3 * width))

    @staticmethod
    def width_for(articles: int) -> int:
        """A width of about one counter a row for each line of `articles` articles of 30 lines,
        between 2**16 and 2**24 (96 MB); 2**22 when their number is not known (0)."""
        if articles <= 0:
            return 1 << 22
        return 1 << max(16, min(24, math.ceil(math.log2(articles * 30))))

    def _slots(self, key: int) -> tuple[int, int, int]:
        mask, width = self.mask, self.width
        return key & mask, width + ((key >> 32) & mask), 2 * width + ((key >> 64) & mask)

    def add(self, key: int) -> None:
        counts = self.counts
        i, j, k = self._slots(key)
        a, b, c = counts[i], counts[j], counts[k]
        least = min(a, b, c)
        if least == _COUNTER_MAX:
            return
        least += 1  # conservative update: raise only the counters below the new least
        if a < least:
            counts[i] = least
        if b < least:
            counts[j] = least
        if c < least:
            counts[k] = least

    def estimate(self, key: int) -> int:
        counts = self.counts
        i, j, k = self._slots(key)
        return min(counts[i], counts[j], counts[k])


def line_core(text: str) -> str | None:
    """The line as a `match: line` phrase holds it: without the punctuation and markers around
    it, its spacing collapsed; None for a line with no letter or digit, one too long to learn, or
    one with characters that are not printable (control and format characters)."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    if start == end or end - start > MAX_PHRASE_CHARS:
        return None
    core = " ".join(text[start:end].split())
    return core if core.isprintable() else None


def site_key(site: str) -> bytes:
    return hashlib.blake2b(site.encode("utf-8", "surrogatepass"), digest_size=32).digest()


def line_key(core: str, key: bytes) -> int:
    digest = hashlib.blake2b(core.lower().encode("utf-8", "surrogatepass"), digest_size=12, key=key).digest()
    return int.from_bytes(digest, "little")


def name_hash(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


@dataclass
class Settings:
    min_articles: int = DEFAULT_MIN_ARTICLES
    min_share: float = DEFAULT_MIN_SHARE
    language: str = "en"
    sketch_width: int | None = None  # None: sized from the first pass's article count estimate

    def threshold(self, articles: int) -> int:
        return min(_COUNTER_MAX, max(self.min_articles, math.ceil(self.min_share * articles)))


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


def _keep_sample(
    sample: list[tuple[int, tuple[int, ...]]], hashed: int, signature: tuple[int, ...], size: int = SAMPLE_SIZE
) -> None:
    bisect.insort(sample, (hashed, signature))
    if len(sample) > size:
        sample.pop()


def _admits(sample: list[tuple[int, tuple[int, ...]]], hashed: int, size: int = SAMPLE_SIZE) -> bool:
    return len(sample) < size or hashed < sample[-1][0]


def _article_lines(article: Article, key: bytes) -> list[tuple[str, int, str]]:
    """(core, key, line) of each checked line of the article that has a core, in order."""
    found = []
    for line in article.document.lines:
        if line.checked:
            core = line_core(line.text)
            if core is not None:
                found.append((core, line_key(core, key), line.text))
    return found


def learn(source: ArticleSource, settings: Settings, articles_hint: int = 0) -> list[SiteResult]:
    """Each site's recurring lines, judged, sites in sorted order (see the module's docstring).
    `articles_hint`, the archive's size if known, sizes the sketch."""
    sketch = CountSketch(settings.sketch_width or CountSketch.width_for(articles_hint))
    site_articles: Counter[str] = Counter()
    keys: dict[str, bytes] = {}
    for article in source():
        key = keys.get(article.site) or keys.setdefault(article.site, site_key(article.site))
        site_articles[article.site] += 1
        for line_hash in {h for _, h, _ in _article_lines(article, key)}:
            sketch.add(line_hash)
    thresholds = {site: settings.threshold(n) for site, n in site_articles.items()}
    candidates: dict[int, Candidate] = {}
    site_samples: dict[str, list[tuple[int, tuple[int, ...]]]] = {site: [] for site in site_articles}
    stopwords = load_stopwords(settings.language)
    for article in source():
        if article.site not in thresholds:
            continue  # the archive grew since the first pass
        _look_closer(article, keys[article.site], thresholds[article.site], sketch, candidates, site_samples, stopwords)
    by_site: dict[str, list[Candidate]] = {site: [] for site in site_articles}
    for candidate in candidates.values():
        if candidate.count >= thresholds[candidate.site]:
            by_site[candidate.site].append(candidate)
    results = []
    for site in sorted(site_articles):
        signatures = [signature for _, signature in site_samples[site]]
        common = common_words(signatures)
        baseline = mean_similarity(signatures, common)
        lines = [judge(candidate, baseline, common, stopwords) for candidate in by_site[site]]
        lines.sort(key=lambda line: (-line.count, line.text.lower(), line.text))
        results.append(SiteResult(site, site_articles[site], thresholds[site], baseline, lines))
    return results


def _look_closer(
    article: Article,
    key: bytes,
    threshold: int,
    sketch: CountSketch,
    candidates: dict[int, Candidate],
    site_samples: dict[str, list[tuple[int, tuple[int, ...]]]],
    stopwords: frozenset[str],
) -> None:
    """Pass 2 for one article: count its candidate lines exactly, with their evidence."""
    lines = _article_lines(article, key)
    flags = [sketch.estimate(line_hash) >= threshold for _, line_hash, _ in lines]
    hashed = name_hash(article.name)
    signature: tuple[int, ...] | None = None
    site_sample = site_samples[article.site]
    if _admits(site_sample, hashed, SITE_SAMPLE_SIZE):
        signature = _signature(lines, flags, stopwords)
        _keep_sample(site_sample, hashed, signature, SITE_SAMPLE_SIZE)
    if not any(flags):
        return
    # Lines that are not candidates before each line, and after it: a line with few of them
    # on one side stands in the article's head or tail run.
    before = [0] * len(lines)
    others = 0
    for n, flag in enumerate(flags):
        before[n] = others
        others += not flag
    seen: set[int] = set()
    for n, (core, line_hash, text) in enumerate(lines):
        if not flags[n]:
            continue
        after = others - before[n]
        edge = before[n] <= EDGE_SLACK or after <= EDGE_SLACK
        if line_hash in seen:
            continue
        seen.add(line_hash)
        candidate = candidates.get(line_hash)
        if candidate is None:
            candidate = candidates[line_hash] = Candidate(article.site, core, text.strip())
        candidate.count += 1
        candidate.edge += edge
        if len(candidate.names) < 2:
            candidate.names.append(article.name)
        if _admits(candidate.sample, hashed):
            if signature is None:
                signature = _signature(lines, flags, stopwords)
            _keep_sample(candidate.sample, hashed, signature)


def _signature(lines: list[tuple[str, int, str]], flags: list[bool], stopwords: frozenset[str]) -> tuple[int, ...]:
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
