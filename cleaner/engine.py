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

A rule's pattern runs only on the lines it could match (`candidates`): the
rule set's gates (`cleaner.prefilter`) find them for all rules at once, once
per document. A pattern runs, in order, on every line it may act on but those
it cannot match, so the output is the one running it on all of them gives; a
pattern that backtracks without end still fails the document, with its rule's
id, on a line it could match.
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Iterator, Sequence

import regex

from .config import Config
from .dates import to_iso
from .document import LIST_FIELDS, Document, Embed, Line, Span
from .language import speaks

if TYPE_CHECKING:
    from .rules import Rule, RuleSet


@dataclass(frozen=True)
class Context:
    """What a stage may read besides the document: the configuration and the rules."""

    config: Config
    rules: RuleSet


#: A line's text (``map(TEXT, lines)`` runs in C).
TEXT = attrgetter("text")


class RuleTimeout(Exception):
    """A rule's pattern ran past the regex timeout on one line of one document."""

    def __init__(self, rule: Rule, line: int, seconds: float):
        self.rule, self.line = rule, line
        super().__init__(
            f"rule {rule.id} ({rule.name}, {rule.file}) ran past the {seconds:g} s regex timeout on line {line}; "
            f"the document was skipped. Simplify the rule's pattern, or raise --regex-timeout."
        )


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
    for rule in ctx.rules.for_stage(stage):
        if rule.languages and not speaks(rule.languages, doc.lang):
            continue  # a rule in other languages' words (`Rule.languages`)
        last = idle.get(rule.id)
        if last is not None and last[0] is doc.lines and last[1] == doc.title:
            continue
        if rule.id in narrowed:
            if doc.lines is not lines:
                state, lines = _candidates_state(doc, ctx), doc.lines
            if rule.id not in state.texts_of:
                continue
        before, doc = doc, apply_rule(doc, rule, ctx)
        if doc is before:  # a rule that takes nothing returns the document it was given
            idle[rule.id] = (doc.lines, doc.title)
    return doc


def idle_on(doc: Document, ctx: Context) -> dict[str, tuple[tuple[Line, ...], str | None]]:
    """The document's memo of the lines, and title, that each rule of ``ctx`` last ran on
    and took nothing from, by rule id. A rule reads nothing else that a stage
    changes: run again on the same lines (the same tuple, which nothing changes in
    place) under the same title, it would take nothing again. The lines of a
    document are made anew by each cleaning (`repair_encoding`), so a memo
    carried over to another cleaning never matches them."""
    return doc.memo.setdefault((ctx.rules.gates, "idle"), {})


def apply_rule(doc: Document, rule: Rule, ctx: Context) -> Document:
    if rule.detector is not None:
        from .detectors import DETECTORS

        return DETECTORS[rule.detector].run(doc, rule, ctx)
    if rule.scope == "line":
        return _apply_to_lines(doc, rule, ctx)
    if rule.scope == "span":
        return _apply_to_spans(doc, rule, ctx)
    if rule.scope == "rest":
        return _apply_to_rest(doc, rule, ctx)
    if rule.scope == "list":
        return _apply_to_lists(doc, rule, ctx)
    return _apply_to_paragraphs(doc, rule, ctx)


# --- where a rule may act -------------------------------------------------------


SENTENCE_END = regex.compile(r"[.!?…:;][\"'’”)\]»]*\s*$")
#: What SENTENCE_END reads, as characters: the white space ``\s`` matches, the closing
#: quotes and brackets, and the marks that end a sentence.
WHITE_SPACE = "\t\n\x0b\x0c\r\x20\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
CLOSERS = "\"'’”)]»"
SENTENCE_MARKS = ".!?…:;"


def ends_sentence(text: str) -> bool:
    """Does ``text`` end like a sentence? The same as ``SENTENCE_END.search(text)``,
    read from the end: a mark, then closing quotes or brackets, then white space.

    >>> ends_sentence("He said “no.”  "), ends_sentence("Most read")
    (True, False)
    """
    end = text.rstrip(WHITE_SPACE).rstrip(CLOSERS)
    return bool(end) and end[-1] in SENTENCE_MARKS


def is_prose(text: str, config: Config, words: dict[str, int] | None = None) -> bool:
    """A line of running text: enough words, and it ends like a sentence (a long
    headline has the words but not the full stop). ``words`` keeps word counts by
    text (`word_count`)."""
    return ends_sentence(text) and word_count(text, words) >= config.prose_min_words


def word_count(text: str, words: dict[str, int] | None = None) -> int:
    """How many white-space separated words ``text`` has (``len(text.split())``), kept in
    ``words`` if given."""
    if words is None:
        return _count_words(text)
    count = words.get(text)
    if count is None:
        count = words[text] = _count_words(text)
    return count


