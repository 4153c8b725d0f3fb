"""Every example of every shipped rule file, collected without being listed here:
a new rule file brings its tests with it."""

import pytest
import regex

from cleaner.ruleload import load_rules
from cleaner.ruletest import check, examples

RULES = load_rules()
EXAMPLES = [ex for rule in RULES for ex in examples(rule)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[ex.name for ex in EXAMPLES])
def test_rule_example(example):
    problem = check(example, rules=RULES)
    assert problem is None, problem


def test_every_rule_has_both_kinds_of_example():
    for rule in RULES:
        assert rule.remove and rule.keep, rule.id


PATTERN_RULES = [r for r in RULES if r.pattern is not None]


def _with_pattern(rule, pattern):
    from dataclasses import replace

    return replace(rule, pattern=pattern, regex=regex.compile(pattern))


@pytest.mark.parametrize("rule", PATTERN_RULES, ids=[r.id for r in PATTERN_RULES])
def test_a_broken_pattern_fails_the_rules_examples(rule):
    """The examples pin the rule: one that matches nothing fails a `remove`
    example, one that matches everything fails a `keep` example."""
    never = _with_pattern(rule, r"(?!)")
    assert any(check(ex, rules=RULES) for ex in examples(never) if ex.kind == "remove")
    if rule.evidence is not None:
        # a section rule starts at its last heading (or its first reply): what must fail is evidence found everywhere
        from dataclasses import replace

        always = replace(rule, evidence=regex.compile(r"(?s).+"))
    else:
        always = _with_pattern(rule, r"(?s).+" if rule.scope != "paragraph" else r"(?s)(?P<author>\w+)(?P<handle>\w+)(?P<date>.+)\Z")
    assert any(check(ex, rules=RULES) for ex in examples(always) if ex.kind == "keep")


DETECTOR_RULES = [r for r in RULES if r.detector is not None and r.params]


@pytest.mark.parametrize("rule", DETECTOR_RULES, ids=[r.id for r in DETECTOR_RULES])
def test_a_detector_tuned_to_nothing_fails_its_examples(rule):
    from dataclasses import replace

    off = replace(rule, params=tuple((k, 10_000 if k.startswith("min") else 0) for k, _ in rule.params))
    assert any(check(ex, rules=RULES) for ex in examples(off) if ex.kind == "remove")
