"""Properties of `cleaner.pipeline.Cleaner` on any input, checked with hypothesis.

Inputs mix arbitrary text and bytes with a grammar of the residue that scrapers
leave around articles (the ``remove`` and ``keep`` examples of the shipped rules,
bylines, date lines, tweet signatures, mojibake, captions printed twice, prose,
blank lines, non-breaking spaces), so that the rules actually fire.

The default profile runs 250 examples per property, derandomized and without a
database, and the inputs that once broke a property (`FOUND`). Derandomized inputs
are the same for the same code only: hypothesis also draws on the literals of the
project's own loaded modules, so a change to them can bring others (docs/guarantees.md). For a long search, 3,000 random examples per property, run
``HYPOTHESIS_PROFILE=slow python -m pytest tests/test_properties.py``. The test on
long documents is marked ``slow``.
"""

from __future__ import annotations

import gzip
import os
from collections import Counter
from html import escape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner.document import Document
from cleaner.ruleload import load_rules

ROOT = Path(__file__).resolve().parent.parent

QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=250, derandomize=True, database=None, deadline=None,
                          suppress_health_check=QUIET)
settings.register_profile("slow", max_examples=3000, derandomize=False, database=None, deadline=None,
                          suppress_health_check=QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# --- the grammar of realistic inputs ------------------------------------------------

RULES = load_rules()
#: Every line of the shipped rules' examples (residue to remove, and prose that only
#: mentions residue, to keep) and of the seeds.
EXAMPLE_LINES = sorted({
    line for rule in RULES for text in rule.remove + rule.keep + tuple(c.input for c in rule.cases)
    for line in text.split("\n") if line.strip()
})
SEED_LINES = sorted({
    line for path in (ROOT / "seeds").rglob("*.txt") for line in path.read_text(encoding="utf-8", errors="replace").split("\n")
    if line.strip()
})
RESIDUE = [
    "Leave a Reply", "Please enter your comment!", "Please enter your name here", "Share this:",
    "Share this article", "Advertisement", "Skip to content", "Related", "Like this:", "Loading...",
    "Comments", "12 Comments", "Reply", "Photo: AP", "Read more:", "Most read", "* * *", "|",
    "View this post on Instagram", "pic.twitter.com/AbC123", "https://t.co/XyZ987",
]
WORDS = ("the council voted on friday to close old bridge for two months of repairs mayor said "
         "officials reported that storm hit coast overnight and water reached shops in high street").split()
CAPITALS = ("Council Votes Close Old Bridge Storm Hits Coast Mayor Says Water Reaches Shops "
            "Iraq Trump Baghdad General Report").split()
MENU = ["Home", "News", "World", "Sport", "Weather", "Business", "Culture", "Opinion", "About us", "Contact",
        "Privacy policy", "Terms of use", "© 2024 The Daily Example"]
NAMES = ["Jane Doe", "John Roe", "Zeke Miller", "María de la Cruz", "Kim Ho", "Ana Lopes"]
DATES = ["January 3, 2020", "Jan. 3, 2020", "3 March 2026", "Tuesday 3 March 2026", "2020-01-03",
         "Published 3:42 PM EST, Fri January 3, 2020", "Updated: Jan. 3, 2020 10:32 a.m. ET", "2019-11-19 08:57"]
MOJIBAKE = ["Ã©tÃ©", "cafÃ©", "donâ€™t", "Ã¢â‚¬â„¢", "naÃ¯ve rÃ©sumÃ©", "Ã", "â€¨", "Â\xa0"]
ENTITIES = ["AT&amp;T", "&amp;amp;", "it&#8217;s", "&#10;", "&#13;", "&#x2028;", "&nbsp;", "&lt;b&gt;", "&amp;#10;"]
SPACES = [" ", " ", " ", "\u00a0", "\t", "  ", "\u2009", "\u200b"]


def sentence(words: list[str]) -> str:
    """The words as a sentence: a capital, a full stop."""
    return " ".join(words).capitalize() + "."


prose = st.lists(st.sampled_from(WORDS), min_size=6, max_size=24).map(sentence)
headline = st.lists(st.sampled_from(CAPITALS), min_size=2, max_size=9).map(" ".join)
name = st.sampled_from(NAMES)
byline = st.lists(name, min_size=1, max_size=2).map(lambda names: "By " + " and ".join(names))
signature = st.builds(lambda who, date: f"— {who} (@{who.split()[0].lower()}) {date}",
                      name, st.sampled_from(["January 3, 2020", "March 3, 2021"]))
tweet = st.one_of(
    st.builds(lambda text, sig: f"{text} {sig}", prose, signature),
    st.builds(lambda text, sig: f"{text}\n{sig}", prose, signature),
    signature,
    st.just("— Zeke Miller (@ZekeJMiller) January 3, 2020"),
)
instagram = st.builds(lambda text, who: f"View this post on Instagram\n{text} A post shared by {who} "
                      f"(@{who.split()[0].lower()}) on Nov 14, 2025 at 9:02am GMT", prose, name)
caption_twice = st.lists(st.sampled_from(WORDS + CAPITALS + ["river's"]), min_size=3, max_size=10).map(
    lambda words: " ".join(words) + "\n" + " ".join(words).replace("'", "’"))
menu = st.lists(st.sampled_from(MENU), min_size=6, max_size=10).map("\n".join)
comment_thread = st.builds(
    lambda count, posts: f"{count} Comments\n" + "\n".join(f"{who} says:\n{text}" for who, text in posts),
    st.integers(1, 40), st.lists(st.tuples(name, prose), min_size=1, max_size=3))
link_list = st.builds(lambda label, titles: "\n".join([label, *titles]),
                      st.sampled_from(["Most read", "READ MORE:", "Related"]), st.lists(headline, min_size=1, max_size=4))
block = st.one_of(
    prose, prose, prose, headline, byline, tweet, instagram, caption_twice, menu, comment_thread, link_list,
    st.sampled_from(RESIDUE), st.sampled_from(EXAMPLE_LINES), st.sampled_from(SEED_LINES),
    st.sampled_from(DATES), st.sampled_from(MOJIBAKE), st.sampled_from(ENTITIES), st.just(""), st.just(""),
    st.text(max_size=30),
)


@st.composite
def spaced(draw, text: str) -> str:
    """``text`` with some of its spaces made other white space, and some at its ends."""
    pieces = text.split(" ")
    out = pieces[0]
    for piece in pieces[1:]:
        out += draw(st.sampled_from(SPACES)) + piece
    return draw(st.sampled_from(["", " ", "\u00a0"])) + out + draw(st.sampled_from(["", " ", "\t"]))


@st.composite
def grammar_blocks(draw, min_size: int = 1, max_size: int = 16) -> list[str]:
    """Blocks of the grammar, some printed again further down (a title, a paragraph)."""
    blocks = draw(st.lists(block.flatmap(spaced), min_size=min_size, max_size=max_size))
    for _ in range(draw(st.integers(0, 2))):
        blocks.insert(draw(st.integers(0, len(blocks))), draw(st.sampled_from(blocks)))
    return blocks


@st.composite
def grammar_text(draw, min_size: int = 1, max_size: int = 16) -> str:
    """A text of grammar blocks, separated by line breaks of every kind."""
    blocks = draw(grammar_blocks(min_size, max_size))
    breaks = draw(st.lists(st.sampled_from(["\n", "\n", "\n", "\n\n", "\r\n"]), min_size=len(blocks), max_size=len(blocks)))
    return "".join(text + brk for text, brk in zip(blocks, breaks))


@st.composite
def grammar_page(draw) -> str:
    """A web page whose paragraphs are grammar blocks, a headline above them."""
    paragraphs = "".join(f"<p>{escape(b)}</p>" for b in draw(grammar_blocks()))
    title = escape(draw(headline))
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><article>{paragraphs}</article></body></html>"


texts = st.one_of(grammar_text(), grammar_text(), st.text(max_size=300))
as_text = texts.map(lambda text: ("text", text))
#: Inputs to clean, as (format, text): texts, and one time in four a web page.
inputs = st.one_of(as_text, as_text, as_text, grammar_page().map(lambda page: ("html", page)))
encoded = st.tuples(grammar_text(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1"])).map(
    lambda pair: pair[0].encode(pair[1], errors="replace"))
cut_gzip = st.binary(max_size=40).map(lambda data: gzip.compress(data)[:len(data)])
raw_bytes = st.one_of(st.binary(max_size=300), encoded, encoded.map(gzip.compress), cut_gzip)


# --- what the properties read off a document ----------------------------------------


def collapsed(text: str) -> str:
    """``text`` with its white space runs made one space, its ends trimmed."""
    return " ".join(text.split())


def cleaned(cleaner, given_input: tuple[str, str]) -> Document:
    """An input of `inputs` cleaned."""
    kind, text = given_input
    if kind == "html":
        return cleaner.clean_bytes(text.encode("utf-8"), format="html")
    return cleaner.clean_text(text)


def not_internal_error(doc: Document) -> None:
    assert not (doc.rejected or "").startswith("internal error"), doc.rejected


def cut_lines(doc: Document) -> tuple[list[str], list[str]]:
    """The lines of the repaired input (``doc.text``), white space collapsed, with every
    piece that a span of ``removed`` took out of a line (and not the whole line) cut
    out, and those pieces. Spans are read in the order they were taken, each from the
    line as the ones before left it; a cut leaves a space, as the engine's cuts do."""
    lines = [collapsed(text) for text in doc.text.split("\n")]
    pieces = []
    for span in doc.removed:
        current, piece = lines[span.line - 1], collapsed(span.text)
        if current != piece:
            at = current.find(piece)
            assert at >= 0, f"{span} is not in line {span.line}: {current!r}"
            lines[span.line - 1] = collapsed(current[:at] + " " + current[at + len(piece):])
            pieces.append(piece)
    return lines, pieces


def reclean(cleaner, doc: Document) -> Document:
    """The cleaned ``doc``'s body cleaned again, its title known as a page's metadata
    gives it (so that the headline rule does not look for another), and its language
    the one the first cleaning told (the shorter body may tell another, or none)."""
    given = ("title",) if doc.title is not None else ()
    return cleaner.run(Document(id="again", source="-", text=doc.body, title=doc.title, given=given, lang=doc.lang))


def check_idempotent(cleaner, doc: Document) -> None:
    """Property 2 of a cleaned document (`test_cleaning_is_idempotent`)."""
    again = reclean(cleaner, doc)
    assert again.body == doc.body, f"cleaning the body again took out {again.removed}"


def check_nothing_invented(doc: Document) -> None:
    """Property 3 of a cleaned document (`test_nothing_is_invented`)."""
    source = iter(cut_lines(doc)[0])
    for body_line in filter(None, map(collapsed, doc.body.split("\n"))):
        assert any(body_line == t for t in source), f"{body_line!r} is not a line of the repaired input, in order"


def check_accounted(doc: Document) -> None:
    """Property 4 of a cleaned document (`test_every_word_is_accounted_for`)."""
    lines, pieces = cut_lines(doc)
    source = Counter(word for text in lines + pieces for word in text.split())
    kept = Counter(doc.body.split())
    taken = Counter(word for span in doc.removed for word in span.text.split())
    assert kept + taken == source, f"unaccounted: {source - kept - taken}, invented: {kept + taken - source}"
    moved = Counter(word for span in doc.removed if span.action == "move" for word in span.text.split())
    title = [doc.title] if doc.title and "title" not in doc.given else []
    for value in [*title, *doc.captions, *(e.text for e in doc.embeds)]:
        assert Counter(value.split()) <= moved, f"{value!r} is in a field, and was not moved there"


# --- the properties ---------------------------------------------------------------------

PROSE = "The council voted on Friday to close the old bridge for two months of repairs."
#: Inputs that once broke a property, each with what broke it.
FOUND = [
    # two equal lines made neighbours by the embed between them leaving (H001 on the second cleaning)
    "said. Photo: AP Leave a Reply\nÃ©tÃ©  — Zeke Miller (@ZekeJMiller) January 3, 2020\nsaid. Photo: AP Leave a Reply\nThe\n",
    # a date line at the head once the embed above it left (M009 on the second cleaning)
    f"{PROSE}\n— Jane Doe (@jane) January 3, 2020\nJanuary 3, 2020",
    # a headline first once the caption printed twice above it left (M005 on the second cleaning)
    f"Seen from the river bank\nSeen from the river bank\nBridge To Close For Repairs\n{PROSE}",
    # ftfy repairing a line in two goes
    "\xa0Ã©tÃ©",
    # a tab where the pattern has a space (H018), two spaces in one copy of a doubled title (H016)
    f"{PROSE}\n2019-11-19\t08:57",
    f"{PROSE}\nBridge  to close for repairs Bridge to close for repairs",
    # a glued date line first once the page classifier took the menu above it (M001)
    f"Home\nNews\nWorld\nSport\nWeather\nBusiness\ndate 2020-01-03 {PROSE[:-1]} on Friday night in airstrikes.\n{PROSE}",
    # an entity that is a line break, shifting the line numbers of everything below it
    f"one&#10;two\nLeave a Reply\n{PROSE}",
    # a page read by the classifier before a caption printed twice had left it: an
    # article then, a whole page once cleaned (W001 on the second cleaning)
    "By Jane Doe\nCouncil Council\nA feira do livro da cidade volta à praça central no\u200bpróximo fim de semana, "
    "depois de dois anos em que foi realizada no pavilhão municipal por causa das obras.\n"
    + "View this post on Instagram\nThe the the the the the. A post shared by Jane Doe (@jane) on Nov 14, 2025 "
    "at 9:02am\u200bGMT\n" * 2 + "Home\n" * 8 + "About us\n",
    # a comment heading (a page_edge rule's hit) right above the longest prose line: with
    # it, an article; without it, as the body cleaned again has it, a whole page (W001)
    "Council Council\nCouncil Council\nCouncil Council Shops\nThe the the friday the the the the coast and shops in "
    "high.\nÃ©tÃ©\nCouncil Council Council\n22. März 2024\nComments\nThe mayor said on Friday that the old bridge "
    "would close for two months of repairs, starting in May next year.",
    # a language told from a byline's words ('fy') that the body, once the byline moved,
    # no longer tells: a rule of another language then applied (TR005 on the second cleaning)
    "Devamını oku\nBy Jane Doe\n",
    # a lead kept under the headline printed again, which went to the title: the body
    # cleaned again starts with the lead, right above its main text (W001 on the second cleaning)
    "— Zeke Miller (@ZekeJMiller) January 3, 2020\n— Zeke Miller (@ZekeJMiller) January 3, 2020\n"
    "The the the the the the.\nThe the the the the the the the the the the the the the the the the the the the the.\n"
    "Jane Doe says:\nHome\nHome\n\U000850fcw\x1d\nBy Jane Doe\nHome\nHome\nHome\nAbout us\nAbout us\nTerms of use",
]


def found(test):
    """``test`` run on every input of `FOUND` too, before the generated ones."""
    for text in FOUND:
        test = example(given_input=("text", text))(test)
    return test


@given(inputs)
def test_cleaning_any_text_never_fails_by_a_bug(cleaner, given_input):
    """1. Any text (or page) gives a document, cleaned or rejected with a reason, and
    never an "internal error" rejection (the pipeline's report of an exception in a
    stage)."""
    doc = cleaned(cleaner, given_input)
    not_internal_error(doc)
    assert doc.rejected or doc.body is not None


@given(raw_bytes, st.sampled_from(["text", "html"]))
def test_cleaning_any_bytes_never_fails_by_a_bug(cleaner, raw, format):
    """1. The same for any bytes, given as text or as a page: decoded, or rejected with
    a reason (empty, binary, undecodable, no article), never by an exception."""
    doc = cleaner.clean_bytes(raw, format=format)
    not_internal_error(doc)
    assert doc.rejected or doc.body is not None


@given(inputs)
@found
def test_cleaning_is_idempotent(cleaner, given_input):
    """2. Cleaning a cleaned document again changes nothing: its body, cleaned again
    as a document whose title is known (the title the first cleaning found, given
    as a page's metadata gives it), comes out as it went in.

    When the first cleaning found no title, that is the strict form,
    ``clean_text(body).body == body``. With a title it cannot hold, by the nature of
    the headline rule (M005): it takes the first short line set off from the text
    as the title, and the body's first line is often just that (a subheading, a
    kicker), which the first cleaning kept because it had taken the title above
    it. A user who cleans output again has its title with it; told the title, M005
    takes only a line that is that title, and the first cleaning took every such
    line out (M008).
    """
    doc = cleaned(cleaner, given_input)
    if not doc.rejected:
        check_idempotent(cleaner, doc)


@given(inputs)
@found
def test_nothing_is_invented(cleaner, given_input):
    """3. Every line of the body is a line of the repaired input, in order, up to white
    space: the body's lines, their white space runs collapsed, are a subsequence of
    the repaired text's lines (``doc.text``), collapsed the same way, once the pieces
    that span rules recorded in ``removed`` are cut out of them (a cut piece leaves a
    space). Paragraph breaks are not compared: the body joins paragraphs by one
    blank line, whatever stood between them."""
    doc = cleaned(cleaner, given_input)
    if not doc.rejected:
        check_nothing_invented(doc)


@given(inputs)
@found
def test_every_word_is_accounted_for(cleaner, given_input):
    """4. The white-space separated words of the repaired input are, as a multiset,
    exactly those of the body and of the spans of ``removed``.

    A multiset, not a set: each copy of a repeated line (a caption printed twice, a
    paragraph printed again) is removed and recorded on its own, and a set would
    not see a copy dropped without a record, nor one recorded twice. ``removed``
    records what moved into a field (title, date, authors, captions, embeds) as
    well as what was dropped, so the fields need not be added: they hold only
    words of the spans moved out of the text, which is checked too (but for a
    title a page's metadata gave). A piece that a span rule cut out of the middle
    of a word (``pic.twitter.com/...`` glued to the word before it) splits that
    word in two: the input's words are counted with the pieces cut out, plus the
    pieces (`cut_lines`)."""
    doc = cleaned(cleaner, given_input)
    if not doc.rejected:
        check_accounted(doc)


@pytest.mark.slow
@settings(max_examples=300)
@given(grammar_text(min_size=40, max_size=150))
def test_long_documents_keep_the_properties(cleaner, text):
    """2, 3 and 4 on documents as long as the seeds (40 to 150 blocks), where more
    rules meet in one document: a slow test, which ``-m 'not slow'`` leaves out."""
    doc = cleaner.clean_text(text)
    not_internal_error(doc)
    if not doc.rejected:
        check_idempotent(cleaner, doc)
        check_nothing_invented(doc)
        check_accounted(doc)


def test_a_whole_page_on_one_line_is_cleaned_in_time(cleaner):
    """A scraper that joins a page's strings with spaces leaves it on one line of hundreds
    of kilobytes. Every line rule's pattern must run through such a line in time that
    grows with its length, not with its square: a greedy ``.*`` before a suffix ("[...]"
    at the end) or in a look-ahead ("a year somewhere on the line") backtracked over the
    whole line from every place and ran past the regex timeout, which rejected the page."""
    sentences = ["The council met on 3 March 2024 to vote on the bridge [1].",
                 "Engineers said the cracks were found in 2019, and nobody acted... until now.",
                 "Residents, shops and the ferry company asked for help with the costs [2].",
                 "Work starts in May and buses will use the ring road while it lasts."]
    line = " ".join(sentences[n % len(sentences)] for n in range(6000))
    assert len(line) > 300_000 and "\n" not in line
    doc = cleaner.clean_text(line)
    assert doc.rejected is None, doc.rejected
    assert len(doc.body) > 0.9 * len(line)
