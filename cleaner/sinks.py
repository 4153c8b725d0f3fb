"""Writing a run's output: the sinks that take results in input order (a JSON tree,
JSONL or Parquet shards, one file, a stream), and how any output file is written
whole or not at all (a temporary file, then a rename).

Every output file goes through `write_atomic` or a sink's own temporary file in the
run's temporary folder (`cleaner.outputdir`), so that a run killed at any point
leaves only whole files behind. Where a document goes in a JSON tree
(`tree_relative`) is decided here too: its id made safe as a relative path.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.util
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any, Callable

import orjson

from .outputs import single_file as output_file
from .records import Failure, Options, Result

#: Bytes gathered before an output file is written to: documents are about 20 KB, and each
#: write lets another thread of the run go first.
WRITE_BUFFER = 1 << 20
#: Write errors that every later write would meet too (the device is full or read-only):
#: the run stops at the first, rather than failing every document after it one by one.
DEVICE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def write_failure(name: str, e: OSError) -> Failure:
    """Why the input ``name`` has no output: its file could not be written."""
    return Failure(name, f"cannot write its output ({e.strerror or e}); "
                         "check the output folder's space and permissions")


# --- writing one file whole --------------------------------------------------------------


def dumps(d: dict, indent: int | None = 2) -> str:
    """A document's JSON text, as written to files (indented) and to JSONL (one line)."""
    return dump_bytes(d, indent).decode("utf-8", "surrogatepass")


