"""Each stage on small inputs: tables of what goes in and what must come out."""

import codecs

import pytest
from ftfy.fixes import fix_line_breaks

from cleaner import Config, Document
from cleaner.dates import to_iso
from cleaner.context import Context
from cleaner.edits import split_names
from cleaner.pipeline import Cleaner
from cleaner.ruleset import RuleSet
from cleaner.stages.decode import decode
from cleaner.stages.repair import LINE_BREAKS, repair_encoding
from cleaner.stages.tidy import tidy

NO_RULES = Context(Config(), RuleSet(()))
ARTICLE = "Zoë Lefèvre opened the café in the old town three years ago, and it won a prize."


def decoded(raw: bytes) -> Document:
    return decode(Document(id="t", source="t", raw=raw), NO_RULES)


@pytest.mark.parametrize(
    "raw, encoding",
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (ARTICLE.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16"),
        (ARTICLE.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_reads_each_encoding(raw, encoding):
    doc = decoded(raw)
    assert doc.rejected is None
    assert doc.text == ARTICLE
    assert doc.encoding == encoding


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"", "empty: the file holds no text"),
        (b"  \n\t\n", "empty: the file holds only white space"),
        (b"PK\x03\x04\x00\x00binary", "binary file: it holds NUL bytes (the first at byte 4)"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "not valid UTF-16"),
    ],
)
def test_decode_rejects_with_a_reason(raw, reason):
    doc = decoded(raw)
    assert reason in doc.rejected


def test_decode_refuses_a_file_over_the_size_limit():
    ctx = Context(Config(max_file_bytes=10), RuleSet(()))
    assert "file too large" in decode(Document(id="t", source="t", raw=b"x" * 11), ctx).rejected


def repaired(text: str) -> Document:
    return repair_encoding(Document(id="t", source="t", text=text), NO_RULES)


@pytest.mark.parametrize(
    "text, expected, fixes",
    [
        ("the regulatorâ€™s figures", "the regulator’s figures", ("encode sloppy-windows-1252", "decode utf-8")),
        ("price 1.12â‚¬ a litre", "price 1.12€ a litre", None),
        ("a\u00a0b\u2009c", "a b c", ("normalize_spaces",)),
        ("zero\u200bwidth\u00adhere", "zerowidthhere", ("remove_zero_width",)),
        ("AT&amp;T said", "AT&T said", None),
        ("bell\x07 here", "bell here", None),
    ],
)
def test_repair_fixes_mojibake_spaces_and_controls(text, expected, fixes):
    doc = repaired(text)
    assert doc.lines[0].text == expected
    assert doc.repairs and doc.repairs[0].line == 1 and doc.repairs[0].before == text
    if fixes:
        assert doc.repairs[0].fixes == fixes


@pytest.mark.parametrize(
    "text",
    [
        "“Curly quotes” and ‘single ones’ stay.",
        "Dashes – en and — em – stay, and so does the ellipsis…",
        "Ligatures ﬁ and full-width ＡＢＣ stay as they are.",
        "Café, naïve, Zoë: accents are not mojibake.",
        "x < y &amp; z: a line with markup is not unescaped.",
        "👍🏽 emoji with a modifier, and a family 👨\u200d👩\u200d👧 joined by ZWJ.",
    ],
)
def test_repair_leaves_typography_alone(text):
    doc = repaired(text)
    assert doc.lines[0].text == text
    assert doc.repairs == ()


def test_repair_numbers_lines_after_normalising_line_breaks():
    doc = repaired("one\r\ntwo\rthree\u2028four\nfive")
    assert [(ln.no, ln.text) for ln in doc.lines] == [(1, "one"), (2, "two"), (3, "three"), (4, "four"), (5, "five")]


def test_the_line_breaks_looked_for_are_every_character_ftfy_makes_a_line_break():
    changed = {chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000
               and fix_line_breaks(f"a{chr(c)}b") != f"a{chr(c)}b"}
    assert changed == set(LINE_BREAKS)


