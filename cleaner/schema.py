"""The document contract as a Parquet (Arrow) schema, for ``--format parquet``.

One row per document, with the same fields and nesting as its JSON object
(`cleaner.document.Document.to_dict`); lists of objects are lists of structs,
so data tools (pandas, DuckDB, Polars, Spark) read them as they are. Only
``record``, the fields of an input record, which can be of any type, is a JSON
text.
"""

from __future__ import annotations

from functools import cache


@cache
def parquet_schema():
    import pyarrow as pa

    s, i = pa.string(), pa.int64()
    return pa.schema([
        ("id", s), ("source", s), ("title", s), ("date", s),
        ("authors", pa.list_(s)),
        ("body", s),
        ("captions", pa.list_(s)),
        ("embeds", pa.list_(pa.struct([("kind", s), ("text", s), ("author", s), ("handle", s), ("date", s),
                                       ("rule", s)]))),
        ("removed", pa.list_(pa.struct([("rule", s), ("stage", s), ("line", i), ("text", s), ("action", s),
                                        ("to", s), ("reason", s)]))),
        ("repairs", pa.list_(pa.struct([("line", i), ("fixes", pa.list_(s)), ("before", s), ("after", s)]))),
        ("encoding", s), ("encoding_rivals", pa.list_(s)), ("format", s), ("text_kind", s), ("text_kind_evidence", s), ("lang", s),
        ("extractor", s), ("url", s), ("site", s),
        ("record", s),  # the JSONL record's other fields, as JSON text: they have no one type
    ])
