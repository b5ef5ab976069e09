"""The README's install snippets work as written: every git ref they name exists, and the
pre-commit snippet's `rev:` is pinned by `pre-commit autoupdate --freeze` as the README says."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
URL = "https://github.com/newslint/newslint"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(), reason="needs git and a git checkout of newslint"
)


def git(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def named_refs() -> set[str]:
    """The git refs the README and the workflow file install or pin."""
    texts = [README, (REPO / "docs" / "github-workflow.yml").read_text(encoding="utf-8")]
    refs = {ref for text in texts for ref in re.findall(re.escape(URL) + r"@([^\"\s<>]+)\"", text)}
    config = yaml.safe_load(precommit_snippet())
    refs |= {repo["rev"] for repo in config["repos"] if repo["repo"] == URL}
    refs |= {ref for text in texts for ref in re.findall(r"uses: newslint/newslint@([^\s#]+)", text)}
    return refs


def precommit_snippet() -> str:
    return re.search(r"```yaml\n(# \.pre-commit-config\.yaml.*?)```", README, re.S).group(1)


def test_every_ref_the_snippets_name_exists():
    refs = named_refs()
    assert refs, "the README names no ref to install"
    if (
        git("rev-parse", "--verify", "--quiet", "main^{commit}").returncode
        and git("rev-parse", "--verify", "--quiet", "origin/main^{commit}").returncode
    ):
        pytest.skip("this checkout has no main branch to resolve refs against (a shallow CI checkout)")
    for ref in refs:
        found = any(
            git("rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}").returncode == 0
            for candidate in (ref, f"origin/{ref}")
        )
        assert found, f"the README names {URL}@{ref}, which is no commit, branch or tag of newslint"


def test_autoupdate_freeze_pins_the_snippet_to_a_commit(tmp_path):
    # The snippet as the README gives it, with the repository at a path instead of on GitHub.
    articles = tmp_path / "articles"
    articles.mkdir()
    git("init", "-q", cwd=articles)
    config = articles / ".pre-commit-config.yaml"
    config.write_text(precommit_snippet().replace(URL, str(REPO)))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "autoupdate", "--freeze", "--repo", str(REPO)],
        cwd=articles,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (repo,) = yaml.safe_load(config.read_text())["repos"]
    assert re.fullmatch(r"[0-9a-f]{40}", repo["rev"]), repo["rev"]
    assert [hook["id"] for hook in repo["hooks"]] == ["newslint"]
