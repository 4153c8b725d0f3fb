"""``clean diff``: what a change of rules, settings or release does to a corpus, before
it goes into a pipeline.

Two sides are cleaned over the same inputs, or one is read from an earlier run's
output, and compared document by document (by id): which documents changed, which
rules now take more or less (`cleaner.rulecounts`), the most changed documents as the
golden check shows a change (`cleaner.golden.describe`), and, where the corpus has a
``truth.jsonl`` of the shared evaluation layout, the accuracy before and after
(`cleaner.evaluate`). `cleaner.diffreport` renders a `Diff` for the terminal, as
HTML and as JSON.

Each side is a normal run (`cleaner.runner.run`, with its workers) into a temporary
JSONL file; the documents are then read back one pair at a time (`cleaner.outputread`),
so memory holds ids and offsets, the figures, and the documents the report shows.
"""

from __future__ import annotations

import heapq
import json
import random
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .batch import find_inputs
from .builtin import BUILTIN_RULES
from .evaluate import Scores
from .outputread import Output, loads
from .pipeline import Cleaner
from .records import Failure, Stats
from .rulecounts import RuleChange, RuleTotals, per_rule, rules_that_changed
from .runner import run
from .text import count_words, tokens

#: Fields that tell where an input was read, not what cleaning made of it: not compared.
NOT_COMPARED = ("source",)
#: Documents whose whole before and after the report holds, the most changed first.
REPORT_DOCUMENTS = 200


@dataclass
class Changed:
    """One document that differs between the sides."""

    id: str
    size: int  # body tokens (`cleaner.text.tokens`) added plus removed, plus one a field that differs
    rules: tuple[str, ...]  # the rules whose removals differ
    words_before: int | None  # body words (`count_words`); None: the document is not on that side
    words_after: int | None
    fields: tuple[str, ...]  # the fields that differ


@dataclass
class Accuracy:
    """Body scores against the truth, before and after (`cleaner.evaluate.Scores`)."""

    truth: str
    before: Scores = field(default_factory=Scores)
    after: Scores = field(default_factory=Scores)


@dataclass
class Diff:
    """Everything ``clean diff`` reports."""

    base: str  # what each side is, in words
    new: str
    compared: int = 0
    changed: list[Changed] = field(default_factory=list)
    only_before: list[str] = field(default_factory=list)
    only_after: list[str] = field(default_factory=list)
    failed_before: list[Failure] = field(default_factory=list)
    failed_after: list[Failure] = field(default_factory=list)
    body_words: list[int] = field(default_factory=lambda: [0, 0])
    removed_words: list[int] = field(default_factory=lambda: [0, 0])
    rules: list[RuleChange] = field(default_factory=list)
    accuracy: Accuracy | None = None
    where: str | None = None  # the rule the report is limited to
    sample: str | None = None  # how the inputs were sampled
    #: id -> (before, after) of the most changed documents, for the report
    documents: dict[str, tuple[dict | None, dict | None]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=lambda: dict(BUILTIN_RULES))  # rule id -> name

    @property
    def unchanged(self) -> int:
        return self.compared - sum(1 for c in self.changed if c.words_before is not None and c.words_after is not None)


def comparable(doc: dict | None) -> dict | None:
    return None if doc is None else {k: v for k, v in doc.items() if k not in NOT_COMPARED}


def change_of(doc_id: str, before: dict | None, after: dict | None) -> Changed | None:
    """How one document changed, or None if it did not."""
    a, b = comparable(before), comparable(after)
    if a == b:
        return None
    old, new = Counter(tokens((a or {}).get("body"))), Counter(tokens((b or {}).get("body")))
    fields = tuple(sorted(k for k in set(a or {}) | set(b or {}) if (a or {}).get(k) != (b or {}).get(k)))
    size = sum(((old - new) + (new - old)).values()) + sum(1 for f in fields if f not in ("body", "removed"))
    words = [None if d is None else count_words(d.get("body") or "") for d in (a, b)]
    return Changed(doc_id, size, tuple(rules_that_changed(before, after)), *words, fields)


