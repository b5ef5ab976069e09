"""No module of the package is over 400 lines: past that, a module has usually taken on a second
job, which then wants a module of its own (docs/architecture.md says which module does what)."""

from __future__ import annotations

from pathlib import Path

import newslint

PACKAGE = Path(newslint.__file__).resolve().parent
MAX_LINES = 400


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        path.relative_to(PACKAGE.parent).as_posix(): len(path.read_bytes().splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    too_long = {name: lines for name, lines in sorted(sizes.items()) if lines > MAX_LINES}
    assert not too_long, f"modules over {MAX_LINES} lines (give the second job a module of its own): {too_long}"
