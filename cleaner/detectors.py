"""Built-in detectors: residue that a single regular expression cannot describe.

A rule names a detector instead of a pattern (``detector = "repeated-line"``)
and may tune it with ``params``; everything else about the rule (id, stage,
action, field, examples) works as for a pattern rule, so a detector's removals
are recorded, explained, tested and disabled like any rule's.

One explicit table, `DETECTORS`, lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Callable

import regex

from .context import region_of, word_counts, wrapped_lines
from .dates import CJK_DATE, TIME, to_iso
from .edits import set_field, take_lines
from .matching import matches_line, may_match
from .text import SENTENCE_END, ends_sentence, is_prose, tokens
from .threads import DEFAULTS as THREAD_DEFAULTS, comment_thread

if TYPE_CHECKING:
    from .context import Context
    from .document import Document, Line
    from .ruleset import Rule

WEB_ADDRESS = regex.compile(r"(?i)\bwww\.|https?://|\.(?:com|org|net|co\.uk)\b")
#: A full date opening a line: "August 25th, 2012", "Tue 3 March 2026", "03.03.2026".
DATE_OPENING = regex.compile(r"""(?xi)
  (?:\p{L}{2,9}\.?,?\s+)?
  (?:\p{L}{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}
    |\d{1,2}(?:st|nd|rd|th)?\.?\s+\p{L}{3,9}\.?,?\s+\d{4}
    |\d{1,4}[./-]\d{1,2}[./-]\d{2,4})\b""")
STATEMENT_END = regex.compile(r"[.!;:,…]['\"’”)\]»]*$")
#: A full stop ending a sentence, before any closing quote or bracket.
FULL_STOP_END = regex.compile(r"(?<!\.)\.['\"’”)\]»]*$")
LETTER = regex.compile(r"\p{L}")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
                         "«": '"', "»": '"', "–": "-", "—": "-"})
TYPOGRAPHIC = regex.compile(r"[’‘“”„«»–—…]")


_QUOTE_PAIRS = tuple((chr(code), plain) for code, plain in _QUOTES.items())


def comparable(text: str, memo: dict[str, str] | None = None) -> str:
    """A line reduced for comparison: case, quote style, dashes and spacing folded
    (kept in ``memo`` by text, if given).

    It has as many words as ``text`` (``len(text.split())``): the quotes and
    dashes become other marks, never spaces, and case folding neither makes nor
    removes white space. The detectors compare word counts first for that reason.

    >>> comparable("“DONE”  –  he SAID")
    '"done" - he said'
    """
    if memo is not None:
        known = memo.get(text)
        if known is None:
            known = memo[text] = comparable(text)
        return known
    if text.isascii():
        if "`" in text:
            text = text.replace("`", "'")
    else:
        for mark, plain in _QUOTE_PAIRS:  # the same as text.translate(_QUOTES), and faster
            if mark in text:
                text = text.replace(mark, plain)
    return " ".join(text.casefold().split())


def _memos(doc: Document, ctx: Context) -> tuple[dict[str, str], dict[str, int], set[str]]:
    """The document's memos of comparable forms and of word counts (of all its lines), by
    text, and the texts word counting found single-spaced (`cleaner.context.Work`)."""
    words = word_counts(doc, ctx)
    return ctx.work.comparable, words, ctx.work.single_spaced


def comparables(texts: list[str], memo: dict[str, str], single_spaced: set[str] | frozenset[str] = frozenset()
                ) -> list[str]:
    """`comparable` of each of ``texts``, kept in ``memo``: those not known yet are folded
    together, as one text (the quotes and dashes replaced, the case folded, in one call
    each), then cut back into lines; a single-spaced line needs no more. A text of
    ``single_spaced`` (`cleaner.context.word_counts`) that neither starts nor ends with a space is
    one: the marks replaced are printable and not spaces, and so is all that case folding
    makes of a printable character that is not a space."""
    missing = [t for t in dict.fromkeys(texts) if t not in memo]
    if missing:
        joined = "\n".join(missing)
        if joined.count("\n") != len(missing) - 1:  # a text with a line break of its own
            memo.update((t, comparable(t)) for t in missing)
        else:
            for mark, plain in _QUOTE_PAIRS:
                if mark in joined:
                    joined = joined.replace(mark, plain)
            for text, part in zip(missing, joined.casefold().split("\n")):
                if text in single_spaced and text[:1] != " " and text[-1:] != " ":
                    single = True
                else:
                    single = part.isprintable() and "  " not in part and part[:1] != " " and part[-1:] != " "
                memo[text] = part if single else " ".join(part.split())
    return [memo[t] for t in texts]


def repeated_line(doc: Document, rule: Rule, ctx: Context) -> Document:
    """A line printed twice in a row (an image's alt text, then its caption).

    Two neighbouring non-blank lines (blank lines between them allowed) that
    are the same once case, quote style, dashes and spacing are folded, with
    between ``min_words`` and ``max_words`` words, and not table rows (two or
    more ``|``: a table's header repeated over its parts). Both copies leave the body;
    the rule's field gets one copy: the one with typographic quotes and
    dashes (the rendered caption), else the later one. Longer repeats are left
    alone: a paragraph printed twice is not a caption; so is a line of prose that opens
    the text (a page's description printed above its lead, which is the same
    paragraph), which `H024` leaves one copy of.

    Copies that become neighbours once the copies between them leave are taken
    too, in the same pass (``A B B A``: both pairs), as taking them in turns would:
    the lines are read onto a stack of runs of equal lines, and a run that a
    different line ends is taken off it when it is a repeat, which makes the
    run below it the neighbour of that line.
    """
    lo, hi = rule.param("min_words"), rule.param("max_words")
    folded, words, _single = _memos(doc, ctx)
    allowed = region_of(doc, rule.where, ctx)
    nonblank = [i for i in allowed if doc.lines[i].text.strip()]
    texts = [doc.lines[i].text for i in nonblank]
    counts = [words[t] for t in texts]

    def same(run: list[int], k: int) -> bool:
        # lines with different word counts differ: the fold is computed only for equal counts
        first = run[0]
        return counts[first] == counts[k] and comparable(texts[first], folded) == comparable(texts[k], folded)

    def repeat(run: list[int]) -> bool:
        return (len(run) > 1 and lo <= counts[run[0]] <= hi and comparable(texts[run[0]], folded).count("|") < 2
                and not (run[0] == 0 and is_prose(texts[0], ctx.config, words)))

    stack: list[list[int]] = []  # runs of equal lines, as positions in ``nonblank``
    taken: list[list[int]] = []
    for k in range(len(texts)):
        while stack and len(stack[-1]) > 1 and not same(stack[-1], k) and repeat(stack[-1]):
            taken.append(stack.pop())
        if stack and same(stack[-1], k):
            stack[-1].append(k)
        else:
            stack.append([k])
    taken.extend(run for run in stack if repeat(run))
    taken.sort()
    hits: list[int] = []
    values: list[str] = []
    for run in taken:
        copies = [texts[k].strip() for k in run]
        best = max(range(len(copies)), key=lambda n: (len(TYPOGRAPHIC.findall(copies[n])), n))
        hits.extend(nonblank[k] for k in run)
        values.append(copies[best])
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
    line, one whose sentence goes on in lower case, the first piece of a paragraph
    broken by hard wrapping (`cleaner.context.wrapped_lines`), or a date with a clock
    time (`is_time_stamp`), is not a headline.

    Residue is what a whole-line ``drop`` rule in force would remove
    (``Skip to content`` above the headline): the rules are the evidence.
    When the title is already known (from the page's metadata), the line is
    taken only if it is that title: a short first line of another text is a
    kicker or a subheading, and stays.
    """
    lines = doc.lines
    candidates = list(islice((i for i, ln in enumerate(lines) if ln.text.strip() and not is_residue(doc, ln, ctx)), 2))
    first = candidates[0] if candidates else None
    printed = _printed_again(doc, first, rule, ctx) if first is not None and doc.title is None else None
    if printed is not None:
        return set_field(take_lines(doc, rule, [first], rule.field), rule.field, printed)
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
    if is_time_stamp(text):
        return doc
    if doc.title is not None and comparable(doc.title) != comparable(text):
        return doc
    if first in wrapped_lines(doc, ctx):  # the first piece of a hard-wrapped paragraph
        return doc
    doc = take_lines(doc, rule, [first], rule.field)
    if kicker is not None:
        doc = take_lines(doc, rule, [kicker])
    return set_field(doc, rule.field, _without_site(text)) if rule.field else doc


def _without_site(title: str) -> str:
    """A headline line without the site's name that a bar sets off at its end ("Bridge to
    close | The Daily Example": `headline_of`). Only a bar: a dash or a colon stands inside
    headlines too ("Eisheiligen 2024: Wann sie sind - und wie das Wetter wird")."""
    cut = _last_separator(title)
    head = headline_of(title) if cut is not None and cut.group().strip() == "|" else None
    return head or title


def _printed_again(doc: Document, first: int, rule: Rule, ctx: Context) -> str | None:
    """The headline of a page whose first line is its title ("Bridge to close for
    repairs | News | The Daily Example"), when the text prints the title's first part
    again as a line of its own: a whole page's text starts with the page's ``<title>``,
    and menus follow it, not the article. The headline is the part longer than every
    other, the first or one after a section's name ("Opinion | Bridge to close for
    repairs - The Daily Example"), never the last (a title that ends with the site's
    name is the common form, so a last part as long as the rest is the site's name, or
    cannot be told from it), and reads as a headline (``min_words`` to ``max_words``
    words, no web address, no time stamp). A first line of one part that ends with a
    full stop is no page's title: a lead printed twice, the page's description above
    its first paragraph (a title may end with "!", or with "Site." after its headline)."""
    text = doc.lines[first].text.strip()
    parts = [p.strip() for p in SITE_SEPARATOR.split(text)]
    if len(parts) == 1 and FULL_STOP_END.search(text):
        return None  # a lead printed again (a page's description above its first paragraph)
    sizes = [len(tokens(p)) for p in parts]
    longest = max(sizes)
    if sizes.count(longest) > 1 or len(parts) > 1 and sizes[-1] == longest:
        return None  # a blog's name as long as its post's title, or last: which is which cannot be told
    part = parts[sizes.index(longest)]
    if not (rule.param("min_words") <= len(part.split()) <= rule.param("max_words")
            and len(tokens(part)) >= HEADLINE_WORDS and not WEB_ADDRESS.search(part) and not is_time_stamp(part)):
        return None
    folded, words, single = _memos(doc, ctx)
    key = comparable(part)
    size = len(key.split())
    later = [ln.text for ln in doc.lines[first + 1:] if words[ln.text] == size and ln.text.strip()]
    return part if key in comparables(later, folded, single) else None


def is_time_stamp(text: str) -> bool:
    """Does the line give a full date and a clock time ("Posted on May 3, 2012 at 2:15
    am"), or open with a full date ("August 25th, 2012 by Jo")? That is a date line,
    never a headline.

    >>> is_time_stamp("Posted on May 3, 2012 at 2:15 am"), is_time_stamp("Bayern beat Dortmund 2:1")
    (True, False)
    >>> is_time_stamp("August 25th, 2012 by Jo"), is_time_stamp("Chapter 12, 2012 and all that")
    (True, False)
    >>> is_time_stamp("2025年1月14日 01時28分 (1月14日 01時40分更新)")
    True
    """
    opening = DATE_OPENING.match(text) or CJK_DATE.match(text.strip())
    if opening and to_iso(opening.group()):
        return True
    return bool(TIME.search(text)) and "T" in (to_iso(text) or "")


def opens_text(text: str, ctx: Context) -> bool:
    """Can this line follow a headline as the first line of the text? A long line, or
    a sentence of six words or more."""
    words = len(text.split())
    return words >= ctx.config.prose_min_words or (words >= 6 and bool(SENTENCE_END.search(text)))


def is_residue(doc: Document, line: Line, ctx: Context) -> bool:
    """Would a whole-line drop rule that may act at the head remove this line (of ``doc``)?
    Kept in the document's working state by text: the headline rule asks again in each round of
    the rule stages (`cleaner.pipeline.ROUNDS`)."""
    known = ctx.work.residue
    found = known.get(line.text)
    if found is None:
        found = known[line.text] = any(matches_line(r, line, ctx) for r in may_match(doc, ctx.rules.head_residue, line, ctx))
    return found


def title_repeat(doc: Document, rule: Rule, ctx: Context) -> Document:
    """The document's title printed again in the text (a breadcrumb, a related
    list that links back, a sticky header): lines equal to ``doc.title`` once
    case, quotes, dashes and spacing are folded, or to the title without the
    site's name that a page's title carries ("Bridge to close - The Daily
    Example", `headline_of`). When the text prints the headline without the
    site's name, that is the title: the name leaves the ``title`` field too.
    Nothing without a title.
    """
    if not doc.title:
        return doc
    folded, words, single = _memos(doc, ctx)
    forms = {comparable(doc.title): doc.title}
    headline = headline_of(doc.title)
    if headline:
        forms.setdefault(comparable(headline), headline)
    sizes = {len(key.split()) for key in forms}
    same_size = [i for i, ln in enumerate(doc.lines) if words[ln.text] in sizes and ln.text.strip()]
    keys = comparables([doc.lines[i].text for i in same_size], folded, single)
    hits = [(i, k) for i, k in zip(same_size, keys) if k in forms]
    taken = take_lines(doc, rule, [i for i, _ in hits])
    shorter = [forms[k] for _, k in hits if forms[k] != doc.title]
    return taken.changed(title=shorter[0]) if shorter else taken


#: What sets a site's name off from the headline in a page's title: " - ", " | ", " – ".
SITE_SEPARATOR = regex.compile(r"\s+(?:[-|–—·»:]|::)\s+")
#: The most words a site's name has, and the fewest a headline has, in a page's title.
SITE_WORDS, HEADLINE_WORDS = 5, 3


def _last_separator(title: str):
    """The last separator (`SITE_SEPARATOR`) in a page's title, or None."""
    cut = None
    for cut in SITE_SEPARATOR.finditer(title):
        pass
    return cut


def headline_of(title: str) -> str | None:
    """The headline a page's title holds before the site's name: the title before its last
    separator, when a name of a few words (`tokens`), fewer than the headline's, follows it. A title
    that starts with the site's name ("Example Daily | Bridge to close") is left whole: a
    blog's name and a post's title are both a few words, and the text prints both.

    >>> headline_of("Bridge to close for repairs - The Daily Example")
    'Bridge to close for repairs'
    >>> headline_of("Bridge to close for repairs") is None
    True
    >>> headline_of("市議会が旧橋の閉鎖を決定 : 例示新聞")  # a Han or Kana character a word
    '市議会が旧橋の閉鎖を決定'
    """
    cut = _last_separator(title)
    if cut is None:
        return None
    head, tail = title[:cut.start()].strip(), title[cut.end():]
    words, name = len(tokens(head)), len(tokens(tail))
    return head if name <= SITE_WORDS and words >= HEADLINE_WORDS and words > name else None


def repeated_paragraph(doc: Document, rule: Rule, ctx: Context) -> Document:
    """A paragraph printed again further down (a hidden mobile copy of the
    article, a pull quote): later copies of a line of prose, folded as in
    `comparable`, go; the first stays. A copy goes when its line appears
    exactly twice, or when the line next to it is a copy too (a repeated run).
    A line that recurs three times or more on its own is a refrain (an
    interview's recurring question) and stays. Repeated short or structured
    lines (a table's header, a list of product features, a meal plan's
    entries) are content and stay: only lines of prose count, and never table
    rows. A line that is other lines glued into one block goes too, wherever it
    stands (`_glued_copies`).
    """
    folded, words, single = _memos(doc, ctx)
    least = ctx.config.prose_min_words
    # only lines with as many words as another prose line can be its copy
    by_size: dict[int, list[int]] = {}
    prose = []
    for i, ln in enumerate(doc.lines):
        count = words[ln.text]
        if count >= least and ends_sentence(ln.text):  # is_prose
            by_size.setdefault(count, []).append(i)
            prose.append(i)
    candidates = sorted(i for same_size in by_size.values() if len(same_size) > 1 for i in same_size)
    copies: dict[str, list[int]] = {}
    for i, key in zip(candidates, comparables([doc.lines[i].text for i in candidates], folded, single)):
        if key.count("|") < 2:
            copies.setdefault(key, []).append(i)
    later = {i: len(found) for found in copies.values() for i in found[1:]}
    glued = _glued_copies(doc, prose, words, folded, single, least)
    if not later:
        return take_lines(doc, rule, glued) if glued else doc
    order = [i for i, ln in enumerate(doc.lines) if ln.text.strip()]
    neighbours = {i: (order[n - 1] if n else None, order[n + 1] if n + 1 < len(order) else None)
                  for n, i in enumerate(order)}
    hits = [i for i, count in later.items()
            if count == 2 or any(j in later for j in neighbours[i])]
    return take_lines(doc, rule, sorted({*hits, *glued}))


def _glued_copies(doc: Document, prose: list[int], words: dict[str, int], folded: dict[str, str], single: set[str],
                  least: int) -> list[int]:
    """Lines of prose that are other lines of the text glued together (a page that prints
    its article once by paragraphs and once as one block): those that hold two or more
    other lines of prose and, of their own words, fewer than ``least`` outside the other
    lines (its subheadings are lines too). ``words``: the word count of each line's text."""
    long = [i for i in prose if words[doc.lines[i].text] >= 3 * least]
    if not long:
        return []
    keys = dict(zip(prose, comparables([doc.lines[i].text for i in prose], folded, single)))
    blocks = "\n".join(keys[i] for i in long)
    is_long = set(long)
    # the lines of prose found inside a long line other than themselves: most texts have none
    inside = [k for i, k in keys.items() if blocks.count(k) > (i in is_long)]
    if len(inside) < 2:
        return []
    texts = [i for i, ln in enumerate(doc.lines) if words[ln.text] >= 2]
    every = dict(zip(texts, comparables([doc.lines[i].text for i in texts], folded, single)))
    out = []
    for i in long:
        key = keys[i]
        if sum(1 for k in inside if len(k) < len(key) and k in key) < 2:
            continue
        covered = bytearray(len(key))
        for j, k in every.items():
            at = key.find(k) if j != i and len(k) < len(key) else -1
            if at >= 0:
                covered[at:at + len(k)] = b"\1" * len(k)
        # what is left: runs of words between the lines found, each of which may still be
        # part of another line (the block starts in the middle of a paragraph)
        rest = "".join("\n" if c else ch for c, ch in zip(covered, key)).split("\n")
        left = sum(len(run.split()) for run in map(str.strip, rest)
                   if run and not any(run in k for j, k in every.items() if j != i))
        if left < least:
            out.append(i)
    return out


@dataclass(frozen=True)
class DetectorSpec:
    """A detector: the function, its parameters' defaults (a rule's ``params`` must have
    their types), the parameters that are regular expressions (compiled when the rules
    are loaded, so a broken one is a rule-file error), of them those the detector matches in
    full against stripped lines only (``line_patterns``: the prefilter narrows down the lines
    each may match, `cleaner.matching.may_fullmatch`), and those with a fixed set of values.
    ``origin`` is empty for the shipped detectors; for a plugin's (`cleaner.plugins`), its
    distribution and version, or the function's qualified name: what `Cleaner.fingerprint`
    records of it."""
    run: Callable[[Document, Rule, Context], Document]
    defaults: dict[str, Any]
    patterns: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] | None = None
    origin: str = ""
    line_patterns: tuple[str, ...] = ()


DETECTORS: dict[str, DetectorSpec] = {
    "comment-thread": DetectorSpec(comment_thread, THREAD_DEFAULTS, patterns=("signature", "greeting", "next_line"),
                                   line_patterns=("signature", "greeting", "next_line"),
                                   choices={"signed": ("before", "after")}),
    "repeated-line": DetectorSpec(repeated_line, {"min_words": 3, "max_words": 60}),
    "title-repeat": DetectorSpec(title_repeat, {}),
    "repeated-paragraph": DetectorSpec(repeated_paragraph, {}),
    "headline": DetectorSpec(headline, {"min_words": 3, "max_words": 25, "before_prose": True}),
}
