#!/usr/bin/env python3
"""How fast newslint is: an archive, a single file against the import baseline, a worst case, a re-run.

    python benchmarks/speed.py [--articles 10000] [--jobs N] [--corpus ../shared/corpus | --no-corpus]
                               [--repeat 5] [--keep DIR]

Builds a synthetic archive in a temporary folder (articles of realistic length with the junk
newslint looks for: footers, ad markers, captions, datelines, repeated paragraphs, a body printed
twice, CRLF, a BOM, Markdown front matter), generated from a fixed seed so every run sees the same
bytes. When the real corpus is present, a share of the paragraphs is drawn from it (also by the
seed); without it the archive is all generated text.

Then, each in its own newslint process, with every built-in rule (newslint's own command line:
what users run):
  - start-up: `python -c "import yaml, rapidfuzz"` against `newslint check ONE-FILE`, as pre-commit
    runs it (a file just edited, rules parsed in an earlier run) and with --no-cache (pre-commit
    starts newslint once per batch of files, so start-up is much of what users feel); each
    newslint run is paired with a baseline run, and the median ratio counts;
  - one file of 5,000 distinct paragraphs (the worst case for duplicate detection);
  - the archive with --no-cache, with --jobs 1 and with --jobs N, and with --jobs N without the
    duplicate check (the one rule that works on every word; the difference is its share);
  - the archive with a fresh cache folder, then again (the cached re-run).
Each long run counts its fastest of --repeat / 2 (two by default). Prints the times (wall
clock, and CPU time, which other work on the machine disturbs less), articles/s, MB/s, peak
memory and the ratios the targets are stated in.
Peak memory is the largest resident set of any one newslint process (its own or a worker's,
from wait4), and on Linux also the largest sum over the process and its workers (sampled
proportional set size, which counts pages the workers share with the parent once).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
SEED = 20260101
DUPLICATE_RULE = "duplicate-paragraph"

# A small English lexicon; words are drawn with Zipf-like weights, so common 3-grams recur across
# paragraphs as they do in news (the hard case for n-gram blocking of near-duplicates).
WORDS = """
the of and to a in that is was he for it with as his on be at by i this had not are but from or
have an they which one you were her all she there would their we him been has when who will more
no if out so said what up its about into than them can only other new some could time these two
may then do first any my now such like our over man me even most made after also did many before
must through back years where much your way well down should because each just those people mr how
too little state good very make world still own see men work long get here between both life being
under never day same another know while last might us great old year off come since against go came
right used take three government minister police city council report officials week month people
country president company market party election court water school hospital village police border
migrants calais london paris delhi ministry budget plan deal vote law rights health border officers
bank shares prices trade talks spokesman statement economy football match season league players club
""".split()

SCRAPED_FOOTERS = [
    "Track Latest News Live on NDTV.com and get news updates from India and around the world",
    "These are external links and will open in a new window",
    "Media playback is not supported on this device",
    "Continue reading the main story",
    "Advertisement",
    "ADVERTISEMENT",
    "**Advertisement**",
]
CAPTIONS = [
    "File photo of {place} police.",
    "FILE - In this {day} file photo, officials attend a meeting in {place}. (AP Photo/Evan Vucci)",
    "Officials speak to reporters in {place} on {day}. (AP Photo/Jane Doe)",
    "A view of the harbour in {place}. (Photo: Reuters)",
]
PLACES = ["London", "Calais", "New Delhi", "Paris", "Lagos", "Lima", "Oslo", "Cairo"]
DAYS = ["Monday", "Aug. 11, 2015", "Tuesday", "March 3", "Friday"]
NON_ASCII = ["café", "São Paulo", "Zürich", "“quoted”", "naïve", "Ελλάδα", "Kraków", "—"]


class Generator:
    """Deterministic article text from one seeded random source."""

    def __init__(self, seed: int, real_paragraphs: list[str]):
        self.rng = random.Random(seed)
        self.real = real_paragraphs
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(WORDS))]
        self.cumulative = list(_accumulate(weights))

    def sentence(self) -> str:
        rng = self.rng
        words = rng.choices(WORDS, cum_weights=self.cumulative, k=rng.randint(8, 28))
        if rng.random() < 0.05:
            words.insert(rng.randrange(len(words)), rng.choice(NON_ASCII))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), str(rng.randint(2, 2000)))
        return " ".join(words).capitalize() + rng.choice(".....?!")

    def paragraph(self) -> str:
        if self.real and self.rng.random() < 0.3:
            return self.rng.choice(self.real)
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 3)))

    def article(self) -> bytes:
        """One article: a headline, 4-30 paragraphs, and junk at the rates scraped archives show."""
        rng = self.rng
        paragraphs = [self.paragraph() for _ in range(rng.randint(4, 30))]
        place, day = rng.choice(PLACES), rng.choice(DAYS)
        if rng.random() < 0.10:  # a paragraph printed again a little later
            i = rng.randrange(len(paragraphs))
            paragraphs.insert(min(len(paragraphs), i + rng.randint(1, 5)), paragraphs[i])
        if rng.random() < 0.05:  # a near copy: one word changed
            i = rng.randrange(len(paragraphs))
            words = paragraphs[i].split()
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            paragraphs.append(" ".join(words))
        if rng.random() < 0.03:  # the whole body printed twice
            paragraphs = paragraphs + paragraphs
        if rng.random() < 0.15:
            paragraphs.insert(0, rng.choice(CAPTIONS).format(place=place, day=day))
        if rng.random() < 0.10:
            paragraphs.insert(1 if len(paragraphs) > 1 else 0, f"{place}:")
        if rng.random() < 0.10:
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(SCRAPED_FOOTERS[4:]))
        if rng.random() < 0.20:
            paragraphs.append(rng.choice(SCRAPED_FOOTERS[:4]))
        headline = self.sentence().rstrip(".?!")
        layout = rng.random()
        if layout < 0.5:  # scraped: one paragraph per line, no blank lines
            text = "\n".join([headline] + paragraphs) + "\n"
        elif layout < 0.9:  # blank-line separated
            text = "\n\n".join([headline] + paragraphs) + "\n"
        else:  # Markdown with front matter and hard-wrapped paragraphs
            wrapped = ["\n".join(_wrap(p, 72)) for p in paragraphs]
            text = f"---\ntitle: {headline}\n---\n\n# {headline}\n\n" + "\n\n".join(wrapped) + "\n"
        if rng.random() < 0.10:
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        return b"\xef\xbb\xbf" + data if rng.random() < 0.02 else data

    def distinct_paragraphs(self, count: int) -> bytes:
        """One file of `count` paragraphs, no two alike (numbered so none repeats by chance)."""
        seen: set[str] = set()
        paragraphs = []
        while len(paragraphs) < count:
            paragraph = " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))
            if paragraph not in seen:
                seen.add(paragraph)
                paragraphs.append(paragraph)
        return ("\n\n".join(paragraphs) + "\n").encode("utf-8")


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + [current] if current else lines


def real_paragraphs(corpus: Path | None) -> list[str]:
    """Paragraphs of real articles (one per non-blank line), or [] without a corpus."""
    if corpus is None or not corpus.is_dir():
        return []
    paragraphs = []
    for path in sorted(corpus.rglob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if len(line.strip()) >= 40:
                paragraphs.append(line.strip())
    return paragraphs


def build_archive(folder: Path, count: int, generator: Generator) -> int:
    """Write `count` articles into 100-article subfolders; return the bytes written."""
    total = 0
    for n in range(count):
        sub = folder / f"{n // 100:03d}"
        if n % 100 == 0:
            sub.mkdir(parents=True)
        data = generator.article()
        suffix = ".md" if data.lstrip(b"\xef\xbb\xbf").startswith(b"---") else ".txt"
        (sub / f"article-{n:05d}{suffix}").write_bytes(data)
        total += len(data)
    return total


# Run Python as an installed newslint runs: byte-compiled. (pip compiles a package when it
# installs it; an editable install under PYTHONDONTWRITEBYTECODE would recompile newslint's
# modules from source on every start, some 15 ms that no user pays.)
_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the process and its workers
    exit_code: int
    max_rss_mb: float  # the largest resident set of one process (newslint or a worker)
    peak_pss_mb: float | None  # the largest sum over newslint and its workers (Linux), or None


def run(command: list[str], cwd: Path) -> Run:
    """Run `command`, its output discarded; time it and measure its memory."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = _PssSampler(process.pid)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    if process.returncode not in (0, 1):
        raise SystemExit(f"speed: {' '.join(command)} exited {process.returncode}:\n{errors}")
    max_rss_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, process.returncode, max_rss_kb / 1024, sampler.peak_mb)


