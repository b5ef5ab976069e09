#!/usr/bin/env python3
"""Line-level precision and recall of newslint's rules against hand labels.

    python benchmarks/quality.py [--corpus ../shared/corpus] [--labels FILE] [--clean DIR]
                                 [--selection random] [--rules DIR] [--show-errors]
                                 [--list-flagged DIR] [--l3s DIR | --no-l3s]

Labels use the format of ../shared/corpus/labels.jsonl: one JSON object per line, with `file`
(relative to --corpus) and lists of 1-based line numbers `duplicate_paragraph_lines`,
`footer_lines`, `caption_lines` and `uncertain_lines`; a non-blank line in no list is content.
Uncertain lines count neither way. A line counts as flagged for a category when a violation of
a rule of that category covers it (blank lines inside a multi-line problem do not count).

Prints precision and recall per category and overall (junk of any kind, whatever the category),
and the flagged lines per 1,000 non-blank lines of a clean folder (default CORPUS/bbc-fulltext,
skipped when it does not exist). --show-errors lists each false alarm (FP) and miss (FN) with
the rules that flagged it and the line's text; --list-flagged DIR lists every flagged line of the
unlabelled files under DIR the same way (labels cover few files: read the rest for false alarms).

Then, when it is built, the L3S-GN1 benchmark (../shared/benchmarks/l3s-gn1: news pages of 392
sites through two extractors, labelled line by line): --l3s DIR, or $NEWSLINT_L3S, or
CORPUS/../benchmarks/l3s-gn1 (the folder rebuild.py writes articles/ and labels.jsonl to); a note
says so when none is built. It prints the table that set's measure.py prints: precision and recall
overall and per extractor folder (with and without user comments), recall per junk kind and the
rules behind the false alarms (with --show-errors, each false alarm too); and the scores on each
half of the sites (split by a hash of the domain): rules are developed on the "development"
half and checked on the "held-out" one. Its texts are for
research use only: they are read, never copied anywhere.
Exits 0 whatever the scores; 2 on bad input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslint import document
from newslint.errors import NewslintError
from newslint.linter import lint
from newslint.rules import load_rules

LABEL_KEYS = {"duplicate": "duplicate_paragraph_lines", "footer": "footer_lines", "caption": "caption_lines"}
JUNK = "junk"  # any category: what the overall scores count
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
PREVIEW = 100


class BadInput(Exception):
    """The labels, the corpus or the rules cannot be read: exit 2 with this message."""


@dataclass
class Flagged:
    """What the rules flag in one file: lines per category and the rules behind each line."""

    doc: document.Document
    lines: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    rules: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))


def flag(path: Path, rules) -> Flagged:
    try:
        doc = document.from_bytes(path.read_bytes(), str(path))
    except (OSError, document.DecodeError) as exc:
        raise BadInput(f"{path}: {exc}") from None
    result = Flagged(doc)
    for v in lint(doc, rules):
        for n in range(v.line, v.end_line + 1):
            if not doc.line(n).is_blank:
                result.lines[v.category].add(n)
                result.lines[JUNK].add(n)
                result.rules[n].add(v.rule)
    return result


def read_labels(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read labels {path}: {exc}") from None
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise BadInput(f"{path}:{number}: not JSON: {exc}") from None
        problem = _record_problem(record)
        if problem:
            raise BadInput(f"{path}:{number}: {problem}")
        records.append(record)
    return records


def _record_problem(record) -> str | None:
    if not isinstance(record, dict):
        return "a record must be a JSON object"
    if not isinstance(record.get("file"), str):
        return "a record needs 'file', a path relative to the corpus"
    for key in (*LABEL_KEYS.values(), "uncertain_lines"):
        lines = record.get(key, [])
        if not isinstance(lines, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in lines
        ):
            return f"{key!r} must be a list of line numbers (1 or more)"
    return None


@dataclass
class Scores:
    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    flagged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    labelled: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, record: dict, found: Flagged) -> None:
        uncertain = set(record.get("uncertain_lines", []))
        truth = {cat: set(record.get(key, [])) - uncertain for cat, key in LABEL_KEYS.items()}
        truth[JUNK] = set().union(*truth.values())
        for cat in found.lines.keys() | truth.keys():
            predicted = found.lines.get(cat, set()) - uncertain
            expected = truth.get(cat, set())
            self.correct[cat] += len(predicted & expected)
            self.flagged[cat] += len(predicted)
            self.labelled[cat] += len(expected)
            if cat in truth:
                self.errors += [self._error("FP", cat, name, n, found) for n in sorted(predicted - expected)]
                self.errors += [self._error("FN", cat, name, n, found) for n in sorted(expected - predicted)]

    @staticmethod
    def _error(kind: str, cat: str, name: str, number: int, found: Flagged) -> str:
        lines = found.doc.lines
        text = lines[number - 1].text.strip() if number <= len(lines) else "(past the end of the file)"
        rules = ",".join(sorted(found.rules.get(number, ()))) or "-"
        return f"{kind} {cat:9} {name}:{number} [{rules}] {text[:PREVIEW]}"

    def report(self) -> list[str]:
        out = [f"{'category':10} {'precision':>9} {'recall':>7} {'flagged':>8} {'labelled':>9} {'correct':>8}"]
        for cat in (*LABEL_KEYS, JUNK):
            out.append(
                f"{'overall' if cat == JUNK else cat:10} {_ratio(self.correct[cat], self.flagged[cat]):>9} "
                f"{_ratio(self.correct[cat], self.labelled[cat]):>7} {self.flagged[cat]:>8} "
                f"{self.labelled[cat]:>9} {self.correct[cat]:>8}"
            )
        for cat in sorted(set(self.flagged) - set(LABEL_KEYS) - {JUNK}):
            out.append(f"{cat:10} (not labelled: {self.flagged[cat]} lines flagged)")
        return out


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "  -  "


def article_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md", ".markdown") and p.is_file())


def flagged_listing(folder: Path, rules, skip: set[Path]) -> list[str]:
    """Every flagged line of `folder`'s articles but those in `skip`, for reading false alarms."""
    out = []
    for path in article_files(folder):
        if path.resolve() in skip:
            continue
        found = flag(path, rules)
        out += [Scores._error("FLAG", JUNK, str(path), n, found) for n in sorted(found.lines[JUNK])]
    return out


