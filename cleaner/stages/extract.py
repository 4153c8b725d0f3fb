"""Stage 2, extract HTML: the article's text and metadata out of a web page.

The page is parsed once (`parse`); `cleaner.htmlmeta` reads the title, date and
authors it states itself from that tree before anything else touches it, and
trafilatura works on the same tree (it copies a tree it is given). Its text
becomes the document's input text, one block (paragraph, heading, list item) a
paragraph, with the comment section it separates appended after a blank line
and at once taken out under the id `EXTRACTED_COMMENTS`, so comments never
reach the body and are counted like any residue. The page's metadata fills the
fields first and is marked as ``given``: the text rules still take bylines and
date lines out of the body, but fill only the fields the page did not give.
Text input passes through untouched.

trafilatura runs once, with its defaults (which include its own fallbacks:
readability, jusText, its baseline). Two cases get more (`extract`):

- its text is, or holds, page furniture (`furniture`: a layout table, a list of
  links, far more words than the page's paragraphs hold): trafilatura runs again
  with ``favor_precision``, whose text is taken unless it keeps less than
  `Config.precision_floor` of the first one's article words (`article_words`:
  its words but the link texts, no more than the page's paragraphs hold; then
  it has cut the article, not its furniture); above 1, the second run is never made;
- the page is a feed of articles (`later_articles`: a page that appends the next
  stories as the reader scrolls sets each in an ``<article>`` of its own, with its
  own ``<h1>`` and paragraphs): trafilatura runs again on the page without the
  articles after the first, the one the page is about (its ``<h1>`` is the title);
- it finds nothing: trafilatura runs again with ``favor_recall``; if that finds
  nothing either, the page's visible text (`visible_text`) is taken, marked as
  whole-page text (``text_kind``), for the page classifier to cut down.

A page whose tree reaches lxml's limit on how deep elements nest (256,
`at_depth_limit`) is parsed again without it (`parse` with ``deep``, up to 2,048): a
page of unclosed tags (a forum that opens a ``<div>`` per reply and never closes it)
nests its text deeper than that, and lxml leaves the rest of the page out of the tree. A page with no visible text at all is rejected
with that reason.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache

import regex
from ftfy.fixes import fix_line_breaks

from ..builtin import EXTRACTED_COMMENTS
from ..document import Document, Line, Span
from ..context import Context
from ..edits import set_field
from ..htmlmeta import statements
from ..timelimit import OverTime, cpu_limit

STAGE = "extract_html"

#: An XML declaration opening the page: lxml refuses a ``str`` that carries one.
XML_DECLARATION = regex.compile(r"\A\ufeff?\s*<\?xml[^>]*>")
#: trafilatura's text is taken for furniture when more than this share of its words
#: are in table rows (a layout table holding the whole page) ...
TABLE_SHARE = 0.5
#: ... or are the texts of the page's links (a "related links" list, a menu) ...
LINK_SHARE = 0.3
#: ... or outnumber this many times the words of the page's paragraphs (``<p>``): the
#: text holds more than the article (teasers, lists, a layout table around it) ...
PARAGRAPH_EXCESS = 1.1
#: ... on a page that sets its text in paragraphs: when they hold less than this share
#: of it, the comparison says nothing.
PARAGRAPH_SHARE = 0.2
#: An ``<article>`` of a feed holds at least this many words in its paragraphs: a
#: story, not a teaser card with a headline.
FEED_STORY_WORDS = 50
#: What separates the links of one line ("Headline — Source", "Home | News").
LINK_SEPARATORS = regex.compile(r"\s+[—–·•|-]\s+|\s*\|\s*")
#: Elements whose text a reader does not see.
UNSEEN = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "iframe",
                    "object", "select", "option", "textarea"})
#: Elements that start a line of their own.
BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
                    "th", "table", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote",
                    "pre", "br", "hr", "form", "figure", "figcaption", "address", "details", "summary", "caption"})


@cache
def extractor() -> str:
    """The extractor's name and version, as documents record it."""
    from importlib.metadata import version  # 16 ms to import: only a run with HTML pays it

    return f"trafilatura {version('trafilatura')}"


