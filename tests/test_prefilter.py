"""The prefilter (`cleaner.prefilter`) never hides from a rule a line its pattern matches.

Soundness is checked the only way that proves it for a given text: run the
pattern itself. Every text a rule's pattern matches (in full, once stripped, for
line, rest and list rules; anywhere, for span and paragraph rules) must be among
the texts the gates let through for that rule. The texts are the shipped rules'
own examples, the seeds, the benchmark corpus, and hand-made lines for patterns
chosen for what could trip the analysis (case folding, backreferences, group
calls, look-arounds, anchors, flags).
"""

import pickle
import random
import typing
from pathlib import Path

import pytest
import regex

from cleaner import Cleaner, Config
from cleaner.text import WHITE_SPACE, word_count
from cleaner.prefilter import GateTable, fold, gate
from cleaner.ruleload import load_rule_text, load_rules
from cleaner.ruleset import NARROW_WHERES, WHOLE_LINE_SCOPES, RuleSet

ROOT = Path(__file__).resolve().parent.parent


def matches(pattern, text: str, whole: bool) -> bool:
    if whole:
        stripped = text.strip()
        return bool(stripped) and pattern.fullmatch(stripped) is not None
    return pattern.search(text) is not None


def missed(rules, texts) -> list[tuple[str, str]]:
    """(rule id, text) of every text a gated rule's pattern matches that the gates hide."""
    table = GateTable((r.id, r.gate, r.scope in WHOLE_LINE_SCOPES) for r in rules if r.regex is not None)
    texts = list(dict.fromkeys(texts))
    hits = table.hits(texts)
    out = []
    for r in rules:
        if r.regex is None or not table.is_gated(r.id):
            continue
        whole = r.scope in WHOLE_LINE_SCOPES
        let_through = hits.get(r.id, set())
        out += [(r.id, t) for t in texts if t not in let_through and matches(r.regex, t, whole)]
    return out


def shipped_examples(rules) -> list[str]:
    lines = []
    for r in rules:
        for text in r.remove + r.keep + tuple(c.input for c in r.cases):
            lines += text.split("\n")
    return lines


def test_shipped_rules_miss_nothing_in_their_examples_and_the_seeds():
    rules = load_rules()
    lines = shipped_examples(rules)
    for f in sorted((ROOT / "seeds").rglob("*.txt")):
        lines += f.read_text(encoding="utf-8", errors="replace").split("\n")
    assert missed(rules, lines) == []


def test_shipped_rules_miss_nothing_in_the_benchmark_corpus(bench_corpus):
    rules = load_rules()
    for _id, text in bench_corpus.documents(40, seed=0):
        assert missed(rules, text.split("\n")) == []


def test_most_shipped_rules_are_narrowed_down():
    table = load_rules().gates
    assert len(table.gated) >= 50
    # exactly the head and first-line rules run ungated, on those few lines
    narrow = {r.id for r in load_rules() if r.regex is not None and r.where in NARROW_WHERES}
    assert table.ungated == narrow and {"M001", "M002", "M003", "M009", "M011"} <= narrow


def rule_file(pattern: str, scope: str = "line") -> RuleSet:
    quoted = pattern.replace("'''", "")
    return load_rule_text(f"""
[[rule]]
id = "T001"
name = "test"
stage = "strip_header"
description = "A pattern under test."
action = "drop"
scope = "{scope}"
pattern = '''{quoted}'''
remove = ["x"]
keep = ["y"]
""")


