"""The command line: parse arguments, run the pipeline (pipeline.py), print its report and
choose the exit code.

The only module that prints. Exit codes:
  0  no problems (or all fixed)
  1  problems found
  2  bad usage, a bad config or rule file, or a file that could not be checked
  3  an internal error (a bug in newslint: please report it)
  130  interrupted (Ctrl-C, SIGINT)
  143  terminated (SIGTERM)
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import TextIO

from newslint import signals
from newslint.arguments import build_parser, split_names
from newslint.cache import default_cache_dir
from newslint.datasets.fields import is_dataset
from newslint.errors import NewslintError, UsageError
from newslint.formats import (
    FORMATTERS,
    STATISTICS_FORMATTERS,
    STREAMING_FORMATS,
    Report,
    StreamingFormat,
    diff_summary_line,
    log_safe_diff,
    printable,
)
from newslint.per_file import FileReport, FixMode
from newslint.pipeline import Outcome, Request, Settings, StdinSource, check, load_plan
from newslint.report_file import write_report_file
from newslint.violations import Violation
from newslint.workers import available_cores

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM


def _error(message: str) -> None:
    """Print one line to stderr; paths and messages may hold control characters."""
    print(printable(message), file=sys.stderr)


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        config_file=args.config,
        select=split_names(args.select),
        ignore=split_names(args.ignore),
        rule_folders=args.rules,
        fail_on=getattr(args, "fail_on", None),
        baseline=getattr(args, "baseline", None),
        dataset_fields=(
            split_names(getattr(args, "text_field", None)),
            split_names(getattr(args, "id_field", None)),
            getattr(args, "site_field", None),
        ),
    )


def _output_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _fix_mode(args: argparse.Namespace) -> FixMode | None:
    if args.exit_zero and args.exit_non_zero_on_fix:
        raise UsageError("--exit-zero and --exit-non-zero-on-fix contradict each other")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes needs --fix or --diff")
    if args.exit_non_zero_on_fix and not args.fix:
        raise UsageError("--exit-non-zero-on-fix needs --fix")
    if not (args.fix or args.diff):
        return None
    return FixMode(write=args.fix, unsafe=args.unsafe_fixes)


def _stdin_source(args: argparse.Namespace) -> StdinSource | None:
    """The article on stdin, when the only path is `-` (or none is given with --stdin-filename)."""
    reads_stdin = "-" in args.paths or (args.stdin_filename is not None and not args.paths)
    if not reads_stdin:
        if args.stdin_filename is not None:
            raise UsageError("--stdin-filename names the text on stdin: give - as the path")
        return None
    if args.paths not in ([], ["-"]):
        raise UsageError("- (stdin) is checked alone: give no other path with it")
    if args.stdin_filename is not None and not args.stdin_filename.strip():
        raise UsageError("--stdin-filename must not be empty")
    if args.stdin_filename is not None and is_dataset(args.stdin_filename):
        raise UsageError("stdin is read as one article, not a dataset: give the dataset's file as the path")
    return StdinSource(sys.stdin.buffer, args.stdin_filename or "-")


def run_check(args: argparse.Namespace) -> int:
    fix_mode = _fix_mode(args)
    output_format = _output_format(args)
    if args.statistics and output_format not in STATISTICS_FORMATTERS:
        raise UsageError(f"--statistics prints only as {' or '.join(STATISTICS_FORMATTERS)}, not {output_format}")
    stdin = _stdin_source(args)
    if stdin is not None and args.scheduler is not None:
        raise UsageError("--scheduler checks files on a cluster, not stdin")
    request = Request(
        paths=args.paths or ["."],
        stdin=stdin,
        settings=_settings(args),
        fix=fix_mode,
        jobs=args.jobs or available_cores(),
        cache_dir=None if args.no_cache else (args.cache_dir or default_cache_dir()),
        follow_outside_links=args.follow_outside_links,
        update_baseline=args.update_baseline,
        diff_base=args.diff_base,
        ignore_files=not args.no_ignore,
        scheduler=args.scheduler,
    )
    if args.update_baseline:  # the problems are recorded, not reported
        outcome = check(request, _notify, _drop)
        return EXIT_ERROR if outcome.summary.file_errors else EXIT_CLEAN
    # text, json-lines and github are written as each file's report comes. Not stdin's (one
    # file, whose report goes to stdout or, when stdout gives back the fixed text, stderr),
    # nor --diff's or --statistics' (what they print needs every file).
    streaming = None if stdin is not None or args.diff or args.statistics else STREAMING_FORMATS.get(output_format)
    if streaming is not None:
        report: Callable[[Callable[[str], None] | None], int] = partial(_stream_report, args, request, streaming)
    else:
        report = partial(_whole_report, args, request, output_format)
    if args.output_file:
        return write_report_file(args.output_file, report)
    return report(None)


def _notify(message: str) -> None:
    _error(f"newslint: {message}")


def _drop(report: FileReport) -> None:
    pass


def _stream_report(
    args: argparse.Namespace, request: Request, fmt: StreamingFormat, write: Callable[[str], None] | None
) -> int:
    """Run the check, writing each file's problems as its report comes (to stdout, or with
    `write`), then what the format writes at the end (text: the summary line)."""
    if write is None:
        write = _write_now
    color = _use_color(args.color, sys.stdout if write is _write_now else None)

    def each_file(report: FileReport) -> None:
        if report.violations:
            write(fmt.problems(report.violations, color))

    outcome = check(request, _notify, each_file)
    write(fmt.end(outcome.summary, args.quiet))
    return _exit_code(args, outcome)


def _write_now(text: str) -> None:
    """To stdout, at once: a reader (a CI log, a pipe) sees each file's problems as they come."""
    if not text:
        return
    with signals.held():
        sys.stdout.flush()
        try:
            fd = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        # Straight to the file, looping over partial writes: a signal that stops a write to a
        # full pipe midway left the rest unwritten in Python's buffered stream.
        data = memoryview(text.encode(sys.stdout.encoding or "utf-8", "backslashreplace"))
        while data:
            data = data[os.write(fd, data) :]


