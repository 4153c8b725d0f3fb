"""Comment threads told by their structure: posts one after another, each signed.

Many threads have no heading an extractor keeps ("12 Comments"), yet every post of
them carries a signature line: the commenter's name and a date or time ("Jo Smith
07.15.12 at 11:59", "Jo Smith says:", "On March 3, 2012 at 4:15 pm Jo said:"), above
the post or below it ("Posted by: Jo Smith | March 3, 2012 at 04:15 PM"). One such
line is a byline or a dateline; several in a row, each a few lines from the next, are
a thread, and no article looks like that.

The ``comment-thread`` detector finds them. Its rule gives the signature as a
pattern (``params.signature``, matched against whole lines of at most
``params.max_words`` words), says whether a signature comes ``before`` or ``after``
its post (``params.signed``), and how many posts (``params.min_posts``) of at most
``params.max_post_lines`` lines each make a thread. It takes the first such run of
posts after the head of the text: the signature lines and the posts they sign, each
line recorded with a reason that says which post of how many it belongs to.

Two more parameters widen what a signature is and what a thread is. With
``params.next_line``, a signature is a line matching ``signature`` directly followed by
one matching ``next_line`` (a date line, then the commenter's name alone on the next
line). With ``params.at_end``, the run must reach the end of the text (its last post
runs to the last line, within ``max_post_lines``); then ``min_posts`` may be one: a
single signed post after the article is the last thing an extractor appends. One post is
weak evidence, so it goes only where the harm guard allows (`cleaner.guard.safe_cut`);
with ``params.guarded``, so does a run of any length (a signature that an article's own
lines can have, such as a time stamp). With ``params.end_posts``, a run of fewer than
``min_posts`` but at least that many posts is a thread too when it ends the text, and
goes where the harm guard allows (two blog comments under a post).

Where a post's signature comes after it, the first post's start is not marked: it
starts at a greeting to the author (``params.greeting``: "Hi David,") when one stands
just above the first signature, or right below a line that opens a thread ("3
Comments", taken by another rule of the stage) or below page furniture taken out (a
tags line, a list of related posts) when the post is no longer than the thread's
others; else only the signature is taken and the first post stays. Where it comes before, the last post runs to the end of the text or for at
most ``params.max_post_lines`` lines. Leaving a post is better than taking an
article's last paragraph for one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from .context import region_of, word_counts
from .edits import take_lines
from .guard import safe_cut
from .matching import matches_line, may_fullmatch, may_match, param_fullmatch
from .text import ends_sentence

if TYPE_CHECKING:
    from .context import Context
    from .document import Document, Line
    from .ruleset import Rule

#: The parameters of the detector and their defaults (`cleaner.detectors.DETECTORS`).
DEFAULTS = {"signature": "", "greeting": "", "next_line": "", "signed": "before", "min_posts": 3,
            "max_post_lines": 15, "max_words": 16, "at_end": False, "guarded": False,
            "end_posts": 0}


#: How many times ``max_post_lines`` a post may run inside a thread that ``min_posts``
#: signatures in a row have already shown.
THREAD_POST_SPAN = 2


@lru_cache(maxsize=64)
def compiled(pattern: str):
    """A parameter's pattern, compiled once per process (None for an empty one)."""
    return regex.compile(pattern) if pattern else None


