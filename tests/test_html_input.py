"""Web pages that hold an article must give it: an XML declaration, stray NUL bytes, a page
trafilatura finds nothing in, furniture taken for the article. Hand-made pages only."""

import codecs

import lxml.html
import pytest
import trafilatura

from cleaner import Config, Document, clean_bytes
from cleaner.context import Context
from cleaner.ruleset import RuleSet
from cleaner.stages.decode import decode
from cleaner.stages.extract import VISIBLE_TEXT, PageText, extract_html, furniture, visible_text

NO_RULES = Context(Config(), RuleSet(()))
FERRY = [
    "The harbour ferry went back into service on Thursday after three months of repairs.",
    "Passengers queued from six in the morning to be on the first crossing of the day.",
    "The operator said the timetable would return to normal by the end of the month.",
]
ARTICLE = "".join(f"<p>{s}</p>" for s in FERRY)


def page(body: str, head: str = "<title>Ferry back in service</title>", before: str = "") -> str:
    return f"{before}<html><head>{head}</head><body>{body}</body></html>"


def extracted(html: str) -> Document:
    """The document after the decode and extract stages alone."""
    doc = decode(Document(id="p", source="p.html", raw=html.encode("utf-8"), format="html"), NO_RULES)
    return extract_html(doc, NO_RULES)


@pytest.mark.parametrize("declaration", [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<?xml version="1.0" encoding="iso-8859-1"?>\n',  # wrong: the bytes are UTF-8, and read as such
    '\ufeff<?xml version="1.0"?>',
])
def test_a_page_with_an_xml_declaration_gives_its_article(declaration):
    html = page(f"<article><h1>Ferry back in service at last</h1>{ARTICLE}<p>Fares stay as they were, déjà vu.</p>"
                "</article>", before=declaration + '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n')
    doc = clean_bytes(html.encode("utf-8"), format="html")
    assert doc.rejected is None
    assert FERRY[1] in doc.body and "déjà vu" in doc.body
    assert doc.title == "Ferry back in service at last"


@pytest.mark.parametrize("where", [0, 40, -20])
def test_a_page_with_a_stray_nul_byte_is_read(where):
    raw = bytearray(page(f"<article>{ARTICLE}</article>").encode("utf-8"))
    raw[where:where] = b"\x00"
    doc = clean_bytes(bytes(raw), format="html")
    assert doc.rejected is None
    assert doc.body == "\n\n".join(FERRY)


def test_a_text_with_a_stray_nul_byte_is_read_and_the_deletion_recorded():
    raw = ("\n\n".join(FERRY[:1]) + "\n\nThe ferry\x00 sails at noon, déjà full.\n").encode("utf-8")
    doc = clean_bytes(raw, format="text")
    assert doc.rejected is None
    assert "The ferry sails at noon, déjà full." in doc.body
    [repair] = doc.repairs
    assert repair.fixes == ("delete_nul_bytes",) and repair.before == "The ferry\\x00 sails at noon, déjà full."


@pytest.mark.parametrize("raw, format", [
    (b"The ferry sails at noon.\x00\xff\n", "text"),  # a text file with a NUL is text only if it is UTF-8
    (b"The ferry sails at noon.\x00\x00\n", "text"),  # two NULs in 27 bytes: binary
    ("<p>東京の橋は六か月間閉鎖される。</p>".encode("utf-16-le"), "html"),  # UTF-16 without its mark, few NULs
    (b"<html>" + b"\x00\x89PNG\x00\x00" * 50 + b"</html>", "html"),  # many NULs
])
def test_nul_bytes_beyond_a_few_strays_in_a_page_are_binary(raw, format):
    assert clean_bytes(raw, format=format).rejected.startswith("binary file: it holds NUL bytes")


def test_a_page_whose_article_trafilatura_misses_is_read_with_favor_recall():
    doc = extracted(page(f"<aside>{ARTICLE}</aside>"))
    assert doc.rejected is None
    assert doc.text_kind == "article" and doc.extractor.startswith("trafilatura")
    assert [ln.text for ln in doc.lines if ln.text] == FERRY


def test_a_page_trafilatura_finds_nothing_in_gives_its_visible_text_as_a_whole_page():
    links = "".join(f"<li><a href='/{i}'>{s}</a></li>" for i, s in enumerate(FERRY))
    doc = extracted(page(f"<footer><ul>{links}</ul></footer><script>var x = 1;</script>"))
    assert doc.rejected is None
    assert (doc.text_kind, doc.extractor) == ("whole-page", VISIBLE_TEXT)
    assert [ln.text for ln in doc.lines if ln.text] == FERRY
    assert doc.title == "Ferry back in service"  # the page's own metadata still counts
    assert clean_bytes(page(f"<footer><ul>{links}</ul></footer>").encode(), format="html").rejected is None


