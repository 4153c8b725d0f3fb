"""Shortcuts taken for speed give what the plain code gives.

Each fast function is compared, on random texts made of the characters that
matter to it, with the one-line definition it replaces.
"""

import dataclasses
import random
from pathlib import Path

import pytest

from cleaner.config import Config
from cleaner.detectors import _QUOTES, comparable
from cleaner.document import Document, Line, Span
from cleaner.text import SENTENCE_END, ends_sentence
from cleaner.stages.tidy import SPACES, tidy_line

CHARS = "ab Z.!?…:;\"'’”)]»\t\u00a0\u2003\u2028\x85\x1c“‘`´„«–—|-" + "ßİıﬁΣς"


def texts(seed: int, n: int = 5000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(CHARS) for _ in range(rng.randint(0, 14))) for _ in range(n)]


def test_comparable_is_translate_casefold_and_split():
    for text in texts(1):
        assert comparable(text) == " ".join(text.translate(_QUOTES).casefold().split())
        assert len(comparable(text).split()) == len(text.split())


def test_ends_sentence_is_the_sentence_end_pattern():
    for text in texts(2):
        assert ends_sentence(text) == bool(SENTENCE_END.search(text)), repr(text)


def test_tidy_line_collapses_spaces_and_tabs_and_trims():
    for text in texts(3):
        assert tidy_line(text) == SPACES.sub(" ", text).strip()


@pytest.mark.parametrize("changes", [{}, {"title": "T"}, {"lines": (Line(1, "a"),), "removed": (Span("X", "s", 1, "a"),)},
                                     {"rejected": "why", "body": None}])
def test_changed_is_dataclasses_replace(changes):
    doc = Document(id="a", source="a.txt", text="a", lines=(Line(1, "a"),), title="t", authors=("x",))
    new = doc.changed(**changes)
    assert new == dataclasses.replace(doc, **changes)
    assert new.to_dict() == dataclasses.replace(doc, **changes).to_dict()
    assert doc.title == "t"


def test_changed_refuses_an_unknown_field():
    with pytest.raises(TypeError):
        Document(id="a", source="a").changed(titel="T")


def test_comparables_folds_many_lines_as_comparable_does_one():
    from cleaner.detectors import comparables

    lines = texts(4, 2000)
    assert comparables(lines, {}) == [comparable(t) for t in lines]


def test_word_counts_are_the_split_words_of_every_line():
    from cleaner.context import Context, word_counts
    from cleaner.ruleset import RuleSet

    lines = texts(5, 300) + ["a b", "", "c d e", "f", "single spaced line"]
    doc = Document(id="a", source="a", lines=tuple(Line(n, t) for n, t in enumerate(lines, 1)))
    counts = word_counts(doc, Context(Config(), RuleSet(())))
    assert all(counts[t] == len(t.split()) for t in lines)


def test_a_cleaned_document_carries_no_working_state_and_pickles_as_it_is():
    import pickle

    from cleaner.pipeline import Cleaner

    doc = Cleaner().clean_text("Leave a Reply\n\nThe council met on Friday and voted to close the old bridge.")
    assert not hasattr(doc, "memo") and set(doc.__dict__) == {f.name for f in dataclasses.fields(Document)}
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc and again.to_dict() == doc.to_dict()


def test_each_document_is_cleaned_with_a_working_state_of_its_own():
    from cleaner.pipeline import Cleaner

    cleaner, seen = Cleaner(), []
    real = cleaner._stage

    def spy(name, stage, doc, ctx, timings):
        seen.append(ctx.work)
        return real(name, stage, doc, ctx, timings)

    cleaner._stage = spy
    text = "The council met on Friday and voted to close the old bridge for repairs."
    cleaner.clean_text(text)
    first = list(seen)  # held, so that no id is reused
    seen.clear()
    cleaner.clean_text(text)
    assert len({id(w) for w in first}) == 1 and len({id(w) for w in seen}) == 1 and seen[0] is not first[0]
    assert first[0].words and cleaner.context.work.words == {}  # the cleaner's own context is left as it was


