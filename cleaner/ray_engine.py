"""The Ray Data engine: the same batches, cleaned on a Ray cluster.

``clean SRC -o OUT --engine ray [--address auto|ray://HOST:PORT]`` is the run of
`cleaner.executor` with another engine (`cleaner.engines.Engine`): `RayEngine`,
whose batches are cleaned by Ray Data tasks instead of local processes. Inputs are
listed and numbered, and outputs are written, by the driver (the process that runs
``clean``), in input order, so the output is the local engine's, byte for byte.
The workers read the input files themselves by path: on a cluster, the inputs must
be on a file system every node sees (the same path everywhere). JSONL lines and
stdin travel with their batch. Install with ``pip install 'cleaner[ray]'``.
"""

from __future__ import annotations

import logging
import pickle
from itertools import islice
from typing import Iterable, Iterator

from .engines import Cleaned
from .pipeline import Cleaner
from .plan import Item
from .records import Options
from .worker import clean_batch

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


class RayEngine:
    """A Ray cluster (`cleaner.engines.Engine`), a window of batches at a time. Made with
    a cluster's ``address`` (``auto``, ``ray://HOST:PORT``; None: Ray started here with
    ``workers`` CPUs), it connects at once (`start`), so that a missing Ray or a cluster
    that cannot be reached stops the run before anything is read or written. Its
    workers may not see the output folder: they write nothing, the run writes it all."""

    def __init__(self, address: str | None = None, workers: int = 1):
        start(address, workers)

    def clean_in_order(self, batches: Iterable[list[Item]], opts: Options, cleaner: Cleaner) -> Iterator[Cleaned]:
        """Each batch's results, in input order, cleaned by Ray Data, a window of batches at a time."""
        import ray
        import ray.data

        cleaner_ref = ray.put(cleaner)
        it = iter(batches)
        while True:
            window = list(islice(it, WINDOW))
            if not window:
                return
            ds = ray.data.from_items([{"batch": pickle.dumps((b, opts))} for b in window])
            rows = ds.map(_clean_row, fn_kwargs={"cleaner_ref": cleaner_ref}).iter_rows()
            for batch, row in zip(window, rows):
                results, stats = pickle.loads(row["result"])
                yield Cleaned(batch, results, stats)
