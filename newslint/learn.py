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

A candidate with its exact count at the threshold is judged (`judge`): story text if it is
story-shaped (a sentence of prose) and stands inside the story, or if the articles holding it
are about the same thing (their words overlap far more than the site's articles do) and it is
story-shaped or inside the story; boilerplate otherwise (learn_judge.py). Line features come
from the context check (checks/context.py): its words, stop words and sentence test.

Each pass feeds an accumulator article by article (Tally, Evidence), so the passes can run in
parts on a Dask cluster (learn_cluster.py) and give the same result.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from newslint.checks.context_analysis import load_stopwords
from newslint.learn_judge import Candidate, SiteResult, article_signature, common_words, judge, mean_similarity
from newslint.learn_sources import Article, ArticleSource

DEFAULT_MIN_ARTICLES = 5
DEFAULT_MIN_SHARE = 0.02
# A phrase longer than this is not learned: boilerplate lines are short, and a phrase list's
# program grows with its text (the rule-size limit in rules.py).
MAX_PHRASE_CHARS = 500
EDGE_SLACK = 2
SAMPLE_SIZE = 16  # articles sampled of each candidate line
SITE_SAMPLE_SIZE = 64  # articles sampled of each site: its words' spread, its articles' overlap
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
    `articles_hint`, the archive's size if known, sizes the sketch. (learn_cluster.py runs the
    same two passes on a Dask cluster.)"""
    tally = Tally(settings.sketch_width or CountSketch.width_for(articles_hint))
    for article in source():
        tally.add(article.site, distinct_lines(article, tally.key(article.site)))
    closer = tally.closer(settings)
    evidence = Evidence()
    for article in source():
        evidence.add(article, closer)
    return judged(tally, closer, evidence)


def distinct_lines(article: Article, key: bytes) -> set[int]:
    """The keys of an article's distinct lines, as pass 1 counts them."""
    return {line_hash for _, line_hash, _ in _article_lines(article, key)}


class Tally:
    """Pass 1's counts: each site's articles, and its lines in the sketch. The sketch's
    conservative update makes its counts depend on the order the keys come in (they do not
    add up from parts), so keys are added in the source's order however they were found."""

    def __init__(self, width: int):
        self.sketch = CountSketch(width)
        self.site_articles: Counter[str] = Counter()
        self.keys: dict[str, bytes] = {}  # each site's key of its line hashes

    def key(self, site: str) -> bytes:
        return self.keys.get(site) or self.keys.setdefault(site, site_key(site))

    def add(self, site: str, line_hashes: Iterable[int]) -> None:
        """One article of `site`, with the keys of its distinct lines."""
        self.site_articles[site] += 1
        add = self.sketch.add
        for line_hash in line_hashes:
            add(line_hash)

    def closer(self, settings: Settings) -> Closer:
        thresholds = {site: settings.threshold(n) for site, n in self.site_articles.items()}
        keys = {site: self.key(site) for site in self.site_articles}
        return Closer(self.sketch, thresholds, keys, load_stopwords(settings.language))


@dataclass
class Closer:
    """What pass 2 is given of pass 1: the sketch and each site's threshold and key."""

    sketch: CountSketch
    thresholds: dict[str, int]
    keys: dict[str, bytes]
    stopwords: frozenset[str]


# Above every name hash (64 bits): no bound.
NO_BOUND = 1 << 64
# A site's Bounds name at most this many of its lines: what a batch is sent stays small.
MAX_BOUND_LINES = 256


class Bounds(NamedTuple):
    """The name hash an article of a site must be below to enter the samples merged so far: its
    site's sample, and by key its candidate lines' (a line not named: any). On a cluster these
    go with each article: a worker computes the signature (its words) only of an article that
    may still enter a sample, as a run on one machine does."""

    site: int
    lines: dict[int, int]


