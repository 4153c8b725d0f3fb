"""A web page's own metadata: title, publication date and authors.

Pages state their metadata in several places, and they do not always agree.
The order below is the one that scored best on the evaluation corpora (see
docs/html.md); the first source that gives a usable value wins:

- title: the visible headline (the first ``<h1>`` with at least three words),
  then the JSON-LD article's ``headline``, then ``og:title``, then ``<title>``;
- date: the JSON-LD article's ``datePublished``, then microdata
  (``itemprop="datePublished"``), then ``article:published_time`` and its kin,
  then trafilatura's date;
- authors: the JSON-LD article's authors, then trafilatura's.

"The JSON-LD article" is the outermost JSON-LD object whose type is an
article, a post or a web page (a live blog's own updates are nested inside it).
Author lists are cleaned: names are split on ``;``, ``,`` and ``and``;
duplicates that differ only in case or in a slug's hyphens go; URL fragments
and the site's or publisher's own name go.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

import regex

from .dates import to_iso
from .text import normal

ARTICLE_TYPE = regex.compile(r"(?i)article|posting|report|blog|webpage")
DATE_META = (
    "article:published_time", "og:published_time", "article:published", "pubdate",
    "publish-date", "publishdate", "date", "dc.date", "dc.date.issued", "sailthru.date",
)
URLISH = regex.compile(r"(?i)https?\b|\bwww\b|\.(?:com|org|net)\b|/")
AUTHOR_SEPARATORS = regex.compile(r"\s*(?:;|,|&|\band\b)\s*")


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    date: str | None = None
    authors: tuple[str, ...] = ()


def jsonld(scripts) -> list[Any]:
    """The JSON-LD data of a page's ``<script type="application/ld+json">`` elements."""
    out = []
    for script in scripts:
        try:
            out.append(json.loads(script.text or "", strict=False))
        except ValueError:
            continue
    return out


def _walk(x: Any, depth: int = 0) -> Iterator[tuple[int, dict]]:
    if isinstance(x, dict):
        yield depth, x
        for v in x.values():
            yield from _walk(v, depth + 1)
    elif isinstance(x, list):
        for v in x:
            yield from _walk(v, depth + 1)


def _types(d: dict) -> str:
    t = d.get("@type")
    return " ".join(map(str, t)) if isinstance(t, list) else str(t or "")


def articles(data: list[Any]) -> list[dict]:
    """JSON-LD objects of an article type, outermost first."""
    found = [(depth, n, d) for n, (depth, d) in enumerate(_walk(data)) if ARTICLE_TYPE.search(_types(d))]
    return [d for _, _, d in sorted(found, key=lambda x: (x[0], x[1]))]


def _names(x: Any) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return _names(x.get("name"))
    if isinstance(x, list):
        return [n for item in x for n in _names(item)]
    return []


def _text(node) -> str:
    return " ".join(node.text_content().split())


def clean_authors(names: list[str], not_authors: set[str]) -> tuple[str, ...]:
    """Split, de-duplicate and filter a list of author names (see the module's doc)."""
    out: list[str] = []
    keys: set[str] = set()
    for name in names:
        for part in AUTHOR_SEPARATORS.split(name or ""):
            part = " ".join(part.split()).strip(" .")
            key = normal(part.replace("-", " "))
            if not key or key in keys or key in not_authors or URLISH.search(part) or len(key.split()) > 6:
                continue
            keys.add(key)
            out.append(part)
    return tuple(out)


@dataclass(frozen=True)
class Statements:
    """What the page states itself, read from its tree before the extractor runs
    (an extractor may change the tree it is given): the title and date it gives,
    the JSON-LD article's author names, and the names that are not authors (the
    publisher's, ``og:site_name``). `resolve` completes them with the extractor's
    date, authors and site name."""

    title: str | None = None
    date: str | None = None
    author_names: tuple[str, ...] = ()
    not_authors: frozenset[str] = frozenset()

    def resolve(self, fallback_date: str | None = None, fallback_authors: str | None = None,
                site: str | None = None) -> PageMeta:
        """The page's metadata: its own statements first, the extractor's after them."""
        not_authors = self.not_authors | ({normal(site)} if normal(site or "") else set())
        authors = clean_authors(list(self.author_names), not_authors) or clean_authors(
            (fallback_authors or "").split(";"), not_authors)
        return PageMeta(self.title, self.date or fallback_date, authors)


#: The elements `statements` reads, found in one pass over the page.
STATED = ('//meta | //h1 | //title | //script[@type="application/ld+json"] | //*[@itemprop="datePublished"]')


def statements(tree) -> Statements:
    """What a parsed page (an lxml tree) states itself, in the order above."""
    found: dict[str, list] = {"meta": [], "h1": [], "title": [], "script": [], "item": []}
    for el in tree.xpath(STATED):
        if el.get("itemprop") == "datePublished":
            found["item"].append(el)
        if el.tag in found and (el.tag != "script" or el.get("type") == "application/ld+json"):
            found[el.tag].append(el)
    data = articles(jsonld(found["script"]))

    def first(key: str) -> Any:
        return next((d[key] for d in data if d.get(key)), None)

    metas: dict[str, str] = {}  # a <meta>'s property or name: its first non-empty content
    for el in found["meta"]:
        content = (el.get("content") or "").strip()
        for key in (el.get("property"), el.get("name")):
            if key and content and key not in metas:
                metas[key] = content

    def meta(*names: str) -> str | None:
        return next((metas[name] for name in names if name in metas), None)

    h1 = next((t for t in (_text(h) for h in found["h1"]) if len(t.split()) >= 3), None)
    headline = first("headline")
    titles = [t.text for t in found["title"] if t.text]
    title = h1 or (headline.strip() if isinstance(headline, str) else None) or meta("og:title") or (
        " ".join(titles[0].split()) if titles else None)

    published = first("datePublished")
    item = [v for el in found["item"] for v in (el.get("content"), el.get("datetime")) if v is not None]
    # the first that is a calendar date of the web's years: a placeholder ("0001-01-01", a
    # CMS's default for no date) gives way to the next statement, then to the extractor's
    stated = [published if isinstance(published, str) else None, *item,
              *(metas[name] for name in DATE_META if name in metas)]
    date = next((d for d in stated if d and to_iso(d)), None)

    not_authors = frozenset(normal(n) for n in _names(first("publisher")) + [meta("og:site_name") or ""] if normal(n))
    return Statements(title, date, tuple(_names(first("author"))), not_authors)


def page_meta(tree, fallback_date: str | None = None, fallback_authors: str | None = None,
              site: str | None = None) -> PageMeta:
    """The title, date and authors a parsed page (an lxml tree) gives, in the order above."""
    return statements(tree).resolve(fallback_date, fallback_authors, site)
