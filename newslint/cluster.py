"""Running on a Dask cluster (`--scheduler ADDRESS`, or `--scheduler local` for a cluster of
worker processes on this machine). `newslint check` maps the same per-file task workers.py runs
(Session.map), the results in the same order, so the report is byte for byte the one a run on
one machine gives; `newslint learn` maps a task over each batch (Session.map_batches: a batch's
sum, learn_cluster.py), merged in order. What follows is said of check; learn's batches go the
same way (read here, bounded in flight, its plan sent once, the same version, no hang).

- **This process reads the files** and hands their bytes to the cluster (the task is
  per_file.check_bytes, as with the result cache), and datasets' records (datasets/run.py sends
  every dataset record by record, however small). So the workers need no shared file system,
  only newslint (the same version: a worker that runs another refuses the work) and its
  dependencies; every read stays where discovery vetted the paths (no link followed out of the
  tree); and the cache works as it does on one machine (this process hashes each file, and only
  the files it does not answer for go to the cluster). Reading and sending a news article costs
  far less than checking it, so one reader keeps many workers busy.
- **--fix and --diff are refused** (exit 2): a fix is written in place, atomically, and only if
  the file is still the one read; that is done on the machine that holds the files.
- **Bounded work in flight.** Files go in batches (BATCH_FILES, or fewer once they add up to
  BATCH_BYTES), and only a few batches per worker thread are handed over and not yet given back:
  an archive of millions of files never waits whole in memory, here or on the scheduler.
- **The rules reach each worker once a run**: the plan a task is bound to is scattered to every
  worker, and each batch names it (Session._remote). (A plan pickles to plain data, about 150 KB
  for the built-in rules; compiled RE2 programs are compiled again where they are used.)
- **One connection a run** (jobs_for, Session), made when the first batch is ready: a run the
  cache answers whole starts no cluster.
- **No hang**: a scheduler that does not answer within CONNECT_TIMEOUT seconds, or that has no
  worker for that long, ends the run with a message and exit code 2.

Dask is an optional extra (`pip install newslint[dask]`), imported only with --scheduler.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from newslint import __version__
from newslint.errors import NewslintError, UsageError
from newslint.per_file import FixMode
from newslint.workers import Jobs, chunks

if TYPE_CHECKING:
    from distributed import Client

Item = TypeVar("Item")
Result = TypeVar("Result")

# How long to wait for a scheduler to answer, or for it to have a worker, before giving up.
CONNECT_TIMEOUT = 10.0
# A batch of files is one task: enough files that Dask's cost per task (on the scheduler and
# the worker) is small beside checking them, few enough to keep every worker busy to the end.
# benchmarks/cluster.py, 50,000 articles on 2 local workers: 512 files a task took 14% less CPU
# than 128 (10,000: 25% less), and about 1.5 MB a task.
BATCH_FILES = 512
BATCH_BYTES = 4 << 20
# Batches handed over and not yet given back, per worker thread. Results are given in order,
# so a slow batch holds back those after it: enough of them keep the other threads busy.
BATCHES_AHEAD_PER_THREAD = 3
# The name --scheduler takes for a cluster of worker processes on this machine (--jobs of them).
LOCAL = "local"
# The local cluster listens on this machine only, on ports free at the time, with no dashboard
# (its web server would otherwise take port 8787, or warn when another cluster holds it).
LOCAL_OPTIONS: dict[str, Any] = {
    "host": "127.0.0.1",
    "dashboard_address": None,
    "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    "silence_logs": 40,  # logging.ERROR (logging is imported only with --scheduler)
}


class ClusterError(NewslintError):
    """The cluster cannot be reached, has no worker, or failed during the run (exit code 2)."""


@contextmanager
def jobs_for(jobs: int, scheduler: str | None, fix: FixMode | None = None) -> Iterator[Jobs]:
    """What runs a run's per-file tasks: without a scheduler, `jobs` (worker processes, see
    workers.as_mapper); with one, a Session's map over its cluster (`local`: one of `jobs`
    processes started here), closed when the run ends. On a cluster --fix and --diff are
    refused, and a missing Dask is named with the extra that installs it."""
    if scheduler is None:
        yield jobs
        return
    if fix is not None:
        flag = "--fix" if fix.write else "--diff"
        raise UsageError(f"{flag} runs on the machine that holds the files: give it without --scheduler")
    with session(scheduler, jobs) as opened:
        yield opened.map


@contextmanager
def session(scheduler: str, local_workers: int) -> Iterator[Session]:
    """A Session with the cluster at `scheduler` (`local`: one of `local_workers` processes
    started here), closed when the run ends; a missing Dask is named with the extra that
    installs it."""
    try:
        import distributed  # noqa: F401 -- only to tell whether the extra is installed
    except ImportError as exc:
        raise UsageError(f"--scheduler needs Dask ({exc.name} is missing): install newslint[dask]") from None
    with ExitStack() as stack:
        yield Session(scheduler, local_workers, stack)


class Session:
    """A run's connection to its cluster, made when the first task is mapped (a run the cache
    answers whole starts no cluster), and each plan the run's tasks are bound to, scattered once
    to every worker."""

    def __init__(self, scheduler: str, local_workers: int, stack: ExitStack):
        self.scheduler = scheduler
        self.local_workers = local_workers
        self.stack = stack  # closes the client (and the local cluster) when the run ends
        self.client: Client | None = None
        self.plans: dict[int, tuple[object, Any]] = {}  # by id: the plan (kept alive) and its future

    def map(
        self, task: Callable[[Item], Result], items: Iterable[Item], size: Callable[[Item], int] | None = None
    ) -> Iterator[Result]:
        """task(item) for each item, in order, on the cluster. `items` is consumed as batches are
        handed over; `size` gives an item's size in bytes, to end a batch at BATCH_BYTES."""
        for results in self._batches(task, items, size, whole=False):
            yield from results

    def map_batches(
        self, task: Callable[[list[Item]], Result], items: Iterable[Item], size: Callable[[Item], int] | None = None
    ) -> Iterator[Result]:
        """task(batch) for each batch of the items (as map makes them), in order: a task that
        sums up its batch (learn's) sends back one result, not one for each item."""
        return self._batches(task, items, size, whole=True)

    def _batches(
        self, task: Callable[[Any], Any], items: Iterable[Item], size: Callable[[Item], int] | None, whole: bool
    ) -> Iterator[Any]:
        from distributed import CancelledError, KilledWorker

        batches = chunks(iter(items), size, BATCH_FILES, BATCH_BYTES)
        first = next(batches, None)
        if first is None:  # nothing to do: no need of a cluster
            return
        batches = itertools.chain([first], batches)
        client = self._connect()
        function, plan = self._remote(client, task)
        threads = max(1, sum(client.nthreads().values()))

        def submit(batch: list[Item]) -> Any:
            return client.submit(_run_batch, function, plan, Batch(batch), __version__, whole, pure=False)

        ahead = deque(submit(batch) for batch in itertools.islice(batches, threads * BATCHES_AHEAD_PER_THREAD))
        try:
            while ahead:
                result = _result(client, ahead.popleft())
                for batch in itertools.islice(batches, 1):  # one more in place of the one given back
                    ahead.append(submit(batch))
                yield result
        except (KilledWorker, CancelledError, OSError) as exc:
            raise ClusterError(f"the Dask cluster failed during the run: {type(exc).__name__}: {exc}") from None
        finally:
            with suppress(OSError, RuntimeError):  # a cluster already gone has nothing to cancel
                client.cancel(list(ahead))

    def _connect(self) -> Client:
        if self.client is None:
            import dask

            self.stack.enter_context(_quiet_dask())
            # Dask keeps each connection's last messages under 1 MB for debugging (1,000 of them
            # by default): here, batches of articles. Not kept, they cannot fill the memory.
            self.stack.enter_context(dask.config.set({"distributed.admin.low-level-log-length": 0}))
            self.client = self.stack.enter_context(_connect(self.scheduler, self.local_workers))
        return self.client

    def _remote(self, client: Client, task: Callable[[Any], Any]) -> tuple[Callable[..., Any], Any]:
        """The task without its plan, and the plan's future on the workers (None: no plan). The
        per-file tasks are partials with a `plan` keyword: what differs between them is small,
        and the plan (about 150 KB for the built-in rules) goes to each worker once a run."""
        if not (isinstance(task, partial) and "plan" in task.keywords):
            return task, None
        plan = task.keywords["plan"]
        if id(plan) not in self.plans:
            [future] = client.scatter([plan], broadcast=True, hash=False)
            self.plans[id(plan)] = (plan, future)
        keywords = {name: value for name, value in task.keywords.items() if name != "plan"}
        return partial(task.func, *task.args, **keywords), self.plans[id(plan)][1]


