"""Running the pipeline over many inputs: in parallel, streaming, resumable.

What the ``clean`` command does to files, as a library: `run`. The stages do
not change for any of this; only the executor around them does.

- **Order.** Inputs are numbered in the order `iter_inputs` finds them (each
  JSONL line is one input) and cut into small batches. Batches are cleaned by
  worker processes, and their results are written in input order, so the
  output does not depend on the number of workers.
- **Writing.** In a JSON tree, each worker writes the files of the input files
  it cleans, so the writing is shared as the cleaning is. Shards, standard output
  and the documents of JSONL records are written here, in input order.
- **Streaming.** Only a bounded window of batches is in flight; the tree is
  walked and JSONL files are read lazily. Memory does not grow with the input.
- **Resuming.** Every output file is written whole or not at all (a temporary
  file in ``OUT/.cleaner-tmp``, then a rename). A rerun skips what is there: a
  document's ``<id>.json`` in the tree, a whole shard (``part-00000.jsonl``)
  in the sharded formats, whose documents are the inputs numbered
  ``[k * shard_size, (k + 1) * shard_size)``. ``force`` redoes everything.
- **Accounting.** Every input ends as a document written, a document already
  there from an earlier run (``resumed``), or a failure with its reason:
  ``inputs == written + resumed + failed``, in `Stats` and ``stats.json``.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import importlib.util
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
import weakref
import zlib
from collections import Counter, deque
from itertools import chain
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from . import outputs
from .batch import (OWN_FILE, STDIN, TMP_DIR, Failure, Input, dump_bytes, iter_inputs, iter_lines, parse_record, read_error,
                    read_input, sniff_format, sniff_stream, temporary_file, tree_relative, write_atomic)
from .document import Document
from .engine import watchdog
from .pipeline import Cleaner

#: Output formats: one JSON file per document, JSONL shards (or one stream), Parquet shards.
FORMATS = ("json", "jsonl", "parquet")
STATS_FILE = "stats.json"
#: What each shard of a sharded output was made from (`ShardKeys`), beside the shards.
SHARDS_FILE = ".cleaner-shards"  # JSON lines; no input suffix, so that no folder walk reads it
SETUP_FILE = ".cleaner-setup"  # the fingerprint of the cleaner that writes a JSON tree (`tree_fresh_since`)
assert all(OWN_FILE.fullmatch(name) for name in (STATS_FILE, SHARDS_FILE, SETUP_FILE, "part-00000.jsonl")), \
    "the output's own files are passed over as inputs by their names (batch.OWN_FILE)"
BATCH_DOCS = 16
BATCH_BYTES = 1 << 20
WINDOW_PER_WORKER = 4
#: Seconds a worker may lie dead, its pool not broken, before the pool is taken for stuck
#: (`_result`); a pool notices a dead worker within milliseconds otherwise.
STUCK_AFTER = 2.0
#: Bytes gathered before an output file is written to: documents are about 20 KB, and each
#: write lets another thread of the run go first.
WRITE_BUFFER = 1 << 20
MAX_FAILURES_KEPT = 10_000


@dataclass(frozen=True)
class Options:
    """How a run reads and writes; everything the ``clean`` command's flags set.

    fmt: ``json`` (one ``<id>.json`` per document under ``output``), ``jsonl``
        (shards ``part-00000.jsonl`` under ``output``, one file when ``output``
        ends in ``.jsonl``, or standard output without ``output``), ``parquet``
        (shards ``part-00000.parquet``), ``pretty`` (one indented document on
        standard output).
    shard_size: inputs per shard (jsonl and parquet).
    workers: processes cleaning documents; 1 cleans in this process.
    force: redo what an earlier run already wrote.
    text_field, id_field: where a JSONL line keeps its text and its id.
    input_format: ``text``, ``html`` or ``jsonl``: how to read stdin and files named
        one by one, whatever their names say (None: by the name; stdin, and a file
        whose name gives no format, by their first bytes).
    """

    fmt: str = "json"
    output: Path | None = None
    shard_size: int = 1000
    workers: int = 1
    force: bool = False
    text_field: str = "text"
    id_field: str = "id"
    input_format: str | None = None


# --- what moves between processes ---------------------------------------------------


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
        return f"{self.input.name}:{self.line}" if self.line else self.input.name


@dataclass
class Stats:
    """What a run did. ``rules`` maps a rule id to the documents, lines and
    characters it took out (or moved); ``stages`` the seconds spent in each stage."""

    inputs: int = 0
    written: int = 0
    resumed: int = 0
    failed: int = 0
    bytes_in: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    rules: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    #: Files in the input folders that are no input (a ``.pdf``), by suffix.
    skipped: Counter = field(default_factory=Counter)
    #: The paths gave no input at all (an empty folder, only other files): nothing was
    #: cleaned and no output made.
    no_inputs: bool = False

    def add_document(self, doc: Document, size: int) -> None:
        self.bytes_in += size
        lines: Counter = Counter()
        chars: Counter = Counter()
        seen_lines: set[tuple[str, int]] = set()
        for span in doc.removed:
            chars[span.rule] += len(span.text)
            if (span.rule, span.line) not in seen_lines:
                seen_lines.add((span.rule, span.line))
                lines[span.rule] += 1
        for rule in chars:
            entry = self.rules.setdefault(rule, {"documents": 0, "lines": 0, "characters": 0})
            entry["documents"] += 1
            entry["lines"] += lines[rule]
            entry["characters"] += chars[rule]

    def merge(self, other: Stats) -> None:
        self.bytes_in += other.bytes_in
        for stage, s in other.stages.items():
            self.stages[stage] = self.stages.get(stage, 0.0) + s
        for rule, entry in other.rules.items():
            mine = self.rules.setdefault(rule, {"documents": 0, "lines": 0, "characters": 0})
            for k, v in entry.items():
                mine[k] += v

    def fail(self, failure: Failure) -> None:
        self.failed += 1
        if len(self.failures) < MAX_FAILURES_KEPT:
            self.failures.append(failure)

    @property
    def exit_code(self) -> int:
        """0 when every input gave a document; 1 when some failed, or none was found."""
        return 1 if self.failed or self.no_inputs else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "written": self.written,
            "resumed": self.resumed,
            "failed": self.failed,
            "bytes_in": self.bytes_in,
            "seconds": round(self.seconds, 3),
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "rules": dict(sorted(self.rules.items())),
            "failures": [{"source": f.source, "reason": f.reason} for f in self.failures],
            "failures_listed": len(self.failures),
            "skipped": dict(sorted(self.skipped.items())),
        }


@dataclass
class Result:
    """One input's outcome: its output (serialised for its format) and, in the JSON tree
    only, the path it goes to (``written``: the worker wrote it there already); or why
    it has none."""

    index: int
    path: str | None = None
    output: Any = None
    failure: Failure | None = None
    written: bool = False
    device_error: int | None = None  # the errno of a write that met a full or read-only device


#: Write errors that every later write would meet too (the device is full or read-only):
#: the run stops at the first, rather than failing every document after it one by one.
DEVICE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def write_failure(item: Item, e: OSError) -> Failure:
    """Why an input has no output: its file could not be written."""
    return Failure(item.name, f"cannot write its output ({e.strerror or e}); "
                              "check the output folder's space and permissions")


# --- the worker side ------------------------------------------------------------------

_cleaner: Cleaner | None = None


def _init_worker(cleaner: Cleaner) -> None:
    """A worker holds the cleaner; it leaves Ctrl-C to the process that runs the pool
    (which stops the workers itself, `clean_in_order`), and ends when that process
    ends, however it ends (`_die_with_parent`)."""
    global _cleaner
    _cleaner = cleaner
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(os.getppid())


#: ``prctl``'s request to be sent a signal when the parent process ends (Linux).
PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends: a worker of a run killed outright (SIGKILL,
    or SIGTERM from a scheduler or ``timeout``) must not live on, waiting for work that
    never comes. On Linux the kernel sends SIGKILL (``PR_SET_PDEATHSIG``); elsewhere a
    thread looks at the parent every second. A worker writes files whole (a temporary
    file, then a rename), so being killed leaves nothing half-written."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # it ended before the request was made
                os._exit(1)
            return
    except (OSError, AttributeError, TypeError):  # no prctl here
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="cleaner-parent-watch", daemon=True).start()


def serialise(doc: Document, fmt: str) -> Any:
    """A document as its format writes it: indented JSON text, one JSON line, or a dict."""
    d = doc.to_dict()
    if fmt == "parquet":
        return d
    return dump_bytes(d, indent=None if fmt == "jsonl" else 2) + b"\n"


def clean_document(cleaner: Cleaner, item: Item, opts: Options, timings: dict[str, float] | None = None
                   ) -> tuple[Document, int, str | None]:
    """One item (without an error) read and cleaned: its document, the bytes it came
    from, and where a JSON tree puts it. Raises `OSError` or `ValueError` when it cannot
    be read (`read_error` says why)."""
    inp = item.input
    if inp.format == "jsonl":
        record = parse_record(item.data or b"", inp, item.line, opts.text_field, opts.id_field)
        doc = cleaner.clean_text(record.text, id=record.id, source=record.source, timings=timings)
        return doc, len(item.data or b""), tree_relative(inp.id, record.name) if opts.fmt == "json" else None
    raw = item.data if item.data is not None else read_input(inp, cleaner.config.max_file_bytes)
    source = inp.relative if inp.path is not None else STDIN
    fmt = sniff_format(raw) if inp.sniffed else inp.format
    doc = cleaner.clean_bytes(raw, id=inp.id, source=source, format=fmt, timings=timings)
    return doc, len(raw), tree_relative(inp.id) if opts.fmt == "json" else None


def clean_item(cleaner: Cleaner, item: Item, opts: Options, stats: Stats) -> Result:
    """Read, clean and serialise one input; never raises."""
    if item.error:
        return Result(item.index, failure=Failure(item.name, item.error))
    try:
        doc, size, path = clean_document(cleaner, item, opts, stats.stages)
    except (OSError, ValueError) as e:
        return Result(item.index, failure=Failure(item.name, read_error(e)))
    if doc.rejected:
        return Result(item.index, failure=Failure(item.name, doc.rejected))
    try:
        output = serialise(doc, opts.fmt)
    except (UnicodeError, ValueError) as e:
        return Result(item.index, failure=Failure(item.name, f"cannot write its document ({e}); please report it"))
    stats.add_document(doc, size)
    return Result(item.index, path=path, output=output)


def clean_batch(batch: list[Item], opts: Options, cleaner: Cleaner | None = None, *,
                write: bool = False) -> tuple[list[Result], Stats]:
    """Clean a batch in order (in a worker, or here): the results, and their stats.

    With ``write``, the documents of a JSON tree are written here, each to its own file
    (`Result.written`), so that the files of a run are written by all its workers rather
    than one after another by its main process. That is done for the documents of whole
    files, whose place in the tree no other input of the run has (`iter_inputs` refuses
    a second input with the same id); the records of a JSONL file, whose ids may repeat,
    are written by the main process in input order, so that the last one stays whatever
    the number of workers. An engine whose workers may not see the output folder (Ray's,
    on other machines) leaves all of it to the main process.
    """
    cleaner = cleaner or _cleaner
    assert cleaner is not None, "clean_batch needs a cleaner: call it through run()"
    stats = Stats()
    with watchdog(cleaner.config.regex_timeout):  # armed once for the batch, not per document
        results = [clean_item(cleaner, item, opts, stats) for item in batch]
    if write and opts.fmt == "json" and opts.output is not None:
        # each process has a temporary folder of its own: processes creating files in
        # one folder wait for each other on its lock (two writers sharing one used 70% more CPU)
        sink = TreeSink(opts.output, opts.output / TMP_DIR / str(os.getpid()))
        for item, result in zip(batch, results):
            if result.failure is None and item.input.format != "jsonl":
                try:
                    sink.put(result)
                    result.output, result.written = None, True
                except OSError as e:
                    result.failure = write_failure(item, e)
                    if e.errno in DEVICE_ERRORS:
                        result.device_error = e.errno
                        break
    return results, stats


# --- planning: inputs to numbered items, and what is already done -----------------------


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


def shard_name(k: int, fmt: str) -> str:
    return f"part-{k:05d}.{fmt}"


def sharded(opts: Options) -> bool:
    """Whether this run writes shards into a folder."""
    return opts.fmt in ("jsonl", "parquet") and opts.output is not None and not single_file(opts)


def single_file(opts: Options) -> bool:
    """Whether this run writes one file (``-o docs.jsonl``, ``.jsonl.gz``, ``.parquet``: `cleaner.outputs`)."""
    kind = outputs.single_file(opts.output)
    return kind is not None and kind[0] == opts.fmt


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


def is_done(item: Item, opts: Options, path: str | None = None, since: int = 0) -> bool:
    """Whether an earlier run already wrote this item's document in the JSON tree (``path``:
    its `tree_path`), after ``since`` (nanoseconds, the file system's clock): what a cleaner
    of another fingerprint wrote before is not done (`tree_fresh_since`). A file written
    within the same tick of a coarse clock is written again, which costs only time.
    Shards are checked whole (`ShardKeys`)."""
    if opts.force or opts.output is None or sharded(opts) or path is None:
        return False
    try:
        return (opts.output / path).stat().st_mtime_ns > since
    except OSError:
        return False


def tree_fresh_since(opts: Options, fingerprint: str) -> int:
    """From when on (the file system's clock, in nanoseconds) the files of a JSON tree were
    written by a cleaner of this fingerprint (`Cleaner.fingerprint`): the time `SETUP_FILE`
    was last written, which happens when it names another cleaner, or none. A document
    written before then came from other rules, settings or code, and is written again."""
    if opts.fmt != "json" or opts.output is None:
        return 0
    marker = opts.output / SETUP_FILE
    try:
        if marker.read_text(encoding="utf-8").strip() == fingerprint:
            return marker.stat().st_mtime_ns
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(marker, fingerprint + "\n")
    return marker.stat().st_mtime_ns


def item_key(item: Item) -> bytes:
    """What a shard's key (`ShardKeys`) reads of one of its items: the input's path as
    given, the JSONL line number, and that line's length and CRC-32."""
    line = f"{len(item.data)}:{zlib.crc32(item.data)}" if item.line and item.data is not None else ""
    return f"{item.input.name}\0{item.line}\0{line}\n".encode("utf-8", "surrogateescape")


class ShardKeys:
    """Which shards of an earlier run into the same folder hold what this run would put
    in them. Shard k holds the documents of inputs ``[k * size, (k + 1) * size)`` of the
    run that wrote it; a later run with other inputs, or with files added to its
    folders, would put other documents there. Each shard's key, a hash of what its
    items are (`item_key`), is kept in `SHARDS_FILE`, with the options that shape the
    shards and the cleaner's fingerprint (its first line; `Cleaner.fingerprint`: other
    rules, settings or code write every shard again): a line ``{"shard": k, "key": ...}``
    is appended before the shard is renamed into place, so that a key is never missing
    for a shard on disk. A
    shard on disk is taken as done only when the key this run computes for it is the
    one recorded last, and is written again otherwise (without a key too). The file is
    written anew, with the keys of the shards on disk only, when a run starts.
    """

    def __init__(self, opts: Options, on_disk: set[int], setup: str = ""):
        self.layout = {"format": opts.fmt, "shard_size": opts.shard_size, "text_field": opts.text_field,
                       "id_field": opts.id_field, "setup": setup}
        self.keys: dict[int, str] = {}  # of the shards on disk, as recorded
        self.planned: dict[int, str] = {}  # of this run's shards to write, as planned
        self.fd: int | None = None
        if not sharded(opts):
            return
        path = opts.output / SHARDS_FILE
        if not opts.force:
            self.keys = {k: v for k, v in self._read(path).items() if k in on_disk}
        lines = [json.dumps({"layout": self.layout})] + [json.dumps({"shard": k, "key": v})
                                                          for k, v in sorted(self.keys.items())]
        write_atomic(path, "\n".join(lines) + "\n")
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND)

    def _read(self, path: Path) -> dict[int, str]:
        """The last key recorded for each shard, if the file is of this layout. A line cut
        short (a run killed while appending it) is passed over."""
        keys: dict[int, str] = {}
        try:
            with path.open("rb") as f:
                if json.loads(f.readline()).get("layout") != self.layout:
                    return {}
                for line in f:
                    try:
                        entry = json.loads(line)
                        keys[int(entry["shard"])] = str(entry["key"])
                    except (ValueError, KeyError, TypeError):
                        continue
        except (OSError, ValueError, AttributeError):
            return {}
        return keys

    def plan(self, k: int, key: str, check: bool = True) -> bool:
        """Shard ``k`` has this key: is it done already? (Without ``check``, it is written
        again whatever an earlier run left.)"""
        if check and self.keys.get(k) == key:
            return True
        self.planned[k] = key
        return False

    def finished(self, k: int) -> None:
        """Shard ``k`` is about to be renamed into place: its key is recorded first."""
        key = self.planned.pop(k, None)
        if self.fd is None or key is None:
            return
        os.write(self.fd, (json.dumps({"shard": k, "key": key}) + "\n").encode())

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


#: How many bytes of JSONL lines `verified` holds back while it plans a shard; a shard
#: with more is written again on a rerun rather than held (memory stays bounded).
HOLD_BYTES = 64 * 2**20


def verified(items: Iterable[Item], opts: Options, keys: ShardKeys, resumed: Callable[[int], None]) -> Iterator[Item]:
    """``items``, but those of the shards an earlier run wrote from the same items
    (`ShardKeys`), which are counted by ``resumed``. A shard's items are held until its
    last one is planned, up to `HOLD_BYTES` of JSONL lines: past that, they go on
    without being checked, and the shard is written again."""
    k, held, size, hasher, letting_go = -1, [], 0, None, False
    for item in items:
        shard = item.index // opts.shard_size
        if shard != k:
            if hasher is not None:
                yield from _unless_done(k, held, hasher, letting_go, keys, resumed)
            k, held, size, hasher, letting_go = shard, [], 0, hashlib.blake2b(digest_size=16), False
        hasher.update(item_key(item))
        if letting_go:
            yield item
            continue
        held.append(item)
        size += len(item.data or b"")
        if size > HOLD_BYTES:
            yield from held
            held, letting_go = [], True
    if hasher is not None:
        yield from _unless_done(k, held, hasher, letting_go, keys, resumed)


def _unless_done(k: int, held: list[Item], hasher, let_go: bool, keys: ShardKeys,
                 resumed: Callable[[int], None]) -> list[Item]:
    """The held items of shard ``k``, or none when it is done (``let_go``: its items went on
    unchecked, and it is written again)."""
    if keys.plan(k, hasher.hexdigest(), check=not let_go):
        resumed(len(held))
        return []
    return held


class RecordPaths:
    """The tree paths the records of the JSONL file being read have taken so far, so that
    a record whose id repeats an earlier one's is reported rather than written over it.
    Only one file's paths are held: records of two files never share a path."""

    def __init__(self) -> None:
        self.input: Input | None = None
        self.lines: dict[str, int] = {}

    def clash(self, item: Item, path: str) -> Item | None:
        """``item`` failed, if an earlier record of its file took ``path``; else None."""
        if item.input is not self.input:
            self.input, self.lines = item.input, {}
        first = self.lines.setdefault(path, item.line)
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


# --- the sinks: where results are written, in order ---------------------------------------


class Sink:
    """Writes results in input order; `close` finishes the run's files."""

    def put(self, result: Result) -> None:
        raise NotImplementedError

    def skip(self, index: int) -> None:
        """Input ``index`` gave no document."""

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class TreeSink(Sink):
    """The JSON tree's files, written through the temporary folder ``tmp`` (made when the
    first file is written): by each worker (`clean_batch`), or here for an engine whose
    workers do not write them."""

    def __init__(self, out: Path, tmp: Path):
        self.out, self.tmp = out, tmp
        self.tmp_made = False

    def put(self, result: Result) -> None:
        if not self.tmp_made:
            self.tmp.mkdir(exist_ok=True)
            self.tmp_made = True
        write_atomic(self.out / result.path, result.output, self.tmp)


class StreamSink(Sink):
    def __init__(self, stream: IO[str]):
        stream.flush()  # what was written as text goes first; documents then go straight to the bytes
        self.stream = stream
        self.binary = getattr(stream, "buffer", None)

    def put(self, result: Result) -> None:
        if self.binary is not None:
            self.binary.write(result.output)
        else:
            self.stream.write(result.output.decode("utf-8", "surrogatepass"))

    def close(self) -> None:
        (self.binary or self.stream).flush()


class FileSink(Sink):
    """One output file (JSONL, gzipped or zstd-compressed JSONL, or Parquet), written whole
    at the end: a temporary file, then a rename."""

    def __init__(self, path: Path, tmp: Path, fmt: str = "jsonl", compression: str | None = None):
        self.path = path
        fd, self.tmp_path = temporary_file(path, tmp)
        self.raw = os.fdopen(fd, "wb", buffering=WRITE_BUFFER)
        if fmt == "parquet":
            self.raw.close()  # pyarrow writes the file through its own handle
            self.file: Any = ParquetShard(Path(self.tmp_path))
        elif compression == "gzip":
            import gzip

            self.file = gzip.GzipFile(filename="", fileobj=self.raw, mode="wb", mtime=0)  # the same bytes every run
        elif compression == "zstd":
            import zstandard

            self.file = zstandard.ZstdCompressor().stream_writer(self.raw, closefd=False)
        else:
            self.file = self.raw

    def put(self, result: Result) -> None:
        self.file.write(result.output)

    def close(self) -> None:
        self.file.close()
        self.raw.close()
        os.replace(self.tmp_path, self.path)

    def abort(self) -> None:
        try:
            self.file.close()
            self.raw.close()
        finally:
            Path(self.tmp_path).unlink(missing_ok=True)


class ShardSink(Sink):
    """Shards ``part-00000.<fmt>``: shard k holds the documents of inputs
    ``[k * size, (k + 1) * size)``. A shard is written to a temporary file and
    renamed when its last input is done, so a shard on disk is always whole."""

    def __init__(self, out: Path, tmp: Path, size: int, fmt: str):
        # Only looked up here: importing pyarrow starts threads, and the
        # workers are best forked before any (see start_method).
        if fmt == "parquet" and importlib.util.find_spec("pyarrow") is None:
            raise ImportError("--format parquet needs pyarrow: pip install 'cleaner[parquet]'")
        self.out, self.tmp, self.size, self.fmt = out, tmp, size, fmt
        self.current: int | None = None
        self.writer: Any = None
        self.keys: ShardKeys | None = None  # told of each shard before it is renamed into place

    def _open(self, k: int) -> None:
        self.current = k
        self.tmp_path = self.tmp / (shard_name(k, self.fmt) + ".tmp")
        self.writer = (ParquetShard(self.tmp_path) if self.fmt == "parquet"
                       else self.tmp_path.open("wb", buffering=WRITE_BUFFER))

    def _finish(self) -> None:
        self.writer.close()
        if self.keys is not None:
            self.keys.finished(self.current)
        os.replace(self.tmp_path, self.out / shard_name(self.current, self.fmt))
        self.current = None

    def skip(self, index: int) -> None:
        """Input ``index`` is done (failed, or written): finish the shard before it, open its own."""
        k = index // self.size
        if self.current != k:
            if self.current is not None:
                self._finish()
            self._open(k)

    def put(self, result: Result) -> None:
        self.skip(result.index)
        self.writer.write(result.output)

    def close(self) -> None:
        if self.current is not None:
            self._finish()

    def abort(self) -> None:
        if self.writer is not None and self.current is not None:
            self.writer.close()
            self.tmp_path.unlink(missing_ok=True)


class ParquetShard:
    """One Parquet file, written in row groups as documents come."""

    ROWS = 500

    def __init__(self, path: Path):
        self.path = path
        self.rows: list[dict] = []
        self.writer = None

    def write(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from .schema import parquet_schema

        schema = parquet_schema()
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, schema)
        self.writer.write_table(pa.Table.from_pylist(self.rows, schema=schema))
        self.rows = []

    def close(self) -> None:
        if self.rows or self.writer is None:
            self._flush()
        self.writer.close()


# --- the run ---------------------------------------------------------------------------------


def _os_threads() -> int:
    """Threads of this process the OS knows of (native ones included); 1 where it cannot tell."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def start_method() -> str:
    """How worker processes are started. ``fork`` is the cheapest (a worker
    inherits the compiled rules), but forking a process that runs other
    threads can deadlock the child: a lock one of them held is never
    released. Ray's driver is such a process (its gRPC threads), and a
    library caller may be another. Then workers come from ``forkserver`` (or
    ``spawn`` where there is none) and rebuild the cleaner from its pickle."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and (_os_threads() == 1 or not _main_importable()):
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _main_importable() -> bool:
    """Can a started (not forked) worker import the ``__main__`` module again, as
    multiprocessing makes it? Not a script read from standard input (``python -``):
    there forking is the only way to have workers at all."""
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None):
        return True
    path = getattr(main, "__file__", None)
    return path is None or os.path.exists(path)


