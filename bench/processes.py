"""Running a command and measuring its process tree: wall seconds, and, when watched,
CPU seconds and the peak RSS and PSS of the command and all its descendants.

The tree is walked through ``/proc`` (``/proc/PID/task/TID/children``, cheap enough to
read every 20 ms) rather than ``psutil.Process.children`` (1.5 ms a sample against
0.5 ms); psutil is the fallback where the kernel lacks those files. Used by
``throughput.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

MB = 1_000_000
SAMPLE_SECONDS = 0.02
HAS_PSS = Path("/proc/self/smaps_rollup").exists()  # Linux 4.14 and later


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from ``/proc/PID/task/TID/children`` (cheap enough
    to read every 20 ms), or from psutil where the kernel lacks those files."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as f:
                    todo += [int(child) for child in f.read().split()]
        except FileNotFoundError:
            if Path(f"/proc/{pid}").exists() and not Path(f"/proc/{pid}/task/{pid}/children").exists():
                try:
                    return [pid, *(p.pid for p in psutil.Process(pid).children(recursive=True))]
                except psutil.Error:
                    return found  # it ended while we looked
        except (OSError, ValueError):
            continue  # it ended while we looked
    return found


def memory_of(pid: int) -> tuple[int, int | None]:
    """A process's ``(RSS, PSS)`` in bytes, from one read of ``/proc/PID/smaps_rollup``
    (PSS is None where the kernel lacks that file); ``(0, 0)`` once it has ended."""
    if not HAS_PSS:
        try:
            return psutil.Process(pid).memory_info().rss, None
        except psutil.Error:
            return 0, None
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError):
        pass  # it ended, or it is a zombie (no mappings left)
    return rss, pss


def cpu_ticks(pid: int) -> int | None:
    """User plus system CPU time of a process so far, in clock ticks (``/proc/PID/stat``)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
        fields = data[data.rindex(b")") + 2 :].split()  # after "pid (comm) ": state, ppid, ...
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None


class TreeSampler(threading.Thread):
    """Polls a process and all its descendants every ``SAMPLE_SECONDS``; keeps the peak
    summed RSS, the peak summed PSS (None where PSS cannot be read) and the CPU time
    each process had used when last seen (short of its last 20 ms at most)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop = threading.Event()
        self.peak_rss = 0
        self.peak_pss: int | None = 0 if HAS_PSS else None
        self.ticks: dict[int, int] = {}

    @property
    def cpu_seconds(self) -> float:
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(SAMPLE_SECONDS)

    def sample(self) -> None:
        rss = pss = 0
        for pid in descendants(self.pid):
            ticks = cpu_ticks(pid)
            if ticks is not None:
                self.ticks[pid] = max(ticks, self.ticks.get(pid, 0))
            one_rss, one_pss = memory_of(pid)
            rss += one_rss
            pss += one_pss or 0
        self.peak_rss = max(self.peak_rss, rss)
        if self.peak_pss is not None:
            self.peak_pss = max(self.peak_pss, pss)


@dataclass
class Run:
    """One system's run: what it was, how long it took, how much memory it held."""

    system: str
    parallel: str
    seconds: float
    cpu: float | None
    peak_rss: int
    peak_pss: int | None
    returncode: int
    docs_out: int
    error: str = ""

    @property
    def ok(self) -> bool:
        """Finished and wrote documents (``clean`` exits 1 when only some inputs failed)."""
        return self.docs_out > 0 and (self.returncode == 0 or (self.system == "cleaner" and self.returncode == 1))

    def mb_per_s(self, corpus_bytes: int) -> float:
        return corpus_bytes / MB / self.seconds

    def peak_mb(self) -> float:
        """PSS where it was read, else RSS."""
        return (self.peak_pss if self.peak_pss is not None else self.peak_rss) / MB


def execute(cmd: list[str], system: str, parallel: str, output: Path, log: Path,
            env: dict[str, str] | None, watch: bool) -> Run:
    """Run ``cmd`` once from a clean output, with its output to ``log``: its wall seconds
    and, when watched (its process tree sampled by a `TreeSampler`, which slows it), its
    CPU seconds (user + system, summed over the tree as sampled) and peak tree RSS and PSS."""
    remove(output)
    log.parent.mkdir(parents=True, exist_ok=True)
    sampler = None
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})})
        if watch:
            sampler = TreeSampler(proc.pid)
            sampler.start()
        code = proc.wait()
        seconds = time.perf_counter() - start
    if sampler is not None:
        sampler.stop.set()
        sampler.join()
        run = Run(system, parallel, seconds, sampler.cpu_seconds, sampler.peak_rss, sampler.peak_pss, code,
                  count_lines(output))
    else:
        run = Run(system, parallel, seconds, None, 0, None, code, count_lines(output))
    if code != 0:
        run.error = f"exit {code}, {run.docs_out} documents written: {last_error(log)}"
    return run


def last_error(log: Path) -> str:
    """The last non-empty line a failed run printed."""
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no output)"


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def count_lines(path: Path) -> int:
    """Lines in a file, or in every ``*.jsonl`` file under a folder (0 when there is none)."""
    if path.is_dir():
        return sum(count_lines(p) for p in sorted(path.rglob("*.jsonl")))
    if not path.is_file():
        return 0
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
