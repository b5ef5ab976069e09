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
by every rule of this kind with the same story settings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache, cached_property
from itertools import repeat
from pathlib import Path
from typing import Any, NamedTuple

from newslint.checks.base import Check
from newslint.checks.options import Option
from newslint.document import Document
from newslint.engine import LineMatcher, LinePatterns, alternation, compile_re2, line_matcher, regex_problem
from newslint.violations import Finding, Span

STOPWORDS_DIR = Path(__file__).resolve().parent.parent / "data" / "stopwords"

# Punctuation that does not end a sentence when it closes a line ("said." and '."' both do).
_CLOSERS = "\"'\u201d\u2019)]*"
_SENTENCE_ENDS = (".", "!", "?")
# Punctuation that never belongs to a word, turned into spaces before a line is split (apostrophes
# and hyphens stay: "don't", "e-mail"; they are stripped from a word's ends): counting words and
# stop words then takes a few C-level string calls per line. ASCII punctuation goes through a byte
# table (str.translate with a mapping took 15 times as long); the few non-ASCII marks of news
# text are replaced first.
_ASCII_PUNCTUATION = '!"#$%&()*+,./:;<=>?@[\\]^_`{|}~'
_BYTE_PUNCTUATION = bytes.maketrans(_ASCII_PUNCTUATION.encode(), b" " * len(_ASCII_PUNCTUATION))
_MARKS = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201c", " "),
    ("\u201d", " "),
    ("\u2013", " "),
    ("\u2014", " "),
    ("\u2026", " "),
    ("\u00ab", " "),
    ("\u00bb", " "),
    ("\u2022", " "),
    ("\u00b7", " "),
    ("\u00a9", " "),
)
_WORD_EDGES = repeat("'-")
# A paragraph may end with a dash and the agency's or writer's sign-off ("-- PTI").
_SIGN_OFF_DASHES = (" - ", " -- ", " \u2013 ", " \u2014 ", "\u2014")
# A line that ends with one of these runs on into the next (a hard-wrapped paragraph).
_RUN_ON_ENDS = (",", "-", "(", ";")
HEAD, TAIL, STORY = "head", "tail", "story"
_WHERE_TEXT = {HEAD: "at the top of the article", TAIL: "at the end of the article", STORY: "in the story"}


def _stopwords_problem(language: str) -> str | None:
    if not language.isalnum() or not (STOPWORDS_DIR / f"{language}.txt").is_file():
        known = ", ".join(sorted(p.stem for p in STOPWORDS_DIR.glob("*.txt")))
        return f"no stop-word list for {language!r} (newslint has: {known})"
    return None


def _share(value: float) -> str | None:
    return None if 0 <= value <= 1 else "must be a share between 0 and 1"


STORY_FIELDS = {
    "min_length": Option(
        "int",
        "A block (a line, or the lines of a hard-wrapped paragraph) is story text only if it is at least "
        "this many characters long...",
        default=150,
        minimum=1,
    ),
    "min_stopwords": Option(
        "number",
        "...at least this share of its words are stop words...",
        default=0.3,
        check=_share,
    ),
    "sentence": Option("bool", "...and (if true) it ends a sentence.", default=False),
    "near_words": Option(
        "int",
        "A line of at least this many words that ends a sentence, next to the story, is the story's too "
        "(and so on outwards), if...",
        default=5,
        minimum=1,
    ),
    "near_stopwords": Option(
        "number", "...at least this share of its words are stop words.", default=0.2, check=_share
    ),
    "headline_words": Option(
        "int",
        "Above the story, the last line of at least this many words is taken for the headline: it and "
        "the lines between it and the story (byline, date) are spared by rules with `spare_headline`.",
        default=3,
        minimum=1,
    ),
    "wrap_length": Option(
        "int",
        "A line at least this many characters long that stops mid-sentence, followed by one that carries "
        "on (in lower case, or after a comma, hyphen, bracket or semicolon), is part of a hard-wrapped paragraph.",
        default=35,
        minimum=1,
    ),
    "sign_off_length": Option(
        "int",
        'A dash and at most this many characters after a sentence ("... deport him. -- PTI") are a '
        "sign-off: the line still ends a sentence.",
        default=30,
        minimum=0,
    ),
    "stem_length": Option(
        "int",
        'Words are compared across lines by their first this many letters ("dies" and "died").',
        default=5,
        minimum=1,
    ),
    "min_content_word": Option(
        "int",
        "Words shorter than this (and stop words and numbers) are not compared across lines.",
        default=3,
        minimum=1,
    ),
}

