"""The GitHub Action's script (scripts/github_action.py, what action.yml runs) run as the action
runs it: in a checkout made as actions/checkout makes one for a pull request (one commit, the
merge of the pull request into its base, detached), with GitHub's variables set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import log_problems

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "github_action.py"
STORY = "A paragraph of the old story that is long enough to be a paragraph of its own here."
NEW_STORY = "The new story opens with a paragraph that is long enough to be a paragraph on its own."
OLD = f"{STORY}\n\nAdvertisement\n\nContinue reading the main story\n"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, text=True).stdout.strip()


def commit(folder: Path, message: str) -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", message)


@pytest.fixture
def origin(tmp_path) -> Path:
    """The repository on GitHub: main with an archive article; the pull request's branch `pr`
    adds an article and a share bar to the old one; main moves on by 40 commits meanwhile; and
    refs/pull/1/merge, the merge GitHub makes for the pull request."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    git(origin, "config", "user.email", "t@example.com")
    git(origin, "config", "user.name", "T")
    (origin / "old.md").write_text(OLD)
    commit(origin, "archive")
    git(origin, "checkout", "-qb", "pr")
    (origin / "new.md").write_text(f"{NEW_STORY}\n\nAdvertisement\n")
    (origin / "old.md").write_text(OLD.replace(STORY, f"{STORY}\nShare this article"))
    commit(origin, "a new article, and an edit")
    git(origin, "checkout", "-q", "main")
    for n in range(40):
        (origin / f"later-{n}.md").write_text(f"Article {n} of later days, long enough to be a paragraph of text.\n")
        commit(origin, f"later {n}")
    git(origin, "checkout", "-qb", "merge")
    git(origin, "merge", "-q", "--no-ff", "-m", "Merge pr into main", "pr")
    git(origin, "update-ref", "refs/pull/1/merge", "HEAD")
    git(origin, "checkout", "-q", "main")
    git(origin, "branch", "-qD", "merge")
    return origin


def checkout(origin: Path, folder: Path, ref: str) -> Path:
    """What actions/checkout does (fetch-depth 1): one commit of `ref`, detached."""
    folder.mkdir()
    git(folder, "init", "-q")
    git(folder, "remote", "add", "origin", f"file://{origin}")
    git(folder, "fetch", "-q", "--no-tags", "--depth=1", "origin", f"+{ref}:refs/remotes/checkout")
    git(folder, "checkout", "-q", "--detach", "refs/remotes/checkout")
    return folder


def run_action(workspace: Path, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, str, Path]:
    summary = tmp_path / "step-summary.md"
    summary.write_text("Earlier steps' summary.\n")
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/news",
        "GITHUB_SHA": git(workspace, "rev-parse", "HEAD"),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
        **inputs,
    }
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=workspace, env=env, capture_output=True, text=True, timeout=300
    )
    return result, summary.read_text(), tmp_path / "newslint.sarif"


def annotated(stdout: str) -> set[tuple[str, str]]:
    return {
        (line.split("file=")[1].split(",")[0], line.split(",line=")[1].split(",")[0])
        for line in stdout.splitlines()
        if line.startswith("::error ")
    }


def test_a_pull_request_gets_annotations_and_a_summary_of_what_it_brought(origin, tmp_path):
    workspace = checkout(origin, tmp_path / "workspace", "refs/pull/1/merge")
    result, summary, sarif = run_action(
        workspace, tmp_path, NEWSLINT_DIFF_BASE="origin/main", NEWSLINT_SARIF_FILE=str(tmp_path / "newslint.sarif")
    )
    assert result.returncode == 1, result.stderr
    # The base was fetched and the history deepened until git found the merge base.
    assert "git fetch --no-tags --depth=1 origin" in result.stdout and "--deepen=" in result.stdout
    assert annotated(result.stdout) == {("new.md", "3"), ("old.md", "2")}
    assert log_problems(result.stdout, own_commands=True) == []
    sha = git(workspace, "rev-parse", "HEAD")
    assert summary.startswith("Earlier steps' summary.\n## newslint\n")  # appended
    assert "Found 2 problems in 2 files" in summary.replace("\\", "")
    assert "2 more on lines the change did not touch" in summary.replace("\\", "")
    assert f"(https://github.com/acme/news/blob/{sha}/new.md#L3)" in summary
    # Code scanning gets every file's results, the archive's included: it compares analyses itself.
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert len(results) == 4


def test_a_push_checks_every_file_and_writes_no_sarif_unless_asked(origin, tmp_path):
    workspace = checkout(origin, tmp_path / "workspace", "refs/heads/main")
    result, summary, sarif = run_action(workspace, tmp_path, NEWSLINT_DIFF_BASE="")
    assert result.returncode == 1
    assert annotated(result.stdout) == {("old.md", "3"), ("old.md", "5")}
    assert "git " not in result.stdout  # nothing to fetch
    assert "Found 2 problems in 1 file" in summary.replace("\\", "")
    assert not sarif.exists()


def test_inputs_paths_and_fail_on(origin, tmp_path):
    workspace = checkout(origin, tmp_path / "workspace", "refs/pull/1/merge")
    (workspace / "drafts").mkdir()
    (workspace / "drafts" / "a b.md").write_text("Advertisement\n")
    result, summary, _ = run_action(
        workspace, tmp_path, NEWSLINT_DIFF_BASE="origin/main", NEWSLINT_PATHS="'drafts/a b.md' new.md"
    )
    assert annotated(result.stdout) == {("drafts/a b.md", "1"), ("new.md", "3")}
    result, _, _ = run_action(workspace, tmp_path, NEWSLINT_DIFF_BASE="origin/main", NEWSLINT_FAIL_ON="nonsense")
    assert result.returncode == 2 and "--fail-on" in result.stderr


def test_a_base_that_cannot_be_fetched_fails_with_one_clear_line(origin, tmp_path):
    workspace = checkout(origin, tmp_path / "workspace", "refs/pull/1/merge")
    result, summary, _ = run_action(workspace, tmp_path, NEWSLINT_DIFF_BASE="origin/no-such-branch")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("newslint: error: --diff-base origin/no-such-branch: no such commit")
    )
    assert summary == "Earlier steps' summary.\n"  # no summary of a run that did not happen


def test_a_branch_far_behind_its_base_is_deepened_until_they_meet(origin, tmp_path):
    # The pull request's own head checked out (actions/checkout's `ref: github.head_ref`): its
    # base branch is 40 commits past where it branched off, so one deepening is not enough.
    workspace = checkout(origin, tmp_path / "workspace", "refs/heads/pr")
    result, _, _ = run_action(workspace, tmp_path, NEWSLINT_DIFF_BASE="origin/main")
    assert "--deepen=16" in result.stdout and "--deepen=32" in result.stdout
    assert annotated(result.stdout) == {("new.md", "3"), ("old.md", "2")}


def test_paths_that_cannot_be_split_are_one_line_and_exit_2(origin, tmp_path):
    workspace = checkout(origin, tmp_path / "workspace", "refs/pull/1/merge")
    result, _, _ = run_action(workspace, tmp_path, NEWSLINT_PATHS="'unclosed.md")
    assert result.returncode == 2
    assert result.stderr == "newslint-action: the paths input cannot be split into paths: No closing quotation\n"
