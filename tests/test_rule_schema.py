"""The rule schema (`cleaner.ruleschema`) and the loop that reads a table against it
(`cleaner.tableschema`): each key's check, default, needs and place, with the exact
sentence a broken rule gets. (tests/test_rule_files.py checks the same through files.)"""

import json
import re

import pytest

from cleaner.ruleload import RuleFileError, load_rule_text, load_rules
from cleaner.ruleschema import SCHEMA, check_rule
from cleaner.tableschema import Either, Given, Is, Key, Need, OneOf, check_table, flag, text

GONE = object()
BASE = {
    "id": "U001", "name": "house-footer", "stage": "strip_comments", "description": "Our site's footer line.",
    "action": "drop", "pattern": "(?i)all rights reserved", "remove": ["All rights reserved"],
    "keep": ["The council said all rights reserved were sold."],
}
ANY_PARAGRAPH = {"action": "embed", "kind": "tweet", "scope": "paragraph"}
SECTION = {"scope": "rest", "evidence": "Hi .*"}
DETECTOR = {"pattern": GONE, "detector": "comment-thread"}
EITHER = "give either `pattern` (a regular expression) or `detector` (a built-in detector), not both or neither."
ONLY_REST = '`evidence` and `min_evidence` only go with scope = "rest".'


def toml(**changes) -> str:
    """A rule file of one rule: BASE with these changes (strings, lists, numbers and tables of them)."""
    def value(v):
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
        return json.dumps(v)

    table = {k: v for k, v in {**BASE, **changes}.items() if v is not GONE}
    return "[[rule]]\n" + "".join(f"{k} = {value(v)}\n" for k, v in table.items())


def problems(user: bool = False, **changes) -> list[str]:
    table = {**BASE, **changes}
    found: list[str] = []
    check_rule({k: v for k, v in table.items() if v is not GONE}, found.append, user=user)
    return found


