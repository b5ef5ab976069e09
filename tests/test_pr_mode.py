"""Pull-request mode (`newslint check --diff-base REF`) on real git repositories: what a branch
brings is reported, the archive's old problems are not."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import check_json

from newslint.cli import main

STORY = "A first paragraph of the old story that is long enough to be a paragraph of its own."
SECOND = "The second paragraph of the old story, which the branch edits, is long enough too."
THIRD = "A third paragraph closes the old story and is long enough to count as text as well."
NEW_STORY = "The new story opens with a paragraph that is long enough to be a paragraph on its own."
# old.md on main: junk on lines 3 and 9 that no one touches.
OLD = f"{STORY}\n\nAdvertisement\n\n{SECOND}\n\n{THIRD}\n\nContinue reading the main story\n"
# The branch edits the second paragraph (line 5), and the edit brings a share bar (line 6).
OLD_EDITED = OLD.replace(SECOND, f"{SECOND.replace('edits', 'edited')}\nShare this article")
NEW = f"{NEW_STORY}\n\nAdvertisement\n\n{NEW_STORY}\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """main: old.md with old junk; branch `pr`: a new article with junk, one paragraph of old.md
    edited (bringing junk), and gone.md (junk too) deleted."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "T")
    git(repo, "config", "core.autocrlf", "false")
    (repo / "old.md").write_text(OLD)
    (repo / "gone.md").write_text("Advertisement\n")
    commit(repo, "main")
    git(repo, "checkout", "-qb", "pr")
    (repo / "old.md").write_text(OLD_EDITED)
    (repo / "new.md").write_text(NEW)
    (repo / "gone.md").unlink()
    commit(repo, "pr")
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return repo


def found(payload: dict) -> set[tuple[str, str, int]]:
    return {(Path(v["path"]).name, v["rule"], v["line"]) for v in payload["violations"]}


BROUGHT = {
    ("new.md", "advertisement", 3),
    ("new.md", "duplicate-paragraph", 5),
    ("old.md", "share-bar", 6),
}


def test_reports_what_the_branch_brought_and_none_of_the_archive(repo, capsys):
    code, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert code == 1
    assert found(payload) == BROUGHT
    assert payload["summary"]["files_checked"] == 2
    assert payload["summary"]["outside_change"] == 2  # old.md's lines 3 and 9


def test_a_plain_check_still_reports_everything(repo, capsys):
    code, payload = check_json(capsys, "--no-cache")
    assert found(payload) == BROUGHT | {("old.md", "advertisement", 3), ("old.md", "advertisement", 10)}
    assert "outside_change" not in payload["summary"]


def test_the_text_summary_counts_what_it_left_out(repo, capsys):
    assert main(["check", "--no-cache", "--diff-base", "main"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == (
        "Found 3 problems in 2 files (3 fixable with --fix, 2 more on lines the change did not touch)."
    )


def test_paths_limit_the_files_checked(repo, capsys):
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "main", "old.md")
    assert found(payload) == {("old.md", "share-bar", 6)}


def test_a_branch_that_touches_no_junk_passes(repo, capsys):
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "clean")
    (repo / "old.md").write_text(OLD.replace(THIRD, THIRD.replace("closes", "ends")))
    commit(repo, "an edit without junk")
    assert main(["check", "--no-cache", "--diff-base", "main"]) == 0
    assert capsys.readouterr().out == "No problems found in 1 file (2 more on lines the change did not touch).\n"


def test_a_repeat_is_reported_where_its_later_copy_is_touched(repo, capsys):
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "copies")
    # The story's first paragraph printed again at the end: the later copy is the new one.
    (repo / "old.md").write_text(OLD + f"\n{STORY}\n")
    commit(repo, "copy at the end")
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert found(payload) == {("old.md", "duplicate-paragraph", 11)}
    # A copy put before the old paragraph makes the old one the later copy, which it did not touch.
    (repo / "old.md").write_text(f"{THIRD}\n\n" + OLD)
    commit(repo, "copy before")
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert found(payload) == set()
    assert payload["summary"]["outside_change"] == 3


def test_uncommitted_edits_and_new_files_count(repo, capsys):
    (repo / "draft.md").write_text("Advertisement\n")
    (repo / "old.md").write_text(OLD_EDITED.replace(THIRD, f"{THIRD}\nAdvertisement"))
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert found(payload) == BROUGHT | {("draft.md", "advertisement", 1), ("old.md", "advertisement", 9)}


def test_a_renamed_file_is_checked_under_its_new_name_on_its_changed_lines(repo, capsys):
    git(repo, "mv", "old.md", "renamed.md")
    commit(repo, "rename")
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert found(payload) == (BROUGHT - {("old.md", "share-bar", 6)}) | {("renamed.md", "share-bar", 6)}


