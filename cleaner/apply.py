"""How a rule acts on a document: the shared mechanics of every rule-driven stage.

A pattern rule looks at whole lines (``scope = "line"``: the pattern must match
the entire stripped line), at pieces of lines (``"span"``: every match is taken
out of the line) or at posts (``"paragraph"``: the pattern matches the end of a
line, a signature, and the post is that line, with the line above when the
signature stands alone; see `post_lines`), or at the rest of the text
(``"rest"``: the first whole line the pattern matches, and everything after it),
or at lists of links (``"list"``: a whole line the pattern matches, a list's
label, and the lines after it that read like link titles). ``where`` limits it to the head of the document (before
the first prose line), what follows the head (``after-head``), its tail
(after the last prose line), its first line, or lets it act anywhere. Every piece taken out becomes a `Span` naming the rule.

A rule's pattern runs only on the lines it could match (`cleaner.matching`), and
a cut on weak evidence only where the harm guard allows it (`cleaner.guard`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import candidates_of, continued_lines, wrapped_lines
from .dates import to_iso
from .detectors import DETECTORS
from .document import Embed, Line, Span
from .edits import match_value, set_field, take_lines, without
from .guard import safe_cut, share
from .matching import all_matches, candidates, known_misses, matches_line
from .text import NUMBERED_OR_BULLETED, looks_like_link_title
from .timelimit import timed

if TYPE_CHECKING:
    from .context import Context
    from .document import Document
    from .ruleset import Rule


def apply_stage(doc: Document, ctx: Context, stage: str) -> Document:
    """Apply every rule of ``stage``, in order, but those written for other languages
    than the document's (`Rule.languages`). A pattern rule that can match none of
    the document's lines (`candidates`) leaves it as it is, and is passed over; so is
    a rule that took nothing from these very lines before (`idle_on`): the rule
    stages run in rounds (`cleaner.pipeline.ROUNDS`), and a round after the first
    runs only the rules that something has changed for since their last turn."""
    narrowed = ctx.rules.gates.narrowed
    idle = idle_on(doc, ctx)
    state, lines = None, None
    for rule in ctx.rules.for_language(stage, doc.lang):  # not those in other languages' words
        last = idle.get(rule.id)
        if last is not None and last[0] is doc.lines and last[1] == doc.title:
            continue
        if rule.id in narrowed:
            if doc.lines is not lines:
                state, lines = candidates_of(doc, ctx), doc.lines
            if rule.id not in state.texts_of:
                continue
        before, doc = doc, apply_rule(doc, rule, ctx)
        if doc is before:  # a rule that takes nothing returns the document it was given
            idle[rule.id] = (doc.lines, doc.title)
    return doc


def idle_on(doc: Document, ctx: Context) -> dict[str, tuple[tuple[Line, ...], str | None]]:
    """The document's record of the lines, and title, that each rule of ``ctx`` last ran on
    and took nothing from, by rule id. A rule reads nothing else that a stage
    changes: run again on the same lines (the same tuple, which nothing changes in
    place) under the same title, it would take nothing again. The lines of a
    document are made anew by each cleaning (`repair_encoding`), and each
    cleaning has a working state of its own (`cleaner.context.Work`)."""
    return ctx.work.idle


def apply_rule(doc: Document, rule: Rule, ctx: Context) -> Document:
    if rule.detector is not None:
        return (ctx.detectors or DETECTORS)[rule.detector].run(doc, rule, ctx)
    if rule.scope == "line":
        return _apply_to_lines(doc, rule, ctx)
    if rule.scope == "span":
        return _apply_to_spans(doc, rule, ctx)
    if rule.scope == "rest":
        return _apply_to_rest(doc, rule, ctx)
    if rule.scope == "list":
        return _apply_to_lists(doc, rule, ctx)
    return _apply_to_paragraphs(doc, rule, ctx)


def _apply_to_lines(doc: Document, rule: Rule, ctx: Context) -> Document:
    hits: list[int] = []
    values: list[str] = []
    for i in candidates(doc, rule, ctx):
        m = matches_line(rule, doc.lines[i], ctx)
        if m:
            hits.append(i)
            values.append(match_value(m))
    listed = {} if rule.field else _introduced_lists(doc, hits)
    doc = take_lines(doc, rule, hits + list(listed), rule.field, listed)
    for v in values:
        doc = set_field(doc, rule.field, v) if rule.field else doc
    return doc


def _introduced_lists(doc: Document, hits: list[int]) -> dict[int, str]:
    """The items of the lists that residue lines introduce: a dropped line that ends with a
    colon ("Your comment was not saved. This may be because:") takes the numbered or
    bulleted items right under it, up to the first line that is not one (or a blank line),
    each with that reason."""
    out: dict[int, str] = {}
    taken = set(hits)
    for i in hits:
        if not doc.lines[i].text.rstrip().endswith(":"):
            continue
        j = i + 1
        while j < len(doc.lines) and j not in taken and NUMBERED_OR_BULLETED.match(doc.lines[j].text):
            out[j] = "an item of the list the line above introduces"
            j += 1
    return out


def _apply_to_rest(doc: Document, rule: Rule, ctx: Context) -> Document:
    """A whole line the pattern matches, and every line after it: a section that
    runs to the end of the page (a comment thread under its heading).

    Without ``evidence`` the first matching line starts the section. With it,
    the last matching line does (``start = "first"``: the first that has its
    evidence), and only if at least ``min_evidence`` lines after it match
    ``evidence`` in full (greetings, "Name says:" lines): a bare "Comments" is
    also a button above the article, and the evidence says which it is.

    A section of more than ``Config.max_unproven_cut`` of the document's words is cut
    only on evidence under its heading, under a heading only comment sections have (``conclusive``), or
    below an article's worth of prose (``Config.article_min_prose`` lines): a comment
    counter above an article, or beside its first paragraph, must not take the article
    with it. A ``weak`` rule's section (a reply's opening words) is never cut when it is
    more than that share, whatever stands above it, and starts only where a paragraph
    opens (not on a piece of one that hard wrapping broke).
    """
    starts = [i for i in candidates(doc, rule, ctx) if matches_line(rule, doc.lines[i], ctx)]
    if starts and rule.weak:  # a reply's opening words open a paragraph, not a hard-wrapped line of one
        inside = continued_lines(doc, ctx)
        starts = [i for i in starts if i not in inside]
    if not starts:
        return doc
    if rule.evidence is None:
        start = starts[0]
    else:
        start = next((i for i in (starts if rule.start == "first" else starts[-1:]) if _evidence(doc, rule, i, ctx)),
                     None)
        if start is None:
            return doc
    section = [j for j in range(start, len(doc.lines)) if doc.lines[j].text.strip()]
    under_its_heading = rule.evidence is not None and rule.start == "last"
    if rule.weak:
        taken = share(doc, section, ctx)
        if taken > ctx.config.max_unproven_cut:
            return doc
        why = (f"from its first line to the end of the text: {taken:.0%} of the words, within the "
               f"{ctx.config.max_unproven_cut:.0%} weak evidence may take")
        return take_lines(doc, rule, section, reasons=dict.fromkeys(section, why))
    if not (under_its_heading or rule.conclusive or safe_cut(doc, section, ctx)):
        return doc
    return take_lines(doc, rule, section)


def _evidence(doc: Document, rule: Rule, start: int, ctx: Context) -> bool:
    """Whether at least ``rule.min_evidence`` lines after line ``start`` match the rule's evidence in full."""
    seen = 0
    for ln in doc.lines[start + 1:]:
        text = ln.text.strip()
        if text and timed(rule, ctx, ln.no, rule.evidence.fullmatch, text):
            seen += 1
            if seen >= rule.min_evidence:
                return True
    return False


