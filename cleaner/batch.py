"""Inputs: finding them, reading them, and turning them into documents.

An input is a file (``.txt``, ``.html``, ``.htm`` or ``.jsonl``, each plain,
gzipped ``.gz`` or zstd-compressed ``.zst``), a folder (every such file below
it), a glob (``data/**/*.jsonl``), or ``-`` for stdin. A ``.jsonl`` file holds
one document a line; every other file is one document. Inputs are found
lazily, in sorted order, so a tree of any size is walked in flat memory.

A file that cannot be read or cleaned becomes a `Failure` with a reason; it
never stops the run and never costs another document its output.
"""

from __future__ import annotations

import glob as globbing
import hashlib
import io
import json
import os
import re
import stat
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator

import orjson

from .document import Document
from .pipeline import Cleaner

#: Files picked up in a folder, and the format of each.
FORMATS = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
#: Compressions a file name may add after its format's suffix.
COMPRESSIONS = {".gz": "gzip", ".zst": "zstd"}
STDIN = "-"
#: Bytes read from an input file at a time: a JSONL line is seldom longer, so reading one
#: rarely asks the system twice (each time letting another thread of the run go first).
READ_BUFFER = 1 << 20
GLOB_CHARS = frozenset("*?[")


def split_suffix(name: str) -> tuple[str, str | None]:
    """``"a/b.html.gz"`` -> ``("a/b", "html")``; a name with no known suffix -> ``(name, None)``."""
    lower = name.lower()
    for suffix, fmt in FORMATS.items():
        for full in (suffix, *(suffix + c for c in COMPRESSIONS)):
            if lower.endswith(full):
                return name[: -len(full)], fmt
    return name, None


def compression_of(name: str) -> str | None:
    """``"gzip"``, ``"zstd"`` or ``None``, from the file name."""
    return next((c for suffix, c in COMPRESSIONS.items() if name.lower().endswith(suffix)), None)


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
        """``"html"``, ``"jsonl"`` or ``"text"``, from the suffix."""
        return self.forced_format or split_suffix(self.relative)[1] or "text"

    @property
    def sniffed(self) -> bool:
        """Whether its format is told from its bytes (`sniff_format`): stdin, and a file
        named one by one whose name gives no format, unless a format was forced."""
        return self.forced_format is None and split_suffix(self.relative)[1] is None

    @property
    def compression(self) -> str | None:
        return None if self.path is None else compression_of(self.relative)

    @property
    def name(self) -> str:
        """How errors name this input: its path, or ``-``."""
        return str(self.path) if self.path is not None else STDIN


