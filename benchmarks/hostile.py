"""Time and memory of `newslint check` on hostile articles, generated in a temporary folder.

    python benchmarks/hostile.py              # the cases below, about three minutes
    python benchmarks/hostile.py --huge       # also check a real 200 MB file (about 2 GB of memory)
    python benchmarks/hostile.py --only credit --timeout 120   # cases whose label has "credit"

Each case runs `newslint check --no-cache` in a child process and prints its exit code, wall
time, the megabytes it checks, MB/s, the ratio of its cost per megabyte to that of ordinary
articles, and its peak memory (Linux only). The ordinary articles are a folder of 2,000
generated ones (benchmarks/speed.py's generator, 3 kB each on average: footers, captions,
repeated paragraphs at the rates of scraped archives), checked in one process (--jobs 1), as
every case is; they are measured in the same run. MB/s and the ratio count CPU time (the
child's user and system time, which other work on the machine disturbs less than the wall
clock) less that of the first case, start-up with a 4 kB article, so that a case of a few
megabytes is not flattered or penalised by it ("-" where a case costs less than that: --select
runs one rule). Every input is made from a fixed seed. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import SEED, Generator, build_archive

MB = 1 << 20
WORDS = [f"word{i}" for i in range(2_000)]
# Letters of scripts outside Latin-1, lower and upper case (CJK and Arabic have no case).
CYRILLIC = ("".join(map(chr, range(0x430, 0x450))), "".join(map(chr, range(0x410, 0x430))))
GREEK = ("".join(map(chr, range(0x3B1, 0x3CA))), "".join(map(chr, range(0x391, 0x3AA))))
CJK = ("".join(map(chr, range(0x4E00, 0x4E00 + 500))), "")
ARABIC = ("".join(map(chr, range(0x627, 0x64B))), "")


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


def lines_of(size: int, make: Callable[[random.Random], str], rng: random.Random) -> str:
    """Lines made by `make` until they fill `size` bytes of UTF-8."""
    lines, total = [], 0
    while total < size:
        line = make(rng)
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
    return "\n".join(lines) + "\n"


def word(rng: random.Random, script: tuple[str, str], capital: bool = False) -> str:
    lower, upper = script
    text = "".join(rng.choices(lower, k=rng.randint(2, 8)))
    return rng.choice(upper) + text if capital and upper else text


def prose(rng: random.Random, script: tuple[str, str], count: int) -> str:
    return " ".join(word(rng, script, rng.random() < 0.3) for _ in range(count))


def credit_line(rng: random.Random) -> str:
    """A sentence outside Latin-1 that ends in a credit, as captions do: "... Credit: X Y"."""
    script = rng.choice([CYRILLIC, GREEK, CJK, ARABIC])
    return f"{prose(rng, script, rng.randint(5, 20))}. Credit: {word(rng, CYRILLIC, True)} {word(rng, CYRILLIC, True)}"


def credit_tokens_line(rng: random.Random) -> str:
    """Many "Credit: X" in one line: every one starts a credit the caption rule must follow."""
    return " ".join(f"Credit: {word(rng, CYRILLIC, True)}" for _ in range(rng.randint(3, 30)))


def screened_line(rng: random.Random) -> str:
    """A short line a caption rule's screen picks out (it has "Credit:"), which the rule does not flag."""
    return f"{word(rng, CYRILLIC)} Credit: {word(rng, CYRILLIC)}."


def bracket_link_line(rng: random.Random) -> str:
    return f"{prose(rng, CYRILLIC, rng.randint(5, 20))} [Related: {prose(rng, CYRILLIC, rng.randint(2, 20))}]"


def follow_line(rng: random.Random) -> str:
    return f"Follow {prose(rng, CYRILLIC, rng.randint(2, 8))} on Twitter {prose(rng, CYRILLIC, 5)}"


