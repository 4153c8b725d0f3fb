"""The rules as the pipeline reads them: `Rule`, `Case` and `RuleSet`, and the words
a rule file may use for a rule's stage, action, scope and place.

Reading and checking rule files is `cleaner.ruleload`; applying a rule is
`cleaner.apply`.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from functools import cached_property
from typing import Any

from .document import LIST_FIELDS, SCALAR_FIELDS
from .language import speaks
from .prefilter import Gate, GateTable, gate

#: The stages that take rules, in pipeline order.
RULE_STAGES = ("split_metadata", "strip_header", "strip_comments", "social_embeds")
ACTIONS = ("drop", "move", "embed")
SCOPES = ("line", "span", "paragraph", "rest", "list")
#: Scopes whose pattern must match a whole (stripped) line; the others search within lines.
WHOLE_LINE_SCOPES = ("line", "rest", "list")
#: Where a rule acts on a few lines only (the head, the first line): it runs on them all.
NARROW_WHERES = ("head", "first")
WHERES = ("anywhere", "head", "after-head", "tail", "first")
MOVE_FIELDS = SCALAR_FIELDS + LIST_FIELDS
CASE_FIELDS = ("input", "body", "title", "date", "authors", "captions", "embeds")


def param_key(rule_id: str, param: str) -> str:
    """The key of a detector's pattern parameter among the rule set's gates: ``C123.signature``."""
    return f"{rule_id}.{param}"


@dataclass(frozen=True)
class Case:
    """An exact expectation: cleaning ``input`` with the rule alone gives these fields."""

    input: str
    expect: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    stage: str
    description: str
    action: str
    file: str
    pattern: str | None = None
    detector: str | None = None
    params: tuple[tuple[str, Any], ...] = ()
    #: The detector's parameters that are patterns matched in full against stripped lines
    #: (`cleaner.detectors.DetectorSpec.line_patterns`): the prefilter narrows down the
    #: lines each of them may match, as it does a pattern rule's (`param_gates`).
    line_params: tuple[str, ...] = ()
    scope: str = "line"
    where: str = "anywhere"
    field: str | None = None
    kind: str | None = None
    evidence: Any = dc_field(default=None, compare=False, repr=False)
    min_evidence: int = 1
    #: Which matching line starts a section that needs `evidence`: the ``"last"`` (a bare
    #: "Comments" heading: the same word is a button above the article) or the ``"first"``
    #: (a reply that greets another commenter: the replies after it are the evidence).
    start: str = "last"
    needs: tuple[str, ...] = ()
    #: What it takes out is page furniture found between an article and the rest of a page
    #: (a share bar, a comment form), not inside an article: evidence for the page
    #: classifier that the main text does not run on across it (`cleaner.page.main_text`).
    page_edge: bool = False
    #: What it takes out is found only where an article ends (a blog's "This entry was
    #: posted in ... Bookmark the permalink."): a section heading below it, with prose
    #: above it, is below the article (`cleaner.guard.safe_cut`). Implies `page_edge`.
    article_end: bool = False
    #: A section rule's heading is one that only a comment section has ("Leave a Reply",
    #: "3 thoughts on “Title”"): its cut needs no other evidence, however much it takes
    #: (`Config.max_unproven_cut`).
    conclusive: bool = False
    #: A section rule's heading is weak evidence (a reply's opening words, "Wow, ...",
    #: "Well said."): its cut takes at most `Config.max_unproven_cut` of the document's
    #: words, whatever stands above it (`cleaner.guard.safe_cut`'s other routes do not hold).
    weak: bool = False
    #: The languages whose words the pattern holds (codes of `cleaner.language`): the rule
    #: applies only to documents in one of them, or whose language is not told. Empty: all.
    languages: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    cases: tuple[Case, ...] = ()
    regex: Any = dc_field(default=None, compare=False, repr=False)

    def param(self, key: str) -> Any:
        return dict(self.params)[key]

    @cached_property
    def gate(self) -> Gate | None:
        """What a line must hold for this rule's pattern to match it (`cleaner.prefilter`), or
        None when the rule is to run on every line it may act on: a detector, a rule that acts
        on the head or the first line only (a few lines), a pattern the analysis cannot read."""
        if self.pattern is None or self.regex is None or self.where in NARROW_WHERES:
            return None
        return gate(self.pattern, self.scope in WHOLE_LINE_SCOPES)

    @cached_property
    def param_gates(self) -> dict[str, Gate]:
        """The gates of the detector's whole-line patterns (`line_params`), by the key
        `param_key` gives them in the rule set's gates; a pattern the analysis cannot read,
        or an empty one, has none."""
        found = {}
        for name in self.line_params:
            pattern = self.param(name)
            if pattern and (g := gate(pattern, True)) is not None:
                found[param_key(self.id, name)] = g
        return found


@dataclass(frozen=True)
class RuleSet:
    """The rules in force, in the order they apply."""

    rules: tuple[Rule, ...]

    def for_stage(self, stage: str) -> tuple[Rule, ...]:
        return self._by_stage.get(stage, ())

    def for_language(self, stage: str, lang: str | None) -> tuple[Rule, ...]:
        """The rules of ``stage`` that apply to a document in ``lang`` (`Rule.languages`,
        `cleaner.language.speaks`), worked out once for each stage and language."""
        key = (stage, lang)
        found = self._by_language.get(key)
        if found is None:
            found = self._by_language[key] = tuple(
                r for r in self.for_stage(stage) if not r.languages or speaks(r.languages, lang))
        return found

    @cached_property
    def _by_language(self) -> dict[tuple[str, str | None], tuple[Rule, ...]]:
        return {}

    @cached_property
    def _by_stage(self) -> dict[str, tuple[Rule, ...]]:
        stages: dict[str, list[Rule]] = {}
        for r in self.rules:
            stages.setdefault(r.stage, []).append(r)
        return {stage: tuple(rules) for stage, rules in stages.items()}

    @cached_property
    def head_residue(self) -> tuple[Rule, ...]:
        """The whole-line drop rules that may act at the head: what the headline
        detector takes for residue above a headline."""
        return tuple(r for r in self.rules if r.scope == "line" and r.action == "drop" and r.regex is not None
                     and r.where != "tail")

    @cached_property
    def section_heads(self) -> tuple[Rule, ...]:
        """The rules whose line starts a section that runs to the end (``scope = "rest"``):
        a list of links ends at such a heading."""
        return tuple(r for r in self.rules if r.scope == "rest" and r.regex is not None)

    @cached_property
    def bylines(self) -> tuple[Rule, ...]:
        """The rules whose whole line is a byline (a line rule that moves to ``authors``):
        a list of links ends at one, as the article it links to starts there."""
        return tuple(r for r in self.rules if r.field == "authors" and r.scope == "line" and r.regex is not None)

    @cached_property
    def page_edges(self) -> frozenset[str]:
        """The ids of the rules whose hits mark an article's edge (`Rule.page_edge`)."""
        return frozenset(r.id for r in self.rules if r.page_edge)

    @cached_property
    def article_ends(self) -> frozenset[str]:
        """The ids of the rules whose hits mark an article's end (`Rule.article_end`)."""
        return frozenset(r.id for r in self.rules if r.article_end)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @cached_property
    def gates(self) -> GateTable:
        """The gates of the pattern rules, to find at once which lines each may match."""
        return GateTable([*((r.id, r.gate, r.scope in WHOLE_LINE_SCOPES) for r in self.rules if r.regex is not None),
                          *((key, g, True) for r in self.rules for key, g in r.param_gates.items())])

    def prepared(self) -> RuleSet:
        """This rule set with everything it works out on first use worked out (what a
        cached or pickled copy then holds)."""
        for r in self.rules:
            r.gate, r.param_gates  # noqa: B018
        self.gates, self.head_residue, self._by_stage, self.page_edges, self.article_ends, self.section_heads  # noqa: B018
        return self

    def only(self, rule: Rule) -> RuleSet:
        """The rule after the rules it needs."""
        return RuleSet(tuple(r for r in self.rules if r.id in rule.needs) + (rule,))

    def __iter__(self):
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)
