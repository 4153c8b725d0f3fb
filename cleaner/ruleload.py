"""Rules are data: TOML files read with `tomllib`, checked, compiled with `regex`.

A rule file holds ``[[rule]]`` tables and, in a user's file, an optional
``disable = ["ID", ...]`` list. Each rule has a permanent ``id``, a ``name`` for
the noise it finds, the ``stage`` it belongs to, either a ``pattern`` or a
built-in ``detector``, an ``action``, a ``description`` and its own examples:
``remove`` (text it must take out) and ``keep`` (text it must leave alone), at
least one of each, plus optional ``[[rule.case]]`` tables with exact results.

Loading checks everything before any document is touched and reports every
problem at once, each naming the file, the rule id and what to do. What a rule
table may hold is written once, as data, in `cleaner.ruleschema`; this module
reads the files, builds the rules and layers a user's files over the shipped ones.
"""

from __future__ import annotations

import os
import importlib.resources
import re
import tomllib
import warnings
from dataclasses import dataclass, field as dc_field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import cache
from .builtin import BUILTIN_RULES
from .detectors import DETECTORS
from .plugins import identity as plugin_identity, installed as installed_plugins
from .ruleschema import check_rule
from .ruleset import Rule, RuleSet
from .tableschema import did_you_mean

FILE_KEYS = ("rule", "disable")
#: Rule files, each with its bytes, as read once (and both named in the cache and parsed so).
Sources = list[tuple[Traversable, bytes]]
#: An id of the shipped kind: capital letters, then digits only ("C101", "ZH003"). Ids that
#: start with U are left to users: no shipped rule or built-in removal takes one.
NUMBERED_ID = re.compile(r"([A-Z]+)([0-9]+)")


class RuleFileError(Exception):
    """One or more rule files are broken. ``problems`` holds one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class RuleWarning(UserWarning):
    """Something in the user's rule files that does not stop them loading, but may not be
    what was meant: shown by ``clean`` as ``clean: warning: ...``."""


class RuleIdWarning(RuleWarning):
    """A user's rule has an id of the shipped kind (a shipped rule's letters, then digits)
    without ``replace = true``: a later release may ship a rule of that id, and the user's
    file then stops loading. Ids that start with U are the users'."""


def shipped_rules_dir() -> Traversable:
    """Where the rules shipped with `cleaner` are.

    Run from a source tree (a checkout on PYTHONPATH, or an editable install of one),
    they are that tree's ``rules/`` beside the package (`source_rules`): its own rules,
    even when an editable install of another checkout maps ``cleaner.rules`` to that
    one's (and setuptools' editable finder does not import ``cleaner.rules``, a folder
    without ``__init__.py`` inside a package, at all). Installed from a wheel, they are
    the package's data ``cleaner.rules`` (``cleaner/rules/*.toml``), read with
    `importlib.resources`.
    """
    package = Path(__file__).resolve().parent
    tree = source_rules(package)
    if tree is not None:
        return tree
    try:
        return importlib.resources.files("cleaner.rules")
    except ModuleNotFoundError:  # an install without its rule files: reported as a missing folder
        return package / "rules"


def source_rules(package: Path) -> Path | None:
    """The ``rules/`` folder of the source tree that ``package`` (the package's folder)
    is in, or None: a folder beside the package that holds ``*.toml`` files, when the
    package has no ``rules/`` of its own (as an installed one has)."""
    tree = package.parent / "rules"
    if (package / "rules").exists() or not tree.is_dir() or not any(tree.glob("*.toml")):
        return None
    return tree


def rule_paths(given: Iterable[str | os.PathLike] | str | os.PathLike) -> tuple[str, ...]:
    """Rule folders or files as given: several, or one (a lone path is one folder, not
    the letters of its name).

    >>> rule_paths("my-rules"), rule_paths(["a", Path("b")])
    (('my-rules',), ('a', 'b'))
    """
    if isinstance(given, (str, os.PathLike)):
        given = [given]
    return tuple(os.fspath(p) for p in given)


def load_rules(user_dirs: Iterable[Path | str] | Path | str = (), *, shipped: bool = True) -> RuleSet:
    """Read the shipped rules, then each user folder (or file) in turn.

    A user's rule with the id of an existing rule must say ``replace = true``
    and then takes its place; ``disable = ["ID"]`` removes a rule. Raises
    `RuleFileError` listing every problem found. A user's rule with an id of the
    shipped kind (``C999``: a shipped id's letters, then digits) and no ``replace``
    loads, with a `RuleIdWarning`: ids that start with U are the users'.

    Rule files read before, unchanged, are not compiled again: the rule set
    they made comes from the cache (`cleaner.cache`).
    """
    installed_plugins()  # their detectors, which rules may name (once per process; `cleaner.plugins`)
    problems: list[str] = []
    layers = [(False, _read_sources(shipped_rules_dir(), problems))] if shipped else []
    layers += [(True, _read_sources(Path(d), problems)) for d in rule_paths(user_dirs)]
    # the entry is named by the very bytes the rules are then made of
    name = _cache_name(layers) if not problems and cache.cache_dir() is not None else None
    cached = cache.load("rules", name) if name is not None else None
    if isinstance(cached, RuleSet):
        rules = cached
    else:
        rules = _build_rules(layers, problems)
        if name is not None:
            cache.store("rules", name, rules.prepared())
    for message in shipped_kind_ids(layers):  # from the files, so a cached rule set is checked too
        warnings.warn(message, RuleIdWarning, stacklevel=2)
    return rules


