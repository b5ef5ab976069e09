# Types for google-re2's `re2` module (it ships none), covering only what newslint uses: a use
# of anything else fails mypy until it is added here, checked against the binding's source
# (re2/__init__.py) and by stubtest (the command is in typings/stubtest-allowlist.txt). As in
# the binding, a str text gives str matches and a bytes text bytes; offsets are in characters
# for a str text and in bytes for a bytes text.

from collections.abc import Iterator
from typing import Any, AnyStr, Generic, Literal, overload

class error(Exception): ...

class Options:
    # The RE2 options newslint sets (re2.h documents them); each is a read-write property.
    max_mem: int
    log_errors: bool
    never_nl: bool
    dot_nl: bool
    case_sensitive: bool

def compile(pattern: str, options: Options | None = None) -> _Regexp: ...
def escape(pattern: str) -> str: ...

class _Regexp:
    """A compiled program; the binding gives its class no public name."""

    @property
    def programsize(self) -> int: ...
    def search(self, text: AnyStr, pos: int | None = None, endpos: int | None = None) -> _Match[AnyStr] | None: ...
    def match(self, text: AnyStr, pos: int | None = None, endpos: int | None = None) -> _Match[AnyStr] | None: ...
    def fullmatch(self, text: AnyStr, pos: int | None = None, endpos: int | None = None) -> _Match[AnyStr] | None: ...
    def finditer(self, text: AnyStr, pos: int | None = None, endpos: int | None = None) -> Iterator[_Match[AnyStr]]: ...
    # Each item is the match (AnyStr) for a pattern without groups, its one group's text for a
    # pattern of one, and a tuple of the groups' texts for more: which, the pattern decides at
    # run time, so the items are Any (as in typeshed's re.Pattern.findall).
    def findall(self, text: AnyStr, pos: int | None = None, endpos: int | None = None) -> list[Any]: ...

class _Match(Generic[AnyStr]):
    """A match; its spans are (-1, -1) for a group that took no part."""

    def span(self, group: int = 0) -> tuple[int, int]: ...
    def start(self, group: int = 0) -> int: ...
    def end(self, group: int = 0) -> int: ...
    @overload
    def group(self, group: Literal[0] = 0, /) -> AnyStr: ...
    @overload
    def group(self, group: int | str, /) -> AnyStr | None: ...
    @overload
    def group(self, group1: int | str, group2: int | str, /, *groups: int | str) -> tuple[AnyStr | None, ...]: ...

class Set:
    """A set of patterns searched for at once (RE2::Set)."""

    @classmethod
    def SearchSet(cls, options: Options | None = None) -> Set: ...
    @classmethod
    def FullMatchSet(cls, options: Options | None = None) -> Set: ...
    def Add(self, pattern: str) -> int: ...  # the pattern's index; raises error if it is refused
    def Compile(self) -> None: ...  # raises error if the set cannot be built
    def Match(self, text: str | bytes) -> list[int] | None: ...  # the indexes that match; None: none