@pytest.mark.parametrize("html", [page(""), page("<script>document.write('late')</script><img src='a.png'>")])
def test_a_page_without_visible_text_is_rejected_with_that_reason(html):
    assert "no visible text" in clean_bytes(html.encode(), format="html").rejected


@pytest.mark.parametrize("unclosed", [0, 300, 600])
def test_a_page_of_unclosed_tags_nested_past_lxml_s_limit_keeps_all_its_text(unclosed):
    """A forum that opens a ``<div>`` per reply and never closes it nests the replies
    deeper than lxml's limit (256): lxml leaves the rest out of the tree, so the page is
    parsed again without the limit."""
    replies = [f"Reply {n}: the ferry was late again this morning, and the operator said nothing." for n in range(400)]
    body = "".join(f"<div class='reply'><p>{r}</p>" + ("" if n < unclosed else "</div>") for n, r in enumerate(replies))
    doc = extracted(page(f"<article>{ARTICLE}</article><section>{body}</section>"))
    assert doc.rejected is None
    kept = "\n".join(ln.text for ln in doc.lines)
    assert all(s in kept for s in FERRY)
    assert sum(r in kept for r in replies) == len(replies)


def test_the_page_is_parsed_once_and_trafilatura_given_the_tree(monkeypatch):
    given = []
    real = trafilatura.core.load_html
    monkeypatch.setattr(trafilatura.core, "load_html",
                        lambda page, *a: given.append(type(page).__name__) or real(page, *a))
    doc = clean_bytes(page(f"<h1>Ferry back in service again</h1><article>{ARTICLE}</article>").encode(), format="html")
    assert doc.body == "\n\n".join(FERRY)
    assert given and set(given) == {"HtmlElement"}


def test_the_page_metadata_is_read_before_trafilatura_has_the_tree(monkeypatch):
    real = trafilatura.bare_extraction

    def careless(tree, **options):  # an extractor that changes the tree it is given
        for h1 in tree.xpath("//h1"):
            h1.getparent().remove(h1)
        return real(tree, **options)

    monkeypatch.setattr(trafilatura, "bare_extraction", careless)
    doc = extracted(page(f"<h1>Ferry back in service at last</h1><article>{ARTICLE}</article>"))
    assert doc.title == "Ferry back in service at last"


LINKS = PageText(frozenset({"Bridge to close for repairs", "Ferry back in service", "Home", "News"}), 200)


@pytest.mark.parametrize("text, expected", [
    ("- Bridge to close for repairs — City Daily\n- Ferry back in service — Port News", True),  # a related-links list
    ("Home | News\nBridge to close for repairs", True),  # a menu
    ("| " + " | ".join(FERRY) + " |", True),  # a layout table holding the page
    ("\n".join(FERRY), False),
    ("| Line | Trains a day |\n|---|---|\n| North | 12 |\n" + "\n".join(FERRY * 2), False),  # a table in an article
    ("Ferry back in service\n" + "\n".join(FERRY), False),  # a headline that is also a link
])
def test_furniture_is_told_from_links_and_tables(text, expected):
    assert furniture(text, LINKS) is expected


@pytest.mark.parametrize("paragraph_words, expected", [
    (30, True),  # 45 words of text, 30 in the page's paragraphs: the rest is not the article's
    (42, False),  # about as many: the paragraphs are the text
    (8, False),  # the page does not set its text in paragraphs: nothing to tell from them
])
def test_a_text_much_longer_than_the_pages_paragraphs_holds_furniture(paragraph_words, expected):
    assert furniture("\n".join(FERRY), PageText(frozenset(), paragraph_words)) is expected


@pytest.mark.parametrize("html, expected", [
    ("<p>One <b>two</b> three.</p><p>Four.</p>", "One two three.\n\nFour."),
    ("<div>Menu<br>News</div><style>p {}</style><p>Text <!-- note --> after.</p>", "Menu\n\nNews\n\nText after."),
    ("<ul><li>A</li><li>B</li></ul><noscript>Enable JavaScript</noscript>", "A\n\nB"),
    pytest.param("<div>" * 200 + "Deep." + "</div>" * 200, "Deep.", id="deeply nested"),
])
def test_visible_text_is_what_a_reader_sees_one_block_a_paragraph(html, expected):
    assert visible_text(lxml.html.fromstring(page(html))) == expected


def test_a_page_in_utf16_with_its_mark_is_not_binary():
    raw = codecs.BOM_UTF16_LE + page(f"<article>{ARTICLE}</article>").encode("utf-16-le")
    assert clean_bytes(raw, format="html").body == "\n\n".join(FERRY)