def test_tidy_joins_paragraphs_with_one_blank_line():
    doc = repaired("  First   line\t of one.\nSecond line of it.  \n\n\n\n  Next paragraph.  \n\n")
    assert tidy(doc, NO_RULES).body == "First line of one.\nSecond line of it.\n\nNext paragraph."


@pytest.mark.parametrize(
    "text, iso",
    [
        ("January 3, 2020", "2020-01-03"),
        ("2020-01-03", "2020-01-03"),
        ("2023-04-26 14:20:55-04:00", "2023-04-26T14:20:55-04:00"),
        ("2021-06-14T09:30:00Z", "2021-06-14T09:30:00+00:00"),
        ("Published 3:42 PM EST, Fri January 3, 2020", "2020-01-03T15:42:00-05:00"),
        ("3 March 2026 at 10:05", "2026-03-03T10:05:00"),
        ("Updated 2 hours ago", None),
        ("Friday", None),
        ("March 2020", None),
        ("Posted in Politics", None),
        ("0001-01-01T00:00:00Z", None),  # a placeholder for no date
        ("1899-12-31", None),
    ],
)
def test_dates_are_iso_and_never_invented(text, iso):
    assert to_iso(text) == iso


@pytest.mark.parametrize(
    "text, lang, iso",
    [
        ("06/01/2026 - 14:02", "fr", "2026-01-06T14:02:00"),  # day first outside English
        ("06/01/2026", "de", "2026-01-06"),
        ("06/01/2026", "en", None),  # 6 January in London, June 1 in New York: no date
        ("06/01/2026", None, None),
        ("06/13/2026", "en", "2026-06-13"),  # only one way to read it
        ("13/06/2026", "en", "2026-06-13"),
        ("3/03/2025 9:15 PM", "en", "2025-03-03T21:15:00"),  # the same either way
        ("2025年1月13日（月） 21時37分", "ja", "2025-01-13T21:37:00"),
        ("2024年04月24日23:52", "zh", "2024-04-24T23:52:00"),
        ("2025年13月40日", "ja", None),
    ],
)
def test_a_date_with_slashes_is_read_in_the_order_of_the_text_s_language(text, lang, iso):
    assert to_iso(text, lang) == iso


@pytest.mark.parametrize(
    "byline, authors, date",
    [
        ("By Jane Doe and Kim Ho on Monday, March 3rd, 2025", ["Jane Doe", "Kim Ho"], "2025-03-03"),
        ("Posted by Sam Roe on 3/03/2025 9:15:00 PM", ["Sam Roe"], "2025-03-03T21:15:00"),
        ("By Jane Doe, 3 March 2025", ["Jane Doe"], "2025-03-03"),
    ],
)
def test_a_byline_with_its_date_gives_both_fields_and_leaves_the_body(byline, authors, date):
    text = "The council voted on Friday to close the old bridge for two months of repairs, the mayor said."
    doc = Cleaner().clean_text(f"{byline}\n\n{text}")
    assert (list(doc.authors), doc.date, doc.body) == (authors, date, text)


@pytest.mark.parametrize(
    "value, names",
    [
        ("Jane Doe", ["Jane Doe"]),
        ("Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Ana Lopes, Tom Berg & Kim Ho", ["Ana Lopes", "Tom Berg", "Kim Ho"]),
    ],
)
def test_author_lists_are_split(value, names):
    assert split_names(value) == names


SLOW_RULE = '''
[[rule]]
id = "U001"
name = "catastrophic"
stage = "strip_comments"
description = "Backtracks without end on a long line of a's."
action = "drop"
pattern = '(a+)+$'
remove = ["aaaa"]
keep = ["b"]
'''


def test_a_pattern_that_backtracks_fails_one_document_with_the_rule_id(tmp_path):
    from cleaner.ruleload import load_rule_text

    rules = load_rule_text(SLOW_RULE, "slow.toml")
    cleaner = Cleaner(rules, Config(regex_timeout=0.05))
    doc = cleaner.clean_text("a" * 5000 + "b")
    assert "rule U001 (catastrophic, slow.toml) ran past the 0.05 s regex timeout on line 1" in doc.rejected
    assert cleaner.clean_text("fine text").rejected is None