def _workers_pool(cleaner: Cleaner, workers: int) -> ProcessPoolExecutor:
    method = start_method()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=_init_worker, initargs=(cleaner,))
    if method == "fork" and not gc.get_freeze_count():
        # what the workers inherit (the rules, the modules) is left out of their garbage
        # collections, which would otherwise write to every object and so copy every page;
        # `_shut` gives the objects back to the collector. A caller that froze objects of
        # its own manages freezing itself, and is left to it.
        gc.freeze()
        _frozen_for.add(pool)
    return pool


#: The pools for whose workers this module froze the objects (`_workers_pool`).
_frozen_for: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()


def clean_in_order(batches_in: Iterable[list[Item]], opts: Options, cleaner: Cleaner
                   ) -> Iterator[tuple[list[Item], list[Result], Stats]]:
    """Each batch's results, in input order: here with one worker, else in a
    pool with a bounded window of batches in flight. A batch whose worker
    dies is cleaned again one input at a time, so only the input that kills
    a worker fails."""
    if opts.workers <= 1:
        for batch in batches_in:
            results, stats = clean_batch(batch, opts, cleaner, write=True)
            yield batch, results, stats
        return
    pool = _workers_pool(cleaner, opts.workers)
    window: deque[tuple[list[Item], Future]] = deque()
    it = iter(batches_in)
    try:
        while True:
            while len(window) < opts.workers * WINDOW_PER_WORKER:
                batch = next(it, None)
                if batch is None:
                    break
                window.append((batch, pool.submit(clean_batch, batch, opts, write=True)))
            if not window:
                return
            batch, future = window.popleft()
            try:
                results, stats = _result(future, pool)
            except BrokenProcessPool:
                _shut(pool)
                pending = [batch] + [b for b, _ in window]
                window.clear()
                for b in pending:
                    yield (b, *_isolate(b, opts, cleaner))
                pool = _workers_pool(cleaner, opts.workers)
                continue
            yield batch, results, stats
    except BaseException:
        _shut(pool, kill=True)  # stopped (Ctrl-C, SIGTERM) or failed: the batches in flight are not waited for
        raise
    finally:
        _shut(pool)


