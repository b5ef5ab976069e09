"""A run of `newslint check`, put together in one place:

    discover -> read once -> lint -> filters -> report / fix

check(request, notify) runs these stages, in this order:

1. Plan (load_plan): the config (the nearest one from the current folder up, or --config)
   with the command line's flags applied; the rule files, read back already parsed from the
   cache where it has them; and filter step 1, which rules run and with which severity
   (filters.Plan.of). A bad config or rule file stops the run here.
2. The baseline file, if there is one, is read before any article: a broken one stops the run
   at once.
3. Discover (discovery.discover): the files under the paths given, in a stable order, less
   what .gitignore and .ignore files leave out of folders (unless --no-ignore); a path that
   does not exist or leads out of its tree is reported, and the run goes on. With
   --diff-base, only the files the change touched are kept, with its lines (gitdiff.Change).
   With a cross-article rule (repeats.py), the archive's articles are indexed here: the
   repository's and the paths checked, each read and hashed, its units taken from the cache or
   worked out in the workers; each file's result below then gets its repeats (with --fix, those
   of the text as fixed).
4. Each file (check_files here; what is done to one file is per_file.py's; workers.map_in_order
   runs it in worker processes when there are many, or with --scheduler cluster.py on a Dask
   cluster, the results in the order of discovery either way):
   - its bytes are read once (reading.read_article: a regular file within size and line limits);
   - with the result cache (or --scheduler), this process reads and hashes them; if the cache
     holds a result for this path and this hash, that is the file's result: nothing more is
     done, and a re-run of an unchanged archive starts no worker;
   - otherwise (in a worker, handed the bytes read) they are decoded into a Document and its
     problems found: filter steps 2 to 4 around lint (filters.find_problems: per-file
     ignores, lint, suppression comments);
   - with --fix or --diff (which never use the result cache), the worker reads the file, and
     the document is fixed (fix.fix_document) and written back (atomic_write) or diffed.
   A file that cannot be read, decoded or written is an error of its own; the run goes on.
   A dataset file (.jsonl, .json, .csv, .parquet) is records, each an article: datasets/run.py.
   An article on stdin (`newslint check -`, an editor's buffer) takes the place of steps 3
   and 4: it is read once within a file's limits (reading.read_article_stream), checked as
   if it were the file it is named after (its config is found from that name's folder, and
   `exclude` and `per-file-ignores` apply to the name), never with the result cache; with
   --fix the fixed text goes back to the caller instead of to a file (per_file.check_stream).
5. The results of the files checked afresh are saved in the cache, under the key of
   everything besides a file's bytes that they depend on (result_key).
6. Filter step 5, the baseline: what it records is left out of the report and counted; or,
   with --update-baseline, the problems found are recorded in it.
7. Filter step 6, with --diff-base: the problems on lines the change did not touch are left
   out and counted (with --fix, which fixed only the others, on the lines as fixed).

The pipeline never prints: each line for stderr goes to `notify` when it arises, and the outcome
(what to report, what was fixed, how many files could not be checked) goes back to cli.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from newslint import per_file
from newslint.cache import Cache, CacheError, Table, content_hash, open_cache
from newslint.cluster import jobs_for
from newslint.config import DatasetFlags, load_config
from newslint.datasets import is_dataset, with_datasets
from newslint.discovery import discover
from newslint.errors import UsageError
from newslint.filters import Plan, within_change
from newslint.lineranges import LineRanges
from newslint.per_file import FileError, FileFix, FileResult, FixMode
from newslint.reading import max_file_bytes
from newslint.rules import load_rules, rule_set_identity
from newslint.violations import Violation
from newslint.workers import Jobs, Mapper, as_mapper, map_in_order

if TYPE_CHECKING:
    from newslint.baseline import Baseline

# The cache's namespaces a run uses: each file's results (a table), and parsed rule files (values).
RESULTS = "results"
PARSED_RULES = "rules"
UNITS = "units"  # each article's units for the cross-article rules (repeats.py)


class Settings(NamedTuple):
    """What the command line says of the config and the rules (each may be left unsaid)."""

    config_file: str | None = None  # None: the nearest config from `config_search_from` up
    config_search_from: str = "."
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    rule_folders: Sequence[str] = ()
    fail_on: str | None = None
    baseline: str | None = None
    dataset_fields: DatasetFlags = ((), (), None)  # --text-field, --id-field, --site-field


class StdinSource(NamedTuple):
    """An article read from a stream (an editor's buffer on stdin), checked as if it were the
    file `name`: named so in reports, and found in that name's folder by config and globs."""

    stream: BinaryIO
    name: str = "-"


class Request(NamedTuple):
    """A run of `newslint check`."""

    paths: Sequence[str] = (".",)  # not used when `stdin` is given
    stdin: StdinSource | None = None
    settings: Settings = Settings()
    fix: FixMode | None = None
    jobs: int = 1
    cache_dir: Path | None = None  # None: neither read nor write the cache
    follow_outside_links: bool = False
    update_baseline: bool = False
    diff_base: str | None = None  # check only what the change since this git commit touched
    ignore_files: bool = True  # folder walks leave out what .gitignore and .ignore files do (--no-ignore: False)
    scheduler: str | None = None  # check on this Dask cluster (cluster.py): its address, or "local"


class Outcome(NamedTuple):
    """What a run found, for the caller to report."""

    plan: Plan
    violations: list[Violation]  # after every filter; with --fix, the problems that remain
    files_checked: int
    file_errors: int  # files and paths given that could not be checked
    fixes: list[FileFix]  # the files fixed (or that --diff would change), in order
    baselined: int  # problems left out because the baseline records them
    outside_change: int | None = None  # with --diff-base, problems left out on lines it did not touch
    # With stdin and --fix: the text to give back in place of writing a file, in chunks. The
    # fixed text, or the text as it was when nothing was fixed or it could not be checked,
    # so an editor that replaces its buffer with it never loses a word.
    fixed_stdin: Iterable[bytes] | None = None


def check(request: Request, notify: Callable[[str], None]) -> Outcome:
    """Run the stages above. Bad usage, a bad config, rule or baseline file raise
    NewslintError; a cache that cannot be used is a warning, and the run goes on without it."""
    if request.stdin is not None:
        return _check_stdin(request, request.stdin, notify)
    cache = _open_cache(request.cache_dir, notify)
    plan = load_plan(request.settings, cache)
    baseline = _read_baseline(plan, request.update_baseline)
    paths, missing = discover(
        list(request.paths), plan.config.file_filter(), request.follow_outside_links, request.ignore_files
    )
    changed = None
    if request.diff_base is not None:
        from newslint.gitdiff import Change  # here: only --diff-base runs git

        change = Change(request.diff_base)
        changed = change.lines_of(paths)
        paths = list(changed)
        missing = [problem for problem in missing if change.concerns(problem.path, request.paths)]
    for problem in missing:
        notify(f"{problem.path}: {problem.reason}")
    # --fix and --diff never use the cache: a cached result says what is wrong with a file,
    # not what fixing it would write.
    table = None if cache is None or request.fix is not None else results_table(cache, plan)
    # Dataset files are records, each an article: datasets/run.py checks them with the others.
    run = with_datasets(check_files, request.paths) if any(is_dataset(path) for path in paths) else check_files
    units = index = None
    if plan.cross_article_rules:
        from newslint import repeats  # here: most runs have no cross-article rule

        units = None if cache is None else repeats.units_table(cache, UNITS, plan)
    try:
        with jobs_for(request.jobs, request.scheduler, request.fix) as jobs:  # processes, or a cluster
            if plan.cross_article_rules:
                index = repeats.archive_index(plan, paths, request.ignore_files, as_mapper(jobs), units)
            checked, violations, errors, fixes = run(paths, plan, request.fix, jobs, table, changed)
    finally:
        for opened in (table, units):
            if opened is not None:
                opened.close()
    if index is not None:
        violations = index.with_repeats(checked, violations, {fix.path: fix.units for fix in fixes if fix.units})
    for error in errors:
        notify(f"{error.path}: {error.message}")
    for opened in (table, units):
        if opened is not None:
            try:
                opened.save()
            except CacheError as exc:
                notify(f"warning: {exc}")
    baselined = 0
    if baseline is not None:
        violations, baselined = baseline.apply(violations, checked, request.update_baseline, notify)
    outside_change = None
    if changed is not None:
        changed.update((fix.path, fix.lines) for fix in fixes if fix.lines is not None)
        violations, outside_change = within_change(violations, changed)
    return Outcome(plan, violations, len(checked), len(errors) + len(missing), fixes, baselined, outside_change)


def _check_stdin(request: Request, source: StdinSource, notify: Callable[[str], None]) -> Outcome:
    """The stages for an article on stdin, checked as the file it is named after."""
    if request.update_baseline:
        raise UsageError("--update-baseline records the problems of files, not of stdin")
    if request.diff_base is not None:
        raise UsageError("--diff-base checks the files a git change touched, not stdin")
    # The config the file would have: found from its folder, as an editor's file is checked.
    settings = request.settings._replace(config_search_from=os.path.dirname(source.name) or ".")
    plan = load_plan(settings, _open_cache(request.cache_dir, notify))
    baseline = _read_baseline(plan, update=False)
    fixed: Iterable[bytes] | None
    if plan.config.file_filter().excluded(source.name):
        result, fixed = (
            FileResult([]),
            per_file.pass_through(b"", source.stream) if per_file.writes(request.fix) else None,
        )
        checked = []
    else:
        result, fixed = per_file.check_stream(source.stream, source.name, plan, request.fix)
        checked = [] if result.error is not None else [source.name]
    errors = [] if result.error is None else [result.error]
    for error in errors:
        notify(f"{error.path}: {error.message}")
    fixes = [] if result.fix is None else [result.fix]
    violations, baselined = result.violations, 0
    if baseline is not None:
        violations, baselined = baseline.apply(violations, checked, False, notify)
    return Outcome(plan, violations, len(checked), len(errors), fixes, baselined, fixed_stdin=fixed)


def load_plan(settings: Settings, cache: Cache | None = None) -> Plan:
    """Stage 1: the config with the flags applied, its rules loaded (parsed rule files read
    back from `cache` where it has them), and the plan of what runs."""
    config = load_config(settings.config_file, start=settings.config_search_from).with_flags(
        select=list(settings.select),
        ignore=list(settings.ignore),
        rule_folders=list(settings.rule_folders),
        fail_on=settings.fail_on,
        baseline=settings.baseline,
        dataset_fields=settings.dataset_fields,
    )
    store = None if cache is None else cache.values(PARSED_RULES)
    return Plan.of(config, load_rules(config.rule_folders, store=store))


def result_key(plan: Plan) -> Any:
    """Everything besides a file's bytes that its result depends on, as plain data: the rules
    that run (with their severity overrides), the config (per-file ignores, ...), and every
    rule name a suppression comment may name (it decides which are reported as unknown)."""
    settings = json.dumps([plan.config.summary(), sorted(plan.known_rules)], sort_keys=True)
    return [rule_set_identity(plan.rules), settings]


def _open_cache(folder: Path | None, notify: Callable[[str], None]) -> Cache | None:
    """The run's cache, or None: without a folder, or when it cannot be used safely (said
    once, as a warning: the run goes on without it)."""
    if folder is None:
        return None
    try:
        return open_cache(folder, (RESULTS, PARSED_RULES, UNITS))
    except CacheError as exc:
        notify(f"warning: {exc}")
        return None


def read_baseline(plan: Plan) -> Baseline | None:
    """The plan's baseline file (step 5), read, or None when the plan has none."""
    return _read_baseline(plan, update=False)


def results_table(cache: Cache, plan: Plan) -> Table[list[Violation]]:
    """The cache's table of results that hold for `plan` (see result_key)."""
    return cache.table(RESULTS, result_key(plan), _decoder(plan))


def _read_baseline(plan: Plan, update: bool) -> Baseline | None:
    path = plan.config.baseline
    if update and path is None:
        raise UsageError(
            "--update-baseline needs a baseline file: give --baseline FILE or set `baseline` in the config"
        )
    if path is None:
        return None
    from newslint.baseline import Baseline, load_or_empty  # here: most runs have no baseline

    return load_or_empty(path) if update else Baseline.load(path)


def _decoder(plan: Plan) -> Callable[[str, Any], list[Violation] | None]:
    """How the result cache's data for a file is read back: as violations this run could
    report (see Plan.reports), else as a miss."""
    reports = plan.reports

    def decode(path: str, data: Any) -> list[Violation] | None:
        if not isinstance(data, list):
            return None
        try:
            violations = [Violation.from_data(item, path) for item in data]
        except (TypeError, ValueError, IndexError):
            return None
        for violation in violations:
            if not reports(violation):
                return None
        return violations

    return decode


# Stage 4: each file.


def check_files(
    paths: list[str],
    plan: Plan,
    fix: FixMode | None,
    jobs: Jobs,
    table: Table[list[Violation]] | None = None,
    changed: Mapping[str, LineRanges] | None = None,
) -> tuple[list[str], list[Violation], list[FileError], list[FileFix]]:
    """Check `paths` (with `fix`, fix them) in up to `jobs` processes (or with the cluster's
    mapper `jobs` is: cluster.py), answering from `table` each file whose bytes it holds a
    result for and keeping there the others'. With `changed` (--diff-base), `fix` fixes only the problems on the lines
    it gives for a file. Gives, in the order of `paths`: the files checked, their problems, the
    files that could not be checked, and the fixes."""
    max_bytes = max_file_bytes()
    if table is None:
        plan.gate.expect(len(paths))
    results: Iterable[FileResult]
    if fix is not None and isinstance(jobs, int):  # (cluster.jobs_for refuses --fix and --diff)
        fixing = partial(per_file.fix_file, plan=plan, mode=fix, max_bytes=max_bytes, changed=changed)
        results = map_in_order(fixing, paths, jobs)
    elif table is None and isinstance(jobs, int):
        results = map_in_order(partial(per_file.check_file, plan=plan, max_bytes=max_bytes), paths, jobs)
    else:  # this process reads the files: for the cache, or to send them to a cluster (cluster.py)
        results = _check_with_cache(paths, plan, as_mapper(jobs), table, max_bytes)
    checked: list[str] = []
    violations: list[Violation] = []
    errors: list[FileError] = []
    fixes: list[FileFix] = []
    for path, result in zip(paths, results, strict=True):
        if result.error is not None:
            errors.append(result.error)
            if not result.violations:  # unreadable; a file whose fixes could not be written was checked
                continue
        checked.append(path)
        violations.extend(result.violations)
        if result.fix is not None:
            fixes.append(result.fix)
    return checked, violations, errors, fixes


def _check_with_cache(
    paths: list[str], plan: Plan, mapper: Mapper, table: Table[list[Violation]] | None, max_bytes: int
) -> list[FileResult]:
    """Each file's result: the table's when it holds one for the file's bytes, else what
    check_bytes finds (run by `mapper`, as workers.map_in_order), which is then kept in the table.

    This process reads each file, once, and hashes it: a cached re-run then needs no worker at
    all, and a file the table does not answer is handed over with the bytes read, so what is
    kept is the result of exactly the bytes hashed. Files that could not be checked are never
    kept (the reason may be passing: a permission, a file being written)."""
    results: dict[int, FileResult] = {}  # by index in `paths`
    unanswered: list[tuple[int, str]] = []  # the index and hash of each file handed to check_bytes, in order

    def to_check() -> Iterator[tuple[str, bytes, str]]:
        for index, path in enumerate(paths):
            data, _, error = per_file.read_file(path, max_bytes)
            if data is None:
                results[index] = FileResult([], error=error)
                continue
            digest = content_hash(data)
            entry = None if table is None else table.get(path)
            if entry is not None and entry[0] == digest:
                results[index] = FileResult(entry[1], digest)
                continue
            unanswered.append((index, digest))
            # The gate prepares for as many documents as will be checked, not as many as
            # were found: a re-run that checks a few files again never builds its set. (It is
            # told before any is checked: map_in_order takes the first files before it starts.)
            plan.gate.expect(len(unanswered))
            yield path, data, digest

    checked = mapper(partial(per_file.check_bytes, plan=plan), to_check(), size=lambda item: len(item[1]))
    for position, result in enumerate(checked):
        index, digest = unanswered[position]
        results[index] = result
        if result.error is None and table is not None:
            table.put(paths[index], digest, [v.to_data() for v in result.violations])
    return [results[index] for index in range(len(paths))]
