"""--diff-base's view of a change: which files and which of their lines, from real git repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from newslint.gitdiff import GitError, changed_files


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """main: old.md (5 lines), crlf.txt, gone.txt; branch `pr` edits, adds, renames and deletes."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "T")
    (repo / "old.md").write_text("one\ntwo\nthree\nfour\nfive\n")
    (repo / "crlf.txt").write_bytes(b"a\r\nb\r\nc\r\n")
    (repo / "gone.txt").write_text("bye\n")
    (repo / "moved.md").write_text("".join(f"line {n} of a file long enough to be a rename\n" for n in range(20)))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "main")
    git(repo, "checkout", "-qb", "pr")
    (repo / "old.md").write_text("one\nTWO\nthree\nfour\nfive\nsix\n")
    (repo / "crlf.txt").write_bytes(b"a\r\nB\r\nc\r\n")
    (repo / "new.md").write_text("fresh\nlines\n")
    git(repo, "rm", "-q", "gone.txt")
    git(repo, "mv", "moved.md", "renamed.md")
    (repo / "renamed.md").write_text((repo / "renamed.md").read_text().replace("line 7 ", "LINE 7 "))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "pr")
    monkeypatch.chdir(repo)
    return repo


def test_added_modified_and_renamed_files_with_their_new_lines(repo):
    changed = {c.path: c.added for c in changed_files("main")}
    assert changed == {
        "crlf.txt": ((2, 2),),
        "new.md": ((1, 2),),
        "old.md": ((2, 2), (6, 6)),
        "renamed.md": ((8, 8),),
    }


def test_uncommitted_edits_and_untracked_files_count(repo):
    (repo / "old.md").write_text("ONE\nTWO\nthree\nfour\nfive\nsix\n")
    (repo / "draft.md").write_text("a\nb\nc")
    changed = {c.path: c.added for c in changed_files("main")}
    assert changed["old.md"] == ((1, 2), (6, 6))
    assert changed["draft.md"] == ((1, 3),)


def test_paths_limit_the_change(repo):
    assert [c.path for c in changed_files("main", ["new.md"])] == ["new.md"]


def test_a_detached_head_works(repo):
    git(repo, "checkout", "-q", "--detach", "HEAD")
    assert {c.path for c in changed_files("main")} == {"crlf.txt", "new.md", "old.md", "renamed.md"}


def test_touches_means_overlaps_an_added_range(repo):
    (old,) = [c for c in changed_files("main") if c.path == "old.md"]
    assert old.touches(2, 2) and old.touches(1, 3) and old.touches(5, 9)
    assert not old.touches(3, 5)


def test_an_unknown_base_says_how_to_fetch_it(repo):
    with pytest.raises(GitError, match=r"no such commit here. In a shallow CI checkout fetch it first"):
        changed_files("origin/nope")


def test_a_shallow_clone_without_the_base_is_a_clear_error(repo, tmp_path, monkeypatch):
    git(repo, "checkout", "-q", "main")
    (repo / "more.md").write_text("more\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "main moves on")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth=1", "--branch", "pr", f"file://{repo}", str(clone)], check=True)
    monkeypatch.chdir(clone)
    with pytest.raises(GitError, match="no such commit here"):
        changed_files("origin/main")
    subprocess.run(
        ["git", "fetch", "-q", "--depth=1", "origin", "main:refs/remotes/origin/main"], cwd=clone, check=True
    )
    with pytest.raises(GitError, match="no common ancestor with HEAD"):
        changed_files("origin/main")


def test_outside_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(GitError, match="needs a git repository"):
        changed_files("main")


def test_a_file_git_calls_binary_still_has_its_lines(repo):
    (repo / ".gitattributes").write_text("*.md binary\n")
    changed = {c.path: c.added for c in changed_files("main")}
    assert changed["old.md"] == ((2, 2), (6, 6))


def test_lone_cr_endings_count_as_newslint_counts_them(repo):
    (repo / "old.md").write_bytes(b"one\rtwo\rthree\nfour\r\nFIVE\n")  # git's lines 1-3, newslint's 1-5
    (repo / "draft.md").write_bytes(b"a\rb\r\nc")
    changed = {c.path: c.added for c in changed_files("main")}
    assert changed["old.md"] == ((1, 5),)  # git: lines 1 to 3 are new, and git's line 1 is three lines
    assert changed["draft.md"] == ((1, 3),)


def test_a_change_reads_only_the_files_a_run_takes(repo, monkeypatch):
    from newslint import gitdiff

    read = []
    real = gitdiff._read
    monkeypatch.setattr(gitdiff, "_read", lambda path: read.append(path) or real(path))
    change = gitdiff.Change("main")
    assert read == []  # not the images, data files, ... a change may hold besides articles
    assert change.lines_of(["./new.md", "elsewhere.md"]) == {"./new.md": ((1, 2),)}
    assert read == ["./new.md"]
    assert change.concerns("old.md", given=[]) and not change.concerns("gone.txt", given=[])
