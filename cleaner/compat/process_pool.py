"""`concurrent.futures`' process pool: the one door into `ProcessPoolExecutor`'s private internals.

The local engine (`cleaner.localengine`) needs two things the pool's public API does
not give: its worker processes (to kill them at once when a run is stopped, and to see
that one died while the pool still waits for its result), and the writing end of its
results pipe (to end a wait for a message that a killed worker left half sent). Every
read of a private name of the pool is here, inside ``getattr`` and ``try``, so that a
Python whose pool is built otherwise costs only speed: each function returns an empty
answer there, and the caller takes the public path (`ProcessPoolExecutor.shutdown`,
waiting for `Future.result`).
"""

from __future__ import annotations

from typing import Any

#: The private attributes read here, by name (a test removes them to try the fallbacks).
PROCESSES = "_processes"  # dict: pid -> multiprocessing.Process, None once shut down
RESULT_QUEUE = "_result_queue"  # the multiprocessing.SimpleQueue workers send results on
WRITER = "_writer"  # that queue's writing end (a multiprocessing.connection.Connection)
BROKEN = "_broken"  # False, or the reason the pool is broken


def worker_processes(pool: Any) -> list:
    """The pool's worker processes (``multiprocessing.Process``), read from its private
    ``_processes``; an empty list when that is missing, shut down or of another shape.

    Read to kill the workers at once (`kill_workers`) and to see a dead one while the pool
    is not yet broken (`cleaner.localengine`). With an empty list the caller cannot do
    either: it waits for the pool instead, which is slower but correct."""
    try:
        processes = getattr(pool, PROCESSES, None)
        return list(processes.values()) if processes else []
    except Exception:  # another shape than a dict of processes
        return []


def is_broken(pool: Any) -> bool:
    """Whether the pool knows it is broken (a worker died), read from its private
    ``_broken``; False when that is missing.

    False is the safe answer: the caller then looks at the workers themselves
    (`worker_processes`), and a broken pool still raises `BrokenProcessPool` from
    `Future.result`, the public path."""
    try:
        return bool(getattr(pool, BROKEN, False))
    except Exception:
        return False


def kill_workers(pool: Any) -> bool:
    """Kill the pool's worker processes now, rather than waiting for what they are doing;
    True if it could. Through the private ``_processes`` (`worker_processes`), else the
    public ``kill_workers`` of Python 3.14 and later; False when neither is there, and
    the caller's `ProcessPoolExecutor.shutdown` waits for the batches in flight."""
    processes = worker_processes(pool)
    if processes:
        for process in processes:
            try:
                process.kill()
            except Exception:  # already reaped, or not a process after all
                pass
        return True
    public = getattr(pool, "kill_workers", None)
    if callable(public):
        try:
            public()
            return True
        except Exception:
            return False
    return False


def close_result_writer(pool: Any) -> bool:
    """Close this process's copy of the writing end of the pool's results pipe (the
    private ``_result_queue._writer``); True if it could.

    A worker killed while sending a result leaves half a message in the pipe, and the
    pool's manager thread waits for the rest forever (so does `shutdown`, joining it).
    Once the workers are dead this copy is the last one open, and closing it ends that
    wait: the pool is then broken. Without it (False), that rare case is not undone."""
    try:
        writer = getattr(getattr(pool, RESULT_QUEUE, None), WRITER, None)
        if writer is None:
            return False
        writer.close()
        return True
    except Exception:
        return False
