"""The worker side of a run: what a process that cleans batches does.

A worker is set up once (`init_worker`): it holds the cleaner, leaves Ctrl-C to the
process that runs the run, and dies with it (``prctl`` through ``ctypes`` on Linux, a
watching thread elsewhere). Then, for each batch it is given, it reads, cleans and
serialises every input in order (`clean_batch`), never raising for one input: each
gives a `Result` with its output or its `Failure`. In a JSON tree it writes the files
of whole input files itself, so that writing is shared as cleaning is.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from typing import Any

from .batch import STDIN, TMP_DIR
from .compressed import decompressed
from .document import Document
from .pipeline import Cleaner
from .plan import Item
from .reading import clean_string, parse_record, read_error, read_input, sniff_format
from .records import Failure, Options, Result, Stats
from .sinks import DEVICE_ERRORS, TreeSink, dump_bytes, tree_relative, write_failure
from .timelimit import watchdog

#: The cleaner of this worker process (`init_worker`).
_cleaner: Cleaner | None = None


def init_worker(cleaner: Cleaner) -> None:
    """A worker holds the cleaner; it leaves Ctrl-C to the process that runs the pool
    (which stops the workers itself, `cleaner.localengine`), and ends when that process
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
    if fmt == "parquet":  # a record's fields have no one type: they are a JSON text
        d["record"] = json.dumps(d["record"], ensure_ascii=False)
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
        doc = clean_string(cleaner, record.text, record.id, record.source, timings)  # a page, or text
        doc = doc.with_record(record.fields, record.url())
        return doc, len(item.data or b""), tree_relative(inp.id, record.name) if opts.fmt == "json" else None
    raw = item.data if item.data is not None else read_input(inp, cleaner.config.max_file_bytes)
    size = len(raw)
    source = inp.relative if inp.path is not None else STDIN
    # a text file that holds a web page (one saved as .txt, or .txt.gz) is cleaned as the page it is
    fmt = inp.format
    if inp.sniffed or inp.format == "text" and inp.forced_format is None:
        raw = decompressed(raw, cleaner.config.max_file_bytes)  # what decoding would inflate, told by its start
        fmt = sniff_format(raw)
    doc = cleaner.clean_bytes(raw, id=inp.id, source=source, format=fmt, timings=timings)
    return doc, size, tree_relative(inp.id) if opts.fmt == "json" else None


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
    if cleaner is None:
        raise RuntimeError("clean_batch was given no cleaner, and this is no worker process holding one "
                           "(init_worker): pass the cleaner, or call it through cleaner.executor.run")
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
                    result.failure = write_failure(item.name, e)
                    if e.errno in DEVICE_ERRORS:
                        result.device_error = e.errno
                        break
    return results, stats
