"""A run of `newslint check`, put together in one place:

    discover -> read once -> lint -> filters -> report / fix

check(request, notify, deliver) runs these stages, in this order; from stage 4 on, each file's
result flows on by itself, in the order of discovery, as it comes (nothing waits for the whole
run, and no list of the run's problems is kept):

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
   worked out in the workers; the first pass after stage 4 then adds each file's repeats (with
   --fix, those of the text as fixed).
4. Each file (checking.check_files, which gives each file's report as it comes; what is done to
   one file is per_file.py's; workers.map_in_order runs it in worker processes when there are
   many, or with --scheduler cluster.py on a Dask cluster, the results in the order of
   discovery either way):
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
5. The results of the files checked afresh are kept in the cache's table as they come, under
   the key of everything besides a file's bytes that they depend on (result_key), and saved
   once every file is checked.
Then each file's report goes through the passes (Pass: a function of a FileReport, applied in
this process, in order, as each file's report comes; _passes lists them):
6. Filter step 5, the baseline (baseline.BaselineRun): what it records is left out of the
   report and counted; or, with --update-baseline, the problems found are recorded, and the
   baseline is written once every file has passed (its stale entries are counted then too).
7. Filter step 6, with --diff-base: the problems on lines the change did not touch are left
   out and counted (with --fix, which fixed only the others, on the lines as fixed).
and is handed to `deliver`, while the summary's counts (formats.SummaryTally) are added up.

The pipeline never prints: each line for stderr goes to `notify` when it arises (a file that
could not be checked, as its report passes), each file's report goes to `deliver`, and the
outcome (the summary, whether a problem fails the run, the fixed text of stdin) goes back to
cli.py at the end.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from newslint import per_file
from newslint.cache import Cache, CacheError, Table, open_cache
from newslint.checking import check_files
from newslint.cluster import jobs_for
from newslint.config import DatasetFlags, load_config
from newslint.datasets import is_dataset, with_datasets
from newslint.discovery import discover
from newslint.errors import UsageError
from newslint.filters import Plan, within_change
from newslint.formats.report import Summary, SummaryTally
from newslint.lineranges import LineRanges
from newslint.per_file import FileReport, FixMode
from newslint.rules import load_rules, rule_set_identity
from newslint.violations import Violation

if TYPE_CHECKING:
    from newslint.baseline import Baseline, BaselineRun

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
    """What a run found, once every file's report has passed (see check)."""

    plan: Plan
    summary: Summary  # tallied as the files passed
    fails: bool  # whether a problem reported fails the run (its severity is at least fail-on's)
    # With stdin and --fix: the text to give back in place of writing a file, in chunks. The
    # fixed text, or the text as it was when nothing was fixed or it could not be checked,
    # so an editor that replaces its buffer with it never loses a word.
    fixed_stdin: Iterable[bytes] | None = None


# What the parent does to a file's report on its way from stage 4 to the output: one of the
# passes each report goes through, in order (the baseline's, the change's).
Pass = Callable[[FileReport], FileReport]


def check(request: Request, notify: Callable[[str], None], deliver: Callable[[FileReport], None]) -> Outcome:
    """Run the stages above, handing each file's report to `deliver` as it comes, in the
    order of discovery, after every pass. Bad usage, a bad config, rule or baseline file raise
    NewslintError; a cache that cannot be used is a warning, and the run goes on without it."""
    if request.stdin is not None:
        return _check_stdin(request, request.stdin, notify, deliver)
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
    baseline_run, passes = _passes(baseline, request.update_baseline, changed)
    units = None
    if plan.cross_article_rules:
        from newslint import repeats  # here: most runs have no cross-article rule

        units = None if cache is None else repeats.units_table(cache, UNITS, plan)
    try:
        with jobs_for(request.jobs, request.scheduler, request.fix) as jobs:  # processes, or a cluster
            if plan.cross_article_rules:
                index = repeats.archive_index(plan, paths, request.ignore_files, jobs, units)
                passes.insert(0, index.add_repeats)  # first: the baseline and the change see them too
            stream = _Stream(plan, notify, passes, deliver, len(missing), diff_base=changed is not None)
            reports: Generator[FileReport, None, None] = run(paths, plan, request.fix, jobs, table, changed)
            with closing(reports):  # its workers stopped here, whatever ends the run
                for report in reports:
                    stream.pass_on(report)
    finally:
        for opened in (table, units):
            if opened is not None:
                opened.close()
    for opened in (table, units):
        if opened is not None:
            try:
                opened.save()
            except CacheError as exc:
                notify(f"warning: {exc}")
    if baseline_run is not None:
        baseline_run.finish(notify)
    return stream.outcome()