CASES = [
    # the values themselves
    ({"id": "U 1"}, ['`id` is missing or malformed: give a short permanent id of letters, digits, \'-\' or \'_\' '
                     '(like "C101").']),
    ({"description": GONE}, ["`description` is missing: every rule needs a description."]),
    ({"page_edge": 1}, ["`page_edge` must be true or false: whether what the rule takes out sits at an article's edge."]),
    ({"article_end": "yes"}, ["`article_end` must be true or false: whether what the rule takes out is found only "
                              "where an article ends."]),
    ({"scope": "page"}, ["`scope` is 'page'; it must be one of line, span, paragraph, rest, list."]),
    ({"where": "top"}, ["`where` is 'top'; it must be one of anywhere, head, after-head, tail, first."]),
    ({"stage": GONE, "name": "  "}, ["`name` is missing: every rule needs a name.",
                                     "`stage` is None; it must be one of split_metadata, strip_header, "
                                     "strip_comments, social_embeds."]),
    ({"needs": "M005"}, ['`needs` must be a list of rule ids, like needs = ["M005"]: the rules whose work this one uses.']),
    ({"languages": "de"}, ['`languages` must be a list of language codes, like languages = ["de", "nl"].']),
    ({"languages": ["de", "dee"]}, ["unknown language 'dee' in `languages`. Did you mean 'de'? Use a code that `clean` "
                                    'can tell (BCP 47, like "de", "pt", "ja"; docs/rules.md lists them).']),
    ({"conclusive": "yes"}, ["`conclusive` must be true or false: whether only a comment section has the heading."]),
    ({"remove": "All rights reserved"}, ["`remove` must be a list of example texts."]),
    ({"keep": ["  "]}, ["`keep` must be a list of example texts."]),
    ({"remove": []}, ["missing examples: `remove` needs at least one text the rule must take out."]),
    ({"keep": GONE}, ["missing examples: `keep` needs at least one text the rule must leave alone."]),
    # what a key needs
    ({"action": "move"}, ["a `move` rule needs `field`, one of title, date, authors, captions (it is None)."]),
    ({"action": "move", "field": "body"}, ["a `move` rule needs `field`, one of title, date, authors, captions "
                                           "(it is 'body')."]),
    ({"action": "embed", "scope": "paragraph"}, ['an `embed` rule needs `kind`, the kind of post it finds (like "tweet").']),
    ({**SECTION, "evidence": GONE, "min_evidence": 2}, ["`evidence` must be a non-empty regular expression."]),
    ({**SECTION, "min_evidence": 0}, ["`min_evidence` must be a whole number of lines, 1 or more."]),
    ({**SECTION, "min_evidence": True}, ["`min_evidence` must be a whole number of lines, 1 or more."]),
    ({"start": "first"}, ["`start` only goes with `evidence`: it says which matching line starts the section the "
                          "evidence proves."]),
    ({"start": "middle"}, ['`start` must be "first" or "last" (got \'middle\'): which matching line starts the section.']),
    # where a key goes
    ({"field": "title"}, ['`field` only goes with action = "move".']),
    ({"kind": "tweet"}, ['`kind` only goes with action = "embed".']),
    ({"action": "embed", "kind": "tweet"}, ['an `embed` rule takes a whole paragraph: set scope = "paragraph".']),
    ({"scope": "list", "action": "move", "field": "title"}, ['a `list` rule drops the section it finds: set action = "drop".']),
    ({"evidence": "Hi .*"}, [ONLY_REST]),
    ({"evidence": "(Hi", "min_evidence": 0}, [ONLY_REST, "`min_evidence` must be a whole number of lines, 1 or more."]),
    ({"conclusive": True}, ['`conclusive` only goes with scope = "rest".']),
    ({"weak": "yes"}, ["`weak` must be true or false: whether the heading is weak evidence, so the cut may take "
                       "only a small share of the text."]),
    ({"weak": True}, ['`weak` only goes with scope = "rest".']),
    ({**SECTION, "weak": True, "conclusive": True}, ["a heading cannot be both `weak` and `conclusive` evidence: "
                                                     "keep the one that says what it proves."]),
    ({"replace": True}, ["`replace` is only for a user's rule files (--rules), to replace a shipped rule."]),
    ({"user": True, "replace": "no"}, ["`replace` must be true or false: whether the rule takes the place of the "
                                       "shipped rule with its id."]),
    ({"params": {"max_words": 3}}, ["`params` only goes with a `detector`."]),
    # a pattern or a detector
    ({"detector": "headline"}, [EITHER]),
    ({"pattern": GONE, "params": {"max_words": 3}}, [EITHER]),
    ({"pattern": ""}, ["`pattern` must be a non-empty regular expression."]),
    ({**DETECTOR, "detector": "headlin"}, ["unknown detector 'headlin'. Did you mean 'headline'? Known detectors: "
                                           "comment-thread, repeated-line, title-repeat, repeated-paragraph, headline."]),
    ({**DETECTOR, "params": 3}, ["`params` must be a table, like params = { max_words = 40 }."]),
    ({**DETECTOR, "params": {"min_posts": "3"}}, ["parameter 'min_posts' must be a int, like 3."]),
    ({**DETECTOR, "params": {"signed": "below"}}, ["parameter 'signed' is 'below'; it must be one of before, after."]),
    # cases
    ({"case": [{"body": "x"}]}, ["case 1 needs an `input` text, in a [[rule.case]] table."]),
    ({"case": "x"}, ["case 1 needs an `input` text, in a [[rule.case]] table."]),
    ({"case": [{"input": "x", "body": "x"}, {"input": "x"}]}, ["case 2: give at least one expected field "
                                                               "(body, title, date, authors, captions, embeds)."]),
    ({"case": [{"input": "x", "bdy": "x"}]}, ["case 1: unknown key 'bdy'. Did you mean 'body'?"]),
]


@pytest.mark.parametrize("changes, expected", CASES, ids=[" ".join(c) for c, _ in CASES])
def test_a_broken_rule_gets_exactly_these_sentences(changes, expected):
    assert problems(**changes) == expected


@pytest.mark.parametrize("changes", [
    {},
    {"conclusive": False, "page_edge": False},  # a flag set to false goes anywhere
    {**SECTION, "conclusive": True, "start": "first", "min_evidence": 2},
    {**ANY_PARAGRAPH}, {"action": "move", "field": "date"},
    {**DETECTOR, "params": {"signature": "says:$", "signed": "after"}},
], ids=str)
def test_a_good_rule_has_no_problem(changes):
    assert problems(**changes) == []


def test_a_pattern_that_does_not_compile_says_why():
    assert problems(pattern="(x")[0].startswith("pattern does not compile: missing ) at position 2. ")
    assert problems(**{**SECTION, "evidence": "(Hi"})[0].startswith("evidence does not compile: ")
    assert problems(**DETECTOR, params={"signature": "(x"})[0].startswith("params.signature does not compile: ")


