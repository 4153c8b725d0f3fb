"""NeMo Curator: a modifier for its ``Modify`` stage, and a stage that adds the fields.
``pip install 'cleaner[nemo]'``.

>>> from cleaner.integrations.nemo import CleanModifier, CleanDocuments      # doctest: +SKIP
>>> pipeline.add_stage(Modify(CleanModifier()))                                # doctest: +SKIP
>>> pipeline.add_stage(CleanDocuments())                                       # doctest: +SKIP

`CleanModifier` is a ``DocumentModifier``: ``Modify`` gives it each document's text
and writes back the cleaned body, in place or into ``output_fields``. A modifier
returns one value, so the fields (title, date, captions, what was taken out) are
lost that way; `CleanDocuments` is a processing stage that keeps them: it adds to
each batch the columns `cleaner.integrations.huggingface.CleanBatch` adds (``body``
and the Parquet schema's fields, ``rejected``), the text column left as it was.

Both load the rules once per worker process (`cleaner_for`), on their first batch.
"""

from __future__ import annotations

import os
from typing import Iterable

try:
    from nemo_curator.stages.base import ProcessingStage
    from nemo_curator.stages.text.modifiers import DocumentModifier
    from nemo_curator.tasks import DocumentBatch
except ImportError as e:
    raise ImportError(f"cleaner.integrations.nemo needs NeMo Curator ({e}): pip install 'cleaner[nemo]'") from e

from ..config import Config
from ..reading import clean_string
from . import cleaner_for, rule_paths
from .huggingface import added_schema, with_cleaned_columns


class CleanModifier(DocumentModifier):
    """A ``DocumentModifier``: a text in, its cleaned body out ("" for a text that is
    not a string, or that the pipeline could not clean)."""

    def __init__(self, rules: Iterable[str | os.PathLike] = (), config: Config | None = None):
        super().__init__()
        self.rules = rule_paths(rules)
        self.config = config

    def modify_document(self, text: object) -> str:
        if not isinstance(text, str):
            return ""
        return clean_string(cleaner_for(self.rules, self.config), text, "text").body or ""


class CleanDocuments(ProcessingStage[DocumentBatch, DocumentBatch]):
    """A processing stage that adds the cleaned document's columns to each batch."""

    name = "clean_documents"

    def __init__(self, rules: Iterable[str | os.PathLike] = (), config: Config | None = None, *,
                 text_field: str = "text", id_field: str | None = "id", prefix: str = ""):
        self.rules = rule_paths(rules)
        self.config = config
        self.text_field, self.id_field, self.prefix = text_field, id_field, prefix

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.text_field]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], added_schema(self.prefix).names

    def process(self, batch: DocumentBatch) -> DocumentBatch:
        table = with_cleaned_columns(batch.to_pyarrow(), self.text_field, self.id_field, self.rules, self.config,
                                     self.prefix)
        return DocumentBatch(dataset_name=batch.dataset_name, data=table, _metadata=batch._metadata,
                             _stage_perf=batch._stage_perf)
