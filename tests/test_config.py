from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import check_json

from newslint.cli import main
from newslint.config import Config, find_config, load_config
from newslint.filters import Plan
from newslint.rules import load_rules

SEED_LINES = ["photo-caption", "orphan-dateline", "duplicate-paragraph", "site-footer"]


@pytest.fixture
def project(tmp_path, fixtures, monkeypatch):
    """A folder of articles with the seed in it, as the current folder."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "calais.txt").write_text((fixtures / "seed.txt").read_text())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rules_found(payload: dict) -> list[str]:
    return [v["rule"] for v in payload["violations"]]


def test_found_walking_up_yaml_before_pyproject(project, monkeypatch):
    (project / "pyproject.toml").write_text('[tool.newslint]\nignore = ["site-footer"]\n')
    sub = project / "articles"
    assert find_config(str(sub)) == str(project / "pyproject.toml")
    (project / ".newslint.yaml").write_text("ignore: [photo-caption]\n")
    assert find_config(str(sub)) == str(project / ".newslint.yaml")


def test_pyproject_without_a_newslint_table_is_passed_over(project):
    (project / "articles" / "pyproject.toml").write_text('[project]\nname = "articles"\n')
    (project / ".newslint.yaml").write_text("{}\n")
    assert find_config(str(project / "articles")) == str(project / ".newslint.yaml")


def test_select_ignore_severity_and_fail_on_from_yaml(project, capsys):
    (project / ".newslint.yaml").write_text(
        "ignore: [photo-caption]\nseverity:\n  site-footer: info\n  duplicate-paragraph: warning\nfail-on: error\n"
    )
    code, payload = check_json(capsys, "articles")
    assert [(v["rule"], v["severity"]) for v in payload["violations"]] == [
        ("orphan-dateline", "warning"),
        ("duplicate-paragraph", "warning"),
        ("site-footer", "info"),
    ]
    assert code == 0  # nothing at `error` or above
    assert main(["check", "--fail-on", "info", "articles"]) == 1  # a flag overrides the config


def test_default_fail_on_is_warning(project, capsys):
    (project / ".newslint.yaml").write_text(
        "select: [orphan-dateline, site-footer]\nseverity: {orphan-dateline: info, site-footer: info}\n"
    )
    code, payload = check_json(capsys, "articles")
    assert rules_found(payload) == ["orphan-dateline", "site-footer"] and code == 0


def test_same_config_in_pyproject(project, capsys):
    (project / "pyproject.toml").write_text(
        '[tool.newslint]\nselect = ["site-footer", "photo-caption"]\n\n'
        '[tool.newslint.per-file-ignores]\n"articles/*.txt" = ["photo-caption"]\n'
    )
    code, payload = check_json(capsys, "articles")
    assert rules_found(payload) == ["site-footer"]


def test_cli_select_replaces_config_select_and_ignore(project, capsys):
    (project / ".newslint.yaml").write_text("select: [site-footer]\nignore: [photo-caption]\n")
    code, payload = check_json(capsys, "--select", "photo-caption,orphan-dateline", "articles")
    assert rules_found(payload) == ["photo-caption", "orphan-dateline"]
    code, payload = check_json(
        capsys, "--ignore", "orphan-dateline", "--select", "photo-caption,orphan-dateline", "articles"
    )
    assert rules_found(payload) == ["photo-caption"]


def test_paths_are_relative_to_the_config_file_not_the_current_folder(project, capsys, monkeypatch):
    rules = project / "house-rules"
    rules.mkdir()
    (rules / "calais-mention.yaml").write_text(
        "check: phrase\ncategory: other\nmessage: 'Calais: {match}'\n"
        "doc: {what: A test rule., why: Tests need one.}\nmatch: contains\nphrases: [Calais]\n"
        'examples:\n  - text: "Calais\\n"\n    expect: [1]\n'
    )
    (project / ".newslint.yaml").write_text(
        "rules: [house-rules]\nselect: [calais-mention]\nper-file-ignores:\n  'articles/old/**': [calais-mention]\n"
    )
    (project / "articles" / "old").mkdir()
    (project / "articles" / "old" / "calais.txt").write_text("In Calais today.\n")
    monkeypatch.chdir(project / "articles")
    code, payload = check_json(capsys, ".")
    assert {v["path"] for v in payload["violations"]} == {"./calais.txt"}


def test_include_and_exclude(project, capsys):
    (project / "articles" / "wire").mkdir()
    (project / "articles" / "wire" / "story.txt").write_text("Advertisement\n")
    (project / "articles" / "notes.rst").write_text("Advertisement\n")
    (project / ".newslint.yaml").write_text("select: [advertisement]\ninclude: ['*.rst', '*.txt']\nexclude: [wire]\n")
    code, payload = check_json(capsys, "articles")
    assert {v["path"] for v in payload["violations"]} == {"articles/notes.rst"}
    # Excluded files stay excluded when named, as pre-commit names every file.
    code, payload = check_json(capsys, "articles/wire/story.txt")
    assert payload["summary"]["files_checked"] == 0 and code == 0


def test_empty_lists_clear_a_key(project, capsys):
    # A config that clears what it would otherwise copy from a template: [] means "none".
    (project / ".newslint.yaml").write_text(
        "ignore: []\nexclude: []\nrules: []\nper-file-ignores:\n  'articles/*.txt': []\n"
    )
    code, payload = check_json(capsys, "articles")
    assert rules_found(payload) == SEED_LINES and code == 1


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("selct: [site-footer]\n", ":1:1:", "unknown key 'selct'"),
        ("fail-on: fatal\n", ":1:10:", "'fail-on' must be one of: error, warning, info (got 'fatal')"),
        ("ignore: site-footer\n", ":1:9:", "'ignore' must be a list of strings"),
        ("severity:\n  site-footer: loud\n", ":2:16:", "'severity': 'site-footer' must be one of"),
        ("per-file-ignores:\n  '*.md': photo-caption\n", ":2:11:", "must map to a list of rule names"),
        ("select: []\n", ":1:9:", "'select': an empty list would leave a run nothing to check; leave 'select' out"),
        ("include: []\n", ":1:10:", "'include': an empty list would leave a run nothing to check"),
        ("select: [site-footer, no-such-rule]\n", ":1:23:", "unknown rule 'no-such-rule'"),
        ("severity:\n  no-such-rule: info\n", ":2:3:", "unknown rule 'no-such-rule'"),
        ("exclude: ['']\n", ":1:11:", "'exclude': a glob must not be empty"),
        ("include: ['[?-/]']\n", ":1:11:", "'include': invalid glob '[?-/]': invalid character class range: ?-/"),
        ("per-file-ignores:\n  '[z-a].md': [photo-caption]\n", ":2:3:", "invalid glob '[z-a].md'"),
        ("- a list\n", ":1:1:", "must be a mapping"),
        ("select: [a\n", ":2:1:", "invalid YAML"),
    ],
)
def test_bad_yaml_config_names_file_line_column_and_key(project, capsys, text, where, message):
    (project / ".newslint.yaml").write_text(text)
    assert main(["check", "articles"]) == 2
    err = capsys.readouterr().err
    assert f".newslint.yaml{where}" in err and message in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "text, message",
    [
        ('[tool.newslint]\nselct = ["a"]\n', "unknown key 'selct'"),
        ('[tool.newslint]\nfail-on = "fatal"\n', "(at tool.newslint.fail-on)"),
        ('[tool.newslint.per-file-ignores]\n"a/*.md" = "x"\n', '(at tool.newslint.per-file-ignores."a/*.md")'),
        (
            '[tool.newslint]\nignore = ["nope"]\n',
            "unknown rule 'nope' (see `newslint rules`) (at tool.newslint.ignore[0])",
        ),
        ("[tool.newslint\n", "invalid TOML"),
    ],
)
def test_bad_toml_config_names_file_and_key(project, capsys, text, message):
    (project / "pyproject.toml").write_text(text)
    assert main(["check", "articles"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml" in err and message in err, err


def test_config_flag_and_its_errors(project, capsys):
    (project / "strict.yaml").write_text("select: [site-footer]\n")
    code, payload = check_json(capsys, "--config", "strict.yaml", "articles")
    assert rules_found(payload) == ["site-footer"]
    assert main(["check", "--config", "missing.yaml", "articles"]) == 2
    assert "missing.yaml: config file not found" in capsys.readouterr().err
    (project / "other.toml").write_text('[project]\nname = "x"\n')
    assert main(["check", "--config", "other.toml", "articles"]) == 2
    assert "no [tool.newslint] table" in capsys.readouterr().err


def test_unknown_rule_on_the_command_line_is_a_usage_error_without_position(project, capsys):
    (project / ".newslint.yaml").write_text("select: [site-footer]\n")
    assert main(["check", "--select", "nope", "articles"]) == 2
    assert capsys.readouterr().err == "newslint: error: unknown rule 'nope' (see `newslint rules`)\n"


def test_summary_is_stable_and_follows_what_changes_a_run(project):
    # The summary is part of the result cache's key (see pipeline.result_key).
    (project / ".newslint.yaml").write_text("ignore: [site-footer]\nseverity: {photo-caption: info}\n")
    config = load_config()
    assert config.summary() == load_config().summary()
    assert config.with_flags(fail_on="info").summary() != config.summary()
    assert config.with_flags(select=["site-footer"]).summary() != config.summary()
    assert Config(root=str(project)).summary() != config.summary()
    assert config.summary()["severity"] == {"photo-caption": "info"}


def test_readme_config_examples_load(project):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```(yaml|toml)\n(# (?:\.newslint\.yaml|pyproject\.toml)\n.*?)```", readme, re.S)
    assert sorted(kind for kind, _ in examples) == ["toml", "yaml"]
    for kind, text in examples:
        name = ".newslint.yaml" if kind == "yaml" else "pyproject.toml"
        (project / name).write_text(text)
        config = load_config(str(project / name))
        Plan.of(config, load_rules([]))  # every rule name in it is a real rule
        assert config.exclude and dict(config.per_file_ignores)["wire/*.txt"] == ("orphan-dateline",)


def test_globs_with_brackets_or_set_operators_raise_no_python_warning():
    import warnings

    from newslint.globs import GlobSet, glob_problem

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for glob, inside, outside in [("[[a]x", "[x", "bx"), ("[a&&b]", "&", "c"), ("[!~|]", "a", "|")]:
            assert glob_problem(glob) is None
            assert GlobSet([glob]).match(inside) and not GlobSet([glob]).match(outside)
