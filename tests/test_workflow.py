"""The GitHub Action (action.yml) and the workflow shipped in docs/ and shown in the README that
uses it: valid YAML, inputs that exist, and steps that run what is in the repository. (The
script the action runs is run in tests/test_github_action.py; actionlint lints both in
tests/test_actionlint.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / "docs" / "github-workflow.yml"
ACTION = REPO / "action.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def newslint_step(workflow: dict) -> dict:
    steps = workflow["jobs"]["newslint"]["steps"]
    (step,) = [step for step in steps if step.get("uses", "").startswith("newslint/newslint@")]
    return step


def test_workflow_checks_out_and_uses_the_action(workflow):
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    assert set(workflow.get("on", workflow.get(True))) == {"push", "pull_request"}
    steps = workflow["jobs"]["newslint"]["steps"]
    assert steps[0]["uses"].split("@")[0] == "actions/checkout"
    step = newslint_step(workflow)
    assert set(step.get("with", {})) <= set(yaml.safe_load(ACTION.read_text())["inputs"])
    if str(step.get("with", {}).get("upload-sarif")).lower() == "true":
        assert workflow["permissions"]["security-events"] == "write"


def test_the_action_is_a_composite_action_whose_inputs_are_documented(action):
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"paths", "diff-base", "fail-on", "upload-sarif", "version"}
    for name, spec in action["inputs"].items():
        assert spec["description"].strip() and "default" in spec, name
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in action["inputs"]:
        assert f"| `{name}` |" in readme


def test_the_actions_steps_use_only_its_inputs_and_take_them_through_the_environment(action):
    steps = action["runs"]["steps"]
    used = set()
    for step in steps:
        text = yaml.safe_dump(step)
        used |= set(re.findall(r"inputs\.([\w-]+)", text))
        # An input pasted into a shell command could run as one: inputs reach `run` only as
        # environment variables.
        assert "${{" not in step.get("run", ""), step.get("name")
    assert used <= set(action["inputs"])
    assert used >= {"paths", "diff-base", "fail-on", "upload-sarif", "version"}


def test_the_action_runs_the_script_in_the_repository(action):
    runs = [step["run"] for step in action["runs"]["steps"] if "run" in step]
    scripts = {match for run in runs for match in re.findall(r"\$GITHUB_ACTION_PATH/([\w/.-]+\.py)", run)}
    assert scripts == {"scripts/github_action.py"}
    assert (REPO / "scripts" / "github_action.py").is_file()


def test_sarif_is_uploaded_from_the_file_the_script_writes(action):
    steps = action["runs"]["steps"]
    check = next(step for step in steps if "github_action.py" in step.get("run", ""))
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    written = check["env"]["NEWSLINT_SARIF_FILE"]
    assert "format('{0}/newslint.sarif', runner.temp)" in written
    assert upload["with"]["sarif_file"] == "${{ runner.temp }}/newslint.sarif"
    assert "!cancelled()" in upload["if"]  # uploaded also when the check found problems


def test_readme_shows_the_workflow_file_verbatim():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "```yaml\n" + WORKFLOW.read_text(encoding="utf-8") + "```\n" in readme
