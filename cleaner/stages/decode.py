"""Stage 1, decode: bytes to text.

Gzip data is inflated first (within the size limit). UTF-8 (with or without BOM) and UTF-16/UTF-32 with a BOM are read as such;
anything else is detected by charset-normalizer (see `detect`). A file with NUL bytes and no
UTF-16/32 BOM is binary and is rejected with that reason; so is an empty file
and one whose encoding cannot be told.
"""

from __future__ import annotations

import codecs
import zlib

from ..document import Document
from ..engine import Context

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


GZIP_MAGIC = b"\x1f\x8b"


def gunzip(raw: bytes, limit: int) -> tuple[bytes, str | None]:
    """Inflate gzip data, refusing to go past ``limit`` bytes (a gzip bomb)."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error as e:
        return b"", f"broken gzip data ({e}); re-compress the file or give it uncompressed"
    if len(out) > limit:
        return b"", f"gzip data inflates past the size limit ({limit:,} bytes); raise --max-file-bytes if it is genuine"
    return out, None


def detect(raw: bytes):
    """charset-normalizer's best guess; between equally good guesses, windows-1252.

    Short Western European texts fit cp1250, cp1252 and cp1257 equally well
    (same chaos, same coherence); windows-1252 is by far the most common on the
    web (it is the WHATWG default for Latin-script pages), so it wins ties. A
    text that only cp1250 fits (Czech, Polish...) is still read as cp1250.
    """
    from charset_normalizer import from_bytes  # imported on the first text that is not UTF-8

    results = from_bytes(raw)
    best = results.best()
    if best is None:
        return None
    ties = [m for m in results if m.chaos == best.chaos and m.coherence == best.coherence]
    return next((m for m in ties if "cp1252" in m.could_be_from_charset), best)


def decode(doc: Document, ctx: Context) -> Document:
    raw = doc.raw
    if raw is None:  # the caller gave text, not bytes
        return doc
    if len(raw) > ctx.config.max_file_bytes:
        return doc.reject(
            f"file too large ({len(raw):,} bytes, limit {ctx.config.max_file_bytes:,}); "
            f"split it, or raise --max-file-bytes"
        )
    if raw[:2] == GZIP_MAGIC:
        raw, problem = gunzip(raw, ctx.config.max_file_bytes)
        if problem:
            return doc.reject(problem)
    encoding = next((name for bom, name in BOMS if raw.startswith(bom)), None)
    if encoding is None:
        nul = raw.find(b"\x00")
        if nul >= 0:
            return doc.reject(f"binary file: it holds NUL bytes (the first at byte {nul}), so it is not text; leave it out of the input")
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            best = detect(raw)
            if best is None:
                return doc.reject("cannot tell the text encoding: the bytes fit no known encoding; convert the file to UTF-8")
            text, encoding = str(best), best.encoding
    else:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as e:
            return doc.reject(f"the file starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} ({e.reason} at byte {e.start}); re-encode it")
    if not text.strip():
        return doc.reject("empty: the file holds no text" if not text else "empty: the file holds only white space")
    return doc.changed(raw=None, text=text, encoding=encoding)
