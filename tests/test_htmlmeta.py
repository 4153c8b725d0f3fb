"""The page's own metadata: which source wins, and how author lists are cleaned."""

import lxml.html
import pytest

from cleaner.htmlmeta import clean_authors, page_meta


def page(head: str = "", body: str = "") -> object:
    return lxml.html.fromstring(f"<html><head>{head}</head><body>{body}<p>Text.</p></body></html>")


LD = '<script type="application/ld+json">{}</script>'


def test_the_visible_headline_wins_over_meta_titles():
    tree = page('<meta property="og:title" content="Short social title here"><title>Site | x</title>',
                "<h1>Home</h1><h1>The council votes to close the old bridge</h1>")
    assert page_meta(tree).title == "The council votes to close the old bridge"


def test_without_a_headline_the_jsonld_headline_then_og_title():
    ld = LD.format('{"@type": "NewsArticle", "headline": "Bridge to close for repairs"}')
    assert page_meta(page(ld + '<meta property="og:title" content="Other">')).title == "Bridge to close for repairs"
    assert page_meta(page('<meta property="og:title" content="Bridge to close">')).title == "Bridge to close"


def test_the_outermost_article_gives_the_date_not_a_nested_update():
    ld = LD.format('{"@type": "LiveBlogPosting", "datePublished": "2024-08-04T13:23:00Z", '
                   '"liveBlogUpdate": [{"@type": "BlogPosting", "datePublished": "2024-08-05T09:00:00Z"}]}')
    assert page_meta(page(ld), fallback_date="2024-08-06").date == "2024-08-04T13:23:00Z"


@pytest.mark.parametrize(
    "head, body, date",
    [
        ("", '<time itemprop="datePublished" datetime="2023-08-30T16:45+0100">30 Aug</time>', "2023-08-30T16:45+0100"),
        ('<meta property="article:published_time" content="2026-04-02T07:45:00+01:00">', "", "2026-04-02T07:45:00+01:00"),
        ("", "", "2020-01-03"),
    ],
)
def test_date_sources_in_order(head, body, date):
    assert page_meta(page(head, body), fallback_date="2020-01-03").date == date


def test_a_placeholder_date_gives_way_to_the_next_source():
    """A CMS writes "0001-01-01T00:00:00Z" for a page with no date: it is no date."""
    placeholder = LD.format('{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"}')
    meta = '<meta property="article:published_time" content="2019-11-19T08:00:00Z">'
    assert page_meta(page(placeholder + meta), fallback_date="2019-11-20").date == "2019-11-19T08:00:00Z"
    assert page_meta(page(placeholder), fallback_date="2019-11-20").date == "2019-11-20"
    assert page_meta(page(placeholder)).date is None


def test_jsonld_authors_win_and_the_publisher_is_not_an_author():
    ld = LD.format('{"@type": "Article", "author": [{"@type": "Person", "name": "Rachel Riederer"}, '
                   '{"name": "Condé Nast"}], "publisher": {"name": "Condé Nast"}}')
    assert page_meta(page(ld), fallback_authors="Someone Else").authors == ("Rachel Riederer",)


@pytest.mark.parametrize(
    "names, expected",
    [
        (["Sophie Foster", "Sophie-Foster"], ("Sophie Foster",)),
        (["Sauli giliard", "Sauli Giliard"], ("Sauli giliard",)),
        (["Samya Kullab and Vasilisa Stepanenko"], ("Samya Kullab", "Vasilisa Stepanenko")),
        (["The Washington Times https", "Www Washingtontimes Com", "Tom Davies"], ("Tom Davies",)),
        (["Lesotho Times"], ()),
    ],
)
def test_author_lists_are_cleaned(names, expected):
    assert clean_authors(names, {"lesotho times"}) == expected
