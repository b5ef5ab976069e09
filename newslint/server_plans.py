"""The plans of a language server (server.py): the plan `newslint check` would use for a
document's folder, kept per config and loaded again when a file it was loaded from changes (its
times, size and inode are compared before each check)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from newslint.cache import Cache
from newslint.config import Config, find_config
from newslint.errors import NewslintError
from newslint.filters import Plan, find_problems
from newslint.fix import FindProblems
from newslint.pipeline import Settings, load_plan, read_baseline
from newslint.rules import rule_files

if TYPE_CHECKING:
    from newslint.baseline import Baseline

# How many checks a plan is expected to serve: enough that the engine's gate prepares for many
# documents from the first check on (one set of all rules' screens), as an editor checks again
# and again.
EXPECTED_CHECKS = 1000
# How recent a file's change must be for a plan read from it not to be trusted (see Plans).
RACY_NS = 1_000_000_000

# Each file a plan is loaded from, with its times, size and inode (see stamp); None: no file there.
Stamp: TypeAlias = "tuple[tuple[str, tuple[int, int, int, int] | None], ...]"


class LoadedPlan(NamedTuple):
    """A plan as the server keeps it, with what it was loaded from."""

    plan: Plan
    find: FindProblems
    baseline: Baseline | None
    stamp: Stamp | None  # the files it was loaded from, as the file system described them; None: load again


class PlanUnusable(Exception):
    """A config, rule or baseline file that cannot be used; `new` unless the same was said of
    the same config at the last try."""

    def __init__(self, message: str, new: bool):
        super().__init__(message)
        self.new = new


class Plans:
    """The plan of each config the open documents use, loaded again when its files change."""

    def __init__(self, cache: Cache | None):
        self.cache = cache
        self._loaded: dict[str | None, LoadedPlan] = {}
        self._unusable: dict[str | None, str] = {}  # what was wrong at the last try, by config

    def for_path(self, path: str) -> LoadedPlan:
        """The plan `newslint check` would use for `path` when run in its folder. Raises
        PlanUnusable for a config, rule or baseline file that cannot be used (tried again at
        the next call)."""
        folder = os.path.dirname(path)
        config_file: str | None = folder  # until it is found
        try:
            config_file = find_config(folder)
            loaded = self._loaded.get(config_file)
            if loaded is not None and loaded.stamp == stamp(loaded.plan.config):
                return loaded
            self._loaded.pop(config_file, None)
            started = time.time_ns()
            plan = load_plan(Settings(config_file=config_file, config_search_from=folder), self.cache)
            plan.gate.expect(EXPECTED_CHECKS)
            baseline = read_baseline(plan)
            files = stamp(plan.config)
            # A file changed since just before the load began may have been read before the
            # change, and a change within the same tick of the clock leaves its time as it was:
            # a plan of such files is used, but loaded again at the next check (as git treats
            # a file changed as its index was written).
            racy = any(signature is not None and signature[0] >= started - RACY_NS for _, signature in files)
            loaded = LoadedPlan(plan, find_problems(plan), baseline, None if racy else files)
        except NewslintError as exc:
            message = str(exc)
            new = self._unusable.get(config_file) != message
            self._unusable[config_file] = message
            raise PlanUnusable(message, new) from None
        self._unusable.pop(config_file, None)
        self._loaded[config_file] = loaded
        return loaded


def stamp(config: Config) -> Stamp:
    """The files a plan of `config` is loaded from (the config, every rule file in its rule
    folders, the baseline), each with its modification and change times, size and inode, or None
    where there is none: when this changes, the plan is loaded again."""
    paths = [] if config.source is None else [config.source]
    for folder in config.rule_folders:
        paths.append(str(folder))
        try:
            paths.extend(map(str, rule_files(Path(folder))))
        except NewslintError:  # no folder there (its own entry says so), or one not readable
            pass
    if config.baseline is not None:
        paths.append(config.baseline)
    return tuple((path, _signature(path)) for path in paths)


def _signature(path: str) -> tuple[int, int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino
