"""The records a run passes around: its `Options`, one input's `Result` or `Failure`,
and the run's `Stats`.

Plain data with no I/O: every other module of a run (planning, the workers, the sinks,
the engines) reads and writes these, so they import nothing of those modules.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .outputs import single_file as output_file
from .document import Document

#: The run's counts, written into an output folder at the end of a run (`Stats.to_dict`).
STATS_FILE = "stats.json"
#: Failures listed in `Stats` (and ``stats.json``); the rest are only counted.
MAX_FAILURES_KEPT = 10_000


@dataclass(frozen=True)
class Failure:
    """An input that gave no document, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


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

    @property
    def single_file(self) -> bool:
        """Whether this run writes one file (``-o docs.jsonl``, ``.jsonl.gz``, ``.parquet``: `cleaner.outputs`)."""
        kind = output_file(self.output)
        return kind is not None and kind[0] == self.fmt

    @property
    def sharded(self) -> bool:
        """Whether this run writes shards into a folder."""
        return self.fmt in ("jsonl", "parquet") and self.output is not None and not self.single_file


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
