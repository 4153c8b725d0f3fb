"""Resuming: what an earlier run into the same output already wrote, and may be kept.

Every output file is written whole or not at all, so a rerun can skip what is there:
a document's ``<id>.json`` in a JSON tree, written after the tree's cleaner was last
changed (`tree_fresh_since`, `is_done`) and after its input last changed
(`input_changed`); a whole shard (``part-00000.jsonl``) in the sharded formats, whose
documents are the inputs numbered ``[k * shard_size, (k + 1) * shard_size)``, when its
key says it was made from the very inputs this run would put in it (`ShardKeys`,
`verified`). ``force`` redoes everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .plan import Item
from .records import Options
from .sinks import write_atomic

#: What each shard of a sharded output was made from (`ShardKeys`), beside the shards.
SHARDS_FILE = ".cleaner-shards"  # JSON lines; no input suffix, so that no folder walk reads it
SETUP_FILE = ".cleaner-setup"  # the fingerprint of the cleaner that writes a JSON tree (`tree_fresh_since`)


def shards_on_disk(opts: Options) -> set[int]:
    """The numbers of the shards an earlier run left in the output folder (none with
    ``force``, or when the output is not sharded)."""
    done: set[int] = set()
    if opts.sharded and not opts.force:
        for p in opts.output.glob(f"part-*.{opts.fmt}"):
            try:
                done.add(int(p.name[5:].split(".")[0]))
            except ValueError:
                continue
    return done


def is_done(item: Item, opts: Options, path: str | None = None, since: int = 0, changed: int | None = None) -> bool:
    """Whether an earlier run already wrote this item's document in the JSON tree (``path``:
    its `tree_path`), after ``since`` (nanoseconds, the file system's clock): what a cleaner
    of another fingerprint wrote before is not done (`tree_fresh_since`), nor one written
    before its input last changed (``changed``, when the caller knows it: `input_changed`).
    A file written within the same tick of a coarse clock is written again, which costs
    only time. Shards are checked whole (`ShardKeys`)."""
    if opts.force or opts.output is None or opts.sharded or path is None:
        return False
    try:
        written = (opts.output / path).stat().st_mtime_ns
    except OSError:
        return False
    # an input changed since its document was written (a page fetched again) is cleaned again
    return written > since and written > (input_changed(item.input.path) if changed is None else changed)


def input_changed(path: Path | None) -> int:
    """When the input at ``path`` last changed (the file system's clock, in nanoseconds); 0
    for stdin, and the latest time for a file that cannot be read (its document is tried
    again, and fails with the reason). An input dated in the future is cleaned again on
    every run, which costs only time."""
    if path is None:
        return 0
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 1 << 62


def tree_fresh_since(opts: Options, fingerprint: str) -> int:
    """From when on (the file system's clock, in nanoseconds) the files of a JSON tree were
    written by a cleaner of this fingerprint (`Cleaner.fingerprint`): the time `SETUP_FILE`
    was last written, which happens when it names another cleaner, or none. A document
    written before then came from other rules, settings or code, and is written again."""
    if opts.fmt != "json" or opts.output is None:
        return 0
    marker = opts.output / SETUP_FILE
    try:
        if marker.read_text(encoding="utf-8").strip() == fingerprint:
            return marker.stat().st_mtime_ns
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(marker, fingerprint + "\n")
    return marker.stat().st_mtime_ns


def item_key(item: Item) -> bytes:
    """What a shard's key (`ShardKeys`) reads of one of its items: the input's path as
    given, the JSONL line number, and that line's length and CRC-32; for a file of one
    document, its size and when it last changed, so that a file changed since is cleaned
    again."""
    if item.line and item.data is not None:
        what = f"{len(item.data)}:{zlib.crc32(item.data)}"
    elif item.input.path is not None:
        try:
            st = item.input.path.stat()
            what = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            what = "unreadable"
    else:
        what = ""
    return f"{item.input.name}\0{item.line}\0{what}\n".encode("utf-8", "surrogateescape")


class ShardKeys:
    """Which shards of an earlier run into the same folder hold what this run would put
    in them. Shard k holds the documents of inputs ``[k * size, (k + 1) * size)`` of the
    run that wrote it; a later run with other inputs, or with files added to its
    folders, would put other documents there. Each shard's key, a hash of what its
    items are (`item_key`), is kept in `SHARDS_FILE`, with the options that shape the
    shards and the cleaner's fingerprint (its first line; `Cleaner.fingerprint`: other
    rules, settings or code write every shard again): a line ``{"shard": k, "key": ...}``
    is appended before the shard is renamed into place, so that a key is never missing
    for a shard on disk. A
    shard on disk is taken as done only when the key this run computes for it is the
    one recorded last, and is written again otherwise (without a key too). The file is
    written anew, with the keys of the shards on disk only, when a run starts.
    """

    def __init__(self, opts: Options, on_disk: set[int], setup: str = ""):
        self.layout = {"format": opts.fmt, "shard_size": opts.shard_size, "text_field": opts.text_field,
                       "id_field": opts.id_field, "setup": setup}
        self.keys: dict[int, str] = {}  # of the shards on disk, as recorded
        self.planned: dict[int, str] = {}  # of this run's shards to write, as planned
        self.fd: int | None = None
        if not opts.sharded:
            return
        path = opts.output / SHARDS_FILE
        if not opts.force:
            self.keys = {k: v for k, v in self._read(path).items() if k in on_disk}
        lines = [json.dumps({"layout": self.layout})] + [json.dumps({"shard": k, "key": v})
                                                          for k, v in sorted(self.keys.items())]
        write_atomic(path, "\n".join(lines) + "\n")
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND)

    def _read(self, path: Path) -> dict[int, str]:
        """The last key recorded for each shard, if the file is of this layout. A line cut
        short (a run killed while appending it) is passed over."""
        keys: dict[int, str] = {}
        try:
            with path.open("rb") as f:
                if json.loads(f.readline()).get("layout") != self.layout:
                    return {}
                for line in f:
                    try:
                        entry = json.loads(line)
                        keys[int(entry["shard"])] = str(entry["key"])
                    except (ValueError, KeyError, TypeError):
                        continue
        except (OSError, ValueError, AttributeError):
            return {}
        return keys

    def plan(self, k: int, key: str, check: bool = True) -> bool:
        """Shard ``k`` has this key: is it done already? (Without ``check``, it is written
        again whatever an earlier run left.)"""
        if check and self.keys.get(k) == key:
            return True
        self.planned[k] = key
        return False

    def finished(self, k: int) -> None:
        """Shard ``k`` is about to be renamed into place: its key is recorded first."""
        key = self.planned.pop(k, None)
        if self.fd is None or key is None:
            return
        os.write(self.fd, (json.dumps({"shard": k, "key": key}) + "\n").encode())

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


#: How many bytes of JSONL lines `verified` holds back while it plans a shard; a shard
#: with more is written again on a rerun rather than held (memory stays bounded).
HOLD_BYTES = 64 * 2**20


def verified(items: Iterable[Item], opts: Options, keys: ShardKeys, resumed: Callable[[int], None]) -> Iterator[Item]:
    """``items``, but those of the shards an earlier run wrote from the same items
    (`ShardKeys`), which are counted by ``resumed``. A shard's items are held until its
    last one is planned, up to `HOLD_BYTES` of JSONL lines: past that, they go on
    without being checked, and the shard is written again."""
    k, held, size, hasher, letting_go = -1, [], 0, None, False
    for item in items:
        shard = item.index // opts.shard_size
        if shard != k:
            if hasher is not None:
                yield from _unless_done(k, held, hasher, letting_go, keys, resumed)
            k, held, size, hasher, letting_go = shard, [], 0, hashlib.blake2b(digest_size=16), False
        hasher.update(item_key(item))
        if letting_go:
            yield item
            continue
        held.append(item)
        size += len(item.data or b"")
        if size > HOLD_BYTES:
            yield from held
            held, letting_go = [], True
    if hasher is not None:
        yield from _unless_done(k, held, hasher, letting_go, keys, resumed)


def _unless_done(k: int, held: list[Item], hasher, let_go: bool, keys: ShardKeys,
                 resumed: Callable[[int], None]) -> list[Item]:
    """The held items of shard ``k``, or none when it is done (``let_go``: its items went on
    unchecked, and it is written again)."""
    if keys.plan(k, hasher.hexdigest(), check=not let_go):
        resumed(len(held))
        return []
    return held
