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
from difflib import SequenceMatcher
from functools import cache

from ftfy.fixes import fix_line_breaks

from ..builtin import EXTRACTED_COMMENTS
from ..document import Document, Line, Span
from ..engine import SENTENCE_END, Context, set_field
from ..htmlmeta import page_meta
from ..timelimit import OverTime, cpu_limit

STAGE = "extract_html"


@cache
def extractor() -> str:
    """The extractor's name and version, as documents record it."""
    from importlib.metadata import version  # 16 ms to import: only a run with HTML pays it

    return f"trafilatura {version('trafilatura')}"


def blocks(text: str | None) -> str:
    """trafilatura's text, one block (paragraph, heading, list item) a line,
    as paragraphs set off by blank lines."""
    return "\n\n".join(line for line in fix_line_breaks(text or "").split("\n") if line.strip())


def extract(html: str, floor: float):
    """trafilatura run twice, as it is and with ``favor_precision``.

    The precise text wins unless it keeps less than ``floor`` of the default
    text's words (then it has cut the article, not its furniture); it then gets
    back the default text's sentences that it dropped from the article's
    interior (see `restore_interior`). See `Config.precision_floor`.
    """
    import trafilatura  # imported on the first page: a run over text never pays for it

    default = trafilatura.bare_extraction(html, include_comments=True, with_metadata=True)
    if floor > 1:
        return default
    precise = trafilatura.bare_extraction(html, include_comments=True, with_metadata=True, favor_precision=True)
    words = lambda d: len((d.text or "").split()) if d else 0  # noqa: E731
    if words(precise) and words(precise) >= floor * words(default):
        precise.text = restore_interior(default.text or "", precise.text or "")
        return precise
    return default


def restore_interior(default: str, precise: str) -> str:
    """The precise text, with the default text's sentences that it dropped
    between its own first and last lines put back in place.

    Precise extraction drops furniture at the edges of an article, which is
    right, and sometimes whole paragraphs inside it (a paragraph full of links),
    which is not. A line that only the default text has, standing between two
    lines both texts share and ending like a sentence, is such a paragraph.

    >>> restore_interior("Menu\\nOne.\\nTwo, with links.\\nThree.\\nShare", "One.\\nThree.")
    'One.\\nTwo, with links.\\nThree.'
    """
    a = [line.strip() for line in default.split("\n") if line.strip()]
    b = [line.strip() for line in precise.split("\n") if line.strip()]
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    kept_in_a = [i for tag, i1, i2, j1, j2 in ops if tag == "equal" for i in range(i1, i2)]
    if not kept_in_a:
        return precise
    lo, hi = kept_in_a[0], kept_in_a[-1]
    out = []
    for tag, i1, i2, j1, j2 in ops:
        if tag in ("delete", "replace"):
            out.extend(a[i] for i in range(i1, i2) if lo < i < hi and SENTENCE_END.search(a[i]))
        out.extend(b[j1:j2])
    return "\n".join(out)


def extract_html(doc: Document, ctx: Context) -> Document:
    if doc.format != "html":
        return doc
    import lxml.html

    try:
        with cpu_limit(ctx.config.html_timeout):
            found = extract(doc.text, ctx.config.precision_floor)
            meta = page_meta(lxml.html.fromstring(doc.text), found.date if found else None,
                             found.author if found else None, found.sitename if found else None)
    except OverTime:
        return doc.reject(f"extracting this page took over {ctx.config.html_timeout:g} s of CPU time, so it was "
                          "stopped; raise --html-timeout if the page is genuine")
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
        doc, text=text, lines=lines[: first_comment - 2], removed=doc.removed + spans, extractor=extractor(),
        url=found.url or None, site=found.sitename or None, text_kind="article",  # an extractor's output
    )
    doc = set_field(doc, "title", meta.title)
    doc = set_field(doc, "date", meta.date)
    for name in meta.authors:
        doc = set_field(doc, "authors", name)
    return replace(doc, given=tuple(f for f in ("title", "date", "authors") if getattr(doc, f)))
