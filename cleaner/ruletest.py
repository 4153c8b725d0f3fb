"""Every rule tests itself: its ``remove`` and ``keep`` examples and its cases.

Each example is cleaned by the whole pipeline with that one rule in force,
and the rules it ``needs`` (the encoding repair and tidy stages still run),
so an example shows exactly what the rule does in a real run:

- ``remove``: the rule must take something out of the text; a line rule must
  take out all of a one-line example.
- ``keep``: the rule must take nothing out, and the body must be the text as
  the pipeline would give it with no rules at all.
- a ``[[rule.case]]``: each field it names must come out as given (``""``
  stands for null; for ``embeds``, each listed key of each post is checked).

A user's rule can pass all that and still never fire: in a run with every rule in
force, another rule may take its text first (`shadowed`). Only users' rules are
checked so (`own_rules`): the shipped ones' examples are written to test them alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .builtin import BUILTIN_RULES
from .config import Config
from .pipeline import Cleaner
from .ruleset import Rule, RuleSet


@dataclass(frozen=True)
class Example:
    rule: Rule
    kind: str  # "remove", "keep", "case"
    index: int
    text: str
    expect: tuple[tuple[str, Any], ...] = ()

    @property
    def name(self) -> str:
        """``C101-please-enter-your-comment-remove1``: counted from 1, as `check` names it."""
        return f"{self.rule.id}-{self.rule.name}-{self.kind}{self.index + 1}"


def examples(rule: Rule) -> Iterator[Example]:
    for i, text in enumerate(rule.remove):
        yield Example(rule, "remove", i, text)
    for i, text in enumerate(rule.keep):
        yield Example(rule, "keep", i, text)
    for i, case in enumerate(rule.cases):
        yield Example(rule, "case", i, case.input, case.expect)


def check(example: Example, config: Config | None = None, rules: RuleSet | None = None) -> str | None:
    """``None`` if the example holds, else a sentence saying what went wrong.

    ``rules`` is the set the rule belongs to, where the rules it needs are found.
    """
    rule = example.rule
    config = config or Config()
    in_force = rules.only(rule) if rules is not None and rule.needs else RuleSet((rule,))
    # the rule alone: no stage of a plugin either
    doc = Cleaner(in_force, config, stages=()).clean_text(example.text, id=example.name)
    where = f"{rule.file}: rule {rule.id} ({rule.name}), {example.kind} example {example.index + 1}"
    if doc.rejected:
        return f"{where}: the example could not be cleaned: {doc.rejected}"
    taken = [s for s in doc.removed if s.rule == rule.id]
    if example.kind == "remove":
        if not taken:
            return f"{where}: took nothing out of {example.text!r}, which it must remove. Fix the pattern or the example."
        if rule.scope == "line" and rule.detector is None and "\n" not in example.text.strip() and doc.body:
            return f"{where}: left {doc.body!r} of {example.text!r}; a line rule must take the whole line."
    elif example.kind == "keep":
        if taken:
            return (f"{where}: took out {[s.text for s in taken]!r} from {example.text!r}, which it must leave alone. "
                    f"Narrow the pattern or fix the example.")
        plain = Cleaner(RuleSet(tuple(r for r in in_force if r.id != rule.id)), config, stages=()).clean_text(
            example.text).body
        if doc.body != plain:
            return f"{where}: changed the body to {doc.body!r} (expected {plain!r})."
    else:
        got = doc.to_dict()
        for key, want in example.expect:
            have = got[key]
            if key == "embeds":
                have = [{k: e.get(k) for k in w} for e, w in zip(have, want)] if len(have) == len(want) else have
            elif want == "" and key != "body":
                want = None
            if have != want:
                return f"{where}: {key} is {have!r}, the case expects {want!r}."
    return None


def check_all(rules: RuleSet, config: Config | None = None,
              only: Iterable[Rule] | None = None) -> list[tuple[Example, str | None]]:
    """Every example of every rule (or of the rules ``only`` names, which belong to ``rules``),
    each with `check`'s verdict."""
    return [(ex, check(ex, config, rules)) for rule in (rules if only is None else only) for ex in examples(rule)]


def own_rules(rules: RuleSet, paths: Iterable[Path | str]) -> tuple[Rule, ...]:
    """The rules in force that were read from these folders or files (``--rules``): those whose
    file is one of them, or lies right in one (the loader reads no subfolder)."""
    given = {Path(p) for p in paths}
    return tuple(r for r in rules if Path(r.file) in given or Path(r.file).parent in given)


@dataclass(frozen=True)
class Shadowed:
    """A rule whose every ``remove`` example a full run leaves to other rules (``takers``,
    their ids as first seen): it passes its own test, but never fires in a real run."""

    rule: Rule
    takers: tuple[str, ...]

    def sentence(self, rules: RuleSet) -> str:
        """What happens and what to do, naming the file, the rule and the rules that take its text."""
        rule, n = self.rule, len(self.rule.remove)
        which = "its remove example is" if n == 1 else f"each of its {n} remove examples is"
        by = " or ".join(_label(t, rules) for t in self.takers)
        mine = [t for t in self.takers if rules.get(t) is not None]
        todo = (f"Narrow or disable {' or '.join(mine)} for your corpus (disable = {json.dumps(mine)}), or drop this rule."
                if mine else "Drop this rule, or give it remove examples that a full run leaves to it.")
        return f"{rule.file}: rule {rule.id} ({rule.name}) is shadowed: in a full run, {which} taken by {by} " \
               f"instead, so it never fires. {todo}"


def _label(rule_id: str, rules: RuleSet) -> str:
    rule = rules.get(rule_id)
    if rule is not None:
        return f"{rule_id} ({rule.name})"
    builtin = BUILTIN_RULES.get(rule_id)
    return f"{rule_id} ({builtin}, built in)" if builtin else rule_id


def shadowed(rule: Rule, cleaner: Cleaner) -> Shadowed | None:
    """`Shadowed` if each of the rule's ``remove`` examples, cleaned by ``cleaner`` (the whole
    rule set in force, as a real run has it), loses text to other rules and none to this one;
    else None. An example that loses nothing at all (a guard held, the language was not told)
    is no sign of shadowing, so such a rule is not reported."""
    takers: dict[str, None] = {}
    for i, text in enumerate(rule.remove):
        doc = cleaner.clean_text(text, id=f"{rule.id}-{rule.name}-remove{i + 1}")
        taken = [s.rule for s in doc.removed]
        if rule.id in taken or not taken:
            return None
        takers.update(dict.fromkeys(taken))
    return Shadowed(rule, tuple(takers)) if takers else None
