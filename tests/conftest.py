from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import load_with_engine
from hypothesis import HealthCheck, settings

from newslint.cache import FORMAT, open_cache
from newslint.pipeline import PARSED_RULES
from newslint.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/snapshots/ from what newslint gives now (review the diff before committing)",
    )


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


# Property tests (test_fix_properties.py, the fuzz suite test_fuzz.py) stay a few seconds by
# default; HYPOTHESIS_PROFILE=deep runs 20x more examples. Generating random rule files can be
# slow on a loaded machine, which is no reason to fail.
_QUIET = [HealthCheck.too_slow]
settings.register_profile("default", max_examples=100, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("deep", max_examples=2000, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session", autouse=True)
def cache_key_in_tmp(tmp_path_factory) -> Iterator[Path]:
    """newslint's cache key (kept in $XDG_CACHE_HOME/newslint) in a folder of the session's,
    never in the user's home: one key for the whole session, so that the rules parsed once below
    are authentic in every test's cache folder. Subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def parsed_builtin_rules(tmp_path_factory, cache_key_in_tmp) -> Path:
    """The rule cache's entry for the built-in rules, made once: parsing and validating them
    (YAML, one RE2 compile per pattern) would otherwise cost every test that runs newslint."""
    folder = tmp_path_factory.mktemp("rule-cache")
    load_rules([], store=open_cache(folder, [PARSED_RULES]).values(PARSED_RULES))
    return folder / FORMAT / PARSED_RULES


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path_factory, monkeypatch, parsed_builtin_rules) -> Path:
    """Each test's runs cache results in a folder of their own, never in the folder pytest runs
    in (nor in the test's tmp_path, whose contents tests check), which starts with the built-in
    rules already parsed."""
    folder = tmp_path_factory.mktemp("cache") / "newslint-cache"
    shutil.copytree(parsed_builtin_rules, folder / FORMAT / PARSED_RULES)
    monkeypatch.setenv("NEWSLINT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def builtin_rules():
    return load_rules([])


@pytest.fixture(scope="session")
def reference_rules():
    """The built-in rules as the reference engine runs them (engine/reference.py): the oracle."""
    return load_with_engine("reference")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time under `folder`, to prove a run wrote nothing."""
    return {
        str(path): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@pytest.fixture
def tree_snapshot():
    return snapshot


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A local Dask cluster of two worker processes for a test module's --scheduler runs
    (skipped where the dask extra is not installed)."""
    distributed = pytest.importorskip("distributed")
    from newslint import cluster

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, **cluster.LOCAL_OPTIONS) as local:
        yield local.scheduler_address


@pytest.fixture
def sent_to_cluster(monkeypatch) -> list:
    """Every item this process hands to a Dask cluster in the test, in order (recorded as
    cluster.chunks batches them)."""
    from newslint import cluster

    sent: list = []
    real_chunks = cluster.chunks

    def recorded(items, *args):
        for batch in real_chunks(items, *args):
            sent.extend(batch)
            yield batch

    monkeypatch.setattr(cluster, "chunks", recorded)
    return sent
