#!/usr/bin/env python3
"""Whether a change left newslint's output alone: this checkout against an earlier revision.

    python benchmarks/same_output.py --baseline REV [--corpus ../shared/corpus] [--articles 2000]
                                     [--paragraphs 5000] [--formats json text ...] [--keep DIR]

A refactoring promises that `newslint check --no-cache --format json` (and each format of
--formats) is byte for byte what it was, exit code included. This script checks the promise on three inputs: the real corpus (when present), the
synthetic archive of benchmarks/speed.py and its file of distinct paragraphs (the duplicate
check's worst case), both built from the same seed. The revision REV is checked out with
`git worktree add` into a temporary folder and run from there (`python -m newslint` with that
folder first on the path, its rules/ linked in as the package of built-in rules), with every
built-in rule, as this checkout is (with its installed package). Prints one line per
input and format, the first differing line where there is one, and exits 1 if any output differs.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import DEFAULT_CORPUS, SEED, Generator, build_archive, real_paragraphs

REPO = Path(__file__).resolve().parent.parent


def newslint_output(source: Path, target: Path, cwd: Path, output_format: str = "json") -> tuple[int, bytes]:
    """The exit code and output of the newslint in `source` over `target`."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(
        [sys.executable, "-m", "newslint", "check", "--no-cache", "--format", output_format, str(target)],
        cwd=cwd,
        env=env,
        capture_output=True,
        check=False,
    )
    return done.returncode, done.stdout


def first_difference(before: bytes, after: bytes) -> str:
    lines = difflib.unified_diff(
        before.decode("utf-8", "replace").splitlines(),
        after.decode("utf-8", "replace").splitlines(),
        "baseline",
        "this checkout",
        n=0,
        lineterm="",
    )
    return "\n".join(list(lines)[:8])


@contextmanager
def revision_checkout(revision: str, keep: Path | None, prefix: str) -> Iterator[tuple[Path, Path]]:
    """A work folder (`keep`, or a temporary one removed at the end) and in it `revision` of
    this repository checked out (`git worktree`, removed at the end), runnable from there."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix)) if keep is None else keep
    workdir.mkdir(parents=True, exist_ok=True)
    baseline = workdir / "baseline"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(baseline), revision], check=True
    )
    # Installed, rules/ is the package newslint.builtin_rules; from a source tree, a link makes it so.
    (baseline / "newslint" / "builtin_rules").symlink_to(baseline / "rules")
    try:
        yield workdir, baseline
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(baseline)], check=False)
        if keep is None:
            subprocess.run(["rm", "-rf", str(workdir)], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="the git revision to compare with")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=2_000, help="articles in the synthetic archive")
    parser.add_argument("--paragraphs", type=int, default=5_000, help="paragraphs in the worst-case file")
    parser.add_argument("--formats", nargs="+", default=["json"], help="the output formats to compare")
    parser.add_argument("--keep", type=Path, help="build the inputs in this (new) folder and keep it")
    args = parser.parse_args(argv)

    with revision_checkout(args.baseline, args.keep, "newslint-same-") as (workdir, baseline):
        real = real_paragraphs(args.corpus) if args.corpus.is_dir() else []
        generator = Generator(SEED, real)
        archive = workdir / "archive"
        build_archive(archive, args.articles, generator)
        big = workdir / "distinct-paragraphs.txt"
        big.write_bytes(generator.distinct_paragraphs(args.paragraphs))
        inputs = [("archive", archive), ("distinct paragraphs", big)]
        if args.corpus.is_dir():
            inputs.insert(0, ("corpus", args.corpus.resolve()))
        differ = False
        for (label, target), output_format in itertools.product(inputs, args.formats):
            before = newslint_output(baseline, target, workdir, output_format)
            after = newslint_output(REPO, target, workdir, output_format)
            same = before == after
            differ |= not same
            lines = after[1].count(b"\n")
            print(
                f"{label} ({output_format}): {'identical' if same else 'DIFFERENT'} "
                f"(exit {after[0]}, {len(after[1]):,} bytes, {lines:,} lines)"
            )
            if not same:
                print(first_difference(before[1], after[1]) or f"exit codes {before[0]} and {after[0]}")
        return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
