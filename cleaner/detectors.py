"""Built-in detectors: residue that a single regular expression cannot describe.

A rule names a detector instead of a pattern (``detector = "repeated-line"``)
and may tune it with ``params``; everything else about the rule (id, stage,
action, field, examples) works as for a pattern rule, so a detector's removals
are recorded, explained, tested and disabled like any rule's.

One explicit table, `DETECTORS`, lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import regex

if TYPE_CHECKING:
    from .document import Document, Line
    from .engine import Context
    from .rules import Rule

WEB_ADDRESS = regex.compile(r"(?i)\bwww\.|https?://|\.(?:com|org|net|co\.uk)\b")
STATEMENT_END = regex.compile(r"[.!;:,…]['\"’”)\]»]*$")
LETTER = regex.compile(r"\p{L}")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
                         "«": '"', "»": '"', "–": "-", "—": "-"})
TYPOGRAPHIC = regex.compile(r"[’‘“”„«»–—…]")


def comparable(text: str) -> str:
    """A line reduced for comparison: case, quote style, dashes and spacing folded."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def repeated_line(doc: Document, rule: Rule, ctx: Context) -> Document:
    """A line printed twice in a row (an image's alt text, then its caption).

    Two neighbouring non-blank lines (blank lines between them allowed) that
    are the same once case, quote style, dashes and spacing are folded, with
    between ``min_words`` and ``max_words`` words, and not table rows (two or
    more ``|``: a table's header repeated over its parts). Both copies leave the body;
    the rule's field gets one copy: the one with typographic quotes and
    dashes (the rendered caption), else the later one. Longer repeats are left
    alone: a paragraph printed twice is not a caption.
    """
    from .engine import region, set_field, take_lines

    lo, hi = rule.param("min_words"), rule.param("max_words")
    allowed = region(doc.lines, rule.where, ctx.config)
    nonblank = [i for i in allowed if doc.lines[i].text.strip()]
    hits: list[int] = []
    values: list[str] = []
    k = 0
    while k < len(nonblank):
        i = nonblank[k]
        key = comparable(doc.lines[i].text)
        group = [i]
        while k + len(group) < len(nonblank) and comparable(doc.lines[nonblank[k + len(group)]].text) == key:
            group.append(nonblank[k + len(group)])
        if len(group) > 1 and lo <= len(key.split()) <= hi and key.count("|") < 2:
            texts = [doc.lines[j].text.strip() for j in group]
            best = max(range(len(texts)), key=lambda n: (len(TYPOGRAPHIC.findall(texts[n])), n))
            hits.extend(group)
            values.append(texts[best])
        k += len(group)
    doc = take_lines(doc, rule, hits, rule.field)
    for v in values:
        doc = set_field(doc, rule.field, v) if rule.field else doc
    return doc


def headline(doc: Document, rule: Rule, ctx: Context) -> Document:
    """A headline at the head: the first non-blank line that is not residue (or
    the line right under a one- or two-word section kicker, which is dropped),
    when it is short (``min_words`` to ``max_words`` words), does not end like a
    statement (a question mark is fine), has at most one colon and no web address, and is followed by a
    blank line and more text, or (with ``before_prose``, as in extracted text,
    which has no blank lines) directly by a line of prose that starts a new
    sentence. A first line with a full stop, one that runs into a short next
    line, or one whose sentence goes on in lower case, is not a headline.

    Residue is what a whole-line ``drop`` rule in force would remove
    (``Skip to content`` above the headline): the rules are the evidence.
    When the title is already known (from the page's metadata), the line is
    taken only if it is that title: a short first line of another text is a
    kicker or a subheading, and stays.
    """
    from .engine import set_field, take_lines

    lines = doc.lines
    candidates = [i for i, ln in enumerate(lines) if ln.text.strip() and not is_residue(ln, ctx)][:2]
    first = candidates[0] if candidates else None
    kicker = None
    if (len(candidates) == 2 and len(lines[candidates[0]].text.split()) < rule.param("min_words")
            and candidates[1] == candidates[0] + 1):
        kicker, first = candidates  # a section kicker ("World") right above the headline
    if first is None or first + 1 >= len(lines):
        return doc
    after = lines[first + 1].text.strip()
    if after and not (rule.param("before_prose") and opens_text(after, ctx) and not after[0].islower()):
        return doc
    if not any(ln.text.strip() for ln in lines[first + 1:]):
        return doc
    text = lines[first].text.strip()
    words = len(text.split())
    if not rule.param("min_words") <= words <= rule.param("max_words"):
        return doc
    if STATEMENT_END.search(text) or not LETTER.search(text) or text.count(":") > 1 or WEB_ADDRESS.search(text):
        return doc
    if doc.title is not None and comparable(doc.title) != comparable(text):
        return doc
    doc = take_lines(doc, rule, [first], rule.field)
    if kicker is not None:
        doc = take_lines(doc, rule, [kicker])
    return set_field(doc, rule.field, text) if rule.field else doc


