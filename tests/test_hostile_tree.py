"""A tree an attacker built: a pull request controls the articles, their names, their symbolic
links and the config and rules the run uses. newslint reads and writes nothing outside the tree
it checks, and --fix loses nothing: not an edit made meanwhile, not the file's owner, group,
mode or extended attributes, not its hard links."""

from __future__ import annotations

import errno
import os

import pytest

from newslint.cli import main

AD = "Advertisement\n"  # one problem for the built-in `advertisement` rule


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-cache", "--jobs", "1", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# A tree deeper than Python's stack.


@pytest.fixture
def deep_tree(tmp_path):
    """tmp_path/top/d/d/.../d, 5,000 folders deep (a path too long for the system past about
    2,000), with an article at the top, one 1,500 deep and one at the bottom. Built and removed
    folder by folder through file descriptors, since the whole path is too long to name."""
    top = tmp_path / "top"
    top.mkdir()
    (top / "shallow.md").write_text(AD)
    folder = os.open(top, os.O_RDONLY)
    depth = 0
    try:
        for depth in range(1, 5001):
            os.mkdir("d", dir_fd=folder)
            inner = os.open("d", os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
            if depth in (1500, 5000):
                article = os.open(f"at-{depth}.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder)
                os.write(article, AD.encode())
                os.close(article)
        yield top
    finally:
        for _ in range(depth):
            for name in os.listdir(folder):
                if name != "d":
                    os.unlink(name, dir_fd=folder)
            parent = os.open("..", os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = parent
            os.rmdir("d", dir_fd=folder)
        os.close(folder)


def test_a_tree_5000_folders_deep_is_walked(deep_tree, capsys):
    code, out, err = run(capsys, str(deep_tree))
    assert code == 2  # the folders past the system's longest path are named, not a crash
    assert len(err.splitlines()) == 1 and err.rstrip().endswith(f": {os.strerror(errno.ENAMETOOLONG)}")
    at_1500 = os.path.join(str(deep_tree), *["d"] * 1500, "at-1500.md")
    assert out.splitlines()[:2] == [
        f"{deep_tree / 'shallow.md'}:1:1: error advertisement Advertisement marker left in the text: \"Advertisement\"",
        f"{at_1500}:1:1: error advertisement Advertisement marker left in the text: \"Advertisement\"",
    ]
