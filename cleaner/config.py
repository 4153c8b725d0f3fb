"""The one configuration object. Every CLI flag maps onto one of its fields."""

from __future__ import annotations

from dataclasses import dataclass, fields

#: What a text input may be taken for (`Config.text_kind`).
TEXT_KINDS = ("auto", "whole-page", "article")


@dataclass(frozen=True)
class Config:
    """How `cleaner` cleans. Defaults are what the shipped goldens are made with.

    regex_timeout:
        CPU seconds one rule may spend matching one line (or paragraph). A pattern
        that backtracks past it is stopped within 1.5 times it (`cleaner.timelimit.watchdog`)
        and fails that document with the rule's id, and the run goes on. Lower it
        for hostile input; raise it only for huge lines.
    html_timeout:
        CPU seconds extracting one HTML page may take (`cleaner.timelimit`): a
        page that keeps the extractor busy longer fails with that reason, and the
        run goes on. Ordinary pages take well under a second.
    unescape_html:
        Turn HTML entities left in text (``AT&amp;T``) back into characters.
        Lines that also hold ``<`` are left alone (they may be markup on purpose).
    normalize_spaces:
        Replace Unicode spaces (no-break, thin, ideographic...) by a plain space
        and delete zero-width characters (ZWSP, word joiner, stray BOM, soft
        hyphen). ZWJ and ZWNJ stay: emoji and several scripts need them.
    nfc:
        Compose the text into Unicode normalization form C (``e`` + combining acute
        becomes ``é``), as trafilatura and most tools downstream expect. Composition
        only: no compatibility mapping (NFKC), so ligatures, full-width forms,
        superscripts and typography stay as written. Each line changed is recorded in
        ``repairs`` (``nfc``).
    prose_min_words:
        A line with at least this many words counts as prose. The head of a
        document is what comes before the first prose line, the tail what comes
        after the last; rules with ``where = "head"`` or ``"tail"`` act only there.
    max_file_bytes:
        Files larger than this are reported and skipped, not read. The same
        limit holds for what a gzip file inflates to.
    precision_floor:
        How HTML is extracted. trafilatura runs once, with its defaults; when
        its text looks like page furniture (a layout table, a list of links,
        far more than the page's paragraphs hold: `cleaner.stages.extract`), it
        runs again with ``favor_precision``, whose text is used unless it keeps
        less than this share of the first one's article words (its words but the
        texts of the page's links, no more than the page's paragraphs hold: then it
        has cut the article, not its furniture). Above 1, the second run is never made
        (docs/html.md).
    max_unproven_cut:
        The share of a document's words that a section cut (a rule with ``scope =
        "rest"``: a comment heading and everything below it) may take on the word of
        its heading alone. A larger cut fires only with evidence of its own: the rule's
        ``evidence`` lines (greetings, signatures) found in the section, a heading that
        only a comment section has (``conclusive = true``), or at least
        ``article_min_prose`` lines of prose above the heading (the article, which the
        heading ends). A comment counter above an article ("53 Comments" under the
        headline, or beside the first paragraph) is a counter, not a heading: without
        this, the article under it would go.
    article_min_prose:
        See ``max_unproven_cut``.
    text_kind:
        What a text input is: ``"whole-page"`` (every visible string of a page,
        menus and all), ``"article"`` (an extractor's output, or a clean
        article), or ``"auto"``: told per document (`cleaner.pagekind.is_whole_page`).
        Only whole pages go through the page classifier (`cleaner.page`).
    page_*:
        The page classifier's thresholds (`cleaner.page`,
        docs/whole-page.md). A prose line has at least ``page_prose_min_words`` words or, in a
        script without spaces, ``page_prose_min_size`` characters (one of those
        counting as three), ends like a sentence, has at least
        ``page_min_stop_density`` stop words when the page's language has a
        stop list (one that holds ``page_stoplist_fit`` of its words), and less
        than ``page_max_link_share`` of links. Every other line costs the
        main text ``page_gap_penalty`` characters, and a line right below
        furniture the rules took out at an article's edge (``page_edge``
        rules) costs that again. Inside it, a line of
        ``page_heading_words`` words right above prose is a heading, and a
        sentence of ``page_short_sentence_words`` words stays, and so does a paragraph
        of ``page_paragraph_words`` words with a sentence ending inside it, though it
        does not end like one, unless it ends as a caption does, with a credit of
        ``page_credit_words`` words at most after its last sentence. A text is a
        whole page when ``page_menu_above`` menu lines (a few words,
        ``page_menu_words`` at most, not a sentence, not a list item) are above its
        main text, or ``page_menu_lines`` are outside it with one above it, and
        ``page_menu_run`` of them stand in a row (a navigation bar); ``page_menu_run``
        or more in a row with prose right above and below are a list inside the
        article, and do not count. Above the main
        text, the lead stays: up to ``page_lead_lines`` lines right below the
        headline (a line that is the document's title, which the rules took out),
        each a sentence of ``page_lead_words`` words or more or prose; up to
        ``page_lead_skip`` lines of a few words (a name, a counter) may stand
        between the headline and the lead. Of the ``page_head_lines`` lines right
        above the main text, those that a date or byline rule of ``split_metadata``
        matches whole go to ``date`` and ``authors`` (the article's head), with that
        rule's id; the last date of that head is the document's date (a news site
        prints the date of the day at the top of the page).
    """

    regex_timeout: float = 1.0
    html_timeout: float = 20.0
    unescape_html: bool = True
    normalize_spaces: bool = True
    nfc: bool = True
    prose_min_words: int = 12
    max_file_bytes: int = 256 * 1024 * 1024
    precision_floor: float = 0.5
    max_unproven_cut: float = 1 / 3
    article_min_prose: int = 3
    text_kind: str = "auto"
    page_prose_min_words: int = 12
    page_prose_min_size: int = 120
    page_min_stop_density: float = 0.2
    page_stoplist_fit: float = 0.15
    page_max_link_share: float = 0.5
    page_gap_penalty: int = 60
    page_heading_words: tuple[int, int] = (2, 15)
    page_short_sentence_words: int = 3
    page_menu_words: int = 4
    page_menu_above: int = 6
    page_menu_lines: int = 10
    page_menu_run: int = 3
    page_paragraph_words: int = 40
    page_credit_words: int = 8
    page_lead_lines: int = 3
    page_lead_words: int = 5
    page_lead_skip: int = 2
    page_head_lines: int = 8

    def __post_init__(self) -> None:
        if self.text_kind not in TEXT_KINDS:
            raise ValueError(f"text_kind is {self.text_kind!r}; use one of {', '.join(TEXT_KINDS)}")
        for f in fields(self):
            _check(f.name, getattr(self, f.name), f.default)


