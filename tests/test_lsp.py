"""`newslint server`, driven as an editor drives it: the server process over stdio, a real LSP
session (tests/lsp_client.py), every wait bounded by a timeout."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from lsp_client import Client, apply_edit, edits_of

from newslint.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
FOOTER = "Track Latest News Live on NDTV.com and get news updates from India and around the world"
PARA_A = "The council voted on Tuesday to build six miles of protected cycle lanes through the centre."
PARA_B = "Work on the first stretch, along the river, is due to begin in the spring, the council said."
NEAR_A = "The council voted on Monday to build six miles of protected cycle lanes through the centre."
SEVERITY = {"error": 1, "warning": 2, "info": 3}
TAGLINE_RULE = """\
check: pattern
category: footer
severity: warning
message: "House tagline: {match}"
doc:
  what: The paper's tagline.
  why: It is chrome.
patterns:
  - '^Read the Gazette every day$'
fix: delete
examples:
  - text: |
      Story text.
      Read the Gazette every day
    expect: [2]
"""


@pytest.fixture
def start(tmp_path):
    """Start servers in `tmp_path` (initialized); each is shut down, or killed, at the end.
    They cache in the test's cache folder (conftest.py), whose built-in rules are parsed."""
    clients: list[Client] = []

    def start_server(*args: str, **initialize) -> Client:
        client = Client(tmp_path, *args)
        clients.append(client)
        client.initialize(tmp_path, **initialize)
        return client

    yield start_server
    for client in clients:
        client.close()


