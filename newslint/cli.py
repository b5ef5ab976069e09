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
from newslint.formats import FORMATTERS, Summary
from newslint.rules import Rule, load_rules
from newslint.runner import check_files

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


def run_check(args: argparse.Namespace) -> int:
    rules = _load_selected(args)
    files, missing = discover(args.paths or ["."])
    for problem in missing:
        print(f"newslint: {problem.path}: {problem.reason}", file=sys.stderr)
    result = check_files(files, rules)
    for error in result.errors:
        print(f"newslint: {error.path}: {error.message}", file=sys.stderr)
    summary = Summary.of(result.violations, result.files_checked, len(result.errors) + len(missing))
    sys.stdout.write(FORMATTERS[args.format](result.violations, summary))
    if missing or result.errors:
        return EXIT_ERROR
    return EXIT_PROBLEMS if result.violations else EXIT_CLEAN


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
