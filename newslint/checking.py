"""Stage 4 over a run's files (see pipeline.py): each file checked or fixed by the per-file tasks
(per_file.py) in worker processes (workers.map_in_order) or on a Dask cluster (cluster.py),
answered from the result cache where it can be, and given on as a FileReport, one file at a
time, in the order of discovery, as the results come. No file waits for the whole run: the
first file's result reaches the report while later files are still being checked.

With the result cache (or a cluster), this process reads each file once and hashes it: a file
the cache answers is not checked again (a re-run of an unchanged archive starts no worker), and
a file it does not answer is handed over with the bytes read, so what is kept is the result of
exactly the bytes hashed. A file answered here waits only for the files before it that are
still being checked; when more than MAX_ANSWERED_WAITING answered files wait so, no more files
are read until those are done (the workers finish what they hold, and the next files start a
new round), so what waits in memory stays bounded however the answered and the checked files
alternate. Files that could not be checked are never kept (the reason may be passing: a
permission, a file being written).

Some of the files may be checked whole by another task in the same workers, beside the
articles (`WholeFiles`: datasets/run.py's small datasets), so that a folder that mixes them
uses every core.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping
from functools import partial
from typing import Any, NamedTuple

from newslint import per_file
from newslint.cache import Table, content_hash
from newslint.filters import Plan
from newslint.lineranges import LineRanges
from newslint.per_file import FileReport, FileResult, FixMode
from newslint.reading import max_file_bytes
from newslint.violations import Violation
from newslint.workers import Jobs, Mapper, as_mapper, map_in_order

# Files the cache answered that may wait, in this process, for earlier files still being
# checked (each holds its problems): past this, reading stops until the checks catch up.
MAX_ANSWERED_WAITING = 4096


class WholeFiles(NamedTuple):
    """Files among a run's articles that `task` checks whole (in a worker, like an article),
    giving their FileReport: those `takes` says (a module-level function: it goes to workers)."""

    takes: Callable[[str], bool]
    task: Callable[[str], FileReport]


def check_files(
    paths: list[str],
    plan: Plan,
    fix: FixMode | None,
    jobs: Jobs,
    table: Table[list[Violation]] | None = None,
    changed: Mapping[str, LineRanges] | None = None,
    whole: WholeFiles | None = None,
) -> Generator[FileReport, None, None]:
    """Check `paths` (with `fix`, fix them) in up to `jobs` processes (or with the cluster's
    mapper `jobs` is: cluster.py), answering from `table` each file whose bytes it holds a
    result for and keeping there the others'. With `changed` (--diff-base), `fix` fixes only
    the problems on the lines it gives for a file. Gives each file's report, in the order of
    `paths`, as its result comes."""
    if table is None:
        plan.gate.expect(len(paths))
    if table is not None or not isinstance(jobs, int):  # (cluster.jobs_for refuses --fix and --diff)
        # This process reads the files: for the cache, or to send them to a cluster.
        yield from _check_with_cache(paths, plan, as_mapper(jobs), table, whole)
        return
    task: Callable[[Any], FileResult]
    max_bytes = max_file_bytes()
    if fix is not None:
        task = partial(per_file.fix_file, plan=plan, mode=fix, max_bytes=max_bytes, changed=changed)
    else:
        task = partial(per_file.check_file, plan=plan, max_bytes=max_bytes)
    for path, result in zip(paths, map_in_order(_with_whole(task, whole), paths, jobs), strict=True):
        yield _report(path, result)


def _with_whole(task: Callable[[Any], FileResult], whole: WholeFiles | None) -> Callable[[Any], Any]:
    if whole is None:
        return task
    return partial(_article_or_whole, article=task, takes=whole.takes, other=whole.task)


def _article_or_whole(
    item: Any, article: Callable[[Any], FileResult], takes: Callable[[str], bool], other: Callable[[str], FileReport]
) -> FileResult | FileReport:
    """The task of one item: a path, or an article's (path, bytes, hash)."""
    path = item if isinstance(item, str) else item[0]
    return other(path) if takes(path) else article(item)