# (pattern, scope, texts the pattern is expected to match, in whatever case or form)
TRICKY = [
    (r"(?i)independently\s+chosen", "line", ["İNDEPENDENTLY CHOSEN", "ındependently chosen", "Independently  chosen"]),
    (r"(?i)stra(?:ß|ss)e", "line", ["STRASSE", "Straße", "STRAẞE"]),
    (r"(?i)kelvin\s+ks", "line", ["KELVIN KS", "\u212aelvin \u212as", "kelvin ſ".replace("ſ", "kſ")]),
    (r"(?i)σοφία", "line", ["ΣΟΦΊΑ", "σοφία", "ςοφία"]),
    (r"foo(?:\s*bar)", "line", ["foo bar", "foobar", "  foo \t bar  "]),
    (r"\[?\s*read\s+more\s*:.*", "line", ["[ read more: x", "read more:", "Read more:"[0:0] + "read more: y"]),
    (r"\s*leading", "line", ["leading", "   leading"]),
    (r"(?x) foo \# \s bar  # a comment", "line", ["foo# bar"]),
    (r"(?P<t>\S.{3,20}?\S)\s*(?P=t)", "line", ["hello world hello world", "abcdeabcde"]),
    (r"(?i)(?P<t>\w{3,})\s+(?P=t)", "line", ["abc ABC", "Word word"]),
    (r"(\w+) \1", "line", ["hey hey"]),
    (r"(?|(a)|(b))\1", "line", ["aa", "bb"]),
    (r"(<)?\w+(?(1)>)", "line", ["<a>", "abc"]),
    (r"(?(DEFINE)(?P<w>cat|dog))(?&w)s? and (?&w)s?", "line", ["cats and dogs", "dog and cat"]),
    (r"\((?:[^()]|(?R))*\)", "line", ["(a(b)c)", "()"]),
    (r"(?<=^)foo|(?<!x)bar", "line", ["foo", "bar"]),
    (r"foo(?=bar)bar", "line", ["foobar"]),
    (r"^foo$|\Abar\Z", "line", ["foo", "bar"]),
    (r"a++b|(?>ab|a)b", "line", ["aab", "ab"]),
    (r"(?:hello){e<=1}", "line", ["helo", "hello", "jello"]),
    (r"(?=.{1,50}$)(?:foo|.{0,10}bar)", "line", ["foo", "xx bar", "bar"]),
    (r".{0,200}\bnewsletters?\b.{0,50}", "line", ["Sign up to our Newsletter today", "newsletters"]),
    (r"[^\p{L}\p{N}]+", "line", ["—", "\u200c", "***", "“…”"]),
    (r"\d{4}-\d{2}", "line", ["2020-01", "٢٠٢٠-٠١"]),
    (r"(?i)[a-z]+x", "line", ["ABCX", "abx"]),
    (r"(?m)^foo$", "line", ["foo"]),
    (r"(?s)a.b", "line", ["a\u2028b", "axb"]),
    (r"(?V1)(?i)strasse", "line", ["STRASSE", "Straße"]),
    (r"(?r)foo\d", "line", ["foo1"]),
    (r"(?i)ﬁle", "line", ["ﬁle", "FILE"]),
    (r"\X+", "line", ["é", "abc"]),
    (r"x*", "line", ["xxx"]),
    (r"(?i)https?://t\.co/\w+", "span", ["see HTTPS://T.CO/abc now", "http://t.co/x"]),
    (r"(?:^|\s)—\s*(?P<author>[^\n()@]{1,80}?)\s*\(@(?P<handle>\w{1,15})\)\s*\Z", "paragraph",
     ["A post — Jane Doe (@jane)", "— x (@y)"]),
    (r"\s+", "span", ["a  b", "   "]),
    (r"(?i)(?:comment|kommentar)e?s?\s*\(\d+\)", "rest", ["Comments (3)", "KOMMENTARE (12)"]),
    (r"(?i)most\s+read", "list", ["Most read", "MOST  READ"]),
    (r"(?i)(?:about\s+|~)?\d{1,3}\s*min\s+read", "line", ["5 min read", "About 12 min read", "~3min read"]),
    (r"(?=.{1,40}$)(?:\[\s*)?(?:ad|sponsored)\]?", "line", ["[ Ad]", "sponsored", "ad]"]),
    (r"(?:a)?(?:b)?(?:c)?(?:d)?(?:e)?(?:f)?(?:g)?x", "line", ["abcdefgx", "x", "dx", "aceg x"[0:0] + "acegx"]),
]


@pytest.mark.parametrize("pattern, scope, texts", TRICKY)
def test_tricky_patterns_miss_nothing(pattern, scope, texts):
    rules = rule_file(pattern, scope)
    whole = scope in WHOLE_LINE_SCOPES
    compiled = rules.rules[0].regex
    assert any(matches(compiled, t, whole) for t in texts), "the listed texts are to be matched"
    rng = random.Random(pattern)
    alphabet = "".join(sorted(set("".join(texts)) | set(" ab\t")))
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(300)]
    # the same texts inside documents of other lines, blank ones among them
    assert missed(rules, texts + fuzz + ["", "  ", "Some other line of text."]) == []


def test_a_line_of_one_repeated_class_is_let_through_only_when_every_character_is_in_it():
    # a line of symbols: a line that starts with a quote mark, then has words, cannot match
    rules = rule_file(r"[^\p{L}\p{N}]+")
    texts = ["“Quoted,” she said.", "***", " — — ", "“…”", "— 1", "#"]
    let_through = rules.gates.hits(texts).get("T001", set())
    assert let_through == {"***", " — — ", "“…”", "#"}
    assert missed(rules.rules, texts) == []