def test_crlf_lines_are_counted_as_git_counts_them(repo, capsys):
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "crlf")
    (repo / "old.md").write_bytes(OLD.replace("\n", "\r\n").encode())
    commit(repo, "crlf")
    git(repo, "checkout", "-qb", "crlf-edit")
    (repo / "old.md").write_bytes(OLD_EDITED.replace("\n", "\r\n").encode())
    commit(repo, "crlf edit")
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "crlf")
    assert found(payload) == {("old.md", "share-bar", 6)}


def test_lone_cr_line_endings_are_renumbered_as_newslint_counts_lines(repo, capsys):
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "cr")
    (repo / "old.md").write_bytes(OLD.replace("\n", "\r").encode())  # one git line, 9 of newslint's
    commit(repo, "classic Mac line endings")
    git(repo, "checkout", "-qb", "cr-edit")
    (repo / "old.md").write_bytes(OLD.replace("\n", "\r").encode() + b"\nShare this article\n")
    commit(repo, "a line after them")
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "cr")
    # git changed its line 1 (its ending) and added line 2: newslint's lines 1 to 10.
    assert found(payload) == {
        ("old.md", "advertisement", 3),
        ("old.md", "advertisement", 9),
        ("old.md", "share-bar", 10),
    }


def test_a_detached_head_works(repo, capsys):
    git(repo, "checkout", "-q", "--detach", "pr")
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert found(payload) == BROUGHT


def test_a_shallow_clone_without_the_base_says_how_to_fetch_it(repo, tmp_path, monkeypatch, capsys):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth=1", "--branch", "pr", f"file://{repo}", str(clone)], check=True)
    monkeypatch.chdir(clone)
    assert main(["check", "--no-cache", "--diff-base", "origin/main"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("newslint: error: --diff-base origin/main: no such commit here")
    assert "git fetch --no-tags --depth=1 origin main" in err
    # The base fetched, but not the history that joins it to HEAD: deepen it.
    subprocess.run(
        ["git", "fetch", "-q", "--depth=1", "origin", "main:refs/remotes/origin/main"], cwd=clone, check=True
    )
    assert main(["check", "--no-cache", "--diff-base", "origin/main"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "git fetch --deepen" in err
    subprocess.run(["git", "fetch", "-q", "--unshallow", "origin"], cwd=clone, check=True)
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "origin/main")
    assert found(payload) == BROUGHT


def test_outside_a_repository_and_a_ref_like_an_option_are_usage_errors(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "a.md").write_text("Advertisement\n")
    assert main(["check", "--no-cache", "--diff-base", "main"]) == 2
    assert "--diff-base needs a git repository" in capsys.readouterr().err
    assert main(["check", "--no-cache", "--diff-base=--output=x"]) == 2
    assert "not a commit" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# Composition with what else decides what is reported.


def test_the_config_decides_which_files_and_rules(repo, capsys):
    (repo / ".newslint.yaml").write_text("ignore: [share-bar]\nexclude: [drafts]\n")
    (repo / "drafts").mkdir()
    (repo / "drafts" / "d.md").write_text("Advertisement\n")
    (repo / "script.py").write_text("print('Advertisement')\n")  # not an article: not taken from a folder
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert found(payload) == BROUGHT - {("old.md", "share-bar", 6)}


def test_suppression_comments_still_apply(repo, capsys):
    (repo / "new.md").write_text(
        NEW.replace("Advertisement", "<!-- newslint: disable-next-line advertisement -->\nAdvertisement")
    )
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert found(payload) == {("new.md", "duplicate-paragraph", 6), ("old.md", "share-bar", 6)}


def test_the_baseline_applies_first_and_keeps_its_entries_for_untouched_lines(repo, capsys):
    git(repo, "checkout", "-q", "main")
    assert main(["check", "--no-cache", "--baseline", "baseline.json", "--update-baseline"]) == 0
    git(repo, "checkout", "-q", "pr")
    capsys.readouterr()
    code, payload = check_json(capsys, "--no-cache", "--baseline", "baseline.json", "--diff-base", "main")
    err = capsys.readouterr().err
    assert code == 1 and found(payload) == BROUGHT
    # old.md's two problems are the baseline's: left out by it, and its entries are not stale.
    assert payload["summary"]["baselined"] == 2 and payload["summary"]["outside_change"] == 0
    assert "no problem any more" not in err


def test_the_result_cache_gives_the_same_report(repo, capsys, tmp_path):
    cache = str(tmp_path / "cache")
    first = check_json(capsys, "--cache-dir", cache, "--diff-base", "main")
    assert check_json(capsys, "--cache-dir", cache, "--diff-base", "main") == first
    assert check_json(capsys, "--cache-dir", cache)[1]["summary"]["problems"] == 5  # the cache kept all


@pytest.mark.parametrize("output_format", ["text", "json", "json-lines", "github", "sarif", "junit", "markdown"])
def test_every_format_reports_only_the_change(repo, capsys, output_format):
    assert main(["check", "--no-cache", "--diff-base", "main", "--format", output_format]) == 1
    out = capsys.readouterr().out
    dot = "\\." if output_format == "markdown" else "."  # Markdown escapes punctuation
    assert f"new{dot}md" in out and f"old{dot}md" in out
    if output_format == "sarif":  # which lists the rules' docs, examples of junk included
        assert len(json.loads(out)["runs"][0]["results"]) == 3
    else:
        assert "Continue reading" not in out  # old.md's line 10, untouched


def test_statistics_count_only_the_change(repo, capsys):
    assert main(["check", "--no-cache", "--diff-base", "main", "--statistics", "--format", "json"]) == 1
    statistics = json.loads(capsys.readouterr().out)["statistics"]
    assert {row["rule"]: row["count"] for row in statistics} == {
        "advertisement": 1,
        "duplicate-paragraph": 1,
        "share-bar": 1,
    }


# --fix and --diff fix only what is reported.


def test_fix_fixes_only_what_the_change_brought(repo, capsys):
    assert main(["check", "--no-cache", "--diff-base", "main", "--fix"]) == 0
    out = capsys.readouterr().out
    assert (repo / "new.md").read_text() == f"{NEW_STORY}\n"
    assert (repo / "old.md").read_text() == OLD_EDITED.replace("\nShare this article", "")
    assert (
        out.splitlines()[-1]
        == "Found 3 problems in 2 files (3 fixed, 0 remaining, 2 more on lines the change did not touch)."
    )
    # The archive's junk is still there, and a second run has nothing to fix.
    assert main(["check", "--no-cache", "--diff-base", "main", "--fix"]) == 0
    assert capsys.readouterr().out == "No problems found in 2 files (2 more on lines the change did not touch).\n"


def test_diff_shows_only_the_fixes_of_what_the_change_brought(repo, capsys):
    assert main(["check", "--no-cache", "--diff-base", "main", "--diff"]) == 1
    out, err = capsys.readouterr()
    removed = [line for line in out.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert sorted(removed) == sorted(["-", "-", "-Advertisement", f"-{NEW_STORY}", "-Share this article"])
    assert (
        err.strip()
        == "Would fix 3 problems; 0 would remain (found 3 problems in 2 files, 2 more on lines the change did not touch)."
    )


def test_fix_follows_the_changed_lines_through_its_passes(repo, capsys):
    # The branch's junk sits after old junk that a first pass would delete, were it touched:
    # lines shift under the fix, and what is untouched stays untouched.
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "shift")
    text = OLD + "\nAdvertisement\n\nShare this article\n"  # lines 11 and 13 are the branch's
    (repo / "old.md").write_text(text)
    commit(repo, "junk at the end")
    assert main(["check", "--no-cache", "--diff-base", "main", "--fix"]) == 0
    assert (repo / "old.md").read_text() == OLD
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Found 2 problems in 1 file (2 fixed, 0 remaining, 2 more on lines the change did not touch)."
    )


# What the change does not concern is not its problem; what it brings is escaped like any output.


def test_a_file_the_change_left_alone_is_not_reported_as_skipped(repo, tmp_path, capsys):
    (tmp_path / "secret.txt").write_text("Advertisement\n")
    git(repo, "checkout", "-q", "main")
    (repo / "link.md").symlink_to(tmp_path / "secret.txt")  # in the archive, out of the tree
    commit(repo, "a link out")
    git(repo, "checkout", "-q", "pr")
    git(repo, "merge", "-q", "main")
    capsys.readouterr()
    code, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert code == 1 and "link.md" not in capsys.readouterr().err
    (repo / "link2.md").symlink_to(tmp_path / "secret.txt")  # brought by the change
    assert main(["check", "--no-cache", "--diff-base", "main"]) == 2
    err = capsys.readouterr().err
    assert "link2.md: skipped: symbolic link to outside the checked tree" in err and "link.md:" not in err


def test_hostile_file_names_in_the_change_are_checked_and_escaped(repo, capsys):
    from helpers import log_problems

    command = "::error file=evil.txt::injected"
    for name in [f"a\n{command}.md", f"{command}.md", "b ##[x].md"]:
        (repo / name).write_text("Share this article\n")  # (not gone.md's text: that would be a rename)
    commit(repo, "hostile names")
    for output_format in ["text", "github", "markdown"]:
        assert main(["check", "--no-cache", "--diff-base", "main", "--format", output_format]) == 1
        out, err = capsys.readouterr()
        assert log_problems(out, own_commands=output_format == "github") == [] and log_problems(err) == []
    _, payload = check_json(capsys, "--no-cache", "--diff-base", "main")
    assert {v["path"] for v in payload["violations"]} >= {f"./a\n{command}.md", f"./{command}.md", "./b ##[x].md"}