def comment_thread(doc: Document, rule: Rule, ctx: Context) -> Document:
    """Take out the first run of at least ``min_posts`` signed posts after the head."""
    signature = compiled(rule.param("signature"))
    if signature is None:
        return doc
    may_sign = may_fullmatch(doc, rule, "signature", ctx)
    if may_sign is not None and not may_sign and rule.param("min_posts") > 0:
        return doc  # no line can be a signature, so there is no run of them
    words = word_counts(doc, ctx)
    lines = doc.lines
    allowed = [i for i in region_of(doc, rule.where, ctx) if lines[i].text.strip()]
    most = rule.param("max_words")
    next_line = compiled(rule.param("next_line"))
    may_follow = may_fullmatch(doc, rule, "next_line", ctx)
    signed = [k for k, i in enumerate(allowed)
              if (may_sign is None or lines[i].text in may_sign) and words[lines[i].text] <= most
              and param_fullmatch(rule, "signature", signature, lines[i], ctx)
              and (next_line is None or k + 1 < len(allowed) and words[lines[allowed[k + 1]].text] <= most
                   and (may_follow is None or lines[allowed[k + 1]].text in may_follow)
                   and param_fullmatch(rule, "next_line", next_line, lines[allowed[k + 1]], ctx))]
    gap = rule.param("max_post_lines")
    weak = bool(rule.param("guarded"))
    if rule.param("at_end"):
        run = _last_run(signed, len(allowed), rule.param("min_posts"), gap, rule.param("signed"))
    else:
        run = _first_run(signed, rule.param("min_posts"), gap)
        if run is None and rule.param("end_posts"):  # fewer posts, but they end the text
            run, weak = _last_run(signed, len(allowed), rule.param("end_posts"), gap, rule.param("signed")), True
    if run is None:
        return doc
    first, last = run[0], run[-1]
    if rule.param("signed") == "before":
        end = min(len(allowed), last + 1 + gap)
        start = first
        posts = [(run[n], run[n + 1] if n + 1 < len(run) else end) for n in range(len(run))]
    else:
        longest = max((b - a - 1 for a, b in zip(run, run[1:])), default=None)
        start = _first_post_start(doc, allowed, run, rule, ctx, longest)
        end = last + 1
        bounds = [start, *[k + 1 for k in run]]
        posts = [(bounds[n], bounds[n + 1]) for n in range(len(run))]
    taken = [allowed[k] for k in range(start, end)]
    if (len(run) < 2 or weak) and not safe_cut(doc, taken, ctx):
        return doc  # one post, or a weak signature, is not evidence enough: the harm guard holds
    reasons: dict[int, str] = {}
    for n, (a, b) in enumerate(posts, 1):
        for k in range(a, b):
            reasons[allowed[k]] = f"post {n} of {len(run)} signed posts in a row"
    return take_lines(doc, rule, taken, reasons=reasons)


def _first_run(signed: list[int], min_posts: int, max_post_lines: int) -> list[int] | None:
    """The first run of at least ``min_posts`` positions, each at most ``max_post_lines``
    lines of post after the one before it. Once ``min_posts`` of them make the run a
    thread, a post in it may be `THREAD_POST_SPAN` times as long: a long reply, which the
    next signature of the same shape shows to be one.

    >>> _first_run([3, 10, 12, 14, 40], 3, 5), _first_run([3, 30, 60], 3, 5)
    ([10, 12, 14], None)
    >>> _first_run([10, 12, 14, 22, 40], 3, 5)
    [10, 12, 14, 22]
    """
    run: list[int] = []
    for k in signed:
        longest = max_post_lines * (THREAD_POST_SPAN if len(run) >= min_posts else 1)
        if run and k - run[-1] - 1 > longest:
            if len(run) >= min_posts:
                return run
            run = []
        run.append(k)
    return run if len(run) >= min_posts else None


def _last_run(signed: list[int], count: int, min_posts: int, max_post_lines: int, signed_where: str) -> list[int] | None:
    """The run of signatures that ends the text: its last post reaches the last of
    ``count`` lines (a signature under its post is itself the last line; a signature
    above it is at most ``max_post_lines`` lines from the end), each post at most
    ``max_post_lines`` lines from the one before; None when it has fewer than
    ``min_posts`` posts.

    >>> _last_run([3, 10, 12, 14], 16, 1, 5, "before"), _last_run([3, 10], 30, 1, 5, "before")
    ([10, 12, 14], None)
    >>> _last_run([3, 15], 16, 1, 5, "after"), _last_run([3, 14], 16, 1, 5, "after")
    ([15], None)
    """
    if not signed:
        return None
    tail = count - 1 - signed[-1]
    if tail > (max_post_lines if signed_where == "before" else 0):
        return None
    run = [signed[-1]]
    for k in reversed(signed[:-1]):
        if run[0] - k - 1 > max_post_lines:
            break
        run.insert(0, k)
    return run if len(run) >= min_posts else None


