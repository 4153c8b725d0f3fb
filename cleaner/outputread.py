"""Reading back the documents a run wrote, by id: a JSON tree (``<id>.json`` under a
folder), JSONL (one file, plain, ``.gz`` or ``.zst``, or a folder of shards
``part-00000.jsonl``) or Parquet (one file or a folder of shards).

`Output` keeps only where each document is (its file, and for plain JSONL the line's
offset), not the documents themselves, so an output of millions of documents is
indexed in little memory and each document is read when asked for; what cannot be
read again from an offset (a compressed file, Parquet) is held compressed. Used by ``clean
diff`` (`cleaner.diff`) to compare a run with an earlier one.

Every problem is a `ValueError` whose message names the path and says what to do.
"""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import orjson

from .batch import Input, compression_of
from .reading import open_stream
from .records import STATS_FILE

#: A document's id where `clean` writes it, first: ``{"id":"...",`` in a JSONL line,
#: ``{\n  "id": "...",`` in a JSON tree's file, which is indented.
LEADING_ID = re.compile(rb'\{\s*"id"\s*:\s*("(?:[^"\\]|\\.)*")\s*,')
#: How much of a tree's file is read for its id (a longer id: the file is read whole).
TREE_HEAD = 1024
JSONL = (".jsonl", ".jsonl.gz", ".jsonl.zst")
PARQUET = ".parquet"


def _shards(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.glob("part-*") if p.name.endswith(suffixes))


class Output:
    """The documents of one run's output, by id. A document whose id comes twice is the
    last one written; ``repeated`` counts the ids that come more than once."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        #: id -> (file, byte offset of its JSONL line, or -1 for a file of its own)
        self.where: dict[str, tuple[Path, int]] = {}
        #: id -> its JSON, compressed: what a compressed file or Parquet holds, which
        #: cannot be read again from an offset
        self.held: dict[str, bytes] = {}
        #: the ids that come more than once (two inputs that give the same id)
        self.repeated: set[str] = set()
        if not self.path.exists():
            raise ValueError(f"{self.path}: no such file or folder. Name the output folder or file of an earlier "
                             "`clean` run (a JSON tree, JSONL or Parquet).")
        if self.path.is_dir():
            shards = _shards(self.path, JSONL)
            if shards:
                for shard in shards:
                    self._index_jsonl(shard)
            elif parquet := _shards(self.path, (PARQUET,)):
                for shard in parquet:
                    self._index_parquet(shard)
            else:
                self._index_tree()
        elif self.path.name.endswith(JSONL):
            self._index_jsonl(self.path)
        elif self.path.name.endswith(PARQUET):
            self._index_parquet(self.path)
        else:
            raise ValueError(f"{self.path}: not an output `clean` writes. Name a folder (a JSON tree or shards), "
                             "or a .jsonl, .jsonl.gz, .jsonl.zst or .parquet file.")

    def _id(self, doc: dict, what: str) -> str:
        doc_id = doc.get("id")
        if not isinstance(doc_id, str):
            raise ValueError(f"{what}: no string `id`: this is not a document `clean` wrote.")
        return doc_id

    def _put(self, doc_id: str, into: dict, value) -> None:
        if doc_id in self.where or doc_id in self.held:
            self.repeated.add(doc_id)
            self.where.pop(doc_id, None)
            self.held.pop(doc_id, None)
        into[doc_id] = value

    def _index_tree(self) -> None:
        # by the id each file holds: a JSONL record with an id of its own has its place
        # under its file's folder (``<file id>/<id>.json``), and a path is made safe
        for p in sorted(self.path.rglob("*.json")):
            if p.parent == self.path and p.name == STATS_FILE:
                continue
            with open(p, "rb") as f:
                head = f.read(TREE_HEAD)
            doc_id = _id_of(head) or self._id(loads(p.read_bytes(), str(p)), str(p))
            self._put(doc_id, self.where, (p, -1))

    def _index_jsonl(self, path: Path) -> None:
        plain = compression_of(path.name) is None
        with open_stream(Input(path, path.name)) as f:  # decompressed as an input is
            offset = 0
            for no, line in enumerate(f, 1):
                if line.strip():
                    doc_id = _id_of(line) or self._id(loads(line, f"{path}, line {no}"), f"{path}, line {no}")
                    if plain:
                        self._put(doc_id, self.where, (path, offset))
                    else:
                        self._put(doc_id, self.held, zlib.compress(line, 1))
                offset += len(line)

    def _index_parquet(self, path: Path) -> None:
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise ValueError(f"{path}: reading Parquet needs pyarrow: pip install 'cleaner[parquet]'") from None
        for row in pq.read_table(path).to_pylist():
            doc_id = self._id(row, str(path))
            self._put(doc_id, self.held, zlib.compress(json.dumps(row, ensure_ascii=False).encode("utf-8"), 1))

    def __len__(self) -> int:
        return len(self.where) + len(self.held)

    def ids(self) -> list[str]:
        return [*self.where, *self.held]

    def raw(self, doc_id: str) -> bytes | None:
        """The JSON of the document with this id, as written, or None."""
        if doc_id in self.held:
            return zlib.decompress(self.held[doc_id])
        found = self.where.get(doc_id)
        if found is None:
            return None
        path, offset = found
        if offset < 0:
            return path.read_bytes()
        with open(path, "rb") as f:
            f.seek(offset)
            return f.readline()

    def get(self, doc_id: str) -> dict | None:
        """The document with this id, or None."""
        data = self.raw(doc_id)
        return None if data is None else loads(data, f"{self.path}: document {doc_id}")


def _id_of(line: bytes) -> str | None:
    """The id of a JSONL line that starts with it, as `clean` writes them, without
    reading the rest; None for any other line (which is then read whole)."""
    m = LEADING_ID.match(line)
    return json.loads(m.group(1)) if m else None


def loads(data: bytes, where: str) -> dict:
    """A document from its JSON (read by orjson, as `clean` writes it); a `ValueError`
    naming ``where`` if it is not one."""
    try:
        doc = orjson.loads(data)
    except ValueError as e:
        raise ValueError(f"{where}: not JSON ({e}): is this the output of a `clean` run?") from None
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: a JSON {type(doc).__name__}, not a document: is this the output of a `clean` run?")
    return doc