class _Stream:
    """Stages 6 and 7 (and the errors said) for each file's report as it comes, in order: the
    passes applied, the report delivered, the summary tallied. Nothing of a report is kept."""

    def __init__(
        self,
        plan: Plan,
        notify: Callable[[str], None],
        passes: Sequence[Pass],
        deliver: Callable[[FileReport], None],
        errors: int = 0,
        diff_base: bool = False,
    ):
        self.plan, self.notify, self.passes, self.deliver = plan, notify, passes, deliver
        self.tally = SummaryTally(file_errors=errors, outside_change=0 if diff_base else None)
        self.fails = False

    def pass_on(self, report: FileReport) -> None:
        for error in report.errors:
            self.notify(f"{error.path}: {error.message}")
        for step in self.passes:
            report = step(report)
        tally = self.tally
        tally.files_checked += report.checked
        tally.file_errors += len(report.errors)
        tally.baselined += report.baselined
        if tally.outside_change is not None:
            tally.outside_change += report.outside_change
        tally.add_problems(report.violations, 0 if report.fix is None else report.fix.fixed)
        self.fails = self.fails or any(self.plan.fails(v) for v in report.violations)
        self.deliver(report)

    def outcome(self, fixed_stdin: Iterable[bytes] | None = None) -> Outcome:
        return Outcome(self.plan, self.tally.summary(), self.fails, fixed_stdin)


def _passes(
    baseline: Baseline | None, update: bool, changed: Mapping[str, LineRanges] | None
) -> tuple[BaselineRun | None, list[Pass]]:
    """The passes of a run, in order (stages 6 and 7), and its baseline's stage if it has one.
    A pass that needs what the whole run found can be added here, without changing how the
    reports flow."""
    passes: list[Pass] = []
    run = None
    if baseline is not None:
        from newslint.baseline import BaselineRun  # here: most runs have no baseline

        run = BaselineRun(baseline, update)
        passes.append(_baseline_pass(run))
    if changed is not None:
        passes.append(partial(_change_pass, changed=changed))
    return run, passes


def _baseline_pass(run: BaselineRun) -> Pass:
    """Stage 6 for a file: what the baseline records left out and counted (with
    --update-baseline, recorded, and all given on)."""

    def apply(report: FileReport) -> FileReport:
        if report.checked:
            run.checked(report.path)
        known = run.known
        violations = run.filter_file(report.violations)
        return report._replace(violations=violations, baselined=report.baselined + run.known - known)

    return apply


def _change_pass(report: FileReport, changed: Mapping[str, LineRanges]) -> FileReport:
    """Stage 7 for a file: the problems on lines the change did not touch left out and counted
    (a file --fix fixed, on its lines as fixed)."""
    fix = report.fix
    lines = fix.lines if fix is not None and fix.lines is not None else changed.get(report.path, ())
    violations, left_out = within_change(report.violations, lines)
    return report._replace(violations=violations, outside_change=report.outside_change + left_out)


def _check_stdin(
    request: Request, source: StdinSource, notify: Callable[[str], None], deliver: Callable[[FileReport], None]
) -> Outcome:
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
        fixed = per_file.pass_through(b"", source.stream) if per_file.writes(request.fix) else None
        report = FileReport(source.name, [], checked=False)
    else:
        result, fixed = per_file.check_stream(source.stream, source.name, plan, request.fix)
        report = FileReport.of(source.name, result)
    baseline_run, passes = _passes(baseline, False, None)
    stream = _Stream(plan, notify, passes, deliver)
    stream.pass_on(report)
    if baseline_run is not None:
        baseline_run.finish(notify)
    return stream.outcome(fixed)


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
