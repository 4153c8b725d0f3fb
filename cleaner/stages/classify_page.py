"""Stage 11, classify page: a whole page's boilerplate, told from its text alone.

A text input is taken for a whole page (every visible string of a page,
menus and footers too) or for an article (``Config.text_kind``; ``"auto"``
tells them apart per document, `cleaner.pagekind.is_whole_page`), and the
document records which (``text_kind``) and, for a whole page, what made it one
(``text_kind_evidence``: its navigation bar, or the extractor's finding no article). On a whole page, each remaining line
that the page classifier (`cleaner.page`) takes for boilerplate leaves the
text under ``W001``, with the reason that decided it, but the article's date and
byline lines (right above its main text, from its headline down, or at the top of the
main text below the lead), which go to their fields under the id of the rule that reads
them (`_article_head`). Articles pass through
untouched: an extractor's output, and every HTML page whose article the
extractor found, which it has already cut down. An HTML page it found no article
in comes as its visible text, marked as a whole page (`cleaner.stages.extract`),
and is classified as one.

Where the rules took out furniture that sits at an article's edge (a share bar, a
comment form: `cleaner.ruleset.Rule.page_edge`), the classifier is told, as evidence
that the main text does not run on across it. That evidence only places the main text
of a text already taken for a whole page: whether it is one is told from its lines
alone, as cleaning the body again would tell it (the body keeps no trace of the hits),
so that a second cleaning never takes a page for what the first took for an article.

The page is read once the rule stages have taken all they can
(`cleaner.pipeline.ROUNDS`), as it would be when cleaned again; when the
classifier takes lines out, the rule stages run again after it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from operator import attrgetter
from typing import TYPE_CHECKING

from ..builtin import PAGE_BOILERPLATE
from ..document import Document, Span
from ..context import Context, word_counts, wrapped_paragraphs
from ..dates import to_iso
from ..edits import match_value, set_field, without
from ..matching import matches_line
from ..page import Verdict, classify, lead_below, main_text, read_page
from ..pagekind import may_be_whole_page, whole_page_evidence
from ..text import normal
from ..timelimit import timed

if TYPE_CHECKING:
    from ..ruleset import Rule

    #: What a rule of the article's head took of a line: the rule, the value, the text.
    Piece = tuple[Rule, str, str]

STAGE = "classify_page"
#: The verdict on a lead kept above the main text (`cleaner.page.lead_below`).
LEAD = Verdict(True, "the lead, right below the headline")
#: Why a date or byline line above the main text went to its field (`_article_head`).
HEAD_REASON = "the article's head, right above the main text"
#: Why one at the top of the main text, below the lead, went to its field.
INSIDE_REASON = "the article's head, at the top of the main text"
#: How far above the main text a headline (the title printed again) still starts the
#: article's head, in times ``Config.page_head_lines``: a paywall's blurbs may part them.
HEADLINE_REACH = 4


def classify_page(doc: Document, ctx: Context) -> Document:
    # a page's extracted article is one; its visible text, when the extractor found
    # none (`extract_html`), is a whole page
    kind = (doc.text_kind or "article") if doc.format == "html" else ctx.config.text_kind
    if kind == "article":
        return doc if doc.text_kind == kind else doc.changed(text_kind=kind)
    at, texts, members = _units(doc, ctx)
    if kind == "auto":
        words = word_counts(doc, ctx)
        counts = [sum(words[doc.lines[j].text] for j in members.get(i, (i,))) for i in at]
        if not may_be_whole_page(texts, counts, ctx.config):
            return doc.changed(text_kind="article")
    # Whether it is a page is told from the lines alone, as a second cleaning of the
    # body, which has no trace of the rules' hits, would tell it; the hits then only
    # place the main text of a page (what is outside it leaves the text, hits and all).
    page = read_page(texts, ctx.config)
    if kind == "auto":
        evidence = whole_page_evidence(page, ctx.config)
        if evidence is None:
            return doc.changed(text_kind="article")
    else:
        evidence = doc.text_kind_evidence or "set by the configuration (text_kind = whole-page)"
    edges = _edges(doc, at, ctx)
    if edges:
        page = replace(page, region=main_text(page.features, page.prose, ctx.config, edges))
    kind = "whole-page"
    # the runs of lines between blank lines, numbered
    blocks, block, previous = [], 0, -1
    for i in at:
        block += i > previous + 1
        blocks.append(block)
        previous = i
    verdicts = classify(page, ctx.config, blocks)
    headlines = _below_headline(doc, at, page.region)
    # a text that starts with its lead, right above its main text: a body cleaned before,
    # whose headline went to the title (cleaned again, it keeps what it kept)
    starts = [0] if not headlines and 0 < page.region.start <= ctx.config.page_lead_lines else []
    for k in headlines + starts:
        for i in lead_below(page, k, ctx.config):
            verdicts[i] = LEAD
    gone: dict[int, str] = {j: v.reason for i, v in zip(at, verdicts) if not v.keep for j in members.get(i, (i,))}
    start, lines = page.region.start, ctx.config.page_head_lines
    # the article's head: the lines right above the main text, from the headline on if
    # the page prints it there
    first = min([start - lines, *(k for k in headlines if start - HEADLINE_REACH * lines <= k < start)])
    window = at[max(0, first):start]
    # the top of the main text: a byline or a date line below the lead, which is prose
    inside = [at[j] for j in range(start, min(page.region.stop, start + lines)) if not page.prose[j]]
    head = _article_head(doc, [i for i in window + inside if i not in members and (i in gone or i in inside)], ctx)
    reasons = {i: INSIDE_REASON if i in inside else HEAD_REASON for i in head}
    gone.update({i: INSIDE_REASON for i in head})
    if not gone:
        return doc.changed(text_kind=kind, text_kind_evidence=evidence)
    top = doc.lines[at[start]].no  # the main text's first line
    end = doc.lines[inside[-1]].no + 1 if inside else top
    dated = _head_date(doc, range(doc.lines[window[0]].no if window else top, end), head, ctx)
    spans = tuple(Span(rule.id, STAGE, doc.lines[i].no, text, "move", rule.field, reasons[i]) for i in gone if i in head
                  for rule, _value, text in head[i])
    spans += tuple(Span(PAGE_BOILERPLATE, STAGE, doc.lines[i].no, doc.lines[i].text.strip(), "drop", None, reason)
                   for i, reason in gone.items() if i not in head)
    doc = doc.changed(lines=without(doc.lines, gone), removed=doc.removed + tuple(sorted(spans, key=attrgetter("line"))),
                      text_kind=kind, text_kind_evidence=evidence)
    if dated is not None and dated != doc.date:  # the article's date, not the page's of the day
        doc = doc.changed(date=dated)
    for pieces in head.values():
        for rule, value, _text in pieces:
            doc = set_field(doc, rule.field, value)
    return doc


def _head_date(doc: Document, window: range, head: dict[int, list[Piece]], ctx: Context) -> str | None:
    """The date of the article's head on a page: of the date lines in ``window`` (the line
    numbers of the article's head, down to the top of the main text), those the rules moved to ``date`` before and those
    in ``head``, the last that gives a date, when the page's metadata gave none. A news site
    prints the date of the day at the top of every page, which a head rule reads first."""
    if "date" in doc.given:
        return None
    found: list[tuple[int, str]] = [(doc.lines[i].no, value) for i, pieces in head.items()
                                    for rule, value, _text in pieces if rule.field == "date"]
    for span in doc.removed:
        rule = ctx.rules.get(span.rule) if span.to == "date" and span.line in window else None
        if rule is not None:
            m = (timed(rule, ctx, span.line, rule.regex.fullmatch, span.text)
                 if rule.scope == "line" and rule.regex is not None else None)
            found.append((span.line, match_value(m) if m else span.text))
    for _no, value in sorted(found, reverse=True):
        iso = to_iso(value, doc.lang)
        if iso is not None:
            return iso
    return None


def _article_head(doc: Document, above: list[int], ctx: Context) -> dict[int, list[Piece]]:
    """The article's date and byline lines among ``above`` (indexes of ``doc.lines``, the
    page's lines around the top of its main text): each that a metadata rule for the date
    or the authors matches whole, with that rule, the value it gives and the text it took;
    or a byline that ends with its date ("Von Jana Beck 03.03.2025, 21:00 Uhr"), which a
    date rule of the span takes the end of (`M011`) and a byline rule the rest. On a
    page, the article's head is the few lines around the top of its main text
    (``Config.page_head_lines``), not the top of the page, where the rules of the head
    look; those lines go to their fields instead of leaving with the page's furniture."""
    rules = [r for r in ctx.rules.for_language("split_metadata", doc.lang)
             if r.field in ("date", "authors") and r.detector is None and r.regex is not None]
    whole = [r for r in rules if r.scope == "line"]
    ends = [r for r in rules if r.scope == "span" and r.field == "date"]
    names = [r for r in whole if r.field == "authors"]
    found: dict[int, list[Piece]] = {}
    for i in above:
        line, text = doc.lines[i], doc.lines[i].text.strip()
        for rule in ends:  # a byline and its date, each to its field
            end = timed(rule, ctx, line.no, rule.regex.search, text)
            rest = text[:end.start()].strip() if end else ""
            named = next(((r, n) for r in names if rest and (n := timed(r, ctx, line.no, r.regex.fullmatch, rest))), None)
            if named:
                found[i] = [(rule, match_value(end), end.group().strip()), (named[0], match_value(named[1]), rest)]
                break
        else:
            m = next(((rule, m) for rule in whole if (m := matches_line(rule, line, ctx))), None)
            if m:
                found[i] = [(m[0], match_value(m[1]), text)]
    return found


