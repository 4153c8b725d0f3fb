"""Golden files: the expected document for every seed, checked on every test run.

``golden/<id>.json`` holds what cleaning ``seeds/<id>.txt`` must give: each file's
document where ``clean seeds -o out`` puts it (a JSONL file's records under
``<file id>/``). `check` re-cleans the seeds in memory and compares: a changed
document, a seed with no golden file and a golden file with no seed are all
differences, and each is shown as a readable diff of the body and of the rules'
removals; `rule_changes` sums up, rule by rule, what they take out before and after.
Only `init` (a new golden folder) and `update` write golden files.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from .batch import find_inputs
from .pipeline import Cleaner
from .document import Document
from .plan import Item, iter_items
from .reading import read_error
from .records import Failure, Options
from .rulecounts import RuleChange, rule_changes, span_key
from .sinks import dumps, write_atomic
from .worker import clean_document

#: How the golden files are read and named: a JSON tree's paths, a JSONL record's text in "text".
TREE = Options(fmt="json")


@dataclass(frozen=True)
class Difference:
    id: str
    kind: str  # "changed", "missing", "orphaned", "failed"
    detail: str

    def __str__(self) -> str:
        return self.detail


class GoldenExists(FileExistsError):
    """`init` was given a golden folder that already holds golden files."""

    def __init__(self, golden: Path, count: int):
        self.golden, self.count = golden, count
        super().__init__(f"{golden}/ already holds {count} golden file{'s' * (count != 1)}; "
                         "rewrite them with `update`, or name another golden folder")


def current(seeds: Path, cleaner: Cleaner) -> tuple[dict[str, dict], list[Failure]]:
    """Every seed cleaned now, as output dictionaries by golden name: where a JSON tree
    (``clean SEEDS -o out``) puts its document, without ``.json`` (a file's id; for each
    record of a JSONL file ``<file id>/<its id or line number>``). Two records that would
    share a golden file are a failure, as in a run."""
    failures: list[Failure] = []
    docs: dict[str, dict] = {}
    for name, item, doc in documents(seeds, cleaner, failures):
        if doc.rejected:
            failures.append(Failure(item.name, doc.rejected))
        elif name in docs:
            failures.append(Failure(item.name, f"its golden file {name}.json is another input's too; give each "
                                               "record its own id"))
        else:
            docs[name] = doc.to_dict()
    return docs, failures


def documents(seeds: Path, cleaner: Cleaner, failures: list[Failure]) -> Iterator[tuple[str, Item, Document]]:
    """Each seed's document, by its golden name (`current`), with the input it came from:
    one for each file, one for each record of a JSONL file. An input that cannot be read
    is added to ``failures``."""
    for item in iter_items([str(seeds)], TREE, failures, cleaner.config.max_file_bytes):
        if item.error:
            failures.append(Failure(item.name, item.error))
            continue
        try:
            doc, _, path = clean_document(cleaner, item, TREE)
        except (OSError, ValueError) as e:
            failures.append(Failure(item.name, read_error(e)))
            continue
        yield (path or "").removesuffix(".json"), item, doc


def stored(golden: Path) -> dict[str, dict]:
    if not golden.is_dir():
        return {}
    out = {}
    for p in sorted(golden.rglob("*.json")):
        out[p.relative_to(golden).with_suffix("").as_posix()] = json.loads(p.read_text(encoding="utf-8"))
    return out


def check(seeds: Path, golden: Path, cleaner: Cleaner, update: str = "clean golden update") -> list[Difference]:
    """Every difference between the seeds cleaned now and ``golden/``; empty when they agree.
    ``update`` is the command that rewrites them, as the hints name it."""
    return compare(seeds, golden, cleaner, update)[0]


def compare(seeds: Path, golden: Path, cleaner: Cleaner, update: str = "clean golden update"
            ) -> tuple[list[Difference], list[RuleChange]]:
    """`check`'s differences, and what each rule takes out now against what it takes out in
    ``golden/`` (`rule_changes`). While a seed fails to clean, the net change covers only the
    documents on both sides: its golden file is no change a reviewer should weigh."""
    now, failures = current(seeds, cleaner)
    expected = stored(golden)
    diffs = [Difference(f.source, "failed", f"{f.source}: this seed no longer cleans: {f.reason}") for f in failures]
    for doc_id in sorted(set(now) | set(expected)):
        path = golden / f"{doc_id}.json"
        if doc_id not in expected:
            diffs.append(Difference(doc_id, "missing", f"{path}: missing: seed {doc_id} has no golden file. "
                                                       f"Review its output, then run `{update}`."))
        elif doc_id not in now:
            diffs.append(Difference(doc_id, "orphaned", f"{path}: orphaned: no seed gives this document any more. "
                                                        f"Run `{update}` to delete it, or restore the seed."))
        elif now[doc_id] != expected[doc_id]:
            diffs.append(Difference(doc_id, "changed", describe(path, expected[doc_id], now[doc_id])))
    if failures:
        expected = {k: v for k, v in expected.items() if k in now}
    return diffs, rule_changes(expected, now)


def update(seeds: Path, golden: Path, cleaner: Cleaner) -> tuple[list[str], list[str], list[Failure]]:
    """Rewrite ``golden/`` from the seeds: (written ids, deleted ids, failures)."""
    now, failures = current(seeds, cleaner)
    if failures:
        return [], [], failures
    expected = stored(golden)
    written = []
    for doc_id, d in now.items():
        if expected.get(doc_id) != d:
            path = golden / f"{doc_id}.json"
            write_atomic(path, dumps(d) + "\n")
            written.append(doc_id)
    deleted = []
    for doc_id in expected:
        if doc_id not in now:
            (golden / f"{doc_id}.json").unlink()
            deleted.append(doc_id)
    return written, deleted, []


def init(seeds: Path, golden: Path, cleaner: Cleaner) -> tuple[list[str], list[Failure]]:
    """Start a golden set: write the document of every input in ``seeds`` (a folder of
    example inputs, of any format the cleaner reads) into ``golden``, which is made:
    (written ids, failures). Nothing is written, not even the folder, unless every input
    cleans. Raises `GoldenExists` when ``golden`` already holds golden files (`update`
    rewrites those), ``ValueError`` when ``seeds`` is not a folder, holds no input, or
    ``golden`` is a file."""
    if not seeds.is_dir():
        raise ValueError(f"{seeds}: no such folder; give the folder that holds your example inputs")
    if golden.exists() and not golden.is_dir():
        raise ValueError(f"{golden}: a file, not a folder; name a folder for the golden files with --golden")
    none = ValueError(f"{seeds}/ holds no input to clean; put example inputs in it (.txt, .html, .jsonl... as "
                      "`clean` reads them)")
    if find_inputs([str(seeds)]) == ([], []):
        raise none
    count = len(stored(golden))
    if count:
        raise GoldenExists(golden, count)
    now, failures = current(seeds, cleaner)
    if failures:
        return [], failures
    if not now:  # only empty JSONL files
        raise none
    for doc_id, d in sorted(now.items()):
        write_atomic(golden / f"{doc_id}.json", dumps(d) + "\n")
    return sorted(now), []


def describe(path: Path | str, old: dict, new: dict, sides: tuple[str, str] = ("golden", "now")) -> str:
    """A change shown for a reviewer: the body as a diff, other fields before and after,
    and which rules now take out more or less. ``sides`` names the two versions."""
    out = [f"{path}: changed"]
    if old.get("body") != new.get("body"):
        out.append("  body:")
        diff = difflib.unified_diff(
            (old.get("body") or "").splitlines(), (new.get("body") or "").splitlines(),
            *sides, lineterm="", n=1,
        )
        out.extend("    " + line for line in diff)
    for key in sorted(set(old) | set(new)):
        if key in ("body", "removed") or old.get(key) == new.get(key):
            continue
        out.append(f"  {key}:")
        width = max(map(len, sides)) + 1
        for side, doc in zip(sides, (old, new)):
            out.append(f"    {(side + ':').ljust(width)} {json.dumps(doc.get(key), ensure_ascii=False)}")
    changes = span_changes(old, new)
    if changes:
        out.append("  rules:")
        out.extend(f"    {sign} {text}" for sign, _, text in changes)
    return "\n".join(out)


def span_changes(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """The removals that came (``+``) and went (``-``) between two versions of a document,
    each as (sign, rule id, a sentence): ``U001 now drops line 3: 'Photo: AP'``."""
    before = Counter(span_key(s) for s in old.get("removed") or [])
    after = Counter(span_key(s) for s in new.get("removed") or [])
    out = [("+", rule, f"{rule} now {_verb(action, to)} line {line}: {text!r}{_because(reason)}")
           for rule, line, action, to, text, reason in sorted(after - before, key=str)]
    out += [("-", rule, f"{rule} no longer {_verb(action, to)} line {line}: {text!r}{_because(reason)}")
            for rule, line, action, to, text, reason in sorted(before - after, key=str)]
    return out


def _because(reason: str | None) -> str:
    return f" ({reason})" if reason else ""


def _verb(action: str, to: str | None) -> str:
    return f"moves to {to}" if action == "move" else "drops"


# --- the net change, rule by rule ------------------------------------------------------


def render_changes(changes: list[RuleChange], names: Mapping[str, str] | None = None) -> list[str]:
    """One line a rule: ``  H013 photo-credit: +2 lines, +14 words (3 documents)``, with
    ``new`` or ``stopped`` for a rule that newly fires or no longer does. ``names``: rule
    names by id (a rule the rules no longer have is shown by its id)."""
    out = []
    for c in changes:
        name = (names or {}).get(c.rule)
        mark = "; new" if c.new else "; stopped" if c.stopped else ""
        out.append(f"  {c.rule}{' ' + name if name else ''}: {c.lines:+d} line{_s(c.lines)}, "
                   f"{c.words:+d} word{_s(c.words)} ({c.docs_changed} document{_s(c.docs_changed)}{mark})")
    return out


def _s(n: int) -> str:
    return "" if abs(n) == 1 else "s"
