"""The harm guard: when a decision on weak evidence may take a run of lines.

A section cut (``scope = "rest"`` without evidence under its heading), a comment
thread with one post or a weak signature, and the like, would take the article
with them when they misread it: a comment counter above an article, a byline
that looks like a signature. `safe_cut` lets them take only a small share of the
document's words, or what comes after an article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import word_counts
from .text import is_prose

if TYPE_CHECKING:
    from .context import Context
    from .document import Document


def safe_cut(doc: Document, indices: list[int], ctx: Context) -> bool:
    """May a decision on weak evidence take the lines ``indices`` (ascending)? Only a
    small share of the words (``Config.max_unproven_cut``), or what comes after an
    article: an article's worth of prose (``Config.article_min_prose`` lines), or prose
    that a rule marking an article's end closes (`after_article_end`)."""
    return bool(indices) and (share(doc, indices, ctx) <= ctx.config.max_unproven_cut
                              or prose_lines(doc, indices[0], ctx) >= ctx.config.article_min_prose
                              or after_article_end(doc, indices[0], ctx))


def after_article_end(doc: Document, end: int, ctx: Context) -> bool:
    """Whether line ``end`` comes after an article's end: a rule that marks one
    (`Rule.article_end`: a blog's "This entry was posted in ... Bookmark the permalink.")
    took out a line above it, below a line of prose. A list-shaped post has few lines
    of prose, and its thread is below that line all the same."""
    ends = ctx.rules.article_ends
    marks = [s.line for s in doc.removed if s.rule in ends and s.line < doc.lines[end].no]
    if not marks:
        return False
    words = word_counts(doc, ctx)
    return any(ln.no < max(marks) and is_prose(ln.text, ctx.config, words) for ln in doc.lines[:end])


def prose_lines(doc: Document, end: int, ctx: Context) -> int:
    """How many lines of prose stand above line ``end``: an article's worth, when the
    heading at ``end`` ends it."""
    words = word_counts(doc, ctx)
    return sum(1 for ln in doc.lines[:end] if is_prose(ln.text, ctx.config, words))


def share(doc: Document, indices: list[int], ctx: Context) -> float:
    """The share of the document's words on the lines ``indices``."""
    words = word_counts(doc, ctx)
    total = sum(words[ln.text] for ln in doc.lines)
    return sum(words[doc.lines[i].text] for i in indices) / total if total else 0.0
