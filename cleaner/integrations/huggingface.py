"""Hugging Face ``datasets``: a batched function for ``Dataset.map``.
``pip install 'cleaner[datasets]'``.

>>> from cleaner.integrations.huggingface import CleanBatch          # doctest: +SKIP
>>> step = CleanBatch()                                                # doctest: +SKIP
>>> cleaned = dataset.map(step, batched=True, num_proc=4, features=step.features(dataset.features))  # doctest: +SKIP

`CleanBatch` reads each row's text (``text_column``, ``"text"`` by default) and adds
the document's fields as columns, with the types of the Parquet schema
(`cleaner.schema.parquet_schema`): ``body``, ``title``, ``date``, ``authors``,
``captions``, ``embeds``, ``removed``, ``repairs``, ``lang``... (`cleaner.integrations.fields`),
and ``rejected``, the reason a row could not be cleaned (null when it was). The text
column stays as it was; ``prefix`` is put before every column it adds, for a dataset
that has a column of the same name already (``url``, ``date``).

``features`` gives those types to ``map``: without them, `datasets` infers each
column's type from the first batch, and refuses a column it saw only nulls in (a
batch of texts none of which has a title). The rules are loaded
once per process (`cleaner_for`), with ``num_proc`` too: the function carries only
its rule folders and configuration. `datasets` keeps a map's result under a fingerprint
of the function, made by pickling it: the step pickles with the fingerprint of its
cleaner as it is when ``map`` is called (`Cleaner.fingerprint`: what its rules do, the
configuration, the code), so that a rule file edited since, or another version of
cleaner, is a new computation and not the result cached for the old rules.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from ..config import Config
from ..reading import clean_string
from . import cleaner_for, fields, rule_paths


class CleanBatch:
    """A batched ``Dataset.map`` function; see the module's doc."""

    def __init__(self, rules: Iterable[str | os.PathLike] = (), config: Config | None = None, *,
                 text_column: str = "text", id_column: str | None = "id", prefix: str = ""):
        self.rules = rule_paths(rules)
        self.config = config
        self.text_column = text_column
        self.id_column = id_column
        self.prefix = prefix

    def __getstate__(self) -> dict[str, Any]:
        # what `datasets` hashes the step by (and what a worker process gets): the rules as
        # they are now, by what they do, not only where they are
        return {**self.__dict__, "fingerprint": cleaner_for(self.rules, self.config).fingerprint}

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.pop("fingerprint", None)
        self.__dict__.update(state)

    def __call__(self, batch: dict[str, list]) -> dict[str, list]:
        texts = batch[text_column_of(batch, self.text_column)]
        ids = batch.get(self.id_column) if self.id_column else None
        return cleaned_table(texts, ids, self.rules, self.config, self.prefix).to_pydict()

    def features(self, existing: Any = None) -> Any:
        """The `datasets.Features` of a dataset with ``existing`` features once this has
        run over it: give it to ``map(features=...)``, so that every column has its type
        from the first batch on (`datasets` refuses a column whose first batch holds only
        nulls, as ``title`` does when no text of the batch has one)."""
        from datasets import Features

        return Features({**(existing or {}), **Features.from_arrow_schema(added_schema(self.prefix))})


def added_schema(prefix: str = ""):
    """The columns `CleanBatch` adds, as an Arrow schema: the Parquet schema's
    (`cleaner.schema.parquet_schema`) but the id and source, and ``rejected``."""
    import pyarrow as pa

    from ..schema import parquet_schema
    from . import NOT_ADDED

    columns = [f for f in parquet_schema() if f.name not in NOT_ADDED or f.name == "body"]
    columns.append(pa.field("rejected", pa.string()))
    return pa.schema([f.with_name(prefix + f.name) for f in columns])


def text_column_of(columns: Iterable[str], name: str) -> str:
    """``name``, when the batch has that column; else a `KeyError` that says what to do."""
    columns = list(columns)
    if name not in columns:
        raise KeyError(f"the batch has no column {name!r} (it has {', '.join(columns)}): name the text column "
                       f"with text_column=")
    return name


def cleaned_table(texts: list, ids: list | None, rules: tuple[str, ...], config: Config | None, prefix: str = ""):
    """The columns a batch of texts (and their ids) gains, as one Arrow table of the
    Parquet schema's types (`cleaner.schema.parquet_schema`, but the id and source) and
    ``rejected``: the reason a row could not be cleaned, or null."""
    import pyarrow as pa

    cleaner = cleaner_for(rules, config)
    rows = []
    for n, text in enumerate(texts):
        if not isinstance(text, str):
            rows.append({"body": "", "rejected": f"no text to clean: the text column holds {text!r}"})
            continue
        doc = clean_string(cleaner, text, str(ids[n]) if ids is not None else str(n))  # a page, or text
        rows.append({**fields(doc), "body": doc.body or "", "rejected": doc.rejected})
    return pa.Table.from_pylist([{prefix + k: v for k, v in row.items()} for row in rows], schema=added_schema(prefix))


def with_cleaned_columns(table, text_column: str, id_column: str | None, rules: tuple[str, ...],
                         config: Config | None, prefix: str = ""):
    """An Arrow table with the columns `cleaned_table` gives for its texts added (or put
    in the place of those of the same name): what the Ray and NeMo Curator steps return."""
    texts = table.column(text_column_of(table.column_names, text_column)).to_pylist()
    ids = table.column(id_column).to_pylist() if id_column in table.column_names else None
    added = cleaned_table(texts, ids, rules, config, prefix)
    table = table.drop_columns([name for name in added.column_names if name in table.column_names])
    for name in added.column_names:
        table = table.append_column(name, added.column(name))
    return table
