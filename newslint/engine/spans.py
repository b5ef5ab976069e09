"""The matches of several programs merged into those of their patterns' alternation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, AnyStr

if TYPE_CHECKING:
    from newslint.engine.programs import Program


def merged_spans(
    programs: list[Program], text: AnyStr, pos: int = 0, endpos: int | None = None, anchored: list[bool] | None = None
) -> Iterator[tuple[int, int]]:
    """The spans `finditer` gives for the alternation of the programs' patterns, in order
    (between pos and endpos, as finditer takes them: the text around is still seen).

    The alternation's next match is the leftmost of the programs' next matches, the earliest
    program's on a tie (leftmost-first: an earlier alternative wins at the same start); it
    ends where that program's match ends. Each program searches on from the end of the last
    match, as finditer does (one character on after an empty match).

    With `anchored` (a flag per program), pos..endpos is one line and pos its start. A program
    whose matches all start at a line's start can only match at pos, and is matched there
    (RE2's anchored match) rather than searched for. A search finds where a match ends in a
    pass forwards, then where it starts in a pass backwards from there, which runs the whole
    program, every alternative at once: backwards, bounded repetitions of large classes
    (`.{0,200}$`, `[^.]{1,80}`, `\\p{Lu}[\\pL.]*`) build a new automaton state at nearly every
    character, and one match could cost milliseconds (photo-caption on lines of Cyrillic ending
    "Credit: ..."). An anchored match knows where it starts and makes the pass forwards only,
    a couple of hundred times cheaper there (benchmarks/hostile.py, "non-Latin lines, each
    ending 'Credit: X'", gives the cost per megabyte as it is now).
    """
    if endpos is None:
        endpos = len(text)
    if anchored is None:
        anchored = [False] * len(programs)
    if len(programs) == 1 and not anchored[0]:
        for found in programs[0].finditer(text, pos, endpos):
            yield found.span()
        return
    pending: list[tuple[int, int] | None] = [None] * len(programs)  # each program's next match
    done = [False] * len(programs)
    position = pos
    while True:
        best: tuple[int, int] | None = None
        for k, program in enumerate(programs):
            if done[k]:
                continue
            span = pending[k]
            if span is None or span[0] < position:
                if anchored[k]:
                    match = program.match(text, position, endpos) if position == pos else None
                else:
                    match = program.search(text, position, endpos)
                if match is None:
                    done[k] = True
                    continue
                span = pending[k] = match.span()
            if best is None or span[0] < best[0]:
                best = span
        if best is None:
            return
        yield best
        if position == endpos:
            return
        position = best[1] + 1 if best[1] == position else best[1]
