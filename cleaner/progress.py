"""What a run shows while it works: a progress bar on a terminal, one line otherwise.

On a terminal (and without ``--quiet``) a rich progress bar shows the documents
done out of the total, with the time left, once the total is known (`Census`
counts the inputs as the run goes; a JSONL file's documents are not counted
ahead, so with JSONL inputs the bar shows the count so far), then a summary
table. Piped or quiet, only errors and (unless quiet) a summary are printed.
Either way the summary names the files passed over, points to ``stats.json``
and repeats the first failures, so that the end of a long log says what went wrong.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Iterable

from .batch import iter_inputs
from .records import STATS_FILE, Stats

#: Failures repeated at the end of a run's summary.
FAILURES_SHOWN = 10


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def summary_line(stats: Stats, output: Path | None) -> str:
    where = f" to {output}" if output is not None else ""
    resumed = f", {stats.resumed:,} already done" if stats.resumed else ""
    return (f"{plural(stats.inputs, 'input')}: {plural(stats.written, 'document')} written{where}"
            f"{resumed}, {stats.failed:,} failed")


def skipped_line(stats: Stats) -> str | None:
    """``3 files skipped: .pdf (2), .docx (...)`` for the files in the input folders that are
    no input, and how to clean one anyway (a scraper's .md output is text)."""
    if not stats.skipped:
        return None
    kinds = sorted(stats.skipped.items(), key=lambda kv: (-kv[1], kv[0]))
    named = ", ".join(f"{k} ({n:,})" if n > 1 else k for k, n in kinds)
    return (f"{plural(sum(stats.skipped.values()), 'file')} skipped: {named}"
            " (a folder gives its .txt, .html, .htm and .jsonl files; name a file or a glob to clean it)")


def failures_tail(stats: Stats) -> list[str]:
    """The first failures again, then how many more."""
    if not stats.failed:
        return []
    out = [f"{plural(stats.failed, 'input')} failed:"]
    out += [f"  {f}" for f in stats.failures[:FAILURES_SHOWN]]
    if stats.failed > FAILURES_SHOWN:
        out.append(f"  ... and {stats.failed - FAILURES_SHOWN:,} more (above, and in {STATS_FILE})")
    return out


class Census:
    """The inputs of a run, counted in a thread of its own so that the progress bar has
    a total: the one-document inputs, and whether there are JSONL files, whose
    documents are not counted ahead (that would read them twice)."""

    def __init__(self, paths: Iterable[str], output: Path | None):
        self.documents = 0
        self.streams = 0  # JSONL files and stdin: documents unknown until read
        self.done = False
        self.started = False
        self._thread = threading.Thread(target=self._count, args=(list(paths), output), name="cleaner-census",
                                        daemon=True)

    def start(self) -> None:
        self.started = True
        self._thread.start()

    def _count(self, paths: list[str], output: Path | None) -> None:
        try:
            for inp in iter_inputs(paths, [], output):
                if inp.path is None or inp.format == "jsonl":
                    self.streams += 1
                else:
                    self.documents += 1
        finally:
            self.done = True

    @property
    def total(self) -> int | None:
        """The number of inputs, once known."""
        return self.documents if self.done and not self.streams else None


class Display:
    """The progress bar and the summary, or one line, as the terminal allows.

    ``names`` maps rule ids to names, for the summary; ``paths`` and ``output`` let
    the bar count the inputs (`Census`), which starts once the first batch is done,
    after the worker processes are forked.
    """

    def __init__(self, quiet: bool, stream=None, names: dict[str, str] | None = None,
                 paths: Iterable[str] = (), output: Path | None = None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = not quiet and self.stream.isatty()
        self.names = names or {}
        self.started = time.perf_counter()
        self.progress = None
        self.census: Census | None = None
        #: The run's counts as last reported (`update`): what a stopped run had done.
        self.last: Stats | None = None
        if self.live:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self.console = Console(file=self.stream)
            self.progress = Progress(SpinnerColumn(), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                                     TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                     console=self.console, transient=True)
            self.task = self.progress.add_task("starting", total=None)
            self.progress.start()
            self.census = Census(paths, output)

    def update(self, stats: Stats) -> None:
        self.last = stats
        if self.progress is None:
            return
        if self.census is not None and not self.census.started:
            self.census.start()
        seconds = max(time.perf_counter() - self.started, 1e-9)
        done = stats.written + stats.failed + stats.resumed
        total = self.census.total if self.census else None
        found = "" if total is not None or self.census is None or self.census.streams else (
            f"{self.census.documents:,} found so far  ")
        self.progress.update(self.task, completed=done, total=total, description=(
            f"documents  {found}{stats.failed:,} failed  {done / seconds:,.0f}/s  "
            f"{stats.bytes_in / seconds / 1e6:,.1f} MB/s"))

    def error(self, message: str) -> None:
        if self.progress is not None:
            self.progress.console.print(message, markup=False, highlight=False, style="red")
        else:
            print(message, file=self.stream)

    def finish(self, stats: Stats, output: Path | None, stopped: bool = False) -> None:
        """The summary; for a run that was stopped (``stopped``), only the bar is taken down."""
        if self.progress is not None:
            self.progress.stop()
        if stopped or self.quiet:
            return
        stats_file = output / STATS_FILE if output is not None and (output / STATS_FILE).is_file() else None
        if self.progress is not None:
            self._table(stats, output)
        else:
            print(f"clean: {summary_line(stats, output)}", file=self.stream)
        for line in filter(None, [skipped_line(stats), stats_file and f"details: {stats_file}"]):
            print(f"clean: {line}", file=self.stream)
        for line in failures_tail(stats):
            print(f"clean: {line}", file=self.stream)

    def _table(self, stats: Stats, output: Path | None) -> None:
        from rich.table import Table

        seconds = max(stats.seconds, 1e-9)
        table = Table(title=f"clean: {summary_line(stats, output)}", title_justify="left")
        table.add_column("")
        table.add_column("", justify="right")
        table.add_row("time", f"{stats.seconds:,.1f} s")
        table.add_row("throughput", f"{(stats.written + stats.failed) / seconds:,.0f} docs/s, "
                                    f"{stats.bytes_in / seconds / 1e6:,.1f} MB/s")
        for stage, s in sorted(stats.stages.items(), key=lambda kv: -kv[1]):
            table.add_row(f"stage {stage}", f"{s:,.2f} s (in workers)")
        top = sorted(stats.rules.items(), key=lambda kv: -kv[1]["characters"])[:10]
        for rule, entry in top:
            name = f" {self.names[rule]}" if rule in self.names else ""
            table.add_row(f"rule {rule}{name}", f"{entry['documents']:,} docs, {entry['lines']:,} lines, "
                                                f"{entry['characters']:,} chars")
        self.console.print(table, markup=False, highlight=False)
