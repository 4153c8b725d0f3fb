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
import difflib
import hashlib
import os
import re
from functools import cache, cached_property
from time import perf_counter
from typing import Callable, Iterable, Sequence

from .builtin import BUILTIN_RULES
from .cache import code_version
from .config import Config
from .document import Document
from .context import Context
from .detectors import DETECTORS
from .plugins import PluginError, Stage as UserStage, in_force, installed, restore
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
Steps = tuple[tuple[str, Stage], ...]


def plan(stages: Sequence[UserStage], taken_ids: Iterable[str] = ()) -> tuple[Steps, Steps]:
    """The stages that run before the rounds of the rule stages, in turn, and those that
    run after them (each followed by the rounds again when it takes something out), with
    ``stages`` of your own (`cleaner.plugins.Stage`) each placed after the stage it names:
    after a rule stage means after the rounds. Raises `PluginError` for a stage placed
    after one that does not exist or after ``tidy``, a name twice, or an id that a rule
    (``taken_ids``) or another stage already records under."""
    names = [name for name, _ in STAGES]
    problems: list[str] = []
    seen, ids = set(names), {*taken_ids, *BUILTIN_RULES}
    after: dict[str, list[tuple[str, Stage]]] = {}
    for s in stages:
        if not isinstance(s, UserStage):
            problems.append(f"{s!r} is not a stage: give cleaner.plugins.Stage(name, run, after=...) objects.")
            continue
        where = f"stage {s.name} ({s.origin})"
        if s.after not in names[:-1]:
            close = difflib.get_close_matches(s.after, names[:-1], n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            problems.append(f"{where}: it runs after {s.after!r}, which is no stage it can follow.{hint} "
                            f"Name one of {', '.join(names[:-1])} (the last, tidy, only makes the body).")
        if s.name in seen:
            problems.append(f"{where}: a stage named {s.name!r} is already in the pipeline. Give it another name.")
        if s.id is not None and s.id in ids:
            problems.append(f"{where}: its id {s.id!r} is already a rule's or another stage's. "
                            f"Give it an id of its own.")
        seen.add(s.name)
        ids.add(s.id)
        after.setdefault(s.after, []).append((s.name, s))
    if problems:
        raise PluginError(problems)
    before = tuple(step for name, stage in STAGES[:_FIRST] for step in [(name, stage), *after.get(name, ())])
    rounds = tuple(step for name in ROUNDS for step in after.get(name, ()))
    last = tuple(step for name, stage in STAGES[_AFTER:] for step in [(name, stage), *after.get(name, ())])
    return before, rounds + last


class Cleaner:
    """Rules and configuration loaded once, then any number of documents cleaned.

    >>> cleaner = Cleaner()                     # the shipped rules
    >>> cleaner = Cleaner(rule_dirs=["my_rules/"], config=Config(regex_timeout=0.2))  # doctest: +SKIP
    """

    def __init__(self, rules: RuleSet | None = None, config: Config | None = None,
                 rule_dirs: Iterable[str | os.PathLike] = (), stages: Sequence[UserStage] | None = None):
        """``rules``: a rule set already loaded; else the shipped rules and those of
        ``rule_dirs`` (folders or files of your own, `load_rules`, which raises
        `RuleFileError` naming every problem). ``config``: how to clean (`Config`).
        ``stages``: stages of your own (`cleaner.plugins.Stage`), each run after the stage
        it names; by default those of the installed plugins (`cleaner.plugins.installed`)."""
        self.config = config or Config()
        self.rules = rules if rules is not None else load_rules(rule_dirs)
        self.stages = tuple(installed().stages if stages is None else stages)
        self._before, self._after = plan(self.stages, (r.id for r in self.rules))
        #: The plugins' detectors its rules name: in its fingerprint, and carried to worker processes.
        self.detectors = in_force(self.rules)
        # each document gets its own `for_document`; the detectors as they are now
        named = {r.detector for r in self.rules if r.detector is not None}
        self.context = Context(self.config, self.rules, detectors={n: DETECTORS[n] for n in named if n in DETECTORS})

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        restore(self.detectors)  # a worker process that did not register them

    @cached_property
    def fingerprint(self) -> str:
        """What this cleaner's output depends on besides its input: the rules (what each
        one does, not its description or examples), the configuration, the code
        (`cleaner.cache.code_version`), and the plugins' detectors and stages in force
        (their names and origins: a distribution and its version, or a function's name).
        Two cleaners with the same fingerprint clean every document alike; a run resuming
        into an output folder redoes what a cleaner of another fingerprint wrote there."""
        digest = hashlib.sha256(code_version())
        for r in self.rules:
            what = [(f.name, getattr(r, f.name)) for f in dataclasses.fields(r) if f.name not in NOT_BEHAVIOUR]
            what.append(("evidence", getattr(r.evidence, "pattern", r.evidence)))  # compiled: its pattern
            digest.update(repr(what).encode("utf-8", "surrogatepass") + b"\0")
        digest.update(repr(sorted(dataclasses.asdict(self.config).items())).encode("utf-8", "surrogatepass"))
        plugins = [("detector", name, spec.origin) for name, spec in sorted(self.detectors.items())]
        plugins += [("stage", s.name, s.after, s.id, s.origin) for s in self.stages]
        if plugins:
            digest.update(repr(plugins).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:32]

    def run(self, doc: Document, timings: dict[str, float] | None = None) -> Document:
        """Run every stage; a document that fails comes back with ``rejected`` set.

        With ``timings``, the seconds spent in each stage are added to it, by stage name.
        """
        with watchdog(self.config.regex_timeout):
            return self._run(doc, self.context.for_document(), timings)

    def _run(self, doc: Document, ctx: Context, timings: dict[str, float] | None) -> Document:
        doc = self._in_turn(doc, ctx, self._before, timings)
        if not doc.rejected:
            doc = self._rounds(doc, ctx, timings)
        for name, stage in self._after:
            if doc.rejected:
                break
            taken = len(doc.removed)
            doc = self._stage(name, stage, doc, ctx, timings)
            if not doc.rejected and len(doc.removed) > taken:
                doc = self._rounds(doc, ctx, timings)
        return doc

    def _in_turn(self, doc: Document, ctx: Context, stages: Steps,
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
            if isinstance(stage, UserStage):
                return doc.reject(f"error in stage {name} of {stage.origin}: {type(e).__name__}: {e}")
            return doc.reject(f"internal error in stage {name}: {type(e).__name__}: {e}; please report it with this file")
        finally:
            if timings is not None:
                timings[name] = timings.get(name, 0.0) + perf_counter() - started

    def clean_bytes(self, raw: bytes, id: str = "stdin", source: str = "-", format: str = "text",
                    timings: dict[str, float] | None = None) -> Document:
        """Clean one input given as bytes; ``format`` is ``"text"`` or ``"html"``."""
        if not isinstance(raw, (bytes, bytearray, memoryview)):
            raise TypeError(f"clean_bytes takes bytes, not {type(raw).__name__}: "
                            + ("clean a str with clean_text (or clean_html for a page)" if isinstance(raw, str)
                               else "give it the file's bytes"))
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(map(repr, FORMATS))}, not {format!r}")
        return self.run(Document(id=id, source=source, raw=bytes(raw), format=format), timings)

    def clean_text(self, text: str, id: str = "text", source: str = "-",
                   timings: dict[str, float] | None = None) -> Document:
        """Clean one text (an article, an extractor's output, a whole page's text)."""
        if not isinstance(text, str):
            raise TypeError(f"clean_text takes a str, not {type(text).__name__}: "
                            + ("clean bytes with clean_bytes, which finds their encoding"
                               if isinstance(text, (bytes, bytearray, memoryview)) else "give it the text"))
        return self.run(Document(id=id, source=source, text=text), timings)

    def clean_html(self, page: str | bytes, id: str = "page", source: str = "-",
                   timings: dict[str, float] | None = None) -> Document:
        """Clean one web page: its article is extracted (trafilatura), then cleaned as text."""
        if not isinstance(page, (str, bytes, bytearray, memoryview)):
            raise TypeError(f"clean_html takes the page as a str or bytes, not {type(page).__name__}")
        raw = page_bytes(page) if isinstance(page, str) else page
        return self.clean_bytes(raw, id=id, source=source, format="html", timings=timings)


#: A lone surrogate: a str (from JSON, or Python) may hold one, UTF-8 cannot.
SURROGATE = re.compile("[\ud800-\udfff]")


def page_bytes(page: str) -> bytes:
    """A page given as a str, as the UTF-8 bytes the extractor reads: a lone surrogate
    becomes U+FFFD (as bytes, it would be invalid UTF-8, and a page of ASCII with a few
    invalid bytes is read in a legacy code page)."""
    return SURROGATE.sub("\ufffd", page).encode("utf-8")


#: The formats of a document given as bytes (`Cleaner.clean_bytes`).
FORMATS = ("text", "html")


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
