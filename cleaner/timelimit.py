"""Limits on CPU time: for one call into code that is not ours (an HTML extractor),
and for each call of a rule's pattern on one line.

A parser has no timeout of its own, and a hostile page can keep one busy for hours
(trafilatura takes quadratic time over a page of many equal paragraphs: 8,000 took
6 s, 150,000 would take half an hour). `cpu_limit` arms a CPU-time timer
(``ITIMER_PROF``, user plus system time) around such a call; when it fires,
`OverTime` is raised where the call is. It derives from `BaseException`, as
`KeyboardInterrupt` does, so that no ``except Exception`` inside the library
swallows it.

A rule's pattern that backtracks without end is stopped by `watchdog` and `timed`
(``ITIMER_VIRTUAL``), with `RuleTimeout` naming the rule and the line.

Each timer is armed only in the main thread, where Python runs signal handlers,
and only when nothing else uses it (its signal has its default handler and its
timer is not running); anywhere else a call runs without the limit (an extractor)
or with `regex`'s own timeout (a rule's pattern).
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from .context import Context
    from .ruleset import Rule


class OverTime(BaseException):
    """The call ran past its CPU-time limit."""


class RuleTimeout(Exception):
    """A rule's pattern ran past the regex timeout on one line of one document."""

    def __init__(self, rule: Rule, line: int, seconds: float):
        self.rule, self.line = rule, line
        super().__init__(
            f"rule {rule.id} ({rule.name}, {rule.file}) ran past the {seconds:g} s regex timeout on line {line}; "
            f"the document was skipped. Simplify the rule's pattern, or raise --regex-timeout."
        )


def _free(signum: int, timer: int) -> bool:
    """Whether a timer can be armed here: the main thread, the signal's default handler
    in place and the timer not running."""
    return (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signum) is signal.SIG_DFL
            and signal.getitimer(timer) == (0.0, 0.0))


def can_limit() -> bool:
    """Whether `cpu_limit` can arm its timer here."""
    return hasattr(signal, "setitimer") and _free(signal.SIGPROF, signal.ITIMER_PROF)


def _expire(signum, frame) -> None:
    raise OverTime()


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


# --- the regex timeout --------------------------------------------------------------


class _Watch:
    """The rule call the watchdog is watching (see `watchdog`)."""

    thread: int | None = None  # the thread it watches, while armed
    current: tuple | None = None  # (rule, line, seconds) of the call running there
    seen: tuple | None = None  # the call the last tick found running
    ticks = 0  # how many ticks in a row found it


def _forget_watch() -> None:
    """In a forked child: the parent's timer is not inherited, so neither is its watch."""
    _Watch.thread = _Watch.current = _Watch.seen = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_watch)


def _tick(signum, frame) -> None:
    """A tick of the watchdog's timer: the third in a row to find the same rule call
    running stops it (it has run for two periods, the timeout, at least)."""
    current = _Watch.current
    if current is None or current is not _Watch.seen:
        _Watch.seen, _Watch.ticks = current, 1
        return
    _Watch.ticks += 1
    if _Watch.ticks >= 3:
        _Watch.seen = None
        raise RuleTimeout(*current)


@contextmanager
def watchdog(seconds: float | None) -> Iterator[None]:
    """Within it, a rule's pattern that runs past ``seconds`` of CPU time on one line is
    stopped by a timer (a signal) rather than by `regex`'s own timeout.

    `regex` reads the process's CPU clock, a system call, at the start of every
    call given a timeout and every 256 steps of it: that cost as much as the
    matching itself on short lines. Instead a CPU-time timer ticks every half
    timeout while a document is cleaned, and a tick that finds the same call
    running for the third time raises `RuleTimeout` in it (`regex` lets signal
    handlers run as it matches). A call is so stopped after one to one and a
    half timeouts. Inside a watchdog already armed (a batch of documents) it does
    nothing more. Where the timer cannot be armed (`_free`), each call is given
    `regex`'s timeout, as before.
    """
    if (_Watch.thread is not None or not seconds or seconds <= 0 or not hasattr(signal, "setitimer")
            or not _free(signal.SIGVTALRM, signal.ITIMER_VIRTUAL)):
        yield
        return
    previous = signal.signal(signal.SIGVTALRM, _tick)
    try:
        signal.setitimer(signal.ITIMER_VIRTUAL, seconds / 2, seconds / 2)
        _Watch.thread = threading.get_ident()
        yield
    finally:
        _Watch.thread = None
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
        _Watch.current = _Watch.seen = None


def timed(rule: Rule, ctx: Context, line: int, fn, *args):
    """``fn(*args)``, a call of ``rule``'s pattern on ``line``, stopped by the regex timeout
    (`watchdog`): `RuleTimeout` when it runs past it."""
    if _Watch.thread == threading.get_ident():
        _Watch.current = (rule, line, ctx.config.regex_timeout)
        try:
            return fn(*args)
        finally:
            _Watch.current = None
    try:
        return fn(*args, timeout=ctx.config.regex_timeout)
    except TimeoutError:
        raise RuleTimeout(rule, line, ctx.config.regex_timeout) from None
