"""Inputs: finding them.

An input is a file (``.txt``, ``.html``, ``.htm`` or ``.jsonl``, each plain,
gzipped ``.gz`` or zstd-compressed ``.zst``), a folder (every such file below
it), a glob (``data/**/*.jsonl``), or ``-`` for stdin. A ``.jsonl`` file holds
one document a line; every other file is one document. Inputs are found
lazily, in sorted order, so a tree of any size is walked in flat memory.

A path that gives no input (missing, unlistable, a clashing id) becomes a `Failure`
with a reason; it never stops the run. Reading what is found is `cleaner.reading`'s job.
"""

from __future__ import annotations

import glob as globbing
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .records import Failure

#: Files picked up in a folder, and the format of each.
FORMATS = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
#: Compressions a file name may add after its format's suffix.
COMPRESSIONS = {".gz": "gzip", ".zst": "zstd"}
STDIN = "-"
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
#: beside a one-file output (`cleaner.outputdir.prepare_output`). Never walked for inputs.
TMP_DIR = ".cleaner-tmp"
#: The names of the files a run writes into its output folder beside the documents (its
#: shards, ``stats.json``, ``.cleaner-shards``, ``.cleaner-setup``: `cleaner.executor`), passed over there.
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

