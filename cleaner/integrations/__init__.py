"""cleaner as one step of the pipelines users already run.

One module each, behind its extra: `cleaner.integrations.datatrove`
(``cleaner[datatrove]``), `cleaner.integrations.huggingface` (``cleaner[datasets]``)
and `cleaner.integrations.ray` (``cleaner[ray]``). Each cleans texts with a
`Cleaner` that a process loads once (`cleaner_for`: the shipped rules, your rule
folders, a `Config`) and gives each document the fields ``clean`` writes for it
(`fields`), so that a step in a pipeline and a ``clean`` run over the same texts
agree field for field. docs/integrations.md shows each at work.

What every integration shares lives here: which fields, in which form, and the
per-process cleaner.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from ..config import Config
from ..document import Document
from ..pipeline import Cleaner
from ..ruleload import rule_paths

#: The fields of a cleaned document an integration adds beside its text: those of the
#: output contract (`Document.to_dict`) but the id and source, which the pipeline has
#: already, the body, which takes the text's place (datatrove) or its own column, and
#: the record, whose fields the pipeline's own record keeps.
NOT_ADDED = ("id", "source", "body", "record")

#: Each process's cleaners, by rule folders and configuration, with the state of their rule files.
_cleaners: dict[tuple, tuple[tuple, Cleaner]] = {}


def rule_key(rules: Iterable[str | os.PathLike], config: Config | None) -> tuple:
    """What tells two cleaners apart: the rule folders (as given), the configuration, and
    the state of the rule files in those folders (`files_state`), so that a process that
    lives on (a notebook, a Ray actor) loads an edited rule file again."""
    given = rule_paths(rules)
    return given, config or Config(), files_state(given)


def files_state(paths: Iterable[str]) -> tuple:
    """Each rule file's path, size and time of last change, for rule folders or files:
    the ``*.toml`` files of a folder, as the rules are loaded from it; an unreadable or
    missing path is itself (loading it says what is wrong)."""
    state = []
    for path in paths:
        try:
            if os.path.isdir(path):
                files = sorted(e.path for e in os.scandir(path) if e.name.endswith(".toml"))
            else:
                files = [path]
            for f in files:
                st = os.stat(f)
                state.append((f, st.st_size, st.st_mtime_ns))
        except OSError:
            state.append((path, None, None))
    return tuple(state)


def cleaner_for(rules: Iterable[str | os.PathLike] = (), config: Config | None = None) -> Cleaner:
    """The `Cleaner` of these rule folders (beside the shipped rules) and ``config``,
    loaded once per process: a pipeline step is pickled to each worker process, and
    each loads the rules on its first document, not on every one."""
    given, config, state = rule_key(rules, config)
    known = _cleaners.get((given, config))
    if known is None or known[0] != state:  # new, or its rule files changed: the old one is let go
        known = _cleaners[given, config] = (state, Cleaner(rule_dirs=given, config=config))
    return known[1]


def fields(doc: Document) -> dict[str, Any]:
    """The fields ``clean`` writes for ``doc`` (`Document.to_dict`), but `NOT_ADDED`."""
    return {k: v for k, v in doc.to_dict().items() if k not in NOT_ADDED}


def compact_removed(doc: Document) -> list[dict[str, Any]]:
    """What was taken out, each span as ``{"rule", "line", "text"}``, and ``"to"`` for text
    moved into a field: the spans ``clean`` writes without their stage and reason.

    >>> from cleaner import clean_text
    >>> compact_removed(clean_text("Leave a Reply\\n\\nThe council voted to close the old bridge on Friday."))
    [{'rule': 'C104', 'line': 1, 'text': 'Leave a Reply'}]
    """
    out = []
    for s in doc.removed:
        span: dict[str, Any] = {"rule": s.rule, "line": s.line, "text": s.text}
        if s.to:
            span["to"] = s.to
        out.append(span)
    return out


def rule_counts(doc: Document) -> dict[str, int]:
    """Spans taken out per rule id, in the order the rules first took one."""
    counts: dict[str, int] = {}
    for s in doc.removed:
        counts[s.rule] = counts.get(s.rule, 0) + 1
    return counts
