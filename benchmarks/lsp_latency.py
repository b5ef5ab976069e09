"""How long `newslint server` takes to publish diagnostics after a change to a long article.

Starts the server as an editor does (stdio), opens a synthetic 2,000-line article built by the
generator of benchmarks/speed.py, makes N changes one after another, and for each measures the
time from sending the change to receiving the diagnostics of its version. The first changes
warm the server up and are not counted. Then it types bursts of keystrokes (one change every
few milliseconds) and measures from the last keystroke of each to its diagnostics: changes that
arrive while a check runs are coalesced into the next one.

    python benchmarks/lsp_latency.py [--changes N] [--lines N]

Two shapes of article: "wrapped", Markdown hard-wrapped at 72 columns (a long feature), and
"scraped", one paragraph a line (an archive's article; far more text in as many lines).
The target: the median within 100 ms on the machine that runs it, after warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from lsp_client import Client  # noqa: E402
from speed import CAPTIONS, SCRAPED_FOOTERS, SEED, Generator, _wrap  # noqa: E402

WARM_UP = 5
TARGET_MS = 100.0


def article(lines: int, shape: str) -> str:
    """A `lines`-line article of distinct paragraphs, with some junk: footers, a caption, a
    repeated paragraph."""
    generator = Generator(SEED, [])
    paragraphs = generator.distinct_paragraphs(lines).decode("utf-8").split("\n\n")
    for n in range(0, len(paragraphs), 40):  # junk every 40 paragraphs, as scraped archives have it
        paragraphs.insert(n + 1, SCRAPED_FOOTERS[n // 40 % len(SCRAPED_FOOTERS)])
    paragraphs.insert(5, CAPTIONS[0].format(place="Calais"))
    paragraphs.insert(60, paragraphs[10])
    if shape == "wrapped":
        blocks = ["\n".join(_wrap(paragraph, 72)) for paragraph in paragraphs]
        text_lines = "\n\n".join(blocks).split("\n")
    else:
        text_lines = paragraphs
    return "\n".join(text_lines[:lines]) + "\n"


def edited(text: str, n: int) -> str:
    """The article after the n-th edit: a word typed into a line in the middle, and every other
    time a footer pasted after it, so the diagnostics change too."""
    lines = text.split("\n")
    middle = len(lines) // 2
    lines[middle] = lines[middle] + f" edit{n}"
    if n % 2:
        lines.insert(middle + 1, SCRAPED_FOOTERS[0])
    return "\n".join(lines)


def check_alone(text: str, path: str, changes: int) -> list[float]:
    """The same checks without the server: check_buffer in this process, after warm-up."""
    from newslint.per_file import check_buffer
    from newslint.pipeline import Settings, load_plan

    plan = load_plan(Settings(), start=str(REPO))
    plan.gate.expect(1000)
    times = []
    for n in range(WARM_UP + changes):
        data = edited(text, n).encode("utf-8")
        started = time.perf_counter()
        check_buffer(path, data, plan)
        if n >= WARM_UP:
            times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(
    shape: str, lines: int, changes: int, bursts: int
) -> tuple[list[float], list[float], list[float], int, int]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / ("article.md" if shape == "wrapped" else "article.txt")
        text = article(lines, shape)
        path.write_text(text, encoding="utf-8")
        client = Client(root, "--no-cache")
        try:
            client.initialize(root)
            first = client.open(path, text)
            version = 1
            latencies = []
            for n in range(WARM_UP + changes):
                version += 1
                started = time.perf_counter()
                client.change(path, edited(text, n), version)
                client.diagnostics(path, version)
                if n >= WARM_UP:
                    latencies.append((time.perf_counter() - started) * 1000)
            burst_latencies = []
            for n in range(bursts):
                for keystroke in range(5):
                    version += 1
                    client.change(path, edited(text, n) + "x" * keystroke, version)
                    time.sleep(0.01)
                started = time.perf_counter()
                client.diagnostics(path, version)
                burst_latencies.append((time.perf_counter() - started) * 1000)
            alone = check_alone(text, str(path), changes)
            return latencies, burst_latencies, alone, len(text.encode("utf-8")), len(first["diagnostics"])
        finally:
            client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=40, help="changes measured, after warm-up (default 40)")
    parser.add_argument("--bursts", type=int, default=10, help="bursts of 5 keystrokes measured (default 10)")
    parser.add_argument("--lines", type=int, default=2000, help="lines of the article (default 2000)")
    args = parser.parse_args(argv)
    ok = True
    for shape in ("wrapped", "scraped"):
        latencies, bursts, alone, size, problems = measure(shape, args.lines, args.changes, args.bursts)
        median = statistics.median(latencies)
        ok = ok and median <= TARGET_MS
        print(
            f"{shape:8} {args.lines} lines, {size / 1000:.0f} kB, {problems} problems: change -> diagnostics "
            f"median {median:.0f} ms, p90 {percentile(latencies, 0.9):.0f} ms, max {max(latencies):.0f} ms "
            f"({len(latencies)} changes); after a burst of 5 keystrokes 10 ms apart: "
            f"median {statistics.median(bursts):.0f} ms, p90 {percentile(bursts, 0.9):.0f} ms; "
            f"the check alone, in process: median {statistics.median(alone):.0f} ms"
        )
    print(f"target: median within {TARGET_MS:.0f} ms: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
