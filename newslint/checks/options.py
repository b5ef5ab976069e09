"""Declared, validated options for check kinds.

Each check kind lists its options as `Option`s; `validate_options` checks a rule file's values
against them so a typo or a wrong type is an error naming the file, line and column. An Option's
`doc` is the option's documentation for rule authors: newslint/ruledocs.py renders it, with its
type, default and bounds, into docs/rules.md, so it is written here and nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from newslint.errors import NewslintError, RuleError

if TYPE_CHECKING:  # only for annotations: loading cached rules needs no YAML parser
    from newslint.yamlsource import KeyPath, YamlDocument

_MISSING = object()


class Option(NamedTuple):
    kind: str  # "str", "int", "number", "bool", "str-list", "mapping"
    doc: str  # full sentences for rule authors; the type, default and bounds are rendered apart
    default: Any = _MISSING
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    fields: dict[str, Option] | None = None  # for "mapping"
    check: Callable[[Any], str | None] | None = None  # returns an error message or None
    # A str-list may be [] only where that means something: in a config, `ignore: []` clears
    # a list; in a rule file an empty phrase list is a mistake.
    may_be_empty: bool = False

    @property
    def required(self) -> bool:
        return self.default is _MISSING


# How errors and the documentation name each kind of value.
TYPE_NAMES = {
    "str": "a string",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "str-list": "a list of strings",
    "mapping": "a mapping",
}


def validate_options(
    schema: dict[str, Option],
    values: object,
    doc: YamlDocument,
    path: KeyPath = (),
    error: type[NewslintError] = RuleError,
) -> dict[str, Any]:
    """Return `values` with defaults filled in, or raise `error` (RuleError for rule files,
    ConfigError for config files) at the offending key."""
    if not isinstance(values, dict):
        raise doc.error("expected a mapping", path, cls=error)
    for key in values:
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise doc.error(f"unknown key {key!r} (expected one of: {known})", path + (key,), key=True, cls=error)
    result: dict[str, Any] = {}
    for key, option in schema.items():
        if key not in values:
            if option.required:
                raise doc.error(f"missing required key {key!r}", path, cls=error)
            result[key] = option.default
            continue
        result[key] = _validate_value(option, values[key], doc, path + (key,), error)
    return result


def _validate_value(option: Option, value: Any, doc: YamlDocument, path: KeyPath, error: type[NewslintError]) -> Any:
    name = path[-1]
    ok = {
        "str": lambda v: isinstance(v, str),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "str-list": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "mapping": lambda v: isinstance(v, dict),
    }[option.kind](value)
    if not ok:
        if option.kind == "str-list" and isinstance(value, list):
            bad = next(i for i, x in enumerate(value) if not isinstance(x, str))
            raise doc.error(f"{name!r} must be {TYPE_NAMES['str-list']}", path + (bad,), cls=error)
        raise doc.error(f"{name!r} must be {TYPE_NAMES[option.kind]}, not {value!r}", path, cls=error)
    if option.kind == "number" and not math.isfinite(value):
        # YAML's .nan and .inf: NaN passes every minimum and maximum test, and fails later.
        raise doc.error(f"{name!r} must be a finite number, not {value!r}", path, cls=error)
    if option.kind == "mapping" and option.fields is not None:
        return validate_options(option.fields, value, doc, path, error)
    if option.choices and value not in option.choices:
        choices = ", ".join(str(c) for c in option.choices)
        raise doc.error(f"{name!r} must be one of: {choices} (got {value!r})", path, cls=error)
    if option.minimum is not None and value < option.minimum:
        raise doc.error(f"{name!r} must be at least {option.minimum} (got {value!r})", path, cls=error)
    if option.maximum is not None and value > option.maximum:
        raise doc.error(f"{name!r} must be at most {option.maximum} (got {value!r})", path, cls=error)
    if option.kind == "str-list" and not value and not option.may_be_empty:
        raise doc.error(f"{name!r} must not be empty", path, cls=error)
    if option.check is not None:
        problem = option.check(value)
        if problem:
            raise doc.error(f"{name!r}: {problem}", path, cls=error)
    return value
