"""A tree an attacker built: a pull request controls the articles, their names, their symbolic
links and the config and rules the run uses. newslint reads and writes nothing outside the tree
it checks, and --fix loses nothing: not an edit made meanwhile, not the file's owner, group,
mode or extended attributes, not its hard links."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from newslint import atomic_write, fix, pipeline
from newslint.cli import main

AD = "Advertisement\n"  # one problem for the built-in `advertisement` rule


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-cache", "--jobs", "1", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


STORY = f"A story from the pull request.\n{AD}"
PRECIOUS = "precious line that must never be printed or lost\n"
PASSWORD = "root:x:0:0:root:/root:/bin/bash\n"

# A rule from the pull request: every line is a problem whose message is the line, and --fix
# deletes it. Through a link out of the tree it would print, or empty, whatever file it reaches.
EVERYTHING_RULE = """\
check: pattern
category: other
severity: error
message: "{match}"
doc: {what: Every line., why: To print and delete whatever it reaches.}
patterns: ['^.+$']
fix: delete
examples:
  - text: "x\\n"
    expect: [1]
"""


@pytest.fixture
def attack(tmp_path) -> Path:
    """tmp_path/repo, a pull request's checkout, and tmp_path/outside beside it. Returns the repo."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / "sub").mkdir(parents=True)
    (repo / "pr-rules").mkdir()
    outside.mkdir()
    (outside / "precious.txt").write_text(PRECIOUS)
    (outside / "passwd").write_text(PASSWORD)
    (repo / "pr-rules" / "everything.yaml").write_text(EVERYTHING_RULE)
    (repo / ".newslint.yaml").write_text("rules: [pr-rules]\n")
    (repo / "story.md").write_text(STORY)
    (repo / "innocent.md").symlink_to("../outside/precious.txt")  # a relative link
    (repo / "users.txt").symlink_to(outside / "passwd")  # an absolute one
    (repo / "sub" / "deeper.md").symlink_to("../../outside/precious.txt")
    (repo / "outdir").symlink_to("../outside")  # a folder: its files are reached through it
    (repo / "alias.md").symlink_to("story.md")  # inside the tree: checked and fixed as any file
    return repo


def assert_nothing_outside_leaked(out: str, err: str) -> None:
    for secret in (PRECIOUS, PASSWORD):
        assert secret.strip() not in out and secret.strip() not in err


def outside_message(path: str, real: Path) -> str:
    return (
        f"newslint: {path}: skipped: symbolic link to outside the checked tree "
        f"({real}; --follow-outside-links checks it)"
    )


def links(folder: Path) -> dict[str, str]:
    return {str(path): os.readlink(path) for path in folder.rglob("*") if path.is_symlink()}


@pytest.mark.parametrize("mode", ["check", "--diff", "--fix"])
def test_links_out_of_the_tree_are_neither_read_nor_written(attack, tmp_path, monkeypatch, capsys, tree_snapshot, mode):
    monkeypatch.chdir(attack)  # as in CI: the run's tree is the repository it runs in
    before, links_before = tree_snapshot(tmp_path), links(tmp_path)
    outside = (tmp_path / "outside").resolve()
    given = [".", "users.txt", "outdir/precious.txt", "outdir"]

    code, out, err = run(capsys, *([] if mode == "check" else [mode]), *given)

    assert code == 2
    messages = err.splitlines()
    if mode == "--diff":  # its summary goes to stderr
        assert messages.pop().endswith("5 files could not be checked.")
    assert messages == [
        outside_message("./innocent.md", outside / "precious.txt"),
        outside_message("./users.txt", outside / "passwd"),
        outside_message("./sub/deeper.md", outside / "precious.txt"),
        outside_message("outdir/precious.txt", outside / "precious.txt"),
        outside_message("outdir", outside),
    ]
    assert_nothing_outside_leaked(out, err)
    after = tree_snapshot(tmp_path)
    # Only the article inside the tree changed, and only with --fix (through its link too).
    story = str(attack / "story.md")
    assert sorted(after) == sorted(before)  # no file added (a temporary file left behind)
    assert {path for path in before if after[path] != before[path]} == ({story} if mode == "--fix" else set())
    if mode == "--fix":
        assert after[story][0] == b""  # every line deleted by the pull request's rule
    assert links(tmp_path) == links_before  # every link is still a link, to where it was


def test_a_folder_given_from_elsewhere_is_the_tree(attack, tmp_path, monkeypatch, capsys, tree_snapshot):
    # From another folder, `newslint check repo` checks the repository as its own tree: links
    # inside it work, links out of it are skipped.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    before = tree_snapshot(tmp_path / "outside")
    code, out, err = run(capsys, "--rules", str(attack / "pr-rules"), "--fix", str(attack))
    assert code == 2
    outside = (tmp_path / "outside").resolve()
    assert err.splitlines() == [
        outside_message(str(attack / "innocent.md"), outside / "precious.txt"),
        outside_message(str(attack / "users.txt"), outside / "passwd"),
        outside_message(str(attack / "sub" / "deeper.md"), outside / "precious.txt"),
    ]
    assert_nothing_outside_leaked(out, err)
    assert tree_snapshot(tmp_path / "outside") == before
    assert (attack / "story.md").read_text() == ""


def test_a_file_given_from_elsewhere_has_its_folder_as_tree(attack, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path / "outside")
    code, out, err = run(capsys, str(attack / "innocent.md"), str(attack / "alias.md"))
    assert code == 2
    assert err.splitlines() == [
        outside_message(str(attack / "innocent.md"), (tmp_path / "outside" / "precious.txt").resolve())
    ]
    assert f"{attack / 'alias.md'}:2:1: error advertisement" in out


def test_follow_outside_links_reads_them_and_only_the_flag_turns_it_on(attack, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(attack)
    code, out, err = run(capsys, "--follow-outside-links", "users.txt")
    assert (code, err) == (1, "")
    assert PASSWORD.strip() in out  # what the flag is for: the user asked for it
    # The config comes from the pull request: it cannot ask for it.
    (attack / ".newslint.yaml").write_text("rules: [pr-rules]\nfollow-outside-links: true\n")
    code, out, err = run(capsys, "users.txt")
    assert code == 2 and "follow-outside-links" in err
    assert_nothing_outside_leaked(out, err)


def test_a_link_swapped_in_after_the_walk_is_not_followed(attack, tmp_path, monkeypatch, capsys, tree_snapshot):
    # discover vetted story.md, a plain file; by the time it is read it is a link out of the tree.
    monkeypatch.chdir(attack)
    real_discover = pipeline.discover

    def discover_then_swap(*args):
        found = real_discover(*args)
        (attack / "story.md").unlink()
        (attack / "story.md").symlink_to(tmp_path / "outside" / "precious.txt")
        return found

    monkeypatch.setattr(pipeline, "discover", discover_then_swap)
    before = tree_snapshot(tmp_path / "outside")
    code, out, err = run(capsys, "--fix", "story.md")
    assert code == 2
    assert err == f"newslint: story.md: cannot read: {os.strerror(errno.ELOOP)}\n"
    assert_nothing_outside_leaked(out, err)
    assert tree_snapshot(tmp_path / "outside") == before


# --fix and an edit made meanwhile: the edit is kept, the fix is not written.


def edit_in_place(path: Path) -> None:
    with path.open("a") as handle:
        handle.write("A paragraph the editor added.\n")


def save_by_rename(path: Path) -> None:
    """What many editors do: write a new file and rename it over the old one."""
    new = path.with_name(path.name + ".swp")
    new.write_text(path.read_text() + "A paragraph the editor added.\n")
    new.replace(path)


@pytest.mark.parametrize("edit", [edit_in_place, save_by_rename])
@pytest.mark.parametrize("when", ["while fixing", "while writing"])
def test_an_edit_made_while_fixing_is_kept(tmp_path, monkeypatch, capsys, edit, when):
    article = tmp_path / "a.md"
    article.write_text(STORY)
    if when == "while fixing":  # between the read and the write
        real = fix.fix_document

        def fix_document(*args, **kwargs):
            edit(article)
            return real(*args, **kwargs)

        monkeypatch.setattr(fix, "fix_document", fix_document)
    else:  # the fixed bytes are in the temporary file; the original is replaced next
        real_fsync = os.fsync

        def fsync(fd):
            edit(article)
            real_fsync(fd)

        monkeypatch.setattr(atomic_write.os, "fsync", fsync)
    code, out, err = run(capsys, "--fix", str(article))
    assert code == 2
    assert err == f"newslint: {article}: changed while being fixed, left unchanged\n"
    assert article.read_text() == STORY + "A paragraph the editor added.\n"
    assert out.endswith("Found 1 problem in 1 file (1 fixable with --fix). 1 file could not be checked.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]  # no temporary file left


def test_a_file_removed_while_fixing_stays_removed(tmp_path, monkeypatch, capsys):
    article = tmp_path / "a.md"
    article.write_text(STORY)
    real = fix.fix_document

    def fix_document(*args, **kwargs):
        article.unlink()
        return real(*args, **kwargs)

    monkeypatch.setattr(fix, "fix_document", fix_document)
    code, out, err = run(capsys, "--fix", str(article))
    assert (code, err) == (2, f"newslint: {article}: changed while being fixed, left unchanged\n")
    assert list(tmp_path.iterdir()) == []


# What a rename would lose: owner, group, mode, extended attributes, hard links.


def test_owner_group_and_mode_are_kept(tmp_path, capsys):
    article = tmp_path / "a.md"
    article.write_text(STORY)
    if os.geteuid() == 0:
        owner, group = 4321, 8765  # root may give a file to anyone
    else:
        other_groups = [g for g in os.getgroups() if g != os.getegid()]
        if not other_groups:
            pytest.skip("needs root, or a user in a second group")
        owner, group = os.geteuid(), other_groups[0]
    os.chown(article, owner, group)
    article.chmod(0o640)
    assert run(capsys, "--fix", str(article))[0] == 0
    info = article.stat()
    assert article.read_text() == "A story from the pull request.\n"  # fixed
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (owner, group, 0o640)


def set_attribute(path: Path, name: str, value: bytes) -> None:
    try:
        os.setxattr(path, name, value)
    except (AttributeError, OSError) as exc:
        pytest.skip(f"cannot set the extended attribute {name} here: {exc}")


def test_extended_attributes_are_kept(tmp_path, capsys):
    article = tmp_path / "a.md"
    article.write_text(STORY)
    set_attribute(article, "user.newslint.origin", b"wire copy")
    set_attribute(article, "user.empty", b"")
    assert run(capsys, "--fix", str(article))[0] == 0
    assert article.read_text() == "A story from the pull request.\n"
    assert os.getxattr(article, "user.newslint.origin") == b"wire copy"
    assert os.getxattr(article, "user.empty") == b""


def test_an_attribute_the_system_refuses_to_copy_does_not_stop_the_fix(tmp_path, monkeypatch, capsys):
    # trusted.* and most of security.* may be set by root only.
    article = tmp_path / "a.md"
    article.write_text(STORY)
    set_attribute(article, "user.kept", b"1")
    set_attribute(article, "user.refused", b"2")
    real_setxattr = os.setxattr

    def setxattr(target, name, value, *args, **kwargs):
        if name == "user.refused":
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))
        return real_setxattr(target, name, value, *args, **kwargs)

    monkeypatch.setattr(atomic_write.os, "setxattr", setxattr)
    assert run(capsys, "--fix", str(article))[0] == 0
    assert article.read_text() == "A story from the pull request.\n"
    assert os.getxattr(article, "user.kept") == b"1"