def _apply_to_lists(doc: Document, rule: Rule, ctx: Context) -> Document:
    """Each whole line the pattern matches (a list's label: "Most read", "READ MORE:"),
    and the lines right after it that read like link titles, up to the heading of a
    section that runs to the end ("Comments"), which is its own rule's, a byline ("By
    Jo Roe"), which is an article's, or a paragraph broken by hard wrapping into short
    lines (`cleaner.context.wrapped_lines`)."""
    hits: list[int] = []
    end = 0  # the lines before it belong to a list already taken
    heads = ctx.rules.section_heads + ctx.rules.bylines
    for i in candidates(doc, rule, ctx):
        if i < end or not matches_line(rule, doc.lines[i], ctx):
            continue
        hits.append(i)
        j = i + 1
        wrapped = wrapped_lines(doc, ctx)
        while j < len(doc.lines) and (not doc.lines[j].text.strip() or looks_like_link_title(doc.lines[j].text)
                                      and j not in wrapped
                                      and not any(matches_line(h, doc.lines[j], ctx) for h in heads)):
            if doc.lines[j].text.strip():
                hits.append(j)
            j += 1
        end = j
    return take_lines(doc, rule, hits)


def _apply_to_spans(doc: Document, rule: Rule, ctx: Context) -> Document:
    lines = list(doc.lines)
    spans: list[Span] = []
    values: list[str] = []
    emptied: set[int] = set()
    action = "move" if rule.field else "drop"
    for i in candidates(doc, rule, ctx):
        ln = lines[i]
        matches = [m for m in timed(rule, ctx, ln.no, all_matches, rule.regex, ln.text) if m.end() > m.start()]
        if not matches:
            known_misses(rule.id, ctx).add(ln.text)
            continue
        pieces, last = [], 0
        for m in matches:
            pieces.append(ln.text[last:m.start()])
            last = m.end()
            spans.append(Span(rule.id, rule.stage, ln.no, m.group(0).strip(), action, rule.field))
            values.append(match_value(m))
        pieces.append(ln.text[last:])
        text = " ".join(p.strip() for p in pieces if p.strip())
        lines[i] = Line(ln.no, text)
        if not text:
            emptied.add(i)
    if not spans:
        return doc
    kept = without(lines, emptied)
    doc = doc.changed(lines=kept, removed=doc.removed + tuple(spans))
    for v in values:
        doc = set_field(doc, rule.field, v) if rule.field else doc
    return doc


