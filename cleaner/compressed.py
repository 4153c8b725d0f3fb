"""Compressed inputs read whole or not at all: every frame or member, and an error for a
file cut short.

A ``.zst`` file may hold several frames (``zstd`` writes one per input it is given, and
files are concatenated), and a ``.gz`` file several members; a file cut short (a copy
that stopped, a download that failed) decompresses to a prefix of its text without a
word from the libraries' plain readers. `ZstdFrames` and `gunzip` read every frame or
member and raise `Truncated` where the data ends inside one, so that a cut file fails
with that reason instead of giving a document its first half.
"""

from __future__ import annotations

import io
import zlib
from typing import IO

#: How much compressed data is read at a time, and fed to the decompressor at a time.
CHUNK = 1 << 16
FEED = 1 << 9
#: What a gzip member starts with, and a zstd frame.
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class Truncated(ValueError):
    """Compressed data that ends inside a frame or member."""


def truncated(kind: str, part: str) -> Truncated:
    return Truncated(f"cut short: its {kind} data ends inside a {part}; copy or download the file again, or give "
                     "it uncompressed")


class ZstdFrames(io.RawIOBase):
    """The decompressed bytes of a zstd stream, frame after frame; `Truncated` at its end
    when the last frame is not whole. The data is fed to the decompressor `FEED` bytes at
    a time, so that what one call inflates to stays small even for a bomb (a few bytes
    of zstd can stand for 128 KiB)."""

    def __init__(self, raw: IO[bytes]):
        import zstandard

        self.raw = raw
        self.new = zstandard.ZstdDecompressor().decompressobj
        self.frame = self.new()
        self.started = False  # whether the current frame has had any input
        self.input = memoryview(b"")  # read, not yet fed
        self.pending = memoryview(b"")  # decompressed, not yet given

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.pending:
            out: list[bytes] = []
            size = 0
            while size < len(buffer):
                if not self.input:
                    data = self.raw.read(CHUNK)
                    if not data:
                        # cut short: what was decompressed is given first, the error after it
                        if self.started and not self.frame.eof and not size:
                            raise truncated("zstd", "frame")
                        break
                    self.input = memoryview(data)
                piece, self.input = self.input[:FEED], self.input[FEED:]
                out.append(self._feed(bytes(piece)))
                size += len(out[-1])
            self.pending = memoryview(b"".join(out))
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n

    def _feed(self, data: bytes) -> bytes:
        """What ``data`` decompresses to, across the frames it holds the ends of."""
        out = []
        while data:
            if self.frame.eof:  # the next frame
                self.frame, self.started = self.new(), False
            self.started = True
            out.append(self.frame.decompress(data))
            data = self.frame.unused_data if self.frame.eof else b""
        return b"".join(out)

    def close(self) -> None:
        self.raw.close()
        super().close()


def gunzip(raw: bytes, limit: int) -> bytes:
    """Every member of gzip data, inflated; `Truncated` for data cut short, `ValueError`
    for data past ``limit`` bytes inflated (a gzip bomb) or that is not gzip. What
    follows the last member that is not one (zeros a tape or a copy left) is let go, as
    ``gzip -d`` lets it go."""
    out = bytearray()
    data = raw
    while True:
        member = zlib.decompressobj(wbits=31)
        try:
            out += member.decompress(data, limit + 1 - len(out))
        except zlib.error as e:
            raise ValueError(f"broken gzip data ({e}); re-compress the file or give it uncompressed") from None
        if len(out) > limit:
            raise ValueError(f"gzip data inflates past the size limit ({limit:,} bytes); raise --max-file-bytes if "
                             "it is genuine")
        if not member.eof:
            raise truncated("gzip", "member")
        data = member.unused_data
        if not data.startswith(GZIP_MAGIC):
            return bytes(out)


def unzstd(raw: bytes, limit: int) -> bytes:
    """Every frame of zstd data, decompressed; `Truncated` for data cut short, `ValueError`
    for data past ``limit`` bytes decompressed or that is not zstd."""
    import zstandard

    try:
        with io.BufferedReader(ZstdFrames(io.BytesIO(raw))) as stream:
            out = stream.read(limit + 1)
    except zstandard.ZstdError as e:
        raise ValueError(f"broken zstd data ({e}); re-compress the file or give it uncompressed") from None
    if len(out) > limit:
        raise ValueError(f"zstd data decompresses past the size limit ({limit:,} bytes); raise --max-file-bytes if "
                         "it is genuine")
    return out


def decompressed(raw: bytes, limit: int) -> bytes:
    """``raw`` decompressed when it is gzip or zstd data (told by its first bytes: from
    stdin, or a file not named for it), else as it is; `gunzip` and `unzstd` say what
    can go wrong."""
    if raw[:2] == GZIP_MAGIC:
        return gunzip(raw, limit)
    if raw[:4] == ZSTD_MAGIC:
        return unzstd(raw, limit)
    return raw
