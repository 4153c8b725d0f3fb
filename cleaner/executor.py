"""A run: the pipeline over many inputs, in parallel, streaming, resumable.

What the ``clean`` command does to files, as a library: `run`, a short sequence of
steps, each the job of a module of its own. The stages do not change for any of
this; only what runs them does.

1. **Plan.** Inputs are numbered in the order they are found (each JSONL line is one
   input) and cut into small batches (`cleaner.plan`); what an earlier run into the
   same output already wrote is left out (`cleaner.resume`).
2. **Clean.** An engine cleans the batches and gives them back in input order
   (`cleaner.engines`): this machine's processes (`cleaner.localengine`) or a Ray
   cluster (`cleaner.ray_engine`). In a JSON tree, the local engine's workers write
   the files of the input files they clean, so that the writing is shared as the
   cleaning is.
3. **Write.** Everything else (shards, one file, standard output, the documents of
   JSONL records) is written here, in input order (`cleaner.sinks`), through the
   temporary folder of the output folder, which the run holds locked
   (`cleaner.outputdir`). The output does not depend on the number of workers.
4. **Account.** Every input ends as a document written, a document already there
   from an earlier run (``resumed``), or a failure with its reason:
   ``inputs == written + resumed + failed``, in `Stats` and ``stats.json``.

Only a bounded window of batches is in flight, the tree is walked and JSONL files
are read lazily: memory does not grow with the input.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from .batch import OWN_FILE
from .engines import Cleaned, Engine
from .localengine import LocalEngine
from .outputdir import folds_case, prepare_output, release_output
from .pipeline import Cleaner
from .plan import Item, RecordPaths, batches, iter_items, tree_path
from .records import STATS_FILE, Failure, Options, Stats
from .resume import (SETUP_FILE, SHARDS_FILE, ShardKeys, input_changed, is_done, shards_on_disk, tree_fresh_since,
                     verified)
from .sinks import DEVICE_ERRORS, ShardSink, Sink, make_sink, shard_name, write_atomic, write_failure

#: Output formats: one JSON file per document, JSONL shards (or one stream), Parquet shards.
FORMATS = ("json", "jsonl", "parquet")

#: The files a run writes into its output folder beside the documents, which a folder
#: walk must pass over by their names (`cleaner.batch.OWN_FILE`), or a rerun would read
#: them as inputs.
OWN_FILES = (STATS_FILE, SHARDS_FILE, SETUP_FILE, shard_name(0, "jsonl"), shard_name(0, "parquet"))
if not all(OWN_FILE.fullmatch(name) for name in OWN_FILES):
    raise RuntimeError(f"cleaner.batch.OWN_FILE does not match every file a run writes beside its documents "
                       f"({', '.join(OWN_FILES)}): add the missing names to it")


def run(
    paths: Iterable[str],
    cleaner: Cleaner,
    opts: Options = Options(),
    *,
    stdout: IO[str] | None = None,
    stdin: IO[bytes] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_progress: Callable[[Stats], None] | None = None,
    engine: Engine | None = None,
) -> Stats:
    """Clean every input and write the documents; what the ``clean`` command does.

    Failures are counted and reported through ``on_failure`` as they happen;
    ``on_progress`` sees the stats after every batch. With an output folder,
    ``stats.json`` is written there at the end. ``engine`` cleans the batches
    and gives their results back in order (`cleaner.engines.Engine`): this
    machine's processes (`cleaner.localengine.LocalEngine`) unless another is
    given (`cleaner.ray_engine.RayEngine`).
    """
    check_options(opts)
    started = time.perf_counter()
    tally = Tally(on_failure)
    items = iter_items(paths, opts, tally.found, cleaner.config.max_file_bytes, stdin, tally.stats.skipped)
    first = next(items, None)
    if first is None:  # nothing to clean: no output is made, not even its folder
        tally.report_found()
        tally.stats.no_inputs = True
        tally.stats.seconds = time.perf_counter() - started
        return tally.stats
    out = open_output(opts, cleaner, stdout or sys.stdout)
    ok = False
    try:
        planned = to_clean(chain([first], items), opts, out, tally)
        for cleaned in (engine or LocalEngine()).clean_in_order(batches(planned), opts, cleaner):
            tally.report_found()
            write_batch(cleaned, out.sink, tally)
            if on_progress:
                on_progress(tally.stats)
        tally.report_found()
        out.sink.close()
        ok = True
    finally:
        out.close(ok)
        tally.stats.seconds = time.perf_counter() - started
    write_stats(opts, tally.stats)
    return tally.stats


def check_options(opts: Options) -> None:
    """Raises `ValueError` for a format the run cannot write where it is asked to."""
    if opts.fmt not in (*FORMATS, "pretty"):
        raise ValueError(f"unknown format {opts.fmt!r}: use one of {', '.join(FORMATS)}")
    if opts.fmt in ("json", "parquet") and opts.output is None:
        raise ValueError(f"the {opts.fmt} format writes files: give an output folder")


class Tally:
    """A run's accounting as it goes (`Stats`): every input is counted once, as a
    document written, one already there (``resumed``) or a failure, which is reported
    through ``on_failure`` as it happens. ``found`` gathers the paths that gave no input
    (missing, unlistable, a clashing id): each is an input that failed."""

    def __init__(self, on_failure: Callable[[Failure], None] | None = None):
        self.stats = Stats()
        self.found: list[Failure] = []
        self.reported = 0
        self.on_failure = on_failure

    def fail(self, failure: Failure) -> None:
        """Count an input that gave no document, and report it."""
        self.stats.fail(failure)
        if self.on_failure:
            self.on_failure(failure)

    def report_found(self) -> None:
        """Count and report the paths that gave no input since the last call."""
        for failure in self.found[self.reported:]:
            self.stats.inputs += 1
            self.fail(failure)
        self.reported = len(self.found)

    def resumed(self, n: int) -> None:
        """Count ``n`` inputs whose documents an earlier run wrote."""
        self.stats.resumed += n


@dataclass
class Output:
    """What a run writes to, held from its first input to its end: the output folder's
    temporary folder and lock (`cleaner.outputdir`), the sink, the keys of its shards
    and since when the files of its JSON tree are fresh (`cleaner.resume`)."""

    tmp: Path | None
    lock: int | None
    sink: Sink
    keys: ShardKeys
    since: int

    def close(self, ok: bool) -> None:
        """Drop the sink's unfinished files unless the run got through (``ok``: the sink
        is closed already), and release the output folder."""
        if not ok:
            self.sink.abort()
        self.keys.close()
        release_output(self.tmp, self.lock)


def open_output(opts: Options, cleaner: Cleaner, stdout: IO[str]) -> Output:
    """Take the output for this run (`prepare_output`), and what an earlier run left in it."""
    tmp, lock = prepare_output(opts)
    try:
        on_disk = shards_on_disk(opts)
        sink = make_sink(opts, tmp, stdout)
        keys = ShardKeys(opts, on_disk, cleaner.fingerprint)
        since = tree_fresh_since(opts, cleaner.fingerprint)
    except BaseException:
        release_output(tmp, lock)
        raise
    if isinstance(sink, ShardSink):
        sink.before_rename = keys.finished
    return Output(tmp, lock, sink, keys, since)


def to_clean(items: Iterable[Item], opts: Options, out: Output, tally: Tally) -> Iterator[Item]:
    """The items the engine is to clean, lazily: `unfinished`, and in the sharded
    formats not those of a whole shard an earlier run wrote from the same items
    (`verified`), which are counted as resumed."""
    fold = opts.fmt == "json" and out.tmp is not None and folds_case(out.tmp)
    todo = unfinished(items, opts, out.since, tally, fold)
    return verified(todo, opts, out.keys, tally.resumed) if opts.sharded else todo


def unfinished(items: Iterable[Item], opts: Options, since: int, tally: Tally, fold: bool = False
               ) -> Iterator[Item]:
    """Each item counted as an input, and passed on unless an earlier run wrote its
    document in the JSON tree after ``since`` (`is_done`: counted as resumed). A JSONL
    record whose tree path an earlier record of its file took (`RecordPaths`; with
    ``fold``, in any case) is passed on as a failure."""
    records = RecordPaths(fold)
    changed: tuple[object, int] = (None, 0)  # when the input last read changed: once a JSONL file, not once a line
    for item in items:
        tally.stats.inputs += 1
        path = tree_path(item, opts)
        if path is not None and item.input.format == "jsonl":
            clashing = records.clash(item, path)
            if clashing is not None:
                yield clashing
                continue
        if path is not None and not opts.force and changed[0] is not item.input:
            changed = (item.input, input_changed(item.input.path))
        if is_done(item, opts, path, since, changed[1] if path is not None else None):
            tally.stats.resumed += 1
            continue
        yield item


def write_batch(cleaned: Cleaned, sink: Sink, tally: Tally) -> None:
    """Write a cleaned batch's documents in input order, and count each of its inputs.

    A document that could not be written in its own file of a JSON tree fails alone;
    a shard, file or stream that cannot be written, or a full or read-only device,
    stops the run (`OSError`)."""
    tally.stats.merge(cleaned.stats)
    for item, result in zip(cleaned.batch, cleaned.results):
        if result.written:
            tally.stats.written += 1
            continue
        if result.device_error is not None:
            raise OSError(result.device_error, os.strerror(result.device_error))
        if result.failure is None:
            try:
                sink.put(result)
                tally.stats.written += 1
                continue
            except OSError as e:
                if not sink.per_document or e.errno in DEVICE_ERRORS:
                    raise  # a shard or stream that cannot be written stops the run
                result.failure = write_failure(item.name, e)
        tally.fail(result.failure)
        sink.skip(result.index)


def write_stats(opts: Options, stats: Stats) -> None:
    """``stats.json`` in the output folder (not beside a one-file output, nor on stdout)."""
    if opts.output is not None and not opts.single_file:
        write_atomic(opts.output / STATS_FILE, json.dumps(stats.to_dict(), ensure_ascii=False, indent=2) + "\n")
