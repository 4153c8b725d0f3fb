"""``clean rules list``: every rule id that can appear in an output, as a table by stage.

The rules of the rule files and the removals made by code (`cleaner.builtin`: the
extractor's comment section, the page classifier; the stages of plugins,
`cleaner.plugins.Stage`), in pipeline order, each with its name, what it does with what
it finds, the languages it is written for ("any": all), and its description wrapped to
the width given. The detectors that plugins add are named last.
"""

from __future__ import annotations

import textwrap
from itertools import zip_longest
from typing import Iterable, NamedTuple, Sequence

from .builtin import BUILTINS
from .detectors import DETECTORS
from .pipeline import ROUNDS, STAGES
from .plugins import Stage
from .ruleset import RuleSet


class Row(NamedTuple):
    id: str
    name: str
    stage: str
    does: str
    description: str
    where: str
    languages: str = "any"


def rows(rules: RuleSet, stages: Sequence[Stage] = ()) -> list[Row]:
    """One row per rule id that can appear in an output, in pipeline order (a stage of
    ``stages`` right after the stage it follows)."""
    order: dict[str, float] = {name: i for i, (name, _) in enumerate(STAGES)}
    # after a rule stage means after the rounds of them all (`cleaner.pipeline.plan`)
    order.update((s.name, order.get(ROUNDS[-1] if s.after in ROUNDS else s.after, len(order)) + 0.5)
                 for s in stages)
    out = [Row(b.id, b.name, b.stage, b.action, b.description, "built in") for b in BUILTINS]
    out += [Row(s.id, s.name, s.name, "drop", s.description, s.origin) for s in stages if s.id is not None]
    for r in rules:
        does = {"move": f"move → {r.field}", "embed": f"embed ({r.kind})"}.get(r.action, r.action)
        out.append(Row(r.id, r.name, r.stage, does, r.description, r.file, " ".join(r.languages) or "any"))
    position = {row.id: i for i, row in enumerate(out)}
    return sorted(out, key=lambda row: (order.get(row.stage, len(order)), position[row.id]))


#: The languages of a rule take at most this many characters a line, and wrap.
LANGUAGES_WIDTH = 12


def render(rules: RuleSet, width: int = 100, stages: Sequence[Stage] = ()) -> str:
    """The table as text, ``width`` characters wide at most (descriptions wrap), with the
    rows of ``stages`` of plugins and a line naming the detectors plugins add.

    >>> from cleaner import load_rules
    >>> print(render(load_rules(), 100).split("\\n\\n")[0])  # doctest: +NORMALIZE_WHITESPACE
    extract_html: 1 rule
      ID    NAME                               DOES               LANGUAGES  DESCRIPTION
      X001  extracted-comment-section          drop               any        The comment section that
                                                                             trafilatura separates from
                                                                             a page's article (HTML
                                                                             input).
    """
    table = rows(rules, stages)
    id_w = max(len("ID"), *(len(r.id) for r in table)) + 2
    name_w = max(len("NAME"), *(len(r.name) for r in table)) + 2
    does_w = max(len("DOES"), *(len(r.does) for r in table)) + 2
    lang_w = max(len("LANGUAGES"), min(LANGUAGES_WIDTH, max(len(r.languages) for r in table))) + 2
    indent = "  "
    text_w = max(20, width - len(indent) - id_w - name_w - does_w - lang_w)
    blocks = []
    for stage, group in _by_stage(table):
        lines = [f"{stage}: {len(group)} rule{'s' * (len(group) != 1)}",
                 f"{indent}{'ID':<{id_w}}{'NAME':<{name_w}}{'DOES':<{does_w}}{'LANGUAGES':<{lang_w}}DESCRIPTION"]
        for r in group:
            wrapped = textwrap.wrap(r.description, text_w) or [""]
            langs = textwrap.wrap(r.languages, lang_w - 2) or [""]
            lines.append(f"{indent}{r.id:<{id_w}}{r.name:<{name_w}}{r.does:<{does_w}}{langs[0]:<{lang_w}}"
                         f"{wrapped[0]}")
            pad = " " * (len(indent) + id_w + name_w + does_w)
            lines.extend(f"{pad}{lang:<{lang_w}}{more}"
                         for lang, more in zip_longest(langs[1:], wrapped[1:], fillvalue=""))
        blocks.append("\n".join(line.rstrip() for line in lines))
    total = len(table)
    blocks.append(f"{total} rules in {len(blocks)} stages; `clean explain FILE` shows which took what.")
    added = [f"{name} ({spec.origin})" for name, spec in DETECTORS.items() if spec.origin]
    if added:
        blocks.append(textwrap.fill(f"Detectors of plugins: {', '.join(added)}.", width))
    return "\n\n".join(blocks)


def _by_stage(table: Iterable[Row]) -> list[tuple[str, list[Row]]]:
    groups: dict[str, list[Row]] = {}
    for r in table:
        groups.setdefault(r.stage, []).append(r)
    return list(groups.items())
