"""The parts of a rule file that are not options, validated: its message template (only the
fields its check offers, no format specs) and its examples (text and the lines they flag)."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any, NamedTuple

from newslint.checks.base import Check
from newslint.errors import RuleError

if TYPE_CHECKING:
    from newslint.yamlsource import YamlDocument

# `examples` (a list of {text, expect}) is validated by examples_of; this is its documentation.
EXAMPLES_DOC = (
    "A non-empty list of examples, each `{text: ..., expect: [...]}`: a text, and the lines of it where "
    "the rule reports a problem (an empty list: none). `newslint test-rules DIR` runs the examples of "
    "a folder's rules; newslint's test suite runs those of its built-in rules, each of which needs at "
    "least one example it flags and one it leaves alone. A cross-article rule's example also gives "
    "`others`: the texts of the other articles of the archive the text is checked against."
)


class Example(NamedTuple):
    text: str
    expect: tuple[int, ...]  # the lines where a problem starts
    line: int  # where the example stands in the rule file
    others: tuple[str, ...] = ()  # for a cross-article rule: the other articles' texts


def check_message(message: str, check_class: type[Check], doc: YamlDocument) -> None:
    allowed = {"match", *check_class.MESSAGE_FIELDS}
    try:
        parsed = string.Formatter().parse(message)
        fields = [(f, spec, conversion) for _, f, spec, conversion in parsed if f is not None]
    except ValueError as exc:
        raise doc.error(
            f"bad message template: {exc} (write {{{{ and }}}} for literal braces)", ("message",), cls=RuleError
        ) from None
    for name, spec, conversion in fields:
        if spec or conversion:
            # {match:>999999999} would build a huge string per problem, {match!z} fail on the first.
            raise doc.error(
                f"message field {{{name}}} has a format spec or conversion; write plain {{{name}}}",
                ("message",),
                cls=RuleError,
            )
        if name not in allowed:
            raise doc.error(
                f"unknown message field {{{name}}}"
                f" (this check offers: {', '.join('{' + a + '}' for a in sorted(allowed))})",
                ("message",),
                cls=RuleError,
            )


def examples_of(value: Any, doc: YamlDocument, across_articles: bool = False) -> tuple[Example, ...]:
    if value is None:
        raise doc.error("missing required key 'examples': every rule carries examples, run as tests", cls=RuleError)
    if not isinstance(value, list) or not value:
        raise doc.error("'examples' must be a non-empty list of {text, expect}", ("examples",), cls=RuleError)
    examples = []
    for i, item in enumerate(value):
        path = ("examples", i)
        if not isinstance(item, dict):
            raise doc.error("an example must be a mapping with 'text' and 'expect'", path, cls=RuleError)
        keys = ("text", "expect", "others") if across_articles else ("text", "expect")
        for key in item:
            if key not in keys:
                raise doc.error(
                    f"unknown key {key!r} in example (expected {', '.join(keys)})",
                    path + (key,),
                    key=True,
                    cls=RuleError,
                )
        text, expect = item.get("text"), item.get("expect")
        if not isinstance(text, str):
            raise doc.error("an example's 'text' must be a string", path + ("text",), cls=RuleError)
        if not isinstance(expect, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in expect
        ):
            raise doc.error(
                "an example's 'expect' must be a list of line numbers (empty for none)",
                path + ("expect",),
                cls=RuleError,
            )
        others = item.get("others", [])
        if not isinstance(others, list) or not all(isinstance(other, str) for other in others):
            raise doc.error("an example's 'others' must be a list of texts", path + ("others",), cls=RuleError)
        examples.append(Example(text, tuple(expect), doc.where(path)[0], tuple(others)))
    return tuple(examples)