def post_lines(lines: tuple[Line, ...], i: int, start: int) -> list[int]:
    """The lines of a post whose signature ends line ``i`` (the signature starts at ``start``).

    The signature's line; when the signature stands alone on it, the line above
    too (if it is not blank). No further: extracted text often has no blank lines
    between paragraphs, and the short article lines above a post cannot be told
    from the post's own, so a multi-line post may leave its first lines behind
    rather than take the article's.
    """
    if lines[i].text[:start].strip() or i == 0 or not lines[i - 1].text.strip():
        return [i]
    return [i - 1, i]


def _apply_to_paragraphs(doc: Document, rule: Rule, ctx: Context) -> Document:
    hits: list[int] = []
    found: list[tuple[str, object]] = []
    claimed: set[int] = set()
    for i in candidates(doc, rule, ctx):
        if i in claimed or not doc.lines[i].text.strip():
            continue
        m = timed(rule, ctx, doc.lines[i].no, rule.regex.search, doc.lines[i].text)
        if not m:
            known_misses(rule.id, ctx).add(doc.lines[i].text)
            continue
        block = [j for j in post_lines(doc.lines, i, m.start()) if j not in claimed]
        claimed.update(block)
        hits.extend(block)
        above = " ".join(doc.lines[j].text.strip() for j in block[:-1])
        found.append((above, m))
    to = "embeds" if rule.action == "embed" else rule.field
    doc = take_lines(doc, rule, sorted(hits), to)
    for above, m in found:
        if rule.action == "embed":
            doc = doc.changed(embeds=doc.embeds + (_embed(rule, above, m),))
        elif rule.field:
            doc = set_field(doc, rule.field, match_value(m))
    return doc


def _embed(rule: Rule, above: str, m) -> Embed:
    groups = m.re.groupindex

    def group(name: str) -> str | None:
        value = m.group(name) if name in groups else None
        return " ".join(value.split()) if value else None

    body = group("text")
    if body is None:
        line = m.string
        body = " ".join(f"{above} {line[: m.start()]} {line[m.end():]}".split())
    date = group("date")
    return Embed(rule.kind, body, group("author"), group("handle"), to_iso(date) if date else None, rule.id)


def rule_stage(stage: str, doc: str | None = None):
    """A stage that does nothing but apply its rules, in order."""

    def run(document: Document, ctx: Context) -> Document:
        return apply_stage(document, ctx, stage)

    run.__name__ = run.__qualname__ = stage
    run.__doc__ = doc
    return run
