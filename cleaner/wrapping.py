"""Hard-wrapped text: paragraphs broken into lines of a fixed width, told apart from
text whose every line is a paragraph, a heading or a menu item.

A tool that wraps text at a width (an email client, a terminal dump, a text export at
72 or 80 characters) breaks a line where the next word would not fit. Such a text has
most of its lines just under that width, and each line broken so is followed, with no
blank line between, by a line whose first word would have made it too long. A page's
whole text or an extractor's output has lines of every length, one per paragraph.

The page classifier reads a hard-wrapped paragraph as the one line it was
(`paragraphs`): its pieces end mid-sentence, and one by one they look like a page's
short lines, not like the article they are.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import Line

#: The least number of lines (of half `WRAP_MIN_WIDTH` or more) a text needs to be told
#: hard-wrapped.
WRAP_LEAST_LINES = 4
#: The least number of lines that fill the width (`WRAP_FILL`) in a hard-wrapped text:
#: the longest line fills it whatever the text.
WRAP_LEAST_FILLED = 3
#: How much longer than all but the longest twentieth of the lines the longest line
#: within the width may be (in a short text, that twentieth is its longest line).
WRAP_STICK_OUT = 1.15
#: The least number of lines broken by wrapping in a hard-wrapped text.
WRAP_LEAST_BREAKS = 2
#: The widths text is wrapped at, in characters: at least `WRAP_MIN_WIDTH`, at most
#: `WRAP_MAX_WIDTH` (wider "lines" are paragraphs however alike their lengths).
WRAP_MIN_WIDTH = 40
WRAP_MAX_WIDTH = 120
#: A wrapped text's lines fill its width: at least this share of its non-blank lines
#: are longer than `WRAP_FILL` of the width.
WRAP_SHARE = 0.5
WRAP_FILL = 0.8


def wrap_width(texts: Sequence[str]) -> int | None:
    """The width ``texts`` (stripped, non-blank lines) are hard-wrapped at, or None when
    they are not. Of the lines at least half the narrowest width long (a page's menu
    items, headings and a paragraph's last lines are shorter, and tell nothing), the
    width is the length of the longest that does not stick out (`WRAP_STICK_OUT`) from
    the longest but the longest twentieth (as a long address or a word too long to
    break does), when it is a width text is wrapped at and at least `WRAP_SHARE` of
    those lines, and `WRAP_LEAST_FILLED`, fill `WRAP_FILL` of it.

    >>> line = "The council voted on Friday to close the old bridge for repairs"
    >>> wrap_width([line] * 10), wrap_width(["Home", "News", "Sport", line, "About us"] * 2)
    (63, None)
    """
    every = sorted(map(len, texts))
    lengths = every[bisect_left(every, WRAP_MIN_WIDTH // 2):]
    if len(lengths) < WRAP_LEAST_LINES:
        return None
    near = lengths[len(lengths) * 19 // 20 - 1]
    width = lengths[bisect_right(lengths, WRAP_STICK_OUT * near) - 1]
    if not WRAP_MIN_WIDTH <= width <= WRAP_MAX_WIDTH:
        return None
    filled = bisect_right(lengths, width) - bisect_left(lengths, WRAP_FILL * width)
    return width if filled >= max(WRAP_LEAST_FILLED, WRAP_SHARE * len(lengths)) else None


def paragraphs(texts: Sequence[str], adjacent: Sequence[bool], width: int | None = None) -> list[list[int]] | None:
    """``texts`` (stripped, non-blank lines) grouped into the paragraphs they were before
    hard wrapping, as lists of their indexes; None when the text is not hard-wrapped
    (`wrap_width`), each line its own. ``adjacent[i]``: does line ``i`` follow line
    ``i - 1`` with no blank line between? A line continues the one above it when it
    follows it so, the line above fills `WRAP_FILL` of the width and no more (a line
    longer than the width was not broken at it), and this line's first word would not
    have fit on it. When fewer than `WRAP_LEAST_BREAKS` lines are so broken, the text is
    not hard-wrapped after all. ``width``: `wrap_width` of ``texts``, when the caller
    has it already.

    >>> paragraphs(["one two three", "four five", "six"], [False, True, True]) is None
    True
    """
    width = width or wrap_width(texts)
    if width is None:
        return None
    groups: list[list[int]] = []
    for i, text in enumerate(texts):
        if (groups and adjacent[i] and WRAP_FILL * width <= len(texts[i - 1]) <= width
                and len(texts[i - 1]) + 1 + len(text.split(maxsplit=1)[0]) > width):
            groups[-1].append(i)
        else:
            groups.append([i])
    if len(texts) - len(groups) < WRAP_LEAST_BREAKS:  # one line broken so is no evidence of wrapping
        return None
    return groups


def line_paragraphs(lines: Sequence[Line]) -> list[list[int]] | None:
    """`paragraphs` of a document's lines: the indexes of its non-blank ``lines``, grouped
    into the paragraphs they were before hard wrapping; None when it is not hard-wrapped."""
    at = [i for i, ln in enumerate(lines) if ln.text.strip()]
    texts = [lines[i].text.strip() for i in at]
    width = wrap_width(texts)
    if width is None:  # most texts: told without looking at which lines follow which
        return None
    groups = paragraphs(texts, [k > 0 and at[k] == at[k - 1] + 1 for k in range(len(at))], width)
    return None if groups is None else [[at[k] for k in group] for group in groups]
