"""The one configuration object. Every CLI flag maps onto one of its fields."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    """How `cleaner` cleans. Defaults are what the shipped goldens are made with.

    regex_timeout:
        Seconds one rule may spend matching one line (or paragraph). A pattern
        that backtracks past it fails that document with the rule's id, and the
        run goes on. Lower it for hostile input; raise it only for huge lines.
    unescape_html:
        Turn HTML entities left in text (``AT&amp;T``) back into characters.
        Lines that also hold ``<`` are left alone (they may be markup on purpose).
    normalize_spaces:
        Replace Unicode spaces (no-break, thin, ideographic...) by a plain space
        and delete zero-width characters (ZWSP, word joiner, stray BOM, soft
        hyphen). ZWJ and ZWNJ stay: emoji and several scripts need them.
    prose_min_words:
        A line with at least this many words counts as prose. The head of a
        document is what comes before the first prose line, the tail what comes
        after the last; rules with ``where = "head"`` or ``"tail"`` act only there.
    max_file_bytes:
        Files larger than this are reported and skipped, not read. The same
        limit holds for what a gzip file inflates to.
    favor_precision:
        Ask trafilatura to favour precision over recall when extracting HTML.
    """

    regex_timeout: float = 1.0
    unescape_html: bool = True
    normalize_spaces: bool = True
    prose_min_words: int = 12
    max_file_bytes: int = 256 * 1024 * 1024
    favor_precision: bool = False
