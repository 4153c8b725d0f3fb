"""A disk cache of what a fresh process would otherwise make again: loaded rule sets,
and the stop-word index of the language detector.

Loading the shipped rules costs a fresh process about 1.5 s: `regex` parses
every pattern in Python, and the gate analysis (`cleaner.prefilter`) reads each
one again. Both give the same result for the same rule files, so `load_rules`
keeps what they made, pickled, in a cache folder, and a later process loads it
in about 0.2 s. Reading jusText's hundred stop lists (`cleaner.language.stoplists`)
costs 0.25 s, loading the index made of them 0.04 s.

An entry's name is a hash of everything its content depends on (`key`): the source
of this package and the versions of Python and `regex` (whose compiled patterns are
pickled as they are), and what its maker gives: for rules, the rule files (their
paths, order and bytes) and the detectors that plugins registered (rules are checked
against them, `cleaner.plugins.identity`); for the stop lists, jusText's version.
Any change gives a new name, so an entry is never stale; only the 16 newest of a
kind are kept. Reading or writing the cache never fails a run: an entry that cannot
be read is rebuilt, and a folder that cannot be written is left alone.

Where: ``CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else
``~/.cache/cleaner``. ``CLEANER_NO_CACHE=1`` turns it off. Entries are
pickles, which run code when loaded: point ``CLEANER_CACHE_DIR`` only at a
folder no one else can write to (the folder is made private to its user).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any, Iterable

import regex

#: How many entries of one kind are kept (the newest).
KEEP = 16


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get("CLEANER_NO_CACHE"):
        return None
    given = os.environ.get("CLEANER_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home == "~":  # no home folder to be found: no cache, rather than one in the working folder
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "cleaner"


@cache
def code_version() -> bytes:
    """What the cached objects' shape depends on besides their inputs: the source of
    every module of this package, and the versions of Python and `regex`."""
    digest = hashlib.sha256(f"{sys.version}\0{regex.__version__}\0{pickle.HIGHEST_PROTOCOL}".encode())
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("*/*.py")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


def key(parts: Iterable[bytes]) -> str:
    """The name of the entry for these inputs (and this code, `code_version`)."""
    digest = hashlib.sha256(code_version())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:32]


def load(kind: str, name: str) -> Any | None:
    """The cached object of this kind and name, or None (no cache, no entry, or one
    that cannot be read)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{kind}-{name}.pickle", "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, truncated by a full disk, from another version: rebuilt
        return None


def store(kind: str, name: str, value: Any) -> None:
    """Keep ``value`` under this kind and name, written whole or not at all; keep only
    the `KEEP` newest entries of the kind. Does nothing when the folder cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / f"{kind}-{name}.pickle")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(folder, kind)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return


def _prune(folder: Path, kind: str) -> None:
    entries = []
    for path in folder.glob(f"{kind}-*.pickle"):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            path.unlink()
