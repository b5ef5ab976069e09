"""Shared by the tests: run the CLI in-process and read its JSON output; take a tree's state;
find what a CI runner would obey in an output; load rules as one engine or the other runs them."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from newslint.cli import main
from newslint.rules import load_rules


def check_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["check", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def rules_and_lines(payload: dict) -> list[tuple[str, int]]:
    return [(v["rule"], v["line"]) for v in payload["violations"]]


def tree(root: Path) -> dict[str, tuple]:
    """Every file (bytes, mode, modification time), folder (mode) and link (target) under `root`."""
    state: dict[str, tuple] = {}
    for folder, folders, files in os.walk(root):  # links to folders are listed, not entered
        for name in folders + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                state[path] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                state[path] = ("file", Path(path).read_bytes(), info.st_mode, info.st_mtime_ns)
            else:
                state[path] = ("other", info.st_mode)
    return state


def changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def log_problems(output: str, own_commands: bool = False) -> list[str]:
    """The lines of `output` a CI runner or a terminal would act on. With `own_commands`, the
    annotations newslint itself prints (--format github) are allowed, but only as such."""
    problems = []
    for line in output.split("\n"):
        if re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", line):
            problems.append(f"control character in {line!r}")
        if "##[" in line or "##vso[" in line:
            problems.append(f"'##[' command in {line!r}")
        stripped = line.lstrip()
        if stripped.startswith("::") and not (
            own_commands and re.match(r"::(error|warning|notice) file=[^:]*::", stripped)
        ):
            problems.append(f"workflow command {line!r}")
    return problems


def load_with_engine(engine: str, folders=()) -> list:
    """Rules loaded (without a cache) as NEWSLINT_ENGINE=`engine` runs them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSLINT_ENGINE", engine)
        rules = load_rules(list(folders))
        for rule in rules:
            rule.check.matcher  # noqa: B018 (made now, by this engine)
    return rules


def mixed_archive(folder: Path, fixtures: Path) -> Path:
    """`folder` made and filled with a dozen articles, every third with junk (the seed), and
    two files that cannot be checked: one binary, one not UTF-8 (005.txt, 007.txt)."""
    folder.mkdir()
    seed = (fixtures / "seed.txt").read_bytes()
    clean = (fixtures / "clean.md").read_bytes()
    for n in range(12):
        (folder / f"{n:03d}.txt").write_bytes(seed if n % 3 == 0 else clean)
    (folder / "005.txt").write_bytes(b"\x00binary")
    (folder / "007.txt").write_bytes(b"caf\xe9\n")
    return folder
