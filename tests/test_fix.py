"""--fix, --diff and --unsafe-fixes: what gets deleted, what the file looks like after, how it is written."""

from __future__ import annotations

import errno
import json
import os
import stat
from itertools import permutations

import pytest

from newslint import atomic_write
from newslint import document as documents
from newslint.cli import main
from newslint.config import Config
from newslint.filters import Plan, find_problems
from newslint.fix import apply_fixes, fix_document
from newslint.rules import load_rules

FOOTER = "Track Latest News Live on NDTV.com and get news updates from India and around the world"
PARA_A = "The council voted on Tuesday to build six miles of protected cycle lanes through the centre."
PARA_B = "Work on the first stretch, along the river, is due to begin in the spring, the council said."
# A near copy of PARA_A: one word changed, so deleting it is an unsafe fix.
NEAR_A = "The council voted on Monday to build six miles of protected cycle lanes through the centre."


@pytest.fixture(scope="module")
def find():
    """The problems a plain `newslint check` reports."""
    return find_problems(Plan.of(Config(root="."), load_rules([])))


def fixed(text: str, find, unsafe: bool = False) -> str:
    return fix_document(documents.from_text(text), find, unsafe=unsafe).document.text


def test_seed_article_fixed_is_its_lines_2_to_14(fixtures, find):
    data = (fixtures / "seed.txt").read_bytes()
    assert not data.endswith(b"\n")  # the seed has no final newline, so neither has the fix
    outcome = fix_document(documents.from_bytes(data, "seed.txt"), find)
    assert outcome.data == b"".join(data.splitlines(keepends=True)[1:14]).removesuffix(b"\n")
    assert outcome.fixed == 3
    assert [v.rule for v in outcome.remaining] == ["orphan-dateline"]  # a warning: no fix


@pytest.mark.parametrize(
    "before, after",
    [
        # A footer paragraph between blank lines: one blank line stays, not two.
        (f"{PARA_A}\n\n{FOOTER}\n\n{PARA_B}\n", f"{PARA_A}\n\n{PARA_B}\n"),
        # The separator before the deleted paragraph is the one that stays.
        (f"{PARA_A}\n\n\n{FOOTER}\n\n{PARA_B}\n", f"{PARA_A}\n\n\n{PARA_B}\n"),
        # First or last paragraph: no blank line left at the start or the end.
        (f"{FOOTER}\n\n{PARA_A}\n", f"{PARA_A}\n"),
        (f"{PARA_A}\n\n{FOOTER}\n", f"{PARA_A}\n"),
        # ... unless the file had them.
        (f"\n{FOOTER}\n\n{PARA_A}\n", f"\n{PARA_A}\n"),
        (f"{PARA_A}\n\n{FOOTER}\n\n", f"{PARA_A}\n\n"),
        # No final newline before, none after.
        (f"{PARA_A}\n\n{FOOTER}", PARA_A),
        (f"{PARA_A}\n{FOOTER}", PARA_A),
        # One paragraph per line, no blank lines: just the line goes.
        (f"{PARA_A}\nADVERTISEMENT\n{PARA_B}\n", f"{PARA_A}\n{PARA_B}\n"),
        # CRLF stays CRLF.
        (f"{PARA_A}\r\n\r\n{FOOTER}\r\n\r\n{PARA_B}\r\n", f"{PARA_A}\r\n\r\n{PARA_B}\r\n"),
        # A lone CR then a blank "\n" would read as one CRLF line: the blank line keeps a CR.
        (f"{PARA_A}\rADVERTISEMENT\n\n{PARA_B}\n", f"{PARA_A}\r\r{PARA_B}\n"),
        # Blank lines no deletion touched are left alone.
        (f"{PARA_A}\n\n\n{PARA_B}\n\n{FOOTER}\n", f"{PARA_A}\n\n\n{PARA_B}\n"),
        # The later copy of a block goes with the blank lines inside it; the first copy stays.
        (f"{PARA_A}\n\n{PARA_B}\n\n{PARA_A}\n\n{PARA_B}\n\nEnd.\n", f"{PARA_A}\n\n{PARA_B}\n\nEnd.\n"),
        # Everything is junk: nothing is left.
        (f"{FOOTER}\n\nADVERTISEMENT\n", ""),
    ],
)
def test_deletions_keep_paragraph_separation(find, before, after):
    assert fixed(before, find) == after


