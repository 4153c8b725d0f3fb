"""What a stage reads besides the document: the configuration, the rules, and the
working state of the one document being cleaned.

Every stage is a function ``(Document, Context) -> Document``. A `Context` is made
for each document by the run (`cleaner.pipeline.Cleaner.run`), with a fresh `Work`:
what the stages compute from the document's line texts (word counts, which rules
may match a text, folded forms for comparison) so that each is computed once, and
what the rules found on the lines as they are (`Work.idle`). Nothing in it is
output; it is dropped with the context when the document is done.

Each field of `Work` is either a pure function of its key (a line's text), or a fact
about one tuple of lines, held by identity: no stage changes a tuple of lines in
place, so the fact stays true of every document that has those lines. That is what
lets one `Work` serve every stage, in any order, and every round of the rule stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from .text import TEXT, count_words, region
from .wrapping import line_paragraphs

if TYPE_CHECKING:
    from .config import Config
    from .document import Document, Line
    from .ruleset import RuleSet


class Candidates:
    """Which line texts of one document each gated rule may match (`cleaner.prefilter`).

    Texts are checked in bulk the first time they are seen: all the lines of the
    document at first, then any line a rule has changed.
    """

    def __init__(self, table: Any):
        self.table = table
        self.seen: set[str] = set()
        self.texts_of: dict[str, set[str]] = {}
        self.rules_of: dict[str, set[str]] = {}
        self.checked: tuple[Line, ...] | None = None

    def update(self, lines: tuple[Line, ...]) -> None:
        if lines is self.checked:
            return
        self.add(list(set(map(TEXT, lines)) - self.seen))  # in any order: `hits` gives sets
        self.checked = lines

    def add(self, texts: list[str]) -> None:
        if not texts:
            return
        self.seen.update(texts)
        for rule_id, found in self.table.hits(texts).items():
            self.texts_of.setdefault(rule_id, set()).update(found)
            for text in found:
                self.rules_of.setdefault(text, set()).add(rule_id)


@dataclass(slots=True)
class Work:
    """The working state of one document's cleaning (see the module's docstring)."""

    #: Word counts by line text (`cleaner.text.word_count`).
    words: dict[str, int] = field(default_factory=dict)
    #: The tuple of lines whose every text ``words`` holds (`word_counts`).
    words_of: tuple[Line, ...] | None = None
    #: The texts whose only white space is single spaces between words: `tidy` has
    #: nothing to do to them but trim them.
    single_spaced: set[str] = field(default_factory=set)
    #: Folded forms for comparison by text (`cleaner.detectors.comparable`).
    comparable: dict[str, str] = field(default_factory=dict)
    #: By rule id, the lines (and title) the rule last ran on and took nothing from
    #: (`cleaner.apply.apply_stage`).
    idle: dict[str, tuple[tuple[Line, ...], str | None]] = field(default_factory=dict)
    #: By text, whether a whole-line drop rule at the head would take it (`cleaner.detectors.is_residue`).
    residue: dict[str, bool] = field(default_factory=dict)
    #: By rule id, the line texts the rule's pattern found nothing in, asked as its scope
    #: asks it (`cleaner.matching.known_misses`): its next turns pass them over.
    misses: dict[str, set[str]] = field(default_factory=dict)
    #: Which texts each gated rule may match (`candidates_of`).
    candidates: Candidates | None = None
    #: The tuple of lines that ``regions`` is of.
    regions_of: tuple[Line, ...] | None = None
    #: By ``where``, the indices of those lines a rule so placed may touch (`region_of`).
    regions: dict[str, range] = field(default_factory=dict)
    #: The tuple of lines that ``paragraphs`` and ``wrapped`` are of.
    wrapped_of: tuple[Line, ...] | None = None
    #: Those lines grouped into the paragraphs hard wrapping broke, or None (`wrapped_paragraphs`).
    paragraphs: list[list[int]] | None = None
    #: The indices of those lines that are pieces of a hard-wrapped paragraph (`wrapped_lines`).
    wrapped: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Context:
    """What a stage may read besides the document: the configuration, the rules, and
    the document's working state (`Work`: a new one for each document)."""

    config: Config
    rules: RuleSet
    work: Work = field(default_factory=Work, compare=False, repr=False)
    #: The detectors the rules name, as they were registered when the cleaner was made
    #: (`cleaner.plugins.register_detector` may replace one later); None: as registered now.
    detectors: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)  # name -> DetectorSpec

    def for_document(self) -> Context:
        """This configuration, these rules and detectors, with a fresh working state."""
        return Context(self.config, self.rules, detectors=self.detectors)


def candidates_of(doc: Document, ctx: Context) -> Candidates:
    """The rules' candidate texts, brought up to date with the document's lines."""
    state = ctx.work.candidates
    if state is None:
        state = ctx.work.candidates = Candidates(ctx.rules.gates)
    state.update(doc.lines)
    return state


def word_counts(doc: Document, ctx: Context) -> dict[str, int]:
    """The memo of word counts (`Work.words`), holding the count of every line of the
    document. Counting them also finds the texts whose only white space is single
    spaces between words (`Work.single_spaced`)."""
    work = ctx.work
    if work.words_of is not doc.lines:
        memo = work.words
        for text in set(map(TEXT, doc.lines)) - memo.keys():
            memo[text] = count_words(text, work.single_spaced)
        work.words_of = doc.lines
    return work.words


def region_of(doc: Document, where: str, ctx: Context) -> range:
    """`cleaner.text.region` of the document's lines, worked out once for each tuple of lines."""
    work = ctx.work
    if work.regions_of is not doc.lines:
        work.regions_of, work.regions = doc.lines, {}
    found = work.regions.get(where)
    if found is None:
        found = work.regions[where] = region(doc.lines, where, ctx.config, word_counts(doc, ctx))
    return found


def wrapped_paragraphs(doc: Document, ctx: Context) -> list[list[int]] | None:
    """The document's non-blank lines grouped into the paragraphs hard wrapping broke
    (`cleaner.wrapping.line_paragraphs`), or None for a text that is not hard-wrapped;
    worked out once for each tuple of lines, for the rules and the page classifier."""
    work = ctx.work
    if work.wrapped_of is not doc.lines:
        work.wrapped_of = doc.lines
        work.paragraphs = line_paragraphs(doc.lines)
        work.wrapped = frozenset(i for group in work.paragraphs or () if len(group) > 1 for i in group)
    return work.paragraphs


def continued_lines(doc: Document, ctx: Context) -> frozenset[int]:
    """The indices of the lines that continue a paragraph hard wrapping broke (each piece
    but its first): a line that opens a paragraph is not one of them."""
    return frozenset(i for group in wrapped_paragraphs(doc, ctx) or () for i in group[1:])


def wrapped_lines(doc: Document, ctx: Context) -> frozenset[int]:
    """The indices of the document's lines that are pieces of a paragraph broken by hard
    wrapping (`wrapped_paragraphs`): none in a text that is not hard-wrapped."""
    wrapped_paragraphs(doc, ctx)
    return ctx.work.wrapped
