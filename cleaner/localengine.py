"""The local engine: batches cleaned by a pool of this machine's processes, in order.

Only a bounded window of batches is in flight (`WINDOW_PER_WORKER` a worker), and their
results come back in input order, so the output does not depend on the number of
workers. Workers are forked where that is safe (`start_method`), and what they inherit
is frozen out of garbage collection while the pool runs (`gc.freeze`), so that it stays
shared. A worker that dies (out of memory, a crash in a parser) costs only the input
that killed it: its batch and those in flight are cleaned again one input at a time, in
fresh processes (`_isolate`). A run that is stopped kills its workers rather than
waiting for them. What this needs of the pool's internals goes through
`cleaner.compat`.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import time
import weakref
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Iterable, Iterator

from .compat import close_result_writer, is_broken, kill_workers, worker_processes
from .engines import Cleaned
from .pipeline import Cleaner
from .plan import Item
from .records import Failure, Options, Result, Stats
from .worker import clean_batch, init_worker

#: Batches in flight for each worker.
WINDOW_PER_WORKER = 4
#: Seconds a worker may lie dead, its pool not broken, before the pool is taken for stuck
#: (`_result`); a pool notices a dead worker within milliseconds otherwise.
STUCK_AFTER = 2.0


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
    """A pool of ``workers`` processes, each holding ``cleaner`` (`init_worker`)."""
    method = start_method()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=init_worker, initargs=(cleaner,))
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


class LocalEngine:
    """This machine's processes (`cleaner.engines.Engine`): ``opts.workers`` of them, or
    this process alone for one worker. Workers write the files of a JSON tree themselves
    (`clean_batch` with ``write``)."""

    def clean_in_order(self, batches: Iterable[list[Item]], opts: Options, cleaner: Cleaner) -> Iterator[Cleaned]:
        """Each batch's results, in input order: here with one worker, else in a
        pool with a bounded window of batches in flight. A batch whose worker
        dies is cleaned again one input at a time, so only the input that kills
        a worker fails."""
        if opts.workers <= 1:
            for batch in batches:
                yield Cleaned(batch, *clean_batch(batch, opts, cleaner, write=True))
            return
        yield from _in_pool(batches, opts, cleaner)


def _in_pool(batches: Iterable[list[Item]], opts: Options, cleaner: Cleaner) -> Iterator[Cleaned]:
    """`LocalEngine.clean_in_order` with ``opts.workers`` processes."""
    pool = _workers_pool(cleaner, opts.workers)
    window: deque[tuple[list[Item], Future]] = deque()
    it = iter(batches)
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
                    yield Cleaned(b, *_isolate(b, opts, cleaner))
                pool = _workers_pool(cleaner, opts.workers)
                continue
            yield Cleaned(batch, results, stats)
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
    kill_workers(pool)
    close_result_writer(pool)


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
            processes = worker_processes(pool)
            if is_broken(pool) or all(p.exitcode is None for p in processes):
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
