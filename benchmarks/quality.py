#!/usr/bin/env python3
"""Line-level precision and recall of newslint's rules against hand labels.

    python benchmarks/quality.py [--corpus ../shared/corpus] [--labels FILE] [--clean DIR]
                                 [--selection random] [--rules DIR] [--show-errors]

Labels use the format of ../shared/corpus/labels.jsonl: one JSON object per file with
`duplicate_paragraph_lines`, `footer_lines`, `caption_lines` and `uncertain_lines` (1-based line
numbers). Uncertain lines count neither way. A line counts as flagged for a category when a
violation of a rule of that category covers it.

Prints precision and recall per category and overall (junk of any kind), and the flagged lines
per 1,000 non-blank lines of a clean folder. Exits 0 whatever the scores; 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newslint import document  # noqa: E402
from newslint.errors import NewslintError  # noqa: E402
from newslint.linter import lint  # noqa: E402
from newslint.rules import load_rules  # noqa: E402

LABEL_KEYS = {"duplicate": "duplicate_paragraph_lines", "footer": "footer_lines", "caption": "caption_lines"}
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def flagged_lines(path: Path, rules) -> dict[str, set[int]]:
    """The non-blank lines each category's violations cover (labels never name blank lines, and
    a problem spanning several paragraphs covers the blank lines between them)."""
    doc = document.from_bytes(path.read_bytes(), str(path))
    by_category: dict[str, set[int]] = defaultdict(set)
    for v in lint(doc, rules):
        by_category[v.category].update(n for n in range(v.line, v.end_line + 1) if not doc.line(n).is_blank)
    return by_category


def ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "  -  "


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder the labels' file paths are relative to")
    parser.add_argument("--labels", type=Path, help="labels file (default: CORPUS/labels.jsonl)")
    parser.add_argument("--clean", type=Path, help="a clean folder (default: CORPUS/bbc-fulltext)")
    parser.add_argument("--selection", help="only labelled files of this selection (e.g. random)")
    parser.add_argument("--rules", action="append", default=[], help="extra rule folder")
    parser.add_argument("--show-errors", action="store_true", help="list every false positive and miss")
    args = parser.parse_args(argv)
    labels_path = args.labels or args.corpus / "labels.jsonl"
    clean = args.clean or args.corpus / "bbc-fulltext"
    try:
        rules = [r for r in load_rules(args.rules) if r.enabled]
        records = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError, NewslintError) as exc:
        print(f"quality: cannot read input: {exc}", file=sys.stderr)
        return 2
    if args.selection:
        records = [r for r in records if r.get("selection") == args.selection]

    tp = defaultdict(int)
    predicted = defaultdict(int)
    labelled = defaultdict(int)
    errors: list[str] = []
    for record in records:
        path = args.corpus / record["file"]
        try:
            flagged = flagged_lines(path, rules)
        except (OSError, document.DecodeError) as exc:
            print(f"quality: {path}: {exc}", file=sys.stderr)
            return 2
        uncertain = set(record.get("uncertain_lines", []))
        truth = {cat: set(record.get(key, [])) - uncertain for cat, key in LABEL_KEYS.items()}
        truth["junk"] = set().union(*truth.values())
        flagged = {cat: lines - uncertain for cat, lines in flagged.items()}
        flagged["junk"] = set().union(*flagged.values()) if flagged else set()
        for cat in list(LABEL_KEYS) + ["junk"]:
            pred = flagged.get(cat, set())
            tp[cat] += len(pred & truth[cat])
            predicted[cat] += len(pred)
            labelled[cat] += len(truth[cat])
            if args.show_errors:
                for line in sorted(pred - truth[cat]):
                    errors.append(f"FP {cat:9} {record['file']}:{line}")
                for line in sorted(truth[cat] - pred):
                    errors.append(f"FN {cat:9} {record['file']}:{line}")
        for cat in flagged:
            if cat not in LABEL_KEYS and cat != "junk":
                predicted[cat] += len(flagged[cat])

    print(f"Labelled files: {len(records)}" + (f" (selection: {args.selection})" if args.selection else ""))
    print(f"{'category':10} {'precision':>9} {'recall':>7} {'flagged':>8} {'labelled':>9} {'correct':>8}")
    for cat in list(LABEL_KEYS) + ["junk"]:
        name = "overall" if cat == "junk" else cat
        print(
            f"{name:10} {ratio(tp[cat], predicted[cat]):>9} {ratio(tp[cat], labelled[cat]):>7} "
            f"{predicted[cat]:>8} {labelled[cat]:>9} {tp[cat]:>8}"
        )
    for cat in sorted(c for c in predicted if c not in LABEL_KEYS and c != "junk"):
        print(f"{cat:10} (not labelled: {predicted[cat]} lines flagged)")

    if clean.is_dir():
        files = sorted(clean.glob("*.txt"))
        lines = flagged_count = 0
        for path in files:
            text = path.read_bytes()
            lines += sum(1 for ln in text.decode("utf-8", "replace").splitlines() if ln.strip())
            flagged = flagged_lines(path, rules)
            count = len(set().union(*flagged.values())) if flagged else 0
            flagged_count += count
            if args.show_errors and count:
                errors.append(f"CLEAN {path}: {sorted(set().union(*flagged.values()))}")
        per_thousand = 1000 * flagged_count / lines if lines else 0.0
        print(f"Clean folder {clean.name}: {flagged_count} flagged of {lines} lines in {len(files)} files = {per_thousand:.2f} per 1,000")
    if errors:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
