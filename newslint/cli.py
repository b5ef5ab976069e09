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
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn, TextIO

from newslint import __version__
from newslint.cache import DEFAULT_DIR, ENV_VAR, default_cache_dir
from newslint.errors import NewslintError, UsageError
from newslint.formats import (
    FORMATTERS,
    STATISTICS_FORMATTERS,
    Report,
    Summary,
    diff_summary_line,
    json_text,
    log_safe_diff,
    printable,
)
from newslint.pipeline import FixMode, Request, Settings, check, load_plan
from newslint.rules import SEVERITIES
from newslint.workers import available_cores

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(BaseException):
    """Raised by the SIGTERM handler so a run stops as cleanly as on Ctrl-C."""


def _raise_terminated(signum: int, frame: FrameType | None) -> NoReturn:
    raise Terminated


def _error(message: str) -> None:
    """Print one line to stderr; paths and messages may hold control characters."""
    print(printable(message), file=sys.stderr)


def _names(values: list[str] | None) -> list[str]:
    """--select a,b --select c  ->  [a, b, c]"""
    return [name.strip() for value in values or [] for name in value.split(",") if name.strip()]


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter without its import of shutil (and so of bz2 and lzma, a noticeable
    part of every run's start-up, which benchmarks/speed.py measures) only to learn the terminal's
    width; the width is found as shutil does."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0 and sys.__stdout__ is not None:  # None where Python runs without a console
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newslint",
        description="Find the junk scrapers and CMS exports leave in news articles.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newslint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    rule_options = argparse.ArgumentParser(add_help=False, formatter_class=_HelpFormatter)
    rule_options.add_argument(
        "--rules", action="append", metavar="DIR", default=[], help="an extra folder of rule files (repeatable)"
    )
    rule_options.add_argument(
        "--select", action="append", metavar="RULES",
        help="run only these rules (comma-separated names; also turns on rules disabled by default)",
    )
    rule_options.add_argument(
        "--ignore", action="append", metavar="RULES", help="do not run these rules (comma-separated)"
    )
    rule_options.add_argument(
        "--config", metavar="FILE",
        help="the config file (.newslint.yaml or a pyproject.toml with [tool.newslint]); "
        "default: the nearest one from the current folder up",
    )

    check = sub.add_parser(
        "check", parents=[rule_options], help="check article files and folders", formatter_class=_HelpFormatter
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files and folders to check (default: .)")
    check.add_argument(
        "--format", choices=sorted(FORMATTERS), default=None,
        help="output format (default: text, or github when GITHUB_ACTIONS=true)",
    )
    check.add_argument(
        "--statistics", action="store_true", help="print how many problems each rule found, not each problem"
    )
    check.add_argument(
        "--diff-base", metavar="REF",
        help="check only the files changed since the merge base of REF and HEAD (commits, edits, new files), "
        "and report only problems on the lines the change added or modified (needs git)",
    )
    check.add_argument("--fail-on", choices=SEVERITIES, help="the least severity that fails the run (default: warning)")
    check.add_argument("--baseline", metavar="FILE", help="report only problems this baseline file does not record")
    check.add_argument(
        "--update-baseline", action="store_true",
        help="record the problems found in the baseline file (--baseline or the config's) and exit 0",
    )
    check.add_argument(
        "--jobs", "-j", type=_positive_int, metavar="N",
        help="check (or fix) files in N processes (default: one per core; 1: in this process)",
    )
    check.add_argument(
        "--cache-dir", type=Path, metavar="DIR",
        help=f"keep results of unchanged files here (default: ${ENV_VAR} or ./{DEFAULT_DIR})",
    )
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    # A flag only, never a config key: in CI the config comes from the pull request it checks.
    check.add_argument(
        "--follow-outside-links", action="store_true",
        help="check (and fix) files whose symbolic links lead outside the folder checked (default: skip them)",
    )
    fixing = check.add_mutually_exclusive_group()
    fixing.add_argument("--fix", action="store_true", help="delete the junk that rules can fix, in place")
    fixing.add_argument("--diff", action="store_true", help="print a diff of what --fix would change; change nothing")
    check.add_argument(
        "--unsafe-fixes", action="store_true",
        help="with --fix or --diff, also apply the fixes rules mark unsafe (near-duplicates)",
    )
    check.add_argument(
        "--exit-non-zero-on-fix", action="store_true",
        help="with --fix, exit 1 when a file was changed even if no problem remains (as pre-commit hooks do)",
    )

    rules = sub.add_parser(
        "rules", parents=[rule_options], help="list the rules and what they flag", formatter_class=_HelpFormatter
    )
    rules.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        config_file=args.config,
        select=_names(args.select),
        ignore=_names(args.ignore),
        rule_folders=args.rules,
        fail_on=getattr(args, "fail_on", None),
        baseline=getattr(args, "baseline", None),
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def _output_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _fix_mode(args: argparse.Namespace) -> FixMode | None:
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes needs --fix or --diff")
    if args.exit_non_zero_on_fix and not args.fix:
        raise UsageError("--exit-non-zero-on-fix needs --fix")
    if not (args.fix or args.diff):
        return None
    return FixMode(write=args.fix, unsafe=args.unsafe_fixes)


def run_check(args: argparse.Namespace) -> int:
    fix_mode = _fix_mode(args)
    output_format = _output_format(args)
    if args.statistics and output_format not in STATISTICS_FORMATTERS:
        raise UsageError(f"--statistics prints only as {' or '.join(STATISTICS_FORMATTERS)}, not {output_format}")
    request = Request(
        paths=args.paths or ["."],
        settings=_settings(args),
        fix=fix_mode,
        jobs=args.jobs or available_cores(),
        cache_dir=None if args.no_cache else (args.cache_dir or default_cache_dir()),
        follow_outside_links=args.follow_outside_links,
        update_baseline=args.update_baseline,
        diff_base=args.diff_base,
    )
    outcome = check(request, notify=lambda message: _error(f"newslint: {message}"))
    if args.update_baseline:
        return EXIT_ERROR if outcome.file_errors else EXIT_CLEAN

    violations = outcome.violations
    fixed_by_path = {file_fix.path: file_fix.fixed for file_fix in outcome.fixes}
    summary = Summary.of(
        violations, outcome.files_checked, outcome.file_errors, fixed_by_path, outcome.baselined, outcome.outside_change
    )
    if args.diff:
        # stdout carries only the diff, so `newslint check --diff > fixes.patch` is a patch.
        diff = "".join(file_fix.diff for file_fix in outcome.fixes)
        if not _writes_to_file(sys.stdout):
            # A terminal or a CI log: an article's control characters and CI commands are
            # escaped there (a patch is exact only when written to a file).
            diff, escaped = log_safe_diff(diff)
            if escaped:
                _error(
                    f"newslint: {escaped} diff lines escaped for display; write the diff to a file for an exact patch"
                )
        sys.stdout.write(diff)
        print(diff_summary_line(summary), file=sys.stderr)
    else:
        formatter = STATISTICS_FORMATTERS[output_format] if args.statistics else FORMATTERS[output_format]
        sys.stdout.write(formatter(Report(violations, summary, outcome.plan.rule_infos())))
    if outcome.file_errors:
        return EXIT_ERROR
    if any(outcome.plan.fails(v) for v in violations):
        return EXIT_PROBLEMS
    # --diff fixed nothing, so what it would fix is still there; a pre-commit hook that changed
    # files must fail so the user reviews and stages the changes.
    if outcome.fixes and (args.diff or args.exit_non_zero_on_fix):
        return EXIT_PROBLEMS
    return EXIT_CLEAN


def _writes_to_file(stream: TextIO) -> bool:
    """Whether `stream` is a regular file (a redirect), not a terminal or a pipe a log reads."""
    import stat

    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # not a real file (pytest's capture, ...)
        return False


def run_rules(args: argparse.Namespace) -> int:
    plan = load_plan(_settings(args))
    rules = plan.rules if args.select or args.ignore else plan.all_rules
    if args.format == "json":
        payload = [
            {
                "name": r.name, "check": r.kind, "category": r.category, "severity": r.severity,
                "enabled": r.enabled, "fix": r.fix, "path": r.path, "doc": r.doc,
            }
            for r in rules
        ]
        sys.stdout.write(json_text(payload, indent=2) + "\n")
        return EXIT_CLEAN
    for rule in rules:
        state = "" if rule.enabled else " (off unless selected)"
        fix = "" if rule.fix == "none" else f", fix: {rule.fix}"
        print(f"{rule.name}  [{rule.category}, {rule.severity}, {rule.kind}{fix}]{state}")
        # A rule file comes from whoever wrote it (a pull request): its doc is printed escaped.
        print(f"    {printable(rule.doc['what'])}")
        print(f"    Why: {printable(rule.doc['why'])}")
        if rule.doc.get("fix"):
            print(f"    Fix: {printable(rule.doc['fix'])}")
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    # A CI runner cancelling a job sends SIGTERM: stop as on Ctrl-C, with a message and a code.
    # (Only the main thread may set a handler; asking signal, not threading, spares an import.)
    try:
        previous_sigterm = signal.signal(signal.SIGTERM, _raise_terminated)
        in_main_thread = True
    except ValueError:
        in_main_thread = False
    try:
        return _main(argv)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous_sigterm)


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
        return run_rules(args)
    except NewslintError as exc:
        _error(f"newslint: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("newslint: interrupted")
        return EXIT_INTERRUPTED
    except Terminated:
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