def _units(doc: Document, ctx: Context) -> tuple[list[int], list[str], dict[int, list[int]]]:
    """What the page classifier reads: the document's non-blank lines, a hard-wrapped
    paragraph as the one line it was (`cleaner.context.wrapped_paragraphs`), each by the
    index of its first line in ``doc.lines``, their texts, and for each paragraph of
    several lines, the indexes of all of them."""
    groups = wrapped_paragraphs(doc, ctx)
    if groups is None:
        at = [i for i, ln in enumerate(doc.lines) if ln.text.strip()]
        return at, [doc.lines[i].text for i in at], {}
    return ([group[0] for group in groups], [" ".join(doc.lines[i].text.strip() for i in group) for group in groups],
            {group[0]: group for group in groups if len(group) > 1})


def _edges(doc: Document, at: list[int], ctx: Context) -> frozenset[int]:
    """Which of the lines ``at`` (indexes of ``doc.lines``) come right after page furniture
    that a rule marking an article's edge took out (`Rule.page_edge`), counted among those
    lines."""
    marking = ctx.rules.page_edges
    nos = [doc.lines[i].no for i in at]
    below = (bisect_left(nos, s.line) for s in doc.removed if s.rule in marking)
    return frozenset(k for k in below if 0 < k < len(nos))


def _below_headline(doc: Document, at: list[int], region: range) -> list[int]:
    """Where the article's headline stood above the main text: for each line the rules took
    out that is the document's title, the first of the lines ``at`` below it (counted
    among them). Not the page's first line, which is the page's title more often than
    the article's."""
    title = normal(doc.title)
    if not title or not region:
        return []
    nos = [doc.lines[i].no for i in at]
    first = min(nos[0], min((s.line for s in doc.removed), default=nos[0]))
    heads = {s.line for s in doc.removed if first < s.line < nos[region.start] and normal(s.text) == title}
    return sorted({bisect_left(nos, no) for no in heads})
