"""`context`: lines judged by their shape and by where they stand around the story.

Much of a page's junk is recognisable without knowing the site: a run of short lines without a
sentence above or below the story (a menu, section names, related headlines), a tool row, the
site's name printed where the headline should be, the headline printed again. Such lines are
judged here by features of their own (words, stop words, sentence punctuation, digits, a
pattern) and by their context: whether they stand before the story, after it or in it, how
many like them stand together, and what the rest of the article says.

The story is found as jusText finds a page's main text (Pomikalek 2011, "Removing Boilerplate
and Duplicate Content from Web Corpora"): text in blocks long enough to judge and dense in stop
words (the function words of running prose; lists, menus and headlines have few) is the
story's; the first and last such block bound it. Plain text has no markup, so a block is a
line, or the lines a hard-wrapped paragraph was broken into (a line that stops mid-sentence and
runs on into the next). Short and borderline lines are then judged by their neighbours: a short
line between story blocks is the story's (a subhead, a list item, a short quote), one in a run
of its like outside the story is page chrome. jusText's link density has no equivalent in text.

Stop-word lists are data files (`newslint/data/stopwords/<language>.txt`, one word a line);
every threshold is an option of the rule. The whole analysis is one pass over the lines, shared
by every rule of this kind with the same story settings (context_analysis.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from newslint.checks.base import Check
from newslint.checks.context_analysis import (
    HEAD,
    STORY,
    TAIL,
    Analysis,
    Line,
    analyse,
    load_stopwords,
    tokenize,
)
from newslint.checks.context_options import LINE_FIELDS, RUN_FIELDS, STORY_FIELDS, stopwords_problem, with_defaults
from newslint.checks.options import Option
from newslint.document import Document
from newslint.engine import LineMatcher, LinePatterns, alternation, compile_re2, line_matcher
from newslint.violations import Finding, Span

_WHERE_TEXT = {HEAD: "at the top of the article", TAIL: "at the end of the article", STORY: "in the story"}


class ContextCheck(Check):
    """Flags lines by their shape and by where they stand around the story. The story is found as
    jusText (Pomikalek 2011) finds a page's text: blocks (a line, or the lines of a hard-wrapped
    paragraph) long enough and dense enough in stop words are the story's, prose next to them
    joins them, and the first and last such line bound it. A line counts when it has every
    feature `lines` asks for; with `run`, lines that count are reported together when enough of
    them stand in a row (blank lines and lines of symbols between them do not break a run), and
    a run of data the story lists (figures, a shared word) is left alone. Stop-word lists are
    data files shipped with newslint (`newslint/data/stopwords/en.txt`); every threshold is an
    option. A document is analysed once for all the rules of this kind. Message fields:
    `{count}`, the lines in the run, and `{where}`, "at the top of the article", "at the end of
    the article" or "in the story"."""

    OPTIONS = {
        "where": Option(
            "str",
            "Where the lines stand: above the story (head), below it (tail), either (outside), in it "
            "(story) or anywhere (also in an article where no story was found).",
            default="anywhere",
            choices=("head", "tail", "outside", "story", "anywhere"),
        ),
        "lines": Option("mapping", "What a line must be to count (every key given must hold).", fields=LINE_FIELDS),
        "run": Option(
            "mapping",
            "How many such lines must stand together, and what makes a run data.",
            default=None,
            fields=RUN_FIELDS,
        ),
        "story": Option("mapping", "How the story is found.", default=None, fields=STORY_FIELDS),
        "stopwords": Option(
            "str",
            "The language of the stop-word list (newslint/data/stopwords/).",
            default="en",
            check=stopwords_problem,
        ),
        "spare_headline": Option(
            "bool",
            "Never flag the headline zone above the story (the first line when a blank line sets it "
            "apart; the headline and the lines between it and the story).",
            default=False,
        ),
    }
    MESSAGE_FIELDS = ("count", "where")

    def __init__(self, options: dict[str, Any]):
        super().__init__(options)
        self.lines = options["lines"]
        self.run_options = with_defaults(RUN_FIELDS, options["run"])
        self.story = with_defaults(STORY_FIELDS, options["story"])
        self._analysis_key = (options["stopwords"], tuple(sorted(self.story.items())))
        self._unless: Any = None
        patterns = self.lines["patterns"]
        # A rule that names its lines by patterns can only report a line one of them matches:
        # the engine's matcher finds those lines, and its gate skips the rule on documents
        # where none can match. A rule without patterns judges every line and always runs.
        self._matcher = (
            line_matcher(LinePatterns(f"(?m){alternation(patterns)}", tuple(patterns), False)) if patterns else None
        )
        vocabulary = self.lines["vocabulary"]
        self.vocabulary = frozenset(token for word in vocabulary for token in tokenize(word)) if vocabulary else None

    @property
    def matcher(self) -> LineMatcher | None:
        return self._matcher

    def compile(self) -> None:
        if self.matcher is not None:
            self.matcher.compile()
        self._unless_program()
        load_stopwords(self.options["stopwords"])

    def program_size(self) -> int:
        unless = self._unless_program()
        return (0 if self.matcher is None else self.matcher.program_size()) + (
            0 if unless is None else unless.programsize
        )

    def _unless_program(self) -> Any:
        if self._unless is None and self.lines["unless"]:
            self._unless = compile_re2(alternation(self.lines["unless"]), ignore_case=False)
        return self._unless

    def __getstate__(self) -> dict[str, Any]:
        # Compiled programs do not pickle (workers started by spawn); each process compiles its own.
        state = self.__dict__.copy()
        state["_unless"] = None
        return state

    def run(self, document: Document) -> Iterable[Finding]:
        analysis = analyse(document, self.options["stopwords"], self.story, self._analysis_key)
        for run in self._runs(analysis):
            first, last = run[0], run[-1]
            last_text = document.line(last.number).text
            yield Finding(
                span=Span(first.number, 1, last.number, len(last_text) + 1),
                text=first.text,
                values={"count": len(run), "where": _WHERE_TEXT.get(analysis.where(first) or "", "in the article")},
                fix_range=document.line_range(first.number, last.number),
            )

    def _candidates(self, analysis: Analysis) -> list[Line]:
        """The lines that stand where the rule looks, are the first line if it must be, and
        match its patterns: so most lines are never judged one by one. The patterns are searched
        once over the whole document, in RE2's one pass."""
        lines = analysis.region(self.options["where"])
        first = self.lines["first"]
        if first is not None and analysis.lines:
            head = analysis.lines[0]
            lines = (
                [head]
                if first and lines and lines[0] is head
                else []
                if first
                else [line for line in lines if line is not head]
            )
        if self.matcher is not None and lines:
            numbers = {line.number for line, _, _ in self.matcher.spans(analysis.document, 1)}
            lines = [line for line in lines if line.number in numbers]
        return lines

    def _runs(self, analysis: Analysis) -> Iterator[list[Line]]:
        """The runs of counted lines (consecutive non-blank lines; blank lines between them do not
        break a run) that pass the `run` settings; without `run`, each counted line alone."""
        unless = self._unless_program()
        excepted: dict[str, bool] = {}  # whether `unless` matches a line's text, by text

        def is_excepted(text: str) -> bool:
            # Once per distinct text: a document of many short lines repeats few texts, and a
            # search costs microseconds of the binding's overhead per call.
            found = excepted.get(text)
            if found is None:
                found = excepted[text] = unless.search(text) is not None
            return found

        counted = [
            line
            for line in self._candidates(analysis)
            if self._counts(analysis, line, None if unless is None else is_excepted)
        ]
        if self.options["run"] is None:
            for line in counted:
                yield [line]
            return
        run: list[Line] = []
        for line in counted:
            if run and line.position != run[-1].position + 1:
                if self._run_passes(analysis, run):
                    yield run
                run = []
            run.append(line)
        if run and self._run_passes(analysis, run):
            yield run

    def _run_passes(self, analysis: Analysis, run: list[Line]) -> bool:
        settings = self.run_options
        if len(run) < settings["min_lines"]:
            return False
        before = analysis.lines[run[0].position - 1] if run[0].position else None
        if not settings["after_colon"] and before is not None and before.text.endswith(":"):
            return False
        share = settings["max_digit_share"]
        if share is not None and sum(1 for line in run if any(c.isdigit() for c in line.text)) > share * len(run):
            return False
        share = settings["max_shared_word_share"]
        if share is not None and len(run) >= 3:
            counts: dict[str, int] = {}
            for line in run:
                for token in set(line.tokens[1:]):
                    counts[token] = counts.get(token, 0) + 1
            if counts and max(counts.values()) > share * len(run):
                return False
        return True

    def _in_vocabulary(self, token: str) -> bool:
        """Whether a hyphenated word the vocabulary lacks is made of its words ("email-a-friend")."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return False
        return token not in vocabulary and all(part in vocabulary for part in token.split("-") if part)

    def _counts(self, analysis: Analysis, line: Line, excepted: Callable[[str], bool] | None) -> bool:
        """Whether a candidate line (see _candidates) is one the rule counts; `excepted` says
        whether `unless` matches a text."""
        if self.options["spare_headline"] and line.number in analysis.spared:
            return False
        lines = self.lines
        block = analysis.block_of(line)
        if lines["min_words"] is not None and block.words < lines["min_words"]:
            return False
        if lines["max_words"] is not None and block.words > lines["max_words"]:
            return False
        if lines["max_length"] is not None and len(line.text) > lines["max_length"]:
            return False
        if lines["sentence"] is not None and block.sentence != lines["sentence"]:
            return False
        if lines["max_stopwords"] is not None and block.stopwords > lines["max_stopwords"] * block.words:
            return False
        if self.vocabulary is not None:
            tokens = line.tokens
            needed = lines["min_vocabulary_share"] * len(tokens)
            known = sum(map(self.vocabulary.__contains__, tokens))
            if known < needed and known + sum(map(self._in_vocabulary, [t for t in tokens if "-" in t])) < needed:
                return False
        if excepted is not None and excepted(line.text):
            return False
        if lines["repeats_headline"] is not None:
            repeats = analysis.repeats_headline(line, lines["headline_extra_words"], lines["headline_share"])
            if repeats != lines["repeats_headline"]:
                return False
        if lines["max_story_share"] is not None and analysis.story_share(line) > lines["max_story_share"]:
            return False
        if lines["foreign"] is not None and analysis.foreign(line) != lines["foreign"]:
            return False
        return True