def _whole_report(
    args: argparse.Namespace, request: Request, output_format: str, write: Callable[[str], None] | None
) -> int:
    """Run the check, keeping what the report needs whole (the problems; with --diff, the
    diffs), then write the report (to stdout or stderr, or with `write`)."""
    violations: list[Violation] = []
    diffs: list[str] = []

    def keep(report: FileReport) -> None:
        if not args.diff:
            violations.extend(report.violations)
        elif report.fix is not None:
            diffs.append(report.fix.diff)

    outcome = check(request, _notify, keep)
    summary = outcome.summary
    # Where the report goes: the --output-file; stderr when stdout carries the fixed text of
    # stdin (an editor puts it in place of its buffer); else stdout.
    stream = None if write is not None else sys.stderr if outcome.fixed_stdin is not None else sys.stdout
    if args.diff:
        # The diff is all the report holds, so `newslint check --diff > fixes.patch` is a patch.
        report = "".join(diffs)
        if stream is not None and not _writes_to_file(stream):
            # A terminal or a CI log: an article's control characters and CI commands are
            # escaped there (a patch is exact only when written to a file).
            report, escaped = log_safe_diff(report)
            if escaped:
                _error(
                    f"newslint: {escaped} diff lines escaped for display; write the diff to a file for an exact patch"
                )
        if not args.quiet:
            print(diff_summary_line(summary), file=sys.stderr)
    else:
        formatter = STATISTICS_FORMATTERS[output_format] if args.statistics else FORMATTERS[output_format]
        report = formatter(
            Report(
                violations,
                summary,
                outcome.plan.rule_infos(),
                fails=outcome.plan.fails,
                color=_use_color(args.color, stream),
                quiet=args.quiet,
            )
        )
    if outcome.fixed_stdin is not None:
        sys.stdout.flush()
        for chunk in outcome.fixed_stdin:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    if stream is None:
        assert write is not None  # (no stream: the report goes to `write`)
        write(report)
    else:
        stream.write(report)
    return _exit_code(args, outcome)


