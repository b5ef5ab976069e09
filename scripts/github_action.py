"""The one script the GitHub Action (action.yml) runs, after installing newslint: check the
articles and report to GitHub.

1. With a diff base (on a pull request, `origin/BASE`), make sure the checkout has it and the
   history joining it to HEAD: actions/checkout fetches one commit by default, so the base
   branch is fetched and the history deepened (by 16 commits, then 32, ...) until git finds
   their merge base, or, after a few rounds, all of it is fetched.
2. Run `newslint check --format github` (with `--diff-base`): annotations on the lines the
   change touched, in the job's log. Its exit code is the script's.
3. Append `--format markdown` (the same check) to $GITHUB_STEP_SUMMARY, the job's summary page.
4. With a SARIF file named, write `--format sarif` of every file to it, for code scanning. Code
   scanning compares whole analyses itself (and shows a pull request only the alerts on its
   lines), so this run has no diff base: one that left the archive's problems out would have
   code scanning call them fixed.

Inputs come from the environment, as action.yml sets them from the action's inputs (never
pasted into a shell command): NEWSLINT_PATHS (paths, split as a shell splits words; default
"."), NEWSLINT_DIFF_BASE, NEWSLINT_FAIL_ON, NEWSLINT_SARIF_FILE; and GitHub's own
GITHUB_STEP_SUMMARY. The runs after the first are answered from newslint's result cache.

Only the standard library: it runs with the Python newslint is installed in, whatever version of
newslint that is (`python -m newslint`).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping

FIRST_DEEPENING = 16
DEEPENINGS = 6  # 16 + 32 + ... + 512 commits, then the whole history


def main(environ: Mapping[str, str] = os.environ) -> int:
    try:
        paths = shlex.split(environ.get("NEWSLINT_PATHS", "")) or ["."]
    except ValueError as exc:  # an unclosed quote
        print(f"newslint-action: the paths input cannot be split into paths: {exc}", file=sys.stderr)
        return 2
    base = environ.get("NEWSLINT_DIFF_BASE", "").strip()
    fail_on = environ.get("NEWSLINT_FAIL_ON", "").strip()
    options = ["--fail-on", fail_on] if fail_on else []
    changed = [*options, "--diff-base", base] if base else options
    if base:
        fetch_base(base)
    code = newslint("github", changed, paths)
    summary_file = environ.get("GITHUB_STEP_SUMMARY", "")
    if summary_file:
        markdown = newslint("markdown", changed, paths, capture=True)
        if markdown.stdout:
            with open(summary_file, "a", encoding="utf-8") as summary:
                summary.write(markdown.stdout)
    sarif_file = environ.get("NEWSLINT_SARIF_FILE", "")
    if sarif_file:
        with open(sarif_file, "w", encoding="utf-8") as sarif:
            sarif.write(newslint("sarif", options, paths, capture=True).stdout)
    return code


def newslint(output_format: str, options: list[str], paths: list[str], capture: bool = False):
    """Run `newslint check` with this Python; its exit code, or (with `capture`) the finished
    process with its output (stderr dropped: the first run said it all)."""
    command = [sys.executable, "-m", "newslint", "check", "--format", output_format, *options, "--", *paths]
    if not capture:
        return subprocess.run(command, check=False).returncode
    return subprocess.run(command, check=False, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def fetch_base(base: str) -> None:
    """Fetch `base` (a remote's branch, `origin/main`, or a commit) if the checkout lacks it, and
    deepen a shallow history until git finds the merge base of `base` and HEAD. Leaves the rest
    to newslint, which says what is missing if this could not fetch it."""
    remote, branch = _remote_branch(base)
    refspec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}" if branch else base
    if not _git_ok("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"):
        _git_ok("fetch", "--no-tags", "--depth=1", remote, refspec, show=True)
    depth = FIRST_DEEPENING
    for _ in range(DEEPENINGS):
        if _git_ok("merge-base", base, "HEAD") or not _shallow():
            return
        _git_ok("fetch", "--no-tags", f"--deepen={depth}", remote, refspec, show=True)
        depth *= 2
    if not _git_ok("merge-base", base, "HEAD") and _shallow():
        _git_ok("fetch", "--no-tags", "--unshallow", remote, refspec, show=True)


def _remote_branch(base: str) -> tuple[str, str | None]:
    """The remote `base` names a branch of (`origin/main` -> origin, main), or the first remote
    (origin) and None when it is not a remote's branch."""
    remotes = _git_output("remote").split() or ["origin"]
    for remote in remotes:
        if base.startswith(f"{remote}/"):
            return remote, base[len(remote) + 1 :]
    return ("origin" if "origin" in remotes else remotes[0]), None


def _shallow() -> bool:
    return _git_output("rev-parse", "--is-shallow-repository").strip() == "true"


def _git_ok(*args: str, show: bool = False) -> bool:
    """Whether git succeeds; with `show`, the command and its output are in the log."""
    if show:
        print(f"newslint-action: git {shlex.join(args)}", flush=True)
    return subprocess.run(["git", *args], check=False, capture_output=not show).returncode == 0


def _git_output(*args: str) -> str:
    return subprocess.run(["git", *args], check=False, capture_output=True, text=True).stdout


if __name__ == "__main__":
    sys.exit(main())