def test_footer_inside_a_duplicated_block_is_deleted_once_in_any_order(find):
    text = f"{PARA_A}\n{PARA_B}\n{PARA_A}\nADVERTISEMENT\n{PARA_B}\nEnd.\n"
    doc = documents.from_text(text)
    fixes = [v.fix for v in find(doc) if v.fix is not None]
    assert len(fixes) == 2  # the block (lines 3-5) and the footer inside it (line 4)
    results = {apply_fixes(doc, list(order)) for order in permutations(fixes)}
    assert results == {f"{PARA_A}\n{PARA_B}\nEnd.\n"}


def test_near_copies_need_unsafe_fixes(find):
    text = f"{PARA_A}\n{PARA_B}\n{NEAR_A}\n"
    outcome = fix_document(documents.from_text(text), find)
    assert outcome.fixed == 0 and outcome.document.text == text
    assert [v.fix.safe for v in outcome.remaining] == [False]
    assert fixed(text, find, unsafe=True) == f"{PARA_A}\n{PARA_B}\n"


def test_junk_inside_a_line_is_cut_out_and_the_line_stays(tmp_path, capsys):
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "inline-teaser.yaml").write_text(
        "check: phrase\ncategory: other\nmessage: 'Teaser: {match}'\n"
        "doc: {what: A teaser inside a sentence., why: Noise.}\n"
        "match: contains\nphrases: ['[READ MORE]']\nfix: delete\n"
        'examples:\n  - text: "a [READ MORE] b\\n"\n    expect: [1]\n  - text: "a b\\n"\n    expect: []\n'
    )
    article = tmp_path / "a.txt"
    article.write_text("The council voted [READ MORE] on Tuesday.\n[READ MORE]\nThe end.\n")
    assert main(["check", "--fix", "--rules", str(rules_dir), str(article)]) == 0
    assert article.read_text() == "The council voted on Tuesday.\nThe end.\n"
    # The lone "[READ MORE]" line is also the built-in related-link-list's: 3 problems, one line.
    assert "Found 3 problems in 1 file (3 fixed, 0 remaining)." in capsys.readouterr().out


# -- the command line --------------------------------------------------------------------------


@pytest.fixture
def seed_copy(tmp_path, fixtures):
    path = tmp_path / "calais.txt"
    path.write_bytes((fixtures / "seed.txt").read_bytes())
    return path


def test_fix_writes_the_file_and_reports_what_remains(seed_copy, fixtures, capsys):
    assert main(["check", "--fix", str(seed_copy)]) == 1  # the dateline warning remains
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f'{seed_copy}:1:1: warning orphan-dateline Dateline alone on its line: "London:"',
        "Found 4 problems in 1 file (3 fixed, 1 remaining).",
    ]
    seed_lines = (fixtures / "seed.txt").read_bytes().splitlines(keepends=True)
    assert seed_copy.read_bytes() == b"".join(seed_lines[1:14]).removesuffix(b"\n")


def test_fix_exits_0_when_everything_was_fixed(seed_copy, capsys):
    assert main(["check", "--fix", "--ignore", "orphan-dateline", str(seed_copy)]) == 0
    assert "Found 3 problems in 1 file (3 fixed, 0 remaining)." in capsys.readouterr().out
    # pre-commit's convention, for the newslint-fix hook: changing a file fails the run.
    seed_copy.write_text(f"{PARA_A}\nADVERTISEMENT\n")
    assert main(["check", "--fix", "--exit-non-zero-on-fix", str(seed_copy)]) == 1
    assert main(["check", "--fix", "--exit-non-zero-on-fix", str(seed_copy)]) == 0


def test_second_fix_changes_nothing_and_check_finds_nothing_fixable(seed_copy, capsys):
    main(["check", "--fix", str(seed_copy)])
    once = seed_copy.read_bytes()
    before = os.stat(seed_copy)
    main(["check", "--fix", str(seed_copy)])
    after = os.stat(seed_copy)
    assert seed_copy.read_bytes() == once
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not rewritten
    capsys.readouterr()
    main(["check", "--format", "json", str(seed_copy)])
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert (summary["fixable"], summary["unsafe_fixable"], summary["problems"]) == (0, 0, 1)


def test_diff_prints_the_change_and_writes_nothing(seed_copy, capsys):
    original = seed_copy.read_bytes()
    assert main(["check", "--diff", str(seed_copy)]) == 1
    captured = capsys.readouterr()
    assert seed_copy.read_bytes() == original
    assert captured.out.startswith(f"--- {seed_copy}\n+++ {seed_copy}\n@@ -1,4 +1,3 @@\n-File photo of UK police.\n")
    assert f"-{FOOTER}\n\\ No newline at end of file\n" in captured.out
    assert captured.err == "Would fix 3 problems; 1 would remain (found 4 problems in 1 file).\n"


