"""The documentation: docs/rules.md is what newslint.ruledocs makes of the rule files and the
option docs, every option and kind is documented, what the docs show newslint printing is what
it prints, and every link between the Markdown files leads somewhere."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from newslint import ruledocs
from newslint.checks import CHECKS
from newslint.checks.duplicate import DuplicateCheck
from newslint.checks.options import Option
from newslint.cli import main
from newslint.engine.near_duplicates import MAX_FUZZY_LENGTH
from newslint.rules import COMMON_OPTIONS, load_rules, parse_rule

REPO = Path(__file__).resolve().parent.parent
RULES_MD = REPO / "docs" / "rules.md"
MARKDOWN_FILES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def test_rules_md_is_up_to_date(builtin_rules):
    expected = ruledocs.reference_markdown(builtin_rules)
    actual = RULES_MD.read_text(encoding="utf-8") if RULES_MD.exists() else ""
    assert actual == expected, f"docs/rules.md is stale: run `{ruledocs.COMMAND}` and commit it"


def test_the_command_prints_rules_md(capsys):
    assert ruledocs.main([]) == 0
    assert capsys.readouterr().out == ruledocs.reference_markdown(load_rules([]))


def _options(schema: dict[str, Option], prefix: str = ""):
    for name, option in schema.items():
        yield prefix + name, option
        if option.fields:
            yield from _options(option.fields, f"{prefix}{name}.")


@pytest.mark.parametrize("kind", [None, *sorted(CHECKS)], ids=lambda k: k or "common keys")
def test_every_option_is_documented_in_rules_md(kind):
    schema = COMMON_OPTIONS if kind is None else CHECKS[kind].OPTIONS
    text = ruledocs.common_keys_markdown() if kind is None else ruledocs.kind_markdown(kind)
    for name, option in _options(schema):
        assert option.doc.strip().endswith("."), f"{name}: an option's doc is full sentences"
        # Nested fields are listed under their mapping, each as `name` (type ...): doc.
        assert f"`{name.rsplit('.', 1)[-1]}` (" in text and option.doc in text, name
    if kind is not None:
        # The kind's own docstring, not Check's inherited one: what the kind flags.
        assert CHECKS[kind].__dict__.get("__doc__"), f"the {kind} check has no docstring to document it"
        assert ruledocs._paragraphs(CHECKS[kind].__doc__)[0] in text


def test_option_summaries_give_type_bounds_and_default():
    text = ruledocs.kind_markdown("duplicate")
    assert "- `threshold` (a number from 50 to 100, default `90`): " in text
    assert "- `unit` (a string, one of `paragraph`, `line`, default `paragraph`): " in text
    assert "- `containment` (true or false, default `true`): " in text
    assert "- `events` (a mapping, optional): " in text
    assert "  - `min_share` (a number from 0 to 1, default `0.2`): " in text
    assert "- `phrases` (a list of strings, required): " in ruledocs.kind_markdown("phrase")
    common = ruledocs.common_keys_markdown()
    assert "- `fix` (a string, one of `none`, `delete`, `delete-unsafe`, default `none`): " in common
    assert "- `examples` (a list, required): " in common


def test_duplicate_docstring_states_its_limit():
    assert f"{MAX_FUZZY_LENGTH:,}" in DuplicateCheck.__doc__


def test_every_builtin_rule_is_in_rules_md_with_its_examples(builtin_rules):
    text = RULES_MD.read_text(encoding="utf-8")
    for rule in builtin_rules:
        section = ruledocs.rule_markdown(rule)
        assert section.startswith(f"### {rule.name}\n") and section in text
        for example in rule.examples:
            assert example.text.rstrip("\n") in section


def _example_outputs(markdown: str) -> list[tuple[str, list[str], str, str]]:
    """Each example's text, the other articles' texts (a cross-article example's), and the
    console block after them."""
    pairs = re.findall(
        r"```text\n(.*?)\n```\n\n((?:In the same archive, [\w.-]+:\n\n```text\n.*?\n```\n\n)*)"
        r"```console\n\$ newslint check (.*?)\n(.*?)```",
        markdown,
        re.S,
    )
    return [
        (text, re.findall(r"```text\n(.*?)\n```", others, re.S), command, output)
        for text, others, command, output in pairs
    ]


@pytest.mark.parametrize("rule", load_rules([]), ids=lambda r: r.name)
def test_examples_show_what_newslint_check_prints(rule, tmp_path, monkeypatch, capsys):
    examples = _example_outputs(ruledocs.rule_markdown(rule))
    assert len(examples) == len(rule.examples)
    monkeypatch.chdir(tmp_path)
    for (shown, others, command, output), example in zip(examples, rule.examples, strict=True):
        assert shown == example.text.rstrip("\n")
        assert others == [other.rstrip("\n") for other in example.others]
        (tmp_path / ruledocs.EXAMPLE_PATH).write_text(example.text, encoding="utf-8")
        for number, other in enumerate(example.others, start=1):
            (tmp_path / f"other-{number}.txt").write_text(other, encoding="utf-8")
        code = main(["check", *command.split()])
        assert capsys.readouterr().out == output
        assert code == (1 if example.expect else 0)


def test_the_rule_in_writing_rules_md_works(tmp_path, monkeypatch, capsys):
    guide = (REPO / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    name, text = re.search(r"```yaml\n# my-rules/([\w-]+)\.yaml\n(.*?)```", guide, re.S).groups()
    (tmp_path / "my-rules").mkdir()
    (tmp_path / "my-rules" / f"{name}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    rule = parse_rule(text, f"{name}.yaml", name)
    for number, example in enumerate(rule.examples):
        article = tmp_path / f"example-{number}.txt"
        article.write_text(example.text, encoding="utf-8")
        code = main(["check", "--rules", "my-rules", "--select", name, "--format", "json", article.name])
        found = [v["line"] for v in json.loads(capsys.readouterr().out)["violations"]]
        assert (code, found) == (1 if example.expect else 0, list(example.expect))
    # Its fix deletes the teaser's whole line, not only the part a pattern matched.
    assert main(["check", "--rules", "my-rules", "--select", name, "--fix", "example-0.txt"]) == 0
    assert (tmp_path / "example-0.txt").read_text() == "The story ends here.\n"


HOSTILE_RULE = """\
check: phrase
category: other
message: "{match}"
doc:
  what: "Text with <a caption> and *stars*\\x1b[2J\\n::error::pwned\\n##[group]x"
  why: "\\u2028# Not a heading"
phrases: [Junk]
examples:
  - text: "Junk\\n```\\n::warning::x\\n"
    expect: [1]
  - text: "Story.\\n"
    expect: []
"""


def test_rule_text_is_safe_to_print():
    text = ruledocs.rule_text(parse_rule(HOSTILE_RULE, "hostile.yaml", "hostile"))
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", text)
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    assert "##[" not in text
    assert "<a caption>" in text and "Junk" in text


def test_rule_markdown_shows_a_rule_file_as_written():
    text = ruledocs.rule_markdown(parse_rule(HOSTILE_RULE, "hostile.yaml", "hostile"))
    assert r"Text with \<a caption\> and \*stars\*" in text
    # An example holding a fence of three backticks is fenced with four.
    assert "````text\nJunk\n```\n::warning::x\n````" in text
    assert not re.search(r"^#", text.split("**Why:**", 1)[1], re.M)


def test_kind_and_common_key_text_are_plain():
    text = ruledocs.kind_text("phrase") + ruledocs.common_keys_text()
    assert "The phrase check\n================" in text and "Keys of every rule file\n=====" in text
    assert "](" not in text and not re.search(r"^#", text, re.M)


# Links between the Markdown files.


def _anchors(markdown: str) -> set[str]:
    """The anchors GitHub makes of a file's headings."""
    anchors: set[str] = set()
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not re.match(r"#{1,6} ", line):
            continue
        title = line.lstrip("#").strip().lower()
        slug = "".join(c for c in title if c in " -_" or unicodedata.category(c)[0] in "LN").replace(" ", "-")
        anchor, n = slug, 0
        while anchor in anchors:
            n += 1
            anchor = f"{slug}-{n}"
        anchors.add(anchor)
    return anchors


def _links(markdown: str) -> list[str]:
    outside_code = re.sub(r"```.*?```", "", markdown, flags=re.S)
    return re.findall(r"\]\(([^)\s]+)\)", outside_code)


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda p: p.name)
def test_links_between_the_docs_lead_somewhere(path):
    for link in _links(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", link):
            continue  # a web address
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        assert file.exists(), f"{path.name}: link to a missing file: {link}"
        if anchor and file.suffix == ".md":
            assert anchor in _anchors(file.read_text(encoding="utf-8")), f"{path.name}: no heading for {link}"
