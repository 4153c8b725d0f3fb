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
    precision_floor:
        How HTML is extracted. trafilatura runs twice, as it is and with
        ``favor_precision``; the precise text is used, with the sentences it
        dropped from inside the article put back, unless it keeps less than
        this share of the other's words (then it has cut the article, not its
        furniture, and the default text is used). 0 always takes the precise
        text; above 1, never. Any value from 0.4 to 0.6 scored the same on the
        evaluation corpora, and best (README, accuracy section).
    """

    regex_timeout: float = 1.0
    unescape_html: bool = True
    normalize_spaces: bool = True
    prose_min_words: int = 12
    max_file_bytes: int = 256 * 1024 * 1024
    precision_floor: float = 0.5