def _cache_name(layers: list[tuple[bool, Sources]]) -> str:
    """The cache entry of these rule files: their layers, paths and bytes, and the
    detectors plugins registered (rules are checked against them, `cleaner.plugins.identity`)."""
    parts: list[bytes] = [plugin_identity()]
    for user, sources in layers:
        parts.append(b"user" if user else b"shipped")
        for path, data in sources:
            parts += [str(path).encode("utf-8", "surrogateescape"), data]
    return cache.key(parts)


def shipped_kind_ids(layers: list[tuple[bool, Sources]]) -> list[str]:
    """A sentence for each user's rule whose id is of the shipped kind: the letters of a
    shipped id, then digits only (``C999``, ``ZH100``), and that does not say ``replace =
    true`` (replacing a shipped rule on purpose is fine). Read from the files themselves, so
    a rule that a later file replaces or disables is still named: its file would still break.
    The shipped files are read only when some user's id could be of their kind."""
    suspects = [(f, t["id"]) for user, sources in layers if user for f, t in _tables(sources)
                if isinstance(t.get("id"), str) and NUMBERED_ID.fullmatch(t["id"]) and t.get("replace") is not True]
    if not suspects:
        return []
    prefixes = {m[1] for user, sources in layers if not user for _, t in _tables(sources)
                if isinstance(t.get("id"), str) and (m := NUMBERED_ID.fullmatch(t["id"]))}
    prefixes |= {m[1] for b in BUILTIN_RULES if (m := NUMBERED_ID.fullmatch(b))}  # X001, W001
    return [f"{f}: rule {rid}: its id is in the range of the shipped rules' ids ({m[1]}, then digits), so a later "
            f"release may ship a rule {rid}, and this file would then stop loading with a duplicate-id error. Give "
            f"the rule an id that starts with U (like U{rid}): no shipped rule will ever take one."
            for f, rid in suspects if (m := NUMBERED_ID.fullmatch(rid)) and m[1] in prefixes]


def _tables(sources: Sources) -> Iterator[tuple[Traversable, dict[str, Any]]]:
    """The ``[[rule]]`` tables of rule files, each with its file; a file that does not parse has none."""
    for f, data in sources:
        try:
            tables = tomllib.loads(data.decode("utf-8")).get("rule", [])
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(tables, list):
            yield from ((f, t) for t in tables if isinstance(t, dict))


def _build_rules(layers: list[tuple[bool, Sources]], problems: list[str]) -> RuleSet:
    ordered: dict[str, Rule] = {}
    for user, sources in layers:
        layer = _read_layer(sources, problems, user=user)
        if not user:
            ordered.update((rule.id, rule) for rule in layer.rules)
            continue
        for rule in layer.rules:
            if rule.id in BUILTIN_RULES:
                problems.append(f"{rule.file}: rule {rule.id}: this id is the built-in removal {rule.id} "
                                f"({BUILTIN_RULES[rule.id]}), which outputs and counts already hold. Choose another "
                                f"id: ids that start with U are left to your rules.")
                continue
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
                hint = did_you_mean(rule_id, ordered)
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


def _rule_files(path: Traversable, problems: list[str]) -> list[Traversable]:
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted((f for f in path.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
        if not files:  # a rule folder just made, or emptied: the other rules, as asked
            warnings.warn(f"{path}: no *.toml rule files in this folder, so it adds no rule. If it should, point "
                          f"--rules at the folder that holds them.", RuleWarning, stacklevel=2)
        return files
    problems.append(f"{path}: no such rule file or folder. Check the --rules path.")
    return []


def _read_sources(path: Traversable, problems: list[str]) -> Sources:
    """The rule files of a folder (or the one file), each with its bytes."""
    sources = []
    for f in _rule_files(path, problems):
        try:
            sources.append((f, f.read_bytes()))
        except OSError as e:
            problems.append(_unreadable(f, e))
    return sources


def _unreadable(f: Traversable, e: Exception) -> str:
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
            problems.append(f"{file}: unknown top-level key {key!r}.{did_you_mean(key, FILE_KEYS)} "
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
        if not isinstance(table, dict):
            problems.append(f"{file}: rule #{n} is {table!r}, not a table: write each rule under [[rule]], "
                            f"its keys on the lines below.")
            continue
        rule = _parse_rule(table, file, n, problems, user=user)
        if rule is not None:
            layer.rules.append(rule)
            layer.replaces[rule.id] = bool(table.get("replace", False))
    return layer


def _parse_rule(t: dict[str, Any], file: str, n: int, problems: list[str], *, user: bool) -> Rule | None:
    """The rule of one ``[[rule]]`` table, or None with its problems reported, each naming
    the file and the rule (its id, else its place in the file)."""
    rid = t.get("id")
    label = f"rule {rid}" if isinstance(rid, str) and rid else f"rule #{n} (no id)"
    v = check_rule(t, lambda problem: problems.append(f"{file}: {label}: {problem}"), user=user)
    if v is None:
        return None
    return Rule(
        id=v["id"], name=v["name"], stage=v["stage"], description=" ".join(v["description"].split()),
        action=v["action"], file=file, pattern=t.get("pattern"), detector=v["detector"],
        params=tuple((v["params"] or {}).items()),
        line_params=DETECTORS[v["detector"]].line_patterns if v["detector"] else (), scope=v["scope"], where=v["where"], field=v["field"], kind=v["kind"],
        evidence=v["evidence"], min_evidence=v["min_evidence"], start=v["start"], needs=tuple(v["needs"]),
        page_edge=v["page_edge"] or v["article_end"], article_end=v["article_end"],
        languages=tuple(v["languages"]),
        conclusive=v["conclusive"], weak=v["weak"],
        remove=tuple(v["remove"]), keep=tuple(v["keep"]), cases=tuple(v["case"]), regex=v["pattern"],
    )
