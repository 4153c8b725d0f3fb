"""Stage 9, tidy: what is left becomes the body.

Runs of spaces and tabs become one space, lines are trimmed, and paragraphs
(runs of non-blank lines) are joined by exactly one blank line. Lines inside a
paragraph keep their line breaks.
"""

from __future__ import annotations

import regex

from ..document import Document
from ..engine import Context

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
    (printable, no two spaces in a row but at its ends: `engine.word_counts`) is only
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
    return doc.changed(body=tidy_text(doc.lines, doc.memo.get("single-spaced", frozenset())))
