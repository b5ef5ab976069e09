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
from typing import Any, NoReturn, TextIO

from newslint import __version__
from newslint.cache import DEFAULT_DIR, ENV_VAR, default_cache_dir
from newslint.errors import NewslintError, UsageError
from newslint.filters import Plan
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
from newslint.pipeline import FixMode, Outcome, Request, Settings, StdinSource, check, load_plan
from newslint.rules import SEVERITIES, Rule
from newslint.suppressions import UNUSED_SUPPRESSION
from newslint.violations import RuleInfo
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
        "--select",
        action="append",
        metavar="RULES",
        help="run only these rules (comma-separated names; also turns on rules disabled by default)",
    )
    rule_options.add_argument(
        "--ignore", action="append", metavar="RULES", help="do not run these rules (comma-separated)"
    )
    rule_options.add_argument(
        "--config",
        metavar="FILE",
        help="the config file (.newslint.yaml or a pyproject.toml with [tool.newslint]); "
        "default: the nearest one from the current folder up",
    )

    check = sub.add_parser(
        "check", parents=[rule_options], help="check article files and folders", formatter_class=_HelpFormatter
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files and folders to check (default: .); - reads one article from stdin",
    )
    check.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="with -, the file the text on stdin is (its config, per-file ignores and name in the report)",
    )
    check.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default=None,
        help="output format (default: text, or github when GITHUB_ACTIONS=true)",
    )
    check.add_argument(
        "--statistics", action="store_true", help="print how many problems each rule found, not each problem"
    )
    check.add_argument(
        "--diff-base",
        metavar="REF",
        help="check only the files changed since the merge base of REF and HEAD (commits, edits, new files), "
        "and report only problems on the lines the change added or modified (needs git)",
    )
    check.add_argument(
        "--output-file",
        "-o",
        metavar="FILE",
        help="write the report to FILE (atomically) instead of stdout",
    )
    check.add_argument("--quiet", "-q", action="store_true", help="print the problems only, without the summary line")
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report (default: auto, on a terminal unless NO_COLOR is set, or with FORCE_COLOR)",
    )
    check.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when problems are found (still 2 when a file could not be checked)",
    )
    check.add_argument("--fail-on", choices=SEVERITIES, help="the least severity that fails the run (default: warning)")
    check.add_argument("--baseline", metavar="FILE", help="report only problems this baseline file does not record")
    check.add_argument(
        "--update-baseline",
        action="store_true",
        help="record the problems found in the baseline file (--baseline or the config's) and exit 0",
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        metavar="N",
        help="check (or fix) files in N processes (default: one per core; 1: in this process)",
    )
    check.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help=f"keep results of unchanged files here (default: ${ENV_VAR} or ./{DEFAULT_DIR})",
    )
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    # A flag only, never a config key: in CI the config comes from the pull request it checks.
    check.add_argument(
        "--follow-outside-links",
        action="store_true",
        help="check (and fix) files whose symbolic links lead outside the folder checked (default: skip them)",
    )
    check.add_argument(
        "--no-ignore",
        action="store_true",
        help="in folders, also check what .gitignore and .ignore files leave out",
    )
    fixing = check.add_mutually_exclusive_group()
    fixing.add_argument("--fix", action="store_true", help="delete the junk that rules can fix, in place")
    fixing.add_argument("--diff", action="store_true", help="print a diff of what --fix would change; change nothing")
    check.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply the fixes rules mark unsafe (near-duplicates)",
    )
    check.add_argument(
        "--exit-non-zero-on-fix",
        action="store_true",
        help="with --fix, exit 1 when a file was changed even if no problem remains (as pre-commit hooks do)",
    )

    rules = sub.add_parser(
        "rules",
        parents=[rule_options],
        help="list the rules, or explain some, as the config sets them",
        formatter_class=_HelpFormatter,
    )
    rules.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="explain these rules: what they find and why, their fix, options and examples",
    )
    rules.add_argument("--format", choices=("text", "json"), default="text")

    test_rules = sub.add_parser(
        "test-rules", help="run the examples of the rules in rule folders", formatter_class=_HelpFormatter
    )
    test_rules.add_argument(
        "folders", nargs="*", metavar="DIR", help="rule folders (default: the config's `rules` folders)"
    )
    test_rules.add_argument("--config", metavar="FILE", help="the config file whose `rules` folders are tested")

    server = sub.add_parser(
        "server",
        help="run as a language server (LSP over stdin and stdout) for editors",
        formatter_class=_HelpFormatter,
    )
    server.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help=f"keep results of unchanged files here (default: ${ENV_VAR} or ./{DEFAULT_DIR})",
    )
    server.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
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
    return StdinSource(sys.stdin.buffer, args.stdin_filename or "-")


def run_check(args: argparse.Namespace) -> int:
    fix_mode = _fix_mode(args)
    output_format = _output_format(args)
    if args.statistics and output_format not in STATISTICS_FORMATTERS:
        raise UsageError(f"--statistics prints only as {' or '.join(STATISTICS_FORMATTERS)}, not {output_format}")
    stdin = _stdin_source(args)
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
    )
    outcome = check(request, notify=lambda message: _error(f"newslint: {message}"))
    if args.update_baseline:
        return EXIT_ERROR if outcome.file_errors else EXIT_CLEAN

    violations = outcome.violations
    fixed_by_path = {file_fix.path: file_fix.fixed for file_fix in outcome.fixes}
    summary = Summary.of(
        violations, outcome.files_checked, outcome.file_errors, fixed_by_path, outcome.baselined, outcome.outside_change
    )
    # Where the report goes: the --output-file; stderr when stdout carries the fixed text of
    # stdin (an editor puts it in place of its buffer); else stdout.
    stream = None if args.output_file else sys.stderr if outcome.fixed_stdin is not None else sys.stdout
    if args.diff:
        # The diff is all the report holds, so `newslint check --diff > fixes.patch` is a patch.
        report = "".join(file_fix.diff for file_fix in outcome.fixes)
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
        _write_report(args.output_file, report)
    else:
        stream.write(report)
    return _exit_code(args, outcome)


