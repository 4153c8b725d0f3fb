"""Every use of another package's private API, behind one door.

Three parts of the package read what a dependency keeps to itself: the
prefilter (`cleaner.prefilter`) reads each rule's pattern as `regex` parses it,
the encoding repair (`cleaner.stages.repair`) reads ftfy's mojibake pattern with
Python's own pattern parser, and the local engine (`cleaner.localengine`) reads
the worker processes of `concurrent.futures`' process pool. Each private name is imported
in this package, inside ``try``, and only in the one module for its package; each is
handed out by one function or constant there, whose docstring says what it reads, why,
and what happens without it.

Without any of them the output is the same, only slower: the fallbacks are
public. tests/test_compat.py hides each private name of regex, ``re`` and ftfy
(in a fresh interpreter) and checks that ``import cleaner`` works and that
documents come out, field for field, as they do with it; tests/test_compat_pool.py
hides the pool's and checks that a run still writes the same files, and that a
stopped run and a dead worker cost no document.

One module per foreign package:

- `regex_internals`: regex (mrab-regex), its pattern parser and its case table
  (`parse_regex`, `case_variants`);
- `stdlib_re`: Python's ``re``, its pattern parser, read for ftfy's mojibake
  pattern (`read_badness`);
- `ftfy_internals`: ftfy, its mojibake pattern, its categories of characters, its
  control characters (`MOJIBAKE_PATTERN`, `control_characters`);
- `process_pool`: ``concurrent.futures``, its process pool's workers and results
  pipe (`worker_processes`, `is_broken`, `kill_workers`, `close_result_writer`).

Here are the names the rest of the package imports; a test that hides or replaces a
private name does it in the module that reads it.
"""

from __future__ import annotations

from .ftfy_internals import MOJIBAKE_PATTERN, control_characters
from .process_pool import close_result_writer, is_broken, kill_workers, worker_processes
from .regex_internals import case_variants, parse_regex
from .stdlib_re import read_badness

__all__ = [
    "MOJIBAKE_PATTERN", "case_variants", "close_result_writer", "control_characters", "is_broken", "kill_workers",
    "parse_regex", "read_badness", "worker_processes",
]
