"""Removals made by code rather than by a rule file: their ids and names.

They are recorded, counted and explained like any rule's (`cleaner.explain`).
"""

#: trafilatura's comment section of a page (`cleaner.stages.extract`).
EXTRACTED_COMMENTS = "X001"
#: A line of a whole page that the page classifier takes for boilerplate (`cleaner.page`).
PAGE_BOILERPLATE = "W001"

BUILTIN_RULES = {
    EXTRACTED_COMMENTS: "extracted-comment-section",
    PAGE_BOILERPLATE: "whole-page-boilerplate",
}
