"""Taking text out of a document and moving it into its fields, recording each piece
taken out as a `Span` that names its rule."""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING, Sequence

import regex

from .dates import to_iso
from .document import LIST_FIELDS, Span

if TYPE_CHECKING:
    from .document import Document, Line
    from .ruleset import Rule

NAME_SEPARATORS = regex.compile(r"\s*(?:,|&|\b(?:and|und|og|och|et|y)\b|\|)\s*")


def take_lines(doc: Document, rule: Rule, indices: list[int], to: str | None = None,
               reasons: dict[int, str] | None = None) -> Document:
    """Take whole lines out of the text, recording a span for each (with its reason from
    ``reasons``, by index, where the rule's name does not say it all)."""
    if not indices:
        return doc
    gone = sorted(set(indices))
    reasons = reasons or {}
    spans = tuple(
        Span(rule.id, rule.stage, doc.lines[i].no, doc.lines[i].text.strip(), "move" if to else "drop", to,
             reasons.get(i))
        for i in gone
    )
    return doc.changed(lines=without(doc.lines, gone), removed=doc.removed + spans)


def without(lines: Sequence[Line], gone) -> tuple[Line, ...]:
    """``lines`` but those at the indices ``gone`` (distinct), as a tuple: the runs between
    them, sliced and joined (a few lines go from many).

    >>> without(("a", "b", "c", "d"), {1, 2})
    ('a', 'd')
    """
    pieces, start = [], 0
    for i in sorted(gone):
        pieces.append(lines[start:i])
        start = i + 1
    pieces.append(lines[start:])
    return tuple(chain.from_iterable(pieces))


def set_field(doc: Document, field: str, value: str | None) -> Document:
    """Give a field a value moved out of the text.

    ``title`` and ``date`` keep the first value they are given (so the order of
    the rules is their priority); ``authors`` and ``captions`` collect values,
    each once. A date that cannot be read as a calendar date is not set; one
    written with slashes is read in the order of the document's language
    (`cleaner.dates.to_iso`). A
    field the page's metadata gave (``doc.given``) is left as it is.
    """
    if value is None or field in doc.given:
        return doc
    if field not in LIST_FIELDS and getattr(doc, field) is not None:
        return doc  # it keeps its first value: a date is not read (`to_iso`) only to be thrown away
    value = " ".join(value.split())
    if not value:
        return doc
    if field == "date":
        value = to_iso(value, doc.lang)
        if value is None:
            return doc
    if field in LIST_FIELDS:
        values = split_names(value) if field == "authors" else [value]
        current = list(getattr(doc, field))
        for v in values:
            if v not in current:
                current.append(v)
        return doc.changed(**{field: tuple(current)})
    return doc.changed(**{field: value})


def split_names(value: str) -> list[str]:
    """``"Jane Doe and John Roe"`` -> ``["Jane Doe", "John Roe"]``; also ``und``, ``og``,
    ``och``, ``et`` and ``y``, in lower case, between names."""
    parts = NAME_SEPARATORS.split(value)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def match_value(match) -> str:
    """What a match moves into a field: its group ``value`` if the pattern has one, else all of it."""
    return match.group("value") if "value" in match.re.groupindex else match.group(0)
