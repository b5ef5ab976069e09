"""Time and memory of `newslint check` on hostile articles, generated in a temporary folder.

    python benchmarks/hostile.py            # the cases below, about a minute
    python benchmarks/hostile.py --huge     # also check a real 200 MB file (about 2 GB of memory)

Each case runs `newslint check` in a child process and prints its exit code, wall time and
peak memory (Linux only). Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

MB = 1 << 20
WORDS = [f"word{i}" for i in range(2_000)]


def words_line(size: int, rng: random.Random) -> str:
    line = " ".join(rng.choices(WORDS, k=size // 7 + 1))
    return line[:size]


def article_lines(size: int, rng: random.Random) -> str:
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choices(WORDS, k=rng.randint(5, 60))) + "."
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"


def pattern_rule(folder: Path, name: str, pattern: str) -> Path:
    pack = folder / f"rules-{name}"
    pack.mkdir()
    (pack / f"{name}.yaml").write_text(
        textwrap.dedent(
            f"""\
            check: pattern
            category: other
            message: "{{match}}"
            doc: {{what: A benchmark pattern., why: To time it.}}
            patterns: ['{pattern}']
            examples: [{{text: "nothing\\n", expect: []}}]
            """
        )
    )
    return pack


# Runs newslint, then prints its peak memory (VmHWM, Linux) as the last line of stderr. The
# peak is read inside the child: a forked child's rusage also counts the parent's pages.
CHILD = (
    "import sys; from newslint.cli import main; code = main(sys.argv[1:]); "
    "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0], file=sys.stderr); "
    "sys.exit(code)"
)


def run_case(label: str, args: list[str], env: dict[str, str] | None = None) -> None:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "check", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    elapsed = time.perf_counter() - start
    peak_mb = int(result.stderr.split()[-1]) / 1024
    print(f"{label:<56} exit {result.returncode:>3}  {elapsed:7.2f} s  {peak_mb:7.0f} MB peak")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="also check a real 200 MB file")
    options = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        small = folder / "small.txt"
        small.write_text(article_lines(4_000, rng))
        run_case("4 kB article (start-up)", [str(small)])

        line20 = folder / "line-20mb.txt"
        line20.write_text(words_line(20 * MB, rng) + "\n")
        run_case("20 MB single line, built-in rules", [str(line20)])

        lines31 = folder / "lines-31mb.txt"
        lines31.write_text(article_lines(31 * MB, rng))
        run_case("31 MB of article lines, built-in rules", [str(lines31)])

        sparse = folder / "sparse-200mb.txt"
        with sparse.open("wb") as handle:
            handle.truncate(200 * MB)
        run_case("200 MB file, skipped by the 32 MB limit", [str(sparse)])

        short = folder / "short-lines.txt"
        short.write_text("a\n" * 1_000_000)
        run_case("1,000,000 one-letter lines (just under the line limit)", [str(short)])

        empty = folder / "empty-lines.txt"
        empty.write_text("\n" * 8_000_000)
        run_case("8,000,000 empty lines, skipped by the line limit", [str(empty)])

        junk = folder / "junk-lines.txt"
        junk.write_text("Advertisement\nA man walks by a shop in Athens, Monday, Jan. 5, 2015. (AP Photo/John Doe)\n" * 100_000)
        run_case("200,000 lines of junk, each one flagged", [str(junk)])

        ads = folder / "ads-2mb-line.txt"
        ads.write_text("Advertisement " * 150_000 + "\n")
        run_case("2 MB line, 150k matches of one pattern", ["--select", "ads", "--rules", str(pattern_rule(folder, "ads", "Advertisement")), str(ads)])

        xs = folder / "x-1mb-line.txt"
        xs.write_text("x" * MB + "\n")
        run_case("1 MB line, pattern x*y|x (each search reads the line)", ["--select", "xy", "--rules", str(pattern_rule(folder, "xy", "x*y|x")), str(xs)])

        backtrack = folder / "a-1mb-line.txt"
        backtrack.write_text("a" * MB + "!\n")
        run_case("1 MB line, pattern (a+)+$ (exponential for re)", ["--select", "aa", "--rules", str(pattern_rule(folder, "aa", "(a+)+$")), str(backtrack)])

        if options.huge:
            huge = folder / "lines-200mb.txt"
            with huge.open("w") as handle:
                for _ in range(10):
                    handle.write(article_lines(20 * MB, rng))
            run_case("200 MB of article lines, limit raised to 256 MB", [str(huge)], {"NEWSLINT_MAX_FILE_MB": "256"})


if __name__ == "__main__":
    main()
