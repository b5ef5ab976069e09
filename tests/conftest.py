from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from newslint.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures"

# Property tests stay a few seconds by default; HYPOTHESIS_PROFILE=deep runs 20x more examples.
settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def builtin_rules():
    return load_rules([])


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
