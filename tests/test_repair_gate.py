"""The encoding repair looks at only some lines; the result is as if ftfy ran on all of them.

`repair_encoding` runs ftfy (and the space normalisation) only on lines holding
a repair mark, and ftfy only where it could change something. The reference
here runs ftfy, with the same configuration, on every line, then the same space
normalisation: the texts and the records of what was fixed must be the same,
for every document of the benchmark corpus, for hand-made broken lines, and for
random lines made of the characters ftfy's mojibake heuristic looks at.
"""

import random
import unicodedata
from pathlib import Path

import ftfy
import pytest
from ftfy import badness

from cleaner import Config, Document
from cleaner.context import Context
from cleaner.ruleset import RuleSet
from cleaner.stages.repair import (
    MOJIBAKE_MARKS,
    NEEDS_FTFY,
    REPAIR_MARKS,
    UNICODE_SPACES,
    ZERO_WIDTH,
    ftfy_config,
    read_badness,
    repair_encoding,
)

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = [Config(), Config(unescape_html=False), Config(normalize_spaces=False)]


def reference(text: str, config: Config) -> tuple[list[str], list[tuple[int, tuple[str, ...]]]]:
    """Every line through ftfy, then the space normalisation: the lines, and (line, fixes)
    for each line something was done to."""
    fixer = ftfy_config(config)
    lines, fixed_lines = [], []
    for no, line in enumerate(ftfy.fixes.fix_line_breaks(text).split("\n"), 1):
        fixes = []
        fixed, steps = ftfy.fix_and_explain(line, fixer)
        if fixed != line:
            fixes += [f"{kind} {name}" if kind in ("encode", "decode") else name for kind, name in steps or ()]
        if config.normalize_spaces:
            spaced = UNICODE_SPACES.sub(" ", fixed)
            if spaced != fixed:
                fixes.append("normalize_spaces")
            fixed = ZERO_WIDTH.sub("", spaced)
            if fixed != spaced:
                fixes.append("remove_zero_width")
        if config.nfc and unicodedata.normalize("NFC", fixed) != fixed:
            fixed = unicodedata.normalize("NFC", fixed)
            fixes.append("nfc")
        lines.append(fixed)
        if fixes:
            fixed_lines.append((no, tuple(fixes)))
    return lines, fixed_lines


def assert_as_if_every_line(text: str, config: Config) -> None:
    doc = repair_encoding(Document(id="t", source="t", text=text), Context(config, RuleSet(())))
    lines, fixed = reference(text, config)
    assert [ln.text for ln in doc.lines] == lines
    assert doc.text == "\n".join(lines)
    assert [(r.line, r.fixes) for r in doc.repairs] == fixed


def test_every_document_of_the_benchmark_corpus(bench_corpus):
    for _id, text in bench_corpus.documents(60, seed=0):
        assert_as_if_every_line(text, Config())


BROKEN = [
    "Ã©tÃ© en Ã‰cosse",  # UTF-8 read as Latin-1
    "donâ€™t stop â€œbelievingâ€\x9d",  # UTF-8 read as Windows-1252
    "the end\x85 of the line",  # a C1 control
    "AT&amp;T and &eacute;t&eacute; &lt;b&gt;",  # entities, and a "<" that turns unescaping off
    "Q&A &#8220;quoted&#8221; &#x41;",
    "\x1b[31mred\x1b[0m text",  # terminal escapes
    "a lone \ud83d surrogate, a pair \ud83d\udca9",
    "РџСЂРёРІРµС‚, РјРёСЂ",  # UTF-8 read as Windows-1251
    "Î”Î·Î¼Î¿ÎºÏÎ±Ï„Î¯Î±",  # Greek UTF-8 read as Windows-1252
    "voilÃ  le travail",
    "â€¦ and then â€“ a dash",
    "Iâ€™m â€˜quotedâ€™ â€” â„¢",
    "caf\u00e9\u00a0au lait\u200b and\u00adso\ufeff on",  # spaces and zero-width characters
    "control\x00chars\x07here\x7f",
    "\u206a\ufff9annotation\ufffc",
    "Zoë Lefèvre opened the café in the old town three years ago",
    "curly “quotes” and ‘apostrophes’ – dashes — and … ellipses",
    "Ã¼ber Ã¶ffentlich â‚¬ 5",
    "Ã\xa0 la carte",
    "Â© 2024 Â® Â·",
    "√© MacRoman ‚Äô",
    "plain ASCII, untouched",
    "",
]


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "no-unescape", "no-spaces"])
def test_hand_made_broken_lines(config):
    assert_as_if_every_line("\n".join(BROKEN), config)
    for line in BROKEN:
        assert_as_if_every_line(line, config)


def test_random_lines_of_the_characters_ftfy_looks_at():
    pool = sorted(set("".join(badness.MOJIBAKE_CATEGORIES.values()).replace("-", ""))
                  | set("ÂÃÎÐâ€™œžŠš¢£Ÿ\xa0\xad®©°·»–—´ØÙ²³µ¹¼½¾√±∂†≠™≤≥¥ø≈‚Äìîïòôúùûπ°¢âóàäêвЂВГРСΒΓΞΟβ")
                  | set("abcdefgXYZ .,?!'\"&;#<\x1b\x85\u200b") | {"’", "“", "”"})
    rng = random.Random(20260101)
    lines = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    assert_as_if_every_line("\n".join(lines), Config())


def test_the_mojibake_pattern_is_read_and_the_marks_are_narrow():
    found = read_badness()
    assert found is not None, "ftfy's BADNESS_RE has changed shape: the gate falls back to every non-ASCII line"
    _marks, longest = found
    assert 2 <= longest <= 16
    for common in "’‘“”–—…•©®™\xa0 abcXYZ.,'\"":
        assert common not in MOJIBAKE_MARKS
    assert "&" in REPAIR_MARKS and "\x85" in REPAIR_MARKS and "\u200b" in REPAIR_MARKS


def test_a_line_without_marks_is_left_alone_by_ftfy_and_the_space_rules():
    rng = random.Random(7)
    pool = [c for c in map(chr, range(0x20, 0x3000)) if c not in REPAIR_MARKS and c.isprintable()]
    fixer = ftfy_config(Config())
    for _ in range(3000):
        line = "".join(rng.choice(pool) for _ in range(rng.randint(1, 20)))
        assert ftfy.fix_and_explain(line, fixer).text == line
        assert not (UNICODE_SPACES.search(line) or ZERO_WIDTH.search(line))
        assert not NEEDS_FTFY.search(line) or not badness.is_bad(line)
