"""A limit on the CPU time of one call into code that is not ours (an HTML extractor).

Rule patterns have their own timeout (`cleaner.engine.watchdog`); a parser has
none, and a hostile page can keep one busy for hours (trafilatura takes
quadratic time over a page of many equal paragraphs: 8,000 took 6 s, 150,000
would take half an hour). `cpu_limit` arms a CPU-time timer (``ITIMER_PROF``,
user plus system time) around such a call; when it fires, `OverTime` is raised
where the call is. It derives from `BaseException`, as `KeyboardInterrupt` does,
so that no ``except Exception`` inside the library swallows it.

The timer is armed only in the main thread, where Python runs signal handlers,
and only when nothing else uses it (``SIGPROF`` has its default handler and
``ITIMER_PROF`` is not running); anywhere else the call runs without a limit.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class OverTime(BaseException):
    """The call ran past its CPU-time limit."""


def _expire(signum, frame) -> None:
    raise OverTime()


def can_limit() -> bool:
    """Whether `cpu_limit` can arm its timer here."""
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGPROF) is signal.SIG_DFL
            and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0))


@contextmanager
def cpu_limit(seconds: float | None) -> Iterator[None]:
    """Raise `OverTime` in the block once it has used ``seconds`` of CPU time (no
    limit for ``None`` or 0, or where none can be armed: `can_limit`).

    >>> with cpu_limit(5.0):
    ...     sum(range(1000))
    499500
    """
    if not seconds or seconds <= 0 or not can_limit():
        yield
        return
    previous = signal.signal(signal.SIGPROF, _expire)
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
