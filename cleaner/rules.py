"""Rules are data: TOML files read with `tomllib`, checked, compiled with `regex`.

A rule file holds ``[[rule]]`` tables and, in a user's file, an optional
``disable = ["ID", ...]`` list. Each rule has a permanent ``id``, a ``name`` for
the noise it finds, the ``stage`` it belongs to, either a ``pattern`` or a
built-in ``detector``, an ``action``, a ``description`` and its own examples:
``remove`` (text it must take out) and ``keep`` (text it must leave alone), at
least one of each, plus optional ``[[rule.case]]`` tables with exact results.

Loading checks everything before any document is touched and reports every
problem at once, each naming the file, the rule id and what to do.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Any, Iterable

import regex

from . import cache
from .detectors import DETECTORS
from .language import KNOWN as KNOWN_LANGUAGES
from .plugins import installed as installed_plugins
from .ruleset import (ACTIONS, CASE_FIELDS, MOVE_FIELDS, RULE_STAGES, SCOPES, WHERES, Case, Rule, RuleSet)

RULE_KEYS = (
    "id", "name", "stage", "description", "pattern", "detector", "params", "action",
    "scope", "where", "field", "kind", "evidence", "min_evidence", "start", "conclusive", "needs", "page_edge", "article_end",
    "languages",
    "replace",
    "remove", "keep",
    "case",
)
FILE_KEYS = ("rule", "disable")
#: Rule files, each with its bytes, as read once (and both named in the cache and parsed so).
Sources = list[tuple[Path, bytes]]
ID_PATTERN = regex.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")


class RuleFileError(Exception):
    """One or more rule files are broken. ``problems`` holds one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def shipped_rules_dir() -> Path:
    """Where the rules shipped with `cleaner` are.

    An installed package carries them in ``cleaner/rules/``; a source checkout
    (and an editable install) reads the repository's ``rules/``.
    """
    installed = Path(__file__).parent / "rules"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "rules"


def load_rules(user_dirs: Iterable[Path | str] = (), *, shipped: bool = True) -> RuleSet:
    """Read the shipped rules, then each user folder (or file) in turn.

    A user's rule with the id of an existing rule must say ``replace = true``
    and then takes its place; ``disable = ["ID"]`` removes a rule. Raises
    `RuleFileError` listing every problem found.

    Rule files read before, unchanged, are not compiled again: the rule set
    they made comes from the cache (`cleaner.cache`).
    """
    installed_plugins()  # their detectors, which rules may name (once per process; `cleaner.plugins`)
    problems: list[str] = []
    layers = [(False, _read_sources(shipped_rules_dir(), problems))] if shipped else []
    layers += [(True, _read_sources(Path(d), problems)) for d in user_dirs]
    # the entry is named by the very bytes the rules are then made of
    name = _cache_name(layers) if not problems and cache.cache_dir() is not None else None
    if name is not None:
        cached = cache.load("rules", name)
        if isinstance(cached, RuleSet):
            return cached
    rules = _build_rules(layers, problems)
    if name is not None:
        cache.store("rules", name, rules.prepared())
    return rules


def _cache_name(layers: list[tuple[bool, Sources]]) -> str:
    """The cache entry of these rule files: their layers, paths and bytes."""
    parts: list[bytes] = []
    for user, sources in layers:
        parts.append(b"user" if user else b"shipped")
        for path, data in sources:
            parts += [str(path).encode("utf-8", "surrogateescape"), data]
    return cache.key(parts)


