"""Folder walks leave out what .gitignore and .ignore files do (as git, ruff and ripgrep do),
and node_modules; --no-ignore takes them back. Patterns come from a stranger's checkout, so
they run on RE2."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from helpers import check_json

from newslint.cli import main
from newslint.ignorefiles import IgnoreFile, parse

JUNK = "Advertisement\n"


def make(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def checked(capsys, *args: str) -> list[str]:
    code, payload = check_json(capsys, "--select", "advertisement", *args)
    return sorted({v["path"] for v in payload["violations"]})


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_the_documented_workflow_skips_git_ignored_output_and_node_modules(repo, capsys):
    make(
        repo,
        {
            ".gitignore": "_site/\n*.tmp.md\n",
            "articles/a.md": JUNK,
            "articles/b.tmp.md": JUNK,
            "_site/articles/a.md": JUNK,
            "node_modules/pkg/README.md": JUNK,
            "articles/node_modules/x.md": JUNK,
        },
    )
    assert checked(capsys, ".") == ["./articles/a.md"]
    # --no-ignore takes back what ignore files leave out; node_modules stays out.
    assert checked(capsys, "--no-ignore", ".") == ["./_site/articles/a.md", "./articles/a.md", "./articles/b.tmp.md"]
    # A path named is checked whatever the ignore files say, as pre-commit names files.
    assert checked(capsys, "_site/articles/a.md", "articles/b.tmp.md") == ["_site/articles/a.md", "articles/b.tmp.md"]


def test_nested_files_negation_anchoring_and_double_stars(repo, capsys):
    make(
        repo,
        {
            ".gitignore": "# build output\n/build\n*.draft.md\n!keep.draft.md\nlogs/**/old-*.md\ndocs/*/private/\n",
            "build/a.md": JUNK,  # anchored: only the root's build
            "sub/build/a.md": JUNK,  # not this one
            "x.draft.md": JUNK,
            "keep.draft.md": JUNK,  # re-included
            "logs/2020/01/old-a.md": JUNK,
            "logs/old-b.md": JUNK,  # **/ spans no folder too
            "logs/new.md": JUNK,
            "docs/en/private/a.md": JUNK,
            "docs/private/a.md": JUNK,  # docs/*/ needs a folder between
            "wire/.gitignore": "*.md\n!/keep.md\n",
            "wire/a.md": JUNK,
            "wire/keep.md": JUNK,  # the nearer file re-includes it
            "wire/deep/keep.md": JUNK,  # anchored at wire/: not this one
            "wire/.ignore": "!a.md\n",  # .ignore wins over .gitignore in its folder
            "private": JUNK,  # not a folder: "private/" patterns are for folders only
        },
    )
    assert checked(capsys, ".") == [
        "./docs/private/a.md",
        "./keep.draft.md",
        "./logs/new.md",
        "./sub/build/a.md",
        "./wire/a.md",
        "./wire/keep.md",
    ]


def test_a_folder_left_out_cannot_be_re_included_inside(repo, capsys):
    make(repo, {".gitignore": "out/\n!out/a.md\n", "out/a.md": JUNK, "b.md": JUNK})
    assert checked(capsys, ".") == ["./b.md"]


def test_ignore_files_above_a_folder_given_count_up_to_the_repository_root(repo, capsys, monkeypatch):
    make(
        repo,
        {
            ".gitignore": "articles/drafts/\n",
            ".git/info/exclude": "*.local.md\n",
            "articles/drafts/a.md": JUNK,
            "articles/b.md": JUNK,
            "articles/c.local.md": JUNK,
        },
    )
    assert checked(capsys, "articles") == ["articles/b.md"]
    monkeypatch.chdir(repo / "articles")  # the run's tree is articles/, inside the repository
    assert checked(capsys, ".") == ["./b.md"]


def test_an_ignore_file_that_cannot_be_used_is_reported_and_the_run_goes_on(repo, capsys, tmp_path_factory):
    secret = tmp_path_factory.mktemp("outside") / "secret"
    secret.write_text("*.md\n")
    make(repo, {"a/b.md": JUNK, "b.md": JUNK})
    (repo / "a" / ".gitignore").symlink_to(secret)
    code = main(["check", "--format", "json", "--select", "advertisement", "."])
    out, err = capsys.readouterr()
    assert code == 2
    assert err == "newslint: ./a/.gitignore: ignore file not used: a symbolic link, not followed\n"
    assert sorted(v["path"] for v in json.loads(out)["violations"]) == ["./a/b.md", "./b.md"]


@pytest.mark.parametrize(
    "text, path, is_folder, expected",
    [
        ("*.md\n", "a/b/c.md", False, True),
        ("\\#x.md\n", "#x.md", False, True),
        ("# x.md\n", "# x.md", False, None),
        ("\\!x.md\n", "!x.md", False, True),
        ("x.md   \n", "x.md", False, True),
        ("x.md\\ \n", "x.md ", False, True),
        ("a\\*b\n", "a*b", False, True),
        ("a\\*b\n", "aXb", False, None),
        ("a**b\n", "aXYb", False, True),
        ("a**b\n", "aX/Yb", False, None),
        ("**/foo\n", "x/y/foo", True, True),
        ("foo/**\n", "foo", True, None),
        ("foo/**\n", "foo/x/y", False, True),
        ("a/**/b\n", "a/b", False, True),
        ("a/**/b\n", "a/x/y/b", False, True),
        ("[!a]x\n", "/x", False, None),
        ("[z-a]\n*.md\n", "x.md", False, True),  # a class RE2 cannot read is passed over
        ("build/\n", "build", False, None),
        ("build/\n", "build", True, True),
    ],
)
def test_patterns(text, path, is_folder, expected):
    assert IgnoreFile("", parse(text)).decides(path, is_folder) is expected


def test_hostile_patterns_run_in_linear_time():
    # On Python's backtracking `re` (as pathspec compiles patterns), this took minutes.
    hostile = IgnoreFile("", parse("*a*a*a*a*a*a*a*a*a*a*a*a*b\n" * 50))
    name = "a" * 5000
    start = time.perf_counter()
    assert hostile.decides(name, False) is None
    assert time.perf_counter() - start < 1.0
