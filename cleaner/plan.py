"""Planning a run: its inputs as numbered items (`Item`), in order, and in batches.

Inputs are numbered in the order `cleaner.batch.iter_inputs` finds them (each JSONL
line is one input), lazily, and cut into small batches (`batches`) for the engine.
Where the JSON tree puts each one (`tree_path`) is known before it is cleaned, so
that what an earlier run wrote (`cleaner.resume`) and records of one JSONL file that
share an id (`RecordPaths`) are found here.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, replace
from typing import IO, Iterable, Iterator

from .batch import Input, iter_inputs
from .reading import iter_lines, parse_record, read_error, read_input, sniff_stream
from .records import Failure, Options
from .sinks import tree_relative

#: A batch ends after this many documents, or once its JSONL lines reach `BATCH_BYTES`.
BATCH_DOCS = 16
BATCH_BYTES = 1 << 20


@dataclass(frozen=True)
class Item:
    """One input to clean: a file (read by the worker), or one JSONL line or
    stdin's bytes (read here), or a problem found while reading it."""

    index: int
    input: Input
    line: int = 0
    data: bytes | None = None
    error: str | None = None

    @property
    def name(self) -> str:
        """How errors name this input: its path, with the line of a JSONL record."""
        return f"{self.input.name}:{self.line}" if self.line else self.input.name


def iter_items(paths: Iterable[str], opts: Options, failures: list[Failure], max_bytes: int,
               stdin: IO[bytes] | None = None, skipped: Counter | None = None) -> Iterator[Item]:
    """Every input as a numbered `Item`, in order, lazily. JSONL files give one
    item a non-blank line; stdin is read here (a worker cannot), and its format told
    from its first bytes unless ``opts.input_format`` gives it (`sniff_stream`)."""
    index = 0
    for inp in iter_inputs(paths, failures, opts.output, skipped, opts.input_format):
        if inp.path is None and inp.sniffed:
            fmt, stdin = sniff_stream(stdin or sys.stdin.buffer)
            inp = replace(inp, forced_format=fmt)
        if inp.format == "jsonl":
            for no, line in iter_lines(inp, max_bytes, stdin):
                if isinstance(line, Exception):
                    if no == 0:
                        failures.append(Failure(inp.name, read_error(line)))
                        break
                    yield Item(index, inp, no, error=read_error(line))
                    index += 1
                    continue
                if not line.strip():
                    continue
                yield Item(index, inp, no, data=line)
                index += 1
        elif inp.path is None:
            try:
                data = read_input(inp, max_bytes, stdin)
                yield Item(index, inp, data=data)
            except (OSError, ValueError) as e:
                yield Item(index, inp, error=read_error(e))
            index += 1
        else:
            yield Item(index, inp)
            index += 1


def tree_path(item: Item, opts: Options) -> str | None:
    """Where the JSON tree puts this item's document (None: not a tree, or a JSONL line
    that is no record, which fails when cleaned)."""
    if opts.fmt != "json" or opts.output is None or item.error:
        return None
    inp = item.input
    if inp.format != "jsonl":
        return tree_relative(inp.id)
    try:
        record = parse_record(item.data or b"", inp, item.line, opts.text_field, opts.id_field)
    except ValueError:
        return None
    return tree_relative(inp.id, record.name)


class RecordPaths:
    """The tree paths the records of the JSONL file being read have taken so far, so that
    a record whose id repeats an earlier one's is reported rather than written over it.
    Only one file's paths are held: records of two files never share a path. With
    ``fold``, on a file system that takes names differing in case alone for one file
    (`cleaner.outputdir.folds_case`), ids that differ in case alone clash too."""

    def __init__(self, fold: bool = False) -> None:
        self.input: Input | None = None
        self.lines: dict[str, int] = {}
        self.fold = fold

    def clash(self, item: Item, path: str) -> Item | None:
        """``item`` failed, if an earlier record of its file took ``path``; else None."""
        if item.input is not self.input:
            self.input, self.lines = item.input, {}
        first = self.lines.setdefault(path.casefold() if self.fold else path, item.line)
        if first == item.line:
            return None
        return replace(item, data=None, error=f"same id as line {first} of this file, whose document has its place "
                                              f"({path}); give each record its own id, or name another field with "
                                              "--id-field")


def batches(items: Iterable[Item]) -> Iterator[list[Item]]:
    """Consecutive items in batches of a few documents (or about a megabyte of lines)."""
    batch: list[Item] = []
    size = 0
    for item in items:
        batch.append(item)
        size += len(item.data or b"")
        if len(batch) >= BATCH_DOCS or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
