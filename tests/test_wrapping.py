"""Hard-wrapped text (paragraphs broken into lines of a fixed width, as an email client or
a text export writes them) is read as the paragraphs it was: an article so wrapped is no
whole page, its first line no headline, its paragraphs no list of links. Text written
for these tests."""

import textwrap

import pytest

from cleaner import Config, clean_text
from cleaner.wrapping import paragraphs, wrap_width

PARAGRAPHS = [
    "The council voted on Friday evening to close the old stone bridge over the river for at least two "
    "months, after engineers found deep cracks in two of the piers that have carried it since 1887.",
    "Buses will be sent along the ring road while the work goes on, and a small ferry will carry cyclists "
    "and people on foot from the market steps to the boatyard every half hour between six and ten.",
    "Shopkeepers on the old quay said they feared the worst. One of them, who has sold fish there for "
    "thirty years, said that the last closing had cost her a third of her trade over one summer.",
    "The mayor said the town would ask the region for help with their rent, and that she hoped the bridge "
    "would open again before the autumn fair, when most of the town's visitors come across it.",
    "Engineers will start by putting steel collars round the cracked piers. Divers will then look at the "
    "footings, which have not been checked since the flood of 1953 left silt banked against them.",
    "A public meeting about the closing will be held in the library on Tuesday, and the plans for the "
    "work can be read there and at the town hall until the end of the month.",
]
MENU = ["Home", "News", "Sport", "Business", "Weather", "Contact us", "About"]


def wrapped(paragraphs: list[str], width: int, blank: bool = False) -> str:
    return ("\n\n" if blank else "\n").join("\n".join(textwrap.wrap(p, width)) for p in paragraphs)


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("width", [60, 72, 80, 100])
@pytest.mark.parametrize("blank", [False, True])
def test_a_hard_wrapped_article_under_a_menu_keeps_every_word(width, blank):
    """Its pieces, one by one, are no prose: read so, the article's densest run of prose
    was a paragraph's last line or two, and the rest went as the page's."""
    article = wrapped(PARAGRAPHS, width, blank)
    doc = clean_text("\n".join(MENU) + "\n" + article, config=Config(text_kind="auto"))
    assert doc.text_kind == "whole-page"
    assert words(doc.body) == words(article)


def test_a_hard_wrapped_article_is_an_article():
    article = wrapped(PARAGRAPHS, 72)
    doc = clean_text(article, config=Config(text_kind="auto"))
    assert doc.text_kind == "article" and words(doc.body) == words(article)


#: A paragraph wrapped at 70 whose second line starts with a name, as a headline's next line would.
OPENING = ["Earlier this week the council of the old market town on the river", "Example voted to close its bridge for two months of repairs, after",
           "engineers found deep cracks in two of the piers that carry it. Work", "starts in May, and buses will take the ring road until it is done."]


def test_the_first_piece_of_a_wrapped_paragraph_is_no_headline():
    text = "\n".join(OPENING) + "\n" + wrapped(PARAGRAPHS[1:3], 70)
    doc = clean_text(text)
    assert doc.title is None and words(doc.body) == words(text)
    headline = "Old bridge to close for two months"
    doc = clean_text(headline + "\n" + text)
    assert doc.title == headline and words(doc.body) == words(text)


def test_a_list_of_links_ends_at_a_wrapped_paragraph():
    related = ["Related:", "- Floods close two schools in the east", "- Council to vote on new parking charges"]
    after = "\n".join(OPENING)
    text = wrapped(PARAGRAPHS[:3], 72) + "\n" + "\n".join(related) + "\n" + after
    doc = clean_text(text)
    assert [s.text for s in doc.removed] == related
    assert words(doc.body) == words(wrapped(PARAGRAPHS[:3], 72) + "\n" + after)


def test_wrapped_lines_are_grouped_back_into_their_paragraphs():
    lines = wrapped(PARAGRAPHS[:2], 72).split("\n")
    first = len(textwrap.wrap(PARAGRAPHS[0], 72))
    assert paragraphs(lines, [i > 0 for i in range(len(lines))]) == [list(range(first)),
                                                                     list(range(first, len(lines)))]


@pytest.mark.parametrize("texts", [
    PARAGRAPHS,  # a paragraph a line: lines of every length, longer than text is wrapped at
    MENU * 3,  # a page's menus: short lines tell nothing
    [p[:90] for p in PARAGRAPHS[:2]] + ["A caption of a few words", "Read more"],  # too few lines fill a width
])
def test_text_that_is_not_hard_wrapped_is_not_taken_for_it(texts):
    assert wrap_width(texts) is None
    assert paragraphs(texts, [True] * len(texts)) is None


def test_one_line_broken_at_a_width_is_no_evidence_of_wrapping():
    texts = ["The council voted on Friday evening to close the old bridge for two", "months of repairs.",
             "Buses will be sent along the ring road while the work goes on, as", "before.",
             "Shopkeepers on the old quay said they feared the worst for trade.",
             "The mayor said the town would ask the region for help with rents."]
    assert wrap_width(texts) == len(texts[0])
    assert paragraphs(texts, [False, True, False, True, False, False]) == [[0, 1], [2, 3], [4], [5]]
    assert paragraphs(texts, [False, True, False, False, False, False]) is None