def _shut(pool: ProcessPoolExecutor, kill: bool = False) -> None:
    """Shut a pool down (its work not started is dropped), and let the garbage collector
    see again what was frozen for its workers. With ``kill``, the workers are killed
    first rather than waited for: what they were cleaning is lost, and nothing they
    were writing is left half-written (files are written whole, then renamed)."""
    if kill:
        _kill_workers(pool)
    pool.shutdown(cancel_futures=True)
    if pool in _frozen_for:
        _frozen_for.discard(pool)
        gc.unfreeze()


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's workers, and let its manager thread see that they are gone.

    A worker killed while sending a result leaves half a message in the results pipe,
    and the pool's manager thread would wait for the rest forever (so would `shutdown`,
    joining it): this process's own copy of the pipe's writing end is the last one open
    once the workers are dead, and closing it ends that wait. The pool is then broken."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()


def _result(future: Future, pool: ProcessPoolExecutor) -> Any:
    """``future.result()``, except that a pool a dead worker left stuck raises
    `BrokenProcessPool` rather than waiting forever: a worker killed while sending its
    result (by the kernel's out-of-memory killer, say) leaves the pool's manager thread
    waiting for the rest of the message. A worker found dead for `STUCK_AFTER` seconds,
    the pool not broken, is that case: the workers are killed and the pool broken
    (`_kill_workers`), and the batches in flight are cleaned again as after any crash."""
    dead_since: float | None = None
    while True:
        try:
            return future.result(timeout=STUCK_AFTER / 4)
        except TimeoutError:
            processes = list((getattr(pool, "_processes", None) or {}).values())
            if getattr(pool, "_broken", False) or all(p.exitcode is None for p in processes):
                dead_since = None
            elif dead_since is None:
                dead_since = time.monotonic()
            elif time.monotonic() - dead_since >= STUCK_AFTER:
                _kill_workers(pool)
                dead_since = None