def test_a_cleaner_that_has_cleaned_is_pickled_and_cleans_the_same_after():
    """Workers started by forkserver or spawn, and Ray tasks, get the cleaner as a pickle."""
    import pickle

    from cleaner.pipeline import Cleaner

    cleaner = Cleaner()
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    pages = [p.read_bytes().decode("utf-8", "replace") for p in sorted(seeds.rglob("*.txt"))]
    pages += texts(7, 40) + ["Leave a Reply\n\nThe council met on Friday and voted to close the old bridge."]
    before = [cleaner.clean_text(t).to_dict() for t in pages]
    again = pickle.loads(pickle.dumps(cleaner))
    assert [again.clean_text(t).to_dict() for t in pages] == before


def test_tidy_text_joins_the_paragraphs_of_tidied_lines():
    from cleaner.text import paragraphs
    from cleaner.stages.tidy import tidy_text

    rng = random.Random(6)
    for _ in range(500):
        lines = tuple(Line(n, rng.choice(["", "  ", "\t", "a  b", " c\td ", "e"])) for n in range(rng.randint(0, 8)))
        expected = "\n\n".join("\n".join(tidy_line(lines[i].text) for i in para) for para in paragraphs(lines))
        assert tidy_text(lines) == expected


def test_a_text_word_counting_finds_single_spaced_is_only_trimmed_by_tidy():
    from cleaner.context import Context, word_counts
    from cleaner.ruleset import RuleSet
    from cleaner.stages.tidy import tidy_text

    lines = texts(8, 3000) + ["a b", " c d ", "  e f  ", "g  h", "i\tj", ""]
    doc = Document(id="a", source="a", lines=tuple(Line(n, t) for n, t in enumerate(lines, 1)))
    ctx = Context(Config(), RuleSet(()))
    word_counts(doc, ctx)
    single = ctx.work.single_spaced
    assert {"a b", " c d ", "  e f  "} <= single and not {"g  h", "i\tj"} & single
    assert all(tidy_line(t) == t.strip() for t in single)
    assert tidy_text(doc.lines, single) == tidy_text(doc.lines)


def test_case_folding_makes_of_a_printable_character_only_printable_characters_that_are_not_spaces():
    # what lets comparables take a single-spaced text's fold as it is
    from cleaner.detectors import _QUOTE_PAIRS

    for code in range(0x110000):
        c = chr(code)
        if c.isprintable() and c != " ":
            folded = c.casefold()
            assert folded.isprintable() and " " not in folded, hex(code)
    assert all(plain.isprintable() and plain != " " for _mark, plain in _QUOTE_PAIRS)


def test_comparables_of_single_spaced_texts_are_those_of_comparable():
    from cleaner.context import Context, word_counts
    from cleaner.detectors import comparables
    from cleaner.ruleset import RuleSet

    lines = texts(9, 3000) + ["“Quoted”  – text", "Straße ﬁle İ", " lead", "trail "]
    doc = Document(id="a", source="a", lines=tuple(Line(n, t) for n, t in enumerate(lines, 1)))
    ctx = Context(Config(), RuleSet(()))
    word_counts(doc, ctx)
    assert comparables(lines, {}, ctx.work.single_spaced) == [comparable(t) for t in lines]


def test_region_of_is_the_region_of_the_lines_as_they_are_now():
    from cleaner.context import Context, region_of
    from cleaner.ruleset import RuleSet
    from cleaner.text import region

    config = Config()
    ctx = Context(config, RuleSet(()))
    texts = ["Menu", "Home", "The council met on Friday and voted to close the old bridge for repairs.",
             "Share this", "It reopens in May after two months of work on its deck and rails.", "Comments"]
    doc = Document(id="a", source="a", lines=tuple(Line(n, t) for n, t in enumerate(texts, 1)))
    for lines in (doc.lines, doc.lines[1:], doc.lines[3:], doc.lines[:2], ()):
        doc = doc.changed(lines=lines)
        for where in ("anywhere", "head", "after-head", "tail", "first"):
            assert region_of(doc, where, ctx) == region(lines, where, config), (where, lines)

# --- the page's language (`cleaner.language`) -------------------------------------

