#!/usr/bin/env python3
"""Time and memory of `newslint learn` on synthetic archives, and what it learns there.

    python benchmarks/learn.py [--sizes 10000,100000] [--sites 20] [--files 10000] [--cluster-jobs 2]

Each size runs in its own process, twice: the baseline only makes the articles and reads them
as documents, as learn's two passes do (the generator's and the document model's cost), and
the learn run does the same and learns from them. Both print their wall and CPU time and their
peak resident memory (resource.getrusage's ru_maxrss); the difference is learn's own. The
articles are generated in memory, from a fixed seed, so a size of 1,000,000 needs no disk: a
few sites, each with its menu under the headline, a share row, and a footer at the end (one of
a few, some not in every article), around story lines made by benchmarks/speed.py's generator
(each line made unique, as story lines are). The learn run also prints how many of the
injected chrome lines it learned and what else it learned (both should be all and nothing).

`--files N` also writes N articles to a temporary folder (a folder per site) and runs the
command line (`newslint learn DIR --out OUT --report FILE`) on it: the whole path, reading files
included; then again with `--scheduler local --jobs J` (`--cluster-jobs J`, 2 by default; 0:
not), a Dask cluster of J worker processes started by the run (needs newslint[dask]). Each
prints its wall and CPU time, the largest process's peak memory and the peak of all its
processes together (the cluster's scheduler and workers included), and the cluster's run
whether its rule files, report and summary are byte for byte the plain run's.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster import run as run_newslint  # (benchmarks/ is not a package: its folder is on the path)
from speed import Generator

from newslint.document import from_bytes
from newslint.learn import Settings, learn, line_core
from newslint.learn_sources import Article

MENU_WORDS = ["News", "Sport", "Business", "Weather", "Opinion", "Culture", "Travel", "Video", "Local", "Money"]


def site_chrome(site: int) -> dict[str, list[list[str]]]:
    """A site's menu, share row and footers (each footer a list of lines)."""
    rng = random.Random(site)
    name = f"The Daily {rng.choice(['Post', 'Herald', 'Courier', 'Star', 'Gazette'])} {site}"
    menu = [" | ".join(rng.sample(MENU_WORDS, 5))]
    share = ["Share this article", "Facebook", "Twitter", f"Email {name}"]
    footers = [
        [f"Copyright {name}. All rights reserved.", "Terms of use | Privacy policy"],
        [f"Sign up for the {name} newsletter", "Follow us on social media"],
        [f"Got a news tip? Contact {name} newsdesk"],
    ]
    return {"menu": [menu], "share": [share], "footers": footers}


def chrome_lines(sites: int) -> dict[str, set[str]]:
    out = {}
    for site in range(sites):
        chrome = site_chrome(site)
        out[f"site-{site:02d}"] = {line for group in chrome.values() for block in group for line in block}
    return out


class Articles:
    """The synthetic archive, made anew (the same bytes) each time it is iterated."""

    def __init__(self, count: int, sites: int, parse: bool = True):
        self.count, self.sites, self.parse = count, sites, parse
        generator = Generator(7, [])
        self.pool = [generator.sentence() for _ in range(20_000)]
        self.chrome = [site_chrome(site) for site in range(sites)]

    def texts(self) -> Iterator[tuple[str, str, bytes]]:
        rng = random.Random(11)
        pool, chrome = self.pool, self.chrome
        for n in range(self.count):
            site = n % self.sites
            parts = chrome[site]
            lines = [f"{pool[rng.randrange(len(pool))]} ({n})"]
            lines += parts["menu"][0] + parts["share"][0]
            lines += [f"{pool[rng.randrange(len(pool))]} ({n}.{k})" for k in range(rng.randint(6, 20))]
            if rng.random() < 0.9:  # most articles carry a footer
                lines += parts["footers"][rng.randrange(len(parts["footers"]))]
            yield f"site-{site:02d}", f"site-{site:02d}/{n:07d}.txt", ("\n".join(lines) + "\n").encode()

    def __call__(self) -> Iterator[Article]:
        for site, name, data in self.texts():
            yield Article(site, name, from_bytes(data, name))


