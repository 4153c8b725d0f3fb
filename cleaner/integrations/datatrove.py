"""A datatrove pipeline step: ``pip install 'cleaner[datatrove]'``.

>>> from cleaner.integrations.datatrove import CleanText                # doctest: +SKIP
>>> pipeline = [JsonlReader("raw/"), CleanText(drop_empty=True, exclusion_writer=JsonlWriter("empty/")),
...             JsonlWriter("clean/")]                                    # doctest: +SKIP

`CleanText` cleans each document's ``text`` in place (it becomes the cleaned body)
and puts the fields ``clean`` writes into ``doc.metadata`` (`cleaner.integrations.fields`:
title, date, authors, captions, embeds, lang, text_kind...), the spans taken out
in their compact form (`compact_removed`) under ``removed``. A ``prefix`` is put
before every key it adds (``prefix="cleaner_"``: ``cleaner_title``...), for a
pipeline whose reader already fills a key of the same name (a WARC reader's
``date`` is the crawl's). Each rule's spans are counted in datatrove's stats
(``removed_<rule id>``), beside the words taken out (``words_removed``).

It is a datatrove filter, so that ``drop_empty=True`` drops the documents that
cleaning left without a word through datatrove's own convention: counted as
``dropped_empty_after_cleaning``, and written by the ``exclusion_writer`` if one is
given. Without it, every document goes on. A document the pipeline could not clean
(`Document.rejected`) keeps its text, with the reason under ``rejected``.

The rules are loaded once per task (`cleaner_for`), on its first document.
"""

from __future__ import annotations

import os
from typing import Iterable

try:
    from datatrove.data import Document as DatatroveDocument
    from datatrove.pipeline.filters.base_filter import BaseFilter
    from datatrove.pipeline.writers.disk_base import DiskWriter
except ImportError as e:
    raise ImportError(f"cleaner.integrations.datatrove needs datatrove ({e}): pip install 'cleaner[datatrove]'") from e

from ..config import Config
from ..reading import clean_string
from . import cleaner_for, compact_removed, fields, rule_counts, rule_paths

#: Why `CleanText` drops a document with ``drop_empty=True``.
EMPTY = "empty_after_cleaning"


class CleanText(BaseFilter):
    """Clean each document in place; see the module's doc."""

    name = "🧹 cleaner"

    def __init__(self, rules: Iterable[str | os.PathLike] = (), config: Config | None = None, *,
                 drop_empty: bool = False, exclusion_writer: DiskWriter | None = None, prefix: str = ""):
        super().__init__(exclusion_writer)
        self.rules = rule_paths(rules)
        self.config = config
        self.drop_empty = drop_empty
        self.prefix = prefix

    def filter(self, doc: DatatroveDocument) -> bool | tuple[bool, str]:
        cleaned = clean_string(cleaner_for(self.rules, self.config), doc.text, str(doc.id))  # a page, or text
        if cleaned.rejected:
            doc.metadata[self.prefix + "rejected"] = cleaned.rejected
            self.stat_update("rejected")
            return True
        added = fields(cleaned)
        added["removed"] = compact_removed(cleaned)
        doc.metadata.update({self.prefix + k: v for k, v in added.items()})
        for rule, spans in rule_counts(cleaned).items():
            self.stat_update(f"removed_{rule}", value=spans)
        before, doc.text = len(doc.text.split()), cleaned.body or ""
        self.stat_update("words_removed", value=before - len(doc.text.split()))
        if self.drop_empty and not doc.text.strip():
            return False, EMPTY
        return True
