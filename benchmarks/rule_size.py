#!/usr/bin/env python3
"""How much of the rule size limit rules take: RE2 instructions, and the time to load them.

    python benchmarks/rule_size.py [--phrases 1000 5000 20000]

All the rules of a run together may compile to at most MAX_TOTAL_PROGRAM_SIZE RE2 instructions
(newslint/rules.py), so that no set of rule files from a pull request can take minutes or
gigabytes to load. Prints the instructions of each built-in rule and of all of them, and those of
phrase rules with long lists of made-up phrases (two to five words each, from a fixed seed), with
the time each took to parse and compile, against the limit.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslint.rules import MAX_TOTAL_PROGRAM_SIZE, load_rules, parse_rule

SEED = 20260101
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def phrase_rule(count: int, rng: random.Random) -> str:
    words = ["".join(rng.choices(LETTERS, k=rng.randint(3, 9))) for _ in range(5_000)]
    phrases = {" ".join(rng.choices(words, k=rng.randint(2, 5))) for _ in range(count)}
    lines = "\n".join(f"  - {phrase}" for phrase in sorted(phrases))
    return (
        "check: phrase\ncategory: other\nmessage: '{match}'\n"
        "doc: {what: Made-up phrases., why: To measure.}\n"
        f"phrases:\n{lines}\n"
        'examples: [{text: "nothing\\n", expect: []}]\n'
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, nargs="*", default=[1_000, 5_000, 20_000], help="phrase list lengths")
    args = parser.parse_args()
    print(f"limit for all the rules of a run: {MAX_TOTAL_PROGRAM_SIZE:,} RE2 instructions\n")

    start = time.perf_counter()
    rules = load_rules([])
    seconds = time.perf_counter() - start
    sizes = sorted(((rule.check.program_size(), rule.name) for rule in rules), reverse=True)
    for size, name in sizes:
        print(f"  {name:<24} {size:>10,}")
    total = sum(size for size, _ in sizes)
    print(
        f"built-in rules: {total:,} instructions ({total / MAX_TOTAL_PROGRAM_SIZE:.0%} of the limit), "
        f"loaded in {seconds:.2f} s\n"
    )

    rng = random.Random(SEED)
    for count in args.phrases:
        text = phrase_rule(count, rng)
        start = time.perf_counter()
        rule = parse_rule(text, f"phrases-{count}.yaml", "phrases")
        seconds = time.perf_counter() - start
        size = rule.check.program_size()
        print(
            f"a phrase rule of {count:,} phrases: {size:,} instructions "
            f"({size / MAX_TOTAL_PROGRAM_SIZE:.0%} of the limit), loaded in {seconds:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
