"""`newslint learn` put together: the archive read (learn_sources.py), its recurring lines
counted and judged (learn.py; with --scheduler on a Dask cluster, learn_cluster.py), the rule
files and report written (learn_rules.py), and what a user is told about it. cli.py prints
what this returns."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NamedTuple

from newslint.arguments import split_names
from newslint.datasets.fields import Fields
from newslint.discovery import PathProblem
from newslint.errors import UsageError
from newslint.learn import Settings, learn
from newslint.learn_rules import prepare_out, read_kept_out, write_report, write_site_rule
from newslint.learn_sources import LEARN_ID_FIELDS, folder_articles
from newslint.workers import available_cores

STORY_LINES_SHOWN = 5  # of each site's recurring story text, in the summary (--report has all)
PREVIEW = 100


class LearnOutcome(NamedTuple):
    summary: list[str]  # lines for stderr (untrusted text in them: cli.py escapes it)
    problems: int  # paths not read


def learn_command(args: argparse.Namespace, notify: Callable[[str], None]) -> LearnOutcome:
    reported: set[str] = set()

    def on_problem(problem: PathProblem) -> None:
        if problem.path not in reported:  # each pass meets it
            reported.add(problem.path)
            notify(f"{problem.path}: {problem.reason}")

    if args.jobs is not None and args.scheduler is None:
        raise UsageError("--jobs is the worker count of a local cluster: give it with --scheduler local")
    if args.min_articles < 2:
        raise UsageError("--min-articles must be at least 2: a line in one article does not recur")
    prepare_out(args.out)
    kept_out = read_kept_out(args.out)
    fields = Fields.of(
        tuple(split_names(args.text_field)), tuple(split_names(args.id_field)) or LEARN_ID_FIELDS, args.site_field
    )
    source = folder_articles(
        args.paths, on_problem, site_depth=args.site_depth, ignore_files=not args.no_ignore, fields=fields
    )
    settings = Settings(min_articles=args.min_articles, min_share=args.min_share)
    if args.scheduler is None:
        results = learn(source, settings, articles_hint=len(source))
    else:
        from newslint.cluster import session  # here: only a run on a cluster needs these
        from newslint.learn_cluster import learn_on_cluster

        with session(args.scheduler, args.jobs or available_cores()) as opened:
            results = learn_on_cluster(source, settings, opened, articles_hint=len(source))
    summary = []
    for result in results:
        written = write_site_rule(result, args.out, kept_out)
        story = result.story()
        target = f"{written.phrases} boilerplate -> {written.path}" if written else "no boilerplate"
        summary.append(
            f"{result.site}: {result.articles} articles; lines in at least {result.threshold} of them: "
            f"{target}; {len(story)} story text"
        )
        if written and written.dropped:
            summary.append(f"  left out (the phrase matcher does not match their line): {len(written.dropped)}")
        for line in story[:STORY_LINES_SHOWN]:
            text = line.text if len(line.text) <= PREVIEW else line.text[:PREVIEW] + "..."
            summary.append(f"  story text in {line.count} articles: {text}")
    if not results:
        summary.append("no articles found")
    if args.report:
        write_report(results, args.report)
    return LearnOutcome(summary, len(reported))
