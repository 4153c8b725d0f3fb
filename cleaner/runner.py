"""`run`: clean files, folders, globs or stdin into an output, as the ``clean`` command does.

The command is a thin layer over this function: it parses the flags, calls `run`,
and prints what it returns. Everything it can do, a caller can do here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, Callable, Iterable

from .batch import STDIN, split_suffix
from .engines import ENGINE_NAMES, Engine
from .executor import run as run_batches
from .localengine import LocalEngine
from .outputs import choose
from .pipeline import Cleaner
from .ray_engine import RayEngine
from .reading import sniff_stream
from .records import Failure, Options, Stats

#: How stdin, and files named one by one, may be read (`run`'s ``input_format``).
INPUT_FORMATS = ("text", "html", "jsonl")
PathLike = str | os.PathLike


def all_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(
    paths: PathLike | Iterable[PathLike],
    output: PathLike | None = None,
    *,
    cleaner: Cleaner | None = None,
    format: str = "auto",
    workers: int = 1,
    shard_size: int = 1000,
    force: bool = False,
    text_field: str = "text",
    id_field: str = "id",
    input_format: str | None = None,
    engine: str = "local",
    address: str | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_progress: Callable[[Stats], None] | None = None,
    stdin: IO[bytes] | None = None,
    stdout: IO[str] | None = None,
) -> Stats:
    """Clean every input under ``paths`` and write the documents to ``output``.

    paths: files, folders (every ``.txt``, ``.html``, ``.htm`` and ``.jsonl`` below
        them, each plain, ``.gz`` or ``.zst``), globs, and ``"-"`` for stdin.
    output: a folder (a JSON tree: ``<id>.json`` per document; or shards with
        ``format="jsonl"`` or ``"parquet"``), one file (``.jsonl``, ``.jsonl.gz``,
        ``.jsonl.zst``, ``.parquet``), or None (or ``"-"``) for ``stdout``.
    cleaner: the rules and configuration (default: the shipped rules).
    format: ``auto`` (from ``output``: a JSON tree for a folder, a file's own
        format; on stdout one indented document for a single one-document input,
        else JSONL), ``json``, ``jsonl`` or ``parquet``.
    workers: processes cleaning documents; 1 cleans in this process, 0 takes every
        core (the command's default). The output does not depend on it.
    shard_size, force, text_field, id_field: as the command's ``--shard-size``,
        ``--force``, ``--text-field``, ``--id-field``.
    input_format: ``text``, ``html`` or ``jsonl``: how to read stdin and the files
        named one by one; None tells them by name, and stdin by its first bytes.
    engine, address: ``local``, or ``ray`` (``pip install 'cleaner[ray]'``) with a
        cluster's ``address``.
    on_failure: called with each input that gives no document, as it happens.
    on_progress: called with the counts so far after every batch.

    Returns the run's `Stats` (``written``, ``failed``, ``failures``, ``skipped``...).
    Raises `cleaner.outputs.OutputError` (a ``ValueError``) for an output that
    cannot be written as named, and ``ValueError`` for another bad argument,
    before anything is read; an input that fails never raises, it is counted.
    """
    paths = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else [os.fspath(p) for p in paths]
    if not paths:
        raise ValueError("no paths given: name files, folders, globs, or - for stdin")
    if input_format is not None and input_format not in INPUT_FORMATS:
        raise ValueError(f"input format {input_format!r} is not one of {', '.join(INPUT_FORMATS)}")
    if engine not in ENGINE_NAMES:
        raise ValueError(f"engine {engine!r} is not one of {', '.join(ENGINE_NAMES)}")
    if workers < 0 or shard_size < 1:
        raise ValueError("workers must be 0 (every core) or more, and shard_size 1 or more")
    if paths == [STDIN] and input_format is None:  # stdin alone: its format decides what auto prints
        input_format, stdin = sniff_stream(stdin or sys.stdin.buffer)
    out = Path(os.fspath(output)) if output is not None else None
    target = choose(out, format, one_document=_one_document(paths, input_format))
    opts = Options(fmt=target.fmt, output=target.output, shard_size=shard_size, workers=workers or all_cores(),
                   force=force, text_field=text_field, id_field=id_field, input_format=input_format)
    cleaner = cleaner or Cleaner()
    return run_batches(paths, cleaner, opts, engine=pick_engine(engine, address, opts.workers), stdin=stdin,
                       stdout=stdout, on_failure=on_failure, on_progress=on_progress)


def pick_engine(name: str, address: str | None = None, workers: int = 1) -> Engine:
    """The engine called ``name`` (`cleaner.engines.ENGINE_NAMES`): ``local``, or ``ray``
    on the cluster at ``address`` (connected to now: Ray missing raises `ImportError`)."""
    if name == "local":
        return LocalEngine()
    if name == "ray":
        return RayEngine(address, workers)
    raise ValueError(f"engine {name!r} is not one of {', '.join(ENGINE_NAMES)}")


def _one_document(paths: list[str], input_format: str | None) -> bool:
    """Whether ``paths`` is a single input of one document: a file that is no JSONL, or
    stdin that is none."""
    if len(paths) != 1:
        return False
    if paths[0] == STDIN:
        return input_format != "jsonl"
    if not Path(paths[0]).is_file():
        return False
    return (input_format or split_suffix(paths[0])[1]) != "jsonl"