def test_an_optional_opening_gives_each_way_its_own_start():
    # "(about|~)? <digits> min read": a line must begin with "about", "~" or a digit, which
    # the alternative taken whole cannot say (its optional piece may be absent)
    found = gate(r"(?i)(?:about\s+|~)?\d{1,3}\s*min\s+read", True)
    starts = {text for alt in found.alternatives for text in alt.starts or ()}
    assert starts == {"about", "~"}
    assert [alt.first.pattern for alt in found.alternatives if alt.first is not None] == [r"\p{GENERALCATEGORY=DECIMALNUMBER}"]


def test_optional_openings_split_no_further_than_the_limit():
    from cleaner.prefilter import ALTERNATIVE_LIMIT

    found = gate("".join(f"(?:{c}{c})?" for c in "abcdefghijklmnop") + "x", True)
    assert found is not None and len(found.alternatives) <= ALTERNATIVE_LIMIT


def test_a_start_text_with_a_line_break_hides_no_other_line():
    # "ab\ncd" can begin no line; looked for across lines, it would swallow the start of the next
    rules = load_rule_text("\n".join(f"""
[[rule]]
id = "T00{n}"
name = "test-{n}"
stage = "strip_header"
description = "A pattern under test."
action = "drop"
pattern = '{pattern}'
remove = ["x"]
keep = ["y"]
""" for n, pattern in ((1, r"ab\ncd.*"), (2, r"cdef.*"))))
    assert all(rules.gates.is_gated(r.id) for r in rules.rules)
    texts = ["ab", "cdef gh", "ab", "  cdef"]
    assert [t for t in texts if rules.rules[1].regex.fullmatch(t.strip())] == ["cdef gh", "  cdef"]
    assert missed(rules.rules, texts) == []


def test_patterns_are_read_in_the_prefilter_own_nodes():
    """`parse` hands out a tree of `cleaner.patterntree` nodes, and nothing of
    `regex`'s: immutable, hashable, picklable; a group a call leads to is the very
    group of the tree."""
    from cleaner import patterntree as syntax
    from cleaner.prefilter import parse

    kinds = set(typing.get_args(syntax.Node))
    patterns = [r.pattern for r in load_rules() if r.pattern] + [pattern for pattern, _scope, _texts in TRICKY]
    for pattern in patterns:
        try:
            tree, groups = parse(pattern)
        except ValueError:  # a reversed pattern is not read
            continue
        nodes, stack = [], [tree]
        while stack:
            nodes.append(stack.pop())
            stack.extend(syntax.children(nodes[-1]))
        assert {type(node) for node in nodes} <= kinds, pattern
        assert pickle.loads(pickle.dumps(tree)) == tree and hash(tree) == hash(parse(pattern)[0])
        assert all(any(node is group for node in nodes) for number, group in groups.items() if number), pattern


def test_sets_are_compared_as_regex_compares_them():
    # ignoring case, `regex` merges the set ``b-`` into ``[ab-]`` but compares the set as
    # written: ``[ab\-]`` matches the same characters and is another set to it
    from cleaner import patterntree as syntax
    from cleaner.prefilter import parse

    one, two = (parse(pattern)[0] for pattern in (r"(?i)[ab-]", r"(?i)[ab\-]"))
    one, two = (tree.items[0] if type(tree) is syntax.Sequence else tree for tree in (one, two))
    assert type(one) is type(two) is syntax.SetUnion and one.items == two.items and one != two
    assert parse(r"[ab\-]")[0] == parse(r"[ab\-]")[0]


@pytest.mark.parametrize("pattern, whole", [(r"(?:hello){e<=1}", True), (r"(?r)foo\d", True), (r".*", True),
                                            (r"\X+", True), (r"(?V1)(?i)strasse", True), (r"\s+", False)])
def test_a_pattern_nothing_can_be_said_of_runs_everywhere(pattern, whole):
    assert gate(pattern, whole) is None


def test_a_slow_pattern_still_fails_the_document_with_its_id():
    rules = load_rule_text("""
[[rule]]
id = "U001"
name = "leave-a-reply"
stage = "strip_comments"
description = "A quick rule, then a slow one."
action = "drop"
pattern = '(?i)leave\\s+a\\s+reply'
remove = ["Leave a reply"]
keep = ["b"]

[[rule]]
id = "U002"
name = "catastrophic"
stage = "strip_comments"
description = "Backtracks without end on a long line of a's."
action = "drop"
pattern = '.{0,10}(a+)+$'
remove = ["aaaa"]
keep = ["b"]
""", "slow.toml")
    cleaner = Cleaner(rules, Config(regex_timeout=0.05))
    doc = cleaner.clean_text("Leave a reply\n" + "a" * 5000 + "b")
    assert "rule U002 (catastrophic, slow.toml) ran past the 0.05 s regex timeout on line 2" in (doc.rejected or "")