def _user_handler(signum, frame):
    pass


@pytest.mark.parametrize("where", ["main thread", "other thread", "timer signal taken"])
@pytest.mark.parametrize("scope", ["line", "span", "paragraph"])
def test_the_regex_timeout_stops_a_pattern_wherever_it_runs(where, scope):
    """In the main thread the watchdog's timer stops the call; in another thread, or when
    the program has its own handler for the timer's signal, `regex`'s own timeout does.
    Either way the document fails with the rule's id and line, and nothing is left behind."""
    import signal
    import threading

    from cleaner.ruleload import load_rule_text

    rules = load_rule_text(SLOW_RULE.replace('action = "drop"', f'action = "drop"\nscope = "{scope}"'), "slow.toml")
    cleaner = Cleaner(rules, Config(regex_timeout=0.05))
    found: list = []

    def clean():
        found.append(cleaner.clean_text("Fine words here.\n" + "a" * 5000 + "b"))
        found.append(cleaner.clean_text("fine text"))

    previous = signal.signal(signal.SIGVTALRM, _user_handler if where == "timer signal taken" else signal.SIG_DFL)
    try:
        if where == "other thread":
            worker = threading.Thread(target=clean)
            worker.start()
            worker.join()
        else:
            clean()
        assert signal.getsignal(signal.SIGVTALRM) is (_user_handler if where == "timer signal taken" else signal.SIG_DFL)
    finally:
        signal.signal(signal.SIGVTALRM, previous)
    assert "rule U001 (catastrophic, slow.toml) ran past the 0.05 s regex timeout on line 2" in found[0].rejected
    assert found[1].rejected is None
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


def test_the_watchdog_alone_stops_a_call_and_names_the_rule_and_line():
    # under the watchdog a call gets no regex timeout of its own; were the watchdog to
    # fail, this call would end by itself, after seconds, without the error
    import regex

    from cleaner.timelimit import RuleTimeout, timed, watchdog
    from cleaner.ruleload import load_rule_text

    rules = load_rule_text(SLOW_RULE, "slow.toml")
    ctx = Context(Config(regex_timeout=0.05), rules)
    with watchdog(0.05), pytest.raises(RuleTimeout, match=r"rule U001 .* on line 7"):
        timed(rules.rules[0], ctx, 7, regex.compile("(a|aa)+$").fullmatch, "a" * 34 + "b")  # about 1 s


def test_a_process_forked_under_the_watchdog_gives_its_rule_calls_the_regex_timeout():
    # a child does not inherit the parent's timer, so it must not take itself for watched
    import multiprocessing

    from cleaner.timelimit import _Watch, watchdog

    context = multiprocessing.get_context("fork")
    with watchdog(1.0):
        assert _Watch.thread is not None
        queue = context.SimpleQueue()
        child = context.Process(target=_report_watch, args=(queue,))
        child.start()
        child.join()
    assert queue.get() is None


def _report_watch(queue) -> None:
    from cleaner.timelimit import _Watch

    queue.put(_Watch.thread)


def test_a_residue_line_that_introduces_a_list_takes_the_list_with_it():
    from cleaner import clean_text

    article = ("The council voted on Friday to close the old bridge for two months of repairs, the mayor said.\n"
               "Drivers will use the ring road, and a ferry will carry cyclists across the river.\n")
    form = ("Your comment was not saved. This may be because:\n1. It is longer than 4000 characters.\n"
            "2. It was sent within ten seconds of another.\n")
    doc = clean_text(article + form)
    assert doc.body == article.strip()
    reasons = [s.reason for s in doc.removed if s.text.startswith(("1.", "2."))]
    assert reasons == ["an item of the list the line above introduces"] * 2
    # an article's own introduction keeps its list
    own = article + "The work comes in two stages:\n1. The piers are repaired.\n2. The deck is repainted.\n"
    assert clean_text(own).body == own.strip()
