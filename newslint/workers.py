"""Run a per-file task (per_file.check_file, fix_file, check_bytes) over many files on several
cores, results in order.

Files go to the workers in chunks, so the cost of handing work over (pickling what the task is
given and what it returns) stays small beside the work. The task, with the rules bound into it,
is handed to each worker once, when it starts: on Linux the workers are forked and inherit it
with the rules already compiled; elsewhere it is pickled once per worker (rules pickle: a check
keeps its options, and google-re2's compiled patterns pickle as their pattern and options).
Results come back in the order the files were given, so the output is the same as with --jobs 1.

Items are taken from the caller as the workers need them, a few chunks ahead: what a task is
given may be a file's bytes (pipeline.py reads each file once, for the cache), and an archive's
bytes must not all wait in the parent's memory. A chunk ends at CHUNK_FILES items, or sooner
once the sizes the caller gives reach CHUNK_BYTES.

Starting workers costs more than checking a few files, so a run with few files (a pre-commit
run, a re-run where the cache holds almost everything) does its work in-process.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
# What runs a task over items, in order, as map_in_order does: called (task, items, size=...).
Mapper = Callable[..., Iterator[Any]]
# What a run's tasks are handed to: a number of worker processes, or a mapper of its own (a
# Dask cluster's, cluster.py).
Jobs = int | Mapper

# Below this many files, starting processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 64
# Files per chunk of work: enough that handing a chunk over is cheap beside the work, few
# enough that the cores stay evenly busy until the end.
CHUNK_FILES = 32
# A chunk of files whose sizes add up to this ends there, whatever its count: it bounds the
# bytes handed over at once (one file larger than this is a chunk of its own).
CHUNK_BYTES = 1 << 20
# Chunks handed over and not yet given back, per worker. Results are given in order, so a slow
# chunk holds back those after it: enough of them keep the other workers busy meanwhile.
CHUNKS_AHEAD_PER_WORKER = 4

# The task of a worker process, set by _start_worker. Items and results cross to and from the
# worker pickled, so their types are not known here.
_worker_task: Callable[[Any], Any] | None = None


def available_cores() -> int:
    """The cores this process may run on (affinity and cgroup CPU sets respected where known)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def as_mapper(jobs: Jobs) -> Mapper:
    """map_in_order in up to `jobs` processes, or the mapper `jobs` is."""
    return partial(map_in_order, jobs=jobs) if isinstance(jobs, int) else jobs


def map_in_order(
    task: Callable[[Item], Result], items: Iterable[Item], jobs: int, size: Callable[[Item], int] | None = None
) -> Iterator[Result]:
    """task(item) for each item, in order, using up to `jobs` processes. `task` must pickle
    (a module-level function, or a functools.partial of one) where workers are not forked.

    `items` is consumed lazily, as the workers need more: the caller may be reading files as
    it goes. `size` gives an item's size in bytes, to end a chunk at CHUNK_BYTES.
    """
    items = iter(items)
    first = list(itertools.islice(items, MIN_FILES_FOR_WORKERS))
    if jobs <= 1 or len(first) < MIN_FILES_FOR_WORKERS:
        return map(task, itertools.chain(first, items))
    return _map_in_processes(task, chunks(itertools.chain(first, items), size), jobs)


def _map_in_processes(task: Callable[[Item], Result], chunks: Iterator[list[Item]], jobs: int) -> Iterator[Result]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork is much the fastest way to start a worker that has the compiled rules, and is safe
    # here: newslint starts no threads before this. Elsewhere keep the platform's default.
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(task,))
    try:
        first = itertools.islice(chunks, jobs * CHUNKS_AHEAD_PER_WORKER)
        ahead = deque(executor.submit(_run_chunk, chunk) for chunk in first)
        while ahead:
            results = ahead.popleft().result()
            for chunk in itertools.islice(chunks, 1):  # one more in place of the one given back
                ahead.append(executor.submit(_run_chunk, chunk))
            yield from results
    except BrokenProcessPool as exc:
        raise RuntimeError(
            "a worker process stopped abruptly (killed, or out of memory?); --jobs 1 checks in one process"
        ) from exc
    finally:
        # On an error or Ctrl-C, drop the chunks not started; the workers finish theirs and exit.
        executor.shutdown(wait=True, cancel_futures=True)


def chunks(
    items: Iterator[Item], size: Callable[[Item], int] | None, max_files: int = 0, max_bytes: int = 0
) -> Iterator[list[Item]]:
    """`items` in lists of `max_files` (default CHUNK_FILES), or fewer once their sizes add up
    to `max_bytes` (default CHUNK_BYTES)."""
    max_files = max_files or CHUNK_FILES
    max_bytes = max_bytes or CHUNK_BYTES
    chunk: list[Item] = []
    total = 0
    for item in items:
        chunk.append(item)
        if size is not None:
            total += size(item)
        if len(chunk) == max_files or total >= max_bytes:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


def _start_worker(task: Callable[[Any], Any]) -> None:
    import signal

    # Ctrl-C reaches every process of the terminal's group; only the parent should act on it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent turns SIGTERM into an exception to end cleanly; a worker it reaches just stops.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _worker_task
    _worker_task = task


def _run_chunk(items: list[Any]) -> list[Any]:
    assert _worker_task is not None  # the pool starts every worker with _start_worker
    return [_worker_task(item) for item in items]
