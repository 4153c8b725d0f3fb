"""Stage 5, detect language: the language of the text, recorded as ``lang``.

Told from the repaired text by its script and its stop words (`cleaner.language`); the
rules that name their ``languages`` apply only where it is one of them, or not told.
"""

from __future__ import annotations

from ..document import Document
from ..engine import Context
from ..language import detect


def detect_language(doc: Document, ctx: Context) -> Document:
    return doc.changed(lang=detect(doc.text or "", ctx.config))
