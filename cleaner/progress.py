"""What a run shows while it works: a progress bar on a terminal, one line otherwise.

On a terminal (and without ``--quiet``) a rich progress line shows documents
done, documents/s and MB/s, and a summary table follows at the end; piped or
quiet, only errors and (unless quiet) one summary line are printed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .executor import Stats


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def summary_line(stats: Stats, output: Path | None) -> str:
    where = f" to {output}" if output is not None else ""
    resumed = f", {stats.resumed:,} already done" if stats.resumed else ""
    return (f"{plural(stats.inputs, 'input')}: {plural(stats.written, 'document')} written{where}"
            f"{resumed}, {stats.failed:,} failed")


class Display:
    """The progress bar and the summary table, or nothing, as the terminal allows."""

    def __init__(self, quiet: bool, stream=None):
        self.stream = stream or sys.stderr
        self.live = not quiet and self.stream.isatty()
        self.started = time.perf_counter()
        self.progress = None
        #: The run's counts as last reported (`update`): what a stopped run had done.
        self.last: Stats | None = None
        if self.live:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.console = Console(file=self.stream)
            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                     console=self.console, transient=True)
            self.task = self.progress.add_task("starting", total=None)
            self.progress.start()

    def update(self, stats: Stats) -> None:
        self.last = stats
        if self.progress is None:
            return
        seconds = max(time.perf_counter() - self.started, 1e-9)
        done = stats.written + stats.failed
        self.progress.update(self.task, description=(
            f"{done:,} documents ({stats.failed:,} failed, {stats.resumed:,} already done)  "
            f"{done / seconds:,.0f} docs/s  {stats.bytes_in / seconds / 1e6:,.1f} MB/s"))

    def error(self, message: str) -> None:
        if self.progress is not None:
            self.progress.console.print(message, markup=False, highlight=False, style="red")
        else:
            print(message, file=self.stream)

    def finish(self, stats: Stats, output: Path | None, quiet: bool) -> None:
        if self.progress is not None:
            self.progress.stop()
            self._table(stats, output)
        elif not quiet:
            print(f"clean: {summary_line(stats, output)}", file=self.stream)

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
            table.add_row(f"rule {rule}", f"{entry['documents']:,} docs, {entry['lines']:,} lines, "
                                          f"{entry['characters']:,} chars")
        self.console.print(table)