def _report(path: str, result: FileResult | FileReport) -> FileReport:
    return result if isinstance(result, FileReport) else FileReport.of(path, result)


class _Slot:
    """A file read, in its place in the order: its report once there is one."""

    __slots__ = ("digest", "path", "report")

    def __init__(self, path: str, digest: str | None = None, report: FileReport | None = None):
        self.path = path
        self.digest = digest  # the hash of the bytes handed over (None: not kept in the cache)
        self.report = report


class _Reader:
    """Reads a run's files in order for _check_with_cache, a round at a time: answers those the
    table can and gives the others to check; a round ends when too many answered files wait."""

    def __init__(self, paths: list[str], plan: Plan, table: Table[list[Violation]] | None, whole: WholeFiles | None):
        self.files = iter(paths)
        self.plan, self.table, self.whole = plan, table, whole
        self.max_bytes = max_file_bytes()
        self.handed = 0  # files handed over to be checked, in every round
        self.more = True  # whether files are left for another round
        self.order: deque[_Slot] = deque()  # the files read, in order, not yet given on
        self.waiting: deque[_Slot] = deque()  # those handed over, whose results are to come
        self.answered = 0  # slots of `order` that have their report

    def round(self) -> Iterator[Any]:
        """The items to check of the next files, until the files or the round end."""
        self.more = False
        for path in self.files:
            if self.whole is not None and self.whole.takes(path):
                item: Any = path
                slot = _Slot(path)
            else:
                data, _, error = per_file.read_file(path, self.max_bytes)
                digest = None if data is None else content_hash(data)
                entry = None if self.table is None or data is None else self.table.get(path)
                if data is None or (entry is not None and entry[0] == digest):
                    result = FileResult([], error=error) if entry is None else FileResult(entry[1])
                    self.order.append(_Slot(path, report=FileReport.of(path, result)))
                    self.answered += 1
                    if self.answered > MAX_ANSWERED_WAITING:
                        self.more = True
                        return
                    continue
                item, slot = (path, data, digest), _Slot(path, digest)
            self.order.append(slot)
            self.waiting.append(slot)
            self.handed += 1
            # The gate prepares for as many documents as will be checked, not as many as were
            # found: a re-run that checks a few files again never builds its set. (It is told
            # before any is checked: map_in_order takes the first files before it starts.)
            self.plan.gate.expect(self.handed)
            yield item

    def checked(self, result: FileResult | FileReport) -> Iterator[FileReport]:
        """The result of the next file handed over, kept in the table; and the reports now
        at the head of the order."""
        slot = self.waiting.popleft()
        slot.report = _report(slot.path, result)
        self.answered += 1
        if self.table is not None and slot.digest is not None and isinstance(result, FileResult):
            if result.error is None:
                self.table.put(slot.path, slot.digest, [v.to_data() for v in result.violations])
        yield from self.ready()

    def ready(self) -> Iterator[FileReport]:
        while self.order and (report := self.order[0].report) is not None:
            self.order.popleft()
            self.answered -= 1
            yield report


def _check_with_cache(
    paths: list[str], plan: Plan, mapper: Mapper, table: Table[list[Violation]] | None, whole: WholeFiles | None
) -> Iterator[FileReport]:
    """Each file's report, in order: the table's result when it holds one for the file's
    bytes, else what check_bytes finds (run by `mapper`, as workers.map_in_order), which is
    then kept in the table. Rounds of `mapper`, each ended when too many answered files wait
    (see the module's docstring)."""
    reader = _Reader(paths, plan, table, whole)
    task = _with_whole(partial(per_file.check_bytes, plan=plan), whole)
    while reader.more:
        for result in mapper(task, reader.round(), size=_size):
            yield from reader.checked(result)
        yield from reader.ready()  # the round's files after the last one checked: all answered
        assert not reader.order  # every file handed over has been given back


def _size(item: Any) -> int:
    return len(item[1]) if isinstance(item, tuple) else 0
