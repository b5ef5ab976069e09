#!/usr/bin/env python3
"""Checking a news dataset (JSON Lines) against checking the same articles as files.

    python benchmarks/datasets.py [--articles 5000] [--scale 4] [--jobs N] [--repeat 2]
                                  [--corpus ../shared/corpus | --no-corpus]

Generates N synthetic articles with speed.py's generator (same seed, same junk), writes them as
files in a folder (the baseline) and as one JSON Lines dataset (`{"id": n, "url": ..., "text":
...}` a line), and times `newslint check --no-cache` on each, with --jobs 1 and --jobs N, in
its own process, and as one .json file an article (news-please's layout). Also times a dataset --scale times as large (the same articles repeated), to
show that a dataset's memory does not grow with its size (records are streamed), and checks
that the dataset's report finds what the files' report finds (the same rules at the same lines
and columns of each article). Prints wall clock, CPU time, articles/s and peak memory.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # speed.py, beside this file

from speed import _ENV, DEFAULT_CORPUS, SEED, Generator, Run, best, real_paragraphs

NEWSLINT = [sys.executable, "-m", "newslint"]
BOM = b"\xef\xbb\xbf"


def write_inputs(folder: Path, count: int, scale: int, generator: Generator) -> tuple[int, list[str]]:
    """The articles as files (folder/files/...), as one-record .json files (folder/json/...) and
    as datasets (folder/ds.jsonl, and
    folder/big.jsonl `scale` times as large); the bytes of the articles, and their file names."""
    files, one_each = folder / "files", folder / "json"
    files.mkdir()
    one_each.mkdir()
    names, total = [], 0
    with (folder / "ds.jsonl").open("w", encoding="utf-8") as dataset:
        for n in range(count):
            data = generator.article()
            suffix = "md" if data.lstrip(BOM).startswith(b"---") else "txt"  # as speed.py names them
            name = f"article-{n:05d}.{suffix}"
            (files / name).write_bytes(data)
            names.append(name)
            total += len(data)
            record = {"id": n, "url": f"https://news.example/{n}", "text": data.decode("utf-8")}
            dataset.write(json.dumps(record, ensure_ascii=False) + "\n")
            (one_each / f"article-{n:05d}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1))
    lines = (folder / "ds.jsonl").read_bytes()
    with (folder / "big.jsonl").open("wb") as big:
        for _ in range(scale):
            big.write(lines)
    return total, names


def findings(command: list[str], cwd: Path) -> list[dict]:
    result = subprocess.run(command, cwd=cwd, env=_ENV, capture_output=True, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"datasets: {' '.join(command)} exited {result.returncode}:\n{result.stderr.decode()}")
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def same_findings(folder: Path, names: list[str]) -> tuple[bool, int]:
    """Whether the dataset's report finds, in each record, what the files' report finds in the
    article's file; and how many problems that is."""
    as_files = findings([*NEWSLINT, "check", "--no-cache", "--format", "json-lines", "files"], folder)
    as_records = findings([*NEWSLINT, "check", "--no-cache", "--format", "json-lines", "ds.jsonl"], folder)
    index = {name: n for n, name in enumerate(names)}
    key = ("rule", "line", "column", "end_line", "end_column")
    files = Counter((index[Path(v["path"]).name], *(v[k] for k in key)) for v in as_files)
    records = Counter((v["record"]["id"], *(v[k] for k in key)) for v in as_records)
    records = Counter({(int(k[0]), *k[1:]): n for k, n in records.items()})
    return files == records, sum(files.values())


def row(label: str, r: Run, articles: int) -> str:
    pss = f", all processes {r.peak_pss_mb:.0f} MB" if r.peak_pss_mb is not None else ""
    return (
        f"  {label:<34} {r.seconds:7.2f} s (CPU {r.cpu_seconds:6.2f} s)  {articles / r.seconds:7.0f} articles/s  "
        f"peak: largest process {r.max_rss_mb:.0f} MB{pss}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--scale", type=int, default=4, help="the large dataset is this many times the small one")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-corpus", action="store_true")
    args = parser.parse_args(argv)
    corpus = None if args.no_corpus or not args.corpus.is_dir() else args.corpus
    generator = Generator(SEED, real_paragraphs(corpus))
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        total, names = write_inputs(folder, args.articles, args.scale, generator)
        size = (folder / "ds.jsonl").stat().st_size
        print(
            f"{args.articles:,} articles ({total / 2**20:.1f} MB of text; the JSON Lines file {size / 2**20:.1f} MB), "
            f"corpus paragraphs: {'yes' if corpus else 'no'}"
        )
        same, problems = same_findings(folder, names)
        print(f"same findings as files and as records: {'yes' if same else 'NO'} ({problems:,} problems)")
        for jobs in sorted({1, args.jobs}):
            check = [*NEWSLINT, "check", "--no-cache", "--jobs", str(jobs)]
            print(f"--jobs {jobs}:")
            print(row("files (baseline)", best([*check, "files"], folder, args.repeat), args.articles))
            print(row("one JSON Lines dataset", best([*check, "ds.jsonl"], folder, args.repeat), args.articles))
            print(row("a .json file an article", best([*check, "json"], folder, args.repeat), args.articles))
            big = best([*check, "big.jsonl"], folder, 1)
            print(row(f"a dataset {args.scale}x as large", big, args.articles * args.scale))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
