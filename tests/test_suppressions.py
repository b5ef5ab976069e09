from __future__ import annotations

from helpers import check_json, rules_and_lines

FOOTER = "Track Latest News Live on NDTV.com and get news updates from India and around the world"
CAPTION = "File photo of UK police."


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_disable_next_line_suppresses_only_the_next_line_with_text(tmp_path, capsys):
    article = write(
        tmp_path, "a.md", f"Story.\n\n<!-- newslint: disable-next-line site-footer -->\n\n{FOOTER}\n{FOOTER}\n"
    )
    code, payload = check_json(capsys, article)
    assert rules_and_lines(payload) == [("site-footer", 6)]
    assert code == 1


def test_several_rules_and_stacked_comments(tmp_path, capsys):
    text = (
        "<!-- newslint: disable-next-line photo-caption -->\n"
        "<!-- newslint: disable-next-line site-footer, advertisement -->\n"
        f"{CAPTION}\nStory.\nAdvertisement\n"
    )
    code, payload = check_json(capsys, write(tmp_path, "a.md", text))
    # Both comments target line 3; site-footer and advertisement suppress nothing there.
    assert rules_and_lines(payload) == [("unused-suppression", 2), ("advertisement", 5)]
    assert payload["violations"][0]["message"] == "Suppression of site-footer, advertisement suppresses nothing"


def test_disable_enable_range(tmp_path, capsys):
    text = (
        "Story.\n<!-- newslint: disable advertisement -->\nAdvertisement\nMore story.\nAdvert\n"
        "<!-- newslint: enable advertisement -->\nAdvertisement\n"
    )
    code, payload = check_json(capsys, write(tmp_path, "a.md", text))
    assert rules_and_lines(payload) == [("advertisement", 7)]


def test_disable_without_enable_runs_to_the_end_and_without_rules_means_all(tmp_path, capsys):
    text = f"Story.\n<!-- newslint: disable -->\n{CAPTION}\nAdvertisement\n"
    code, payload = check_json(capsys, write(tmp_path, "a.md", text))
    assert payload["violations"] == [] and code == 0


def test_disable_file(tmp_path, capsys):
    text = f"{CAPTION}\nStory.\n\n<!-- newslint: disable-file photo-caption -->\nAdvertisement\n"
    code, payload = check_json(capsys, write(tmp_path, "a.md", text))
    assert rules_and_lines(payload) == [("advertisement", 5)]


def test_unused_and_broken_comments_are_reported_so_they_do_not_rot(tmp_path, capsys):
    text = (
        "<!-- newslint: disable-next-line site-footer -->\n"  # nothing to suppress
        "Story.\n"
        "<!-- newslint: disabel advertisement -->\n"  # misspelt directive
        "<!-- newslint: disable-file no-such-rule -->\n"  # unknown rule
        "<!-- newslint: enable photo-caption -->\n"  # enables nothing
        "<!-- newslint: disable-file -->\n"  # every rule, but nothing to suppress
    )
    code, payload = check_json(capsys, write(tmp_path, "a.md", text))
    violations = payload["violations"]
    assert [(v["rule"], v["line"], v["severity"], v["category"]) for v in violations] == [
        ("unused-suppression", n, "warning", "other") for n in (1, 3, 4, 5, 6)
    ]
    assert "unknown newslint directive 'disabel'" in violations[1]["message"]
    assert "unknown rule(s): no-such-rule" in violations[2]["message"]
    assert "enable" in violations[3]["message"]
    assert violations[0]["column"] == 1 and violations[0]["end_column"] == len(text.splitlines()[0]) + 1
    # A comment that is merely unused can be deleted by --fix; a broken one must be corrected.
    assert [("fix" in v) for v in violations] == [True, False, False, False, True]
    assert code == 1


def test_a_rule_that_did_not_run_is_not_judged_unused(tmp_path, capsys):
    text = "<!-- newslint: disable-next-line site-footer -->\nStory.\n"
    code, payload = check_json(capsys, "--select", "unused-suppression,photo-caption", write(tmp_path, "a.md", text))
    assert payload["violations"] == []
    code, payload = check_json(capsys, "--ignore", "unused-suppression", write(tmp_path, "b.md", text))
    assert payload["violations"] == []


def test_comment_lines_are_never_flagged_themselves(tmp_path, capsys):
    # Two identical long comments would be a duplicate paragraph if they were content, and a
    # comment above a hard-wrapped paragraph must not join it.
    comment = "<!-- newslint: disable-next-line duplicate-paragraph, site-footer, photo-caption -->"
    paragraph = (
        "The council said the scheme would cost twelve million pounds, most of\n"
        "it from a national transport fund, and that the work would start soon\n"
        "after the consultation closes in the spring of next year.\n"
    )
    text = f"{paragraph}\n{comment}\n{paragraph}\n{comment}\n{paragraph}"
    code, payload = check_json(capsys, write(tmp_path, "a.md", text))
    # Only the comments' idle rules are reported; both repeats are suppressed.
    assert rules_and_lines(payload) == [("unused-suppression", 5), ("unused-suppression", 10)]
    assert payload["violations"][0]["message"] == "Suppression of site-footer, photo-caption suppresses nothing"


def test_comments_work_only_in_markdown(tmp_path, capsys):
    text = f"<!-- newslint: disable-next-line photo-caption -->\n{CAPTION}\n"
    code, payload = check_json(capsys, write(tmp_path, "a.txt", text))
    assert rules_and_lines(payload) == [("unused-suppression", 1), ("photo-caption", 2)]
    assert "only in Markdown" in payload["violations"][0]["message"]


def test_comments_inside_code_blocks_are_examples_not_directives(tmp_path, capsys):
    text = "Story.\n\n```\n<!-- newslint: disable-file -->\n```\n\nAdvertisement\n"
    code, payload = check_json(capsys, write(tmp_path, "a.md", text))
    assert rules_and_lines(payload) == [("advertisement", 7)]


def test_fix_leaves_suppressed_text_and_deletes_unused_comments(tmp_path, capsys):
    text = (
        "Story.\n"
        "<!-- newslint: disable-next-line site-footer -->\n"
        f"{FOOTER}\n"
        "<!-- newslint: disable-next-line advertisement -->\n"
        "More story.\n"
    )
    article = write(tmp_path, "a.md", text)
    code, payload = check_json(capsys, "--fix", article)
    with open(article, encoding="utf-8") as handle:
        fixed = handle.read()
    # The footer is content here (suppressed): kept, and its comment with it; the comment that
    # suppressed nothing is gone.
    assert fixed == f"Story.\n<!-- newslint: disable-next-line site-footer -->\n{FOOTER}\nMore story.\n"
    assert payload["violations"] == [] and payload["summary"]["fixed"] == 1 and code == 0
