#!/usr/bin/env python3
"""Time and memory of the cross-article index (repeats.py), and what it finds, on synthetic archives.

    python benchmarks/cross_article.py [--sizes 10000,1000000] [--files 10000]

Each size runs in its own process, twice: the baseline only makes the articles and reads them
as documents (the generator's and the document model's cost), and the index run does the same,
works out every article's units, indexes them and asks every article for its repeats, as a run
checking the whole archive does. Both print wall and CPU time and peak resident memory
(ru_maxrss); the difference is the index's own. The articles are generated in memory from a
fixed seed by benchmarks/speed.py's generator (its paragraphs made of random words, so a story
paragraph is in one article only), and every 50th article gets a paragraph copied from the
article 7 before it: the run prints how many of those copies it found (both copies of each
are reported, and a source that prints the paragraph twice reports both) and what else it found
(none: only the copies are in two articles).

Then the corner a naive lookup makes quadratic: one paragraph (a long footer) in every one of
--common articles (default 50,000), each asked for its repeats; the time is linear in them.

`--files N` writes N articles to a temporary repository (a config selecting the rule) and times
the command line, each in a process of its own: a whole-archive check with the rule against the
same check with a cheap rule only (`--select advertisement`), then the pre-commit case: one file
changed and named alone, with the cache warm (the index is answered from the cache but for that
file), against checking that file alone without the rule.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import Generator  # (benchmarks/ is not a package: its folder is on the path)

from newslint.config import load_config
from newslint.document import from_bytes
from newslint.filters import Plan, article_units
from newslint.repeats import ArchiveIndex
from newslint.rules import load_rules

RULE = "repeated-across-articles"
COPY_EVERY, COPY_FROM = 50, 7


def articles(count: int) -> Iterator[tuple[str, bytes, str | None]]:
    """(name, bytes, the paragraph copied into it from an earlier article or None), in order."""
    generator = Generator(15, [])
    recent: list[list[str]] = []
    for number in range(count):
        text = generator.article().decode()
        paragraphs = text.split("\n")  # one paragraph a line, as scraped articles often are
        copied = None
        if number % COPY_EVERY == COPY_EVERY - 1 and len(recent) >= COPY_FROM:
            source = recent[-COPY_FROM]
            long_ones = [p for p in source if len(p) > 200]
            if long_ones:
                copied = long_ones[0]
                paragraphs.insert(len(paragraphs) // 2, copied)
        recent.append(paragraphs)
        del recent[: -COPY_FROM - 1]
        yield f"site{number % 20}/{number:07d}.txt", "\n".join(paragraphs).encode(), copied


def one(count: int, baseline: bool) -> dict[str, object]:
    plan = Plan.of(load_config(None, start=".").with_flags(select=[RULE]), load_rules([]))
    start, cpu = time.perf_counter(), time.process_time()
    result: dict[str, object] = {}
    if baseline:
        for name, data, _ in articles(count):
            from_bytes(data, name)
    else:
        index = ArchiveIndex(plan)
        copied_texts: set[str] = set()  # the fingerprints of the copied paragraphs, as problems carry them
        for name, data, copied in articles(count):
            index.add(name, article_units(from_bytes(data, name), plan))
            if copied is not None:
                copied_texts.update(f"{unit[0]:016x}" for unit in article_units(from_bytes(copied.encode()), plan)[0])
        index.finish()
        of_copies = others = 0
        for name in index.paths:
            for violation in index.repeats_in(name):
                of_copies += violation.text in copied_texts
                others += violation.text not in copied_texts
        result.update(copies=len(copied_texts), of_copies=of_copies, others=others)
    result.update(
        seconds=time.perf_counter() - start,
        cpu=time.process_time() - cpu,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return result


def common_case(count: int) -> None:
    plan = Plan.of(load_config(None, start=".").with_flags(select=[RULE]), load_rules([]))
    footer = "Track the latest news live on Example.com and get news updates from India and from around the world, every day of the week."
    index = ArchiveIndex(plan)
    for number in range(count):
        name = f"a{number}.txt"
        index.add(name, article_units(from_bytes(f"Story {number}.\n\n{footer}\n".encode(), name), plan))
    index.finish()
    start = time.perf_counter()
    reported = sum(len(index.repeats_in(name)) for name in index.paths)
    print(f"one paragraph in all {count:,} articles: {reported:,} problems in {time.perf_counter() - start:.2f} s")


def _child(count: int, baseline: bool) -> dict[str, object]:
    command = [sys.executable, __file__, "--one", str(count)] + (["--baseline"] if baseline else [])
    return dict(json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout))


# In a process of its own that reports its own time and peak.
_RUN = (
    "import json, resource, sys, time; from newslint.cli import main; start = time.perf_counter(); "
    "code = main(sys.argv[1:]); usage = resource.getrusage(resource.RUSAGE_SELF); "
    "print(json.dumps([code, time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss]), "
    "file=sys.stderr)"
)


def _cli(folder: Path, *args: str) -> tuple[int, float, float, float]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, "check", "--format", "json", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    code, seconds, cpu, peak_kb = json.loads(done.stderr.strip().splitlines()[-1])
    return code, seconds, cpu, peak_kb / 1024


def files_run(count: int) -> None:
    with tempfile.TemporaryDirectory() as temp:
        repo = Path(temp) / "repo"
        repo.mkdir()
        (repo / ".newslint.yaml").write_text(f"select: [{RULE}]\n", encoding="utf-8")
        names = []
        for name, data, _ in articles(count):
            (repo / name).parent.mkdir(exist_ok=True)
            (repo / name).write_bytes(data)
            names.append(name)
        cache = str(Path(temp) / "cache")
        rows = [
            ("whole archive, the rule", _cli(repo, "--no-cache", "--jobs", "2", ".")),
            (
                "whole archive, --select advertisement",
                _cli(repo, "--no-cache", "--jobs", "2", "--select", "advertisement", "."),
            ),
        ]
        _cli(repo, "--cache-dir", cache, "--jobs", "2", ".")  # warm the cache
        changed = repo / names[len(names) // 2]
        changed.write_bytes(changed.read_bytes() + b"\nOne more paragraph, written today.\n")
        rows += [
            (
                "one changed file, the rule, cache warm",
                _cli(repo, "--cache-dir", cache, "--jobs", "2", names[len(names) // 2]),
            ),
            (
                "one changed file, no rule",
                _cli(repo, "--no-cache", "--select", "advertisement", names[len(names) // 2]),
            ),
        ]
        for label, (code, seconds, cpu, peak) in rows:
            print(
                f"files ({count:,}): {label:<42} exit {code}  {seconds:6.2f} s  {cpu:6.2f} s CPU  peak {peak:5.0f} MB"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated archive sizes (default 10000)")
    parser.add_argument("--files", type=int, default=0, help="also time the command line on N article files")
    parser.add_argument("--common", type=int, default=50_000, help="articles sharing one paragraph (default 50000)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one, args.baseline)))
        return 0
    for size in (int(s) for s in args.sizes.split(",") if s):  # --sizes "": none
        base, run = _child(size, True), _child(size, False)
        print(
            f"{size:>9,} articles: baseline {base['seconds']:.1f} s, peak {base['peak_mb']:.0f} MB; "
            f"index {run['seconds']:.1f} s ({run['cpu']:.1f} s CPU), peak {run['peak_mb']:.0f} MB; "
            f"{run['copies']:,} paragraphs copied: {run['of_copies']:,} problems in their copies and sources "
            f"(at least {2 * int(run['copies']):,}), {run['others']:,} other problems"
        )
    if args.common:
        common_case(args.common)
    if args.files:
        files_run(args.files)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