LINE_FIELDS = {
    "min_words": Option(
        "int", "At least this many words (those of its paragraph, for a hard-wrapped line).", default=None, minimum=0
    ),
    "max_words": Option("int", "At most this many words (likewise).", default=None, minimum=0),
    "max_length": Option("int", "At most this many characters (stripped).", default=None, minimum=1),
    "sentence": Option(
        "bool", "Whether it ends a sentence (. ! or ? before any closing quote or bracket).", default=None
    ),
    "max_stopwords": Option("number", "At most this share of its words are stop words.", default=None, check=_share),
    "vocabulary": Option(
        "str-list",
        "Words such lines are made of (a tool row's: print, e-mail, share, ...), matched "
        "regardless of case and punctuation.",
        default=None,
    ),
    "min_vocabulary_share": Option(
        "number", "With `vocabulary`: at least this share of the line's words are from it.", default=1.0, check=_share
    ),
    "patterns": Option("str-list", "RE2 patterns: it matches one of them.", default=None, check=regex_problem),
    "unless": Option("str-list", "RE2 patterns: it matches none of them.", default=None, check=regex_problem),
    "first": Option("bool", "It is the article's first line (true) or not (false).", default=None),
    "repeats_headline": Option(
        "bool",
        "It repeats the article's first line: the same words; or those and at most `headline_extra_words` "
        "more before or after them (a byline run into it); or the end of it, of at least `headline_share` "
        "of its characters (the first line being the headline after a site's or an agency's name).",
        default=None,
    ),
    "headline_extra_words": Option("int", "See `repeats_headline`.", default=5, minimum=0),
    "headline_share": Option("number", "See `repeats_headline`.", default=0.7, check=_share),
    "max_story_share": Option(
        "number",
        "At most this share of its words (stop words, numbers and words under 3 letters aside) occur "
        "in the story, compared by their first 5 letters: a line about something else.",
        default=None,
        check=_share,
    ),
    "foreign": Option(
        "bool",
        "None of its words (stop words and words under 3 letters aside) occurs in the rest of the "
        "article, compared by their first 5 letters.",
        default=None,
    ),
}

RUN_FIELDS = {
    "min_lines": Option(
        "int", "At least this many such lines together (blank lines between them allowed).", default=1, minimum=1
    ),
    "max_digit_share": Option(
        "number",
        "At most this share of the run's lines hold a digit: more, and it is data the story lists "
        "(results, fixtures, a schedule), not a menu.",
        default=None,
        check=_share,
    ),
    "max_shared_word_share": Option(
        "number",
        "At most this share of the run's lines may share a word (other than their first): more, and it "
        'is a templated list the story gives (fixtures "X v Y", addresses "..., Fairmont, NC"), not links.',
        default=None,
        check=_share,
    ),
    "after_colon": Option(
        "bool",
        "Whether a run right after a line ending in a colon counts: false, and such a run is a list "
        "the story introduces.",
        default=True,
    ),
}


class _Block(NamedTuple):
    words: int
    stopwords: int
    length: int  # characters, its lines' stripped texts joined by spaces
    sentence: bool  # its last line ends a sentence


class _Line(NamedTuple):
    number: int
    text: str  # stripped
    tokens: tuple[str, ...]  # lower-cased words, punctuation around them gone
    block: int  # index into Analysis.blocks
    position: int  # its place in Analysis.lines: lines one apart there are neighbours


