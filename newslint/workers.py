"""Run a per-file task (check_file, fix_file) over many files on several cores, results in order.

Files go to the workers in chunks, so the cost of handing work over (pickling paths and what
the task returns) stays small beside the work. The task, with the rules bound into it, is handed
to each worker once, when it starts: on Linux the workers are forked and inherit it with the
rules already compiled; elsewhere it is pickled once per worker (rules pickle: a check keeps its
options, and google-re2's compiled patterns pickle as their pattern and options). Results come
back in the order the files were given, so the output is the same as with --jobs 1.

Starting workers costs more than checking a few files, so a run with few files (a pre-commit
run, a re-run where the cache holds almost everything) does its work in-process.
"""

from __future__ import annotations

import itertools
import os
import sys
from typing import Callable, Iterable, Iterator, TypeVar

Result = TypeVar("Result")

# Below this many files, starting processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 64
# Files per chunk of work: enough that handing a chunk over is cheap beside the work, few
# enough that the cores stay evenly busy until the end.
CHUNK_FILES = 32

_worker_task: Callable[[str], object] | None = None


def available_cores() -> int:
    """The cores this process may run on (affinity and cgroup CPU sets respected where known)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def map_in_order(task: Callable[[str], Result], paths: Iterable[str], jobs: int) -> Iterator[Result]:
    """task(path) for each path, in order, using up to `jobs` processes. `task` must pickle
    (a module-level function, or a functools.partial of one) where workers are not forked.

    `paths` is consumed lazily: the first chunks are being worked on while later paths are
    still being produced (the caller may be hashing files for the cache as it goes).
    """
    paths = iter(paths)
    first = list(itertools.islice(paths, MIN_FILES_FOR_WORKERS))
    if jobs <= 1 or len(first) < MIN_FILES_FOR_WORKERS:
        return map(task, itertools.chain(first, paths))
    return _map_in_processes(task, itertools.chain(first, paths), jobs)


def _map_in_processes(task: Callable[[str], Result], paths: Iterator[str], jobs: int) -> Iterator[Result]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork is much the fastest way to start a worker that has the compiled rules, and is safe
    # here: newslint starts no threads before this. Elsewhere keep the platform's default.
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(task,))
    try:
        futures = [executor.submit(_run_chunk, chunk) for chunk in _chunks(paths, CHUNK_FILES)]
        for future in futures:
            yield from future.result()
    except BrokenProcessPool as exc:
        raise RuntimeError(
            "a worker process stopped abruptly (killed, or out of memory?); --jobs 1 checks in one process"
        ) from exc
    finally:
        # On an error or Ctrl-C, drop the chunks not started; the workers finish theirs and exit.
        executor.shutdown(wait=True, cancel_futures=True)


def _chunks(items: Iterator[str], size: int) -> Iterator[list[str]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _start_worker(task: Callable[[str], object]) -> None:
    import signal

    # Ctrl-C reaches every process of the terminal's group; only the parent should act on it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent turns SIGTERM into an exception to end cleanly; a worker it reaches just stops.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _worker_task
    _worker_task = task


def _run_chunk(paths: list[str]) -> list[object]:
    return [_worker_task(path) for path in paths]
