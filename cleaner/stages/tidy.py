"""Stage 8, tidy: what is left becomes the body.

Runs of spaces and tabs become one space, lines are trimmed, and paragraphs
(runs of non-blank lines) are joined by exactly one blank line. Lines inside a
paragraph keep their line breaks.
"""

from __future__ import annotations

from dataclasses import replace

import regex

from ..document import Document
from ..engine import Context, paragraphs

SPACES = regex.compile(r"[ \t]+")


def tidy_text(lines) -> str:
    lines = tuple(lines)
    return "\n\n".join(
        "\n".join(SPACES.sub(" ", lines[i].text).strip() for i in para) for para in paragraphs(lines)
    )


def tidy(doc: Document, ctx: Context) -> Document:
    return replace(doc, body=tidy_text(doc.lines))
