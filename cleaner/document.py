"""The document that every stage takes and returns.

A `Document` is immutable: a stage returns a new one (``dataclasses.replace``).
While the text stages run, the text lives in ``lines``: each `Line` keeps the
1-based number it had in the input, so every span taken out can name its line.
The ``tidy`` stage joins what is left into ``body``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

#: The fields a rule can move text into, and whether each holds one value or a list.
SCALAR_FIELDS = ("title", "date")
LIST_FIELDS = ("authors", "captions")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the repaired input: its 1-based number there, and its text now."""

    no: int
    text: str


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of text taken out of the document, and the rule that took it.

    ``action`` is ``"drop"`` for residue that is thrown away and ``"move"`` for
    text that leaves the body for a field (``to``: ``title``, ``date``,
    ``authors``, ``captions`` or ``embeds``). ``reason`` says why, when the
    rule's name does not say it all: the page classifier names the feature
    that decided (`cleaner.page`).
    """

    rule: str
    stage: str
    line: int
    text: str
    action: str = "drop"
    to: str | None = None
    reason: str | None = None



@dataclass(frozen=True, slots=True)
class Repair:
    """An encoding repair on one line: what was done, and the line before and after."""

    line: int
    fixes: tuple[str, ...]
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Embed:
    """An embedded social post found in the text (a tweet, an Instagram post...)."""

    kind: str
    text: str
    author: str | None
    handle: str | None
    date: str | None
    rule: str



@dataclass(frozen=True)
class Document:
    """A document on its way through the pipeline.

    ``encoding_rivals`` are the other code pages that read a legacy-encoded input as
    well as ``encoding`` (a doubtful guess; empty when it is clear).
    ``format`` is ``"text"`` or ``"html"``; ``text_kind`` is what its text was
    taken for, ``"whole-page"`` or ``"article"`` (`cleaner.page`); ``lang`` its
    language, when told (`cleaner.language`). ``record`` holds the other fields of the
    JSONL record the text came from, as they were (empty for a file).
    ``raw`` holds the input bytes until
    ``decode`` has turned them into ``text``; ``text`` is then the input that line
    numbers refer to: the repaired text, or for HTML the text the extractor
    found in the page (its comment section last). ``given`` names the fields
    the page's own metadata filled; text rules do not change them. A document
    that cannot be cleaned carries the reason in ``rejected`` and goes no further.

    What the stages compute on the way (word counts, which rules may match a
    line) is not on the document: it is the run's working state for it
    (`cleaner.context.Work`).
    """

    id: str
    source: str
    format: str = "text"
    raw: bytes | None = None
    encoding: str | None = None
    encoding_rivals: tuple[str, ...] = ()
    text: str | None = None
    lines: tuple[Line, ...] = ()
    title: str | None = None
    date: str | None = None
    authors: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    embeds: tuple[Embed, ...] = ()
    removed: tuple[Span, ...] = ()
    repairs: tuple[Repair, ...] = ()
    body: str | None = None
    url: str | None = None
    site: str | None = None
    extractor: str | None = None
    text_kind: str | None = None
    text_kind_evidence: str | None = None
    lang: str | None = None
    record: dict[str, Any] = field(default_factory=dict)
    given: tuple[str, ...] = ()
    rejected: str | None = None

    def reject(self, reason: str) -> Document:
        return self.changed(rejected=reason, lines=(), body=None)

    def with_record(self, fields: dict[str, Any], url: str | None) -> Document:
        """The document of a JSONL record: its other ``fields``, and its ``url`` where the
        text gave none."""
        return self.changed(record=fields, url=self.url or url)

    def changed(self, **changes: Any) -> Document:
        """The document with some fields changed: what ``dataclasses.replace`` makes, without
        running ``__init__`` again (every stage makes new documents, many per document).

        >>> Document(id="a", source="a.txt").changed(title="T").title
        'T'
        """
        unknown = changes.keys() - _FIELDS
        if unknown:
            raise TypeError(f"Document has no field {min(unknown)!r}")
        new = object.__new__(Document)
        state = new.__dict__
        state.update(self.__dict__)
        state.update(changes)
        return new

    def to_dict(self) -> dict[str, Any]:
        """The output contract: the JSON object written for this document."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "date": self.date,
            "authors": list(self.authors),
            "body": self.body if self.body is not None else "",
            "captions": list(self.captions),
            "embeds": [_flat(e, _EMBED) for e in self.embeds],
            "removed": [_flat(s, _SPAN) for s in self.removed],
            "repairs": [{**_flat(r, _REPAIR), "fixes": list(r.fixes)} for r in self.repairs],
            "encoding": self.encoding,
            "encoding_rivals": list(self.encoding_rivals),
            "format": self.format,
            "text_kind": self.text_kind,
            "text_kind_evidence": self.text_kind_evidence,
            "lang": self.lang,
            "extractor": self.extractor,
            "url": self.url,
            "site": self.site,
            "record": dict(self.record),
        }


_FIELDS = frozenset(f.name for f in fields(Document))
_EMBED, _SPAN, _REPAIR = (tuple(f.name for f in fields(kind)) for kind in (Embed, Span, Repair))


def _flat(record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A record of plain values (`Span`, `Embed`, `Repair`) as a dict, its fields in order:
    what ``dataclasses.asdict`` gives for it, without its deep copy."""
    return {name: getattr(record, name) for name in names}
