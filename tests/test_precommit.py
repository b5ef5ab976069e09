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
    "GIT_AUTHOR_NAME": "newslint tests",
    "GIT_AUTHOR_EMAIL": "tests@newslint.invalid",
    "GIT_COMMITTER_NAME": "newslint tests",
    "GIT_COMMITTER_EMAIL": "tests@newslint.invalid",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_IDENTITY})


@pytest.fixture(scope="session")
def precommit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def run_hook(
    articles: Path, home: Path, *files: str, hook: str = "newslint", verbose: bool = False
) -> subprocess.CompletedProcess:
    """Run `hook` on `files`; `verbose` shows its output even when it passes."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), **GIT_IDENTITY}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(REPO),
            hook,
            *(["--verbose"] if verbose else []),
            "--files",
            *files,
        ],
        cwd=articles,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
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


def test_fix_hook_fixes_and_fails_because_it_changed_files(article_repo, precommit_home, fixtures):
    # One pre-commit run (they are slow); that a second --fix exits 0 is tested in test_fix.py.
    story = article_repo / "story.md"
    clean = (article_repo / "clean.md").read_text()
    story.write_text(clean + "\nADVERTISEMENT\n")
    git(article_repo, "add", "story.md")
    result = run_hook(article_repo, precommit_home, "calais.txt", "story.md", "clean.md", hook="newslint-fix")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert "Found 5 problems in 2 files (4 fixed, 1 remaining)." in result.stdout
    seed_lines = (fixtures / "seed.txt").read_bytes().splitlines(keepends=True)
    assert (article_repo / "calais.txt").read_bytes() == b"".join(seed_lines[1:14]).removesuffix(b"\n")
    assert story.read_text() == clean
    assert (article_repo / "clean.md").read_bytes() == (fixtures / "clean.md").read_bytes()


CONFIG = """\
# .newslint.yaml
exclude: [drafts]
severity:
  orphan-dateline: info   # shown, but below fail-on (warning by default)
baseline: newslint-baseline.json
"""


@pytest.fixture
def configured_repo(article_repo) -> Path:
    """The article repo with a config, an archive recorded in a baseline, and a Markdown
    article whose real content looks like a footer, suppressed by a comment."""
    (article_repo / ".newslint.yaml").write_text(CONFIG)
    (article_repo / "drafts").mkdir()
    (article_repo / "drafts" / "wip.txt").write_text("Advertisement\n")
    (article_repo / "media.md").write_text(
        "# How newsrooms sign off\n\nSome sites end every story with the same line:\n\n"
        "<!-- newslint: disable-next-line site-footer -->\n"
        "Track Latest News Live on NDTV.com and get news updates from India and around the world\n"
    )
    update = subprocess.run(
        [sys.executable, "-m", "newslint", "check", "--update-baseline", "calais.txt"],
        cwd=article_repo,
        capture_output=True,
        text=True,
    )
    assert update.returncode == 0, update.stderr
    git(article_repo, "add", ".")
    return article_repo


def test_hook_honours_config_suppressions_and_baseline(configured_repo, precommit_home):
    # One run (try-repo installs the hook afresh each time, so runs are costly) over files that
    # must pass for different reasons, and one that must fail.
    (configured_repo / "new.txt").write_text("A new story.\nLondon:\nAdvertisement\n")
    with (configured_repo / "media.md").open("a") as handle:
        handle.write("<!-- newslint: disable-next-line photo-caption -->\nThe end.\n")
    git(configured_repo, "add", ".")
    files = ("calais.txt", "media.md", "drafts/wip.txt", "clean.md", "new.txt")
    result = run_hook(configured_repo, precommit_home, *files, verbose=True)
    assert result.returncode == 1, result.stdout + result.stderr
    reported = [line for line in result.stdout.splitlines() if line.startswith(files)]
    assert reported == [
        # media.md:6, the suppressed footer, is not reported; the comment that suppresses nothing is.
        "media.md:7:1: warning unused-suppression Suppression of photo-caption suppresses nothing",
        # calais.txt's problems are in the baseline; drafts/ is excluded; info does not fail the run.
        'new.txt:2:1: info orphan-dateline Dateline alone on its line: "London:"',
        'new.txt:3:1: error advertisement Advertisement marker left in the text: "Advertisement"',
    ]
    # pre-commit may split the files over parallel runs, each with its own summary line.
    assert "4 more in the baseline)." in result.stdout