def _exit_code(args: argparse.Namespace, outcome: Outcome) -> int:
    if outcome.file_errors:
        return EXIT_ERROR
    # --diff fixed nothing, so what it would fix is still there; a pre-commit hook that changed
    # files must fail so the user reviews and stages the changes.
    problems = any(outcome.plan.fails(v) for v in outcome.violations) or bool(
        outcome.fixes and (args.diff or args.exit_non_zero_on_fix)
    )
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


def _write_report(path: str, report: str) -> None:
    """Write the report to `path` atomically: a reader sees the old file or the whole new one."""
    from newslint.atomic_write import write_atomic  # here: it imports tempfile

    if os.path.isdir(path):
        raise UsageError("cannot write the report: a folder", path)
    try:
        # As stdout writes them: a name's undecodable bytes as \udcXX (which JSON decodes back).
        write_atomic(path, report.encode("utf-8", "backslashreplace"), create=True)
    except OSError as exc:
        raise UsageError(f"cannot write the report: {exc.strerror or exc}", path) from None


def _writes_to_file(stream: TextIO) -> bool:
    """Whether `stream` is a regular file (a redirect), not a terminal or a pipe a log reads."""
    import stat

    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # not a real file (pytest's capture, ...)
        return False


def run_rules(args: argparse.Namespace) -> int:
    plan = load_plan(_settings(args))
    if args.names:
        rules: list[Rule | RuleInfo] = [_named_rule(plan, name) for name in args.names]
    else:
        rules = list(plan.rules if args.select or args.ignore else plan.all_rules)
    if args.format == "json":
        sys.stdout.write(json_text([_rule_data(plan, rule) for rule in rules], indent=2) + "\n")
        return EXIT_CLEAN
    if args.names:
        from newslint.ruledocs import reported_rule_text, rule_text  # here: only explaining a rule needs them

        texts = [
            rule_text(rule, _rule_notes(plan, rule)) if isinstance(rule, Rule) else reported_rule_text(rule)
            for rule in rules
        ]
        sys.stdout.write("\n".join(texts))
        return EXIT_CLEAN
    for rule in rules:
        assert isinstance(rule, Rule)  # without names, the rules of rule files only
        off = plan.why_off(rule.name)
        state = "" if off is None else f" ({off})"
        fix = "" if rule.fix == "none" else f", fix: {rule.fix}"
        own = plan.own_severity.get(rule.name, rule.severity)
        severity = rule.severity if own == rule.severity else f"{rule.severity} (the rule's own: {own})"
        print(f"{rule.name}  [{rule.category}, {severity}, {rule.kind}{fix}]{state}")
        # A rule file comes from whoever wrote it (a pull request): its doc is printed escaped.
        print(f"    {printable(rule.doc['what'])}")
        print(f"    Why: {printable(rule.doc['why'])}")
        if rule.doc.get("fix"):
            print(f"    Fix: {printable(rule.doc['fix'])}")
    return EXIT_CLEAN


def _rule_data(plan: Plan, rule: Rule | RuleInfo) -> dict[str, Any]:
    """A rule in `newslint rules --format json` (a rule newslint reports itself has no file)."""
    own_file = rule if isinstance(rule, Rule) else None
    return {
        "name": rule.name,
        "check": own_file and own_file.kind,
        "category": rule.category,
        "severity": rule.severity,
        "own_severity": plan.own_severity.get(rule.name, rule.severity),
        "enabled": own_file.enabled if own_file else True,
        "runs": plan.why_off(rule.name) is None,
        "fix": own_file and own_file.fix,
        "path": own_file and own_file.path,
        "doc": rule.doc,
    }


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


def _named_rule(plan: Plan, name: str) -> Rule | RuleInfo:
    """The loaded rule called `name` (with the config's severity), or unused-suppression (which
    newslint reports itself), or a UsageError suggesting the closest names."""
    for rule in plan.all_rules:
        if rule.name == name:
            return rule
    if name == UNUSED_SUPPRESSION.name:
        return plan.unused_suppression or UNUSED_SUPPRESSION
    import difflib

    close = difflib.get_close_matches(name, sorted(plan.known_rules), n=3)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise UsageError(f"unknown rule {name!r}{hint} (`newslint rules` lists them)")


def _rule_notes(plan: Plan, rule: Rule) -> list[str]:
    """What this run's config and flags do with `rule`, for `newslint rules NAME`."""
    off = plan.why_off(rule.name)
    own = plan.own_severity.get(rule.name, rule.severity)
    notes = ["With this config: runs" if off is None else f"With this config: does not run ({off})"]
    if own != rule.severity:
        notes.append(f"Severity with this config: {rule.severity} (the rule's own: {own})")
    globs = plan.ignored_by_globs(rule.name)
    if globs:
        notes.append("Not run on files matching (per-file-ignores): " + ", ".join(map(repr, globs)))
    return notes


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
        if args.command == "test-rules":
            return run_test_rules(args)
        if args.command == "server":
            return run_server(args)
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