def _exit_code(args: argparse.Namespace, outcome: Outcome) -> int:
    if outcome.summary.file_errors:
        return EXIT_ERROR
    # --diff fixed nothing, so what it would fix is still there; a pre-commit hook that changed
    # files must fail so the user reviews and stages the changes.
    problems = outcome.fails or bool(outcome.summary.fixed and (args.diff or args.exit_non_zero_on_fix))
    return EXIT_PROBLEMS if problems and not args.exit_zero else EXIT_CLEAN


def _use_color(choice: str, stream: TextIO | None) -> bool:
    """Whether the text report is in colour: --color always or never; else (auto) not with
    NO_COLOR set (https://no-color.org), always with FORCE_COLOR set, and otherwise only on a
    terminal. A report written to --output-file is in colour only with --color always."""
    if choice != "auto":
        return choice == "always"
    if stream is None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _writes_to_file(stream: TextIO) -> bool:
    """Whether `stream` is a regular file (a redirect), not a terminal or a pipe a log reads."""
    import stat

    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # not a real file (pytest's capture, ...)
        return False


def run_rules(args: argparse.Namespace) -> int:
    from newslint.rule_listing import rules_text

    plan = load_plan(_settings(args))
    sys.stdout.write(rules_text(plan, args.names, args.format, listed_by_flags=bool(args.select or args.ignore)))
    return EXIT_CLEAN


def run_test_rules(args: argparse.Namespace) -> int:
    from newslint.rule_examples import run_folder_examples  # here: only this command needs it

    folders = args.folders or list(load_plan(Settings(config_file=args.config)).config.rule_folders)
    if not folders:
        raise UsageError("no rule folder to test: name one, or set `rules` in the config")
    outcome = run_folder_examples(folders)
    for error in outcome.errors:
        _error(f"newslint: {error}")
    for failure in outcome.failures:
        print(printable(str(failure)))
    print(outcome.summary())
    if outcome.errors:
        return EXIT_ERROR
    return EXIT_PROBLEMS if outcome.failures else EXIT_CLEAN


def run_learn(args: argparse.Namespace) -> int:
    from newslint.learn_command import learn_command  # here: only this command needs it

    outcome = learn_command(args, notify=lambda message: _error(f"newslint: {message}"))
    for line in outcome.summary:
        print(printable(line), file=sys.stderr)
    return EXIT_ERROR if outcome.problems else EXIT_CLEAN


def run_server(args: argparse.Namespace) -> int:
    """Serve editors until they shut the server down (or close its stdin)."""
    try:
        from newslint.server import serve
    except ImportError as exc:  # pygls is an extra: most installs only check files
        if exc.name is None or exc.name.split(".")[0] not in ("pygls", "lsprotocol", "cattrs", "attrs", "attr"):
            raise
        raise UsageError(f"the language server needs pygls ({exc.name} is missing): install newslint[lsp]") from None
    serve(None if args.no_cache else (args.cache_dir or default_cache_dir()))
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    # A CI runner cancelling a job sends SIGTERM: stop as on Ctrl-C, with a message and a code.
    with signals.as_exceptions():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot show a character must not turn a report into a crash. This also
        # writes the bytes of a file name that is not UTF-8 (lone surrogates) as \udcXX, which
        # JSON output decodes back to the exact name.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "check":
            return run_check(args)
        if args.command == "test-rules":
            return run_test_rules(args)
        if args.command == "server":
            return run_server(args)
        if args.command == "learn":
            return run_learn(args)
        return run_rules(args)
    except NewslintError as exc:
        _error(f"newslint: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("newslint: interrupted")
        return EXIT_INTERRUPTED
    except signals.Terminated:
        _error("newslint: terminated")
        return EXIT_TERMINATED
    except BrokenPipeError:
        # The reader went away (newslint check | head): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEMS
    except Exception as exc:  # a bug: say so in one line, with the traceback only on request
        if os.environ.get("NEWSLINT_DEBUG"):
            raise
        _error(
            f"newslint: internal error: {type(exc).__name__}: {exc} "
            "(a bug in newslint; set NEWSLINT_DEBUG=1 for the traceback and please report it)"
        )
        return EXIT_INTERNAL
