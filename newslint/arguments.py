"""The command line's grammar: every command, flag and help text of `newslint` (build_parser).
cli.py parses with it and runs what it names."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from newslint import __version__
from newslint.cache import DEFAULT_DIR, ENV_VAR
from newslint.formats import FORMATTERS
from newslint.rules import SEVERITIES


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter without its import of shutil (and so of bz2 and lzma, a noticeable
    part of every run's start-up, which benchmarks/speed.py measures) only to learn the terminal's
    width; the width is found as shutil does."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def terminal_columns() -> int:
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
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newslint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    rule_options = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
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
        "check", parents=[rule_options], help="check article files and folders", formatter_class=HelpFormatter
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
        type=positive_int,
        metavar="N",
        help="check (or fix) files in N processes (default: one per core; 1: in this process)",
    )
    check.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="check the files on a Dask cluster: its scheduler's address (tcp://host:8786), "
        "or local for --jobs worker processes here (needs newslint[dask])",
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
    _add_dataset_options(check)
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
        formatter_class=HelpFormatter,
    )
    rules.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="explain these rules: what they find and why, their fix, options and examples",
    )
    rules.add_argument("--format", choices=("text", "json"), default="text")

    test_rules = sub.add_parser(
        "test-rules", help="run the examples of the rules in rule folders", formatter_class=HelpFormatter
    )
    test_rules.add_argument(
        "folders", nargs="*", metavar="DIR", help="rule folders (default: the config's `rules` folders)"
    )
    test_rules.add_argument("--config", metavar="FILE", help="the config file whose `rules` folders are tested")

    learn = sub.add_parser(
        "learn",
        help="learn each site's boilerplate from an archive of its articles, as rule files",
        formatter_class=HelpFormatter,
    )
    learn.add_argument("paths", nargs="+", metavar="PATH", help="folders of articles (a folder per site under each)")
    learn.add_argument("--out", required=True, metavar="DIR", help="write the rule files here (created if missing)")
    learn.add_argument(
        "--site-depth",
        type=non_negative_int,
        default=1,
        metavar="N",
        help="a file's site is its first N folders under the PATH given (default: 1); "
        "a file with fewer is its own folder's, and 0 makes each PATH one site",
    )
    learn.add_argument(
        "--min-articles",
        type=positive_int,
        default=5,
        metavar="N",
        help="a line is learned only if at least N articles of its site hold it (default: 5)",
    )
    learn.add_argument(
        "--min-share",
        type=share,
        default=0.02,
        metavar="SHARE",
        help="...and at least this share of them (default: 0.02)",
    )
    learn.add_argument(
        "--report", metavar="FILE", help="write every recurring line, boilerplate or story text, as JSON lines"
    )
    learn.add_argument("--no-ignore", action="store_true", help="also read what .gitignore and .ignore files leave out")
    learn.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="learn on a Dask cluster: its scheduler's address (tcp://host:8786), "
        "or local for --jobs worker processes here (needs newslint[dask])",
    )
    learn.add_argument(
        "--jobs",
        "-j",
        type=positive_int,
        metavar="N",
        help="with --scheduler local: the cluster's worker processes (default: one per core)",
    )
    _add_dataset_options(
        learn,
        "datasets (.jsonl, .json, .csv, .parquet files of records; a record's site is its --site-field, "
        "else its URL's host, else its file's)",
        id_default="url, id",
    )

    server = sub.add_parser(
        "server",
        help="run as a language server (LSP over stdin and stdout) for editors",
        formatter_class=HelpFormatter,
    )
    server.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help=f"keep results of unchanged files here (default: ${ENV_VAR} or ./{DEFAULT_DIR})",
    )
    server.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    return parser


def _add_dataset_options(
    command: argparse.ArgumentParser,
    title: str = "datasets (.jsonl, .json, .csv, .parquet files of records)",
    id_default: str = "id, url",
) -> None:
    """The flags of dataset files (.jsonl, .json, .csv, .parquet: records, each an article)."""
    datasets = command.add_argument_group(title)
    datasets.add_argument(
        "--text-field",
        action="append",
        metavar="NAMES",
        help="the fields a record's article may be in, the first one it has (comma-separated; "
        "default: text, maintext, body, content, article)",
    )
    datasets.add_argument(
        "--id-field",
        action="append",
        metavar="NAMES",
        help=f"the fields that name a record, the first one it has (default: {id_default})",
    )
    datasets.add_argument("--site-field", metavar="NAME", help="the field naming a record's site")


def split_names(values: list[str] | None) -> list[str]:
    """--select a,b --select c  ->  [a, b, c]"""
    return [name.strip() for value in values or [] for name in value.split(",") if name.strip()]


def positive_int(text: str) -> int:
    return _whole_number(text, least=1)


def non_negative_int(text: str) -> int:
    return _whole_number(text, least=0)


def _whole_number(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least {least}, not {text!r}")
    return value


def share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, not {text!r}")
    return value