class Analysis:
    """What the rules of this kind ask of one document, worked out in one pass over its lines:
    each line's words, its hard-wrapped paragraph ("block"), where the story starts and ends, and
    which lines above it are the headline and what goes with it."""

    def __init__(self, document: Document, stopwords: frozenset[str], story: dict[str, Any]):
        self.document = document
        self.stopwords = stopwords
        self.lines: list[_Line] = []  # the checked non-blank lines, in order
        self.blocks: list[_Block] = []
        self._wrap_length, self._sign_off_length = story["wrap_length"], story["sign_off_length"]
        self._stem_length, self._min_content_word = story["stem_length"], story["min_content_word"]
        self._build(document)
        # The story's first and last line, as indices into `lines` (None: no story found).
        self.first_index, self.last_index = self._story(story)
        self.story_first = self.lines[self.first_index].number if self.first_index is not None else None
        self.story_last = self.lines[self.last_index].number if self.last_index is not None else None
        self._headline_words = story["headline_words"]
        self._story_stems: frozenset[str] | None = None
        self._line_stems: dict[int, frozenset[str]] = {}

    def _build(self, document: Document) -> None:
        stopwords = self.stopwords
        words = stops = length = 0
        previous: str | None = None
        previous_ends = False
        previous_number = -1
        # Folded once for the whole text (one line of it per line of the document).
        folded = _fold(document.scan_text).split("\n")
        for line in document.lines:
            if not line.checked:
                previous = None
                continue
            text = line.text.strip()
            if not text:
                previous = None
                continue
            tokens = _words(folded[line.number - 1])
            if not tokens:
                # A rule of dashes or a bullet alone: neither story nor chrome, and no break
                # in a run of either (a menu's items are often set apart by such lines).
                continue
            ends = _ends_sentence(text, self._sign_off_length)
            count = sum(map(stopwords.__contains__, tokens))
            if (
                previous is not None
                and previous_number == line.number - 1
                and _runs_on(previous, previous_ends, text, self._wrap_length)
            ):
                words, stops, length = words + len(tokens), stops + count, length + 1 + len(text)
                self.blocks[-1] = _Block(words, stops, length, ends)
            else:
                words, stops, length = len(tokens), count, len(text)
                self.blocks.append(_Block(words, stops, length, ends))
            self.lines.append(_Line(line.number, text, tokens, len(self.blocks) - 1, len(self.lines)))
            previous, previous_ends, previous_number = text, ends, line.number

    def _story(self, story: dict[str, Any]) -> tuple[int | None, int | None]:
        """The indices of the story's first and last line."""
        min_length, min_stopwords, sentence = story["min_length"], story["min_stopwords"], story["sentence"]
        good = {
            k
            for k, block in enumerate(self.blocks)
            if block.length >= min_length
            and block.words
            and block.stopwords >= min_stopwords * block.words
            and (block.sentence or not sentence)
        }
        indices = [k for k, line in enumerate(self.lines) if line.block in good]
        if not indices:
            return None, None
        # jusText's context: prose next to the story is the story's (a short paragraph, a
        # one-sentence quote, a lede), however short; it stops at the first line that is not.
        near_words, near_stopwords = story["near_words"], story["near_stopwords"]

        def near(k: int) -> bool:
            # A clause that introduces a list ("The branches that stay open are:") is prose too.
            line = self.lines[k]
            block = self.blocks[line.block]
            return (
                (block.sentence or line.text.endswith(":"))
                and block.words >= near_words
                and block.stopwords >= near_stopwords * block.words
            )

        first, last = indices[0], indices[-1]
        while first > 0 and near(first - 1):
            first -= 1
        while last < len(self.lines) - 1 and near(last + 1):
            last += 1
        return first, last

    def region(self, where: str) -> list[_Line]:
        """The lines that stand `where` (head, tail, outside, story or anywhere)."""
        if where == "anywhere":
            return self.lines
        first, last = self.first_index, self.last_index
        if first is None or last is None:
            return []
        if where == HEAD:
            return self.lines[:first]
        if where == TAIL:
            return self.lines[last + 1 :]
        if where == STORY:
            return self.lines[first : last + 1]
        return self.lines[:first] + self.lines[last + 1 :]

    @cached_property
    def spared(self) -> frozenset[int]:
        """The lines a run above the story must leave alone: the first line when a blank line
        sets it apart (a title), and the headline with what stands between it and the story."""
        headline_words = self._headline_words
        spared = set()
        lines = self.lines
        if lines:
            first = lines[0].number
            following = self.document.lines[first] if first < len(self.document.lines) else None
            if following is not None and following.is_blank:
                spared.add(first)
        if self.story_first is not None:
            # The headline is long enough to say something and says it about the story: a
            # date, a byline or a menu item shares no word with it.
            head = lines[: self.first_index]
            long_enough = [k for k, line in enumerate(head) if self.block_of(line).words >= headline_words]
            on_topic = [k for k in long_enough if self.story_share(head[k]) > 0]
            start = on_topic[-1] if on_topic else long_enough[-1] if long_enough else len(head) - 1
            spared.update(line.number for line in head[max(start, 0) :])
        return frozenset(spared)

    def story_share(self, line: _Line) -> float:
        """The share of the line's content words that occur in the story (0 when it has none)."""
        if self._story_stems is None:
            words: set[str] = set()
            for other in self.region(STORY):
                words.update(other.tokens)
            # Every word's stem: a line's own stems are content words' already.
            length = self._stem_length
            self._story_stems = frozenset(word[:length] for word in words)
        own = self.stems(line)
        return len(own & self._story_stems) / len(own) if own else 0.0

    def stems(self, line: _Line) -> frozenset[str]:
        """The stems of the line's content words (worked out once per line)."""
        stems = self._line_stems.get(line.position)
        if stems is None:
            stems = self._line_stems[line.position] = frozenset(self.content_stems(line.tokens))
        return stems

    def block_of(self, line: _Line) -> _Block:
        return self.blocks[line.block]

    def where(self, line: _Line) -> str | None:
        if self.story_first is None or self.story_last is None:
            return None
        if line.number < self.story_first:
            return HEAD
        if line.number > self.story_last:
            return TAIL
        return STORY

    def content_stems(self, tokens: Iterable[str]) -> set[str]:
        length, shortest = self._stem_length, self._min_content_word
        return {
            token[:length]
            for token in tokens
            if len(token) >= shortest and token not in self.stopwords and not token[0].isdigit()
        }

    @cached_property
    def _lines_with_stem(self) -> Counter[str]:
        """How many lines hold a word of each stem (any word: stop words too)."""
        length = self._stem_length
        counts: Counter[str] = Counter()
        for line in self.lines:
            counts.update({token[:length] for token in line.tokens})
        return counts

    def foreign(self, line: _Line) -> bool:
        """Whether none of the line's content words occurs in any other line. (Counted once for
        all lines, so asking it of every line costs one pass, not one a line.)"""
        own = self.stems(line)
        if not own:
            return False
        counts = self._lines_with_stem
        return all(counts[stem] == 1 for stem in own)

    def repeats_headline(self, line: _Line, extra_words: int, share: float) -> bool:
        first = self.lines[0]
        tokens, headline = line.tokens, first.tokens
        # A first line that ends a sentence is the story's lede, not a headline; a near copy of
        # it is the duplicate check's (whose fix of a near copy is an unsafe one).
        if line is first or len(headline) < 2 or len(tokens) < 2 or self.block_of(first).sentence:
            return False
        if tokens[: len(headline)] == headline or tokens[len(tokens) - len(headline) :] == headline:
            # The headline, alone or with a byline run into it after or before it.
            return len(tokens) - len(headline) <= extra_words
        return (
            len(tokens) < len(headline)
            and headline[len(headline) - len(tokens) :] == tokens
            and len(" ".join(tokens)) >= share * self._headline_length
        )

    @cached_property
    def _headline_length(self) -> int:
        """The first line's words joined by spaces, in characters (worked out once: a line's
        repeat test must cost its own length, not the headline's)."""
        return len(" ".join(self.lines[0].tokens))