def check_json(path: Path, *args: str) -> list[dict]:
    """What `newslint check --format json` reports for `path`."""
    import subprocess

    out = subprocess.run(
        [sys.executable, "-m", "newslint", "check", "--no-cache", "--format", "json", *args, str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return json.loads(out)["violations"]


def codes(diagnostics: dict) -> list[str]:
    return [d["code"] for d in diagnostics["diagnostics"]]


def code_actions(client: Client, path: Path, diagnostic: dict, only: list[str] | None = None) -> list[dict]:
    context: dict = {"diagnostics": [diagnostic]}
    if only is not None:
        context["only"] = only
    params = {"textDocument": {"uri": path.as_uri()}, "range": diagnostic["range"], "context": context}
    return client.request("textDocument/codeAction", params)


def _calais(folder: Path) -> tuple[Path, str]:
    """A copy of the README's example article in `folder`, and its text."""
    article = folder / "calais.txt"
    shutil.copy(EXAMPLES / "calais.txt", article)
    return article, article.read_text(encoding="utf-8")


def test_open_publishes_what_check_reports(start, tmp_path):
    article, text = _calais(tmp_path)
    published = start().open(article, text)
    expected = check_json(article)
    assert len(published["diagnostics"]) == len(expected) == 4
    for diagnostic, violation in zip(published["diagnostics"], expected, strict=True):
        assert diagnostic["source"] == "newslint"
        assert diagnostic["code"] == violation["rule"]
        assert diagnostic["message"] == violation["message"]
        assert diagnostic["severity"] == SEVERITY[violation["severity"]]
        # The example is ASCII: LSP's positions are newslint's, counted from 0.
        assert diagnostic["range"] == {
            "start": {"line": violation["line"] - 1, "character": violation["column"] - 1},
            "end": {"line": violation["end_line"] - 1, "character": violation["end_column"] - 1},
        }
    duplicate = published["diagnostics"][2]
    assert duplicate["code"] == "duplicate-paragraph"
    [related] = duplicate["relatedInformation"]
    assert related["location"]["uri"] == article.as_uri()
    assert related["location"]["range"]["start"] == {"line": 3, "character": 0}  # lines 4-14 are the first copy
    assert related["location"]["range"]["end"]["line"] == 13
    assert related["message"] == "the first copy (lines 4-14)"


# "The mayor 🎉 spoke 𝐧𝐨𝐰. " is 23 code points, 27 UTF-16 units and 35 UTF-8 bytes; line 1
# holds a line separator (U+2028), which is no line ending to LSP.
EMOJI_TEXT = (
    "Line one \u2028 still line one, 😀.\nThe mayor 🎉 spoke 𝐧𝐨𝐰. Media playback is unsupported on your device\n"
)


@pytest.mark.parametrize(
    "offered, encoding, start_units, end_units",
    [(None, "utf-16", 27, 71), (["utf-32"], "utf-32", 23, 67), (["utf-8", "utf-16"], "utf-8", 35, 79)],
)
def test_positions_are_counted_in_the_encoding_agreed(start, tmp_path, offered, encoding, start_units, end_units):
    article = tmp_path / "mayor.txt"
    article.write_text(EMOJI_TEXT, encoding="utf-8")
    [violation] = check_json(article)
    assert (violation["line"], violation["column"], violation["end_column"]) == (2, 24, 68)  # code points
    client = Client(tmp_path)
    try:
        result = client.initialize(tmp_path, position_encodings=offered)
        assert result["capabilities"]["positionEncoding"] == encoding
        [diagnostic] = client.open(article, EMOJI_TEXT)["diagnostics"]
        assert diagnostic["code"] == "video-player-chrome"
        assert diagnostic["range"] == {
            "start": {"line": 1, "character": start_units},
            "end": {"line": 1, "character": end_units},
        }
    finally:
        client.close()


def test_quick_fix_cuts_the_junk_after_an_emoji(start, tmp_path):
    article = tmp_path / "mayor.txt"
    article.write_text(EMOJI_TEXT, encoding="utf-8")
    client = start()
    [diagnostic] = client.open(article, EMOJI_TEXT)["diagnostics"]
    [action] = code_actions(client, article, diagnostic, only=["quickfix"])
    assert action["kind"] == "quickfix" and action["isPreferred"] is True
    assert action["diagnostics"] == [diagnostic]
    fixed = apply_edit(EMOJI_TEXT, edits_of(action["edit"], article.as_uri()))
    assert main(["check", "--no-cache", "--fix", str(article)]) == 0
    assert (
        fixed
        == article.read_text(encoding="utf-8")
        == EMOJI_TEXT.replace(" Media playback is unsupported on your device", "")
    )


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_fixes_keep_the_line_endings(start, tmp_path, ending):
    article = tmp_path / "story.txt"
    text = ending.join([PARA_A, "", FOOTER, "", "The mayor 🎉 spoke. Media playback is unsupported on your device", ""])
    article.write_bytes(text.encode("utf-8"))
    client = start()
    diagnostics = client.open(article, text)["diagnostics"]
    assert [(d["code"], d["range"]["start"]["line"]) for d in diagnostics] == [
        ("site-footer", 2),
        ("video-player-chrome", 4),
    ]
    [fix_all] = code_actions(client, article, diagnostics[0], only=["source.fixAll.newslint"])
    fixed = apply_edit(text, edits_of(fix_all["edit"], article.as_uri()))
    main(["check", "--no-cache", "--fix", str(article)])
    assert fixed.encode("utf-8") == article.read_bytes()
    assert fixed == ending.join([PARA_A, "", "The mayor 🎉 spoke.", ""])


def test_each_fixable_problem_has_a_quick_fix_and_fix_all_does_what_fix_does(start, tmp_path):
    article, text = _calais(tmp_path)
    client = start()
    diagnostics = client.open(article, text)["diagnostics"]
    for diagnostic in diagnostics:
        fixes = [a for a in code_actions(client, article, diagnostic) if a["kind"] == "quickfix"]
        if diagnostic["code"] == "orphan-dateline":  # a warning with no fix
            assert fixes == []
            continue
        [quick_fix] = fixes
        assert quick_fix["isPreferred"] is True and "(unsafe)" not in quick_fix["title"]
        assert quick_fix["title"].startswith(f"Fix {diagnostic['code']}: delete ")
        fixed = apply_edit(text, edits_of(quick_fix["edit"], article.as_uri()))
        assert len(fixed) < len(text)
        # The problem fixed is gone, and only it.
        client.change(article, fixed, version=2)
        after = client.diagnostics(article, version=2)
        assert sorted(codes(after) + [diagnostic["code"]]) == sorted(d["code"] for d in diagnostics)
        client.change(article, text, version=3)
        client.diagnostics(article, version=3)
    # Asked for by kind (as an editor does on save), the fix-all action comes with its edit.
    [fix_all] = code_actions(client, article, diagnostics[0], only=["source.fixAll"])
    assert fix_all["kind"] == "source.fixAll.newslint"
    fixed = apply_edit(text, edits_of(fix_all["edit"], article.as_uri()))
    assert main(["check", "--no-cache", "--fix", str(article)]) == 1  # the dateline remains
    assert fixed == article.read_text(encoding="utf-8")


def test_fix_all_offered_unasked_is_worked_out_when_chosen(start, tmp_path):
    article, text = _calais(tmp_path)
    client = start()
    diagnostics = client.open(article, text)["diagnostics"]
    [fix_all] = [a for a in code_actions(client, article, diagnostics[0]) if a["kind"] == "source.fixAll.newslint"]
    assert "edit" not in fix_all  # the client resolves it
    resolved = client.request("codeAction/resolve", fix_all)
    fixed = apply_edit(text, edits_of(resolved["edit"], article.as_uri()))
    main(["check", "--no-cache", "--fix", str(article)])
    assert fixed == article.read_text(encoding="utf-8")
    # Resolved for a version that is no more, it edits nothing.
    client.change(article, text + "\nMore text.\n", version=2)
    client.diagnostics(article, version=2)
    assert "edit" not in client.request("codeAction/resolve", fix_all)


def test_unsafe_fix_is_labelled_and_not_preferred(start, tmp_path):
    article = tmp_path / "council.txt"
    text = f"{PARA_A}\n{PARA_B}\n{NEAR_A}\n"
    article.write_text(text, encoding="utf-8")
    client = start()
    [diagnostic] = client.open(article, text)["diagnostics"]
    assert diagnostic["code"] == "duplicate-paragraph"
    [action] = code_actions(client, article, diagnostic)  # no fix-all: no safe fix
    assert action["title"].endswith("(unsafe)") and action["isPreferred"] is False
    assert apply_edit(text, edits_of(action["edit"], article.as_uri())) == f"{PARA_A}\n{PARA_B}\n"


def test_changes_are_checked_and_reported_with_their_version(start, tmp_path):
    article = tmp_path / "story.md"
    client = start()
    assert client.open(article, f"{PARA_A}\n", language="markdown")["diagnostics"] == []
    client.change(article, f"{PARA_A}\n\n{FOOTER}\n", version=2)
    assert codes(client.diagnostics(article, version=2)) == ["site-footer"]
    client.change(article, f"{PARA_A}\n\n{PARA_A}\n", version=3)
    assert codes(client.diagnostics(article, version=3)) == ["duplicate-paragraph"]
    client.notify("textDocument/didSave", {"textDocument": {"uri": article.as_uri()}})
    assert codes(client.diagnostics(article, version=3)) == ["duplicate-paragraph"]
    client.notify("textDocument/didClose", {"textDocument": {"uri": article.as_uri()}})
    assert client.diagnostics(article)["diagnostics"] == []  # closed: its problems are cleared


def test_config_and_rule_files_are_honoured_and_reloaded(start, tmp_path):
    article = tmp_path / "wire" / "story.txt"
    article.parent.mkdir()
    text = f"{PARA_A}\n{FOOTER}\nRead the Gazette every day\n"
    article.write_text(text, encoding="utf-8")
    config = tmp_path / ".newslint.yaml"
    config.write_text("ignore: [site-footer]\n", encoding="utf-8")
    client = start()
    assert codes(client.open(article, text)) == []

    # The editor reports the change of a watched file: every open document is checked again.
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "house-tagline.yaml").write_text(TAGLINE_RULE, encoding="utf-8")
    config.write_text("rules: [house]\nseverity:\n  site-footer: info\n", encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    after = client.diagnostics(article)
    assert [(d["code"], d["severity"]) for d in after["diagnostics"]] == [("site-footer", 3), ("house-tagline", 2)]

    # Without a notice too: the next check sees the config changed on disk.
    config.write_text("rules: [house]\nper-file-ignores:\n  'wire/*.txt': [house-tagline]\n", encoding="utf-8")
    client.change(article, text, version=2)
    assert codes(client.diagnostics(article, version=2)) == ["site-footer"]

    # A rule file changed in its folder is picked up the same way.
    (tmp_path / "house" / "house-tagline.yaml").write_text(TAGLINE_RULE.replace("house", "gazette"), encoding="utf-8")
    client.change(article, text, version=3)
    assert codes(client.diagnostics(article, version=3)) == ["site-footer"]


def test_a_plan_read_from_a_file_just_changed_is_loaded_again(tmp_path):
    """A change made while the plan was loaded, or in the same tick of the file system's clock
    as the change before it, may leave no trace in the file's times: such a plan is not kept."""
    import os

    from newslint.server_plans import Plans

    config = tmp_path / ".newslint.yaml"
    config.write_text("ignore: [site-footer]\n", encoding="utf-8")
    plans = Plans(cache=None)
    article = str(tmp_path / "story.txt")
    fresh = plans.for_path(article)
    assert fresh.stamp is None and plans.for_path(article) is not fresh
    past = config.stat().st_mtime_ns - 10_000_000_000
    os.utime(config, ns=(past, past))
    settled = plans.for_path(article)
    assert settled.stamp is not None and plans.for_path(article) is settled
    assert settled.plan.config.ignore == ("site-footer",)


def test_a_broken_config_is_shown_once_and_mended_without_a_restart(start, tmp_path):
    article = tmp_path / "story.txt"
    text = f"{PARA_A}\n{FOOTER}\n"
    config = tmp_path / ".newslint.yaml"
    config.write_text("ignore: [no-such-rule]\n", encoding="utf-8")
    client = start()
    assert client.open(article, text)["diagnostics"] == []
    message = client.wait_for("window/showMessage")
    assert message["type"] == 1  # an error
    assert ".newslint.yaml" in message["message"] and "no-such-rule" in message["message"]
    client.change(article, text + "\n", version=2)
    assert client.diagnostics(article, version=2)["diagnostics"] == []
    assert [n for n in client.notifications if n["method"] == "window/showMessage"] == [
        {"jsonrpc": "2.0", "method": "window/showMessage", "params": message, "taken": True}
    ]  # not again at every change
    config.write_text("fail-on: error\n", encoding="utf-8")
    client.change(article, text, version=3)
    assert codes(client.diagnostics(article, version=3)) == ["site-footer"]


def test_only_the_files_a_run_would_take_are_checked(start, tmp_path):
    (tmp_path / ".newslint.yaml").write_text("exclude: [drafts]\n", encoding="utf-8")
    client = start()
    for name in ("notes.py", "drafts/story.txt"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        assert client.open(path, f"{FOOTER}\n")["diagnostics"] == []
    assert codes(client.open(tmp_path / "story.markdown", f"{FOOTER}\n")) == ["site-footer"]
    # A buffer never saved has no file, so no config and no place in a run.
    untitled = {"uri": "untitled:Untitled-1", "languageId": "markdown", "version": 1, "text": f"{FOOTER}\n"}
    client.notify("textDocument/didOpen", {"textDocument": untitled})
    published = client.wait_for("textDocument/publishDiagnostics", lambda params: params["uri"] == untitled["uri"])
    assert published["diagnostics"] == []


def test_the_baseline_is_honoured(start, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where `newslint check` finds the config
    article = tmp_path / "story.txt"
    article.write_text(f"{PARA_A}\n{FOOTER}\n", encoding="utf-8")
    (tmp_path / ".newslint.yaml").write_text("baseline: known.json\n", encoding="utf-8")
    assert main(["check", "--no-cache", "--update-baseline", str(article)]) == 0
    client = start()
    assert client.open(article, article.read_text(encoding="utf-8"))["diagnostics"] == []
    client.change(article, f"{FOOTER}\n{PARA_A}\n{FOOTER}\n", version=2)  # once more: a new problem
    assert [d["range"]["start"]["line"] for d in client.diagnostics(article, version=2)["diagnostics"]] == [2]


def test_results_of_opened_files_go_to_the_cache(start, tmp_path, cache_in_tmp):
    article = tmp_path / "story.txt"
    article.write_text(f"{PARA_A}\n{FOOTER}\n", encoding="utf-8")
    client = start("--no-cache")
    assert codes(client.open(article, article.read_text(encoding="utf-8"))) == ["site-footer"]
    assert not list(cache_in_tmp.glob("v2/results/*/*.json"))
    client = start("--cache-dir", str(tmp_path / "cache"))
    assert codes(client.open(article, article.read_text(encoding="utf-8"))) == ["site-footer"]
    assert list(tmp_path.glob("cache/v2/results/*/*.json"))


def test_check_buffer_answers_from_the_table_for_the_same_bytes(tmp_path):
    from newslint.cache import open_cache
    from newslint.per_file import check_buffer
    from newslint.pipeline import PARSED_RULES, RESULTS, Settings, load_plan, results_table

    cache = open_cache(tmp_path / "cache", (RESULTS, PARSED_RULES))
    plan = load_plan(Settings(config_search_from=str(tmp_path)), cache)
    path = str(tmp_path / "story.txt")
    data = f"{PARA_A}\n{FOOTER}\n".encode()
    table = results_table(cache, plan)
    [found] = check_buffer(path, data, plan, table).violations
    table.save()
    # What the table keeps for these bytes is the answer (here, doctored to tell it apart).
    table = results_table(cache, plan)
    digest, _ = table.get(path)
    table.put(path, digest, [found._replace(message="from the table").to_data()])
    assert [v.message for v in check_buffer(path, data, plan, table).violations] == ["from the table"]
    assert check_buffer(path, data + b"More.\n", plan, table).violations[0].message == found.message
    # Bytes that are not text are refused as `newslint check` refuses them.
    refused = check_buffer(path, b"a\x00b", plan)
    assert refused.document is None and refused.error.message.startswith("skipped: binary file")


def test_exit_ends_the_server(tmp_path):
    client = Client(tmp_path, "--no-cache")
    client.initialize(tmp_path)
    assert client.close() == 0


def test_a_closed_stdin_ends_the_server(tmp_path):
    """An editor that dies without a word must not leave a server behind."""
    client = Client(tmp_path, "--no-cache")
    client.initialize(tmp_path)
    client.process.stdin.close()
    assert client.process.wait(timeout=30) is not None


def test_without_pygls_server_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pygls", None)  # import pygls raises ImportError
    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)
    monkeypatch.delitem(sys.modules, "newslint.server", raising=False)
    assert main(["server"]) == 2
    assert "install newslint[lsp]" in capsys.readouterr().err