#: What the page's patterns read: marks and closing quotes of several scripts, link
#: pieces, smileys and emoji, code, a script without spaces, white space of every kind.
PAGE_PIECES = ["a", "Bc", "dé", "ΣΑΣ", "İ", "word", "x2", "D", "P", "ab", "(nz)", " / mk", "²", "e\u0301",
               ".", "!", "?", "…", ":", ";", "。", "！", "؟", "।", "።", "\"", "'", "’", "”", "“", "»", "«", "›", ")",
               "]", "」", "）", "(", ":-)", ";D", " :P", ":-D", "🙂", "⬇\ufe0f", "👍🏻", "\u200d", "™", "©",
               "https://x.io/a", "http://", "www.", "www.y.z", "@", "a@b.cd", "#tag", "#", "|", ">", "•", "·",
               "=", "{", "}", "f(", "...", "市議会", "ｶﾀｶﾅ", "々", "ไทย",
               " ", "  ", "\t", "\u00a0", "\u2003", "\x1c", "\x85", "\n"]


def page_texts(seed: int, n: int = 4000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PAGE_PIECES) for _ in range(rng.randint(0, 10))) for _ in range(n)]


def test_lowering_a_text_is_lowering_each_of_its_lines():
    # what lets a page's words be found line by line, and counted for the page at once
    for seed in range(13, 16):
        lines = page_texts(seed, 300)
        text = "\n".join(lines)
        assert text.lower() == "\n".join(line.lower() for line in text.split("\n"))


def plain_fits(text, config):
    """`cleaner.language._fits` as it was first written: each word's lists counted, word by word."""
    from collections import Counter
    from itertools import chain, repeat

    from cleaner.language import UNSPACED, WORD, stoplists

    names, by_word = stoplists()
    tokens = WORD.findall(text.lower())
    counts = Counter(names[i] for i in chain.from_iterable(map(by_word.get, tokens, repeat(()))))
    total = len(tokens)
    if UNSPACED.search(text):
        total += sum(len(w) - 1 for w in tokens if UNSPACED.search(w))
    if not counts or not total:
        return counts, None, set()
    fitting = {name for name, hits in counts.items() if hits / total >= config.page_stoplist_fit}
    lang, _hits = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return counts, lang if lang in fitting else None, fitting


def stop_word_pages(seed: int, n: int = 60) -> list[list[str]]:
    """Pages of lines made of the stop words of a few languages, names, digits and the
    scripts without spaces, short and long (past `cleaner.language.SAMPLE`)."""
    from cleaner.language import stoplist, stoplists

    names = stoplists()[0]
    rng = random.Random(seed)
    pages = []
    for _ in range(n):
        pool = [w for name in rng.sample(sorted(names), 3) for w in sorted(stoplist(name))[:80]]
        pool += ["Kanal", "TV", "Finale", "2024", "市議会", "ﾃｽﾄ", "ΣΑΣ", "İstanbul"]
        lines = [" ".join(rng.choice(pool) for _ in range(rng.randint(0, 25))) + rng.choice(["", ".", " »", "!”"])
                 for _ in range(rng.randint(1, 120))]
        pages.append(lines)
    return pages


def test_stop_lists_counted_word_by_distinct_word_are_counted_as_word_by_word():
    from cleaner.language import _fits

    config = Config()
    for lines in stop_word_pages(18):
        text = "\n".join(lines)
        assert _fits(text, config) == plain_fits(text, config)


def test_a_page_s_language_from_its_lines_words_is_the_one_from_its_text():
    from cleaner.language import WORD, _sample, stoplist_language
    from cleaner.page import page_language

    config = Config()
    for lines in stop_word_pages(19) + [page_texts(20, 100), page_texts(21, 400)]:
        text = "\n".join(lines)
        fitting = plain_fits(text, config)[2]
        counts = plain_fits(_sample(text), config)[0]
        plain = max(fitting, key=lambda name: (counts[name], name)) if fitting else None
        words = [WORD.findall(line.strip().lower()) for line in lines]
        assert stoplist_language(text, config) == plain
        assert page_language(lines, config, words) == page_language(lines, config)
        if not any("\n" in line for line in lines):  # else the words are not those of the text's lines
            assert stoplist_language(text, config, words) == plain



def test_the_sample_is_the_lines_that_end_like_a_sentence_then_the_longest():
    from cleaner.language import SAMPLE, SENTENCE_MARKS, _sample

    for lines in stop_word_pages(22) + [page_texts(23, 400)]:
        text = "\n".join(lines)
        plain, size = [], 0
        for line in sorted(text.split("\n"), key=lambda line: (line.rstrip()[-1:] in SENTENCE_MARKS, len(line)),
                           reverse=True):
            plain.append(line)
            size += len(line)
            if size >= SAMPLE:
                break
        assert _sample(text) == (text if len(text) <= SAMPLE else "\n".join(plain))


