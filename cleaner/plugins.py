"""Extensions: your own detectors and stages, registered by hand or found as plugins.

A **detector** is what a rule names instead of a pattern (``detector = "divider-line"``):
`register_detector` adds one to the table the rule loader checks rules against
(`cleaner.detectors.DETECTORS`). A **stage** runs in the pipeline after a stage it
names: a `Stage` given to a `Cleaner` (``Cleaner(stages=[...])``), for that cleaner alone.

Installed packages bring both through entry points, as sqlfluff's and pytest's plugins do:
the group ``cleaner.detectors`` names `DetectorSpec` objects (the entry point's name is
the detector's), and ``cleaner.stages`` names `Stage` objects (the entry point's name is
the stage's). They are found and loaded once per process (`installed`), when rules are
first loaded, never at ``import cleaner``; ``CLEANER_NO_PLUGINS=1`` leaves them out.
A broken one stops the run with a `PluginError` that names the entry point and its
distribution. docs/plugins.md has a complete example.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

import re

from .detectors import DETECTORS, DetectorSpec
from .document import Document, Span
from .edits import take_lines, without

if TYPE_CHECKING:
    from .context import Context
    from .ruleset import RuleSet

__all__ = ["DETECTOR_GROUP", "STAGE_GROUP", "DetectorSpec", "Installed", "PluginError", "Stage", "installed",
           "register_detector", "take_lines"]

DETECTOR_GROUP = "cleaner.detectors"
STAGE_GROUP = "cleaner.stages"
#: A detector's name, as rules write it: ``divider-line`` (patterns compiled on first use, by `re`).
DETECTOR_NAME = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
#: A stage's name, as `cleaner.pipeline.STAGES` writes them: ``strip_comments``.
STAGE_NAME = r"[a-z][a-z0-9_]*"
#: A rule id, as a rule file's (`cleaner.rules.ID_PATTERN`).
RULE_ID = r"[A-Za-z][A-Za-z0-9_-]{0,31}"


class PluginError(ValueError):
    """A detector or a stage that cannot be used. ``problems`` holds one sentence each,
    naming the plugin (its entry point and distribution, or its function) and what to do;
    ``advice``, what to do about them all, if anything."""

    def __init__(self, problems: list[str], advice: str = ""):
        self.problems = problems
        self.advice = advice
        super().__init__("\n".join([*problems, advice] if advice else problems))


def qualified_name(run: Any) -> str:
    """``module.function``: what names a function registered by hand."""
    return f"{getattr(run, '__module__', '?')}.{getattr(run, '__qualname__', type(run).__qualname__)}"


def register_detector(name: str, run: Callable[[Document, Any, Context], Document],
                      defaults: Mapping[str, Any] | None = None, patterns: Iterable[str] = (),
                      choices: Mapping[str, Iterable[str]] | None = None, *, replace: bool = False,
                      origin: str | None = None) -> DetectorSpec:
    """Add a detector that rules can name (``detector = "NAME"``), for every rule set
    loaded after it in this process.

    ``run(doc, rule, ctx) -> Document`` takes lines out with `take_lines` (which records
    each under the rule's id) and reads its parameters with ``rule.param("key")``.
    ``defaults``: every parameter and its default (a rule's ``params`` must have their
    types); ``patterns``: those that are regular expressions (compiled when the rules
    load); ``choices``: those with a fixed set of values. ``origin``: what
    `Cleaner.fingerprint` records of it (default: the function's qualified name; give
    your package's version to have resumed runs redo what an older version cleaned).
    A name already taken is an error unless ``replace=True``; a `Cleaner` already made
    keeps running the detector it was made with.
    """
    spec = DetectorSpec(run, dict(defaults or {}), tuple(patterns),
                        {k: tuple(v) for k, v in choices.items()} if choices else None,
                        origin or qualified_name(run))
    problems = [f"register_detector({name!r}): {p}" for p in _spec_problems(name, spec)]
    taken = DETECTORS.get(name)
    if not problems and taken is not None and taken != spec and not replace:
        problems.append(f"register_detector({name!r}): the name is taken by {_owner(taken)}. "
                        f"Choose another name, or pass replace=True to put yours in its place.")
    if problems:
        raise PluginError(problems)
    DETECTORS[name] = spec
    return spec


def _owner(spec: DetectorSpec) -> str:
    return f"the detector of {spec.origin}" if spec.origin else "a shipped detector"


def _spec_problems(name: Any, spec: DetectorSpec) -> list[str]:
    """What is wrong with a detector, in sentences (none: it can be registered)."""
    if not isinstance(name, str) or not re.fullmatch(DETECTOR_NAME, name):
        return [f"{name!r} is not a detector name: use lower-case words joined by '-', like 'divider-line'."]
    if not callable(spec.run):
        return ["`run` must be a function (doc, rule, ctx) -> Document."]
    defaults = spec.defaults
    if not isinstance(defaults, dict) or not all(isinstance(k, str) for k in defaults):
        return ["`defaults` must be a dict of parameter names and default values, like {'min_length': 5}."]
    problems = [f"pattern parameter {k!r} needs a string default (a regular expression, or '' for none)."
                for k in spec.patterns if not isinstance(defaults.get(k), str)]
    problems += [f"parameter {k!r} of `choices` needs a default that is one of its choices {tuple(allowed)!r}."
                 for k, allowed in (spec.choices or {}).items() if k not in defaults or defaults[k] not in allowed]
    return problems


@dataclass(frozen=True)
class Stage:
    """A stage of your own: ``run(doc, ctx) -> Document`` runs after the stage named
    ``after`` (one of `cleaner.pipeline.STAGES` but the last, ``tidy``). After a rule
    stage it runs once the rounds of the rule stages are done (`cleaner.pipeline.ROUNDS`),
    and when it takes something out, the rounds run again.

    It takes lines out with `Stage.take`, which records each under ``id``, the id its
    removals name (like a rule's; ``None`` for a stage that takes nothing out). It may
    reject a document (``doc.reject(reason)``); an exception in it rejects that document
    only. ``description`` is what ``clean rules list`` shows for ``id``; ``origin`` what
    `Cleaner.fingerprint` records (default: the function's qualified name).
    """

    name: str
    run: Callable[[Document, Context], Document]
    after: str
    id: str | None = None
    description: str = ""
    origin: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.name, str) or not re.fullmatch(STAGE_NAME, self.name):
            problems.append(f"{self.name!r} is not a stage name: use lower-case words joined by '_', "
                            f"like 'drop_shouting'.")
        if not callable(self.run):
            problems.append("`run` must be a function (doc, ctx) -> Document.")
        if not isinstance(self.after, str):
            problems.append("`after` must name the stage it runs after, like 'strip_comments'.")
        if self.id is not None and not (isinstance(self.id, str) and re.fullmatch(RULE_ID, self.id)):
            problems.append(f"`id` {self.id!r} is not an id: letters, digits, '-' or '_', like a rule's (\"P101\").")
        if problems:
            raise PluginError([f"Stage({self.name!r}): {p}" for p in problems])
        if not self.origin:
            object.__setattr__(self, "origin", qualified_name(self.run))

    def __call__(self, doc: Document, ctx: Context) -> Document:
        """The stage run on ``doc``, and its record checked: every line it took out is
        recorded under its id, and the removals of the stages before are kept."""
        out = self.run(doc, ctx)
        if not isinstance(out, Document):
            raise TypeError(f"it returned {type(out).__name__}, not a Document")
        if out.rejected:
            return out
        kept = len(doc.removed)
        if out.removed[:kept] != doc.removed:
            raise ValueError("it changed the removals recorded before it; a stage adds its own and keeps the others")
        new = out.removed[kept:]
        for s in new:
            if s.rule != self.id or s.stage != self.name:
                raise ValueError(f"it recorded a removal under {s.rule!r} in stage {s.stage!r}; a stage records "
                                 f"its own under its id {self.id!r} (Stage.take does)")
        if out.lines is not doc.lines:
            unrecorded = {ln.no for ln in doc.lines} - {ln.no for ln in out.lines} - {s.line for s in new}
            if unrecorded:
                raise ValueError(f"it took line {min(unrecorded)} out without recording it: take lines out with "
                                 f"Stage.take, which records them")
        return out

    def take(self, doc: Document, indices: Iterable[int], reasons: Mapping[int, str] | None = None) -> Document:
        """``doc`` without the lines at ``indices`` (of ``doc.lines``), each recorded as a
        removal of this stage under its id, with its reason from ``reasons`` (by index)."""
        gone = sorted(set(indices))
        if not gone:
            return doc
        if self.id is None:
            raise ValueError(f"stage {self.name} has no id to record its removals under: give it one (Stage(id=...))")
        reasons = reasons or {}
        spans = tuple(Span(self.id, self.name, doc.lines[i].no, doc.lines[i].text.strip(), "drop", None,
                           reasons.get(i)) for i in gone)
        return doc.changed(lines=without(doc.lines, gone), removed=doc.removed + spans)


@dataclass(frozen=True)
class Installed:
    """What the installed plugins bring: the names of their detectors (registered), and
    their stages (which a `Cleaner` runs unless it is given its own list)."""

    detectors: tuple[str, ...] = ()
    stages: tuple[Stage, ...] = ()


@cache
def installed() -> Installed:
    """The installed plugins, found through their entry points, loaded and their detectors
    registered: once per process (``installed.cache_clear()`` finds them again). Raises
    `PluginError` naming every entry point that cannot be used, and registers nothing then.
    Entry points are taken in the order of their distributions' names, then their own."""
    if os.environ.get("CLEANER_NO_PLUGINS"):
        return Installed()
    from importlib.metadata import entry_points  # here, not at the top: `import cleaner` stays fast

    found = entry_points()
    problems: list[str] = []
    detectors: dict[str, DetectorSpec] = {}
    for ep, where, origin, obj in _load(found.select(group=DETECTOR_GROUP), problems):
        if not isinstance(obj, DetectorSpec):
            problems.append(f"{where}: it loads {_what(obj)}, not a DetectorSpec. Point it at one: "
                            f"cleaner.plugins.DetectorSpec(run, defaults).")
            continue
        spec = DetectorSpec(obj.run, obj.defaults, tuple(obj.patterns), obj.choices, origin)
        taken = detectors.get(ep.name) or DETECTORS.get(ep.name)
        if taken is not None and taken != spec:
            problems.append(f"{where}: the detector name {ep.name!r} is taken by {_owner(taken)}. "
                            f"Rename the entry point, or uninstall one of them.")
            continue
        problems += [f"{where}: {p}" for p in _spec_problems(ep.name, spec)]
        detectors[ep.name] = spec
    stages = []
    for ep, where, origin, obj in _load(found.select(group=STAGE_GROUP), problems):
        if not isinstance(obj, Stage):
            problems.append(f"{where}: it loads {_what(obj)}, not a Stage. Point it at one: "
                            f"cleaner.plugins.Stage(name, run, after=...).")
        elif obj.name != ep.name:
            problems.append(f"{where}: it loads the stage {obj.name!r}; name the entry point as the stage.")
        else:
            stages.append(Stage(obj.name, obj.run, obj.after, obj.id, obj.description, origin))
    if problems:
        raise PluginError(problems, "Fix or uninstall those plugins, or set CLEANER_NO_PLUGINS=1 to run without any.")
    DETECTORS.update(detectors)
    return Installed(tuple(detectors), tuple(stages))


def _load(entry_points: Iterable[Any], problems: list[str]) -> Iterable[tuple[Any, str, str, Any]]:
    """Each entry point with where it is declared (for errors), its origin (for the
    fingerprint) and the object it names; one that cannot be loaded is a problem."""
    def order(ep: Any) -> tuple[str, str]:
        return (ep.dist.name if ep.dist else "", ep.name)

    for ep in sorted(entry_points, key=order):
        origin = f"{ep.dist.name} {ep.dist.version}" if ep.dist else ep.value
        where = f"plugin {origin}: entry point {ep.name} = {ep.value!r} in group {ep.group}"
        try:
            obj = ep.load()
        except Exception as e:  # any error of the plugin's own code: named, never a traceback from inside it
            problems.append(f"{where}: it cannot be loaded ({type(e).__name__}: {e}). Check that the package is "
                            f"installed whole and works with this version of cleaner.")
            continue
        yield ep, where, origin, obj


def _what(obj: Any) -> str:
    return f"{type(obj).__name__} {obj!r:.60}"


def in_force(rules: RuleSet) -> dict[str, DetectorSpec]:
    """The detectors not shipped with cleaner that ``rules`` name, by name: what a
    `Cleaner` records in its fingerprint and carries to its worker processes."""
    return {r.detector: DETECTORS[r.detector] for r in rules
            if r.detector is not None and r.detector in DETECTORS and DETECTORS[r.detector].origin}


def restore(detectors: Mapping[str, DetectorSpec]) -> None:
    """Register ``detectors`` as a cleaner had them (in a worker process that did not)."""
    for name, spec in detectors.items():
        if DETECTORS.get(name) != spec:
            DETECTORS[name] = spec


def identity() -> bytes:
    """The detectors registered beyond the shipped ones, as bytes: rules are checked
    against them and take their defaults, so the rule cache's entries are named by them
    too (`cleaner.cache.key`). Empty when there are none."""
    added = sorted((name, s.origin, repr(s.defaults), s.patterns, repr(s.choices))
                   for name, s in DETECTORS.items() if s.origin)
    return repr(added).encode("utf-8", "surrogatepass") if added else b""
