"""Golden files: the expected document for every seed, checked on every test run.

``golden/<id>.json`` holds what cleaning ``seeds/<id>.txt`` must give. `check`
re-cleans the seeds in memory and compares: a changed document, a seed with no
golden file and a golden file with no seed are all differences, and each is
shown as a readable diff of the body and of the rules' removals. Only `update`
writes ``golden/``.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .batch import find_inputs
from .pipeline import Cleaner
from .reading import clean_inputs
from .records import Failure
from .sinks import dumps, write_atomic


@dataclass(frozen=True)
class Difference:
    id: str
    kind: str  # "changed", "missing", "orphaned", "failed"
    detail: str

    def __str__(self) -> str:
        return self.detail


def current(seeds: Path, cleaner: Cleaner) -> tuple[dict[str, dict], list[Failure]]:
    """Every seed cleaned now, as output dictionaries by id."""
    inputs, failures = find_inputs([str(seeds)])
    docs: dict[str, dict] = {}
    for _, result in clean_inputs(cleaner, inputs):
        if isinstance(result, Failure):
            failures.append(result)
        else:
            docs[result.id] = result.to_dict()
    return docs, failures


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
    return diffs


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


def describe(path: Path, old: dict, new: dict) -> str:
    """A change shown for a reviewer: the body as a diff, other fields before and after,
    and which rules now take out more or less."""
    out = [f"{path}: changed"]
    if old.get("body") != new.get("body"):
        out.append("  body:")
        diff = difflib.unified_diff(
            (old.get("body") or "").splitlines(), (new.get("body") or "").splitlines(),
            "golden", "now", lineterm="", n=1,
        )
        out.extend("    " + line for line in diff)
    for key in sorted(set(old) | set(new)):
        if key in ("body", "removed") or old.get(key) == new.get(key):
            continue
        out.append(f"  {key}:")
        out.append(f"    golden: {json.dumps(old.get(key), ensure_ascii=False)}")
        out.append(f"    now:    {json.dumps(new.get(key), ensure_ascii=False)}")
    before = Counter(_span_key(s) for s in old.get("removed", []))
    after = Counter(_span_key(s) for s in new.get("removed", []))
    gone, added = before - after, after - before
    if gone or added:
        out.append("  rules:")
        for rule, line, action, to, text, reason in sorted(added, key=str):
            out.append(f"    + {rule} now {_verb(action, to)} line {line}: {text!r}{_because(reason)}")
        for rule, line, action, to, text, reason in sorted(gone, key=str):
            out.append(f"    - {rule} no longer {_verb(action, to)} line {line}: {text!r}{_because(reason)}")
    return "\n".join(out)


def _span_key(span: dict) -> tuple:
    return (span.get("rule"), span.get("line"), span.get("action"), span.get("to"), span.get("text"), span.get("reason"))


def _because(reason: str | None) -> str:
    return f" ({reason})" if reason else ""


def _verb(action: str, to: str | None) -> str:
    return f"moves to {to}" if action == "move" else "drops"
