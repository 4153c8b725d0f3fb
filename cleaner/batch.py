"""Running the pipeline over files: finding inputs, reading them, writing documents.

Everything the ``clean`` command does to a directory is here, as library
functions: `find_inputs`, `clean_inputs`, `write_tree` and `run`.
A file that cannot be read or cleaned becomes a `Failure` with a reason; it
never stops the run and never costs another document its output.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from .document import Document
from .pipeline import Cleaner

#: Files picked up when a directory is given, and the format of each; each may also be gzipped (``.gz``).
FORMATS = {".txt": "text", ".html": "html", ".htm": "html"}
STDIN = "-"


def split_suffix(name: str) -> tuple[str, str | None]:
    """``"a/b.html.gz"`` -> ``("a/b", "html")``; a name with no known suffix -> ``(name, None)``."""
    lower = name.lower()
    for suffix, fmt in FORMATS.items():
        for full in (suffix, suffix + ".gz"):
            if lower.endswith(full):
                return name[: -len(full)], fmt
    return name, None


@dataclass(frozen=True)
class Input:
    """One input: its path (``None`` for stdin) and its path relative to its root."""

    path: Path | None
    relative: str
    forced_format: str | None = None

    @property
    def id(self) -> str:
        """The relative path without its extension(s), ``/``-separated."""
        stem, fmt = split_suffix(self.relative)
        if fmt is not None:
            return stem
        head, dot, ext = self.relative.rpartition(".")
        return head if dot and "/" not in ext else self.relative

    @property
    def format(self) -> str:
        """``"html"`` for ``.html``/``.htm`` (gzipped or not), else ``"text"``."""
        return self.forced_format or split_suffix(self.relative)[1] or "text"


@dataclass(frozen=True)
class Failure:
    """An input that gave no document, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Report:
    """What a run did: documents written, inputs that failed."""

    written: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        return self.written + len(self.failures)

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


def find_inputs(paths: Iterable[str]) -> tuple[list[Input], list[Failure]]:
    """Expand files, directories (every ``.txt``, ``.html`` and ``.htm`` file below, gzipped
    or not, in sorted order) and ``-`` (stdin).

    Directories are walked without following symbolic links. Two inputs that
    would get the same id are reported: the first one wins.
    """
    inputs: list[Input] = []
    failures: list[Failure] = []
    for arg in paths:
        if arg == STDIN:
            inputs.append(Input(None, "stdin"))
            continue
        p = Path(arg)
        if p.is_dir():
            found = []
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False, onerror=lambda e: failures.append(
                    Failure(str(e.filename), f"cannot list this folder ({e.strerror}); check its permissions"))):
                dirnames.sort()
                for name in filenames:
                    if split_suffix(name)[1] is not None:
                        full = Path(dirpath) / name
                        found.append(Input(full, full.relative_to(p).as_posix()))
            inputs.extend(sorted(found, key=lambda i: i.relative))
        elif p.exists():
            inputs.append(Input(p, p.name))
        else:
            failures.append(Failure(arg, "no such file or folder; check the path"))
    seen: dict[str, Input] = {}
    unique = []
    for inp in inputs:
        if inp.id in seen:
            failures.append(Failure(str(inp.path or "stdin"), f"same id {inp.id!r} as {seen[inp.id].path}; "
                                                               "clean the two folders in separate runs"))
            continue
        seen[inp.id] = inp
        unique.append(inp)
    return unique, failures


def read_input(inp: Input, max_bytes: int, stdin: IO[bytes] | None = None) -> bytes:
    """The input's bytes; raises `OSError` or `ValueError` with a reason."""
    if inp.path is None:
        stream = stdin or sys.stdin.buffer
        data = stream.read(max_bytes + 1)
    else:
        size = inp.path.stat().st_size
        if size > max_bytes:
            raise ValueError(f"file too large ({size:,} bytes, limit {max_bytes:,}); split it, or raise --max-file-bytes")
        with inp.path.open("rb") as f:
            data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"input too large (over {max_bytes:,} bytes); split it, or raise --max-file-bytes")
    return data