def lines_holding_the_one_before(size: int, rng: random.Random) -> str:
    """Pairs of long lines (5-20k characters), the second the first with a word put in after
    every other word: it holds the first as a subsequence, so no LCS bound rules the pair out."""
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(300)]
    lines, total = [], 0
    while total < size:
        first = rng.choices(vocabulary, k=rng.randint(5_000, 20_000) // 12)
        grown = [
            w for original in first for w in ([original, rng.choice(vocabulary)] if rng.random() < 0.5 else [original])
        ]
        for line in (" ".join(first), " ".join(grown)[:20_000]):
            lines.append(line)
            total += len(line) + 1
    return "\n".join(lines) + "\n"


def edited_copies(size: int, rng: random.Random) -> str:
    """Long lines (5-20k characters), each a copy of one text with a tenth of its words changed
    and its start cut: many shared 3-grams, and a long LCS with every other line."""
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(300)]
    base = rng.choices(vocabulary, k=20_000 // 6)
    lines, total = [], 0
    while total < size:
        copy = list(base)
        for _ in range(len(copy) // 10):
            copy[rng.randrange(len(copy))] = rng.choice(vocabulary)
        line = " ".join(copy[rng.randrange(len(copy) // 4) :])[: rng.randint(5_000, 20_000)]
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


@dataclass
class Result:
    exit_code: int | None  # None: stopped at --timeout
    seconds: float
    cpu_seconds: float
    peak_mb: float | None


def run(args: list[str], env: dict[str, str] | None, timeout: float | None) -> Result:
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, "check", "--no-cache", *args],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, **(env or {})},
        )
        timer = threading.Timer(timeout, child.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if timer:
            timer.cancel()
        elapsed = time.perf_counter() - start
        stderr.seek(0)
        last = (stderr.read().decode("utf-8", "replace").split() or ["?"])[-1]
    killed = timeout is not None and child.returncode == -9 and elapsed >= timeout
    peak = int(last) / 1024 if last.isdigit() else None
    return Result(None if killed else child.returncode, elapsed, usage.ru_utime + usage.ru_stime, peak)


@dataclass
class Case:
    label: str
    make: Callable[[Path, random.Random], tuple[list[str], int]]  # -> (arguments, bytes checked)
    env: dict[str, str] | None = None
    skipped: bool = False  # newslint refuses the input unread: no rate to speak of


def file_case(
    name: str, text: Callable[[random.Random], str], *extra: str
) -> Callable[[Path, random.Random], tuple[list[str], int]]:
    def make(folder: Path, rng: random.Random) -> tuple[list[str], int]:
        path = folder / name
        path.write_text(text(rng), encoding="utf-8")
        return [*extra, str(path)], path.stat().st_size

    return make


def pattern_case(
    name: str, pattern: str, text: Callable[[random.Random], str]
) -> Callable[[Path, random.Random], tuple[list[str], int]]:
    def make(folder: Path, rng: random.Random) -> tuple[list[str], int]:
        args, size = file_case(f"{name}.txt", text)(folder, rng)
        return ["--select", name, "--rules", str(pattern_rule(folder, name, pattern)), *args], size

    return make


def sparse_file(folder: Path, rng: random.Random) -> tuple[list[str], int]:
    path = folder / "sparse-200mb.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * MB)
    return [str(path)], 200 * MB


def articles(folder: Path, rng: random.Random) -> tuple[list[str], int]:
    archive = folder / "articles"
    size = build_archive(archive, 2_000, Generator(SEED, []))
    return ["--jobs", "1", str(archive)], size


def huge_file(folder: Path, rng: random.Random) -> tuple[list[str], int]:
    path = folder / "lines-200mb.txt"
    with path.open("w") as handle:
        for _ in range(10):
            handle.write(article_lines(20 * MB, rng))
    return [str(path)], path.stat().st_size


STARTUP = Case("4 kB article (start-up)", file_case("small.txt", lambda rng: article_lines(4_000, rng)))
BASELINE = Case("2,000 generated articles, the baseline", articles)
CASES = [
    Case("20 MB single line, built-in rules", file_case("line-20mb.txt", lambda rng: words_line(20 * MB, rng) + "\n")),
    Case(
        "31 MB of article lines, built-in rules", file_case("lines-31mb.txt", lambda rng: article_lines(31 * MB, rng))
    ),
    Case("200 MB file, skipped by the 32 MB limit", sparse_file, skipped=True),
    Case(
        "1,000,000 one-letter lines (just under the line limit)",
        file_case("short-lines.txt", lambda rng: "a\n" * 1_000_000),
    ),
    Case(
        "8,000,000 empty lines, skipped by the line limit",
        file_case("empty-lines.txt", lambda rng: "\n" * 8_000_000),
        skipped=True,
    ),
    Case(
        "200,000 lines of junk, each one flagged",
        file_case(
            "junk-lines.txt",
            lambda rng: (
                "Advertisement\nA man walks by a shop in Athens, Monday, Jan. 5, 2015. (AP Photo/John Doe)\n" * 100_000
            ),
        ),
    ),
    Case(
        "1 MB of 'Photo' lines, each one flagged (reporting-bound)",
        file_case("photo-lines.txt", lambda rng: "Photo\n" * (MB // 6)),
    ),
    Case(
        "4 MB of non-Latin lines, each ending 'Credit: X'",
        file_case("credits.txt", lambda rng: lines_of(4 * MB, credit_line, rng)),
    ),
    Case(
        "2 MB of lines of many 'Credit: X'",
        file_case("credit-tokens.txt", lambda rng: lines_of(2 * MB, credit_tokens_line, rng)),
    ),
    Case(
        "2 MB of short lines a screen picks, no rule flags",
        file_case("screened.txt", lambda rng: lines_of(2 * MB, screened_line, rng)),
    ),
    Case(
        "2 MB of Cyrillic lines ending '[Related: ...]'",
        file_case("related.txt", lambda rng: lines_of(2 * MB, bracket_link_line, rng)),
    ),
    Case(
        "2 MB of Cyrillic lines 'Follow ... on Twitter ...'",
        file_case("follow.txt", lambda rng: lines_of(2 * MB, follow_line, rng)),
    ),
    Case(
        "5 MB line of one word ('Photo Photo ...')",
        file_case("photo-line.txt", lambda rng: "Photo " * (5 * MB // 6) + "\n"),
    ),
    Case(
        "2 MB of long lines, each holding the one before",
        file_case("held.txt", lambda rng: lines_holding_the_one_before(2 * MB, rng)),
    ),
    Case(
        "2 MB of long lines, edited copies of one text", file_case("copies.txt", lambda rng: edited_copies(2 * MB, rng))
    ),
    Case(
        "2 MB line, 150k matches of one pattern",
        pattern_case("ads", "Advertisement", lambda rng: "Advertisement " * 150_000 + "\n"),
    ),
    Case(
        "1 MB line, pattern x*y|x (each search reads the line)",
        pattern_case("xy", "x*y|x", lambda rng: "x" * MB + "\n"),
    ),
    Case("1 MB line, pattern (a+)+$ (exponential for re)", pattern_case("aa", "(a+)+$", lambda rng: "a" * MB + "!\n")),
]
HUGE = Case("200 MB of article lines, limit raised to 256 MB", huge_file, {"NEWSLINT_MAX_FILE_MB": "256"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="also check a real 200 MB file")
    parser.add_argument("--only", help="run only the cases whose label holds this text (and the baseline)")
    parser.add_argument("--timeout", type=float, help="stop a case after this many seconds")
    options = parser.parse_args()
    cases = CASES + ([HUGE] if options.huge else [])
    if options.only:
        cases = [case for case in cases if options.only.lower() in case.label.lower()]
    print(f"{'case':<58} {'exit':>4} {'seconds':>8} {'MB':>6} {'MB/s':>7} {'ratio':>6} {'peak':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        startup = measure(STARTUP, folder, options.timeout)
        baseline = measure(BASELINE, folder, options.timeout, startup)
        per_mb = cost_per_mb(baseline, startup)
        for case in cases:
            measure(case, folder, options.timeout, startup, per_mb)


def cost_per_mb(measured: tuple[Result, int], startup: tuple[Result, int]) -> float | None:
    result, size = measured
    if result.exit_code is None:
        return None
    return max(0.0, result.cpu_seconds - startup[0].cpu_seconds) / (size / MB)


def measure(
    case: Case,
    folder: Path,
    timeout: float | None,
    startup: tuple[Result, int] | None = None,
    baseline_per_mb: float | None = None,
) -> tuple[Result, int]:
    args, size = case.make(folder, random.Random(7))
    result = run(args, case.env, timeout)
    rate = ratio = "-"
    if startup is not None and not case.skipped and result.exit_code is not None:
        per_mb = cost_per_mb((result, size), startup)
        rate = f"{1 / per_mb:7.2f}" if per_mb else "-"
        ratio = f"{per_mb / baseline_per_mb:6.1f}" if baseline_per_mb and per_mb is not None else "-"
    exit_code = "stop" if result.exit_code is None else str(result.exit_code)
    seconds = f"{result.seconds:8.2f}" if result.exit_code is not None else f">{timeout:7.0f}"
    peak = f"{result.peak_mb:5.0f} MB" if result.peak_mb is not None else "-"
    print(f"{case.label:<58} {exit_code:>4} {seconds} {size / MB:6.1f} {rate:>7} {ratio:>6} {peak:>8}", flush=True)
    return result, size


if __name__ == "__main__":
    main()