def clean_rate(folder: Path, rules, show_errors: bool) -> tuple[str, list[str]]:
    """One line reporting flagged lines per 1,000 non-blank lines of `folder`, and the flags."""
    files = article_files(folder)
    total = flagged = 0
    errors = []
    for path in files:
        found = flag(path, rules)
        total += sum(1 for line in found.doc.lines if not line.is_blank)
        flagged += len(found.lines[JUNK])
        if show_errors:
            errors += [Scores._error("CLEAN", JUNK, str(path), n, found) for n in sorted(found.lines[JUNK])]
    rate = 1000 * flagged / total if total else 0.0
    return (
        f"Clean folder {folder.name}: {flagged} flagged of {total} lines in {len(files)} files = {rate:.2f} per 1,000",
        errors,
    )


def l3s_folder(args) -> Path | None:
    """The L3S-GN1 folder to score (None: none asked for and none built). One named by --l3s or
    $NEWSLINT_L3S must hold labels.jsonl."""
    if args.no_l3s:
        return None
    named = args.l3s or (Path(os.environ["NEWSLINT_L3S"]) if os.environ.get("NEWSLINT_L3S") else None)
    if named is not None:
        if not (named / "labels.jsonl").is_file():
            raise BadInput(f"L3S-GN1 folder {named} has no labels.jsonl (build it with rebuild.py)")
        return named
    default = args.corpus.parent / "benchmarks" / "l3s-gn1"
    return default if (default / "labels.jsonl").is_file() else None


