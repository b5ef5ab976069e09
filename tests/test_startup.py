"""A one-file check imports only what it needs: start-up is most of what a pre-commit run costs."""

from __future__ import annotations

import subprocess
import sys

# Imported by code a one-file check with a warm rule cache does not run (YAML parsing, worker
# processes, fixing, working out what the engine keeps in the rule cache), or by argparse only
# to learn the terminal width; dataclasses (with inspect) cost a fifth of start-up, so the
# records a check uses are NamedTuples and plain classes.
NOT_NEEDED = [
    "yaml",
    "multiprocessing",
    "concurrent.futures",
    "difflib",
    "tempfile",
    "shutil",
    "rapidfuzz",
    "hashlib",
    "dataclasses",
    "inspect",
    "newslint.engine.literals",
    "newslint.engine.re2tree",
    "newslint.engine.screen",
    "newslint.engine.reference",
    "logging",
    "distributed",
]

PROBE = """
import sys
from newslint.cli import main
code = main(["check", sys.argv[1]])
print("imported:", *(name for name in sys.argv[2:] if name in sys.modules), file=sys.stderr)
"""


def test_a_one_file_check_imports_nothing_it_does_not_need(fixtures):
    seed = str(fixtures / "seed.txt")
    run = [sys.executable, "-c", PROBE, seed, *NOT_NEEDED]
    subprocess.run(run, capture_output=True, check=True)  # fills the rule cache
    probe = subprocess.run(run, capture_output=True, text=True, check=True)
    assert probe.stderr.splitlines()[-1] == "imported:"
