"""Stage 5, detect language: the language of the text, recorded as ``lang``.

Told from the repaired text by its script and its stop words (`cleaner.language`); the
rules that name their ``languages`` apply only where it is one of them, or not told.
A document that comes with its ``lang`` (from a language identifier upstream, or a
cleaned document cleaned again) keeps it: the language is not told again from a text
the first cleaning made shorter.
"""

from __future__ import annotations

from ..document import Document
from ..context import Context
from ..language import detect


def detect_language(doc: Document, ctx: Context) -> Document:
    if doc.lang is not None:
        return doc
    return doc.changed(lang=detect(doc.text or "", ctx.config))