@dataclass(frozen=True)
class Failure:
    """An input that gave no document, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class Excluded:
    """The output of a run, which its inputs' folders and globs may hold (``clean data -o
    data/out``): never read as an input, or a second run would clean the first one's
    shards. Known by device and inode, so that any path to it is recognised; an output
    that is not there yet (a run makes it once it has found an input) by its path."""

    def __init__(self, output: Path | None):
        self.key: tuple[int, int] | None = None
        self.resolved: Path | None = None
        self.name: str | None = None
        if output is not None:
            self.resolved, self.name = output.resolve(), output.name
            try:
                st = os.stat(output)
            except OSError:  # not there yet
                return
            self.key = (st.st_dev, st.st_ino)

    def entry(self, entry: os.DirEntry) -> bool:
        """Is this folder entry the output? (A stat only when its inode matches, or, for an
        output made after the run began, its name.)"""
        if self.key is None:
            return entry.name == self.name and Path(entry.path).resolve() == self.resolved
        if entry.inode() != self.key[1]:
            return False
        try:
            return os.stat(entry.path, follow_symlinks=False).st_dev == self.key[0]
        except OSError:
            return False

    def holds(self, folder: Path) -> bool:
        """Is this folder the output itself (an input folder given as ``-o`` too)?"""
        if self.key is None:
            return False
        try:
            st = os.stat(folder)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self.key

    def match(self, path: Path, root_inside: bool) -> bool:
        """Is this match of a glob the output, or inside it? When the output holds the
        glob's root too (``root_inside``: ``clean 'data/**' -o data``), only the output's
        own files are (`OWN_FILE`)."""
        if not self.path(path):
            return False
        if not root_inside:
            return True
        return self.holds(path) or (self.holds(path.parent) and OWN_FILE.fullmatch(path.name) is not None)

    def path(self, path: Path) -> bool:
        """Is this path the output, or inside it?"""
        if self.resolved is None:
            return False
        try:
            return path.resolve().is_relative_to(self.resolved)
        except OSError:
            return False


NOTHING_EXCLUDED = Excluded(None)
#: A run's temporary folder: ``.cleaner-tmp`` in an output folder, ``.<name>.cleaner-tmp``
#: beside a one-file output (`cleaner.executor.prepare_output`). Never walked for inputs.
TMP_DIR = ".cleaner-tmp"
#: The names of the files a run writes into its output folder beside the documents (its
#: shards, ``stats.json``, ``.cleaner-shards``: `cleaner.executor`), passed over there.
OWN_FILE = re.compile(r"part-\d{5,}\.(?:jsonl|parquet)|stats\.json|\.cleaner-shards|\.cleaner-setup")


def skipped_kind(name: str) -> str:
    """How a file that is no input is counted in a run's summary: by its suffix, with the
    one before a compression's (``.pdf``, ``.csv.gz``, ``(no suffix)``).

    >>> skipped_kind("report.PDF"), skipped_kind("table.csv.gz"), skipped_kind("README")
    ('.pdf', '.csv.gz', '(no suffix)')
    """
    stem, dot, suffix = name.lower().rpartition(".")
    if not dot or not stem:
        return "(no suffix)"
    if "." + suffix in COMPRESSIONS and "." in stem.lstrip("."):
        return "." + stem.rpartition(".")[2] + "." + suffix
    return "." + suffix


def _walk(root: Path, folder: Path, failures: list[Failure], excluded: Excluded = NOTHING_EXCLUDED,
          skipped: Counter | None = None) -> Iterator[Input]:
    """Every input file below ``folder``, in the order of their relative paths.

    Entries are sorted by name with a ``/`` after folder names, which is the
    order of the full relative paths, so nothing but one folder's listing is
    ever held. Symbolic links to folders are not followed (no loops); two
    files of one folder that would get the same id (``a.txt``, ``a.html``)
    are reported: the first one wins. Files that are no input (``.pdf``) are
    counted in ``skipped`` by their suffix (`skipped_kind`).
    """
    try:
        with os.scandir(folder) as it:
            entries = []
            for e in it:
                try:
                    is_dir = e.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                entries.append((e.name + "/" if is_dir else e.name, e, is_dir))
    except OSError as e:
        failures.append(Failure(str(folder), f"cannot list this folder ({e.strerror}); check its permissions"))
        return
    entries.sort(key=lambda t: t[0])
    ids: dict[str, Path] = {}
    own = excluded.holds(folder)  # the output folder itself: its own files are no inputs
    for _, entry, is_dir in entries:
        if excluded.entry(entry) or (own and OWN_FILE.fullmatch(entry.name)):
            continue
        if is_dir:
            if not entry.name.endswith(TMP_DIR):  # a run's temporary folder, maybe a run going on now
                yield from _walk(root, Path(entry.path), failures, excluded, skipped)
            continue
        if split_suffix(entry.name)[1] is None:
            if skipped is not None:
                skipped[skipped_kind(entry.name)] += 1
            continue
        path = Path(entry.path)
        inp = Input(path, path.relative_to(root).as_posix())
        if inp.id in ids:
            failures.append(Failure(str(path), f"same id {inp.id!r} as {ids[inp.id]}; rename one of the two files"))
            continue
        ids[inp.id] = path
        yield inp


def _glob_root(pattern: str) -> Path:
    """The folder a glob's relative paths start from: its part before the first wildcard."""
    parts = Path(pattern).parts
    fixed = [p for p in parts[: next((i for i, p in enumerate(parts) if GLOB_CHARS & set(p)), len(parts))]]
    return Path(*fixed) if fixed else Path(".")


def iter_inputs(paths: Iterable[str], failures: list[Failure], output: Path | None = None,
                skipped: Counter | None = None, input_format: str | None = None) -> Iterator[Input]:
    """Expand files, folders, globs and ``-`` (stdin), lazily and in order.

    Problems (a path that does not exist, a folder that cannot be listed, two
    inputs with one id) are appended to ``failures``; the rest go on. Ids are
    checked for clashes across arguments only when more than one is given.
    The run's ``output`` (a folder, or a ``.jsonl`` file) is passed over where a
    folder or a glob holds it (`Excluded`). Files in folders that are no input
    are counted in ``skipped``, by suffix. ``input_format`` (``text``, ``html``,
    ``jsonl``) is the format of stdin and of files named one by one, whatever their
    names say; folders are always read by the files' suffixes.
    """
    paths = list(paths)
    excluded = Excluded(output)
    seen: dict[str, str] | None = {} if len(paths) > 1 else None

    def unique(inputs: Iterable[Input]) -> Iterator[Input]:
        for inp in inputs:
            if seen is not None:
                if inp.id in seen:
                    failures.append(Failure(inp.name, f"same id {inp.id!r} as {seen[inp.id]}; "
                                                      "clean the two in separate runs"))
                    continue
                seen[inp.id] = inp.name
            yield inp

    for arg in paths:
        if arg == STDIN:
            yield from unique([Input(None, "stdin", input_format)])
            continue
        p = Path(arg)
        if p.is_dir():
            yield from unique(_walk(p, p, failures, excluded, skipped))
        elif p.exists():
            yield from unique([Input(p, p.name, input_format)])
        elif GLOB_CHARS & set(arg):
            root = _glob_root(arg)
            matches = sorted(globbing.glob(arg, recursive=True))
            if not matches:
                failures.append(Failure(arg, "the pattern matches no file; check it"))
            root_inside = excluded.path(root)  # once per glob, not per match
            for m in matches:
                mp = Path(m)
                if excluded.match(mp, root_inside):
                    continue
                if mp.is_dir():
                    yield from unique(_walk(mp, mp, failures, excluded, skipped))
                elif split_suffix(mp.name)[1] is not None or mp.is_file():
                    yield from unique([Input(mp, mp.relative_to(root).as_posix())])
        else:
            failures.append(Failure(arg, "no such file or folder; check the path"))


def find_inputs(paths: Iterable[str]) -> tuple[list[Input], list[Failure]]:
    """`iter_inputs`, all at once: the inputs, and the problems met finding them."""
    failures: list[Failure] = []
    inputs = list(iter_inputs(paths, failures))
    return inputs, failures


# --- reading ---------------------------------------------------------------------


class TooLarge(ValueError):
    """An input, or what it inflates to, is over the size limit."""


def _too_large(what: str, limit: int) -> TooLarge:
    return TooLarge(f"{what} over the size limit of {limit:,} bytes; split it, or raise --max-file-bytes")


def open_regular(path: Path) -> IO[bytes]:
    """A regular file, opened for reading. Anything else (a named pipe, whose opening
    would wait for a writer forever, a socket, a device) raises `ValueError` saying so."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file (a named pipe, socket or device); leave it out of the input")
        os.set_blocking(fd, True)
        return open(fd, "rb", buffering=READ_BUFFER)
    except BaseException:
        os.close(fd)
        raise


def open_stream(inp: Input, stdin: IO[bytes] | None = None) -> IO[bytes]:
    """The input's bytes as a stream, decompressed (zstd here; gzip here for
    ``.jsonl`` only, since single documents are inflated by the decode stage)."""
    if inp.path is None:
        return stdin or sys.stdin.buffer
    raw = open_regular(inp.path)
    if inp.compression == "zstd":
        import zstandard

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True))
    if inp.compression == "gzip" and inp.format == "jsonl":
        import gzip

        return gzip.GzipFile(fileobj=raw, mode="rb")
    return raw


def read_input(inp: Input, max_bytes: int, stdin: IO[bytes] | None = None) -> bytes:
    """The bytes of a one-document input; raises `OSError` or `ValueError` with a reason."""
    if inp.path is not None and inp.compression is None:
        size = inp.path.stat().st_size
        if size > max_bytes:
            raise _too_large(f"file too large ({size:,} bytes),", max_bytes)
    stream = open_stream(inp, stdin)
    try:
        data = stream.read(max_bytes + 1)
    except Exception as e:  # zstd raises its own error type for broken data
        if isinstance(e, OSError) and e.errno is not None:
            raise
        raise ValueError(f"broken compressed data ({e}); re-compress the file or give it uncompressed") from None
    finally:
        if stream is not stdin and stream is not sys.stdin.buffer:
            stream.close()
    if len(data) > max_bytes:
        raise _too_large("input (or what it inflates to)", max_bytes)
    return data


#: The start of an HTML page: a doctype or one of the tags a page opens with, after
#: white space, a byte-order mark or comments.
HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                        re.IGNORECASE | re.DOTALL)
#: How much of an input is read to tell its format.
SNIFF_BYTES = 1 << 16


def sniff_format(data: bytes) -> str:
    """``"html"`` when ``data`` starts like a web page, else ``"text"``; gzip data is
    left to the decode stage (text).

    >>> sniff_format(b"  <!DOCTYPE html><html><body><p>Hi</p>"), sniff_format(b"<p>is a fragment</p>")
    ('html', 'text')
    >>> sniff_format(b"<!-- saved --><html lang=en>"), sniff_format(b"Leave a Reply")
    ('html', 'text')
    """
    return "html" if HTML_START.match(data[:SNIFF_BYTES]) else "text"


def sniff_stream(stream: IO[bytes]) -> tuple[str, IO[bytes]]:
    """The format of a stream read once (stdin): ``jsonl`` when its first line is a JSON
    object, else `sniff_format` of its start; and a stream that gives all its bytes,
    the ones read to tell included."""
    head = stream.read(SNIFF_BYTES)
    first = head.split(b"\n", 1)[0].strip()
    fmt = "text"
    if first.startswith(b"{"):
        try:
            fmt = "jsonl" if isinstance(json.loads(first), dict) else "text"
        except (ValueError, UnicodeDecodeError):
            fmt = "text"  # a line too long to be read whole here is read as text
    if fmt == "text":
        fmt = sniff_format(head)
    return fmt, io.BufferedReader(_Prefixed(head, stream))


class _Prefixed(io.RawIOBase):
    """``head``, then the rest of ``stream``: a stream whose start was read already."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self.head, self.stream = memoryview(head), stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def read_error(e: Exception) -> str:
    """The reason a read failed, as a sentence."""
    if isinstance(e, OSError) and e.strerror:
        return f"cannot read it ({e.strerror}); check that it exists and is readable"
    return str(e) if isinstance(e, ValueError) else f"cannot read it ({type(e).__name__}: {e})"


def iter_lines(inp: Input, max_bytes: int, stdin: IO[bytes] | None = None) -> Iterator[tuple[int, bytes | Exception]]:
    """The lines of a JSONL input, numbered from 1, without their line ends.

    A line longer than ``max_bytes`` comes as a `TooLarge` error in its place
    (the reading goes on after it); a read error ends the file with the error.
    """
    try:
        stream = open_stream(inp, stdin)
    except (OSError, ValueError) as e:
        yield 0, e
        return
    no = 0
    try:
        while True:
            try:
                line = stream.readline(max_bytes + 1)
            except Exception as e:
                yield no + 1, e if isinstance(e, OSError) else ValueError(
                    f"broken compressed data ({e}); re-compress the file or give it uncompressed")
                return
            if not line:
                return
            no += 1
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):
                    line = stream.readline(1 << 20)
                yield no, _too_large("line", max_bytes)
                continue
            yield no, line.rstrip(b"\r\n")
    finally:
        if stream is not stdin and stream is not sys.stdin.buffer:
            stream.close()


@dataclass(frozen=True)
class Record:
    """One document of a JSONL input: where it is, and its text."""

    id: str
    source: str
    text: str
    #: Its name inside its file's folder of a JSON tree: its own id, or without one its
    #: line number (its id, ``<file id>/<line number>``, names the folder already).
    name: str = ""


def parse_record(line: bytes, inp: Input, no: int, text_field: str = "text", id_field: str = "id") -> Record:
    """A JSONL line as a `Record`; raises `ValueError` saying what is wrong with it.

    The id is the ``id_field`` value (a string or a number), else
    ``<file id>/<line number>``.
    """
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"not valid JSON ({e}); fix or remove the line") from None
    if not isinstance(obj, dict):
        raise ValueError(f"a JSON {type(obj).__name__}, not an object; each line must be one document")
    text = obj.get(text_field)
    if text is None and text_field in obj:
        raise ValueError(f"its {text_field!r} field is null: there is no text to clean")
    if text is None and "body" in obj and "removed" in obj:
        raise ValueError(f"a document clean wrote (a body, no {text_field!r}); leave cleaned output out of the inputs")
    if not isinstance(text, str):
        what = "no" if text is None else f"a non-string ({type(text).__name__})"
        raise ValueError(f"{what} {text_field!r} field; name the text field with --text-field")
    raw_id = obj.get(id_field)
    source = f"{inp.relative if inp.path is not None else STDIN}:{no}"
    if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id):
        return Record(str(raw_id), source, text, str(raw_id))
    return Record(f"{inp.id}/{no}", source, text, str(no))


# --- cleaning --------------------------------------------------------------------


def clean_inputs(cleaner: Cleaner, inputs: Iterable[Input], stdin: IO[bytes] | None = None
                 ) -> Iterator[tuple[Input, Document | Failure]]:
    """Clean each one-document input in order: a `Document`, or a `Failure` saying why not.

    (JSONL inputs and parallel runs go through `cleaner.executor`.)
    """
    for inp in inputs:
        source = inp.relative if inp.path is not None else STDIN
        try:
            raw = read_input(inp, cleaner.config.max_file_bytes, stdin)
        except (OSError, ValueError) as e:
            yield inp, Failure(inp.name, read_error(e))
            continue
        doc = cleaner.clean_bytes(raw, id=inp.id, source=source, format=inp.format)
        yield inp, Failure(inp.name, doc.rejected) if doc.rejected else doc


# --- writing ---------------------------------------------------------------------


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


def to_json(doc: Document, indent: int | None = 2) -> str:
    return dumps(doc.to_dict(), indent)


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