def _count_words(text: str, single_spaced: set[str] | None = None) -> int:
    """``len(text.split())``, counted without splitting when the only white space is
    single spaces between words (a printable text has no other white space); such a
    text is added to ``single_spaced``, if given."""
    if text.isprintable():
        inner = text.strip(" ")
        if "  " not in inner:
            if single_spaced is not None:
                single_spaced.add(text)
            return inner.count(" ") + 1 if inner else 0
    return len(text.split())


def word_memo(doc: Document) -> dict[str, int]:
    """The document's memo of word counts by line text (filled as texts are asked about)."""
    memo = doc.memo.get("words")
    if memo is None:
        memo = doc.memo["words"] = {}
    return memo


def word_counts(doc: Document) -> dict[str, int]:
    """`word_memo`, holding the count of every line of the document. Counting them also
    finds the texts whose only white space is single spaces between words, kept in
    ``doc.memo["single-spaced"]`` (`tidy` has nothing to do to them but trim them)."""
    memo = word_memo(doc)
    if doc.memo.get("words of") is not doc.lines:
        single_spaced = doc.memo.setdefault("single-spaced", set())
        for text in set(map(TEXT, doc.lines)) - memo.keys():
            memo[text] = _count_words(text, single_spaced)
        doc.memo["words of"] = doc.lines
    return memo


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


class _Candidates:
    """Which line texts of one document each gated rule may match (`cleaner.prefilter`).

    Texts are checked in bulk the first time they are seen: all the lines of the
    document at first, then any line a rule has changed.
    """

    def __init__(self, table):
        self.table = table
        self.seen: set[str] = set()
        self.texts_of: dict[str, set[str]] = {}
        self.rules_of: dict[str, set[str]] = {}
        self.checked: tuple[Line, ...] | None = None

    def update(self, lines: tuple[Line, ...]) -> None:
        if lines is self.checked:
            return
        self.add(list(set(map(TEXT, lines)) - self.seen))  # in any order: `hits` gives sets
        self.checked = lines

    def add(self, texts: list[str]) -> None:
        if not texts:
            return
        self.seen.update(texts)
        for rule_id, found in self.table.hits(texts).items():
            self.texts_of.setdefault(rule_id, set()).update(found)
            for text in found:
                self.rules_of.setdefault(text, set()).add(rule_id)


def _candidates_state(doc: Document, ctx: Context) -> _Candidates:
    table = ctx.rules.gates
    state = doc.memo.get(table)
    if state is None:
        state = doc.memo[table] = _Candidates(table)
    state.update(doc.lines)
    return state


def candidates(doc: Document, rule: Rule, ctx: Context) -> list[int]:
    """The indices, in order, of the lines ``rule`` may act on (``where``) and its pattern
    may match. A rule the prefilter cannot narrow down gets every line it may act on."""
    if rule.id not in ctx.rules.gates.narrowed:
        return list(region(doc.lines, rule.where, ctx.config, word_memo(doc)))
    texts = _candidates_state(doc, ctx).texts_of.get(rule.id)
    if not texts:
        return []
    found = [i for i, ln in enumerate(doc.lines) if ln.text in texts]
    if not found:
        return []
    allowed = region(doc.lines, rule.where, ctx.config, word_memo(doc))
    return [i for i in found if i in allowed]


def may_match(doc: Document, rules: tuple[Rule, ...], line: Line, ctx: Context) -> list[Rule]:
    """Those of ``rules`` whose pattern may match ``line`` (a line of ``doc``), in order."""
    narrowed = ctx.rules.gates.narrowed
    state = _candidates_state(doc, ctx)
    if line.text not in state.seen:
        state.add([line.text])
    found = state.rules_of.get(line.text, ())
    return [r for r in rules if r.id in found or r.id not in narrowed]


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


# --- taking text out -------------------------------------------------------------


def take_lines(doc: Document, rule: Rule, indices: list[int], to: str | None = None,
               reasons: dict[int, str] | None = None) -> Document:
    """Take whole lines out of the text, recording a span for each (with its reason from
    ``reasons``, by index, where the rule's name does not say it all)."""
    if not indices:
        return doc
    gone = sorted(set(indices))
    reasons = reasons or {}
    spans = tuple(
        Span(rule.id, rule.stage, doc.lines[i].no, doc.lines[i].text.strip(), "move" if to else "drop", to,
             reasons.get(i))
        for i in gone
    )
    return doc.changed(lines=without(doc.lines, gone), removed=doc.removed + spans)


def without(lines: Sequence[Line], gone) -> tuple[Line, ...]:
    """``lines`` but those at the indices ``gone`` (distinct), as a tuple: the runs between
    them, sliced and joined (a few lines go from many).

    >>> without(("a", "b", "c", "d"), {1, 2})
    ('a', 'd')
    """
    pieces, start = [], 0
    for i in sorted(gone):
        pieces.append(lines[start:i])
        start = i + 1
    pieces.append(lines[start:])
    return tuple(chain.from_iterable(pieces))


