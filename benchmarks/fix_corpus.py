#!/usr/bin/env python3
"""Run `newslint check --fix` on a copy of a corpus and measure what it deleted.

    python benchmarks/fix_corpus.py [--corpus ../shared/corpus] [--unsafe-fixes] [--show-story-lost]

Copies the corpus's .txt/.md files to a temporary folder, runs the real command line twice
(`python -m newslint check --fix --format json`), and prints:
- the time of each run, the files changed and problems fixed (the second run must fix nothing);
- whether every fixed file's lines are its original lines, in order (fixing only deletes);
- against the hand labels (labels.jsonl): the deleted lines labelled junk, uncertain, or neither
  (story text --fix should never delete), and the labelled junk lines left in place.
Exits 0 whatever the numbers; 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
REPO = Path(__file__).resolve().parent.parent
JUNK_KEYS = ("duplicate_paragraph_lines", "footer_lines", "caption_lines")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


def run_fix(folder: Path, unsafe: bool) -> tuple[float, dict]:
    command = [sys.executable, "-m", "newslint", "check", "--fix", "--format", "json", str(folder)]
    if unsafe:
        command.append("--unsafe-fixes")
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"newslint exited {result.returncode}: {result.stderr.strip()}")
    return elapsed, json.loads(result.stdout)


def deleted_lines(before: list[str], after: list[str]) -> set[int] | None:
    """1-based numbers of the lines of `before` that are not in `after`; None if `after` is not
    `before` with lines deleted (fixing must only delete).

    Each kept line is matched to the earliest line of `before` it can be, so of two identical
    lines the later one counts as deleted, as the duplicate fix intends.
    """
    deleted: set[int] = set()
    position = 0
    for line in after:
        while position < len(before) and before[position] != line:
            deleted.add(position + 1)
            position += 1
        if position == len(before):
            return None
        position += 1
    deleted.update(range(position + 1, len(before) + 1))
    return deleted


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    parser.add_argument("--show-story-lost", action="store_true", help="print each deleted line labelled as story")
    args = parser.parse_args(argv)
    labels_path = args.corpus / "labels.jsonl"
    if not args.corpus.is_dir() or not labels_path.is_file():
        print(f"fix_corpus: no corpus with labels.jsonl at {args.corpus}", file=sys.stderr)
        return 2
    labels = {}
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            labels[record["file"]] = record

    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp) / "corpus"
        originals: dict[str, bytes] = {}
        for path in sorted(args.corpus.rglob("*")):
            if path.suffix in ARTICLE_SUFFIXES and path.is_file():
                relative = path.relative_to(args.corpus).as_posix()
                originals[relative] = path.read_bytes()
                (work / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, work / relative)

        first_time, first = run_fix(work, args.unsafe_fixes)
        fixed_bytes = {name: (work / name).read_bytes() for name in originals}
        second_time, second = run_fix(work, args.unsafe_fixes)
        unchanged_by_second = all((work / name).read_bytes() == data for name, data in fixed_bytes.items())

    changed = [name for name in originals if fixed_bytes[name] != originals[name]]
    deleted_by_file: dict[str, set[int]] = {}
    for name in changed:
        deleted = deleted_lines(
            originals[name].decode("utf-8").split("\n"), fixed_bytes[name].decode("utf-8").split("\n")
        )
        if deleted is None:
            print(f"not only deletions: {name}")
        else:
            deleted_by_file[name] = deleted
    junk_deleted = uncertain_deleted = story_deleted = junk_left = 0
    for name, record in labels.items():
        if name not in originals:
            continue
        before = originals[name].decode("utf-8").split("\n")
        deleted = deleted_by_file.get(name, set())
        junk = {n for key in JUNK_KEYS for n in record[key]}
        uncertain = set(record["uncertain_lines"])
        junk_deleted += len(deleted & junk)
        uncertain_deleted += len(deleted & uncertain - junk)
        story = {n for n in deleted - junk - uncertain if before[n - 1].strip()}
        story_deleted += len(story)
        junk_left += len(junk - deleted)
        if args.show_story_lost:
            for n in sorted(story):
                print(f"story line deleted: {name}:{n}: {before[n - 1][:100]}")

    mode = "--fix --unsafe-fixes" if args.unsafe_fixes else "--fix"
    print(f"corpus: {len(originals)} files; newslint check {mode}")
    print(
        f"first run:  {first_time:.2f} s, {first['summary']['fixed']} problems fixed, {len(changed)} files changed, "
        f"{first['summary']['problems'] - first['summary']['fixed']} remaining"
    )
    print(
        f"second run: {second_time:.2f} s, {second['summary']['fixed']} problems fixed, "
        f"files unchanged: {unchanged_by_second}"
    )
    print(f"changed files whose lines are their original lines in order: {len(deleted_by_file)}/{len(changed)}")
    print(
        f"labelled files ({len(labels)}): deleted lines labelled junk {junk_deleted}, uncertain {uncertain_deleted}, "
        f"neither (story) {story_deleted}; labelled junk lines left {junk_left}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