def test_a_pages_visible_text_goes_through_the_page_classifier():
    """What the extractor marks as a whole page (a page's visible text, when it found no
    article) is classified as one, menus and all: an HTML page is not always an article."""
    from cleaner import Cleaner
    from cleaner.document import Document, Line
    from cleaner.stages.classify_page import classify_page

    menu = ["Home", "News", "Local", "Sport", "Weather", "Business", "Culture"]
    prose = [f"The harbour ferry went back into service on {day} after three months of repairs to its hull, "
             "and the first crossing of the morning was full, the operator said." for day in ("Monday", "Tuesday")]
    texts = menu + prose
    doc = Document(id="p", source="p.html", format="html", text_kind="whole-page",
                   lines=tuple(Line(i + 1, t) for i, t in enumerate(texts)))
    out = classify_page(doc, Cleaner().context)
    assert [s.text for s in out.removed if s.rule == "W001"] == menu and out.text_kind == "whole-page"


BRIDGE = [
    "The old swing bridge over the river will close for six months from the first of May.",
    "Engineers found rust in two of the four main girders during the spring inspection.",
    "Drivers are asked to use the ring road, which adds about ten minutes to a crossing.",
]


def story(headline: str, sentences: list[str]) -> str:
    return f"<article><h1>{headline}</h1>" + "".join(f"<p>{s}</p>" for s in sentences * 2) + "</article>"


@pytest.mark.parametrize("longer", [2, 10])  # the next story as long as the extractor takes both, or it alone
def test_a_feed_of_articles_gives_the_first_one_the_page_is_about(longer):
    feed = story("Ferry back in service at last", FERRY) + story("Swing bridge to close", BRIDGE * longer)
    doc = clean_bytes(page(feed).encode(), format="html")
    assert FERRY[0] in doc.body and BRIDGE[0] not in doc.body
    assert doc.title == "Ferry back in service at last"


def test_a_headline_card_after_the_article_is_not_a_feed():
    cards = "<article><h1>Swing bridge to close</h1><p>Read more</p></article>"
    doc = clean_bytes(page(story("Ferry back in service at last", FERRY) + cards).encode(), format="html")
    assert FERRY[2] in doc.body
    only = clean_bytes(page(story("Ferry back in service at last", FERRY)).encode(), format="html")
    assert doc.body == only.body


def test_a_jsonl_record_that_holds_a_page_is_cleaned_as_a_page_and_a_fragment_as_text(tmp_path):
    import json

    from typer.testing import CliRunner

    from cleaner.cli import app

    html = page(f"<nav>Home News Sport</nav><article><h1>Ferry back in service</h1>{ARTICLE}</article>")
    fragment = "<p>is not a page</p> " + FERRY[0]
    records = [{"id": "page", "text": html}, {"id": "fragment", "text": fragment}, {"id": "text", "text": FERRY[1]}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(app, [str(tmp_path / "in.jsonl"), "--format", "jsonl"], prog_name="clean")
    docs = {d["id"]: d for d in map(json.loads, result.stdout.splitlines())}
    assert result.exit_code == 0 and set(docs) == {"page", "fragment", "text"}, result.stderr
    assert docs["page"]["format"] == "html" and "<" not in docs["page"]["body"]
    assert FERRY[0] in docs["page"]["body"] and docs["page"]["title"] == "Ferry back in service"
    assert docs["fragment"]["format"] == "text" and docs["text"]["format"] == "text"
    # as a pipeline's step cleans it: the same document
    from cleaner.integrations.huggingface import CleanBatch

    column = CleanBatch()({"id": ["page"], "text": [html]})
    assert column["body"] == [docs["page"]["body"]] and column["title"] == [docs["page"]["title"]]


def test_a_page_saved_as_a_txt_file_is_read_as_a_page_unless_the_format_is_given(tmp_path):
    import json

    from typer.testing import CliRunner

    from cleaner.cli import app

    html = page(f"<nav>Home News Sport</nav><article><h1>Ferry back in service</h1>{ARTICLE}</article>",
                before="<!DOCTYPE html>")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "saved.txt").write_text(html, encoding="utf-8")
    (tmp_path / "in" / "plain.txt").write_text("\n\n".join(FERRY), encoding="utf-8")
    result = CliRunner().invoke(app, [str(tmp_path / "in"), "--format", "jsonl"], prog_name="clean")
    docs = {d["id"]: d for d in map(json.loads, result.stdout.splitlines())}
    assert docs["saved"]["format"] == "html" and "<" not in docs["saved"]["body"] and FERRY[0] in docs["saved"]["body"]
    assert docs["plain"]["format"] == "text"
    forced = CliRunner().invoke(app, [str(tmp_path / "in" / "saved.txt"), "--input-format", "text", "--format", "jsonl"],
                                prog_name="clean")
    assert json.loads(forced.stdout)["format"] == "text"
