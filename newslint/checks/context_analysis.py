"""The analysis behind the `context` check (context.py): one pass over a document's lines that
finds each line's words and stop words, its hard-wrapped paragraph (a block), where the story
starts and ends (as jusText finds a page's main text), and which lines above it are the headline
and what goes with it. Shared by every rule of the kind with the same story settings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache, cached_property
from itertools import repeat
from pathlib import Path
from typing import Any, NamedTuple

from newslint.document import Document

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


class Block(NamedTuple):
    words: int
    stopwords: int
    length: int  # characters, its lines' stripped texts joined by spaces
    sentence: bool  # its last line ends a sentence


class Line(NamedTuple):
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
        self.lines: list[Line] = []  # the checked non-blank lines, in order
        self.blocks: list[Block] = []
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
        previous: str | None = None
        previous_ends = False
        previous_number = -1
        # Folded once for the whole text (one line of it per line of the document).
        folded = _fold(document.scan_text).split("\n")
        # Each distinct text's words, whether it ends a sentence, and its block when it is a
        # block of its own (Blocks are immutable: equal texts share one), worked out once: a
        # document of many short lines repeats few texts.
        seen: dict[str, tuple[tuple[str, ...], bool, Block]] = {}
        wrap_length, blocks, lines = self._wrap_length, self.blocks, self.lines
        for line in document.lines:
            if not line.checked:
                previous = None
                continue
            text = line.text.strip()
            if not text:
                previous = None
                continue
            known = seen.get(text)
            if known is None:
                tokens = _words(folded[line.number - 1])
                ends = ends_sentence(text, self._sign_off_length)
                count = sum(map(stopwords.__contains__, tokens))
                known = seen[text] = (tokens, ends, Block(len(tokens), count, len(text), ends))
            tokens, ends, own_block = known
            if not tokens:
                # A rule of dashes or a bullet alone: neither story nor chrome, and no break
                # in a run of either (a menu's items are often set apart by such lines).
                continue
            if (
                previous is not None
                and previous_number == line.number - 1
                and len(previous) >= wrap_length
                and _runs_on(previous, previous_ends, text, wrap_length)
            ):
                block = blocks[-1]
                blocks[-1] = Block(
                    block.words + len(tokens), block.stopwords + own_block.stopwords, block.length + 1 + len(text), ends
                )
            else:
                blocks.append(own_block)
            lines.append(Line(line.number, text, tokens, len(blocks) - 1, len(lines)))
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

    def region(self, where: str) -> list[Line]:
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

    def story_share(self, line: Line) -> float:
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

    def stems(self, line: Line) -> frozenset[str]:
        """The stems of the line's content words (worked out once per line)."""
        stems = self._line_stems.get(line.position)
        if stems is None:
            stems = self._line_stems[line.position] = frozenset(self.content_stems(line.tokens))
        return stems

    def block_of(self, line: Line) -> Block:
        return self.blocks[line.block]

    def where(self, line: Line) -> str | None:
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

    def foreign(self, line: Line) -> bool:
        """Whether none of the line's content words occurs in any other line. (Counted once for
        all lines, so asking it of every line costs one pass, not one a line.)"""
        own = self.stems(line)
        if not own:
            return False
        counts = self._lines_with_stem
        return all(counts[stem] == 1 for stem in own)

    def repeats_headline(self, line: Line, extra_words: int, share: float) -> bool:
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


def ends_sentence(text: str, sign_off_length: int) -> bool:
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
