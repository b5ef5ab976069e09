#!/usr/bin/env python3
"""`newslint check` on a local Dask cluster against the plain run, on one synthetic archive.

    python benchmarks/cluster.py [--articles 10000] [--jobs 2] [--batch-files 512]
                                 [--corpus ../shared/corpus | --no-corpus] [--keep DIR]
                                 [--format json | json-lines]

Builds the archive of benchmarks/speed.py (same generator, same seed), then runs, each in its
own process and with every built-in rule, `newslint check --no-cache --format json` (or
json-lines, which streams: for an archive of a million articles, whose json report is held whole):
  - plain, with --jobs N (worker processes on this machine): the baseline;
  - with --scheduler local --jobs N (a Dask cluster of N worker processes started by the run),
    once for each batch size given (files per task; cluster.BATCH_FILES is the default).
The outputs (stdout, stderr, exit code) must be byte for byte the plain run's. Prints, per run,
the wall-clock and CPU time, articles/s and peak memory (the largest resident set of one
process, and on Linux the largest sum over the process and its workers: the Dask scheduler,
nannies and workers included). On one machine a cluster is not faster than --jobs: what this
measures is Dask's overhead (starting the cluster, scheduling, sending every article's bytes)
and that the report does not change.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import _ENV, DEFAULT_CORPUS, SEED, Generator, _PssSampler, build_archive, real_paragraphs

# Runs newslint's command line with cluster.BATCH_FILES set first (argv: batch size, then the
# arguments of `newslint`). Started with -c, so the cluster's spawned workers re-run nothing.
WITH_BATCH = (
    "import sys; import newslint.cluster as c; from newslint.cli import main; "
    "c.BATCH_FILES = int(sys.argv[1]); sys.exit(main(sys.argv[2:]))"
)


def run(
    arguments: list[str], archive: Path, batch_files: int | None
) -> tuple[float, float, float, float | None, bytes]:
    """Seconds, CPU seconds, the largest process's MB, the peak MB of all processes, and the
    output (exit code, stdout and stderr) of one newslint run."""
    if batch_files is None:
        command = [sys.executable, "-m", "newslint", *arguments, str(archive)]
    else:
        command = [sys.executable, "-c", WITH_BATCH, str(batch_files), *arguments, str(archive)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=_ENV, stdout=out, stderr=err)
        sampler = _PssSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        sampler.stop()
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output = f"exit {code}\n".encode() + out.read() + b"\n--- stderr ---\n" + err.read()
    if code not in (0, 1, 2):
        raise SystemExit(f"cluster: {' '.join(command)} exited {code}:\n{output.decode('utf-8', 'replace')}")
    max_rss_mb = (usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024) / 1024
    return seconds, usage.ru_utime + usage.ru_stime, max_rss_mb, sampler.peak_mb, output


def _first_difference(expected: bytes, actual: bytes) -> str:
    for want, got in zip(expected.splitlines(), actual.splitlines(), strict=False):
        if want != got:
            return f"{want[:200]!r} != {got[:200]!r}"
    return f"{len(expected.splitlines())} lines != {len(actual.splitlines())} lines"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes, plain and on the cluster")
    parser.add_argument(
        "--batch-files", default="512", help="files per task on the cluster, comma-separated sizes to compare"
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-corpus", action="store_true", help="generated text only")
    parser.add_argument("--keep", type=Path, help="build the archive here and keep it")
    parser.add_argument("--format", choices=("json", "json-lines"), default="json", help="the report compared")
    args = parser.parse_args(argv)
    try:
        import distributed  # noqa: F401 -- only to tell whether the extra is installed
    except ImportError:
        raise SystemExit("cluster: needs Dask: pip install -e '.[dask]'") from None

    folder = args.keep or Path(tempfile.mkdtemp(prefix="newslint-cluster-"))
    archive = folder / "archive"
    try:
        if not archive.exists():
            real = [] if args.no_corpus else real_paragraphs(args.corpus)
            size = build_archive(archive, args.articles, Generator(SEED, real))
            print(f"archive: {args.articles:,} articles, {size / 1e6:.1f} MB (seed {SEED})")
        common = ["check", "--no-cache", "--format", args.format, "--jobs", str(args.jobs)]
        runs = [(f"plain --jobs {args.jobs}", common, None)]
        for batch in (int(value) for value in args.batch_files.split(",")):
            runs.append((f"--scheduler local, {batch} files a task", [*common, "--scheduler", "local"], batch))
        baseline = None
        same = True
        for label, arguments, batch in runs:
            seconds, cpu, rss, pss, output = run(arguments, archive, batch)
            if baseline is None:
                baseline = (seconds, output)
                verdict = f"{len(output):,} bytes of output"
            else:
                identical = output == baseline[1]
                same = same and identical
                verdict = ("output identical" if identical else "OUTPUT DIFFERS") + f", {seconds / baseline[0]:.2f}x"
                if not identical:
                    verdict += "; first difference: " + _first_difference(baseline[1], output)
            peak = f", all processes {pss:.0f} MB" if pss is not None else ""
            print(
                f"{label}: {seconds:.2f} s (CPU {cpu:.2f} s), {args.articles / seconds:,.0f} articles/s, "
                f"largest process {rss:.0f} MB{peak}; {verdict}"
            )
        return 0 if same else 1
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
