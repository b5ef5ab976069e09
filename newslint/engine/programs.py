"""RE2 programs as newslint compiles them: never_nl (no match crosses a line), within a memory
budget, with RE2's own reason when a pattern is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import re2

from newslint.engine.re2syntax import tokens
from newslint.engine.repertoire import narrow

if TYPE_CHECKING:
    from typing import TypeAlias

    # A compiled RE2 program; the binding gives its class no public name (typings/re2).
    Program: TypeAlias = re2._Regexp

# RE2's memory budget per program, shared between the compiled program and its DFA's state
# cache, which is most of a worker's memory. MAX_MEM holds every built-in rule and phrase lists
# of several thousand phrases; a program too large for it (tens of thousands of phrases) gets
# the larger budget. It is about the smallest budget that costs no time: a larger one only adds
# peak memory, and half of it leaves the DFA rebuilding its cache again and again, several times
# slower (benchmarks/speed.py measures time and memory; run it, and --jobs 1 over
# ../shared/corpus, before changing either).
MAX_MEM = 16 << 20
MAX_MEM_LARGE = 64 << 20


def compile_re2(pattern: str, ignore_case: bool) -> Program:
    """Compile with never_nl (no match crosses a line); raise ValueError with RE2's reason."""
    if "\\C" in pattern and any(token.text == "\\C" and not token.in_class for token in tokens(pattern)):
        # RE2's \C matches one byte, which may be half a character: a match could then start
        # or end inside one, and no line or column would say where.
        raise ValueError(r"invalid regular expression: \C (any one byte) may split a character; use . instead")
    options = re2.Options()
    options.log_errors = False
    options.never_nl = True
    options.case_sensitive = not ignore_case
    for budget in (MAX_MEM, MAX_MEM_LARGE):
        options.max_mem = budget
        try:
            return re2.compile(pattern, options)
        except re2.error as exc:
            reason = _reason(exc)
            if "too large" not in reason:
                break
    raise ValueError(f"invalid regular expression: {reason}")


def regex_problem(patterns: list[str]) -> str | None:
    """Why one of the patterns is not RE2, or None. Each is compiled with its Unicode classes
    narrowed (the same syntax, and much quicker to compile); one that fails is compiled as written, so
    the message quotes what the user wrote. A program too large fails when the rule compiles
    them all (LineMatcher.compile)."""
    for pattern in patterns:
        try:
            compile_re2(narrow(pattern), ignore_case=False)
        except (re2.error, ValueError):  # re2.error: narrowing met a class RE2 does not know
            try:
                compile_re2(pattern, ignore_case=False)
            except ValueError as exc:
                return f"{exc} in {pattern!r}"
    return None


def _reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def alternation(patterns: list[str] | tuple[str, ...]) -> str:
    """One pattern matching what any of `patterns` matches, the earliest winning a tie."""
    return "|".join(f"(?:{p})" for p in patterns)