class Evidence:
    """What pass 2 keeps: each candidate line's exact count and evidence, by its key, and each
    site's sample of articles. Evidence found in parts (batches of the archive, in its order)
    and merged in that order is the evidence of the whole: counts add, the first names are the
    first part's first, and a sample keeps the smallest name hashes of its parts'."""

    def __init__(self) -> None:
        self.candidates: dict[int, Candidate] = {}
        self.site_samples: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        self._site_lines: dict[str, list[int]] = {}  # each site's candidates merged, by key
        self._bounds: dict[str, Bounds] = {}  # each site's, since its last merge

    def add(self, article: Article, closer: Closer, bounds: Bounds | None = None) -> None:
        """Pass 2 for one article: count its candidate lines exactly, with their evidence. With
        `bounds`, a sample is not given the article if the samples merged so far refuse it."""
        threshold = closer.thresholds.get(article.site)
        if threshold is None:
            return  # the archive grew since the first pass
        lines = _article_lines(article, closer.keys[article.site])
        sketch, stopwords = closer.sketch, closer.stopwords
        flags = [sketch.estimate(line_hash) >= threshold for _, line_hash, _ in lines]
        hashed = name_hash(article.name)
        signature: tuple[int, ...] | None = None
        site_sample = self.site_samples.setdefault(article.site, [])
        if _admits(site_sample, hashed, SITE_SAMPLE_SIZE) and (bounds is None or hashed < bounds.site):
            signature = article_signature(lines, flags, stopwords)
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
        candidates = self.candidates
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
            if _admits(candidate.sample, hashed) and (bounds is None or hashed < bounds.lines.get(line_hash, NO_BOUND)):
                if signature is None:
                    signature = article_signature(lines, flags, stopwords)
                _keep_sample(candidate.sample, hashed, signature)

    def merge(self, later: Evidence) -> None:
        """Take in the evidence of the articles that come after these (see the class's docstring)."""
        for site, sample in later.site_samples.items():  # (every site with an article in `later`)
            _merge_samples(self.site_samples.setdefault(site, []), sample, SITE_SAMPLE_SIZE)
            self._bounds.pop(site, None)
        for line_hash, theirs in later.candidates.items():
            mine = self.candidates.get(line_hash)
            if mine is None:
                self.candidates[line_hash] = theirs
                self._site_lines.setdefault(theirs.site, []).append(line_hash)
                continue
            mine.count += theirs.count
            mine.edge += theirs.edge
            mine.names = (mine.names + theirs.names)[:2]
            _merge_samples(mine.sample, theirs.sample, SAMPLE_SIZE)

    def bounds(self, site: str) -> Bounds:
        """What the samples merged so far admit of the site's articles (see Bounds)."""
        found = self._bounds.get(site)
        if found is None:
            lines = {}
            for line_hash in self._site_lines.get(site, []):
                sample = self.candidates[line_hash].sample
                if len(sample) == SAMPLE_SIZE:
                    lines[line_hash] = sample[-1][0]
                    if len(lines) == MAX_BOUND_LINES:
                        break
            sample = self.site_samples.get(site, [])
            found = Bounds(sample[-1][0] if len(sample) == SITE_SAMPLE_SIZE else NO_BOUND, lines)
            self._bounds[site] = found
        return found


def _merge_samples(
    sample: list[tuple[int, tuple[int, ...]]], other: list[tuple[int, tuple[int, ...]]], size: int
) -> None:
    for hashed, signature in other:
        if not _admits(sample, hashed, size):
            break  # `other` is sorted: none after this one is admitted either
        _keep_sample(sample, hashed, signature, size)


def judged(tally: Tally, closer: Closer, evidence: Evidence) -> list[SiteResult]:
    """Each site's candidates that reach its threshold, judged, sites in sorted order."""
    by_site: dict[str, list[Candidate]] = {site: [] for site in tally.site_articles}
    for candidate in evidence.candidates.values():
        if candidate.count >= closer.thresholds[candidate.site]:
            by_site[candidate.site].append(candidate)
    results = []
    for site in sorted(tally.site_articles):
        signatures = [signature for _, signature in evidence.site_samples.get(site, [])]
        common = common_words(signatures)
        baseline = mean_similarity(signatures, common)
        lines = [judge(candidate, baseline, common, closer.stopwords) for candidate in by_site[site]]
        lines.sort(key=lambda line: (-line.count, line.text.lower(), line.text))
        results.append(SiteResult(site, tally.site_articles[site], closer.thresholds[site], baseline, lines))
    return results
