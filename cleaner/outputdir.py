"""The output folder of a run: made, locked against a second run writing to it, its
temporary folder emptied of what a killed run left, and released at the end.

Every file a run writes goes through that temporary folder (``.cleaner-tmp``, on the
same file system as the output), then is renamed into place (`cleaner.sinks`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .batch import TMP_DIR
from .records import Options


class OutputBusy(RuntimeError):
    """Another run is writing to the same output folder."""


def _lock(folder: Path, busy: str) -> int:
    """A descriptor of ``folder`` holding an exclusive lock on it (no lock file is left
    behind); raises `OutputBusy` saying ``busy`` when another run holds it."""
    lock = os.open(folder, os.O_RDONLY)
    try:
        import fcntl

        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:
        pass
    except OSError:
        os.close(lock)
        raise OutputBusy(busy) from None
    return lock


def prepare_output(opts: Options) -> tuple[Path | None, int | None]:
    """Create the output folder, lock it against a second run, and empty its
    temporary folder of what a killed run left there: the temporary folder, and the
    descriptor holding the lock (both None without an output; `release_output` ends both).

    A one-file output (``-o docs.jsonl``) locks only a temporary folder of its own beside
    it (``.docs.jsonl.cleaner-tmp``), so that runs writing other files into the same
    folder go on side by side."""
    out = opts.output
    if out is None:
        return None, None
    if opts.single_file:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.parent / f".{out.name}{TMP_DIR}"
        busy = f"another clean run is writing {out}; wait for it to finish, or name another file"
        for _ in range(3):  # a run that just ended may remove the folder between our making and locking it
            tmp.mkdir(exist_ok=True)
            lock = _lock(tmp, busy)
            if os.path.samestat(os.fstat(lock), os.stat(tmp)) if tmp.exists() else False:
                break
            os.close(lock)
        else:  # the folder went away under each of three locks: other runs are at work on it
            raise OutputBusy(busy)
        for leftover in tmp.iterdir():  # what a killed run left
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        return tmp, lock
    out.mkdir(parents=True, exist_ok=True)
    lock = _lock(out, f"another clean run is writing to {out}; wait for it to finish, or choose another output folder")
    tmp = out / TMP_DIR
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp, lock


def folds_case(tmp: Path) -> bool:
    """Whether the file system of ``tmp`` (the output's temporary folder) takes two names
    that differ in case alone for one file (macOS and Windows by default): there, two
    records whose ids differ in case alone would be one file of a JSON tree."""
    probe = tmp / "case-probe"
    try:
        probe.touch()
        return (tmp / "CASE-PROBE").exists()
    except OSError:
        return False
    finally:
        probe.unlink(missing_ok=True)


def release_output(tmp: Path | None, lock: int | None) -> None:
    """Remove the temporary folder and unlock the output folder."""
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
    if lock is not None:
        os.close(lock)