#: What `Document.extractor` says when the page's visible text was taken.
VISIBLE_TEXT = "visible text"


@dataclass(frozen=True)
class Extraction:
    """What came out of a page: its text, comments and trafilatura's metadata, what
    the text is taken for (``kind``: ``"article"`` or ``"whole-page"``) and who made it."""

    text: str
    comments: str = ""
    date: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    kind: str = "article"
    by: str = ""


def blocks(text: str | None) -> str:
    """Text one block (paragraph, heading, list item) a line, as paragraphs set off by blank lines.

    >>> blocks("One.\\n\\n  \\nTwo.")
    'One.\\n\\nTwo.'
    """
    return "\n\n".join(line for line in fix_line_breaks(text or "").split("\n") if line.strip())


def parse(html: str, deep: bool = False):
    """The page as an lxml tree, parsed as trafilatura parses it (`trafilatura.load_html`),
    its XML declaration taken off first; a fragment trafilatura does not take for HTML
    (no ``<html>``, one element) is parsed as a document all the same. ``deep``: with
    lxml's ``huge_tree``, which keeps elements nested deeper than 256 (up to 2,048)."""
    import lxml.html
    import trafilatura  # imported on the first page: a run over text never pays for it

    html = XML_DECLARATION.sub("", html, count=1)
    if deep:
        return lxml.html.document_fromstring(html, parser=_deep_parser())
    tree = trafilatura.load_html(html)
    return tree if tree is not None else lxml.html.document_fromstring(html)


#: lxml's default limit on how deep elements nest.
DEPTH_LIMIT = 256


def at_depth_limit(tree) -> bool:
    """Does the tree nest elements (nearly) as deep as lxml's limit? One pass of XPath
    over the elements, level by level."""
    return _depth_probe()(tree)


@cache
def _depth_probe():
    import lxml.etree

    return lxml.etree.XPath("boolean(/*" + "/*" * (DEPTH_LIMIT - 6) + ")")


@cache
def _deep_parser():
    import lxml.html

    return lxml.html.HTMLParser(huge_tree=True, collect_ids=False, remove_comments=True, remove_pis=True)


@dataclass(frozen=True)
class PageText:
    """What `furniture` compares an extractor's text with: the texts of the page's links,
    white space collapsed, and the number of words in its paragraphs (``<p>``)."""

    links: frozenset[str]
    paragraph_words: int

    @classmethod
    def of(cls, tree) -> PageText:
        links = frozenset(t for t in (" ".join(a.text_content().split()) for a in tree.iter("a")) if t)
        return cls(links, sum(len(p.text_content().split()) for p in tree.iter("p")))


def _measure(text: str, page: PageText) -> tuple[int, int, int]:
    """The words of an extractor's text: all of them, those in table rows, those that
    are the texts of the page's links (each line read as links set off by `LINK_SEPARATORS`)."""
    total = table = linked = 0
    for line in text.split("\n"):
        line = " ".join(line.split())
        words = len(line.split())
        total += words
        table += words if line.startswith("|") else 0
        parts = LINK_SEPARATORS.split(line.removeprefix("- "))
        linked += sum(len(part.split()) for part in parts if part in page.links)
    return total, table, linked


def _paragraphs_tell(total: int, page: PageText) -> bool:
    """Whether the page sets its text in paragraphs: they hold at least `PARAGRAPH_SHARE` of it."""
    return 0 < total <= page.paragraph_words / PARAGRAPH_SHARE


