"""What an engine is: the part of a run that cleans its batches, given and giving back
in input order.

A run (`cleaner.executor.run`) plans its inputs into batches, hands them to an engine,
and writes what comes back. Two engines exist, chosen by name (``--engine``):
``local``, this machine's processes (`cleaner.localengine.LocalEngine`), and ``ray``, a
Ray cluster (`cleaner.ray_engine.RayEngine`); `cleaner.runner` picks one. Any object
with the method below is an engine: the output does not depend on which one cleans.
"""

from __future__ import annotations

from typing import Iterable, Iterator, NamedTuple, Protocol

from .pipeline import Cleaner
from .plan import Item
from .records import Options, Result, Stats

#: The engines, by the names ``--engine`` takes.
ENGINE_NAMES = ("local", "ray")


class Cleaned(NamedTuple):
    """One batch cleaned: its items, their results (one each, in the same order), and
    the stats of the cleaning (bytes read, time per stage, what each rule took)."""

    batch: list[Item]
    results: list[Result]
    stats: Stats


class Engine(Protocol):
    """Cleans a run's batches and gives each back, with its results, in input order.

    Given the batches (lazily: an engine takes only a bounded window of them at a time),
    the run's `Options` and the `Cleaner`, it yields one `Cleaned` per batch, in the
    order the batches came. Every item of a batch gets a `Result`, never an exception.
    An engine whose workers write the JSON tree's files themselves marks those results
    ``written``; the rest the run writes, in order (`cleaner.sinks`).
    """

    def clean_in_order(self, batches: Iterable[list[Item]], opts: Options, cleaner: Cleaner) -> Iterator[Cleaned]:
        ...
