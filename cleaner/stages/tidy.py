"""Stage 12, tidy: what is left becomes the body.

Runs of spaces and tabs become one space, lines are trimmed, and paragraphs
(runs of non-blank lines) are joined by exactly one blank line. Lines inside a
paragraph keep their line breaks.

The lines are tidied before the rules read them too (`tidy_lines`, stage 6), so
that a rule decides on the text the body will show.
"""

from __future__ import annotations

import regex

from ..document import Document, Line
from ..context import Context
from ..text import TEXT

SPACES = regex.compile(r"[ \t]+")


def tidy_line(text: str) -> str:
    """Runs of spaces and tabs made one space, the ends trimmed. A line with no tab and
    no two spaces in a row has no run to shorten, and is only trimmed."""
    if "\t" in text or "  " in text:
        text = SPACES.sub(" ", text)
    return text.strip()


def tidy_text(lines, single_spaced: set[str] | frozenset[str] = frozenset()) -> str:
    """The lines tidied (`tidy_line`), the runs of non-blank ones (`paragraphs`) joined
    by one blank line: one pass over the lines. A text known to be ``single_spaced``
    (printable, no two spaces in a row but at its ends: `cleaner.context.word_counts`) is only
    trimmed."""
    out: list[str] = []
    paragraph: list[str] = []
    for ln in lines:
        text = ln.text
        trimmed = text.strip()
        if trimmed:
            paragraph.append(trimmed if text in single_spaced or not ("\t" in text or "  " in text) else tidy_line(text))
        elif paragraph:
            out.append("\n".join(paragraph))
            paragraph = []
    if paragraph:
        out.append("\n".join(paragraph))
    return "\n\n".join(out)


def tidy(doc: Document, ctx: Context) -> Document:
    return doc.changed(body=tidy_text(doc.lines, ctx.work.single_spaced))


def tidy_lines(doc: Document, ctx: Context) -> Document:
    """Stage 6, tidy lines: each line as the body will show it (`tidy_line`), before
    the rules read it; ``text`` keeps the lines as they were.

    A rule must decide on the text the body will have, or cleaning the body again
    finds what the first cleaning did not: a pattern with a plain space in it does
    not match ``2019-11-19\\t08:57``, and matches the ``2019-11-19 08:57`` of the
    body; a title printed twice with two spaces in one copy is only a repeat once
    they are one.

    >>> tidy_lines(Document(id="t", source="t", lines=(Line(1, " a\\tb  c "), Line(2, "d"))), None).lines
    (Line(no=1, text='a b c'), Line(no=2, text='d'))
    """
    lines = doc.lines
    untidy = [i for i, text in enumerate(map(TEXT, lines)) if text != text.strip() or "\t" in text or "  " in text]
    if not untidy:
        return doc
    tidied = list(lines)
    for i in untidy:
        tidied[i] = Line(lines[i].no, tidy_line(lines[i].text))
    return doc.changed(lines=tuple(tidied))