def _isolate(batch: list[Item], opts: Options, cleaner: Cleaner) -> tuple[list[Result], Stats]:
    """Clean a batch one input at a time, each in a fresh process, after a worker died."""
    results: list[Result] = []
    total = Stats()
    for item in batch:
        single = _workers_pool(cleaner, 1)
        try:
            (result,), stats = _result(single.submit(clean_batch, [item], opts, write=True), single)
            total.merge(stats)
        except BrokenProcessPool:
            result = Result(item.index, failure=Failure(item.name, "the worker cleaning it died (out of memory, "
                                                                     "or a crash in a parser); please report it"))
        finally:
            _shut(single)
        results.append(result)
    return results, total


class OutputBusy(RuntimeError):
    """Another run is writing to the same output folder."""


def _lock(folder: Path, busy: str) -> int:
    """A descriptor of ``folder`` holding an exclusive lock on it (no lock file is left
    behind); raises `OutputBusy` saying ``busy`` when another run holds it."""
    lock = os.open(folder, os.O_RDONLY)
    try:
        import fcntl

        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:
        pass
    except OSError:
        os.close(lock)
        raise OutputBusy(busy) from None
    return lock


def prepare_output(opts: Options) -> tuple[Path | None, set[int], int | None]:
    """Create the output folder, lock it against a second run, and empty its
    temporary folder of what a killed run left there; the shards on disk (done, if
    `ShardKeys` says they hold what this run would write).

    A one-file output (``-o docs.jsonl``) locks only a temporary folder of its own beside
    it (``.docs.jsonl.cleaner-tmp``), so that runs writing other files into the same
    folder go on side by side."""
    out = opts.output
    if out is None:
        return None, set(), None
    if single_file(opts):
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.parent / f".{out.name}{TMP_DIR}"
        for _ in range(3):  # a run that just ended may remove the folder between our making and locking it
            tmp.mkdir(exist_ok=True)
            lock = _lock(tmp, f"another clean run is writing {out}; wait for it to finish, or name another file")
            if os.path.samestat(os.fstat(lock), os.stat(tmp)) if tmp.exists() else False:
                break
            os.close(lock)
        for leftover in tmp.iterdir():  # what a killed run left
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        return tmp, set(), lock
    out.mkdir(parents=True, exist_ok=True)
    lock = _lock(out, f"another clean run is writing to {out}; wait for it to finish, or choose another output folder")
    tmp = out / TMP_DIR
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    done: set[int] = set()
    if sharded(opts) and not opts.force:
        for p in out.glob(f"part-*.{opts.fmt}"):
            try:
                done.add(int(p.name[5:].split(".")[0]))
            except ValueError:
                continue
    return tmp, done, lock


