"""Ray Data: a callable class for ``Dataset.map_batches``. ``pip install 'cleaner[ray]'``.

>>> from cleaner.integrations.ray import CleanBatches                            # doctest: +SKIP
>>> cleaned = dataset.map_batches(CleanBatches, concurrency=(1, 4), batch_format="pyarrow")   # doctest: +SKIP

Ray makes a pool of actors (``concurrency``; leave the reading tasks a CPU: a pool as
large as the cluster holds every CPU, and the reading waits for ever), and each loads
the rules once, when it is made (`cleaner_for`); ``fn_constructor_kwargs`` passes it your rule folders and
a `Config` (``{"rules": ["my-rules/"]}``). Each batch comes back with the columns
`cleaner.integrations.huggingface.CleanBatch` adds (the Parquet schema's fields and
``rejected``) beside its own, as one Arrow table of fixed types.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from ..config import Config
from . import cleaner_for, rule_paths
from .huggingface import with_cleaned_columns


class CleanBatches:
    """A ``map_batches`` callable class (a Ray actor); see the module's doc."""

    def __init__(self, rules: Iterable[str | os.PathLike] = (), config: Config | None = None, *,
                 text_column: str = "text", id_column: str | None = "id", prefix: str = ""):
        self.rules = rule_paths(rules)
        self.config = config
        self.text_column, self.id_column, self.prefix = text_column, id_column, prefix
        cleaner_for(self.rules, self.config)  # loaded once, when the actor starts

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        table = batch if isinstance(batch, pa.Table) else pa.table(_columns(batch))
        return with_cleaned_columns(table, self.text_column, self.id_column, self.rules, self.config, self.prefix)


def _columns(batch: Any) -> dict[str, list]:
    """A batch in Ray's other formats (a dict of NumPy arrays, a pandas frame) as lists."""
    if hasattr(batch, "columns") and hasattr(batch, "iloc"):  # pandas
        return {name: batch[name].tolist() for name in batch.columns}
    return {name: list(values) for name, values in batch.items()}
