"""Sets of a file's lines as sorted (first, last) ranges, 1-based and inclusive: the lines a
change added or modified (--diff-base), and where they are once fixes have deleted others."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

LineRanges = tuple[tuple[int, int], ...]


def touches(ranges: LineRanges, first: int, last: int) -> bool:
    """Whether lines first..last hold a line of `ranges`."""
    return any(start <= last and first <= end for start, end in ranges)


def renumbered(ranges: LineRanges, origins: Sequence[int]) -> LineRanges:
    """`ranges` in the numbering of a text whose line k came from line origins[k - 1] (fixes
    only delete lines, so the origins rise): the lines that came from a line of `ranges`."""
    return from_lines(k for k, origin in enumerate(origins, start=1) if touches(ranges, origin, origin))


def from_lines(lines: Iterable[int]) -> LineRanges:
    """The ranges of rising line numbers."""
    ranges: list[tuple[int, int]] = []
    for line in lines:
        if ranges and ranges[-1][1] == line - 1:
            ranges[-1] = (ranges[-1][0], line)
        else:
            ranges.append((line, line))
    return tuple(ranges)
