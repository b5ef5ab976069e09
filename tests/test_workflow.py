"""The GitHub Actions workflow shipped in docs/ and shown in the README: valid YAML, and every
newslint command in it is one the real parser accepts."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from newslint.cli import build_parser

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / "docs" / "github-workflow.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def newslint_commands(workflow: dict) -> list[list[str]]:
    """The arguments of each `newslint ...` command in the workflow's run steps, without any
    shell redirection."""
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                words = shlex.split(line)
                if words and words[0] == "newslint":
                    if ">" in words:
                        words = words[: words.index(">")]
                    commands.append(words[1:])
    return commands


def test_workflow_is_valid_yaml_with_the_steps_a_repo_needs(workflow):
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    assert set(workflow.get("on", workflow.get(True))) == {"push", "pull_request"}
    steps = workflow["jobs"]["newslint"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert uses.count("actions/checkout") == uses.count("actions/setup-python") == 1
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert workflow["permissions"]["security-events"] == "write"
    check = next(step for step in steps if "newslint check" in step.get("run", ""))
    assert check["run"].split("> ")[1].strip() == upload["with"]["sarif_file"]


def test_every_newslint_command_parses_with_the_real_parser(workflow):
    commands = newslint_commands(workflow)
    assert commands, "the workflow runs no newslint command"
    parser = build_parser()
    for args in commands:
        try:
            parsed = parser.parse_args(args)
        except SystemExit:
            pytest.fail(f"not a valid newslint command: newslint {' '.join(args)}")
        assert parsed.command == "check" and parsed.format == "sarif"


def test_a_made_up_flag_would_be_caught(workflow):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["check", "--format", "sarif", "--no-such-flag", "."])


def test_readme_shows_the_workflow_file_verbatim():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "```yaml\n" + WORKFLOW.read_text(encoding="utf-8") + "```\n" in readme
