"""What a run writes, decided from the output's name and the format asked for.

The one place that reads ``-o``: a folder gets a JSON tree (or JSONL or Parquet
shards), a file name says what the file holds, and no output (or ``-``) is
standard output. A name that looks like a file the tool does not write
(``out.json``, ``out.csv``) is refused with a sentence, never made into a
folder of that name.

>>> choose(Path("out"), "auto").fmt, choose(Path("docs.jsonl.gz"), "auto").compression
('json', 'gzip')
>>> choose(Path("table.parquet"), "auto")
Target(fmt='parquet', output=PosixPath('table.parquet'), single=True, compression=None)
>>> choose(None, "auto", one_document=True).fmt
'pretty'
>>> choose(Path("out.json"), "auto")
Traceback (most recent call last):
...
cleaner.outputs.OutputError: -o out.json names a .json file, but clean writes one JSON document per input into a folder (-o out), or all of them into one .jsonl, .jsonl.gz, .jsonl.zst or .parquet file
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

#: The formats a run can write: a JSON tree, JSONL, Parquet, or one indented
#: document on standard output (``pretty``, what ``auto`` gives a single input there).
FORMATS = ("auto", "json", "jsonl", "parquet")
#: File names that are one output file: their format and compression.
SINGLE_FILES = {
    ".jsonl": ("jsonl", None),
    ".jsonl.gz": ("jsonl", "gzip"),
    ".jsonl.zst": ("jsonl", "zstd"),
    ".parquet": ("parquet", None),
}
#: Names of files this tool does not write: refused rather than made into a folder.
NOT_WRITTEN = (".json", ".json.gz", ".json.zst", ".ndjson", ".csv", ".tsv", ".txt", ".html", ".htm", ".xml",
               ".gz", ".zst", ".bz2", ".xz", ".zip", ".tar", ".arrow", ".feather", ".pq")
WRITTEN = ", ".join(SINGLE_FILES)


class OutputError(ValueError):
    """The output asked for cannot be written as named; the message says what to do."""


@dataclass(frozen=True)
class Target:
    """Where a run writes: ``fmt`` (``json``, ``jsonl``, ``parquet`` or ``pretty``),
    ``output`` (None: standard output), whether it is one file (``single``), and that
    file's ``compression`` (``gzip``, ``zstd`` or None)."""

    fmt: str
    output: Path | None
    single: bool = False
    compression: str | None = None


def suffix_of(name: str, suffixes) -> str | None:
    """The longest of ``suffixes`` that ``name`` ends with (any case), or None."""
    lower = name.lower()
    return max((s for s in suffixes if lower.endswith(s) and len(lower) > len(s)), key=len, default=None)


def single_file(output: Path | None) -> tuple[str, str | None] | None:
    """The format and compression of a one-file output name, or None for a folder."""
    if output is None or output.is_dir():
        return None
    suffix = suffix_of(output.name, SINGLE_FILES)
    return SINGLE_FILES[suffix] if suffix else None


def choose(output: Path | None, fmt: str = "auto", *, one_document: bool = False) -> Target:
    """The `Target` for ``-o output`` and ``--format fmt``; raises `OutputError`.

    ``one_document``: the run has a single one-document input (a text or HTML file,
    standard input that is no JSONL), which ``auto`` prints indented on standard output.
    """
    if fmt not in FORMATS:
        raise OutputError(f"--format {fmt} is not a format; use one of {', '.join(FORMATS)}")
    if output is not None and str(output) == "-":  # as for input, - is the standard stream (a folder: -o ./-)
        output = None
    if output is None:
        if fmt in ("json", "parquet"):
            raise OutputError(f"--format {fmt} writes files: add -o DIR (or -o FILE.parquet)")
        return Target("pretty" if fmt == "auto" and one_document else "jsonl", None)
    single = single_file(output)
    if single is not None:
        kind, compression = single
        if fmt not in ("auto", kind):
            raise OutputError(f"-o {output} names a {suffix_of(output.name, SINGLE_FILES)} file, which holds "
                              f"{kind}, not {fmt}: drop --format, or give a folder for --format {fmt}")
        if kind == "parquet":
            needs_pyarrow()
        return Target(kind, output, single=True, compression=compression)
    if output.exists() and not output.is_dir():
        raise OutputError(f"-o {output} is a file that is not a .jsonl or .parquet output: give a folder, "
                          f"or a file name ending in {WRITTEN}")
    refused = None if output.is_dir() else suffix_of(output.name, NOT_WRITTEN)
    if refused is not None:
        stem = output.name[: -len(refused)]
        raise OutputError(f"-o {output} names a {refused} file, but clean writes one JSON document per input into a "
                          f"folder (-o {output.with_name(stem)}), or all of them into one "
                          f"{', '.join(list(SINGLE_FILES)[:-1])} or {list(SINGLE_FILES)[-1]} file")
    if fmt == "parquet":
        needs_pyarrow()
    return Target("json" if fmt == "auto" else fmt, output)


def needs_pyarrow() -> None:
    """Raises `OutputError` when Parquet cannot be written here."""
    if importlib.util.find_spec("pyarrow") is None:
        raise OutputError("writing Parquet needs pyarrow: pip install 'cleaner[parquet]'")