def tokenize(text: str) -> tuple[str, ...]:
    """A line's words, lower-cased, without the punctuation around them ("e-mail" and "don't"
    are one word each)."""
    return _words(_fold(text))


def _fold(text: str) -> str:
    """`text` lower-cased, its punctuation turned into spaces (newlines stay)."""
    text = text.lower()
    if not text.isascii():
        for mark, replacement in _MARKS:
            if mark in text:
                text = text.replace(mark, replacement)
    return text.encode("utf-8", "surrogatepass").translate(_BYTE_PUNCTUATION).decode("utf-8", "surrogatepass")


def _words(folded: str) -> tuple[str, ...]:
    """The words of a line already lower-cased and with its punctuation turned into spaces."""
    return tuple(filter(None, map(str.strip, folded.split(), _WORD_EDGES)))


def _ends_sentence(text: str, sign_off_length: int) -> bool:
    """Whether a line ends a sentence: ". ! ?" before any closing quotes or brackets, or before
    a dash and a sign-off of at most `sign_off_length` characters ("... deport him. -- PTI"); an
    ellipsis does not (a teaser's "..." cuts a sentence off)."""
    body = text.rstrip().rstrip(_CLOSERS)
    end = body[-sign_off_length:] if sign_off_length else ""
    if "-" in end or "\u2013" in end or "\u2014" in end:
        for dash in _SIGN_OFF_DASHES:
            cut = body.rfind(dash)
            if cut > 0 and len(body) - cut <= sign_off_length:
                body = body[:cut].rstrip().rstrip(_CLOSERS)
                break
    return body.endswith(_SENTENCE_ENDS) and not body.endswith(("..", "\u2026"))