def _result(client: Client, future: Any) -> Any:
    """A batch's result, waiting as long as it takes while the cluster has workers."""
    from distributed import TimeoutError as DaskTimeout

    while True:
        try:
            result = future.result(timeout=CONNECT_TIMEOUT)
        except (DaskTimeout, TimeoutError):
            if not client.nthreads():
                raise ClusterError(f"the Dask cluster lost its workers (none for {CONNECT_TIMEOUT:g} s)") from None
            continue
        # Released now: a future may wait in a reference cycle for the garbage collector, and
        # until it is released the batch's bytes stay on the scheduler and its results on a worker.
        future.release()
        return result


@contextmanager
def _connect(scheduler: str, local_workers: int) -> Iterator[Client]:
    """A client of the scheduler (and the local cluster it starts, if any), closed on exit."""
    from distributed import Client, LocalCluster
    from distributed import TimeoutError as DaskTimeout

    if scheduler == LOCAL:
        # Processes, one thread each: checking is pure Python, which threads would not share.
        try:
            cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True, **LOCAL_OPTIONS)
        except (OSError, RuntimeError, DaskTimeout) as exc:
            raise ClusterError(f"cannot start a local Dask cluster: {exc}") from None
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError, TypeError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, DaskTimeout):
            raise ClusterError(
                f"the Dask scheduler at {scheduler} has no worker (none for {CONNECT_TIMEOUT:g} s)"
            ) from None
        yield client


@contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask's own log lines (a worker closing, a stream closed, a slow garbage collection) kept
    off stderr during a run: what goes wrong is reported by newslint, once. Dask gives its
    loggers ("distributed", "distributed.client", "tornado", ...) one handler of their own,
    which is quietened for the run."""
    import logging

    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.client", "tornado")]
    handlers = {handler: handler.level for logger in loggers for handler in logger.handlers}
    for handler in handlers:
        handler.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for handler, level in handlers.items():
            handler.setLevel(level)


class VersionMismatch(NewslintError):
    """A worker runs another version of newslint, which may report other problems."""


class Batch:
    """A batch's items, handed to Dask as one thing: it walks a list or a tuple it is given, and
    each tuple in it, for futures to replace (5 ms for a batch of 512 articles, 10 us an item)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any]):
        self.items = items


def _run_batch(function: Callable[..., Any], plan: Any, batch: Batch, version: str, whole: bool = False) -> Any:
    """On a worker: the task over a batch (its plan given back to it), if the worker runs the
    same newslint as the client: over each item (a list of results) or, `whole`, over the batch."""
    if version != __version__:
        raise VersionMismatch(f"a Dask worker runs newslint {__version__}, this is {version}: install the same on both")
    task = function if plan is None else partial(function, plan=plan)
    return task(batch.items) if whole else [task(item) for item in batch.items]
