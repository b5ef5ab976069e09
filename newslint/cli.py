"""The command line: parse arguments, pick files and rules, print results, choose the exit code.

The only module that prints. Exit codes:
  0  no problems (or all fixed)
  1  problems found
  2  bad usage, a bad config or rule file, or a file that could not be checked
  3  an internal error (a bug in newslint: please report it)
  130  interrupted (Ctrl-C)
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from newslint import __version__
from newslint.discovery import discover
from newslint.errors import NewslintError, UsageError
from newslint.formats import FORMATTERS, Summary, diff_summary_line
from newslint.rules import Rule, load_rules
from newslint.runner import FixMode, check_files

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def _names(values: list[str] | None) -> list[str]:
    """--select a,b --select c  ->  [a, b, c]"""
    return [name.strip() for value in values or [] for name in value.split(",") if name.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newslint",
        description="Find the junk scrapers and CMS exports leave in news articles.",
    )
    parser.add_argument("--version", action="version", version=f"newslint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    rule_options = argparse.ArgumentParser(add_help=False)
    rule_options.add_argument(
        "--rules", action="append", metavar="DIR", default=[], help="an extra folder of rule files (repeatable)"
    )
    rule_options.add_argument(
        "--select", action="append", metavar="RULES",
        help="run only these rules (comma-separated names; also turns on rules disabled by default)",
    )
    rule_options.add_argument("--ignore", action="append", metavar="RULES", help="do not run these rules (comma-separated)")

    check = sub.add_parser("check", parents=[rule_options], help="check article files and folders")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files and folders to check (default: .)")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format (default: text)")
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

    rules = sub.add_parser("rules", parents=[rule_options], help="list the rules and what they flag")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def select_rules(rules: list[Rule], select: list[str], ignore: list[str]) -> list[Rule]:
    known = {rule.name for rule in rules}
    for name in select + ignore:
        if name not in known:
            raise UsageError(f"unknown rule {name!r} (see `newslint rules`)")
    if select:
        chosen = [rule for rule in rules if rule.name in select]
    else:
        chosen = [rule for rule in rules if rule.enabled]
    return [rule for rule in chosen if rule.name not in ignore]


def _load_selected(args: argparse.Namespace) -> list[Rule]:
    return select_rules(load_rules(args.rules), _names(args.select), _names(args.ignore))


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
    rules = _load_selected(args)
    files, missing = discover(args.paths or ["."])
    for problem in missing:
        print(f"newslint: {problem.path}: {problem.reason}", file=sys.stderr)
    result = check_files(files, rules, fix_mode)
    for error in result.errors:
        print(f"newslint: {error.path}: {error.message}", file=sys.stderr)
    fixed_by_path = {file_fix.path: file_fix.fixed for file_fix in result.fixes}
    summary = Summary.of(result.violations, result.files_checked, len(result.errors) + len(missing), fixed_by_path)
    if args.diff:
        # stdout carries only the diff, so `newslint check --diff > fixes.patch` is a patch.
        sys.stdout.write("".join(file_fix.diff for file_fix in result.fixes))
        print(diff_summary_line(summary), file=sys.stderr)
    else:
        sys.stdout.write(FORMATTERS[args.format](result.violations, summary))
    if missing or result.errors:
        return EXIT_ERROR
    if result.violations:
        return EXIT_PROBLEMS
    # --diff fixed nothing, so what it would fix is still there; a pre-commit hook that changed
    # files must fail so the user reviews and stages the changes.
    if result.fixes and (args.diff or args.exit_non_zero_on_fix):
        return EXIT_PROBLEMS
    return EXIT_CLEAN


def run_rules(args: argparse.Namespace) -> int:
    rules = _load_selected(args) if args.select or args.ignore else load_rules(args.rules)
    if args.format == "json":
        import json

        payload = [
            {
                "name": r.name, "check": r.kind, "category": r.category, "severity": r.severity,
                "enabled": r.enabled, "fix": r.fix, "path": r.path, "doc": r.doc,
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return EXIT_CLEAN
    for rule in rules:
        state = "" if rule.enabled else " (off unless selected)"
        fix = "" if rule.fix == "none" else f", fix: {rule.fix}"
        print(f"{rule.name}  [{rule.category}, {rule.severity}, {rule.kind}{fix}]{state}")
        print(f"    {rule.doc['what']}")
        print(f"    Why: {rule.doc['why']}")
        if rule.doc.get("fix"):
            print(f"    Fix: {rule.doc['fix']}")
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "check":
            return run_check(args)
        return run_rules(args)
    except NewslintError as exc:
        print(f"newslint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("newslint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (newslint check | head): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEMS
    except Exception as exc:  # a bug: say so in one line, with the traceback only on request
        if os.environ.get("NEWSLINT_DEBUG"):
            raise
        print(
            f"newslint: internal error: {type(exc).__name__}: {exc} "
            "(a bug in newslint; set NEWSLINT_DEBUG=1 for the traceback and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
