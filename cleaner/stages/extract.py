"""Stage 2, extract HTML: the article's text and metadata out of a web page.

trafilatura finds the main text and the page's metadata (title, date,
authors, site name, canonical URL); `cleaner.htmlmeta` reads the title, date
and authors the page states itself, in the order that scores best. Its text becomes the document's input
text, one block (paragraph, heading, list item) a paragraph, with the comment section it separates appended after a
blank line and at once taken out under the id `EXTRACTED_COMMENTS`, so
comments never reach the body and are counted like any residue. The page's
metadata fills the fields first and is marked as ``given``: the text rules
still take bylines and date lines out of the body, but fill only the fields
the page did not give. Text input
passes through untouched. A page with no extractable text is rejected.
"""

from __future__ import annotations

from dataclasses import replace

import lxml.html
import trafilatura
from ftfy.fixes import fix_line_breaks

from ..document import Document, Line, Span
from ..engine import Context, set_field
from ..htmlmeta import page_meta

EXTRACTOR = f"trafilatura {trafilatura.__version__}"
#: The id under which the comment section that trafilatura separates is recorded.
EXTRACTED_COMMENTS = "X001"
#: Ids of removals made by code rather than by a rule file, with their names.
BUILTIN_RULES = {EXTRACTED_COMMENTS: "extracted-comment-section"}
STAGE = "extract_html"


def blocks(text: str | None) -> str:
    """trafilatura's text, one block (paragraph, heading, list item) a line,
    as paragraphs set off by blank lines."""
    return "\n\n".join(line for line in fix_line_breaks(text or "").split("\n") if line.strip())


def extract_html(doc: Document, ctx: Context) -> Document:
    if doc.format != "html":
        return doc
    try:
        found = trafilatura.bare_extraction(
            doc.text, include_comments=True, with_metadata=True, favor_precision=ctx.config.favor_precision,
        )
        meta = page_meta(lxml.html.fromstring(doc.text), found.date if found else None, found.author if found else None,
                         found.sitename if found else None)
    except Exception as e:  # lxml and trafilatura raise many kinds on broken pages
        return doc.reject(f"trafilatura could not parse this page ({type(e).__name__}: {e}); check that it is HTML")
    main = blocks(found.text) if found else ""
    if not main.strip():
        return doc.reject("trafilatura found no article text in this page; it may be empty, a list page or need JavaScript")
    comments = blocks(found.comments)
    text = main + ("\n\n" + comments if comments else "")
    lines = tuple(Line(no, t) for no, t in enumerate(text.split("\n"), 1))
    first_comment = len(main.split("\n")) + 2
    spans = tuple(
        Span(EXTRACTED_COMMENTS, STAGE, ln.no, ln.text.strip(), "drop") for ln in lines[first_comment - 1:] if ln.text.strip()
    )
    doc = replace(
        doc, text=text, lines=lines[: first_comment - 2], removed=doc.removed + spans, extractor=EXTRACTOR,
        url=found.url or None, site=found.sitename or None,
    )
    doc = set_field(doc, "title", meta.title)
    doc = set_field(doc, "date", meta.date)
    for name in meta.authors:
        doc = set_field(doc, "authors", name)
    return replace(doc, given=tuple(f for f in ("title", "date", "authors") if getattr(doc, f)))
