"""The Ray Data engine: the same batches, cleaned on a Ray cluster.

``clean SRC -o OUT --engine ray [--address auto|ray://HOST:PORT]`` runs the
executor of `cleaner.executor` with one change: batches are cleaned by Ray
Data tasks instead of local processes. Inputs are listed and numbered, and
outputs are written, by the driver (the process that runs ``clean``), in input
order, so the output is the local engine's, byte for byte. The workers read
the input files themselves by path: on a cluster, the inputs must be on a file
system every node sees (the same path everywhere). JSONL lines and stdin travel
with their batch. Install with ``pip install 'cleaner[ray]'``.
"""

from __future__ import annotations

import logging
import pickle
from itertools import islice
from typing import Iterable, Iterator

from . import executor
from .executor import Item, Options, Result, Stats, clean_batch
from .pipeline import Cleaner

#: Batches handed to Ray Data at a time: bounds the driver's memory.
WINDOW = 256

_cleaners: dict[str, Cleaner] = {}


def _clean_row(row: dict, cleaner_ref) -> dict:
    """One batch, in a Ray worker: the cleaner is fetched once per worker process."""
    import ray

    key = cleaner_ref.hex()
    if key not in _cleaners:
        _cleaners[key] = ray.get(cleaner_ref)
    batch, opts = pickle.loads(row["batch"])
    return {"result": pickle.dumps(clean_batch(batch, opts, _cleaners[key]))}


def start(address: str | None, workers: int) -> None:
    """Connect to a cluster (``auto``, ``ray://HOST:PORT``), or start Ray here with ``workers`` CPUs."""
    try:
        import ray
    except ImportError:
        raise ImportError("--engine ray needs Ray: pip install 'cleaner[ray]'") from None
    if ray.is_initialized():
        return
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR"}
    if address:
        ray.init(address=address, **quiet)
    else:
        ray.init(num_cpus=workers, **quiet)
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False


def clean_in_order(batches_in: Iterable[list[Item]], opts: Options, cleaner: Cleaner
                   ) -> Iterator[tuple[list[Item], list[Result], Stats]]:
    """Each batch's results, in input order, cleaned by Ray Data, a window of batches at a time."""
    import ray
    import ray.data

    cleaner_ref = ray.put(cleaner)
    it = iter(batches_in)
    while True:
        window = list(islice(it, WINDOW))
        if not window:
            return
        ds = ray.data.from_items([{"batch": pickle.dumps((b, opts))} for b in window])
        rows = ds.map(_clean_row, fn_kwargs={"cleaner_ref": cleaner_ref}).iter_rows()
        for batch, row in zip(window, rows):
            results, stats = pickle.loads(row["result"])
            yield batch, results, stats


def run(paths, cleaner: Cleaner, opts: Options = Options(), *, address: str | None = None, **kwargs) -> Stats:
    """`cleaner.executor.run` on Ray: same arguments, plus the cluster's ``address``."""
    start(address, opts.workers)
    return executor.run(paths, cleaner, opts, engine=clean_in_order, **kwargs)
