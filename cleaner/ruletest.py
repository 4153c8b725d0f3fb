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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

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
        return f"{self.rule.id}-{self.rule.name}-{self.kind}{self.index}"


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


def check_all(rules: RuleSet, config: Config | None = None) -> list[tuple[Example, str | None]]:
    return [(ex, check(ex, config, rules)) for rule in rules for ex in examples(rule)]
