"""What checks find and what newslint reports: plain data, no behaviour beyond ordering.

Records are NamedTuples rather than dataclasses: every run imports them, and the dataclasses
module and the code it generates per class were a large part of a one-file run's start-up
(benchmarks/speed.py measures start-up).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

_NO_VALUES: Mapping[str, Any] = MappingProxyType({})


class Fix(NamedTuple):
    """Delete text[start:end] of the decoded document (offsets, not line numbers).

    `safe` fixes run with --fix; unsafe ones (a near-duplicate that is not identical) need
    --unsafe-fixes as well.
    """

    start: int
    end: int
    safe: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"action": "delete", "start": self.start, "end": self.end, "safe": self.safe}


class Span(NamedTuple):
    """A 1-based range of positions; end_column is exclusive (one past the last character)."""

    line: int
    column: int
    end_line: int
    end_column: int
    path: str | None = None  # in another file (a related place: cross-article repeats); None: this one


class Finding(NamedTuple):
    """One problem as a check sees it, before a rule gives it a name, severity and message."""

    span: Span
    text: str  # the flagged text, for {match} in messages
    values: Mapping[str, Any] = _NO_VALUES  # more message fields, kind-specific
    related: tuple[Span, ...] = ()
    fix_range: tuple[int, int] | None = None  # what deleting the problem removes
    exact: bool = True  # False where a fix could lose text that is not a copy (near-duplicates)


class RuleInfo(NamedTuple):
    """What a report says about a rule (SARIF's rule metadata): its name, kind of junk,
    effective severity and documentation (`what`, `why` and, where it has a fix, `fix`)."""

    name: str
    category: str
    severity: str
    doc: dict[str, str]

    def __hash__(self) -> int:  # the doc is a dict: the rest identifies the rule
        return hash((self.name, self.category, self.severity))


class ReportedRule(Protocol):
    """What a violation takes from its rule (a RuleInfo or a rules.Rule)."""

    @property
    def name(self) -> str: ...

    @property
    def category(self) -> str: ...

    @property
    def severity(self) -> str: ...


class RecordRef(NamedTuple):
    """Which record of a dataset file (datasets/) a problem is in: its lines and columns are
    positions in the record's text field, not in the file."""

    number: int  # the record's line in a JSON Lines or CSV file; its 1-based position in a JSON array or Parquet file
    id: str | None = None  # the value of its id field, if it has one (untrusted: escaped wherever shown)
    line: int = 1  # the line of the file it starts on (1 where lines mean nothing: JSON arrays, Parquet)
    site: str | None = None  # the value of its site field, with --site-field

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"index": self.number, "id": self.id}
        if self.site is not None:
            data["site"] = self.site
        return data