def opens_text(text: str, ctx: Context) -> bool:
    """Can this line follow a headline as the first line of the text? A long line, or
    a sentence of six words or more."""
    from .engine import SENTENCE_END

    words = len(text.split())
    return words >= ctx.config.prose_min_words or (words >= 6 and bool(SENTENCE_END.search(text)))


def is_residue(line: Line, ctx: Context) -> bool:
    """Would a whole-line drop rule that may act at the head remove this line?"""
    from .engine import matches_line

    return any(
        r.scope == "line" and r.action == "drop" and r.regex is not None and r.where != "tail"
        and matches_line(r, line, ctx)
        for r in ctx.rules
    )


def title_repeat(doc: Document, rule: Rule, ctx: Context) -> Document:
    """The document's title printed again in the text (a breadcrumb, a related
    list that links back, a sticky header): lines equal to ``doc.title`` once
    case, quotes, dashes and spacing are folded. Nothing without a title.
    """
    from .engine import take_lines

    if not doc.title:
        return doc
    key = comparable(doc.title)
    return take_lines(doc, rule, [i for i, ln in enumerate(doc.lines) if ln.text.strip() and comparable(ln.text) == key])


def repeated_paragraph(doc: Document, rule: Rule, ctx: Context) -> Document:
    """A paragraph printed again further down (a hidden mobile copy of the
    article, a pull quote): later copies of a line of prose, folded as in
    `comparable`, go; the first stays. A copy goes when its line appears
    exactly twice, or when the line next to it is a copy too (a repeated run).
    A line that recurs three times or more on its own is a refrain (an
    interview's recurring question) and stays. Repeated short or structured
    lines (a table's header, a list of product features, a meal plan's
    entries) are content and stay: only lines of prose count, and never table
    rows.
    """
    from .engine import is_prose, take_lines

    copies: dict[str, list[int]] = {}
    for i, ln in enumerate(doc.lines):
        key = comparable(ln.text)
        if is_prose(ln.text, ctx.config) and key.count("|") < 2:
            copies.setdefault(key, []).append(i)
    later = {i: len(found) for found in copies.values() for i in found[1:]}
    order = [i for i, ln in enumerate(doc.lines) if ln.text.strip()]
    neighbours = {i: (order[n - 1] if n else None, order[n + 1] if n + 1 < len(order) else None)
                  for n, i in enumerate(order)}
    hits = [i for i, count in later.items()
            if count == 2 or any(j in later for j in neighbours[i])]
    return take_lines(doc, rule, sorted(hits))


@dataclass(frozen=True)
class DetectorSpec:
    run: Callable[[Document, Rule, Context], Document]
    defaults: dict[str, Any]


DETECTORS: dict[str, DetectorSpec] = {
    "repeated-line": DetectorSpec(repeated_line, {"min_words": 3, "max_words": 60}),
    "title-repeat": DetectorSpec(title_repeat, {}),
    "repeated-paragraph": DetectorSpec(repeated_paragraph, {}),
    "headline": DetectorSpec(headline, {"min_words": 3, "max_words": 25, "before_prose": True}),
}