def _first_post_start(doc: Document, allowed: list[int], run: list[int], rule: Rule, ctx: Context,
                      longest: int | None) -> int:
    """Where the first post starts when signatures follow their posts: at the nearest
    greeting (``params.greeting``) within ``max_post_lines`` lines above the first
    signature; else at the nearest line there that opens a post as every other post of
    the run opens (`_opener_shape`: "Jo says:", "Jo • 3 years ago", a name alone),
    within the ``longest`` other post's length; else right below the nearest line there
    that opens a thread (`opens_thread`: "3 Comments") or below page furniture the rules
    took out (`below_an_edge`: a tags line, a list of related posts), if the post is no
    longer than the ``longest`` other post of the run (a counter or a share bar above an
    article is further up than that); else at the signature itself."""
    first = run[0]
    above = range(first - 1, max(-1, first - 1 - rule.param("max_post_lines")), -1)
    greeting = compiled(rule.param("greeting"))
    if greeting is not None:
        may_greet = may_fullmatch(doc, rule, "greeting", ctx)
        for k in above:
            line = doc.lines[allowed[k]]
            if (may_greet is None or line.text in may_greet) and param_fullmatch(rule, "greeting", greeting, line, ctx):
                return k
    if longest is not None:
        shape = _opener_shape(doc, allowed, run, rule)
        if shape is not None:
            for k in above:
                if first - k - 1 > longest:
                    break
                if _shape(doc.lines[allowed[k]].text, rule) == shape:
                    return k
        edges = [span.line for span in doc.removed if span.rule in ctx.rules.page_edges and span.action == "drop"]
        openers = openers_of(rule, ctx)
        for k in above:
            if first - k - 1 > longest:
                break
            if opens_thread(doc, doc.lines[allowed[k]], openers, ctx):
                return k + 1
            if first - k <= longest and below_an_edge(doc, allowed, k, edges):
                return k
    return first


def _shape(text: str, rule: Rule) -> str | None:
    """What a line that opens a post looks like, told apart from the post's sentences:
    a few words (``max_words`` at most) ending in a word of letters and a colon ("says:",
    "wrote:") or in one after a number ("3 years ago"), that word; a name alone (four
    words at most, not ending like a sentence but with an initial, "Mary K."),
    ``"name"``; None for any other line.

    >>> class Rule:
    ...     def param(self, name): return 8
    >>> [_shape(t, Rule()) for t in ("jo_smith says:", "Jo • 3 years ago", "Mary K. ", "It was fine.")]
    ['says:', 'ago', 'name', None]
    """
    text = text.strip()
    words = text.split()
    if not words or len(words) > rule.param("max_words"):
        return None
    last = words[-1].lower()
    if len(words) > 1 and LAST_WORD.fullmatch(last) and (last.endswith(":") or DIGIT.search(text)):
        return last
    return "name" if len(words) <= 4 and (not ends_sentence(text) or INITIAL_END.search(text)) else None


#: A name that ends with an initial ("Mary K."), not with a sentence.
INITIAL_END = regex.compile(r"(?<!\S)\p{Lu}\.$")
#: The last word of a post's opening line ("says:", "wrote:", "ago"), which ends in a
#: colon or follows a number ("3 years ago").
LAST_WORD = regex.compile(r"\p{L}{2,}:?")
DIGIT = regex.compile(r"\d")


def _opener_shape(doc: Document, allowed: list[int], run: list[int], rule: Rule) -> str | None:
    """The shape (`_shape`) of the line that opens each post of a run of signatures
    below their posts but the first (the line right after the signature before it),
    when two posts or more open so and all alike: evidence of where the first post opens."""
    openers = [allowed[k + 1] for k in run[:-1] if k + 1 < len(allowed)]
    shapes = {_shape(doc.lines[i].text.strip(), rule) for i in openers}
    return shapes.pop() if len(openers) >= 2 and len(shapes) == 1 and None not in shapes else None


def below_an_edge(doc: Document, allowed: list[int], k: int, edges: list[int]) -> bool:
    """Whether page furniture that marks an article's edge was taken out right above line
    ``allowed[k]`` (between it and the line before it): a share bar, a tags line, a list
    of related posts (`Rule.page_edge`; ``edges``: the input line numbers of those
    removals), below which a thread's first post starts."""
    above = doc.lines[allowed[k - 1]].no if k > 0 else 0
    return any(above < line < doc.lines[allowed[k]].no for line in edges)


def openers_of(rule: Rule, ctx: Context) -> tuple[Rule, ...]:
    """The other rules of the thread rule's stage that take a line whole on its own
    pattern: a comment counter or heading ("3 Comments"), a "Leave a reply" line; not a
    ``weak`` one, whose line is a post's own first line ("Wow, ...")."""
    return tuple(r for r in ctx.rules.for_stage(rule.stage) if r.id != rule.id and r.scope in ("line", "rest")
                 and r.action == "drop" and r.regex is not None and r.evidence is None and not r.weak)


def opens_thread(doc: Document, line: Line, openers: tuple[Rule, ...], ctx: Context) -> bool:
    """Whether one of ``openers`` (`openers_of`) takes ``line`` whole: a line that stands
    above a thread's first post."""
    return any(matches_line(r, line, ctx) for r in may_match(doc, openers, line, ctx))