def _build_rules(layers: list[tuple[bool, Sources]], problems: list[str]) -> RuleSet:
    ordered: dict[str, Rule] = {}
    for user, sources in layers:
        layer = _read_layer(sources, problems, user=user)
        if not user:
            ordered.update((rule.id, rule) for rule in layer.rules)
            continue
        for rule in layer.rules:
            if rule.id in ordered:
                old = ordered[rule.id]
                if not layer.replaces.get(rule.id):
                    problems.append(
                        f"{rule.file}: rule {rule.id}: this id is already used by {old.file}. "
                        f"Choose a new id, or add `replace = true` to replace that rule."
                    )
                    continue
            elif layer.replaces.get(rule.id):
                problems.append(
                    f"{rule.file}: rule {rule.id}: `replace = true` but no rule {rule.id} is loaded before it. "
                    f"Remove `replace`, or check the id."
                )
                continue
            ordered[rule.id] = rule
        for rule_id, where in layer.disabled:
            if rule_id not in ordered:
                hint = _did_you_mean(rule_id, ordered)
                problems.append(f"{where}: disable: no rule {rule_id} is loaded.{hint} Check the id.")
            else:
                del ordered[rule_id]
    for rule in ordered.values():
        for need in rule.needs:
            if need not in ordered:
                problems.append(f"{rule.file}: rule {rule.id}: it needs rule {need}, which is not loaded. "
                                f"Check the id, or do not disable {need}.")
    if problems:
        raise RuleFileError(problems)
    return RuleSet(tuple(ordered.values()))


def load_rule_text(text: str, file: str = "<rules>") -> RuleSet:
    """Read rules from TOML text alone (no shipped rules): handy in tests and notebooks."""
    problems: list[str] = []
    layer = _parse_file(text, file, problems, user=False)
    if problems:
        raise RuleFileError(problems)
    return RuleSet(tuple(layer.rules))


# --- reading -------------------------------------------------------------------


@dataclass
class _Layer:
    rules: list[Rule] = dc_field(default_factory=list)
    replaces: dict[str, bool] = dc_field(default_factory=dict)
    disabled: list[tuple[str, str]] = dc_field(default_factory=list)


def _rule_files(path: Path, problems: list[str]) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            problems.append(f"{path}: no *.toml rule files in this folder. Point --rules at a folder of rule files.")
        return files
    problems.append(f"{path}: no such rule file or folder. Check the --rules path.")
    return []


def _read_sources(path: Path, problems: list[str]) -> Sources:
    """The rule files of a folder (or the one file), each with its bytes."""
    sources = []
    for f in _rule_files(path, problems):
        try:
            sources.append((f, f.read_bytes()))
        except OSError as e:
            problems.append(_unreadable(f, e))
    return sources


def _unreadable(f: Path, e: Exception) -> str:
    return f"{f}: cannot read this rule file ({e}). Check that it is readable UTF-8 text."


def _read_layer(sources: Sources, problems: list[str], *, user: bool) -> _Layer:
    merged = _Layer()
    seen: dict[str, str] = {}
    for f, data in sources:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(_unreadable(f, e))
            continue
        layer = _parse_file(text, str(f), problems, user=user)
        for rule in layer.rules:
            if rule.id in seen:
                problems.append(
                    f"{rule.file}: rule {rule.id}: duplicate id, also used in {seen[rule.id]}. "
                    f"Ids are permanent and unique: give one of them a new id."
                )
                continue
            seen[rule.id] = rule.file
            merged.rules.append(rule)
        merged.replaces.update(layer.replaces)
        merged.disabled.extend(layer.disabled)
    return merged


def _parse_file(text: str, file: str, problems: list[str], *, user: bool) -> _Layer:
    layer = _Layer()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        problems.append(f"{file}: not valid TOML: {e}. Fix the syntax at that line.")
        return layer
    for key in data:
        if key not in FILE_KEYS:
            problems.append(f"{file}: unknown top-level key {key!r}.{_did_you_mean(key, FILE_KEYS)} "
                            f"A rule file holds [[rule]] tables and an optional `disable` list.")
    disable = data.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        problems.append(f"{file}: `disable` must be a list of rule ids, like disable = [\"C101\"].")
    else:
        layer.disabled.extend((rule_id, file) for rule_id in disable)
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        problems.append(f"{file}: `rule` must be an array of tables: write each rule under [[rule]].")
        return layer
    for n, table in enumerate(tables, 1):
        rule = _parse_rule(table, file, n, problems, user=user)
        if rule is not None:
            layer.rules.append(rule)
            layer.replaces[rule.id] = bool(table.get("replace", False))
    return layer


