"""Removals made by code rather than by a rule file: their ids, names and stages.

They are recorded, counted, listed (``clean rules list``) and explained like any
rule's (`cleaner.explain`).
"""

from __future__ import annotations

from typing import NamedTuple

#: trafilatura's comment section of a page (`cleaner.stages.extract`).
EXTRACTED_COMMENTS = "X001"
#: A line of a whole page that the page classifier takes for boilerplate (`cleaner.page`).
PAGE_BOILERPLATE = "W001"


class Builtin(NamedTuple):
    """A removal made by code: listed beside the rules, with the stage that makes it."""

    id: str
    name: str
    stage: str
    action: str
    description: str


BUILTINS = (
    Builtin(EXTRACTED_COMMENTS, "extracted-comment-section", "extract_html", "drop",
            "The comment section that trafilatura separates from a page's article (HTML input)."),
    Builtin(PAGE_BOILERPLATE, "whole-page-boilerplate", "classify_page", "drop",
            "A line of a whole page (menus, footers, teasers...) that the page classifier takes for boilerplate; "
            "the removal's reason names the feature that decided."),
)
#: Their names by id.
BUILTIN_RULES = {b.id: b.name for b in BUILTINS}