def set_field(doc: Document, field: str, value: str | None) -> Document:
    """Give a field a value moved out of the text.

    ``title`` and ``date`` keep the first value they are given (so the order of
    the rules is their priority); ``authors`` and ``captions`` collect values,
    each once. A date that cannot be read as a calendar date is not set. A
    field the page's metadata gave (``doc.given``) is left as it is.
    """
    if value is None or field in doc.given:
        return doc
    value = " ".join(value.split())
    if not value:
        return doc
    if field == "date":
        value = to_iso(value)
        if value is None:
            return doc
    if field in LIST_FIELDS:
        values = split_names(value) if field == "authors" else [value]
        current = list(getattr(doc, field))
        for v in values:
            if v not in current:
                current.append(v)
        return doc.changed(**{field: tuple(current)})
    if getattr(doc, field) is None:
        return doc.changed(**{field: value})
    return doc


NAME_SEPARATORS = regex.compile(r"\s*(?:,|&|\b(?:and|und|og|och|et|y)\b|\|)\s*")


def split_names(value: str) -> list[str]:
    """``"Jane Doe and John Roe"`` -> ``["Jane Doe", "John Roe"]``; also ``und``, ``og``,
    ``och``, ``et`` and ``y``, in lower case, between names."""
    parts = NAME_SEPARATORS.split(value)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def _value(match) -> str:
    return match.group("value") if "value" in match.re.groupindex else match.group(0)


# --- the regex timeout --------------------------------------------------------------


class _Watch:
    """The rule call the watchdog is watching (see `watchdog`)."""

    thread: int | None = None  # the thread it watches, while armed
    current: tuple | None = None  # (rule, line, seconds) of the call running there
    seen: tuple | None = None  # the call the last tick found running
    ticks = 0  # how many ticks in a row found it


def _forget_watch() -> None:
    """In a forked child: the parent's timer is not inherited, so neither is its watch."""
    _Watch.thread = _Watch.current = _Watch.seen = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_watch)


def _tick(signum, frame) -> None:
    """A tick of the watchdog's timer: the third in a row to find the same rule call
    running stops it (it has run for two periods, the timeout, at least)."""
    current = _Watch.current
    if current is None or current is not _Watch.seen:
        _Watch.seen, _Watch.ticks = current, 1
        return
    _Watch.ticks += 1
    if _Watch.ticks >= 3:
        _Watch.seen = None
        raise RuleTimeout(*current)


@contextmanager
def watchdog(seconds: float | None) -> Iterator[None]:
    """Within it, a rule's pattern that runs past ``seconds`` of CPU time on one line is
    stopped by a timer (a signal) rather than by `regex`'s own timeout.

    `regex` reads the process's CPU clock, a system call, at the start of every
    call given a timeout and every 256 steps of it: that cost as much as the
    matching itself on short lines. Instead a CPU-time timer ticks every half
    timeout while a document is cleaned, and a tick that finds the same call
    running for the third time raises `RuleTimeout` in it (`regex` lets signal
    handlers run as it matches). A call is so stopped after one to one and a
    half timeouts. Inside a watchdog already armed (a batch of documents) it does
    nothing more. The timer is armed only in the main thread, where Python runs
    signal handlers, and only when nothing else uses it (``SIGVTALRM`` has its
    default handler and ``ITIMER_VIRTUAL`` is not running); anywhere else each
    call is given `regex`'s timeout, as before.
    """
    if (_Watch.thread is not None or not seconds or seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGVTALRM) is not signal.SIG_DFL
            or signal.getitimer(signal.ITIMER_VIRTUAL) != (0.0, 0.0)):
        yield
        return
    previous = signal.signal(signal.SIGVTALRM, _tick)
    try:
        signal.setitimer(signal.ITIMER_VIRTUAL, seconds / 2, seconds / 2)
        _Watch.thread = threading.get_ident()
        yield
    finally:
        _Watch.thread = None
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
        _Watch.current = _Watch.seen = None


def timed(rule: Rule, ctx: Context, line: int, fn, *args):
    """``fn(*args)``, a call of ``rule``'s pattern on ``line``, stopped by the regex timeout
    (`watchdog`): `RuleTimeout` when it runs past it."""
    if _Watch.thread == threading.get_ident():
        _Watch.current = (rule, line, ctx.config.regex_timeout)
        try:
            return fn(*args)
        finally:
            _Watch.current = None
    try:
        return fn(*args, timeout=ctx.config.regex_timeout)
    except TimeoutError:
        raise RuleTimeout(rule, line, ctx.config.regex_timeout) from None


