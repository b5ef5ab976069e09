"""Repeats across articles: the archive's index of units, and in each article checked, the units
another article holds too (the cross-article rules, checks/cross_article.py).

- **The archive** is every article of the run's repository, found as a folder walk finds them
  (`exclude`, .gitignore and .ignore files apply; no link is followed out of the tree): the
  folder of the config file in use, plus the paths checked; without a config file, the paths
  checked alone. So a pre-commit hook, which is given only the changed files, still finds a
  paragraph that an unchanged article of the repository holds, once the repository has a config.
  Dataset files are not in it: their records are checked one by one (datasets/).
- **Each article's units** (fingerprint, place, and whether a suppression comment covers it)
  are worked out from its bytes by article_units, in the workers, and kept in the cache's table
  of units under the content hash of those bytes. A run reads and hashes every article of the
  archive (nothing in the cache is trusted to say a file did not change), but works out again
  only the articles whose bytes changed: the index is updated incrementally.
- **The index** keeps every unit in flat arrays (21 bytes a unit, not a Python object
  each), so an archive of a million articles fits in a few hundred MB; the fingerprints held by
  two articles or more are found with two bit sets and one pass, before any dict is built.
- **Reported**: in an article checked, each unit another article holds too (not suppressed
  there, its rule not ignored for the file by per-file-ignores), naming the first other article
  in the archive's order (the walk's) as `related`, and how many hold it.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from newslint import per_file
from newslint.cache import content_hash
from newslint.checks.cross_article import CrossArticleCheck
from newslint.datasets.fields import is_dataset
from newslint.discovery import discover
from newslint.filters import ArticleData, UnitData, article_units
from newslint.reading import max_file_bytes
from newslint.rules import rule_set_identity
from newslint.violations import Span, Violation
from newslint.workers import Jobs, Mapper, as_mapper

if TYPE_CHECKING:
    from newslint.cache import Cache, Table
    from newslint.filters import Plan
    from newslint.per_file import FileReport
    from newslint.rules import Rule

_MAX_FINGERPRINT = 1 << 64


def units_of_bytes(item: tuple[str, bytes], plan: Plan) -> ArticleData | None:
    """article_units of a file's bytes (a worker's task), or None if they are not text."""
    path, data = item
    document, _ = per_file.document_of(path, data)
    return None if document is None else article_units(document, plan)


def decoder(plan: Plan) -> Callable[[str, Any], ArticleData | None]:
    """How the cache's table of units is read back: data of the shape article_units gives for
    this plan, every number in range, else a miss."""
    rules = len(plan.cross_article_rules)

    def decode(path: str, data: Any) -> ArticleData | None:
        if not isinstance(data, list) or len(data) != rules:
            return None
        for units in data:
            if not isinstance(units, list):
                return None
            for unit in units:
                if not _is_unit(unit):
                    return None
        return data

    return decode


def _is_unit(unit: Any) -> bool:
    if not isinstance(unit, list) or len(unit) != 6 or not all(type(n) is int for n in unit):
        return False
    fingerprint, line, column, end_line, end_column, reportable = unit
    return (
        0 <= fingerprint < _MAX_FINGERPRINT
        and 1 <= line <= end_line
        and column == 1  # a unit is whole lines (checks/cross_article.py): the index keeps no column
        and end_column >= 1
        and reportable in (0, 1)
    )


def archive_paths(plan: Plan, checked: Sequence[str], ignore_files: bool) -> list[str]:
    """The articles of the archive (see the module's docstring), in the walk's order: the
    repository's, then the paths checked that are not among them. Each path checked keeps the
    name it is checked under."""
    found: list[str] = []
    if plan.config.source is not None:
        # Named from the current folder when the repository is in it, as `newslint check .` names them.
        root = plan.config.root
        inside = os.path.commonpath([root, os.getcwd()]) == os.getcwd()
        found, _ = discover([os.path.relpath(root) if inside else root], plan.config.file_filter(), False, ignore_files)
    checked_by_key = {_key(path): path for path in checked}
    archive = [checked_by_key.pop(_key(path), path) for path in found]
    archive.extend(path for path in checked if _key(path) in checked_by_key)
    return [path for path in archive if not is_dataset(path)]


def _key(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


class _RuleUnits:
    """The units of one cross-article rule over the archive, in flat arrays, article by article."""

    def __init__(self) -> None:
        # Where each article's units start, and one past the last: article n's units are
        # starts[n]:starts[n + 1] (an article number per unit would cost 4 bytes a unit more).
        self.starts = array("Q", [0])
        self.fingerprint = array("Q")
        self.place = array("I")  # line, end line, end column: three per unit (its column is 1)
        self.reportable = bytearray()
        self.shared: dict[int, list[int]] = {}  # fingerprint -> its units, for those in two articles or more
        self._articles_holding: dict[int, int] = {}

    def add(self, units: list[UnitData]) -> None:
        """Add the next article's units."""
        for fingerprint, line, _column, end_line, end_column, reportable in units:
            self.fingerprint.append(fingerprint)
            self.place.extend((line, end_line, end_column))
            self.reportable.append(reportable)
        self.starts.append(len(self.fingerprint))

    def article_of(self, unit: int) -> int:
        return bisect_right(self.starts, unit) - 1

    def holds(self, article: int, units: list[int]) -> bool:
        """Whether any of `units` (in order) is one of `article`'s."""
        at = bisect_left(units, self.starts[article])
        return at < len(units) and units[at] < self.starts[article + 1]

    def articles_holding(self, fingerprint: int) -> int:
        """How many articles hold a unit of `fingerprint` (one of `shared`'s), counted once each:
        a paragraph in every article of a large archive is asked for by each of them."""
        count = self._articles_holding.get(fingerprint)
        if count is None:
            count = self._articles_holding[fingerprint] = len(set(map(self.article_of, self.shared[fingerprint])))
        return count

    def find_shared(self) -> None:
        """Fill `shared`: a first pass marks, in bit sets, the hashed fingerprints seen once and
        again; only the units whose bit was seen again go into a dict, and of those, the
        fingerprints held by two articles or more stay."""
        fingerprints = self.fingerprint
        bits = 1 << max(16, (8 * len(fingerprints)).bit_length())  # at most one unit in eight per bit
        mask = bits - 1
        seen, again = bytearray(bits >> 3), bytearray(bits >> 3)
        for fingerprint in fingerprints:
            slot = fingerprint & mask
            byte, bit = slot >> 3, 1 << (slot & 7)
            if seen[byte] & bit:
                again[byte] |= bit
            else:
                seen[byte] |= bit
        candidates: dict[int, list[int]] = {}
        for unit, fingerprint in enumerate(fingerprints):
            slot = fingerprint & mask
            if again[slot >> 3] & (1 << (slot & 7)):
                candidates.setdefault(fingerprint, []).append(unit)
        article_of = self.article_of
        self.shared = {
            fingerprint: units
            for fingerprint, units in candidates.items()
            if len(units) > 1 and article_of(units[-1]) != article_of(units[0])  # (units are in order)
        }

    def span(self, unit: int, path: str | None = None) -> Span:
        line, end_line, end_column = self.place[3 * unit : 3 * unit + 3]
        return Span(line, 1, end_line, end_column, path)


class ArchiveIndex:
    """Every article's units for the plan's cross-article rules, and what each article repeats."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.paths: list[str] = []
        self.number: dict[str, int] = {}  # by the name an article is checked under
        self.rules = [_RuleUnits() for _ in plan.cross_article_rules]

    def add(self, path: str, data: ArticleData) -> None:
        self.number[path] = len(self.paths)
        for units, rule_units in zip(data, self.rules, strict=True):
            rule_units.add(units)
        self.paths.append(path)

    def finish(self) -> None:
        for rule_units in self.rules:
            rule_units.find_shared()

    def repeats_in(self, path: str, data: ArticleData | None = None) -> list[Violation]:
        """The problems of the cross-article rules in the article checked as `path`: its units
        (as the index holds them, or `data`: those of the article as fixed) that another
        article holds too. Sorted, as a file's problems are."""
        number = self.number.get(path)
        if number is None:
            return []
        ignored = self.plan.ignored_for(path)
        found = []
        for position, rule in enumerate(self.plan.cross_article_rules):
            if rule.name in ignored:
                continue
            rule_units = self.rules[position]
            starts = rule_units.starts
            units = (
                data[position]
                if data is not None
                else [self._unit_data(rule_units, unit) for unit in range(starts[number], starts[number + 1])]
            )
            for unit in units:
                if unit[5]:
                    violation = self._repeat(rule, rule_units, number, unit)
                    if violation is not None:
                        found.append(violation)
        found.sort()
        return found

    def add_repeats(self, report: FileReport) -> FileReport:
        """A file's report with its repeats among its problems (a pass of pipeline.py, the
        first): with --fix or --diff, those of the text as fixed."""
        if not report.checked:
            return report
        repeats = self.repeats_in(report.path, None if report.fix is None else report.fix.units)
        return report._replace(violations=sorted(report.violations + repeats)) if repeats else report

    @staticmethod
    def _unit_data(rule_units: _RuleUnits, unit: int) -> UnitData:
        line, end_line, end_column = rule_units.place[3 * unit : 3 * unit + 3]
        return [rule_units.fingerprint[unit], line, 1, end_line, end_column, rule_units.reportable[unit]]

    def _repeat(self, rule: Rule, rule_units: _RuleUnits, number: int, unit: UnitData) -> Violation | None:
        holders = rule_units.shared.get(unit[0])
        if holders is None:
            return None
        # The first unit of another article: this article's units are one run of the list (it
        # is in archive order), so this looks at no more than that run.
        first = next((other for other in holders if rule_units.article_of(other) != number), None)
        if first is None:
            return None
        other_path = self.paths[rule_units.article_of(first)]
        articles = rule_units.articles_holding(unit[0]) - rule_units.holds(number, holders)
        span = Span(unit[1], unit[2], unit[3], unit[4])
        related = rule_units.span(first, other_path)
        more = f" (and {articles - 1} more {'article' if articles == 2 else 'articles'})" if articles > 1 else ""
        kind = "Paragraph" if cast(CrossArticleCheck, rule.check).options["unit"] == "paragraph" else "Line"
        values = {
            "repeat": f"{kind} also in {other_path}:{related.line}{more}",
            "other": other_path,
            "other_line": related.line,
            "articles": articles,
        }
        message = rule.message.format(match="", **values)
        # The baseline knows a problem by its text: here the fingerprint of the unit's
        # normalised text, which the index keeps in place of the text.
        return Violation.at(self.paths[number], span, rule, message, related=(related,), text=f"{unit[0]:016x}")


def example_repeats(rule: Rule, text: str, others: Sequence[str], path: str) -> list[Violation]:
    """What the cross-article `rule` reports in a rule file's example: an archive of a file
    `path` holding `text`, then files holding `others` (named other-1.txt, ...), checked
    together (`newslint check --select RULE path other-1.txt ...`): every file's problems."""
    from newslint.config import Config
    from newslint.document import from_text
    from newslint.filters import Plan

    plan = Plan(Config(root=os.getcwd()), [rule], [rule], frozenset({rule.name}), None)
    index = ArchiveIndex(plan)
    names = [path, *(f"other-{number}.txt" for number in range(1, len(others) + 1))]
    for name, article in zip(names, [text, *others], strict=True):
        index.add(name, article_units(from_text(article, name), plan))
    index.finish()
    return [violation for name in names for violation in index.repeats_in(name)]


def units_table(cache: Cache, namespace: str, plan: Plan) -> Table[ArticleData]:
    """The cache's table of articles' units for `plan`'s cross-article rules: they depend on
    those rules and on every rule name a suppression comment may name."""
    key = [rule_set_identity(plan.cross_article_rules), sorted(plan.known_rules)]
    return cache.table(namespace, key, decoder(plan))


def archive_index(
    plan: Plan, checked: list[str], ignore_files: bool, jobs: Jobs, table: Table[ArticleData] | None
) -> ArchiveIndex:
    """The index of the archive of a run checking `checked` (see archive_paths), its units
    worked out in up to `jobs` processes (or on the cluster `jobs` is a mapper of)."""
    return build_index(archive_paths(plan, checked, ignore_files), plan, as_mapper(jobs), table, max_file_bytes())


def build_index(
    archive: list[str], plan: Plan, mapper: Mapper, table: Table[ArticleData] | None, max_bytes: int
) -> ArchiveIndex:
    """The index of `archive`'s articles: each read and hashed here, its units taken from
    `table` when it holds them for these bytes, else worked out by `mapper` (in the workers)
    and kept in `table`. An article that cannot be read or is not text is left out (if it is
    checked, its check says why)."""
    index = ArchiveIndex(plan)
    # Articles the table answered while an earlier one is still being worked out wait here;
    # the others go into the index at once (so a re-run the cache answers whole keeps nothing).
    answered: dict[int, ArticleData] = {}
    unanswered: deque[tuple[int, str]] = deque()  # position and hash of each article handed to the workers
    following = 0  # the next position of the archive to add to the index

    def add_answered(until: int) -> None:
        # Those before `until` were all read by now (the mapper takes items in order, in this
        # thread): each is answered by the table, or was left out.
        nonlocal following
        for position in range(following, until):
            data = answered.pop(position, None)
            if data is not None:
                index.add(archive[position], data)
        following = until

    def to_work_out() -> Iterator[tuple[str, bytes]]:
        for position, path in enumerate(archive):
            data, _, _ = per_file.read_file(path, max_bytes)
            if data is None:
                continue
            digest = content_hash(data)
            entry = None if table is None else table.get(path)
            if entry is None or entry[0] != digest:
                unanswered.append((position, digest))
                yield path, data
            elif unanswered:
                answered[position] = entry[1]
            else:
                add_answered(position)
                index.add(path, entry[1])
                add_answered(position + 1)

    for data in mapper(partial(units_of_bytes, plan=plan), to_work_out(), size=lambda item: len(item[1])):
        position, digest = unanswered.popleft()
        add_answered(position)
        if data is not None:
            index.add(archive[position], data)
            if table is not None:
                table.put(archive[position], digest, data)
        add_answered(position + 1)
    add_answered(len(archive))
    index.finish()
    return index
