"""The cache against a hostile pull request: in CI the checkout, and any .newslint_cache committed
in it, is the pull request author's. Each test builds a repository as an attacker would, runs
`newslint check` in it, and compares every file, folder and link inside and outside with what was
there before; only newslint's own cache folder may change, and only where it is a real folder."""

from __future__ import annotations

import json
import os
import shutil
import stat
from hashlib import blake2b
from pathlib import Path

import pytest
from helpers import changes, tree

from newslint import cache as caches
from newslint import per_file
from newslint.cache_key import KEY_BYTES
from newslint.cli import main
from newslint.pipeline import PARSED_RULES, RESULTS, Settings, load_plan, result_key
from newslint.violations import Fix, Violation

CACHE = ".newslint_cache"
BAD = "The story.\nAdvertisement\n"
REPORTED = "bad.md:2:1: error advertisement"


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A checkout of 15 articles, one with junk, and a .gitignore, with a folder of 40 files
    beside it (somewhere else the user keeps things); newslint runs in it with the default
    cache folder."""
    folder = tmp_path / "repo"
    folder.mkdir()
    for n in range(1, 16):
        (folder / f"s{n}.md").write_text(f"Story number {n}.\n")
        os.utime(folder / f"s{n}.md", ns=(n * 10**9, n * 10**9))  # s15 the newest
    (folder / "bad.md").write_text(BAD)
    (folder / ".gitignore").write_text("build/\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    for n in range(40):
        # Named as newslint names a results folder, the better to be taken for one.
        (outside / blake2b(str(n).encode(), digest_size=16).hexdigest()).write_text(f"keep {n}\n")
    (outside / "secret.txt").write_text("do not touch\n")
    monkeypatch.chdir(folder)
    monkeypatch.delenv(caches.ENV_VAR)
    return folder


def seed_rules(repo: Path, parsed_builtin_rules: Path) -> None:
    """The built-in rules already parsed in the repository's cache, as after an earlier run (and
    to spare each test parsing them)."""
    shutil.copytree(parsed_builtin_rules, repo / CACHE / caches.FORMAT / PARSED_RULES)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--jobs", "1", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_only_the_cache_changed(before: dict[str, tuple], after: dict[str, tuple], cache: Path) -> None:
    """Nothing changed but what is in the real cache folder, and newslint made no links there."""
    assert cache.is_dir() and not cache.is_symlink()
    changed = changes(before, after)
    assert [path for path in changed if not path.startswith(str(cache) + os.sep)] == []
    assert [path for path in changed if after.get(path, ("gone",))[0] == "link"] == []


def attacker_entry(data: object) -> bytes:
    """An entry in newslint's format, authenticated with a key of the attacker's own (all that a
    committed file can carry: the victim's key is not in the repository)."""
    payload = json.dumps(data).encode()
    return blake2b(payload, key=os.urandom(32), digest_size=32).hexdigest().encode() + b"\n" + payload


def payload(entry: Path) -> object:
    return json.loads(entry.read_bytes().split(b"\n", 1)[1])


def shard_holding(repo: Path, name: str) -> Path:
    """The results shard whose entries include the file `name` of the repository."""
    key = str(repo.resolve() / name)
    for shard in (repo / CACHE / caches.FORMAT / RESULTS).glob("*/*.json"):
        if key in payload(shard):
            return shard
    raise AssertionError(f"no shard holds {key}")


# The cache folder, or a folder inside it, planted as a symbolic link.

LINKS = {
    # (link inside the repository, what it points to): the cases reproduced on the old code,
    # in the new format's folder.
    "the cache folder to the repository": (CACHE, "."),
    "the cache folder to a folder outside": (CACHE, "../outside"),
    "v2 to a folder outside": (f"{CACHE}/v2", "../../outside"),
    "v2/rules to the repository": (f"{CACHE}/v2/rules", "../.."),
    "v2/results to a folder outside": (f"{CACHE}/v2/results", "../../../outside"),
}


@pytest.mark.parametrize("where, target", LINKS.values(), ids=LINKS.keys())
def test_a_linked_cache_folder_is_not_used_and_nothing_changes(repo, tmp_path, capsys, where, target):
    (repo / where).parent.mkdir(parents=True, exist_ok=True)
    (repo / where).symlink_to(target)
    before = tree(tmp_path)
    code, out, err = run(capsys, "s1.md")
    assert (code, out) == (0, "No problems found in 1 file.\n")
    assert err == f"newslint: warning: not using the cache: {where} is a symbolic link\n"
    assert changes(before, tree(tmp_path)) == []


@pytest.mark.parametrize("folder", ["rules", "results"])
def test_a_linked_folder_of_the_old_format_is_left_alone(repo, tmp_path, capsys, parsed_builtin_rules, folder):
    """The attack reproduced on the old code: v1/rules linked to the repository's root made a
    plain run delete all but 8 of its files, v1/results linked elsewhere 32 of 40. The old
    format's folder is no longer read or written at all."""
    (repo / CACHE / "v1").mkdir(parents=True)
    (repo / CACHE / "v1" / folder).symlink_to("../.." if folder == "rules" else "../../../outside")
    seed_rules(repo, parsed_builtin_rules)
    before = tree(tmp_path)
    assert run(capsys, "s1.md") == (0, "No problems found in 1 file.\n", "")
    assert_only_the_cache_changed(before, tree(tmp_path), repo / CACHE)


def test_a_relative_cache_path_through_a_link_is_not_used(repo, tmp_path, capsys):
    (repo / "build").symlink_to("../outside")
    before = tree(tmp_path)
    code, out, err = run(capsys, "--cache-dir", "build/cache", "s1.md")
    assert (code, err) == (0, "newslint: warning: not using the cache: build is a symbolic link\n")
    assert changes(before, tree(tmp_path)) == []


def test_a_link_swapped_in_after_the_check_is_not_followed(repo, tmp_path):
    """Between open_cache's check and a read or write, the folder is opened again, link by link."""
    cache = caches.open_cache(Path(CACHE), [RESULTS, PARSED_RULES])
    (repo / CACHE / caches.FORMAT).mkdir(parents=True)
    (repo / CACHE / caches.FORMAT / RESULTS).symlink_to("../../../outside")
    results = cache.table(RESULTS, "a key", lambda path, data: data)
    before = tree(tmp_path)
    assert results.get("s1.md") is None
    results.put("s1.md", "hash", [])
    with pytest.raises(caches.CacheError, match="v2/results is a symbolic link"):
        results.save()
    assert_only_the_cache_changed(before, tree(tmp_path), repo / CACHE)  # CACHEDIR.TAG, .gitignore


def test_a_linked_results_folder_of_the_run_is_neither_read_nor_written_through(
    repo, tmp_path, capsys, parsed_builtin_rules
):
    """An attacker can work out the folder a run's results go to (its name hashes newslint's
    code, rules and config); a link there is found when the run opens it."""
    seed_rules(repo, parsed_builtin_rules)
    first = run(capsys, "bad.md")
    generation = shard_holding(repo, "bad.md").parent
    shutil.rmtree(generation)
    generation.symlink_to(tmp_path / "outside")
    before = tree(tmp_path)
    code, out, err = run(capsys, "bad.md")
    assert (code, out) == first[:2]
    relative = generation.relative_to(repo)
    assert err == f"newslint: warning: cannot write the cache: {relative} is a symbolic link\n"
    assert changes(before, tree(tmp_path)) == []


# Files planted in a real cache folder.


def test_cache_files_newslint_did_not_write_are_never_written_over(repo, tmp_path, capsys, parsed_builtin_rules):
    (repo / CACHE).mkdir()
    (repo / CACHE / ".gitignore").write_text("!*\n")  # the attacker's wish: commit the cache
    (repo / CACHE / "CACHEDIR.TAG").symlink_to("../../outside/secret.txt")
    seed_rules(repo, parsed_builtin_rules)
    before = tree(tmp_path)
    assert run(capsys, "s1.md")[0] == 0
    after = tree(tmp_path)
    assert_only_the_cache_changed(before, after, repo / CACHE)
    for name in (".gitignore", "CACHEDIR.TAG"):
        assert after[str(repo / CACHE / name)] == before[str(repo / CACHE / name)]


def test_a_shard_linked_to_a_file_outside_is_neither_read_nor_written_through(
    repo, tmp_path, capsys, parsed_builtin_rules
):
    seed_rules(repo, parsed_builtin_rules)
    assert run(capsys, "bad.md")[0] == 1
    shard = shard_holding(repo, "bad.md")
    outside = tmp_path / "outside" / "secret.txt"
    outside.write_text(json.dumps({str(repo.resolve() / "bad.md"): ["x", []]}))
    shard.unlink()
    shard.symlink_to(outside)
    before = tree(tmp_path)
    code, out, err = run(capsys, "bad.md")
    assert (code, err) == (1, "") and REPORTED in out
    assert_only_the_cache_changed(before, tree(tmp_path), repo / CACHE)
    assert not shard.is_symlink()  # the link itself was replaced, not the file it points to


def test_a_shard_that_is_a_named_pipe_does_not_hang_the_run(repo, tmp_path, capsys, parsed_builtin_rules):
    seed_rules(repo, parsed_builtin_rules)
    assert run(capsys, "bad.md")[0] == 1
    shard = shard_holding(repo, "bad.md")
    shard.unlink()
    os.mkfifo(shard)
    code, out, err = run(capsys, "bad.md")
    assert (code, err) == (1, "") and REPORTED in out


def test_a_forged_entry_with_the_right_content_hash_is_ignored(repo, tmp_path, capsys, parsed_builtin_rules):
    seed_rules(repo, parsed_builtin_rules)
    first = run(capsys, "bad.md")
    assert first[0] == 1
    shard = shard_holding(repo, "bad.md")
    entries = payload(shard)
    for path, (digest, _) in entries.items():
        entries[path] = [digest, []]  # "no problems": the bad file would pass
    for forged in (attacker_entry(entries), json.dumps(entries).encode()):
        shard.write_bytes(forged)
        before = tree(tmp_path)
        assert run(capsys, "bad.md") == first
        assert_only_the_cache_changed(before, tree(tmp_path), repo / CACHE)


HOSTILE_VIOLATIONS = {
    "a line holding a workflow command": {"line": "1\n::stop-commands::tok"},
    "a bogus severity": {"severity": "bogus"},
    "a rule the run does not know": {"rule": "forged-rule"},
    "a severity the run does not report the rule with": {"severity": "info"},
    "a category the rule does not have": {"category": "caption"},
    "a column of 0": {"column": 0},
    "an end before the start": {"end_line": 1, "end_column": 1, "column": 5},
    "a line that is a bool": {"line": True},
    "a message that is not a string": {"message": ["::error::x"]},
    "a fix ending before it starts": {"fix": Fix(5, 2, True)},
}


@pytest.mark.parametrize("fields", HOSTILE_VIOLATIONS.values(), ids=HOSTILE_VIOLATIONS.keys())
def test_an_entry_that_does_not_describe_what_the_run_reports_is_ignored(repo, capsys, parsed_builtin_rules, fields):
    """Forged entries fail authentication; these are authentic (written with the user's key,
    as a bug in newslint might write them) and must still fail validation."""
    seed_rules(repo, parsed_builtin_rules)
    first = run(capsys, "--format", "github", "bad.md")
    assert first[0] == 1
    digest = caches.content_hash(BAD.encode())
    forged = Violation(
        "bad.md", 2, 1, 2, 14, "advertisement", "footer", "error", "FORGED", fix=None, text="Advertisement"
    )._replace(**fields)
    key = result_key(load_plan(Settings()))
    assert caches.address(key) == shard_holding(repo, "bad.md").parent.name  # the run's own table
    results = caches.open_cache(Path(CACHE), [RESULTS]).table(RESULTS, key, lambda path, data: data)
    results.put("bad.md", digest, [forged.to_data()])
    results.save()
    code, out, err = run(capsys, "--format", "github", "bad.md")
    assert (code, out, err) == first
    assert "FORGED" not in out and "::stop-commands" not in out


def test_an_authentic_entry_moved_to_another_place_is_ignored(repo, capsys, parsed_builtin_rules):
    """The MAC covers where an entry belongs: one written for other settings (here: a run that
    ignored advertisements, which found bad.md clean) cannot stand in for this run's."""
    seed_rules(repo, parsed_builtin_rules)
    assert run(capsys, "--ignore", "advertisement", "bad.md")[0] == 0
    lenient = shard_holding(repo, "bad.md")
    first = run(capsys, "bad.md")
    assert first[0] == 1
    strict = [shard for shard in lenient.parent.parent.glob(f"*/{lenient.name}") if shard != lenient]
    assert len(strict) == 1
    strict[0].write_bytes(lenient.read_bytes())
    assert run(capsys, "bad.md") == first


def test_a_forged_rule_cache_entry_is_ignored(repo, capsys, parsed_builtin_rules):
    seed_rules(repo, parsed_builtin_rules)
    [entry] = (repo / CACHE / caches.FORMAT / PARSED_RULES).glob("*.json")
    rules = payload(entry)
    for rule in rules:
        rule["values"]["enabled"] = rule["name"] != "advertisement"  # the junk would pass
        rule["values"]["message"] = "FORGED " + rule["values"]["message"]
    entry.write_bytes(attacker_entry(rules))
    code, out, err = run(capsys, "bad.md")
    assert (code, err) == (1, "") and REPORTED in out and "FORGED" not in out


def test_old_generations_are_removed_only_where_newslint_wrote_them(repo, tmp_path, capsys, parsed_builtin_rules):
    seed_rules(repo, parsed_builtin_rules)
    results = repo / CACHE / caches.FORMAT / RESULTS
    results.mkdir()
    outside = tmp_path / "outside"
    names = sorted(path.name for path in outside.iterdir() if len(path.name) == 32)[:20]
    for n, name in enumerate(names):
        if n % 4 == 0:  # a results folder that is a link to a folder outside
            (results / name).symlink_to(outside)
        elif n % 4 == 1:  # a real folder with a shard linked to a file outside, and a file of the attacker's
            (results / name).mkdir()
            (results / name / "00.json").symlink_to(outside / name)
            (results / name / "notes.txt").write_text("mine\n")
        elif n % 4 == 2:  # a file named like a results folder
            (results / name).write_text("mine\n")
        else:  # a results folder as newslint writes them (in CI the checkout's files are the user's)
            (results / name).mkdir()
            (results / name / "00.json").write_text("{}")
        os.utime(results / name, ns=(n, n), follow_symlinks=False)  # older than the run's, in order
    before = tree(tmp_path)
    assert run(capsys, "s1.md") == (0, "No problems found in 1 file.\n", "")
    after = tree(tmp_path)
    assert_only_the_cache_changed(before, after, repo / CACHE)
    # Results folders newslint could have written: the 5 real ones with a linked shard, the 5 of
    # real shards, and the run's own; the 8 newest stay. Of the 3 oldest, 1 and 5 keep what is
    # not newslint's (so they stay), 3 goes.
    assert caches.MAX_GENERATIONS == 8
    assert sorted(path for path in before if path not in after) == [
        str(results / names[3]),
        str(results / names[3] / "00.json"),
    ]


# The key.


@pytest.fixture
def own_key_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def test_the_key_is_made_once_private_and_reused(repo, capsys, own_key_folder):
    assert run(capsys, "bad.md")[0] == 1
    key = own_key_folder / "newslint" / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == KEY_BYTES
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    made = key.read_bytes()
    assert run(capsys, "bad.md")[0] == 1
    assert key.read_bytes() == made


def test_a_new_key_makes_every_entry_a_miss(repo, capsys, own_key_folder, monkeypatch):
    checked = []
    check_bytes = per_file.check_bytes
    monkeypatch.setattr(per_file, "check_bytes", lambda item, plan: checked.append(item[0]) or check_bytes(item, plan))
    first = run(capsys, "bad.md")
    assert run(capsys, "bad.md") == first and checked == ["bad.md"]  # from the cache
    (own_key_folder / "newslint" / "key").unlink()  # as on a fresh CI runner
    assert run(capsys, "bad.md") == first and checked == ["bad.md", "bad.md"]


def _key_folder_link(folder: Path, tmp_path: Path) -> None:
    folder.mkdir()
    (folder / "newslint").symlink_to(tmp_path / "outside")


def _key_link(folder: Path, tmp_path: Path) -> None:
    (folder / "newslint").mkdir(parents=True)
    (folder / "newslint" / "key").symlink_to(tmp_path / "outside" / "secret.txt")


def _key_readable_by_others(folder: Path, tmp_path: Path) -> None:
    (folder / "newslint").mkdir(parents=True)
    (folder / "newslint" / "key").write_bytes(b"k" * KEY_BYTES)
    (folder / "newslint" / "key").chmod(0o644)


def _key_folder_under_a_file(folder: Path, tmp_path: Path) -> None:
    folder.write_text("not a folder")  # as unwritable as a home folder gets for root


KEY_PROBLEMS = {
    "the key folder is a link": (_key_folder_link, "/newslint is a symbolic link"),
    "the key is a link": (_key_link, "/newslint/key is a symbolic link"),
    "the key is readable by others": (_key_readable_by_others, "is not one newslint made"),
    "no folder can be made for the key": (_key_folder_under_a_file, "cannot read or make its key"),
}


@pytest.mark.parametrize("plant, reason", KEY_PROBLEMS.values(), ids=KEY_PROBLEMS.keys())
def test_without_a_safe_key_the_run_goes_on_without_a_cache(repo, tmp_path, capsys, own_key_folder, plant, reason):
    plant(own_key_folder, tmp_path)
    before = tree(tmp_path)
    code, out, err = run(capsys, "bad.md")
    assert code == 1 and REPORTED in out
    assert err.startswith("newslint: warning: not using the cache: ") and reason in err and err.count("\n") == 1
    assert changes(before, tree(tmp_path)) == []


def test_an_unwritable_home_is_a_warning(repo, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME")
    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv("HOME", str(home))
    code, out, err = run(capsys, "s1.md")
    assert code == 0 and err.startswith(f"newslint: warning: not using the cache: cannot read or make its key {home}")
    assert not (repo / CACHE).exists()


def test_a_relative_xdg_cache_home_is_ignored(repo, tmp_path, capsys, monkeypatch):
    """Else the key would be kept in the checkout, where a pull request could plant its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", "keys")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert run(capsys, "s1.md")[0] == 0
    assert not (repo / "keys").exists()
    assert (tmp_path / "home" / ".cache" / "newslint" / "key").is_file()


# Another user's cache.


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a folder to another user")
def test_another_users_cache_folder_is_not_used(repo, tmp_path, capsys, parsed_builtin_rules):
    seed_rules(repo, parsed_builtin_rules)
    os.chown(repo / CACHE / caches.FORMAT, 4242, 4242)
    before = tree(tmp_path)
    code, out, err = run(capsys, "s1.md")
    assert (code, err) == (0, f"newslint: warning: not using the cache: {CACHE}/v2 belongs to another user\n")
    assert changes(before, tree(tmp_path)) == []


def test_a_key_folder_of_another_user_is_not_used(repo, tmp_path, capsys, own_key_folder, monkeypatch):
    (own_key_folder / "newslint").mkdir(parents=True, mode=0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 4242)  # so the folder is another user's
    before = tree(tmp_path)
    code, out, err = run(capsys, "s1.md")
    assert (code, err) == (
        0,
        f"newslint: warning: not using the cache: {own_key_folder}/newslint belongs to another user\n",
    )
    assert changes(before, tree(tmp_path)) == []
