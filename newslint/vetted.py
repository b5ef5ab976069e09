"""A path found inside its tree, with the real path it was found at (see discovery.py).

A module of its own so that what reads files (reading.py) and what finds them (discovery.py)
can both name it without importing each other.
"""

from __future__ import annotations


class VettedPath(str):
    """A file's path as given or found (what a run shows and reports), with `real`, its real
    path, found inside its tree. Readers open `real` without following a link at its end
    (reading.read_regular_file), so a link swapped in after the check cannot redirect them."""

    __slots__ = ("real",)
    real: str

    def __new__(cls, path: str, real: str) -> VettedPath:
        self = str.__new__(cls, path)
        self.real = real
        return self

    def __reduce__(self) -> tuple[type[VettedPath], tuple[str, str]]:  # pickled for workers: path, real path
        return VettedPath, (str(self), self.real)
