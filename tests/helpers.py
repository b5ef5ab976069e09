"""Run the CLI in-process and read its JSON output."""

from __future__ import annotations

import json

from newslint.cli import main


def check_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["check", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def rules_and_lines(payload: dict) -> list[tuple[str, int]]:
    return [(v["rule"], v["line"]) for v in payload["violations"]]
