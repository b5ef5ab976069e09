from __future__ import annotations

from pathlib import Path

import pytest

from newslint.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def builtin_rules():
    return load_rules([])


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
