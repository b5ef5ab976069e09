"""The hook in .pre-commit-hooks.yaml, run by pre-commit itself on a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(), reason="needs git and a git checkout of newslint"
)


# try-repo commits a snapshot of the working tree; a fresh CI machine has no git identity.
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "newslint tests", "GIT_AUTHOR_EMAIL": "tests@newslint.invalid",
    "GIT_COMMITTER_NAME": "newslint tests", "GIT_COMMITTER_EMAIL": "tests@newslint.invalid",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_IDENTITY})


@pytest.fixture(scope="session")
def precommit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def run_hook(articles: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), **GIT_IDENTITY}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "newslint", "--files", *files],
        cwd=articles, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture
def article_repo(tmp_path, fixtures) -> Path:
    repo = tmp_path / "articles"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copy(fixtures / "seed.txt", repo / "calais.txt")
    shutil.copy(fixtures / "clean.md", repo / "clean.md")
    git(repo, "add", ".")
    return repo


def test_hook_fails_on_the_seed(article_repo, precommit_home):
    result = run_hook(article_repo, precommit_home, "calais.txt")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "calais.txt:15:1: error duplicate-paragraph Lines 15-25 repeat lines 4-14" in result.stdout
    assert "calais.txt:26:1: error site-footer" in result.stdout


def test_hook_passes_on_a_clean_article(article_repo, precommit_home):
    result = run_hook(article_repo, precommit_home, "clean.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
