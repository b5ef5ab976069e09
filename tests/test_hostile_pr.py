"""The whole threat model at once (docs/security.md): a pull request's checkout built as an
attacker would, with every attack the other hostile suites try one by one, run through the
commands the README gives for CI, then every file inside and outside compared with before."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import changes, log_problems, tree

from newslint.cli import main

PRECIOUS = "precious line that must never be printed or lost"
PASSWORD = "root:x:0:0:root:/root:/bin/bash"
COMMAND = "::error file=evil.txt::injected"
# A PR rule that flags every line, prints it and deletes it: through a link out of the tree it
# would print or empty whatever it reached. Its doc carries a workflow command.
EVERYTHING_RULE = f"""\
check: pattern
category: other
message: "{{match}}"
doc: {{what: "Every line.\\n{COMMAND}", why: "##[set-env name=X;]1"}}
patterns: ['^.+$']
fix: delete
examples: [{{text: "x\\n", expect: [1]}}]
"""
BACKTRACKING_GLOB = "*a*a*a*a*a*a*a*a*a*a*b"
ARTICLES = {  # the pull request's own articles: the only files --fix may change
    "story.md": "A story line.\nAdvertisement \x1b[2J\x07 ##vso[task.setvariable variable=Y]1\n",
    f"{COMMAND}.md": "Advertisement\n",
    f"a\n{COMMAND}.md": "Advertisement\n",
    "a" * 200 + ".txt": "Advertisement\n",
}


@pytest.fixture
def pull_request(tmp_path, monkeypatch) -> Path:
    home, outside, repo = tmp_path / "home", tmp_path / "outside", tmp_path / "repo"
    home.mkdir()
    outside.mkdir()
    (outside / "precious.txt").write_text(PRECIOUS + "\n")
    (outside / "passwd").write_text(PASSWORD + "\n")
    for n in range(12):
        (outside / f"{n:032x}").write_text(f"keep {n}\n")  # named like the cache's folders
    (repo / "pr-rules").mkdir(parents=True)
    (repo / "pr-rules" / "everything.yaml").write_text(EVERYTHING_RULE)
    (repo / ".newslint.yaml").write_text(
        f"rules: [pr-rules]\nexclude: ['{BACKTRACKING_GLOB}']\nper-file-ignores:\n  '{BACKTRACKING_GLOB}': [advertisement]\n"
    )
    for name, text in ARTICLES.items():
        (repo / name).write_text(text)
    (repo / "innocent.md").symlink_to("../outside/precious.txt")
    (repo / "users.txt").symlink_to(outside / "passwd")
    (repo / "outdir").symlink_to("../outside")
    # Ignore files: a pattern that backtracks on Python's re (it matches no article, so all
    # are checked), and one that is a link out of the tree.
    (repo / ".gitignore").write_text(f"{BACKTRACKING_GLOB}\n")
    (repo / "sub").mkdir()
    (repo / "sub" / ".gitignore").symlink_to(outside / "passwd")
    # A committed cache whose results folder leads outside: pruning it deleted files there.
    (repo / ".newslint_cache" / "v2").mkdir(parents=True)
    (repo / ".newslint_cache" / "v2" / "results").symlink_to("../../../outside")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("NEWSLINT_CACHE_DIR", raising=False)  # the default: .newslint_cache here
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return repo


COMMANDS = [  # as the README gives them for CI, and the fixes an editor would run
    (["check", "--format", "sarif", "."], {}),
    (["check", "."], {"GITHUB_ACTIONS": "true"}),
    (["check", "--format", "junit", "."], {}),
    (["check", "--diff", "."], {}),
    (["check", "--fix", "--unsafe-fixes", "."], {}),
]


@pytest.mark.parametrize(
    ("args", "env"), COMMANDS, ids=[" ".join(a[1:]) + (" (Actions)" if e else "") for a, e in COMMANDS]
)
def test_a_hostile_pull_request_changes_nothing_outside_its_articles(
    pull_request, tmp_path, capsys, monkeypatch, args, env
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = tree(tmp_path / "outside") | tree(pull_request)  # (the user's own key may be made in home)

    code = main(args)
    out, err = capsys.readouterr()

    assert code == 2  # problems found, and links out of the tree skipped (a defined code, never 3)
    for secret in (PRECIOUS, PASSWORD):
        assert secret not in out and secret not in err
    assert log_problems(out, own_commands="GITHUB_ACTIONS" in env) == []
    assert log_problems(err) == []
    assert "symbolic link to outside the checked tree" in err
    assert "sub/.gitignore: ignore file not used: a symbolic link, not followed" in err
    assert "not using the cache: .newslint_cache/v2/results is a symbolic link" in err
    after = tree(tmp_path / "outside") | tree(pull_request)
    fixed = {str(pull_request / name) for name in ARTICLES}
    assert set(changes(before, after)) <= (fixed if "--fix" in args else set())
    if "--fix" in args:
        assert all((pull_request / name).read_text() == "" for name in ARTICLES)  # the PR's rule deletes every line


@pytest.mark.parametrize("output_format", ["github", "markdown", "sarif"])
def test_the_actions_diff_base_run_on_a_hostile_pull_request(
    pull_request, tmp_path, capsys, monkeypatch, output_format
):
    # What the GitHub Action runs (scripts/github_action.py): the pull request's files, all new
    # to git here, checked against its base.
    import subprocess

    for args in (
        ["init", "-q", "-b", "main"],
        ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "base"],
    ):
        subprocess.run(["git", *args], cwd=pull_request, check=True, capture_output=True)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    outside = tree(tmp_path / "outside")
    before = {path: state for path, state in tree(pull_request).items() if "/.git/" not in path}

    code = main(["check", "--diff-base", "main", "--format", output_format, "."])
    out, err = capsys.readouterr()

    assert code == 2
    for secret in (PRECIOUS, PASSWORD):
        assert secret not in out and secret not in err
    assert log_problems(out, own_commands=output_format == "github") == [] and log_problems(err) == []
    assert "symbolic link to outside the checked tree" in err
    assert tree(tmp_path / "outside") == outside
    assert {path: state for path, state in tree(pull_request).items() if "/.git/" not in path} == before