def _parse_rule(t: dict[str, Any], file: str, n: int, problems: list[str], *, user: bool) -> Rule | None:
    rid = t.get("id")
    label = f"rule {rid}" if isinstance(rid, str) and rid else f"rule #{n} (no id)"
    before = len(problems)

    def bad(problem: str) -> None:
        problems.append(f"{file}: {label}: {problem}")

    for key in t:
        if key not in RULE_KEYS:
            bad(f"unknown key {key!r}.{_did_you_mean(key, RULE_KEYS)} Remove it or fix its spelling.")
    if not isinstance(rid, str) or not ID_PATTERN.fullmatch(rid):
        bad("`id` is missing or malformed: give a short permanent id of letters, digits, '-' or '_' (like \"C101\").")
    for key in ("name", "description"):
        if not isinstance(t.get(key), str) or not t[key].strip():
            bad(f"`{key}` is missing: every rule needs a {key}.")
    stage = t.get("stage")
    if stage not in RULE_STAGES:
        bad(f"`stage` is {stage!r}; it must be one of {', '.join(RULE_STAGES)}.")
    action = t.get("action")
    if action not in ACTIONS:
        bad(f"`action` is {action!r}; it must be one of {', '.join(ACTIONS)}.")
    scope = t.get("scope", "line")
    if scope not in SCOPES:
        bad(f"`scope` is {scope!r}; it must be one of {', '.join(SCOPES)}.")
    where = t.get("where", "anywhere")
    if where not in WHERES:
        bad(f"`where` is {where!r}; it must be one of {', '.join(WHERES)}.")
    fld = t.get("field")
    if action == "move" and fld not in MOVE_FIELDS:
        bad(f"a `move` rule needs `field`, one of {', '.join(MOVE_FIELDS)} (it is {fld!r}).")
    if action != "move" and fld is not None:
        bad("`field` only goes with action = \"move\".")
    kind = t.get("kind")
    if action == "embed" and (not isinstance(kind, str) or not kind):
        bad("an `embed` rule needs `kind`, the kind of post it finds (like \"tweet\").")
    if scope in ("rest", "list") and action != "drop":
        bad(f"a `{scope}` rule drops the section it finds: set action = \"drop\".")
    if action == "embed" and scope != "paragraph":
        bad("an `embed` rule takes a whole paragraph: set scope = \"paragraph\".")
    evidence, min_evidence = t.get("evidence"), t.get("min_evidence", 1)
    compiled_evidence = None
    if evidence is not None or "min_evidence" in t:
        if scope != "rest":
            bad("`evidence` and `min_evidence` only go with scope = \"rest\".")
        else:
            compiled_evidence = _compile(evidence, "evidence", bad)
        if type(min_evidence) is not int or min_evidence < 1:
            bad("`min_evidence` must be a whole number of lines, 1 or more.")
    start = t.get("start", "last")
    if start not in ("first", "last"):
        bad(f"`start` must be \"first\" or \"last\" (got {start!r}): which matching line starts the section.")
        start = "last"
    elif "start" in t and compiled_evidence is None:
        bad("`start` only goes with `evidence`: it says which matching line starts the section the evidence proves.")
    needs = t.get("needs", [])
    if not isinstance(needs, list) or not all(isinstance(x, str) for x in needs):
        bad("`needs` must be a list of rule ids, like needs = [\"M005\"]: the rules whose work this one uses.")
        needs = []
    page_edge = t.get("page_edge", False)
    if type(page_edge) is not bool:
        bad("`page_edge` must be true or false: whether what the rule takes out sits at an article's edge.")
    article_end = t.get("article_end", False)
    if type(article_end) is not bool:
        bad("`article_end` must be true or false: whether what the rule takes out is found only where an "
            "article ends.")
        article_end = False
    conclusive = t.get("conclusive", False)
    if type(conclusive) is not bool:
        bad("`conclusive` must be true or false: whether only a comment section has the heading.")
    elif conclusive and scope != "rest":
        bad("`conclusive` only goes with scope = \"rest\".")
    languages = t.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        bad("`languages` must be a list of language codes, like languages = [\"de\", \"nl\"].")
        languages = []
    for code in languages:
        if code not in KNOWN_LANGUAGES:
            bad(f"unknown language {code!r} in `languages`.{_did_you_mean(code, KNOWN_LANGUAGES)} "
                f"Use a code that `clean` can tell (BCP 47, like \"de\", \"pt\", \"ja\"; docs/rules.md lists them).")
    if "replace" in t and not user:
        bad("`replace` is only for a user's rule files (--rules), to replace a shipped rule.")

    pattern, detector = t.get("pattern"), t.get("detector")
    compiled = None
    params: dict[str, Any] = {}
    if (pattern is None) == (detector is None):
        bad("give either `pattern` (a regular expression) or `detector` (a built-in detector), not both or neither.")
    elif pattern is not None:
        compiled = _compile(pattern, "pattern", bad)
        if "params" in t:
            bad("`params` only goes with a `detector`.")
    else:
        spec = DETECTORS.get(detector) if isinstance(detector, str) else None
        if spec is None:
            bad(f"unknown detector {detector!r}.{_did_you_mean(str(detector), DETECTORS)} "
                f"Known detectors: {', '.join(DETECTORS)}.")
        else:
            given = t.get("params", {})
            if not isinstance(given, dict):
                bad("`params` must be a table, like params = { max_words = 40 }.")
                given = {}
            for key, value in given.items():
                if key not in spec.defaults:
                    bad(f"detector {detector!r} has no parameter {key!r}.{_did_you_mean(key, spec.defaults)}")
                elif type(value) is not type(spec.defaults[key]):
                    bad(f"parameter {key!r} must be a {type(spec.defaults[key]).__name__}, like {spec.defaults[key]!r}.")
            params = {**spec.defaults, **given}
            for key in spec.patterns:
                if params[key]:
                    _compile(params[key], f"params.{key}", bad)
            for key, allowed in (spec.choices or {}).items():
                if params[key] not in allowed:
                    bad(f"parameter {key!r} is {params[key]!r}; it must be one of {', '.join(allowed)}.")

    remove, keep = t.get("remove", []), t.get("keep", [])
    for key, value in (("remove", remove), ("keep", keep)):
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            bad(f"`{key}` must be a list of example texts.")
        elif not value:
            what = "must take out" if key == "remove" else "must leave alone"
            bad(f"missing examples: `{key}` needs at least one text the rule {what}.")
    cases = []
    for i, c in enumerate(t.get("case", []) if isinstance(t.get("case", []), list) else [None], 1):
        if not isinstance(c, dict) or not isinstance(c.get("input"), str):
            bad(f"case {i} needs an `input` text, in a [[rule.case]] table.")
            continue
        unknown = [k for k in c if k not in CASE_FIELDS]
        for k in unknown:
            bad(f"case {i}: unknown key {k!r}.{_did_you_mean(k, CASE_FIELDS)}")
        if len(c) == 1:
            bad(f"case {i}: give at least one expected field ({', '.join(CASE_FIELDS[1:])}).")
        cases.append(Case(c["input"], tuple((k, v) for k, v in c.items() if k != "input")))

    if len(problems) > before:
        return None
    return Rule(
        id=rid, name=t["name"], stage=stage, description=" ".join(t["description"].split()),
        action=action, file=file, pattern=pattern, detector=detector,
        params=tuple(params.items()), scope=scope, where=where, field=fld, kind=kind,
        evidence=compiled_evidence, min_evidence=min_evidence, start=start, needs=tuple(needs),
        page_edge=page_edge is True or article_end, article_end=article_end,
        languages=tuple(languages),
        conclusive=conclusive,
        remove=tuple(remove), keep=tuple(keep), cases=tuple(cases), regex=compiled,
    )


def _compile(text: Any, key: str, bad) -> Any:
    """A rule's regular expression compiled, or ``None`` with the problem reported."""
    if not isinstance(text, str) or not text:
        bad(f"`{key}` must be a non-empty regular expression.")
        return None
    try:
        return regex.compile(text)
    except regex.error as e:
        bad(f"{key} does not compile: {e}. Fix the regular expression.")
        return None


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""