def release_output(tmp: Path | None, lock: int | None) -> None:
    """Remove the temporary folder and unlock the output folder."""
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
    if lock is not None:
        os.close(lock)


def make_sink(opts: Options, tmp: Path | None, stdout: IO[str]) -> Sink:
    if opts.output is None:
        return StreamSink(stdout)
    if single_file(opts):
        _, compression = outputs.single_file(opts.output)
        return FileSink(opts.output, tmp, opts.fmt, compression)
    if sharded(opts):
        return ShardSink(opts.output, tmp, opts.shard_size, opts.fmt)
    return TreeSink(opts.output, tmp)


def run(
    paths: Iterable[str],
    cleaner: Cleaner,
    opts: Options = Options(),
    *,
    stdout: IO[str] | None = None,
    stdin: IO[bytes] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_progress: Callable[[Stats], None] | None = None,
    engine: Callable[[Iterable[list[Item]], Options, Cleaner], Iterator[tuple[list[Item], list[Result], Stats]]]
    | None = None,
) -> Stats:
    """Clean every input and write the documents; what the ``clean`` command does.

    Failures are counted and reported through ``on_failure`` as they happen;
    ``on_progress`` sees the stats after every batch. With an output folder,
    ``stats.json`` is written there at the end. ``engine`` cleans the batches
    and gives their results back in order: `clean_in_order` (this machine's
    processes) unless another is given (`cleaner.ray_engine`).
    """
    if opts.fmt not in (*FORMATS, "pretty"):
        raise ValueError(f"unknown format {opts.fmt!r}: use one of {', '.join(FORMATS)}")
    if opts.fmt in ("json", "parquet") and opts.output is None:
        raise ValueError(f"the {opts.fmt} format writes files: give an output folder")
    started = time.perf_counter()
    stats = Stats()

    def fail(f: Failure) -> None:
        stats.fail(f)
        if on_failure:
            on_failure(f)

    found: list[Failure] = []
    reported = 0

    def report_found() -> None:  # a path that gave no input (missing, unlistable, a clashing id) is one that failed
        nonlocal reported
        for f in found[reported:]:
            stats.inputs += 1
            fail(f)
        reported = len(found)

    items = iter_items(paths, opts, found, cleaner.config.max_file_bytes, stdin, stats.skipped)
    first = next(items, None)
    if first is None:  # nothing to clean: no output is made, not even its folder
        report_found()
        stats.no_inputs = True
        stats.seconds = time.perf_counter() - started
        return stats
    items = chain([first], items)
    tmp, done, lock = prepare_output(opts)
    try:
        sink = make_sink(opts, tmp, stdout or sys.stdout)
        keys = ShardKeys(opts, done, cleaner.fingerprint)
        since = tree_fresh_since(opts, cleaner.fingerprint)
    except BaseException:
        release_output(tmp, lock)
        raise
    if isinstance(sink, ShardSink):
        sink.keys = keys

    records = RecordPaths()

    def resumed(n: int) -> None:
        stats.resumed += n

    def todo(items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            stats.inputs += 1
            path = tree_path(item, opts)
            if path is not None and item.input.format == "jsonl":
                clashing = records.clash(item, path)
                if clashing is not None:
                    yield clashing
                    continue
            if is_done(item, opts, path, since):
                stats.resumed += 1
                continue
            yield item

    ok = False
    try:
        planned = verified(todo(items), opts, keys, resumed) if sharded(opts) else todo(items)
        for batch, results, batch_stats in (engine or clean_in_order)(batches(planned), opts, cleaner):
            report_found()
            stats.merge(batch_stats)
            for item, result in zip(batch, results):
                if result.written:
                    stats.written += 1
                    continue
                if result.device_error is not None:
                    raise OSError(result.device_error, os.strerror(result.device_error))
                if result.failure is None:
                    try:
                        sink.put(result)
                        stats.written += 1
                        continue
                    except OSError as e:
                        if not isinstance(sink, TreeSink) or e.errno in DEVICE_ERRORS:
                            raise  # a shard or stream that cannot be written stops the run
                        result.failure = write_failure(item, e)
                fail(result.failure)
                sink.skip(result.index)
            if on_progress:
                on_progress(stats)
        report_found()
        sink.close()
        ok = True
    finally:
        if not ok:
            sink.abort()
        keys.close()
        stats.seconds = time.perf_counter() - started
        release_output(tmp, lock)
    if opts.output is not None and not single_file(opts):
        write_atomic(opts.output / STATS_FILE, json.dumps(stats.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return stats