def furniture(text: str, page: PageText) -> bool:
    """Whether an extractor's text is, or holds, page furniture: more than `TABLE_SHARE`
    of its words in table rows, more than `LINK_SHARE` of them the texts of the page's
    links (each line read as links set off by `LINK_SEPARATORS`), or more than
    `PARAGRAPH_EXCESS` times the words of the page's paragraphs (when these hold at
    least `PARAGRAPH_SHARE` of its words).

    >>> links = PageText(frozenset({"Bridge to close", "Ferry back"}), 100)
    >>> furniture("- Bridge to close — City News\\n- Ferry back — Port Daily", links)
    True
    >>> furniture("The council voted to close the bridge, said the Bridge to close campaign.", links)
    False
    >>> furniture("The council voted to close the bridge for six months.", PageText(frozenset(), 5))
    True
    >>> furniture("The council voted to close the bridge for six months.", PageText(frozenset(), 1))
    False
    """
    total, table, linked = _measure(text, page)
    return total > 0 and (table > TABLE_SHARE * total or linked > LINK_SHARE * total
                          or (PARAGRAPH_EXCESS * page.paragraph_words < total and _paragraphs_tell(total, page)))


def article_words(text: str, page: PageText) -> int:
    """The words of an extractor's text that `furniture`'s measures leave to the article:
    all of them but the texts of the page's links, and no more than the page's paragraphs
    hold (on a page that sets its text in paragraphs). Words in table rows stay: a layout
    table holds the article too.

    A second run that trims furniture is judged against this, not against the whole first
    text: a text that is four fifths menus or a photo gallery's captions is not cut down
    to an article of a fifth of its size by a run that "keeps too little".

    >>> links = PageText(frozenset({"Home", "News"}), 100)
    >>> article_words("Home\\nNews\\nThe bridge closes for six months.", links)
    6
    >>> article_words("The bridge closes for six months.", PageText(frozenset(), 2))
    2
    >>> article_words("The bridge closes for six months.", PageText(frozenset(), 1))
    6
    """
    total, _, linked = _measure(text, page)
    return min(total - linked, page.paragraph_words) if _paragraphs_tell(total, page) else total - linked


def _stories(tree) -> list:
    """The page's outermost ``<article>`` elements that hold an ``<h1>`` and at least
    `FEED_STORY_WORDS` words in paragraphs, in page order."""
    return [a for a in tree.iter("article")
            if next(a.iterancestors("article"), None) is None and a.find(".//h1") is not None
            and sum(len(p.text_content().split()) for p in a.iter("p")) >= FEED_STORY_WORDS]


def later_articles(tree) -> list:
    """The stories a feed of articles appends after its first (see `_stories`); none
    when the page holds one story. The first is the one the page is about: a page
    that loads the next stories as its reader scrolls puts them below it.

    >>> import lxml.html
    >>> story = "<article><h1>{}</h1><p>" + "word " * 60 + "</p></article>"
    >>> page = lxml.html.fromstring("<html><body>" + story.format("One") + story.format("Two") + "</body></html>")
    >>> [a.findtext(".//h1") for a in later_articles(page)]
    ['Two']
    >>> later_articles(lxml.html.fromstring("<html><body>" + story.format("One") + "<article><h1>Card</h1></article>"
    ...                                     "</body></html>"))
    []
    """
    return _stories(tree)[1:]


def first_article_only(tree):
    """A copy of the page without the stories `later_articles` finds."""
    tree = copy.deepcopy(tree)
    for story in later_articles(tree):
        story.getparent().remove(story)
    return tree


