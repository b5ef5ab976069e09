"""A bad rule file stops the run with exit code 2 and names its file, line and column."""

from __future__ import annotations

import textwrap

import pytest

from newslint.cli import main
from newslint.errors import RuleError
from newslint.rules import parse_rule

GOOD = textwrap.dedent(
    """\
    check: phrase
    category: footer
    message: "Footer: {match}"
    doc: {what: A footer., why: Not the story.}
    phrases: [Read more]
    examples:
      - text: "Read more\\n"
        expect: [1]
    """
)


def load(text: str):
    return parse_rule(textwrap.dedent(text), "rules/x/test-rule.yaml", "test-rule")


def test_a_good_rule_loads():
    rule = load(GOOD)
    assert rule.name == "test-rule" and rule.kind == "phrase" and rule.severity == "error"


@pytest.mark.parametrize(
    "change, message, line, column",
    [
        (("phrases: [Read more]", "phrases: [Read more]\nphrasess: [x]"), "unknown key 'phrasess'", 6, 1),
        (("check: phrase", "check: phrasee"), "unknown check kind 'phrasee'", 1, 8),
        (("category: footer", "category: junk"), "'category' must be one of", 2, 11),
        (("phrases: [Read more]", "phrases: Read more"), "'phrases' must be a list of strings", 5, 10),
        (("phrases: [Read more]", "phrases: [Read more, 3]"), "'phrases' must be a list of strings", 5, 22),
        (('message: "Footer: {match}"', 'message: "Footer: {nope}"'), "unknown message field {nope}", 3, 10),
        (("phrases: [Read more]", "match: middle\nphrases: [Read more]"), "'match' must be one of", 5, 8),
        (("    expect: [1]", "    expect: one"), "'expect' must be a list of line numbers", 8, 13),
    ],
)
def test_bad_rule_names_file_line_and_column(change, message, line, column):
    old, new = change
    with pytest.raises(RuleError) as info:
        parse_rule(GOOD.replace(old, new), "rules/x/test-rule.yaml", "test-rule")
    error = info.value
    assert message in error.message
    assert (error.path, error.line, error.column) == ("rules/x/test-rule.yaml", line, column)


def test_bad_regex_is_refused_at_load():
    text = GOOD.replace("check: phrase", "check: pattern").replace("phrases: [Read more]", "patterns: ['(a+)+\\1']")
    with pytest.raises(RuleError, match="invalid regular expression"):
        parse_rule(text, "r.yaml", "test-rule")


def test_lookaround_is_refused_with_reason():
    text = GOOD.replace("check: phrase", "check: pattern").replace("phrases: [Read more]", "patterns: ['(?<=x)a']")
    with pytest.raises(RuleError, match="invalid perl operator"):
        parse_rule(text, "r.yaml", "test-rule")


def test_missing_examples_is_an_error():
    text = GOOD.split("examples:")[0]
    with pytest.raises(RuleError, match="missing required key 'examples'"):
        parse_rule(text, "r.yaml", "test-rule")


def test_yaml_aliases_are_refused():
    text = GOOD.replace("phrases: [Read more]", "phrases: &p [Read more]\nunless: *p")
    with pytest.raises(RuleError, match="aliases"):
        parse_rule(text, "r.yaml", "test-rule")


def test_invalid_yaml_names_position():
    with pytest.raises(RuleError) as info:
        parse_rule("check: phrase\nphrases: [a\n", "r.yaml", "test-rule")
    assert info.value.line is not None and "invalid YAML" in info.value.message


def test_rule_file_name_must_be_kebab_case():
    with pytest.raises(RuleError, match="kebab-case"):
        parse_rule(GOOD, "r.yaml", "Bad_Name")


def test_cli_exits_2_on_a_bad_rule_folder(tmp_path, capsys, fixtures):
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "my-rule.yaml").write_text(GOOD.replace("check: phrase", "check: nope"))
    code = main(["check", "--rules", str(pack), str(fixtures / "clean.md")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{pack / 'my-rule.yaml'}:1:8: unknown check kind 'nope'" in err


def test_user_rules_run_beside_builtin_ones(tmp_path, capsys):
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "read-more.yaml").write_text(GOOD)
    article = tmp_path / "a.txt"
    article.write_text("A story.\nRead more\n")
    code = main(["check", "--rules", str(pack), str(article)])
    out = capsys.readouterr().out
    assert code == 1
    assert f'{article}:2:1: error read-more Footer: "Read more"' in out
