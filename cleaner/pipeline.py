"""The pipeline: the stages, listed once and in order, and the functions that run them.

>>> from cleaner import clean_text
>>> doc = clean_text("Leave a Reply\\n\\nThe council met on Friday and voted to close the old bridge for repairs.")
>>> doc.body
'The council met on Friday and voted to close the old bridge for repairs.'
>>> [s.rule for s in doc.removed]
['C104']
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from functools import cache, cached_property
from time import perf_counter
from typing import Callable, Iterable

from .cache import code_version
from .config import Config
from .document import Document
from .context import Context
from .ruleload import load_rules
from .ruleset import RULE_STAGES, RuleSet
from .stages.classify_page import classify_page
from .stages.decode import decode
from .stages.extract import extract_html
from .stages.language import detect_language
from .stages.repair import repair_again, repair_encoding
from .stages.rule_stages import social_embeds, split_metadata, strip_comments, strip_header
from .stages.tidy import tidy, tidy_lines
from .timelimit import RuleTimeout, watchdog

Stage = Callable[[Document, Context], Document]

#: The whole pipeline, in order.
STAGES: tuple[tuple[str, Stage], ...] = (
    ("decode", decode),
    ("extract_html", extract_html),
    ("repair_encoding", repair_encoding),
    ("repair_again", repair_again),
    ("detect_language", detect_language),
    ("tidy_lines", tidy_lines),
    ("split_metadata", split_metadata),
    ("strip_header", strip_header),
    ("strip_comments", strip_comments),
    ("social_embeds", social_embeds),
    ("classify_page", classify_page),
    ("tidy", tidy),
)

#: When a stage has nothing to do with a document: then it is not called for it, nor
#: timed, so that a run's stage times (``stats.json``, the summary) list only the
#: stages that ran. (Each stage passes such a document through untouched anyway.)
IDLE: dict[str, Callable[[Document], bool]] = {
    "decode": lambda doc: doc.raw is None,  # given as text
    "extract_html": lambda doc: doc.format != "html",
    "classify_page": lambda doc: doc.text_kind == "article",  # the extractor's output
}

#: The rule stages, a run of `STAGES` run in rounds (`Cleaner._rounds`): a rule's
#: condition can come true only once a later rule has taken a line out (two copies of
#: a caption become neighbours when the embed between them leaves; a date line is at
#: the head once the paragraph above it is gone). Without the rounds, cleaning the
#: cleaned text would take more out. A stage after them that takes lines out (the page
#: classifier) is followed by the rounds again, and reads the lines as the rules left
#: them: as a second cleaning would.
ROUNDS = RULE_STAGES
#: How many rounds of `ROUNDS` a document gets at most.
MAX_ROUNDS = 4

#: The fields of a `Rule` that document it rather than say what it does, left out of
#: `Cleaner.fingerprint` (its compiled patterns too: their patterns are in it).
NOT_BEHAVIOUR = frozenset({"name", "description", "file", "remove", "keep", "cases", "regex", "evidence"})

_FIRST = [name for name, _ in STAGES].index(ROUNDS[0])
_AFTER = _FIRST + len(ROUNDS)
if tuple(name for name, _ in STAGES[_FIRST:_AFTER]) != ROUNDS:
    raise RuntimeError(f"the rule stages {ROUNDS} must be a run of STAGES, in order")


class Cleaner:
    """Rules and configuration loaded once, then any number of documents cleaned.

    >>> cleaner = Cleaner()                     # the shipped rules
    >>> cleaner = Cleaner(rule_dirs=["my_rules/"], config=Config(regex_timeout=0.2))  # doctest: +SKIP
    """

    def __init__(self, rules: RuleSet | None = None, config: Config | None = None,
                 rule_dirs: Iterable[str | os.PathLike] = ()):
        """``rules``: a rule set already loaded; else the shipped rules and those of
        ``rule_dirs`` (folders or files of your own, `load_rules`, which raises
        `RuleFileError` naming every problem). ``config``: how to clean (`Config`)."""
        self.config = config or Config()
        self.rules = rules if rules is not None else load_rules(rule_dirs)
        self.context = Context(self.config, self.rules)  # each document gets its own `for_document`

    @cached_property
    def fingerprint(self) -> str:
        """What this cleaner's output depends on besides its input: the rules (what each
        one does, not its description or examples), the configuration, and the code
        (`cleaner.cache.code_version`). Two cleaners with the same fingerprint clean every
        document alike; a run resuming into an output folder redoes what a cleaner of
        another fingerprint wrote there."""
        digest = hashlib.sha256(code_version())
        for r in self.rules:
            what = [(f.name, getattr(r, f.name)) for f in dataclasses.fields(r) if f.name not in NOT_BEHAVIOUR]
            what.append(("evidence", getattr(r.evidence, "pattern", r.evidence)))  # compiled: its pattern
            digest.update(repr(what).encode("utf-8", "surrogatepass") + b"\0")
        digest.update(repr(sorted(dataclasses.asdict(self.config).items())).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:32]

    def run(self, doc: Document, timings: dict[str, float] | None = None) -> Document:
        """Run every stage; a document that fails comes back with ``rejected`` set.

        With ``timings``, the seconds spent in each stage are added to it, by stage name.
        """
        with watchdog(self.config.regex_timeout):
            return self._run(doc, self.context.for_document(), timings)

    def _run(self, doc: Document, ctx: Context, timings: dict[str, float] | None) -> Document:
        doc = self._in_turn(doc, ctx, STAGES[:_FIRST], timings)
        if not doc.rejected:
            doc = self._rounds(doc, ctx, timings)
        for name, stage in STAGES[_AFTER:]:
            if doc.rejected:
                break
            taken = len(doc.removed)
            doc = self._stage(name, stage, doc, ctx, timings)
            if not doc.rejected and len(doc.removed) > taken:
                doc = self._rounds(doc, ctx, timings)
        return doc

    def _in_turn(self, doc: Document, ctx: Context, stages: tuple[tuple[str, Stage], ...],
                 timings: dict[str, float] | None) -> Document:
        """``stages`` run one after the other, until one rejects the document."""
        for name, stage in stages:
            doc = self._stage(name, stage, doc, ctx, timings)
            if doc.rejected:
                break
        return doc

    def _rounds(self, doc: Document, ctx: Context, timings: dict[str, float] | None) -> Document:
        """The stages of `ROUNDS` run in turn, round after round, until a round takes
        nothing (at most `MAX_ROUNDS` rounds). A rule that took nothing from the lines
        as they still are is passed over (`cleaner.apply.apply_stage`), so a round after the
        first costs little when the first took all there was to take."""
        for _ in range(MAX_ROUNDS):
            taken = len(doc.removed)
            doc = self._in_turn(doc, ctx, STAGES[_FIRST:_AFTER], timings)
            if doc.rejected or len(doc.removed) == taken:
                break
        return doc

    def _stage(self, name: str, stage: Stage, doc: Document, ctx: Context,
               timings: dict[str, float] | None) -> Document:
        """One stage run on ``doc``; an exception in it rejects the document."""
        idle = IDLE.get(name)
        if idle is not None and idle(doc):
            return doc
        started = perf_counter() if timings is not None else 0.0
        try:
            return stage(doc, ctx)
        except RuleTimeout as e:
            return doc.reject(str(e))
        except Exception as e:  # a bug must fail one document, never the run
            return doc.reject(f"internal error in stage {name}: {type(e).__name__}: {e}; please report it with this file")
        finally:
            if timings is not None:
                timings[name] = timings.get(name, 0.0) + perf_counter() - started

    def clean_bytes(self, raw: bytes, id: str = "stdin", source: str = "-", format: str = "text",
                    timings: dict[str, float] | None = None) -> Document:
        """Clean one input given as bytes; ``format`` is ``"text"`` or ``"html"``."""
        return self.run(Document(id=id, source=source, raw=raw, format=format), timings)

    def clean_text(self, text: str, id: str = "text", source: str = "-",
                   timings: dict[str, float] | None = None) -> Document:
        """Clean one text (an article, an extractor's output, a whole page's text)."""
        return self.run(Document(id=id, source=source, text=text), timings)

    def clean_html(self, page: str | bytes, id: str = "page", source: str = "-",
                   timings: dict[str, float] | None = None) -> Document:
        """Clean one web page: its article is extracted (trafilatura), then cleaned as text."""
        raw = page.encode("utf-8") if isinstance(page, str) else page
        return self.clean_bytes(raw, id=id, source=source, format="html", timings=timings)


@cache
def _shipped() -> Cleaner:
    """The shipped rules, read once for `clean_text` and `clean_bytes`."""
    return Cleaner()


def _cleaner(rules: RuleSet | None, config: Config | None) -> Cleaner:
    return _shipped() if rules is None and config is None else Cleaner(rules, config)


def clean_text(text: str, *, rules: RuleSet | None = None, config: Config | None = None, id: str = "text") -> Document:
    """Clean one text with the shipped rules (or ``rules``)."""
    return _cleaner(rules, config).clean_text(text, id=id)


def clean_bytes(raw: bytes, *, rules: RuleSet | None = None, config: Config | None = None, id: str = "stdin",
                format: str = "text") -> Document:
    """Clean one document given as bytes (``format``: ``"text"`` or ``"html"``), in any encoding `decode` reads."""
    return _cleaner(rules, config).clean_bytes(raw, id=id, format=format)


def clean_html(page: str | bytes, *, rules: RuleSet | None = None, config: Config | None = None,
               id: str = "page") -> Document:
    """Clean one web page (its HTML as text or bytes) with the shipped rules (or ``rules``)."""
    return _cleaner(rules, config).clean_html(page, id=id)