def test_every_sentence_of_the_schema_is_checked_above():
    """A key added to the schema brings a case to the table."""
    expected = [p for _, found in CASES for p in found]
    for entry in SCHEMA:
        sentences = [entry.message] + ([entry.misplaced, entry.each_message, entry.empty] if isinstance(entry, Key) else [])
        for sentence in filter(None, sentences):
            shape = re.compile(".*?".join(map(re.escape, re.split(r"\{[^}]*\}", sentence))), re.S)
            assert any(shape.fullmatch(p) for p in expected), f"no case above gets: {sentence}"


def test_the_values_read_become_the_rule():
    rule = load_rule_text(toml(**SECTION, start="first", article_end=True)).get("U001")
    assert (rule.scope, rule.evidence.pattern, rule.start, rule.min_evidence, rule.where) == ("rest", "Hi .*", "first", 1, "anywhere")
    assert rule.article_end and rule.page_edge, "a rule that marks an article's end marks its edge"
    assert rule.regex.pattern == rule.pattern and rule.params == () and rule.cases == ()
    thread = load_rule_text(toml(**DETECTOR, params={"min_posts": 2})).get("U001")
    assert thread.regex is None and thread.param("min_posts") == 2 and thread.param("signed") == "before"


def test_a_problem_names_the_file_and_the_rule_or_its_place():
    with pytest.raises(RuleFileError) as e:
        load_rule_text('[[rule]]\nid = "U001"\n[[rule]]\nname = "x"\n', "mine.toml")
    assert e.value.problems[0].startswith("mine.toml: rule U001: `name` is missing")
    assert any(p.startswith("mine.toml: rule #2 (no id): `id` is missing or malformed") for p in e.value.problems)


def test_only_a_user_file_may_replace(tmp_path):
    (tmp_path / "mine.toml").write_text(toml(id="C101", replace=True), encoding="utf-8")
    assert load_rules([tmp_path]).get("C101").name == "house-footer"
    with pytest.raises(RuleFileError, match="`replace` is only for a user's rule files"):
        load_rule_text(toml(id="C101", replace=True))


# --- the loop, on a schema of its own ------------------------------------------------------

BOX = (
    Key("size", OneOf(("small", "large")), default="small", message="`{key}` is {value!r}.{hint}"),
    Key("lid", flag, default=False, only_with=Is("size", "large"), misplaced="only a large box has a `lid`."),
    Key("label", text, needed=Is("lid", True), message="a box with a lid needs a `label`."),
    Need(Is("size", "large"), Given("handle", "wheels"), "a large box needs a `handle` or `wheels`."),
    Either(("handle", "wheels"), "a box has a `handle` or `wheels`: one of them.", then=("grip",)),
    Key("handle", flag), Key("wheels", flag),
    Key("grip", text, only_with=Given("handle"), misplaced="only a handle has a `grip`.", message="grip?"),
)


@pytest.mark.parametrize("table, expected", [
    ({"size": "smal"}, ["`size` is 'smal'. Did you mean 'small'?", "a box has a `handle` or `wheels`: one of them."]),
    ({"size": "large", "lid": True, "handle": True}, ["a box with a lid needs a `label`."]),  # needed, so read when missing
    ({"lid": True, "label": 3, "handle": True}, ["only a large box has a `lid`.", "a box with a lid needs a `label`."]),
    ({"lid": False, "handle": True}, []),  # a flag set to false is as if not given
    ({"size": "large"}, ["a large box needs a `handle` or `wheels`.", "a box has a `handle` or `wheels`: one of them."]),
    ({"handle": True, "wheels": True, "grip": 5}, ["a box has a `handle` or `wheels`: one of them."]),  # `grip` is not read
    ({"wheels": True, "grip": "rubber"}, ["only a handle has a `grip`."]),
    ({"handle": True, "grip": 5}, ["grip?"]),
    ({"handle": True, "colour": "red"}, ["unknown key 'colour'. Remove it or fix its spelling."]),
])
def test_the_loop_reads_place_then_value_in_the_schema_s_order(table, expected):
    found: list[str] = []
    values = check_table(BOX, table, found.append)
    assert found == expected
    assert (values is None) == bool(expected)


def test_the_loop_gives_each_key_its_value_or_its_default():
    assert check_table(BOX, {"wheels": True, "label": "fragile"}, print) == {
        "size": "small", "lid": False, "label": "fragile", "handle": None, "wheels": True, "grip": None}