def _all_matches(pattern, text: str, **timeout) -> list:
    """Every match of ``pattern`` in ``text``, found within the call (so within its timeout)."""
    return list(pattern.finditer(text, **timeout))


def matches_line(rule: Rule, line: Line, ctx: Context):
    """The match of a line rule's pattern against the whole (stripped) line, or None."""
    text = line.text.strip()
    return timed(rule, ctx, line.no, rule.regex.fullmatch, text) if text else None


def _apply_to_lines(doc: Document, rule: Rule, ctx: Context) -> Document:
    hits: list[int] = []
    values: list[str] = []
    for i in candidates(doc, rule, ctx):
        m = matches_line(rule, doc.lines[i], ctx)
        if m:
            hits.append(i)
            values.append(_value(m))
    listed = {} if rule.field else _introduced_lists(doc, hits)
    doc = take_lines(doc, rule, hits + list(listed), rule.field, listed)
    for v in values:
        doc = set_field(doc, rule.field, v) if rule.field else doc
    return doc


#: An item of a numbered or bulleted list: "1. ", "2) ", "- ", "• ".
NUMBERED_OR_BULLETED = regex.compile(r"\s*(?:\d{1,2}[.)]|[-•*–])\s+\S")


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
    with it.
    """
    starts = [i for i in candidates(doc, rule, ctx) if matches_line(rule, doc.lines[i], ctx)]
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


def safe_cut(doc: Document, indices: list[int], ctx: Context) -> bool:
    """May a decision on weak evidence take the lines ``indices`` (ascending)? Only a
    small share of the words (``Config.max_unproven_cut``), or what comes after an
    article: an article's worth of prose (``Config.article_min_prose`` lines), or prose
    that a rule marking an article's end closes (`_after_article_end`). That is the
    harm guard."""
    return bool(indices) and (_share(doc, indices) <= ctx.config.max_unproven_cut
                              or _prose_lines(doc, indices[0], ctx) >= ctx.config.article_min_prose
                              or _after_article_end(doc, indices[0], ctx))


def _after_article_end(doc: Document, end: int, ctx: Context) -> bool:
    """Whether line ``end`` comes after an article's end: a rule that marks one
    (`Rule.article_end`: a blog's "This entry was posted in ... Bookmark the permalink.")
    took out a line above it, below a line of prose. A list-shaped post has few lines
    of prose, and its thread is below that line all the same."""
    ends = ctx.rules.article_ends
    marks = [s.line for s in doc.removed if s.rule in ends and s.line < doc.lines[end].no]
    if not marks:
        return False
    words = word_counts(doc)
    return any(ln.no < max(marks) and is_prose(ln.text, ctx.config, words) for ln in doc.lines[:end])


def _prose_lines(doc: Document, end: int, ctx: Context) -> int:
    """How many lines of prose stand above line ``end``: an article's worth, when the
    heading at ``end`` ends it."""
    words = word_counts(doc)
    return sum(1 for ln in doc.lines[:end] if is_prose(ln.text, ctx.config, words))


def _share(doc: Document, indices: list[int]) -> float:
    """The share of the document's words on the lines ``indices``."""
    words = word_counts(doc)
    total = sum(words[ln.text] for ln in doc.lines)
    return sum(words[doc.lines[i].text] for i in indices) / total if total else 0.0


LINK_TITLE_END = regex.compile(r"[.!?;:…,'\"’”)\]]$")


def looks_like_link_title(text: str, max_words: int = 25) -> bool:
    """A line that reads like a headline in a list of links: some words, none of
    them ending a sentence."""
    text = text.strip()
    return bool(text) and len(text.split()) <= max_words and not LINK_TITLE_END.search(text)


def _apply_to_lists(doc: Document, rule: Rule, ctx: Context) -> Document:
    """Each whole line the pattern matches (a list's label: "Most read", "READ MORE:"),
    and the lines right after it that read like link titles, up to the heading of a
    section that runs to the end ("Comments"): that heading is its own rule's."""
    hits: list[int] = []
    end = 0  # the lines before it belong to a list already taken
    heads = ctx.rules.section_heads
    for i in candidates(doc, rule, ctx):
        if i < end or not matches_line(rule, doc.lines[i], ctx):
            continue
        hits.append(i)
        j = i + 1
        while j < len(doc.lines) and (not doc.lines[j].text.strip() or looks_like_link_title(doc.lines[j].text)
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
        matches = [m for m in timed(rule, ctx, ln.no, _all_matches, rule.regex, ln.text) if m.end() > m.start()]
        if not matches:
            continue
        pieces, last = [], 0
        for m in matches:
            pieces.append(ln.text[last:m.start()])
            last = m.end()
            spans.append(Span(rule.id, rule.stage, ln.no, m.group(0).strip(), action, rule.field))
            values.append(_value(m))
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
            doc = set_field(doc, rule.field, _value(m))
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