def _runs_on(previous: str, previous_ends: bool, text: str, wrap_length: int) -> bool:
    """Whether `previous` (which ends a sentence if `previous_ends`) is a hard-wrapped line whose
    paragraph goes on in `text`: it is of a wrapping width, stops mid-sentence and the next line
    carries on (in lower case, or after a comma or hyphen)."""
    if len(previous) < wrap_length or previous_ends or previous.endswith(":"):
        return False
    return text[0].islower() or previous.endswith(_RUN_ON_ENDS)


@cache
def load_stopwords(language: str) -> frozenset[str]:
    """The stop-word list of a language, shipped with newslint as data."""
    text = (STOPWORDS_DIR / f"{language}.txt").read_text(encoding="utf-8")
    return frozenset(word.strip().lower().replace("\u2019", "'") for word in text.splitlines() if word.strip())


# The last document analysed and its analyses (one per stop-word list and story settings): the
# rules of this kind run one after another on a document, and each would otherwise redo it. The
# document itself is kept (not its id), so a new document with a reused id is never mistaken.
_memo: dict[str, Any] = {"document": None, "analyses": {}}


def analyse(document: Document, language: str, story: dict[str, Any], key: Any = None) -> Analysis:
    if _memo["document"] is not document:
        _memo["document"], _memo["analyses"] = document, {}
    if key is None:
        key = (language, tuple(sorted(story.items())))
    analysis: Analysis | None = _memo["analyses"].get(key)
    if analysis is None:
        analysis = _memo["analyses"][key] = Analysis(document, load_stopwords(language), story)
    return analysis


def _defaults(fields: dict[str, Option], values: dict[str, Any] | None) -> dict[str, Any]:
    return dict(values) if values is not None else {name: option.default for name, option in fields.items()}


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
            check=_stopwords_problem,
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
        self.run_options = _defaults(RUN_FIELDS, options["run"])
        self.story = _defaults(STORY_FIELDS, options["story"])
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

    def _candidates(self, analysis: Analysis) -> list[_Line]:
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

    def _runs(self, analysis: Analysis) -> Iterator[list[_Line]]:
        """The runs of counted lines (consecutive non-blank lines; blank lines between them do not
        break a run) that pass the `run` settings; without `run`, each counted line alone."""
        counted = [line for line in self._candidates(analysis) if self._counts(analysis, line)]
        if self.options["run"] is None:
            for line in counted:
                yield [line]
            return
        run: list[_Line] = []
        for line in counted:
            if run and line.position != run[-1].position + 1:
                if self._run_passes(analysis, run):
                    yield run
                run = []
            run.append(line)
        if run and self._run_passes(analysis, run):
            yield run

    def _run_passes(self, analysis: Analysis, run: list[_Line]) -> bool:
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

    def _counts(self, analysis: Analysis, line: _Line) -> bool:
        """Whether a candidate line (see _candidates) is one the rule counts."""
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
        unless = self._unless_program()
        if unless is not None and unless.search(line.text) is not None:
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
