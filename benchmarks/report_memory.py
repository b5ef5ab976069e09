#!/usr/bin/env python3
"""What streaming the report saves: the peak memory of newslint's own process on an archive
where every article has many problems, this checkout against an earlier revision.

    python benchmarks/report_memory.py --baseline REV [--articles 20000] [--lines 50]
                                       [--jobs 1 2] [--formats text json-lines github json]
                                       [--corpus ../shared/corpus] [--keep DIR]

Builds an archive of N articles (speed.py's generator, same seed), each with --lines junk lines
every one of which a built-in rule flags (advertisement markers, share and footer lines), so a
run finds about N x lines problems. Then runs `newslint check --no-cache --format F --jobs J`
on it for each format and number of jobs, with this checkout and with REV (checked out with
`git worktree add` into a temporary folder and run from there, as same_output.py does), in
turns, each in a process of its own. Prints, for each, the peak resident set of the newslint
process itself (getrusage(RUSAGE_SELF) at its end: the parent, which gathers the results, not
its workers), its wall-clock time, and whether the two reports are the same bytes (their
SHA-256; the reports are hashed as they are read, never stored).

text, json-lines and github stream (each file's problems are written as its result comes), so
the parent's memory should not grow with the number of problems; json gathers every problem
for its one document, as before.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # speed.py, beside this file
from same_output import revision_checkout
from speed import _ENV, DEFAULT_CORPUS, SEED, Generator, real_paragraphs

REPO = Path(__file__).resolve().parent.parent
# Lines a built-in rule flags wherever they stand alone (advertisement, share-link-label, ...).
FLAGGED = [
    "Advertisement",
    "ADVERTISEMENT",
    "**Advertisement**",
    "These are external links and will open in a new window",
    "Media playback is not supported on this device",
]
# Runs newslint in this process and leaves the process's own peak resident set (KiB on Linux)
# in the file named by its first argument.
MEASURED = (
    "import resource, sys\n"
    "from newslint.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "sys.stdout.flush()\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def build_archive(folder: Path, count: int, lines: int, generator: Generator) -> int:
    """`count` articles in 100-article subfolders, each its story with `lines` flagged lines
    spread through it; the bytes written."""
    total = 0
    rng = generator.rng
    for n in range(count):
        sub = folder / f"{n // 100:03d}"
        if n % 100 == 0:
            sub.mkdir(parents=True)
        paragraphs = [generator.paragraph() for _ in range(rng.randint(4, 12))]
        for _ in range(lines):
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(FLAGGED))
        data = ("\n\n".join(paragraphs) + "\n").encode()
        (sub / f"article-{n:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def measure(source: Path | None, args: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Run newslint (from `source`, or this checkout) with `args`: its peak memory in MB, its
    seconds, its exit code and the SHA-256 of its output."""
    env = dict(_ENV)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    with tempfile.NamedTemporaryFile(prefix="newslint-rss-") as rss:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", MEASURED, rss.name, *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        digest = hashlib.sha256()
        while chunk := process.stdout.read(1 << 20):
            digest.update(chunk)
        code = process.wait()
        seconds = time.perf_counter() - start
        kib = int(Path(rss.name).read_text() or 0)
    return kib / 1024, seconds, code, digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="the git revision to compare with")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=50, help="flagged lines per article")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--formats", nargs="+", default=["text", "json-lines", "github", "json"])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--keep", type=Path, help="build the inputs in this (new) folder and keep it")
    args = parser.parse_args(argv)

    with revision_checkout(args.baseline, args.keep, "newslint-memory-") as (workdir, baseline):
        generator = Generator(SEED, real_paragraphs(args.corpus) if args.corpus.is_dir() else [])
        archive = workdir / "archive"
        size = build_archive(archive, args.articles, args.lines, generator)
        print(f"archive: {args.articles:,} articles x {args.lines} flagged lines, {size / 1e6:.0f} MB")
        print(f"{'format':<11} {'jobs':>4}  {'before MB':>9} {'after MB':>9}  {'before s':>8} {'after s':>8}  output")
        differ = False
        for output_format in args.formats:
            for jobs in args.jobs:
                command = ["check", "--no-cache", "--format", output_format, "--jobs", str(jobs), "archive"]
                before = measure(baseline, command, workdir)
                after = measure(None, command, workdir)
                same = before[2:] == after[2:]
                differ |= not same
                print(
                    f"{output_format:<11} {jobs:>4}  {before[0]:>9.0f} {after[0]:>9.0f}  {before[1]:>8.1f} {after[1]:>8.1f}"
                    f"  {'same' if same else 'DIFFERENT'} (exit {after[2]})",
                    flush=True,
                )
        return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