# --- the page classifier (`cleaner.page`) ------------------------------------------

def test_the_page_s_sentence_ends_are_its_patterns():
    from cleaner.page import SENTENCE_END, SIGNED_END, sentence_end, signed_end

    for text in page_texts(10) + [t.strip() for t in page_texts(11)]:
        assert sentence_end(text) == bool(SENTENCE_END.search(text)), repr(text)
        assert signed_end(text) == bool(SIGNED_END.search(text)), repr(text)


def test_no_letter_nor_digit_ends_a_sentence_but_a_smiley_s():
    # what lets `sentence_end` leave a text that ends with one alone, whatever the character
    from cleaner.page import SENTENCE_END

    ends = ("", "a.", "a.”", " :", " :-", "©")
    for code in range(0x110000):
        c = chr(code)
        if c.isalnum() and c not in "DP":
            assert not any(SENTENCE_END.search(end + c) for end in ends), hex(code)


def test_a_link_s_size_is_that_of_its_pieces():
    from cleaner.page import LINK_PIECE, link_size

    for text in page_texts(12):
        assert link_size(text) == sum(len(m) for m in LINK_PIECE.findall(text)), repr(text)


def test_every_character_of_a_script_without_spaces_may_be_one():
    import sys

    from cleaner.language import MAY_BE_UNSPACED, UNSPACED

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert all(MAY_BE_UNSPACED.match(c) for c in UNSPACED.findall(every))


def test_the_quick_look_for_a_script_without_spaces_misses_none_of_its_characters():
    """`UNSPACED_RANGES` lets through every text `UNSPACED` finds a character in: halfwidth
    katakana, Kangxi radicals and the ideographs of the later planes too."""
    import sys

    from cleaner.language import UNSPACED, UNSPACED_RANGES

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    missed = [f"U+{ord(c):04X}" for c in UNSPACED.findall(every) if not UNSPACED_RANGES.match(c)]
    assert not missed, f"{len(missed)} characters missed, the first {missed[:5]}"
    assert UNSPACED_RANGES.search("ﾆｭｰｽ") and UNSPACED_RANGES.search("\U00030000")


def plain_line_features(texts, stop):
    """`cleaner.page.line_features` as it was first written: every pattern on every line."""
    from cleaner.language import UNSPACED, WORD
    from cleaner.page import LINK_PIECE, SENTENCE_END, SIGNED_END, LineFeatures

    out = []
    for text in texts:
        t = text.strip()
        words = WORD.findall(t.lower())
        links = sum(len(m) for m in LINK_PIECE.findall(t))
        unspaced = len(UNSPACED.findall(t))
        density = ((sum(1 for w in words if w in stop) / len(words) if words else 0.0)
                   if stop and unspaced * 2 < len(t) else None)
        ends = bool(SENTENCE_END.search(t) or SIGNED_END.search(t))
        out.append(LineFeatures(t, len(t) + 2 * unspaced, len(words), ends, density, links / len(t) if t else 0.0))
    return out


def test_line_features_read_once_per_text_are_those_of_every_pattern_on_every_line():
    from cleaner.language import WORD
    from cleaner.page import line_features

    stop = frozenset({"a", "word", "dé", "σας", "the", "of"})
    lines = page_texts(16, 3000)
    lines += lines[:500]  # texts a page repeats
    for texts in (lines, lines[:1], []):
        for words in (None, {t.strip(): WORD.findall(t.strip().lower()) for t in texts}):
            assert line_features(texts, stop, words) == plain_line_features(texts, stop)
            assert line_features(texts, None, words) == plain_line_features(texts, None)


def test_a_menu_line_is_what_its_patterns_say():
    from cleaner.page import SENTENCE_END
    from cleaner.pagekind import CODE, LIST_ITEM, looks_like_menu

    config = Config()
    for text in page_texts(17):
        text = text.strip()
        n = len(text.split())
        plain = (1 <= n <= config.page_menu_words and text.count("|") < 2 and not SENTENCE_END.search(text)
                 and not LIST_ITEM.match(text) and not CODE.search(text))
        assert looks_like_menu(text, n, config) == plain, repr(text)
