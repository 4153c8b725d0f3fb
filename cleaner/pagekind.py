"""Whole page or article: what only a page's text has, a navigation bar.

A naive scraper's text of a page holds its menus; an extractor's output, a
clean article, holds none. A menu line is a few words that are not a sentence,
nor a list item, an amount, a table row or code (`is_menu_line`); a text is a
whole page when enough of them stand outside its main text (`cleaner.page`),
above it or in a row (`whole_page_evidence`), but for a list the article itself
holds between two paragraphs. `may_be_whole_page` tells most articles at once,
without reading the page.
"""

from __future__ import annotations

import re

import regex

from .config import Config
from .page import LineFeatures, Page, sentence_end


def is_menu_line(f: LineFeatures, config: Config) -> bool:
    """A menu item, a tag, a section name: a few words (white-space separated, as
    `menu_lines` counts them) that are not a sentence, nor a row of a table (whose cells
    are set off by bars)."""
    return looks_like_menu(f.text, len(f.text.split()), config)


#: The start of an item of a list or a table that an article holds: a bullet, a dash, a
#: number or an amount ("- Buses", "1 teaspoon salt", "4", "10 min").
LIST_ITEM = regex.compile(r"[-*•·–—>+]|\d")
#: What a line of code or markup has and a menu's link text has not.
CODE = regex.compile(r"[;={}]|\w\(")
#: What every `CODE` holds one of: a text without any has none.
MAY_BE_CODE = re.compile(r"[;={}(]")


def looks_like_menu(text: str, words: int, config: Config) -> bool:
    """`is_menu_line` of a stripped text with ``words`` white-space separated words: a
    few words, not a sentence, not a row of a table, not an item of a list, not code."""
    return (1 <= words <= config.page_menu_words and text.count("|") < 2 and not sentence_end(text)
            and not LIST_ITEM.match(text) and not (MAY_BE_CODE.search(text) and CODE.search(text)))


def may_be_whole_page(texts: list[str], words: list[int], config: Config) -> bool:
    """Can `is_whole_page` hold for these lines (``words``: white-space separated words of
    each)? Not with fewer menu lines in all than it needs above the main text: most
    articles are told at once, without reading the page."""
    menus = 0
    for text, n in zip(texts, words):
        if looks_like_menu(text.strip(), n, config):
            menus += 1
            if menus >= min(config.page_menu_above, config.page_menu_lines):
                return True
    return False


def is_whole_page(page: Page, config: Config) -> bool:
    """Is this the whole text of a page rather than an article? A page's navigation is
    above its article: at least ``config.page_menu_above`` menu lines (`is_menu_line`)
    above the main text, or ``config.page_menu_lines`` outside it with one above it or
    with ``config.page_menu_above`` of them in a row (a blog's sidebar, below its post);
    and in every case a navigation bar, ``config.page_menu_run`` menu lines in a row
    outside the main text. An extractor's output has its lists, tables, headings and quotes inside
    or below the article, one by one or as items of a list, not as a bar of links above it.
    """
    return whole_page_evidence(page, config) is not None


def whole_page_evidence(page: Page, config: Config) -> str | None:
    """Why `is_whole_page` holds, in words (recorded in the document), or None."""
    region = page.region
    menus = [i for i, f in enumerate(page.features) if i not in region and is_menu_line(f, config)]
    menus = _outside_prose(menus, page.prose, config.page_menu_run)
    above = sum(1 for i in menus if i < region.start)
    bar = run = 0
    for previous, i in zip([None, *menus], menus):
        run = run + 1 if previous is not None and i == previous + 1 else 1
        bar = max(bar, run)
    if bar < config.page_menu_run:
        return None
    if above >= config.page_menu_above:
        return f"{above} menu lines above the main text, {bar} in a row"
    if len(menus) >= config.page_menu_lines and (above >= 1 or (region and bar >= config.page_menu_above)):
        return f"{len(menus)} menu lines around the main text, {bar} in a row"
    return None


def _outside_prose(menus: list[int], prose: list[bool], least: int) -> list[int]:
    """The menu lines of ``menus`` (ascending indexes) but those of a run of at least
    ``least`` that prose stands right above and right below: a list inside an article
    (its ingredients, a product's specifications, the items of a guide), not a page's
    navigation, which runs from the top of the page, to its foot, or between its
    furniture. A line or two between paragraphs are labels, and stay menu lines."""
    kept: list[int] = []
    run: list[int] = []
    for i in [*menus, None]:
        if run and (i is None or i != run[-1] + 1):
            first, last = run[0], run[-1]
            inside = first > 0 and prose[first - 1] and last + 1 < len(prose) and prose[last + 1]
            if len(run) < least or not inside:
                kept.extend(run)
            run = []
        if i is not None:
            run.append(i)
    return kept
