"""Where a rule's pattern runs, and how: the lines it may match and its calls on them.

A rule's pattern runs only on the lines it could match (`candidates`): the rule
set's gates (`cleaner.prefilter`) find them for all rules at once, once per
document (`cleaner.context.Candidates`). A pattern runs, in order, on every line
it may act on but those it cannot match, so the output is the one running it on
all of them gives; a pattern that backtracks without end still fails the
document, with its rule's id, on a line it could match (`timed`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import candidates_of, region_of
from .ruleset import param_key
from .timelimit import timed

if TYPE_CHECKING:
    from .context import Context
    from .document import Document, Line
    from .ruleset import Rule


def candidates(doc: Document, rule: Rule, ctx: Context) -> list[int]:
    """The indices, in order, of the lines ``rule`` may act on (``where``) and its pattern
    may match: those the prefilter lets through (a rule it cannot narrow down gets every
    line it may act on), but those whose text the pattern found nothing in before
    (`known_misses`)."""
    misses = ctx.work.misses.get(rule.id)
    if rule.id not in ctx.rules.gates.narrowed:
        allowed = region_of(doc, rule.where, ctx)
        if not misses:
            return list(allowed)
        lines = doc.lines
        return [i for i in allowed if lines[i].text not in misses]
    texts = candidates_of(doc, ctx).texts_of.get(rule.id)
    if texts and misses:
        texts = texts - misses
    if not texts:
        return []
    found = [i for i, ln in enumerate(doc.lines) if ln.text in texts]
    if not found:
        return []
    allowed = region_of(doc, rule.where, ctx)
    return [i for i in found if i in allowed]


def known_misses(key: str, ctx: Context) -> set[str]:
    """The line texts in which a pattern found nothing (`cleaner.context.Work.misses`), to be
    added to: a rule's (``key``: its id), asked as the rule's scope asks it, or a detector's
    pattern parameter (``key``: `param_key`), asked of whole lines. Asked again of the same
    text, it would find nothing again, so its later turns on the document (the rounds of the
    rule stages, the detectors that ask a rule of a line) pass them over. A whole-line rule
    asks `matches_line`; a span rule, for a match that is not empty; a post rule, for a match."""
    found = ctx.work.misses.get(key)
    if found is None:
        found = ctx.work.misses[key] = set()
    return found


def may_fullmatch(doc: Document, rule: Rule, param: str, ctx: Context) -> set[str] | None:
    """The line texts of ``doc`` whose stripped form the detector's pattern parameter
    ``param`` may match in full (`Rule.line_params`), or None when the prefilter cannot
    tell (every text may)."""
    key = param_key(rule.id, param)
    if key not in ctx.rules.gates.narrowed:
        return None
    return candidates_of(doc, ctx).texts_of.get(key, NONE)


#: No texts: what `may_fullmatch` gives for a pattern no line of the document can match.
NONE: frozenset[str] = frozenset()


def may_match(doc: Document, rules: tuple[Rule, ...], line: Line, ctx: Context) -> list[Rule]:
    """Those of ``rules`` whose pattern may match ``line`` (a line of ``doc``), in order."""
    narrowed = ctx.rules.gates.narrowed
    state = candidates_of(doc, ctx)
    if line.text not in state.seen:
        state.add([line.text])
    found = state.rules_of.get(line.text, ())
    return [r for r in rules if r.id in found or r.id not in narrowed]


def matches_line(rule: Rule, line: Line, ctx: Context):
    """The match of a line rule's pattern against the whole (stripped) line, or None."""
    misses = known_misses(rule.id, ctx)
    if line.text in misses:
        return None
    text = line.text.strip()
    found = timed(rule, ctx, line.no, rule.regex.fullmatch, text) if text else None
    if found is None:
        misses.add(line.text)
    return found


def param_fullmatch(rule: Rule, param: str, pattern, line: Line, ctx: Context):
    """The match of the detector's pattern parameter ``param`` (``pattern``, compiled)
    against the whole (stripped) line, or None; its misses are kept as a rule's are
    (`known_misses`)."""
    misses = known_misses(param_key(rule.id, param), ctx)
    if line.text in misses:
        return None
    found = timed(rule, ctx, line.no, pattern.fullmatch, line.text.strip())
    if found is None:
        misses.add(line.text)
    return found


def all_matches(pattern, text: str, **timeout) -> list:
    """Every match of ``pattern`` in ``text``, found within the call (so within its timeout)."""
    return list(pattern.finditer(text, **timeout))
