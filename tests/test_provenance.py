"""Every removal is accounted for: the words of the repaired input are exactly the
words of the body plus the words of the spans taken out, and every span names a
rule that is in force and the line its words come from."""

from collections import Counter
from pathlib import Path

import pytest
import regex

from cleaner.golden import documents
from cleaner.ruleload import load_rules
from cleaner.ruletest import examples
from cleaner.builtin import BUILTIN_RULES

ROOT = Path(__file__).resolve().parent.parent
WORDS = regex.compile(r"\w+")


def words(text: str) -> Counter:
    return Counter(WORDS.findall(text))


def accounted(doc, rules) -> None:
    taken = Counter()
    for span in doc.removed:
        taken += words(span.text)
    assert words(doc.text) == words(doc.body) + taken
    lines = doc.text.split("\n")
    for span in doc.removed:
        assert rules.get(span.rule) is not None or span.rule in BUILTIN_RULES, span
        # a span taken after another on the same line holds what that one left
        assert words(span.text) <= words(lines[span.line - 1]), span


def seed_docs():
    from cleaner.pipeline import Cleaner

    return [doc for _, _, doc in documents(ROOT / "seeds", Cleaner(), [])]


@pytest.mark.parametrize("doc", seed_docs(), ids=lambda d: d.id)
def test_seed_removals_account_for_the_difference(doc):
    accounted(doc, load_rules())


def test_rule_example_removals_account_for_the_difference():
    from cleaner.pipeline import clean_text

    rules = load_rules()
    for rule in rules:
        for ex in examples(rule):
            accounted(clean_text(ex.text), rules)
