"""Telling a whole page from an article by what only whole pages have: a navigation bar
(menu lines in a row) outside the main text. Articles shaped like lists, tables, code
or wrapped lines are articles, and lose nothing to the page classifier."""

import textwrap

import pytest

from cleaner import clean_text

PARAGRAPHS = [
    f"The council voted on {day} to close the old bridge for two months of repairs, after engineers found cracks "
    "in two of its supports during an inspection in the spring. Buses will use the ring road while the work goes "
    "on, and a ferry will carry cyclists and people on foot across the river until the summer."
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
]
NAVIGATION = ["Home", "News", "Local", "Sport", "Weather", "Business", "Culture", "Opinion"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use"]

ARTICLES = {
    "hard-wrapped prose": "\n\n".join(textwrap.fill(p, 70) for p in PARAGRAPHS),
    "a listicle under short headings": "Seven ways across the river\n\n" + "\n\n".join(
        f"{heading}\n{p}" for heading, p in zip(["Take the ferry", "Ride the bus", "Walk it", "Cycle the weir",
                                                 "Stay home"], PARAGRAPHS)),
    "bullets": PARAGRAPHS[0] + "\n\nWhat changes:\n" + "\n".join(
        f"- {w}" for w in ["Buses", "Ferries", "Parking", "Deliveries", "Taxis", "School runs", "Cyclists"]) + "\n\n"
        + "\n\n".join(PARAGRAPHS[1:]),
    "a table read cell by cell": "Journey times\nRoute\nBefore\nAfter\n4\n10 min\n25 min\n7\n12 min\n20 min\n9\n8 min\n"
        + "\n".join(PARAGRAPHS),
    "a code block": "Closing a bridge, in code\n\n" + "\n".join(
        ["import bridge", "from city import council", "def close(days):", "bridge.shut()", "council.notify()",
         "return days", "close(60)", "reopen()", "bridge.log()"]) + "\n\n" + "\n\n".join(PARAGRAPHS),
    "a recipe's ingredients": "Bridge cake\n\n" + "\n".join(
        ["250 g flour", "2 eggs", "1 cup milk", "1 teaspoon salt", "3 tablespoons sugar", "½ cup butter"]) + "\n\n"
        + "\n\n".join(PARAGRAPHS),
    "testimonials": PARAGRAPHS[0] + "\n\nWhat riders say\n" + "\n".join(
        ["“Quick and clean,” said Ana.", "— Ana, Lisbon", "“The crew were friendly.”", "— Tom, Porto",
         "“On time every day.”", "— Kim, Faro"]) + "\n\n" + "\n\n".join(PARAGRAPHS[1:]),
}


@pytest.mark.parametrize("name", ARTICLES)
def test_an_article_of_any_shape_is_an_article(name):
    doc = clean_text(ARTICLES[name])
    assert doc.text_kind == "article", name
    assert not [s for s in doc.removed if s.rule == "W001"], name


def test_a_whole_page_with_its_navigation_is_a_whole_page():
    page = "\n".join(NAVIGATION) + "\n" + "\n".join(PARAGRAPHS) + "\n" + "\n".join(FOOTER)
    doc = clean_text(page)
    assert doc.text_kind == "whole-page"
    assert "Weather" not in doc.body and "Privacy policy" not in doc.body and PARAGRAPHS[2] in doc.body


def test_menu_lines_that_are_not_a_bar_do_not_make_a_page():
    """Eight one-word headings, each over its paragraph, are headings, not a navigation bar."""
    text = "\n".join(f"{h}\n{p}" for h, p in zip(NAVIGATION, PARAGRAPHS * 2))
    assert clean_text(text).text_kind == "article"