class Violation(NamedTuple):
    """A problem as reported. Violations are equal, ordered and hashed by where they are and
    which rule found them (path, line, column, end line, end column, rule; and in a dataset, the
    record), not by the rest."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str
    severity: str
    message: str
    related: tuple[Span, ...] = ()
    fix: Fix | None = None
    text: str = ""  # the flagged text (for the baseline's text hash, not shown)
    record: RecordRef | None = None  # in a dataset file, the record whose text holds the problem

    def _key(self) -> tuple[object, ...]:
        # Plain files (record None, the common case) compare as the first six fields alone.
        record = self.record
        return self[:6] if record is None else (self.path, record.number, *self[1:6])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Violation) and self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: tuple[object, ...]) -> bool:
        return self._key() < _key_of(other)

    def __le__(self, other: tuple[object, ...]) -> bool:
        return self._key() <= _key_of(other)

    def __gt__(self, other: tuple[object, ...]) -> bool:
        return self._key() > _key_of(other)

    def __ge__(self, other: tuple[object, ...]) -> bool:
        return self._key() >= _key_of(other)

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def place(self) -> str:
        """Where it is, as reports name it (unescaped): the path, and `#N` for a dataset's record."""
        return self.path if self.record is None else f"{self.path}#{self.record.number}"

    @classmethod
    def at(
        cls,
        path: str,
        span: Span,
        rule: ReportedRule,
        message: str,
        related: tuple[Span, ...] = (),
        fix: Fix | None = None,
        text: str = "",
    ) -> Violation:
        """A violation of `rule` over `span`."""
        return cls(
            path=path,
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            rule=rule.name,
            category=rule.category,
            severity=rule.severity,
            message=message,
            related=related,
            fix=fix,
            text=text,
        )

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
        }
        if self.related:
            result["related"] = [_span_data(span) for span in self.related]
        if self.fix is not None:
            result["fix"] = self.fix.as_dict()
        if self.record is not None:
            result["record"] = self.record.as_dict()
        return result

    def to_data(self) -> list[Any]:
        """Every field but the path, in field order, as JSON-able data (for the result cache:
        lists, not objects, to keep it small and quick to read back; see from_data)."""
        data = [getattr(self, name) for name in _DATA_FIELDS]
        data[_RELATED] = [[s.line, s.column, s.end_line, s.end_column] for s in self.related]
        data[_FIX] = None if self.fix is None else [self.fix.start, self.fix.end, self.fix.safe]
        return data

    @classmethod
    def from_data(cls, data: list[Any], path: str) -> Violation:
        """The Violation `to_data` described, found in `path`. Raises TypeError, ValueError or
        IndexError on data that does not describe one newslint could report: a damaged cache
        entry, or one of a buggy version (see _well_formed)."""
        fields = list(data)
        if len(fields) != len(_DATA_FIELDS):
            raise ValueError("not a violation's data")
        fields[_RELATED] = tuple(Span(*span) for span in fields[_RELATED])
        fix = fields[_FIX]
        fields[_FIX] = None if fix is None else Fix(*fix)
        violation = cls(path, *fields)
        if not _well_formed(violation):
            raise ValueError("not a violation's data")
        return violation


def _key_of(other: tuple[object, ...]) -> tuple[object, ...]:
    return other._key() if isinstance(other, Violation) else other[:6]


# Violation's fields after `path`, in order: the layout of to_data's lists. (Not `record`: the
# result cache never holds a dataset's results.)
_DATA_FIELDS = tuple(name for name in Violation._fields if name not in ("path", "record"))
_RELATED = _DATA_FIELDS.index("related")
_FIX = _DATA_FIELDS.index("fix")


def _span_data(span: Span) -> dict[str, Any]:
    data: dict[str, Any] = {"line": span.line, "column": span.column, "end_line": span.end_line}
    data["end_column"] = span.end_column
    if span.path is not None:
        data["path"] = span.path
    return data


def _well_formed(violation: Violation) -> bool:
    """Whether a violation read back from data has the types and ranges of one newslint
    reports: positions positive whole numbers, no range ending before it starts, strings where
    strings belong, a fix deleting a range of offsets. (Written out, without generators: a
    cached re-run checks every violation of an archive.)"""
    v, fix = violation, violation.fix
    return (
        _is_span(v.line, v.column, v.end_line, v.end_column)
        and (not v.related or all(_is_span(*span[:4]) for span in v.related))
        and type(v.rule) is str
        and type(v.category) is str
        and type(v.severity) is str
        and type(v.message) is str
        and type(v.text) is str
        and (
            fix is None
            or type(fix.start) is int
            and type(fix.end) is int
            and 0 <= fix.start <= fix.end
            and type(fix.safe) is bool
        )
    )


def _is_span(line: int, column: int, end_line: int, end_column: int) -> bool:
    # type() rather than isinstance: True is an int to isinstance.
    return (
        type(line) is int
        and type(column) is int
        and type(end_line) is int
        and type(end_column) is int
        and line >= 1
        and column >= 1
        and end_column >= 1
        and (end_line > line or end_line == line and end_column >= column)
    )