def test_diff_of_a_clean_file_is_empty(fixtures, capsys):
    assert main(["check", "--diff", str(fixtures / "clean.md")]) == 0
    assert capsys.readouterr().out == ""


def test_unsafe_fixes_only_with_fix_or_diff(seed_copy, capsys):
    assert main(["check", "--unsafe-fixes", str(seed_copy)]) == 2
    assert "--unsafe-fixes needs --fix or --diff" in capsys.readouterr().err


def test_unsafe_fixes_from_the_command_line(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(f"{PARA_A}\n{PARA_B}\n{NEAR_A}\n")
    assert main(["check", "--fix", str(article)]) == 1
    assert capsys.readouterr().out.endswith("Found 1 problem in 1 file (1 more with --unsafe-fixes).\n")
    assert article.read_text() == f"{PARA_A}\n{PARA_B}\n{NEAR_A}\n"
    assert main(["check", "--fix", "--unsafe-fixes", str(article)]) == 0
    assert article.read_text() == f"{PARA_A}\n{PARA_B}\n"


def test_fix_keeps_bom_crlf_and_permissions(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_bytes(f"\ufeff{PARA_A}\r\n\r\n{FOOTER}\r\n\r\n{PARA_B}\r\n".encode())
    article.chmod(0o640)
    assert main(["check", "--fix", str(article)]) == 0
    assert article.read_bytes() == f"\ufeff{PARA_A}\r\n\r\n{PARA_B}\r\n".encode()
    assert stat.S_IMODE(article.stat().st_mode) == 0o640


def test_fix_through_a_symlink_keeps_the_link(tmp_path, capsys):
    target = tmp_path / "real.txt"
    target.write_text(f"{PARA_A}\nADVERTISEMENT\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert main(["check", "--fix", str(link)]) == 0
    assert link.is_symlink() and target.read_text() == f"{PARA_A}\n"


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_original_and_no_temp_file(seed_copy, monkeypatch, capsys, failing):
    original = seed_copy.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_write.os, failing, disk_full)
    assert main(["check", "--fix", str(seed_copy)]) == 2
    captured = capsys.readouterr()
    assert seed_copy.read_bytes() == original
    assert sorted(p.name for p in seed_copy.parent.iterdir()) == [seed_copy.name]
    assert f"{seed_copy}: cannot write the fixes, left unchanged: No space left on device" in captured.err
    assert "Found 4 problems in 1 file (3 fixable with --fix)." in captured.out  # as found, nothing fixed


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write read-only files")
def test_a_read_only_file_is_not_fixed(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(f"{PARA_A}\nADVERTISEMENT\n")
    article.chmod(0o444)
    assert main(["check", "--fix", str(article)]) == 2
    assert article.read_text() == f"{PARA_A}\nADVERTISEMENT\n"
    assert "cannot write the fixes, left unchanged: Permission denied" in capsys.readouterr().err


def junk_lines(doc) -> list:
    """A finder that reports each line "junk" (deleting it), and each line "junk2" once the
    text is shorter than 7 lines: a problem that only a fix reveals, on lines that moved."""
    from newslint.violations import Fix, Violation

    names = {"junk", "junk2"} if len(doc.lines) < 7 else {"junk"}
    return [
        Violation(
            doc.path,
            line.number,
            1,
            line.number,
            len(line.text) + 1,
            "junk",
            "other",
            "error",
            "m",
            fix=Fix(line.offset, line.offset + len(line.text) + len(line.ending)),
        )
        for line in doc.lines
        if line.text in names
    ]


def test_fixing_only_some_lines_follows_them_as_fixes_move_them():
    # Only lines 4, 6 and 7 may be fixed (a change added them). The first pass deletes line 4,
    # which moves line 6 up to 5, where the second pass finds junk2 and deletes it; line 2 stays.
    doc = documents.from_text("a\njunk\nb\njunk\nc\njunk2\nd\n")
    outcome = fix_document(doc, junk_lines, lines=((4, 4), (6, 7)))
    assert outcome.document.text == "a\njunk\nb\nc\nd\n"
    assert outcome.fixed == 2
    assert [v.line for v in outcome.remaining] == [2]
    assert outcome.lines == ((5, 5),)  # line 7 ("d") is line 5 now; the others are gone