def read_truth(path: Path) -> dict[str, dict]:
    """A ``truth.jsonl`` of the evaluation layout, by id; a `ValueError` naming the line if it is not one."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                t = json.loads(line)
            except ValueError as e:
                raise ValueError(f"{path}, line {no}: not JSON ({e}). A truth file holds one JSON object a line, "
                                 "with `id` and `body`.") from None
            if not isinstance(t, dict) or not isinstance(t.get("id"), str):
                raise ValueError(f"{path}, line {no}: no string `id`. A truth file holds one JSON object a line, "
                                 "with `id` and `body`.")
            out[t["id"]] = t
    return out


def find_truth(paths: list[str]) -> Path | None:
    """The ``truth.jsonl`` beside a single input folder (the evaluation layout:
    ``corpus/text/`` and ``corpus/truth.jsonl``), if there is one."""
    if len(paths) != 1 or not Path(paths[0]).is_dir():
        return None
    candidate = Path(paths[0]).resolve().parent / "truth.jsonl"
    return candidate if candidate.is_file() else None


Side = dict | bytes | None


def _read(doc_id: str, before: Side, after: Side) -> tuple[dict | None, dict | None, bool]:
    """The two documents, and whether they are the same; two sides written alike (the
    same JSON) are read once."""
    if isinstance(before, bytes) and before == after:
        doc = loads(before, f"document {doc_id}")
        return doc, doc, True
    a, b = (loads(x, f"document {doc_id}") if isinstance(x, bytes) else x for x in (before, after))
    return a, b, comparable(a) == comparable(b)


def compare(pairs: Iterable[tuple[str, Side, Side]], diff: Diff,
            truth: dict[str, dict] | None = None, keep: int = REPORT_DOCUMENTS) -> Diff:
    """Fill ``diff`` from (id, before, after) triples, each side a document (or its JSON);
    None is a document that side does not have."""
    totals = RuleTotals()
    kept: list[tuple[int, str]] = []  # a heap of (size, id) of the documents held
    held: dict[str, tuple[dict | None, dict | None]] = {}
    for doc_id, raw_before, raw_after in pairs:
        if raw_before is None and raw_after is None:
            continue
        before, after, same = _read(doc_id, raw_before, raw_after)
        if diff.where is not None and diff.where not in rules_that_changed(before, after):
            diff.compared += before is not None and after is not None
            continue
        counts = per_rule(before)
        counts_after = counts if same else per_rule(after)
        change = None if same else change_of(doc_id, before, after)
        totals.add_counts(counts, counts_after, change.rules if change else ())
        if before is None:
            diff.only_after.append(doc_id)
        elif after is None:
            diff.only_before.append(doc_id)
        else:
            diff.compared += 1
            body = count_words(before.get("body") or "")
            diff.body_words[0] += body
            diff.body_words[1] += body if same else count_words(after.get("body") or "")
            diff.removed_words[0] += sum(w for _, w in counts.values())
            diff.removed_words[1] += sum(w for _, w in counts_after.values())
            if truth is not None and doc_id in truth and diff.accuracy is not None:
                t = truth[doc_id]
                for scores, doc in ((diff.accuracy.before, before), (diff.accuracy.after, after)):
                    scores.add(t, doc.get("body"), doc.get("title"), doc.get("date"), doc.get("authors"))
        if change is None:
            continue
        diff.changed.append(change)
        if keep > 0:
            if len(kept) < keep:
                heapq.heappush(kept, (change.size, doc_id))
                held[doc_id] = (before, after)
            elif change.size > kept[0][0]:
                _, dropped = heapq.heapreplace(kept, (change.size, doc_id))
                del held[dropped]
                held[doc_id] = (before, after)
    diff.changed.sort(key=lambda c: (-c.size, c.id))
    diff.documents = {c.id: held[c.id] for c in diff.changed if c.id in held}
    diff.rules = totals.changes()
    return diff


def sample_inputs(paths: list[str], n: int, seed: int, into: Path) -> tuple[list[str], int]:
    """``n`` of the inputs under ``paths``, chosen by ``seed`` (the same every time), as a
    folder of links that keeps each input's path relative to its root, so its id (and
    ``source``) are what a run on the whole corpus gives. Returns the paths to clean and
    how many inputs there were to choose from."""
    inputs, _ = find_inputs(paths)
    files = sorted((i for i in inputs if i.path is not None), key=lambda i: i.relative)
    chosen = random.Random(seed).sample(files, min(n, len(files)))
    for inp in chosen:
        link = into / inp.relative
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(inp.path.resolve())
    return [str(into)], len(files)


def clean_side(paths: list[str], cleaner: Cleaner, into: Path, workers: int,
               on_progress: Callable[[Stats], None] | None = None) -> tuple[Output, list[Failure]]:
    """One side: a run over ``paths`` into a JSONL file, read back by id."""
    failures: list[Failure] = []
    stats = run(paths, into, cleaner=cleaner, format="jsonl", workers=workers, force=True,
                on_failure=failures.append, on_progress=on_progress)
    if stats.no_inputs:
        why = f" ({failures[0].reason})" if failures else ""
        raise ValueError(f"no input found in {', '.join(map(str, paths))}{why}: nothing to compare. Name files or "
                         "folders that hold .txt, .html, .htm or .jsonl inputs (plain, .gz or .zst).")
    if not into.exists():  # every input failed: a side with no document
        into.write_bytes(b"")
    return Output(into), failures


def pairs_of(before: Output, after: Output, only_sampled: bool) -> Iterator[tuple[str, Side, Side]]:
    """(id, before, after) for every id of either side, the new side's order first, each
    as its JSON; with ``only_sampled``, documents of an earlier output that are outside
    the sample are left out."""
    seen = set()
    for doc_id in after.ids():
        seen.add(doc_id)
        yield doc_id, before.raw(doc_id), after.raw(doc_id)
    if not only_sampled:
        for doc_id in before.ids():
            if doc_id not in seen:
                yield doc_id, before.raw(doc_id), None


def diff_corpus(paths: list[str], cleaner: Cleaner, *, base: Cleaner | None = None, base_output: Path | None = None,
                sides: tuple[str, str] = ("shipped rules", "shipped rules"), sample: int | None = None,
                seed: int = 0, workers: int = 0, truth: Path | None = None, where: str | None = None,
                keep: int = REPORT_DOCUMENTS, on_progress: Callable[[str, Stats], None] | None = None) -> Diff:
    """Clean ``paths`` with ``base`` (or read ``base_output``, an earlier run's output)
    and with ``cleaner``, and compare. ``sides`` names the two in words. ``truth``: a
    ``truth.jsonl`` (default: the one beside a single input folder, if any)."""
    if (base is None) == (base_output is None):
        raise ValueError("give either a base cleaner or a base output, not both")
    diff = Diff(*sides, where=where)
    truth = truth or find_truth(paths)
    if truth is not None:
        diff.accuracy = Accuracy(str(truth))
    truth_rows = read_truth(truth) if truth is not None else None
    with tempfile.TemporaryDirectory(prefix="clean-diff-") as tmp:
        work = Path(tmp)
        if sample is not None:
            (work / "sample").mkdir()
            paths, total = sample_inputs(paths, sample, seed, work / "sample")
            diff.sample = f"{min(sample, total):,} of {total:,} inputs (seed {seed})"
        report = (lambda side: (lambda s: on_progress(side, s))) if on_progress else (lambda side: None)
        if base_output is not None:
            before, diff.failed_before = Output(base_output), []
        else:
            before, diff.failed_before = clean_side(paths, base, work / "base.jsonl", workers, report("base"))
        after, diff.failed_after = clean_side(paths, cleaner, work / "new.jsonl", workers, report("new"))
        compare(pairs_of(before, after, only_sampled=sample is not None), diff, truth_rows, keep)
    for side in (base, cleaner):
        if side is not None:
            diff.names.update({s.id: s.name for s in side.stages if s.id})  # of plugins
            diff.names.update({r.id: r.name for r in side.rules})
    return diff
