"""Reading an input: its bytes, its lines, its JSONL records, its format told from
its first bytes; and a record's text cleaned as a page or a text (`clean_string`).

Every problem is an `OSError` or a `ValueError` whose `read_error` is a sentence
saying what is wrong and what to do; finding the inputs is `cleaner.batch`'s job.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from .batch import STDIN, Input
from .compressed import Truncated, ZstdFrames, truncated
from .document import Document
from .pipeline import Cleaner, page_bytes

#: Bytes read from an input file at a time: a JSONL line is seldom longer, so reading one
#: rarely asks the system twice (each time letting another thread of the run go first).
READ_BUFFER = 1 << 20


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
    ``.jsonl`` only, since single documents are inflated by the decode stage), every
    frame or member of it: one cut short raises (`cleaner.compressed`)."""
    if inp.path is None:
        return stdin or sys.stdin.buffer
    raw = open_regular(inp.path)
    if inp.compression == "zstd":
        return io.BufferedReader(ZstdFrames(raw), READ_BUFFER)  # every frame; a file cut short raises
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
        if isinstance(e, OSError) and e.errno is not None or isinstance(e, Truncated):
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
#: The UTF-8 byte-order mark, which JSON allows at the start of a text.
BOM_UTF8 = b"\xef\xbb\xbf"
#: The start of a JSON object and its first key: a line too long to be parsed when its
#: format is told is a JSONL record when it starts so.
JSON_OBJECT_START = re.compile(rb'\{\s*"(?:[^"\\]|\\.){0,200}"\s*:')


def sniff_format(data: bytes) -> str:
    """``"html"`` when ``data`` (decompressed: `cleaner.compressed.decompressed`) starts
    like a web page, else ``"text"``.

    >>> sniff_format(b"  <!DOCTYPE html><html><body><p>Hi</p>"), sniff_format(b"<p>is a fragment</p>")
    ('html', 'text')
    >>> sniff_format(b"<!-- saved --><html lang=en>"), sniff_format(b"Leave a Reply")
    ('html', 'text')
    """
    return "html" if HTML_START.match(data[:SNIFF_BYTES]) else "text"


def clean_string(cleaner: Cleaner, text: str, id: str, source: str = "-",
                 timings: dict[str, float] | None = None) -> Document:
    """A text as a record of a dataset holds it (a JSONL line's text field, a column of a
    pipeline's batch), cleaned: as a web page when it starts like one (`sniff_format`),
    its article extracted as a page file's is; else as text. A lone surrogate (JSON lets
    ``\\ud800`` through) is replaced by U+FFFD, and in a text recorded in ``repairs``."""
    start = text[:SNIFF_BYTES]
    if start.lstrip()[:1] in ("<", "\ufeff") and sniff_format(start.encode("utf-8", "surrogatepass")) == "html":
        return cleaner.clean_bytes(page_bytes(text), id=id, source=source, format="html", timings=timings)
    return cleaner.clean_text(text, id=id, source=source, timings=timings)


def sniff_stream(stream: IO[bytes]) -> tuple[str, IO[bytes]]:
    """The format of a stream read once (stdin): ``jsonl`` when its first line is a JSON
    object, else `sniff_format` of its start; and a stream that gives all its bytes,
    the ones read to tell included."""
    head = stream.read(SNIFF_BYTES)
    first, *rest = head.split(b"\n", 1)
    first = first.strip().removeprefix(BOM_UTF8)
    fmt = "text"
    if first.startswith(b"{"):
        try:
            fmt = "jsonl" if isinstance(json.loads(first), dict) else "text"
        except (ValueError, UnicodeDecodeError):
            # a first line longer than what is read here (a record holding a page): an
            # object's first key says it is one
            fmt = "jsonl" if not rest and JSON_OBJECT_START.match(first) else "text"
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
                if isinstance(e, EOFError):  # gzip's word for a member cut short
                    e = truncated("gzip", "member")
                yield no + 1, e if isinstance(e, (OSError, Truncated)) else ValueError(
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
    #: Its other fields (not the text, not the id), as they were: the document's ``record``.
    fields: dict = field(default_factory=dict)

    def url(self) -> str | None:
        """Its ``url`` field, when it has one that is a string: the document's ``url``
        when the text itself does not give one (a page's canonical link)."""
        url = self.fields.get("url")
        return url.strip() or None if isinstance(url, str) else None


def parse_record(line: bytes, inp: Input, no: int, text_field: str = "text", id_field: str = "id") -> Record:
    """A JSONL line as a `Record`; raises `ValueError` saying what is wrong with it.

    The id is the ``id_field`` value (a string or a number), else
    ``<file id>/<line number>``; the other fields are kept as they are (`Record.fields`).
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
    fields = {k: v for k, v in obj.items() if k != text_field and k != id_field}
    if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id):
        return Record(str(raw_id), source, text, str(raw_id), fields)
    return Record(f"{inp.id}/{no}", source, text, str(no), fields)