def clean_inputs(cleaner: Cleaner, inputs: Iterable[Input], stdin: IO[bytes] | None = None
                 ) -> Iterator[tuple[Input, Document | Failure]]:
    """Clean each input in order: a `Document`, or a `Failure` saying why not."""
    for inp in inputs:
        source = inp.relative if inp.path is not None else STDIN
        try:
            raw = read_input(inp, cleaner.config.max_file_bytes, stdin)
        except (OSError, ValueError) as e:
            reason = f"cannot read it ({e.strerror}); check that it exists and is readable" if isinstance(e, OSError) else str(e)
            yield inp, Failure(str(inp.path or STDIN), reason)
            continue
        doc = cleaner.clean_bytes(raw, id=inp.id, source=source, format=inp.format)
        if doc.rejected:
            yield inp, Failure(str(inp.path or STDIN), doc.rejected)
        else:
            yield inp, doc


def dumps(d: dict, indent: int | None = 2) -> str:
    """A document's JSON text, as written to files (indented) and to JSONL (one line)."""
    return json.dumps(d, ensure_ascii=False, indent=indent)


def to_json(doc: Document, indent: int | None = 2) -> str:
    return dumps(doc.to_dict(), indent)


def write_atomic(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def tree_path(out_dir: Path, doc: Document) -> Path:
    return out_dir / f"{doc.id}.json"


def write_tree(doc: Document, out_dir: Path) -> Path:
    path = tree_path(out_dir, doc)
    write_atomic(path, to_json(doc) + "\n")
    return path


def run(
    paths: Iterable[str],
    cleaner: Cleaner,
    *,
    output: Path | None = None,
    fmt: str = "auto",
    stdout: IO[str] | None = None,
    stdin: IO[bytes] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
) -> Report:
    """Clean every input and write the documents; what the ``clean`` command does.

    ``fmt``: ``"json"`` writes one ``<id>.json`` per document under ``output``;
    ``"jsonl"`` writes one document a line to the file ``output``, or to
    ``stdout`` without one; ``"auto"`` is ``json`` with an output folder, one
    indented JSON document for a single input without one, else ``jsonl``.
    """
    if fmt not in ("auto", "json", "jsonl"):
        raise ValueError(f"unknown format {fmt!r}: use auto, json or jsonl")
    if fmt == "json" and output is None:
        raise ValueError("the json format writes one file per document: give an output folder")
    stdout = stdout or sys.stdout
    report = Report()

    def fail(f: Failure) -> None:
        report.failures.append(f)
        if on_failure:
            on_failure(f)

    inputs, missing = find_inputs(paths)
    for f in missing:
        fail(f)
    if fmt == "auto":
        fmt = "json" if output is not None else ("pretty" if len(inputs) == 1 and not missing else "jsonl")
    sink: IO[str] | None = None
    tmp_path = None
    if fmt == "jsonl" and output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_path = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        sink = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
    try:
        for inp, result in clean_inputs(cleaner, inputs, stdin):
            if isinstance(result, Failure):
                fail(result)
                continue
            if fmt == "json":
                try:
                    write_tree(result, output)
                except OSError as e:
                    fail(Failure(str(inp.path or STDIN), f"cannot write {tree_path(output, result)} ({e.strerror}); "
                                                         "check the output folder"))
                    continue
            elif fmt == "pretty":
                stdout.write(to_json(result) + "\n")
            else:
                (sink or stdout).write(to_json(result, indent=None) + "\n")
            report.written += 1
        if sink is not None:
            sink.close()
            os.replace(tmp_path, output)
            tmp_path = None
    finally:
        if tmp_path is not None:
            sink.close()
            Path(tmp_path).unlink(missing_ok=True)
    return report
