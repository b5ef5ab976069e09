"""Bad articles: each gets one line on stderr naming the file, the run exits 2 (or 0/1 when the
file is fine), the other files are still checked, and nothing is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newslint import document, pipeline, reading
from newslint.cli import main
from newslint.linter import lint

AD = "Advertisement\n"  # one problem for the built-in `advertisement` rule


def run(args: list[str], capsys) -> tuple[int, list[str], list[str]]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_bad_files_get_one_line_each_and_the_rest_are_checked(tmp_path, capsys, tree_snapshot):
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes(b"Le caf\xe9 ferme.\n")
    (tmp_path / "utf16.txt").write_bytes("Advertisement\n".encode("utf-16"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b"  \n\t\n\r\n   ")
    (tmp_path / "good.txt").write_text(AD)
    before = tree_snapshot(tmp_path)

    code, out, err = run([str(tmp_path)], capsys)

    assert code == 2
    assert err == [
        f"newslint: {tmp_path / 'binary.txt'}: skipped: binary file (NUL byte at byte offset 8)",
        f"newslint: {tmp_path / 'latin1.txt'}: skipped: not valid UTF-8: byte 0xe9 at line 1, column 7 (byte offset 6)",
        f"newslint: {tmp_path / 'utf16.txt'}: skipped: UTF-16 or UTF-32 text (newslint reads UTF-8 only)",
    ]
    assert out == [
        f'{tmp_path / "good.txt"}:1:1: error advertisement Advertisement marker left in the text: "Advertisement"',
        "Found 1 problem in 1 file (1 fixable with --fix). 3 files could not be checked.",
    ]
    assert tree_snapshot(tmp_path) == before


def test_empty_and_whitespace_only_files_are_clean(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "spaces.txt").write_bytes(b" \t \r\n\n\r  \n")
    (tmp_path / "bom-only.md").write_bytes(b"\xef\xbb\xbf")
    code, out, err = run([str(tmp_path)], capsys)
    assert (code, out, err) == (0, ["No problems found in 3 files."], [])


def test_invalid_utf8_position_counts_lines_as_the_document_does():
    # LF, CRLF and a lone CR each end a line; the column counts characters, not bytes.
    with pytest.raises(document.DecodeError) as info:
        document.from_bytes(b"one\r\ntwo\rthree\n" + "né ".encode() + b"\xff")
    error = info.value
    assert (error.line, error.column) == (4, 4)
    assert str(error) == "not valid UTF-8: byte 0xff at line 4, column 4 (byte offset 19)"


def test_a_nul_byte_anywhere_makes_a_file_binary():
    data = b"text\n" * 5000 + b"\x00"
    with pytest.raises(document.DecodeError, match="binary file \\(NUL byte at byte offset 25000\\)"):
        document.from_bytes(data)


def limit_to(monkeypatch, max_bytes: int) -> None:
    """NEWSLINT_MAX_FILE_MB set to exactly `max_bytes` bytes (a power of two's fraction: exact)."""
    monkeypatch.setenv("NEWSLINT_MAX_FILE_MB", repr(max_bytes / reading.MEGABYTE))


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cached", "no-cache"])
def test_a_file_over_the_size_limit_is_skipped_unread(tmp_path, capsys, monkeypatch, cache):
    article = tmp_path / "big.txt"
    article.write_text("A long line. " * 100 + "\n" + AD)  # 1,315 bytes
    limit_to(monkeypatch, 1315)
    assert run([*cache, str(article)], capsys)[::2] == (1, [])
    limit_to(monkeypatch, 1314)
    code, out, err = run([*cache, str(article)], capsys)
    assert code == 2 and out[-1].endswith("1 file could not be checked.")
    assert err == [
        f"newslint: {article}: skipped: file too large (0.0 MB; the limit is 0.00125313 MB, "
        "set NEWSLINT_MAX_FILE_MB to change it)"
    ]


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cached", "no-cache"])
def test_a_file_of_too_many_short_lines_is_skipped(tmp_path, capsys, monkeypatch, cache):
    # Lines cost memory whatever their length: the limit allows one line per 32 bytes. A
    # result cached under a larger limit is not used: the file is read, and held to the
    # limits, as a run without the cache would.
    article = tmp_path / "lines.txt"
    article.write_text("\r\n" * 99 + AD)  # 100 lines in 212 bytes
    limit_to(monkeypatch, 3200)
    assert run([*cache, str(article)], capsys)[::2] == (1, [])
    limit_to(monkeypatch, 3199)
    code, out, err = run([*cache, str(article)], capsys)
    assert code == 2
    assert err == [
        f"newslint: {article}: skipped: too many lines (100; the limit is 99 for files up to 0.0030508 MB, "
        "set NEWSLINT_MAX_FILE_MB to change it)"
    ]


def test_the_size_limit_comes_from_the_environment(tmp_path, capsys, monkeypatch):
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(AD)
    big.write_text("x" * 2_000_000)
    monkeypatch.setenv("NEWSLINT_MAX_FILE_MB", "1")
    code, out, err = run([str(tmp_path)], capsys)
    assert code == 2
    assert err == [
        f"newslint: {big}: skipped: file too large (1.9 MB; the limit is 1 MB, set NEWSLINT_MAX_FILE_MB to change it)"
    ]
    assert out[-1] == "Found 1 problem in 1 file (1 fixable with --fix). 1 file could not be checked."
    monkeypatch.setenv("NEWSLINT_MAX_FILE_MB", "lots")
    code, out, err = run([str(small)], capsys)
    assert code == 2
    assert err == ["newslint: error: NEWSLINT_MAX_FILE_MB must be a positive number of megabytes, not 'lots'"]


def test_the_default_size_limit_lets_a_20_mb_line_through_and_refuses_200_mb(monkeypatch):
    monkeypatch.delenv("NEWSLINT_MAX_FILE_MB", raising=False)
    assert 20 << 20 < reading.max_file_bytes() < 200 << 20


def test_a_20_mb_single_line_is_checked(tmp_path):
    # Run in a subprocess so that a check gone quadratic fails the test instead of hanging it.
    article = tmp_path / "one-line.txt"
    line = ("lorem ipsum dolor sit amet consectetur " * 520_000)[: 20 << 20]
    article.write_text(line + "\n" + AD)
    result = subprocess.run(
        [sys.executable, "-m", "newslint", "check", str(article)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith(f"{article}:2:1: error advertisement")


def test_a_file_that_vanishes_mid_run_is_named_and_the_rest_are_checked(tmp_path, capsys, monkeypatch):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(AD)

    def discover_then_delete(*args):
        found, missing = real_discover(*args)
        (tmp_path / "b.txt").unlink()
        return found, missing

    real_discover = pipeline.discover
    monkeypatch.setattr(pipeline, "discover", discover_then_delete)
    code, out, err = run([str(tmp_path)], capsys)
    assert code == 2
    assert err == [f"newslint: {tmp_path / 'b.txt'}: cannot read: No such file or directory"]
    assert out[-1] == "Found 2 problems in 2 files (2 fixable with --fix). 1 file could not be checked."


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_named(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text(AD)
    secret.chmod(0)
    code, out, err = run([str(secret)], capsys)
    assert (code, err) == (2, [f"newslint: {secret}: cannot read: Permission denied"])


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_read_that_fails_midway_is_named(capsys, fixtures):
    # /proc/self/mem opens as a regular file, then fails with EIO on read.
    code, out, err = run(["/proc/self/mem", str(fixtures / "seed.txt")], capsys)
    assert code == 2
    assert err == ["newslint: /proc/self/mem: cannot read: Input/output error"]
    assert out[-1].startswith("Found 4 problems in 1 file")


@pytest.mark.parametrize("reported", [0, 10, 99, 101, 5000])
def test_a_file_whose_size_changed_since_fstat_is_read_whole(tmp_path, monkeypatch, reported):
    # A file that grew or shrank between fstat and read (fstat reporting another size): the
    # bytes read are the file's, all of them, whatever size fstat gave.
    article = tmp_path / "a.txt"
    article.write_bytes(b"x" * 99 + b"\n")
    real_fstat = os.fstat

    def fstat(fd):
        info = real_fstat(fd)
        return os.stat_result((*info[:6], reported, *info[7:]))

    monkeypatch.setattr(reading.os, "fstat", fstat)
    assert reading.read_regular_file(str(article), 1 << 20)[0] == article.read_bytes()


def test_an_empty_file_reads_as_no_bytes(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    assert reading.read_regular_file(str(empty), 1 << 20)[0] == b""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_file_of_unknown_size_is_read_to_its_end():
    # /proc files report size 0 and have content.
    data, info = reading.read_regular_file("/proc/self/status", 1 << 20)
    assert info.st_size == 0 and data.startswith(b"Name:") and data.endswith(b"\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_skipped_not_waited_on(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(AD)
    code, out, err = run([str(tmp_path)], capsys)
    assert code == 2
    assert err == [f"newslint: {tmp_path / 'pipe.txt'}: skipped: not a regular file"]
    assert out[-1] == "Found 1 problem in 1 file (1 fixable with --fix). 1 file could not be checked."


def test_missing_paths_and_broken_links_are_named(tmp_path, capsys, fixtures):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    code, out, err = run(
        [str(tmp_path / "nope.md"), str(tmp_path / "dangling.txt"), str(fixtures / "seed.txt")], capsys
    )
    assert code == 2
    assert err == [
        f"newslint: {tmp_path / 'nope.md'}: no such file or folder",
        f"newslint: {tmp_path / 'dangling.txt'}: broken symbolic link",
    ]
    assert out[-1].startswith("Found 4 problems in 1 file")


def test_symlink_loops_in_a_folder_end_the_walk_and_are_named(tmp_path, capsys):
    (tmp_path / "self").symlink_to(tmp_path)  # a folder loop: not followed
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")  # a file loop
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "sub" / "good.txt").write_text(AD)
    code, out, err = run([str(tmp_path), str(tmp_path / "a.txt")], capsys)
    assert code == 2
    assert err == [
        f"newslint: {tmp_path / 'a.txt'}: cannot read: Too many levels of symbolic links",
        f"newslint: {tmp_path / 'b.txt'}: cannot read: Too many levels of symbolic links",
    ]
    assert out == [
        f'{tmp_path / "sub" / "good.txt"}:1:1: error advertisement Advertisement marker left in the text: "Advertisement"',
        "Found 1 problem in 1 file (1 fixable with --fix). 2 files could not be checked.",
    ]
    code, out, err = run([str(tmp_path / "a.txt")], capsys)
    assert (code, err) == (2, [f"newslint: {tmp_path / 'a.txt'}: symbolic link loop"])


ODD_NAMES = [b"with space.txt", b"new\nline.txt", b"tab\tand\x1b[31mescape.txt", b"latin1-caf\xe9.txt"]


@pytest.fixture
def odd_folder(tmp_path) -> Path:
    for raw in ODD_NAMES:
        try:
            (tmp_path / os.fsdecode(raw)).write_text(AD)
        except (OSError, UnicodeError):
            pytest.skip(f"this file system refuses the name {raw!r}")
    (tmp_path / os.fsdecode(b"binary\nfile.txt")).write_bytes(b"\x00")
    return tmp_path


def test_odd_file_names_stay_one_line_per_problem(odd_folder, capsys):
    code, out, err = run([str(odd_folder)], capsys)
    assert code == 2
    assert err == [f"newslint: {odd_folder}/binary\\nfile.txt: skipped: binary file (NUL byte at byte offset 0)"]
    shown = sorted(line.split(":1:1: ")[0] for line in out[:-1])
    assert shown == sorted(
        f"{odd_folder}/{name}"
        for name in ("with space.txt", "new\\nline.txt", "tab\\tand\\x1b[31mescape.txt", "latin1-caf\\xe9.txt")
    )
    assert out[-1] == "Found 4 problems in 4 files (4 fixable with --fix). 1 file could not be checked."


def test_odd_file_names_round_trip_through_json(odd_folder, capsys):
    main(["check", "--format", "json", str(odd_folder)])
    payload = json.loads(capsys.readouterr().out)
    names = {os.fsencode(v["path"]) for v in payload["violations"]}
    assert names == {os.fsencode(str(odd_folder)) + b"/" + raw for raw in ODD_NAMES}


@pytest.mark.parametrize("words, near_repeat_found", [(1_000, True), (4_000, False)], ids=["long", "huge"])
def test_huge_paragraphs_are_compared_for_exact_repeats_only(builtin_rules, words, near_repeat_found):
    # Fuzzy scoring costs the product of two lengths: past 20,000 characters only exact repeats count.
    paragraph = " ".join(f"word{i}" for i in range(words))
    near = paragraph.replace("word17 ", "changed ")
    doc = document.from_text(f"{paragraph}\n{paragraph}\n{near}\n")
    found = [v.line for v in lint(doc, builtin_rules) if v.rule == "duplicate-paragraph"]
    assert found == ([2, 3] if near_repeat_found else [2])