#: The settings that are shares of a whole, from 0 to 1.
SHARES = frozenset(("max_unproven_cut", "page_min_stop_density", "page_stoplist_fit", "page_max_link_share"))
#: The settings that must be above 0 (a time limit or size of 0 would fail every document).
POSITIVE = frozenset(("regex_timeout", "html_timeout", "max_file_bytes"))


def _check(name: str, value: object, default: object) -> None:
    """Refuse a setting of the wrong type or out of its range, with a sentence naming it
    (a library user's `Config` is not checked by the command line's options)."""
    if isinstance(default, bool):
        ok, kind = isinstance(value, bool), "True or False"
    elif isinstance(default, int):
        ok, kind = isinstance(value, int) and not isinstance(value, bool), "a whole number"
    elif isinstance(default, float):
        ok, kind = isinstance(value, (int, float)) and not isinstance(value, bool), "a number"
    elif isinstance(default, tuple):
        ok = (isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) and v >= 0 for v in value)
              and value[0] <= value[1])
        kind = "a pair of whole numbers (lowest, highest)"
    else:
        return
    if ok and not isinstance(value, (bool, tuple)):
        if value < 0 or (name in POSITIVE and value <= 0):
            ok, kind = False, "above 0" if name in POSITIVE else "0 or more"
        elif name in SHARES and value > 1:
            ok, kind = False, "a share from 0 to 1"
    if not ok:
        raise ValueError(f"Config.{name} is {value!r}; it must be {kind} (default {default!r})")