# --- the facts about characters the analysis relies on ----------------------------------

ALL_CHARS = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]


def test_white_space_is_what_backslash_s_matches_and_strip_removes():
    assert set(WHITE_SPACE) == set(regex.findall(r"\s", "".join(ALL_CHARS)))
    assert all(c.isspace() for c in WHITE_SPACE)


def test_folding_maps_each_character_to_one_and_keeps_white_space():
    folded = fold("".join(ALL_CHARS))
    assert len(folded) == len(ALL_CHARS)
    for c, f in zip(ALL_CHARS, folded):
        assert f == fold(c)
        assert f.isspace() == c.isspace() and (f == c or not c.isspace()), hex(ord(c))
    assert all(c.isspace() or not any(f.isspace() for f in c.casefold()) for c in ALL_CHARS)


def test_folding_makes_every_case_of_an_ascii_letter_that_letter():
    every = "".join(ALL_CHARS)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        assert {fold(c) for c in regex.findall(f"(?i){letter}", every)} == {letter}, letter


def test_printable_text_has_no_white_space_but_the_space():
    assert [c for c in ALL_CHARS if c.isspace() and c.isprintable()] == [" "]


@pytest.mark.parametrize("text", ["", " ", "a", " a  b ", "a b c", "a\tb", "x\xa0y", "  lead", "trail  ", "a  b",
                                  "one\u2003two", "\u200bzero width"])
def test_word_count_is_the_number_of_split_words(text):
    assert word_count(text) == len(text.split())


#: The shared corpora of real pages, where the checkout has them beside it (never in it).
SHARED = ROOT.parent / "shared" / "eval"


def real_texts(per_kind: int) -> list[str]:
    """The first ``per_kind`` files of every text kind of every shared corpus, if any."""
    files = []
    for kind in ("text", "text_trafilatura"):
        for corpus in sorted(SHARED.glob(f"*/{kind}")):
            files += sorted(corpus.glob("*.txt"))[:per_kind]
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def test_the_pipeline_cleans_as_it_does_with_every_rule_on_every_line(bench_corpus):
    """The fast paths of the rule machinery (the gates, rules' and detectors' patterns alike,
    and their checks made `fast`) change no output byte: a cleaner without any gate, every
    rule and every detector's line pattern run on every line, gives the same documents, on
    the bench corpus, the seeds and, where they are, pages of the shared corpora."""
    texts = [text for _id, text in bench_corpus.documents(25, seed=0)] + [f.read_text(encoding="utf-8", errors="replace")
                                   for f in sorted((ROOT / "seeds").rglob("*.txt"))] + real_texts(12)
    narrowed = Cleaner()
    everywhere = Cleaner()
    # every rule ungated: each runs on all the lines it may act on, as without the prefilter
    everywhere.rules.__dict__["gates"] = GateTable(
        (r.id, None, r.scope in WHOLE_LINE_SCOPES) for r in everywhere.rules if r.regex is not None)
    assert everywhere.rules.gates.narrowed == frozenset()
    assert any(r.param_gates for r in narrowed.rules)  # the detectors' patterns are gated too
    for n, text in enumerate(texts):
        assert narrowed.clean_text(text, id=str(n)).to_dict() == everywhere.clean_text(text, id=str(n)).to_dict()


def test_a_fast_check_answers_as_the_check_it_is_made_from(bench_corpus):
    """Every check of the shipped rules' gates, made one function (`fast`), gives on real
    and generated lines what the tree of checks gives."""
    from cleaner.prefilter.checks import fast

    table = load_rules().gates
    checks = [check for _first, entries in table.first_classes for _id, check in entries]
    checks += [check for _id, _whole, check in table.every] + [check for _id, _w, check, _l in table.screens]
    checks += [check for entries in table.by_start.values() for _id, check, _lits in entries]
    texts = [line for _id, text in bench_corpus.documents(30, seed=2) for line in text.split("\n")]
    texts += [line for text in real_texts(4) for line in text.split("\n")]
    pairs = [(fold(t).strip(), t.strip()) for t in dict.fromkeys(texts)]
    made = [(check, fast(check)) for check in dict.fromkeys(checks)]
    assert all(f is not c for c, f in made)  # none was left as it was
    for check, quick in made:
        for folded, stripped in pairs:
            assert quick(folded, stripped) == check(folded, stripped), (check, stripped)