def one(count: int, sites: int, baseline: bool) -> dict[str, object]:
    articles = Articles(count, sites)
    start, cpu = time.perf_counter(), time.process_time()
    result: dict[str, object] = {}
    if baseline:
        for _ in range(2):
            for _article in articles():
                pass
    else:
        results = learn(articles, Settings(), articles_hint=count)
        expected = chrome_lines(sites)
        found = missed = extra = story = 0
        for site_result in results:
            learned = {line.text for line in site_result.boilerplate()}
            wanted = {line_core(line) for line in expected[site_result.site]}
            found += len(learned & wanted)
            missed += len(wanted - learned)
            extra += len(learned - wanted)
            story += len(site_result.story())
        result.update(found=found, missed=missed, extra=extra, story=story)
    result.update(
        seconds=time.perf_counter() - start,
        cpu=time.process_time() - cpu,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return result


def _child(count: int, sites: int, baseline: bool) -> dict[str, object]:
    command = [sys.executable, __file__, "--one", str(count), "--sites", str(sites)]
    output = subprocess.run(command + (["--baseline"] if baseline else []), capture_output=True, text=True, check=True)
    return dict(json.loads(output.stdout))


def files_run(count: int, sites: int, cluster_jobs: int) -> bool:
    """The command line on `count` article files, plain and (cluster_jobs > 0) with --scheduler
    local; whether the cluster's output is byte for byte the plain run's."""
    with tempfile.TemporaryDirectory() as temp:
        archive = Path(temp) / "archive"
        for _site, name, data in Articles(count, sites).texts():
            path = archive / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        out, report = Path(temp) / "out", Path(temp) / "report.jsonl"
        # Both runs write to the same paths (the summary names them), moved aside in between.
        common = ["learn", "--out", str(out), "--report", str(report)]
        runs = [("plain", common)]
        if cluster_jobs:
            runs.append(
                (f"--scheduler local --jobs {cluster_jobs}", [*common, "--scheduler", "local", "-j", str(cluster_jobs)])
            )
        outputs = []
        for label, arguments in runs:
            seconds, cpu, rss, pss, output = run_newslint(arguments, archive, None)
            written = {path.name: path.read_bytes() for path in sorted(out.iterdir())}
            outputs.append((output, written, report.read_bytes()))
            shutil.rmtree(out)
            report.unlink()
            verdict = ""
            if len(outputs) > 1:
                same = outputs[-1] == outputs[0]
                verdict = (
                    "; rule files, report and summary " + ("identical" if same else "DIFFER") + " to the plain run's"
                )
            peak = f", all processes {pss:.0f} MB" if pss is not None else ""
            print(
                f"files: newslint learn {label} on {count:,} article files: {seconds:.1f} s ({cpu:.1f} s CPU, "
                f"{count / seconds:,.0f} articles/s), largest process {rss:.0f} MB{peak}; "
                f"{len(outputs[-1][1])} rule files{verdict}"
            )
        return all(output == outputs[0] for output in outputs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated archive sizes")
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--files", type=int, default=10_000, help="articles for the command-line run (0: none)")
    parser.add_argument(
        "--cluster-jobs",
        type=int,
        default=2,
        help="the command-line run again with --scheduler local and this many workers (0: not)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one, args.sites, args.baseline)))
        return 0
    print(f"learn over synthetic archives of {args.sites} sites (python {sys.version.split()[0]})")
    for count in [int(size) for size in args.sizes.split(",")]:
        base = _child(count, args.sites, baseline=True)
        run = _child(count, args.sites, baseline=False)
        own = float(run["cpu"]) - float(base["cpu"])  # type: ignore[arg-type]
        print(
            f"{count:>9,} articles: learn {run['seconds']:.1f} s ({run['cpu']:.1f} s CPU), peak {run['peak_mb']:.0f} MB"
            f" | baseline (make and parse twice) {base['seconds']:.1f} s, peak {base['peak_mb']:.0f} MB"
            f" | learn's own {own:.1f} s CPU, {1e6 * own / count:.0f} us/article"
        )
        print(
            f"{'':>19} chrome lines learned {run['found']}, missed {run['missed']}; other lines learned "
            f"{run['extra']}; recurring story text {run['story']}"
        )
    if args.files:
        return 0 if files_run(args.files, args.sites, args.cluster_jobs) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