def visible_text(tree) -> str:
    """The text a reader of the page sees, one block element a paragraph: every string
    of the body but those of scripts, styles and the like (`UNSEEN`).

    >>> import lxml.html
    >>> visible_text(lxml.html.fromstring("<html><body><nav><a>Home</a> <a>News</a></nav><script>x()</script>"
    ...                                   "<p>The bridge <b>closes</b> today.</p></body></html>"))
    'Home News\\n\\nThe bridge closes today.'
    """
    body = tree.find(".//body")
    parts: list[str] = []
    stack = [(body if body is not None else tree, False)]  # (element, whether it is being closed)
    while stack:  # a loop, not a recursion: a hostile page nests elements deeply
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""  # a comment's or a processing instruction's is not
        if tag in BLOCKS:
            parts.append("\n")
        if closing or not tag or tag in UNSEEN:
            parts.append(el.tail or "")
            continue
        parts.append(el.text or "")
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    return "\n\n".join(" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip())


def _words(found) -> int:
    return len((found.text or "").split()) if found else 0


def extract(tree, floor: float) -> Extraction | None:
    """The page's text, by the first of these that gives some (see the module's doc):
    trafilatura (on the first story alone on a feed of articles, with ``favor_precision``
    when its text is furniture), trafilatura with
    ``favor_recall``, the page's visible text."""
    import trafilatura

    def run(**how):
        return trafilatura.bare_extraction(tree, include_comments=True, **how)

    meta = found = run(with_metadata=True)
    if _words(found) and later_articles(tree):
        tree = first_article_only(tree)  # the metadata is the whole page's
        first = run()
        found = first if _words(first) else found
    page = PageText.of(tree) if _words(found) and floor <= 1 else None
    if page is not None and furniture(found.text, page):
        precise = run(favor_precision=True)  # the metadata is the first run's
        if _words(precise) and _words(precise) >= floor * article_words(found.text, page):
            found = precise
    if not _words(found):
        meta = found = run(favor_recall=True, with_metadata=True)
    kind, by = "article", extractor()
    if not _words(found):
        found = None
        kind, by = "whole-page", VISIBLE_TEXT
    main = blocks(found.text) if found else visible_text(tree)
    if not main:
        return None
    meta = meta or trafilatura.extract_metadata(tree)
    return Extraction(main, blocks(found.comments) if found else "", meta.date, meta.author, meta.sitename or None,
                      meta.url or None, kind, by)


def extract_html(doc: Document, ctx: Context) -> Document:
    if doc.format != "html":
        return doc
    try:
        with cpu_limit(ctx.config.html_timeout):
            tree = parse(doc.text)
            if at_depth_limit(tree):  # lxml left out what is nested deeper
                tree = parse(doc.text, deep=True)
            said = statements(tree)  # before the extractor has the tree
            found = extract(tree, ctx.config.precision_floor)
    except OverTime:
        return doc.reject(f"extracting this page took over {ctx.config.html_timeout:g} s of CPU time, so it was "
                          "stopped; raise --html-timeout if the page is genuine")
    except Exception as e:  # lxml and trafilatura raise many kinds on broken pages
        return doc.reject(f"this page could not be parsed as HTML ({type(e).__name__}: {e}); check that it is HTML")
    if found is None:
        return doc.reject("this page has no visible text; it may be empty or need JavaScript to show its text")
    text = found.text + ("\n\n" + found.comments if found.comments else "")
    lines = tuple(Line(no, t) for no, t in enumerate(text.split("\n"), 1))
    first_comment = len(found.text.split("\n")) + 2
    spans = tuple(
        Span(EXTRACTED_COMMENTS, STAGE, ln.no, ln.text.strip(), "drop") for ln in lines[first_comment - 1:] if ln.text.strip()
    )
    doc = doc.changed(text=text, lines=lines[: first_comment - 2], removed=doc.removed + spans, extractor=found.by,
                      url=found.url, site=found.site, text_kind=found.kind,
                      text_kind_evidence="the extractor found no article: the page's visible text"
                      if found.kind == "whole-page" else None)
    meta = said.resolve(found.date, found.author, found.site)
    doc = set_field(doc, "title", meta.title)
    doc = set_field(doc, "date", meta.date)
    for name in meta.authors:
        doc = set_field(doc, "authors", name)
    return doc.changed(given=tuple(f for f in ("title", "date", "authors") if getattr(doc, f)))
