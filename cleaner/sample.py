"""A fixed sample of a corpus's documents, for `clean diff --sample`.

A document is a one-document file (``.txt``, ``.html``...) or a record of a JSONL file
(a non-blank line), so a corpus of a few large JSONL shards is sampled record by
record, as one of many small files is sampled file by file. The sample is a folder
that `clean` reads as it would the corpus: a link to each chosen file, and for each
JSONL file with chosen records a ``.jsonl`` file of those records, at the same path
relative to its root. Every document keeps the id a run over the whole corpus gives it:
a record without an id of its own (`cleaner.reading.parse_record`) is given the one
that run names it by, ``<file id>/<line number>``.
"""

from __future__ import annotations

import json
import random
from bisect import bisect_right
from itertools import accumulate
from pathlib import Path

from .batch import Input, find_inputs
from .reading import iter_lines


def sample_inputs(paths: list[str], n: int, seed: int, into: Path, max_bytes: int) -> tuple[list[str], int]:
    """``n`` of the documents under ``paths``, chosen by ``seed`` (the same every time), as
    a folder in ``into`` (see the module's doc). Returns the paths to clean and how many
    documents there were to choose from. ``max_bytes``: the longest JSONL line read."""
    inputs, _ = find_inputs(paths)
    files = sorted((i for i in inputs if i.path is not None), key=lambda i: i.relative)
    records = {i.relative: _record_lines(i, max_bytes) for i in files if i.format == "jsonl"}
    counts = [len(records[i.relative]) if i.relative in records else 1 for i in files]
    ends = list(accumulate(counts))
    total = ends[-1] if ends else 0
    chosen: dict[int, list[int]] = {}
    for k in sorted(random.Random(seed).sample(range(total), min(n, total))):
        f = bisect_right(ends, k)
        chosen.setdefault(f, []).append(k - (ends[f] - counts[f]))
    for f, picks in chosen.items():
        inp = files[f]
        if inp.relative in records:
            _write_records(inp, [records[inp.relative][p] for p in picks], into / f"{inp.id}.jsonl", max_bytes)
        else:
            link = into / inp.relative
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(inp.path.resolve())
    return [str(into)], total


def _record_lines(inp: Input, max_bytes: int) -> list[int]:
    """The numbers of the lines of a JSONL input that are documents (not blank)."""
    return [no for no, line in iter_lines(inp, max_bytes) if not isinstance(line, Exception) and line.strip()]


def _write_records(inp: Input, numbers: list[int], to: Path, max_bytes: int) -> None:
    """The lines ``numbers`` (in order) of a JSONL input, into a file ``to``; a record
    without an id of its own gets the one a run over the input gives it."""
    wanted = set(numbers)
    to.parent.mkdir(parents=True, exist_ok=True)
    with open(to, "wb") as out:
        for no, line in iter_lines(inp, max_bytes):
            if no in wanted and not isinstance(line, Exception):
                out.write(_with_id(line, f"{inp.id}/{no}") + b"\n")


def _with_id(line: bytes, default: str) -> bytes:
    """The record with ``default`` as its ``id`` unless it has one (a string or number, as
    `cleaner.reading.parse_record` takes it); a line that is no JSON object as it is."""
    try:
        obj = json.loads(line)
    except ValueError:
        return line
    if not isinstance(obj, dict):
        return line
    own = obj.get("id")
    if isinstance(own, (str, int)) and not isinstance(own, bool) and str(own):
        return line
    obj["id"] = default
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")
