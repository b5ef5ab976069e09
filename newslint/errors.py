"""Errors that end a run with a defined exit code (see cli.py)."""

from __future__ import annotations


class NewslintError(Exception):
    """A problem the user can fix: bad usage, a bad config or a bad rule file (exit code 2)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class UsageError(NewslintError):
    """Bad command-line usage."""


class RuleError(NewslintError):
    """A rule file that cannot be loaded: the message names the file, line and column."""


class ConfigError(NewslintError):
    """A configuration file that cannot be used."""
