"""`newslint learn --scheduler`: learn's two passes (learn.py) on a Dask cluster, with the rule
files and report byte for byte those of a run on one machine.

This process reads the archive (learn_sources.FolderArticles.read: files' bytes and datasets'
records, where discovery vetted the paths) and hands it over in batches through cluster.py's
Session, as `check --scheduler` does: the workers need no shared file system. A task is a
batch; the workers parse its articles and hash their lines (most of learn's work), and each
batch's result is merged here, batch by batch in the archive's order:

1. Count: the keys of each article's distinct lines, in the order pass 1 on one machine adds
   them. The sketch's conservative update is not a sum (two sketches do not add up to the one
   of both parts), so this process adds the keys to the one sketch, in the archive's order:
   the same sketch, and the same candidates, as a run on one machine. About 15 bytes a line
   come back, not a sketch (megabytes) a batch.
2. Look closer: the sketch, the thresholds and the site keys go to each worker once (the
   Session's plan); a batch's result is its Evidence (exact counts, first names, samples of the
   batch's candidate lines; its sites' samples), which learn.Evidence.merge takes in order.
   Each article goes with its site's learn.Bounds, what the samples merged so far still
   admit: a worker works out the words of an article only if it may enter a sample (on one
   machine about 40% of 10,000 articles, fewer the larger the archive; without the bounds,
   half of them whatever the archive's size, the batches' own samples being small).

Problems (a file that cannot be read, a record that cannot be parsed) pass through the batch
in their place, so they are reported in the order a run on one machine reports them.
"""

from __future__ import annotations

from functools import partial

from newslint.cluster import Session
from newslint.discovery import PathProblem
from newslint.learn import Bounds, Closer, CountSketch, Evidence, Settings, Tally, distinct_lines, judged, site_key
from newslint.learn_judge import SiteResult
from newslint.learn_sources import FolderArticles, Read, parse

# Pass 1's result for one article: its site and the keys of its distinct lines, in the order
# pass 1 on one machine adds them; or why it was skipped.
Counted = tuple[str, list[int]] | PathProblem


def learn_on_cluster(
    source: FolderArticles, settings: Settings, session: Session, articles_hint: int = 0
) -> list[SiteResult]:
    """learn.learn's result, the passes run on the session's cluster."""
    tally = Tally(settings.sketch_width or CountSketch.width_for(articles_hint))
    counting = partial(count_batch, max_bytes=source.max_bytes)
    for batch in session.map_batches(counting, source.read(), size=read_size):
        for counted in batch:
            if isinstance(counted, PathProblem):
                source.on_problem(counted)
            else:
                tally.add(*counted)
    closer = tally.closer(settings)
    evidence = Evidence()
    examining = partial(examine_batch, max_bytes=source.max_bytes, plan=closer)
    # Each article with its site's bounds as they are when it is handed over (they only fall).
    bounded = ((item, evidence.bounds(item.site)) for item in source.read())
    for part, problems in session.map_batches(examining, bounded, size=lambda pair: read_size(pair[0])):
        for problem in problems:
            source.on_problem(problem)
        evidence.merge(part)
    return judged(tally, closer, evidence)


def read_size(item: Read) -> int:
    return len(item.data)


def count_batch(batch: list[Read], max_bytes: int) -> list[Counted]:
    """On a worker, pass 1 over a batch."""
    keys: dict[str, bytes] = {}
    counted: list[Counted] = []
    for item in batch:
        article = parse(item, max_bytes)
        if isinstance(article, PathProblem):
            counted.append(article)
            continue
        key = keys.get(article.site) or keys.setdefault(article.site, site_key(article.site))
        # A list in the set's own order: the order pass 1 on one machine adds them in.
        counted.append((article.site, list(distinct_lines(article, key))))
    return counted


def examine_batch(batch: list[tuple[Read, Bounds]], max_bytes: int, plan: Closer) -> tuple[Evidence, list[PathProblem]]:
    """On a worker, pass 2 over a batch: its evidence, and its articles that were skipped."""
    evidence = Evidence()
    problems = []
    for item, bounds in batch:
        article = parse(item, max_bytes)
        if isinstance(article, PathProblem):
            problems.append(article)
        else:
            evidence.add(article, plan, bounds)
    return evidence, problems