class _PssSampler(threading.Thread):
    """Every few milliseconds, sum the proportional set size of a process and its children."""

    INTERVAL = 0.01

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.supported = Path(f"/proc/{pid}/smaps_rollup").exists()
        self._done = threading.Event()

    @property
    def peak_mb(self) -> float | None:
        return self.peak_kb / 1024 if self.supported and self.peak_kb else None

    def run(self) -> None:
        while self.supported and not self._done.wait(self.INTERVAL):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            pass  # the process ended meanwhile
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass  # the process ended meanwhile
    return 0


def best(command: list[str], cwd: Path, repeat: int) -> Run:
    """The fastest of `repeat` runs (the least disturbed by other work on the machine)."""
    return min((run(command, cwd) for _ in range(repeat)), key=lambda r: r.seconds)


def _memory(r: Run) -> str:
    pss = f", all processes {r.peak_pss_mb:.0f} MB" if r.peak_pss_mb is not None else ""
    return f"peak memory: largest process {r.max_rss_mb:.0f} MB{pss}"


def _ms(r: Run) -> str:
    return f"{r.seconds * 1000:.0f} ms (CPU {r.cpu_seconds * 1000:.0f} ms)"


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the archive (default 10000)")
    parser.add_argument("--paragraphs", type=int, default=5_000, help="paragraphs in the worst-case file")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs for the parallel run")
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs of each short command (half as many of each long one); the fastest counts",
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="real articles to mix in, if present")
    parser.add_argument("--no-corpus", action="store_true", help="generated text only")
    parser.add_argument("--keep", type=Path, help="build the data in this (new) folder and keep it")
    args = parser.parse_args(argv)

    newslint = [sys.executable, "-m", "newslint", "check"]
    workdir = Path(tempfile.mkdtemp(prefix="newslint-speed-")) if args.keep is None else args.keep
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        real = [] if args.no_corpus else real_paragraphs(args.corpus)
        generator = Generator(SEED, real)
        archive = workdir / "archive"
        size = build_archive(archive, args.articles, generator)
        big = workdir / "distinct-paragraphs.txt"
        big.write_bytes(generator.distinct_paragraphs(args.paragraphs))
        one = next(archive.rglob("article-00000.*"))
        source = f"{len(real)} real paragraphs mixed in" if real else "generated text only"
        print(f"newslint speed benchmark: {sys.version.split()[0]}, {os.cpu_count()} cores, {source}")
        print(f"archive: {args.articles} articles, {size / 1e6:.1f} MB in {archive}; load average {_load()}\n")

        # Start-up: each newslint run is paired with a baseline run just before it, so both
        # see the same moment of a shared machine, and the median of the pairs' ratios counts
        # (a single slow or fast moment moves neither).
        import_baseline = [sys.executable, "-c", "import yaml, rapidfuzz"]
        # What a pre-commit run sees: rules parsed before (the rule cache is warm), the file new
        # to the result cache (it was just edited). Each run checks a freshly changed copy.
        warm_cache = workdir / "single-cache"
        run(newslint + ["--cache-dir", str(warm_cache), str(one)], workdir)
        startup_runs = max(args.repeat, 3) * 3
        pre_commit_pairs, cold_pairs = [], []
        for n in range(startup_runs):
            copy = workdir / f"edited-{n}{one.suffix}"
            copy.write_bytes(one.read_bytes() + f"Edit number {n}.\n".encode())
            pre_commit_pairs.append(
                (run(import_baseline, workdir), run(newslint + ["--cache-dir", str(warm_cache), str(copy)], workdir))
            )
            if n % 3 == 0:
                cold_pairs.append((run(import_baseline, workdir), run(newslint + ["--no-cache", str(one)], workdir)))
        baseline_ms = statistics.median(b.seconds for b, _ in pre_commit_pairs) * 1000
        print(f"start-up: python -c 'import yaml, rapidfuzz' {baseline_ms:.0f} ms (median of {startup_runs})")
        for label, pairs in (
            ("changed file, rule cache warm (a pre-commit run)", pre_commit_pairs),
            ("--no-cache", cold_pairs),
        ):
            ratio = statistics.median(r.seconds / b.seconds for b, r in pairs)
            cpu_ratio = statistics.median(r.cpu_seconds / b.cpu_seconds for b, r in pairs)
            newslint_ms = statistics.median(r.seconds for _, r in pairs) * 1000
            # The target is a pre-commit run's; --no-cache also parses every rule file.
            target = f"; target <= 1.5x: {_verdict(ratio <= 1.5)}" if pairs is pre_commit_pairs else ""
            print(
                f"  newslint check one-file, {label}: {newslint_ms:.0f} ms, {ratio:.2f}x the baseline "
                f"(median of {len(pairs)} paired runs; CPU {cpu_ratio:.2f}x{target})"
            )
        print()

        worst = best(newslint + ["--no-cache", str(big)], workdir, max(1, args.repeat // 2))
        print(
            f"{args.paragraphs} distinct paragraphs ({big.stat().st_size / 1e6:.1f} MB), whole process: "
            f"{worst.seconds:.2f} s, CPU {worst.cpu_seconds:.2f} s (target < 1 s: {_verdict(worst.seconds < 1)}); "
            f"{worst.seconds / min(r.seconds for _, r in cold_pairs):.1f}x a one-article run\n"
        )

        # The archive runs are long, and one may land on a busy moment of a shared machine: each
        # counts its fastest of a few, taken in turns (with and without the duplicate check
        # alternating, so that both see the same moments).
        long_runs = max(1, args.repeat // 2)
        serial = best(newslint + ["--no-cache", "--jobs", "1", str(archive)], workdir, long_runs)
        parallel_runs, without_runs = [], []
        for _ in range(long_runs):
            parallel_runs.append(run(newslint + ["--no-cache", "--jobs", str(args.jobs), str(archive)], workdir))
            without_runs.append(
                run(
                    newslint + ["--no-cache", "--jobs", str(args.jobs), "--ignore", DUPLICATE_RULE, str(archive)],
                    workdir,
                )
            )
        parallel, without = (min(runs, key=lambda r: r.seconds) for runs in (parallel_runs, without_runs))
        for label, r in (("--jobs 1", serial), (f"--jobs {args.jobs}", parallel)):
            print(
                f"archive, no cache, {label}: {r.seconds:.2f} s, {args.articles / r.seconds:,.0f} articles/s, "
                f"{size / 1e6 / r.seconds:.1f} MB/s; CPU {r.cpu_seconds:.2f} s "
                f"({r.cpu_seconds / args.articles * 1e6:.0f} us an article); {_memory(r)}"
            )
        rate = args.articles / parallel.seconds
        memory = parallel.peak_pss_mb if parallel.peak_pss_mb is not None else parallel.max_rss_mb
        print(
            f"  --jobs {args.jobs} is {serial.seconds / parallel.seconds:.2f}x --jobs 1; "
            f"target >= 5,000 articles/s: {_verdict(rate >= 5000)}, peak memory < 200 MB: {_verdict(memory < 200)}"
        )
        # Where the time goes: the duplicate check is the one rule that works on every word of
        # every article (the others are screened out of most articles by the engine's gate).
        print(
            f"  the same run without {DUPLICATE_RULE}: {without.seconds:.2f} s, "
            f"{args.articles / without.seconds:,.0f} articles/s; that rule is "
            f"{1 - without.cpu_seconds / parallel.cpu_seconds:.0%} of the run's CPU\n"
        )

        cache = workdir / "cache"
        first = run(newslint + ["--cache-dir", str(cache), str(archive)], workdir)
        again = run(newslint + ["--cache-dir", str(cache), str(archive)], workdir)
        speedup = first.seconds / again.seconds
        print(
            f"archive with a cache: first run {first.seconds:.2f} s (filling it), re-run {again.seconds:.2f} s "
            f"({args.articles / again.seconds:,.0f} articles/s, CPU {again.cpu_seconds:.2f} s)"
        )
        print(
            f"  re-run {speedup:.1f}x faster than the first run (target >= 10x: {_verdict(speedup >= 10)}); "
            f"first run {first.seconds / parallel.seconds:.2f}x the uncached run"
        )
        print(
            f"\nload average (1, 5, 15 min) at the end: {_load()}; other work on the machine slows every "
            f"figure above but the CPU times least"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
