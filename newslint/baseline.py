"""A baseline: the problems an archive already has, recorded so a run reports only new ones.

An entry is (file, rule, hash of the flagged text) with a count, never a line number, so
it survives edits elsewhere in the file; the count covers the same text flagged more than once
in one file. File paths are stored relative to the baseline file's folder with "/" separators,
so the file works from any current folder and on any system. (The text hash is stored under
the name "fingerprint", as baseline files have always had it.)

    {"version": 1, "entries": [{"path": "a/b.txt", "rule": "site-footer",
                                "fingerprint": "3f2a...", "count": 1}, ...]}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newslint.errors import NewslintError
from newslint.globs import relative_to
from newslint.violations import Violation

BASELINE_VERSION = 1
# Far more than a baseline of a million problems takes; anything larger (or /dev/zero) is not read.
MAX_BASELINE_BYTES = 512 << 20
TEXT_HASH_LENGTH = 16  # hex digits of SHA-256: collisions within one file and rule are not a concern

Key = tuple[str, str, str]  # (path relative to the baseline's folder, rule, text hash)


class BaselineError(NewslintError):
    """A baseline file that cannot be read or written."""


def text_hash(violation: Violation) -> str:
    """A hash of what a violation flags: its rule and its text with spacing normalised,
    so re-wrapping or moving a paragraph does not change it. The message stands in for checks
    that flag no text."""
    import hashlib  # here, not at the top: a run that hashes no text need not load OpenSSL

    text = " ".join((violation.text or violation.message).split())
    return hashlib.sha256(f"{violation.rule}\0{text}".encode()).hexdigest()[:TEXT_HASH_LENGTH]


@dataclass(frozen=True)
class BaselineMatch:
    new: list[Violation]  # not in the baseline: reported
    known: int  # recorded in the baseline: not reported
    stale: int  # entries of the checked files that no longer match a problem


@dataclass
class Baseline:
    path: str
    counts: Counter[Key] = field(default_factory=Counter)  # how many times each key is recorded

    @property
    def root(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def key(self, violation: Violation) -> Key:
        return relative_to(violation.path, self.root), violation.rule, text_hash(violation)

    @classmethod
    def load(cls, path: str) -> Baseline:
        from newslint.reading import SkippedFile, read_small_file

        try:
            data = json.loads(read_small_file(path, MAX_BASELINE_BYTES).decode("utf-8"))
        except FileNotFoundError:
            raise BaselineError("baseline file not found (create it with --update-baseline)", path) from None
        except OSError as exc:
            raise BaselineError(f"cannot read baseline file: {exc.strerror or exc}", path) from None
        except SkippedFile as exc:
            raise BaselineError(f"cannot use baseline file: {exc}", path) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BaselineError(f"not a newslint baseline: invalid JSON ({exc})", path) from None
        except RecursionError:  # json's decoder recurses once per nesting level
            raise BaselineError("not a newslint baseline: JSON nested too deeply", path) from None
        return cls(path, _counts(data, path))

    def filter(self, violations: Iterable[Violation], checked: Iterable[str]) -> BaselineMatch:
        """Split violations into those the baseline records and new ones (see BaselineRun),
        with the stale entries of the `checked` files."""
        run = BaselineRun(self)
        new = run.filter_file(violations)
        for path in checked:
            run.checked(path)
        return BaselineMatch(new, run.known, run.stale())

    def updated(self, violations: Iterable[Violation], checked: Iterable[str]) -> Baseline:
        """This baseline with the entries of the `checked` files replaced by `violations` (see
        BaselineRun.updated)."""
        run = BaselineRun(self, update=True)
        run.filter_file(violations)
        for path in checked:
            run.checked(path)
        return run.updated()

    def dumps(self) -> str:
        entries = [
            {"path": path, "rule": rule, "fingerprint": digest, "count": n}
            for (path, rule, digest), n in sorted(self.counts.items())
        ]
        return json.dumps({"version": BASELINE_VERSION, "entries": entries}, indent=2, ensure_ascii=False) + "\n"

    def write(self) -> None:
        """Write atomically: a reader never sees half a file, and a failed write leaves the old one."""
        from newslint.atomic_write import write_atomic  # here: it imports tempfile and shutil

        try:
            write_atomic(self.path, self.dumps().encode("utf-8"), create=True)
        except OSError as exc:
            raise BaselineError(f"cannot write baseline file: {exc.strerror or exc}", self.path) from None


class BaselineRun:
    """A run's baseline stage (filter step 5), file by file as the results pass: each file's
    problems matched against its own entries (an entry names one file), and at the end the
    stale entries said, or with `update` the problems found recorded. It keeps the baseline's
    counts and, with `update`, the keys found, never the problems themselves.

    Where a key is recorded n times, its first n violations (in file order) are known and any
    further ones are new. Entries of checked files that match nothing are stale: their problems
    were fixed, and --update-baseline would drop them.
    """

    def __init__(self, baseline: Baseline, update: bool = False):
        self.baseline = baseline
        self.update = update
        self.remaining = Counter(baseline.counts)  # what each key still matches
        self._recorded_files = {key[0] for key in baseline.counts}
        self._checked: set[str] = set()  # checked files that have entries (paths as entries name them)
        self.found: Counter[Key] = Counter()  # with update: the keys of the problems found
        self.problems = 0  # problems found
        self.known = 0  # problems the baseline records (not reported)

    def filter_file(self, violations: Iterable[Violation]) -> list[Violation]:
        """The problems of a file (or of several) the baseline does not record: to report. With
        `update`, all are recorded and all are given back."""
        new = []
        for violation in violations:
            key = self.baseline.key(violation)
            self.problems += 1
            if self.update:
                self.found[key] += 1
                new.append(violation)
            elif self.remaining[key] > 0:
                self.remaining[key] -= 1
                self.known += 1
            else:
                new.append(violation)
        return new

    def checked(self, path: str) -> None:
        """Say that the file `path` was checked: its entries that match nothing are stale (and
        with `update`, replaced by what was found in it)."""
        relative = relative_to(path, self.baseline.root)
        if relative in self._recorded_files:
            self._checked.add(relative)

    def stale(self) -> int:
        """The entries of checked files that matched no problem."""
        return sum(n for key, n in self.remaining.items() if n and key[0] in self._checked)

    def updated(self) -> Baseline:
        """The baseline with the entries of the checked files replaced by the problems found.

        Entries of files this run did not check are kept while the file exists, so updating
        from a run over part of an archive (as pre-commit runs) loses nothing.
        """
        root = self.baseline.root
        counts = Counter(
            {
                key: n
                for key, n in self.baseline.counts.items()
                if key[0] not in self._checked and os.path.exists(os.path.join(root, key[0]))
            }
        )
        counts.update(self.found)
        return Baseline(self.baseline.path, counts)

    def finish(self, notify: Callable[[str], None]) -> None:
        """Once every file has passed: with `update`, write the baseline; else say its stale
        entries to `notify`."""
        if self.update:
            updated = self.updated()
            updated.write()
            notify(f"recorded {self.problems} problems in {self.baseline.path} ({sum(updated.counts.values())} in all)")
            return
        stale = self.stale()
        if stale:
            entries = "entry matches" if stale == 1 else "entries match"
            notify(
                f"{stale} baseline {entries} no problem any more"
                f" (fixed? --update-baseline drops them from {self.baseline.path})"
            )


def load_or_empty(path: str) -> Baseline:
    """The baseline at `path`, or an empty one if there is no file yet (for --update-baseline)."""
    if not os.path.exists(path):
        return Baseline(path)
    return Baseline.load(path)


def _counts(data: object, path: str) -> Counter[Key]:
    def bad(why: str) -> BaselineError:
        return BaselineError(f"not a newslint baseline: {why}", path)

    if not isinstance(data, dict) or "entries" not in data:
        raise bad('expected an object with "version" and "entries"')
    if data.get("version") != BASELINE_VERSION:
        raise bad(f"unsupported version {data.get('version')!r} (this newslint reads version {BASELINE_VERSION})")
    entries = data["entries"]
    if not isinstance(entries, list):
        raise bad('"entries" must be a list')
    counts: Counter[Key] = Counter()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or set(entry) != {"path", "rule", "fingerprint", "count"}:
            raise bad(f'entry {i + 1} must have exactly "path", "rule", "fingerprint" and "count"')
        if not all(isinstance(entry[k], str) and entry[k] for k in ("path", "rule", "fingerprint")):
            raise bad(f'entry {i + 1}: "path", "rule" and "fingerprint" must be non-empty strings')
        count = entry["count"]
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise bad(f'entry {i + 1}: "count" must be a whole number of at least 1')
        counts[(entry["path"], entry["rule"], entry["fingerprint"])] += count
    return counts