def l3s_report(folder: Path, rules, show_errors: bool) -> list[str]:
    """measure.py's table for the L3S-GN1 set in `folder`: junk lines flagged are hits, content
    lines flagged false alarms, uncertain lines count neither way."""
    try:
        records = [
            json.loads(line)
            for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BadInput(f"cannot read {folder / 'labels.jsonl'}: {exc}") from None
    groups: dict[str, Counter] = defaultdict(Counter)
    kind_recall: dict[str, Counter] = defaultdict(Counter)
    fp_rules: Counter = Counter()
    errors = []
    for record in records:
        try:
            path, extractor = folder / record["file"], record["extractor"]
            junk, content = record["junk_lines"], record["content_lines"]
            kind_of = {n: kind for kind, numbers in record["junk_kinds"].items() for n in numbers}
        except (KeyError, TypeError, AttributeError):
            raise BadInput(f"{folder / 'labels.jsonl'}: not an L3S-GN1 labels record: {str(record)[:80]}") from None
        found = flag(path, rules)
        flagged = found.lines[JUNK]
        for key in ("all", extractor, f"{site_half(record.get('site', ''))} sites"):
            for group in (groups[key], groups[key + ", without user comments"]):
                comments = group is groups[key + ", without user comments"]
                group["tp"] += sum(1 for n in junk if n in flagged and not (comments and kind_of.get(n) == "comments"))
                group["fn"] += sum(
                    1 for n in junk if n not in flagged and not (comments and kind_of.get(n) == "comments")
                )
                group["fp"] += sum(1 for n in content if n in flagged)
        for n in junk:
            kind_recall[kind_of.get(n, "?")]["tp" if n in flagged else "fn"] += 1
        for n in content:
            if n in flagged:
                fp_rules.update(found.rules[n])
                if show_errors:
                    errors.append(Scores._error("FP", "l3s", record["file"], n, found))
    out = [f"L3S-GN1 ({folder}): {len(records)} files"]
    for key in sorted(groups, key=lambda k: (k.split(",")[0] != "all", k.split(",")[0].endswith(" sites"), k)):
        g = groups[key]
        out.append(f"{key:40s} {_measure(g['tp'], g['fp'], g['fn'])}")
    out.append("recall per junk kind:")
    for kind, c in sorted(kind_recall.items(), key=lambda kv: -sum(kv[1].values())):
        out.append(f"  {kind:14s} {c['tp']:5d} / {c['tp'] + c['fn']:5d} = {c['tp'] / (c['tp'] + c['fn']):.3f}")
    out.append(f"rules behind false alarms: {dict(fp_rules.most_common())}")
    return out + errors


def site_half(site: str) -> str:
    """Which half of L3S-GN1 a site is in: rules are developed on one half of the sites and held
    to the other, which they were not tuned on (a rule that only helps the sites it was written
    from is overfitted). The halves are fixed by a hash of the site's domain."""
    return "development" if hashlib.md5(site.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def _measure(tp: int, fp: int, fn: int) -> str:
    p = f"{tp / (tp + fp):.3f}" if tp + fp else "nan"
    r = f"{tp / (tp + fn):.3f}" if tp + fn else "nan"
    return f"P={p} R={r} (TP {tp}, FP {fp}, FN {fn})"


def run(args) -> list[str]:
    labels_path = args.labels or args.corpus / "labels.jsonl"
    if args.clean is not None and not args.clean.is_dir():
        raise BadInput(f"clean folder {args.clean} does not exist or is not a folder")
    clean = args.clean or args.corpus / "bbc-fulltext"
    try:
        rules = [r for r in load_rules(args.rules) if r.enabled]
    except NewslintError as exc:
        raise BadInput(str(exc)) from None
    records = read_labels(labels_path)
    if args.selection:
        records = [r for r in records if r.get("selection") == args.selection]
    scores = Scores()
    for record in records:
        scores.add(record["file"], record, flag(args.corpus / record["file"], rules))
    selection = f" (selection: {args.selection})" if args.selection else ""
    out = [f"Labelled files: {len(records)}{selection}", *scores.report()]
    errors = scores.errors if args.show_errors else []
    if clean.is_dir():
        line, clean_errors = clean_rate(clean, rules, args.show_errors)
        out.append(line)
        errors += clean_errors
    if args.list_flagged is not None:
        if not args.list_flagged.is_dir():
            raise BadInput(f"folder {args.list_flagged} does not exist or is not a folder")
        labelled = {(args.corpus / r["file"]).resolve() for r in records}
        errors += flagged_listing(args.list_flagged, rules, labelled)
    l3s = l3s_folder(args)
    if l3s is None:
        out.append("L3S-GN1: not built (see ../shared/benchmarks/l3s-gn1/SOURCES.md; then --l3s DIR or $NEWSLINT_L3S)")
        return out + errors
    return out + errors + l3s_report(l3s, rules, args.show_errors)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="folder the labels' file paths are relative to"
    )
    parser.add_argument("--labels", type=Path, help="labels file (default: CORPUS/labels.jsonl)")
    parser.add_argument("--clean", type=Path, help="a clean folder (default: CORPUS/bbc-fulltext)")
    parser.add_argument("--selection", help="only labelled files of this selection (e.g. random)")
    parser.add_argument("--rules", action="append", default=[], help="extra rule folder")
    parser.add_argument("--show-errors", action="store_true", help="list every false positive and miss")
    parser.add_argument(
        "--list-flagged",
        type=Path,
        metavar="DIR",
        help="also list every flagged line of DIR's unlabelled files, to read them for false alarms",
    )
    parser.add_argument(
        "--l3s", type=Path, metavar="DIR", help="the L3S-GN1 folder rebuild.py wrote (default: $NEWSLINT_L3S)"
    )
    parser.add_argument("--no-l3s", action="store_true", help="score the labelled corpus only")
    args = parser.parse_args(argv)
    try:
        lines = run(args)
    except BadInput as exc:
        print(f"quality: {exc}", file=sys.stderr)
        return 2
    try:
        print("\n".join(lines))
    except BrokenPipeError:  # piped into head: the reader has what it wanted
        sys.stdout = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