def test_an_attribute_that_cannot_be_copied_for_another_reason_leaves_the_file(tmp_path, monkeypatch, capsys):
    article = tmp_path / "a.md"
    article.write_text(STORY)
    set_attribute(article, "user.big", b"1")

    def setxattr(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_write.os, "setxattr", setxattr)
    code, out, err = run(capsys, "--fix", str(article))
    assert code == 2
    assert err == f"newslint: {article}: cannot write the fixes, left unchanged: No space left on device\n"
    assert article.read_text() == STORY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_a_file_with_hard_links_is_not_split(tmp_path, capsys):
    article, other = tmp_path / "a.md", tmp_path / "copy-in-another-desk.md"
    article.write_text(STORY)
    os.link(article, other)
    code, out, err = run(capsys, "--fix", str(article))
    assert code == 2
    assert err == (
        f"newslint: {article}: has 2 hard links: fixing would split them; left unchanged (--diff shows the fixes)\n"
    )
    assert article.read_text() == other.read_text() == STORY
    assert article.stat().st_ino == other.stat().st_ino
    assert out.endswith("Found 1 problem in 1 file (1 fixable with --fix). 1 file could not be checked.\n")


def test_a_file_name_of_255_bytes_is_fixed(tmp_path, capsys):
    name = "a" * 252 + ".md"
    assert len(os.fsencode(name)) == 255
    article = tmp_path / name
    try:
        article.write_text(STORY)
    except OSError as exc:
        pytest.skip(f"this file system refuses a 255-byte name: {exc}")
    code, out, err = run(capsys, "--fix", str(article))
    assert (code, err) == (0, "")
    assert article.read_text() == "A story from the pull request.\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]


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
        f'{deep_tree / "shallow.md"}:1:1: error advertisement Advertisement marker left in the text: "Advertisement"',
        f'{at_1500}:1:1: error advertisement Advertisement marker left in the text: "Advertisement"',
    ]
