"""Ctrl-C (SIGINT) and a CI runner's SIGTERM as exceptions that stop a run cleanly (cli.py turns
them into a message and an exit code), held while a report's lines are being written, so a
report that streams never ends in half a line."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Terminated(BaseException):
    """Raised by the SIGTERM handler so a run stops as cleanly as on Ctrl-C."""


_holding = False  # within held(): a signal's exception waits in _held
_held: list[BaseException] = []


def _stop(exc: BaseException) -> None:
    if not _holding:
        raise exc
    _held.append(exc)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _stop(Terminated())


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _stop(KeyboardInterrupt())


@contextmanager
def as_exceptions() -> Iterator[None]:
    """SIGTERM raises Terminated and SIGINT KeyboardInterrupt within the block (the handlers
    before it are put back after it). Only the main thread may set handlers: elsewhere (a
    thread of a program that runs newslint) the block runs with the handlers as they are."""
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm), signal.signal(signal.SIGINT, _on_sigint)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])


@contextmanager
def held() -> Iterator[None]:
    """Hold a signal's exception until the block is done (what it writes is written whole),
    then raise it."""
    global _holding
    _holding = True
    try:
        yield
    finally:
        _holding = False
    if _held:
        exc = _held[0]
        _held.clear()
        raise exc
