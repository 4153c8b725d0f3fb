"""What the heuristics ask of a line's text: does it end like a sentence, how many
words it has, is it prose, where a document's head and tail are.

Everything here is a pure function of its arguments; the per-document memo of
word counts they may be given lives in the run's working state
(`cleaner.context.Work`).
"""

from __future__ import annotations

import unicodedata
from operator import attrgetter
from typing import TYPE_CHECKING, Iterator

import regex

from .punctuation import CLOSERS, SENTENCE_MARKS, char_class

if TYPE_CHECKING:
    from .config import Config
    from .document import Line

#: A line's text (``map(TEXT, lines)`` runs in C).
TEXT = attrgetter("text")

#: A line that ends like a sentence: a mark, then closing quotes or brackets (French sets
#: a space before its « »), in any of the scripts of `cleaner.punctuation`.
SENTENCE_END = regex.compile(rf"{char_class(SENTENCE_MARKS)}(?:\s*{char_class(CLOSERS)})*\s*$")
#: What SENTENCE_END reads, as characters: the white space ``\s`` matches, the closing
#: quotes and brackets (`CLOSERS`), and the marks that end a sentence (`SENTENCE_MARKS`).
WHITE_SPACE = "\t\n\x0b\x0c\r\x20\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

#: A token: one Han or Kana character (Chinese and Japanese have no spaces, and ``\w+``
#: would make a whole sentence one token), else a run of word characters.
TOKEN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]|[^\W\p{Han}\p{Hiragana}\p{Katakana}]+")
#: A character `TOKEN` counts as a word of its own.
UNSPACED_WORD = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")

LINK_TITLE_END = regex.compile(r"[.!?;:…,'\"’”)\]]$")
#: An item of a numbered or bulleted list: "1. ", "2) ", "- ", "• ".
NUMBERED_OR_BULLETED = regex.compile(r"\s*(?:\d{1,2}[.)]|[-•*–])\s+\S")


def ends_sentence(text: str) -> bool:
    """Does ``text`` end like a sentence? The same as ``SENTENCE_END.search(text)``,
    read from the end: a mark, then closing quotes or brackets, then white space.

    >>> ends_sentence("He said “no.”  "), ends_sentence("Most read")
    (True, False)
    """
    end = text.rstrip(WHITE_SPACE + CLOSERS)
    return bool(end) and end[-1] in SENTENCE_MARKS


def is_prose(text: str, config: Config, words: dict[str, int] | None = None) -> bool:
    """A line of running text: enough words, and it ends like a sentence (a long
    headline has the words but not the full stop). ``words`` keeps word counts by
    text (`word_count`). In Chinese and Japanese, written without spaces, two of the
    characters `TOKEN` counts one by one make a word.

    >>> from cleaner.config import Config
    >>> is_prose("市议会周二决定关闭旧桥六个月进行维修，市长在会后表示。", Config())
    True
    """
    if not ends_sentence(text):
        return False
    least = config.prose_min_words
    return word_count(text, words) >= least or (UNSPACED_WORD.search(text) is not None
                                                 and len(TOKEN.findall(text)) >= 2 * least)


def word_count(text: str, words: dict[str, int] | None = None) -> int:
    """How many white-space separated words ``text`` has (``len(text.split())``), kept in
    ``words`` if given."""
    if words is None:
        return count_words(text)
    count = words.get(text)
    if count is None:
        count = words[text] = count_words(text)
    return count


def count_words(text: str, single_spaced: set[str] | None = None) -> int:
    """``len(text.split())``, counted without splitting when the only white space is
    single spaces between words (a printable text has no other white space); such a
    text is added to ``single_spaced``, if given.

    >>> count_words("three short words"), count_words(" a\\tb ")
    (3, 2)
    """
    if text.isprintable():
        inner = text.strip(" ")
        if "  " not in inner:
            if single_spaced is not None:
                single_spaced.add(text)
            return inner.count(" ") + 1 if inner else 0
    return len(text.split())


def region(lines: tuple[Line, ...], where: str, config: Config, words: dict[str, int] | None = None) -> range:
    """The indices of ``lines`` that a rule with this ``where`` may touch (``words``:
    a memo of word counts, see `word_count`)."""
    if where == "anywhere":
        return range(len(lines))
    if where == "first":
        first = next((i for i, ln in enumerate(lines) if ln.text.strip()), None)
        return range(0) if first is None else range(first, first + 1)
    if where == "tail":
        last = next((i for i in reversed(range(len(lines))) if is_prose(lines[i].text, config, words)), None)
        return range(0 if last is None else last + 1, len(lines))
    first = next((i for i, ln in enumerate(lines) if is_prose(ln.text, config, words)), None)
    if where == "head":
        return range(len(lines) if first is None else first)
    return range(len(lines) if first is None else first + 1, len(lines))  # after-head


def paragraphs(lines: tuple[Line, ...]) -> Iterator[list[int]]:
    """Runs of non-blank lines, as lists of indices into ``lines``."""
    run: list[int] = []
    for i, ln in enumerate(lines):
        if ln.text.strip():
            run.append(i)
        elif run:
            yield run
            run = []
    if run:
        yield run


def looks_like_link_title(text: str, max_words: int = 25) -> bool:
    """A line that reads like a headline in a list of links: some words, none of
    them ending a sentence."""
    text = text.strip()
    return bool(text) and len(text.split()) <= max_words and not LINK_TITLE_END.search(text)


def tokens(text: str | None) -> list[str]:
    """The text's words in lower case, a Han or Kana character each a word (`TOKEN`): what
    the scores compare, and what tells two names apart. Canonically equivalent spellings
    are the same words: the text is read in NFC, so "é" written as "e" and a combining
    accent is the word "é" is.

    >>> tokens("The Cat's 猫")
    ['the', 'cat', 's', '猫']
    >>> tokens("Caf\u0065\u0301") == tokens("Caf\u00e9")
    True
    """
    return TOKEN.findall(unicodedata.normalize("NFC", text or "").lower())


def normal(text: str | None) -> str:
    """The text's `tokens`, joined by single spaces: a form in which two spellings of a name
    or a title compare equal."""
    return " ".join(tokens(text))
