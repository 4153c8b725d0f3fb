"""The two sides of ``clean diff`` cleaned in one pass: each input read once and cleaned
by both cleaners in the same worker, which also works out what the comparison needs of
the two documents (`facts`), so the main process only adds up.

`PairCleaner` is what `cleaner.runner.run` is given in place of a `Cleaner`: it has
what a run asks of one (``config``, ``fingerprint``, ``clean_text``, ``clean_bytes``),
and each document it gives (`PairDocument`) writes, as its JSON, the facts of the pair.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .document import Document
from .pipeline import Cleaner
from .rulecounts import per_rule
from .text import count_words

#: Fields that tell where an input was read, not what cleaning made of it: not compared
#: (the fields of its record are passed through as they were; an output written before
#: ``record`` was has none).
NOT_COMPARED = ("source", "record")


def comparable(doc: dict | None) -> dict | None:
    """The document without the fields that are not compared."""
    return None if doc is None else {k: v for k, v in doc.items() if k not in NOT_COMPARED}


def facts(doc_id: str, before: dict | None, after: dict | None, keep_same: bool = False,
          failed: tuple[str | None, str | None] = (None, None), source: str | None = None) -> dict:
    """What the comparison needs of one document's two versions (None: that side has no
    document), as JSON-ready data: which sides have it, whether they are the same, each
    side's `per_rule` counts and body words, and the documents themselves where they
    differ (or, with ``keep_same``, the one document both sides agree on)."""
    same = before is not None and after is not None and comparable(before) == comparable(after)
    counts = per_rule(before)
    words = None if before is None else count_words(before.get("body") or "")
    return {
        "id": doc_id, "source": source, "sides": [before is not None, after is not None], "same": same,
        "failed": list(failed),
        "counts": [counts, counts if same else per_rule(after)],
        "words": [words, words if same else None if after is None else count_words(after.get("body") or "")],
        "before": before if not same or keep_same else None, "after": None if same else after,
    }


class PairDocument:
    """Both sides' documents of one input. It fails (``rejected``) only where both sides
    failed; the run's per-rule counts (``removed``) are the new side's."""

    def __init__(self, base: Document, new: Document, keep_same: bool):
        self.base, self.new, self.keep_same = base, new, keep_same

    @property
    def rejected(self) -> str | None:
        return self.new.rejected if self.base.rejected and self.new.rejected else None

    def with_record(self, fields: dict[str, Any], url: str | None) -> PairDocument:
        return PairDocument(self.base.with_record(fields, url), self.new.with_record(fields, url), self.keep_same)

    @property
    def removed(self) -> Any:
        return () if self.new.rejected else self.new.removed

    def to_dict(self) -> dict:
        before = None if self.base.rejected else self.base.to_dict()
        after = None if self.new.rejected else self.new.to_dict()
        return facts(self.new.id, before, after, self.keep_same, (self.base.rejected, self.new.rejected),
                     self.new.source)


class PairCleaner:
    """A base and a new cleaner run as one by `cleaner.runner.run`. ``keep_same``: write the
    document of an input both sides clean alike too (the accuracy needs it)."""

    def __init__(self, base: Cleaner, new: Cleaner, keep_same: bool = False):
        self.base, self.new, self.keep_same = base, new, keep_same

    @property
    def config(self):
        return self.new.config

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"pair {self.base.fingerprint} {self.new.fingerprint} {self.keep_same}".encode()
                              ).hexdigest()

    def clean_text(self, text: str, **kwargs: Any) -> PairDocument:
        return PairDocument(self.base.clean_text(text, **kwargs), self.new.clean_text(text, **kwargs), self.keep_same)

    def clean_bytes(self, data: bytes, **kwargs: Any) -> PairDocument:
        return PairDocument(self.base.clean_bytes(data, **kwargs), self.new.clean_bytes(data, **kwargs),
                            self.keep_same)