def dump_bytes(d: dict, indent: int | None = 2) -> bytes:
    """`dumps` as UTF-8, written by orjson: two-space indents, or one line without spaces.
    A text orjson refuses (a lone surrogate, which no repaired text should hold) is
    written by the standard library in the same layout."""
    try:
        return orjson.dumps(d, option=orjson.OPT_INDENT_2 if indent else 0)
    except TypeError:
        text = json.dumps(d, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
        return text.encode("utf-8", "surrogatepass")


def _file_mode() -> int:
    """The permissions ``open`` gives a new file: ``0o666`` less the process's umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


#: The permissions of an output file (`temporary_file`), read once: the umask can only be
#: read by setting it, which is not safe once threads run.
FILE_MODE = _file_mode()


def temporary_file(path: Path, folder: Path) -> tuple[int, str]:
    """A new temporary file in ``folder`` for the file ``path`` will be once renamed, open
    for writing: its descriptor and its path. It has the permissions ``open`` would give
    ``path`` (`FILE_MODE`), not the owner-only ones of `tempfile.mkstemp`, so that the
    output can be read by whoever could read a file the user wrote."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    return fd, tmp


def write_atomic(path: Path, text: str | bytes, tmp_dir: Path | None = None) -> None:
    """Write a whole file or nothing: a temporary file (beside it, or in
    ``tmp_dir`` on the same file system), then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temporary_file(path, tmp_dir or path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


UNSAFE_PART = frozenset({"", ".", ".."})


def safe_relative(doc_id: str) -> str:
    """A document id as a relative path that stays inside the output folder.

    ``/`` separates folders; empty, ``.`` and ``..`` parts are dropped; NUL,
    control characters and ``\\`` become ``_``; a part longer than 200 bytes
    is cut. When anything had to change, a short hash of the id is added, so
    two different ids never end up at one path.

    >>> safe_relative("news/2020/a")
    'news/2020/a'
    >>> safe_relative("../../etc/passwd")
    'etc/passwd-830a08e2'
    """
    parts = []
    for part in doc_id.split("/"):
        if part in UNSAFE_PART:
            continue
        part = "".join("_" if ord(c) < 32 or c in "\\\x7f" else c for c in part)
        while len(part.encode("utf-8", "surrogatepass")) > 200:
            part = part[:-1]
        parts.append(part)
    safe = "/".join(parts) or "_"
    if safe != doc_id:
        safe += "-" + hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return safe


def tree_relative(input_id: str, record: str | None = None) -> str:
    """Where a document goes in a JSON tree: ``<input id>.json``, or for a JSONL
    document ``<file id>/<record>.json`` (``record``: `Record.name`), each part made
    safe by `safe_relative`."""
    folder = safe_relative(input_id)
    return f"{folder}.json" if record is None else f"{folder}/{safe_relative(record)}.json"

# --- the sinks: where results are written, in order ---------------------------------------


def shard_name(k: int, fmt: str) -> str:
    """The name of shard ``k`` of a sharded output: ``part-00000.jsonl``."""
    return f"part-{k:05d}.{fmt}"


class Sink:
    """Writes results in input order; `close` finishes the run's files."""

    #: Each document is a file of its own: one that cannot be written fails that document
    #: only. (A shard, a file or a stream that cannot be written stops the run.)
    per_document = False

    def put(self, result: Result) -> None:
        raise NotImplementedError

    def skip(self, index: int) -> None:
        """Input ``index`` gave no document."""

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class TreeSink(Sink):
    """The JSON tree's files, written through the temporary folder ``tmp`` (made when the
    first file is written): by each worker (`clean_batch`), or here for an engine whose
    workers do not write them."""

    per_document = True

    def __init__(self, out: Path, tmp: Path):
        self.out, self.tmp = out, tmp
        self.tmp_made = False

    def put(self, result: Result) -> None:
        if not self.tmp_made:
            self.tmp.mkdir(exist_ok=True)
            self.tmp_made = True
        write_atomic(self.out / result.path, result.output, self.tmp)


class StreamSink(Sink):
    """Standard output (or a caller's stream): each document as it comes, as bytes when
    the stream has a binary buffer."""

    def __init__(self, stream: IO[str]):
        stream.flush()  # what was written as text goes first; documents then go straight to the bytes
        self.stream = stream
        self.binary = getattr(stream, "buffer", None)

    def put(self, result: Result) -> None:
        if self.binary is not None:
            self.binary.write(result.output)
        else:
            self.stream.write(result.output.decode("utf-8", "surrogatepass"))

    def close(self) -> None:
        (self.binary or self.stream).flush()


class FileSink(Sink):
    """One output file (JSONL, gzipped or zstd-compressed JSONL, or Parquet), written whole
    at the end: a temporary file, then a rename."""

    def __init__(self, path: Path, tmp: Path, fmt: str = "jsonl", compression: str | None = None):
        self.path = path
        fd, self.tmp_path = temporary_file(path, tmp)
        self.raw = os.fdopen(fd, "wb", buffering=WRITE_BUFFER)
        if fmt == "parquet":
            self.raw.close()  # pyarrow writes the file through its own handle
            self.file: Any = ParquetShard(Path(self.tmp_path))
        elif compression == "gzip":
            import gzip

            self.file = gzip.GzipFile(filename="", fileobj=self.raw, mode="wb", mtime=0)  # the same bytes every run
        elif compression == "zstd":
            import zstandard

            self.file = zstandard.ZstdCompressor().stream_writer(self.raw, closefd=False)
        else:
            self.file = self.raw

    def put(self, result: Result) -> None:
        self.file.write(result.output)

    def close(self) -> None:
        self.file.close()
        self.raw.close()
        os.replace(self.tmp_path, self.path)

    def abort(self) -> None:
        try:
            self.file.close()
            self.raw.close()
        finally:
            Path(self.tmp_path).unlink(missing_ok=True)


class ShardSink(Sink):
    """Shards ``part-00000.<fmt>``: shard k holds the documents of inputs
    ``[k * size, (k + 1) * size)``. A shard is written to a temporary file and
    renamed when its last input is done, so a shard on disk is always whole."""

    def __init__(self, out: Path, tmp: Path, size: int, fmt: str):
        # Only looked up here: importing pyarrow starts threads, and the
        # workers are best forked before any (`cleaner.localengine.start_method`).
        if fmt == "parquet" and importlib.util.find_spec("pyarrow") is None:
            raise ImportError("--format parquet needs pyarrow: pip install 'cleaner[parquet]'")
        self.out, self.tmp, self.size, self.fmt = out, tmp, size, fmt
        self.current: int | None = None
        self.writer: Any = None
        #: Told of each shard before it is renamed into place (`cleaner.resume.ShardKeys.finished`).
        self.before_rename: Callable[[int], None] | None = None

    def _open(self, k: int) -> None:
        self.current = k
        self.tmp_path = self.tmp / (shard_name(k, self.fmt) + ".tmp")
        self.writer = (ParquetShard(self.tmp_path) if self.fmt == "parquet"
                       else self.tmp_path.open("wb", buffering=WRITE_BUFFER))

    def _finish(self) -> None:
        self.writer.close()
        if self.before_rename is not None:
            self.before_rename(self.current)
        os.replace(self.tmp_path, self.out / shard_name(self.current, self.fmt))
        self.current = None

    def skip(self, index: int) -> None:
        """Input ``index`` is done (failed, or written): finish the shard before it, open its own."""
        k = index // self.size
        if self.current != k:
            if self.current is not None:
                self._finish()
            self._open(k)

    def put(self, result: Result) -> None:
        self.skip(result.index)
        self.writer.write(result.output)

    def close(self) -> None:
        if self.current is not None:
            self._finish()

    def abort(self) -> None:
        if self.writer is not None and self.current is not None:
            self.writer.close()
            self.tmp_path.unlink(missing_ok=True)


class ParquetShard:
    """One Parquet file, written in row groups as documents come."""

    ROWS = 500

    def __init__(self, path: Path):
        self.path = path
        self.rows: list[dict] = []
        self.writer = None

    def write(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from .schema import parquet_schema

        schema = parquet_schema()
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, schema)
        self.writer.write_table(pa.Table.from_pylist(self.rows, schema=schema))
        self.rows = []

    def close(self) -> None:
        if self.rows or self.writer is None:
            self._flush()
        self.writer.close()



def make_sink(opts: Options, tmp: Path | None, stdout: IO[str]) -> Sink:
    """The sink of a run's output: ``stdout`` without one, else one file, shards or a JSON
    tree, written through the temporary folder ``tmp``."""
    if opts.output is None:
        return StreamSink(stdout)
    if opts.single_file:
        _, compression = output_file(opts.output)
        return FileSink(opts.output, tmp, opts.fmt, compression)
    if opts.sharded:
        return ShardSink(opts.output, tmp, opts.shard_size, opts.fmt)
    return TreeSink(opts.output, tmp)

