"""``clean diff``: what a change of rules, settings or release does to a corpus, before
it goes into a pipeline.

Two sides are cleaned over the same inputs, or one is read from an earlier run's
output, and compared document by document (by id): which documents changed, which
rules now take more or less (`cleaner.rulecounts`), the most changed documents as the
golden check shows a change (`cleaner.golden.describe`), and, where the corpus has a
``truth.jsonl`` of the shared evaluation layout, the accuracy before and after
(`cleaner.evaluate`). `cleaner.diffreport` renders a `Diff` for the terminal, as
HTML and as JSON.

Both sides cleaned here are one run (`cleaner.runner.run`, with its workers) of a
`cleaner.diffpair.PairCleaner`: each input is read once, cleaned by both cleaners in the
same worker, and the worker works out what the comparison needs (`facts`), so this
process only adds up. Against an earlier output, the new side is a run into a temporary
JSONL file, and the two are read back one pair at a time by id (`cleaner.outputread`).
Memory holds ids and offsets, the figures, and the documents the report shows.
"""

from __future__ import annotations

import heapq
import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .builtin import BUILTIN_RULES
from .diffpair import PairCleaner, comparable, facts
from .evaluate import Scores
from .outputread import Output, loads
from .pipeline import Cleaner
from .records import Failure, Stats
from .rulecounts import RuleChange, RuleTotals, rules_that_changed
from .runner import run
from .sample import sample_inputs
from .text import count_words, tokens

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
    #: the ids that more than one document of each side has (against an earlier output,
    #: which holds one document an id): each is compared once, as last written
    repeated: list[list[str]] = field(default_factory=lambda: [[], []])
    #: id -> (before, after) of the most changed documents, for the report
    documents: dict[str, tuple[dict | None, dict | None]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=lambda: dict(BUILTIN_RULES))  # rule id -> name

    @property
    def unchanged(self) -> int:
        return self.compared - sum(1 for c in self.changed if c.words_before is not None and c.words_after is not None)


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


def compare(records: Iterable[dict], diff: Diff, truth: dict[str, dict] | None = None,
            keep: int = REPORT_DOCUMENTS) -> Diff:
    """Fill ``diff`` from the `facts` of each document's two versions."""
    totals = RuleTotals()
    kept: list[tuple[int, str]] = []  # a heap of (size, id) of the documents held
    held: dict[str, tuple[dict | None, dict | None]] = {}
    for r in records:
        doc_id, (has_before, has_after), same = r["id"], r["sides"], r["same"]
        for side, reason in zip((diff.failed_before, diff.failed_after), r.get("failed") or ()):
            if reason:
                side.append(Failure(r.get("source") or doc_id, reason))
        if not (has_before or has_after):
            continue
        before = r["before"]
        after = before if same else r["after"]
        change = None if same else change_of(doc_id, before, after)
        if diff.where is not None and (change is None or diff.where not in change.rules):
            diff.compared += has_before and has_after
            continue
        counts, counts_after = r["counts"]
        totals.add_counts(counts, counts_after, change.rules if change else ())
        if not has_before:
            diff.only_after.append(doc_id)
        elif not has_after:
            diff.only_before.append(doc_id)
        else:
            diff.compared += 1
            for slot in (0, 1):
                diff.body_words[slot] += r["words"][slot]
                diff.removed_words[slot] += sum(w for _, w in r["counts"][slot].values())
            if truth is not None and doc_id in truth and diff.accuracy is not None and before is not None:
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


def from_documents(triples: Iterable[tuple[str, dict | None, dict | None]], keep_same: bool = False
                   ) -> Iterator[dict]:
    """The `facts` of (id, before, after) triples of documents, for `compare`."""
    for doc_id, a, b in triples:
        yield facts(doc_id, a, b, keep_same)


def run_side(paths: list[str], cleaner: Cleaner | PairCleaner, into: Path, workers: int,
             on_progress: Callable[[Stats], None] | None = None) -> tuple[Path, list[Failure]]:
    """A run over ``paths`` into a JSONL file: its path (made, if empty, when every
    input failed) and the inputs that failed. No input at all is a `ValueError`."""
    failures: list[Failure] = []
    stats = run(paths, into, cleaner=cleaner, format="jsonl", workers=workers, force=True,
                on_failure=failures.append, on_progress=on_progress)
    if stats.no_inputs:
        why = f" ({failures[0].reason})" if failures else ""
        raise ValueError(f"no input found in {', '.join(map(str, paths))}{why}: nothing to compare. Name files or "
                         "folders that hold .txt, .html, .htm or .jsonl inputs (plain, .gz or .zst).")
    if not into.exists():  # every input failed: a side with no document
        into.write_bytes(b"")
    return into, failures


def read_records(path: Path) -> Iterator[dict]:
    """The facts a `PairCleaner` run wrote, one JSON line each."""
    with open(path, "rb") as f:
        for no, line in enumerate(f, 1):
            if line.strip():
                yield loads(line, f"{path}, line {no}")


def against_output(before: Output, after: Output, only_sampled: bool, keep_same: bool) -> Iterator[dict]:
    """The `facts` of every id of either output, the new side's order first; two sides
    written alike (the same JSON) are read once. With ``only_sampled``, documents of an
    earlier output that are outside the sample are left out."""
    seen = set()
    for doc_id in after.ids():
        seen.add(doc_id)
        a, b = before.raw(doc_id), after.raw(doc_id)
        new = loads(b, f"document {doc_id}") if b is not None else None
        old = new if a is not None and a == b else loads(a, f"document {doc_id}") if a is not None else None
        yield facts(doc_id, old, new, keep_same)
    if not only_sampled:
        for doc_id in before.ids():
            if doc_id not in seen:
                yield facts(doc_id, before.get(doc_id), None, keep_same)


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
            paths, total = sample_inputs(paths, sample, seed, work / "sample", cleaner.config.max_file_bytes)
            diff.sample = f"{min(sample, total):,} of {total:,} documents (seed {seed})"
        report = (lambda side: (lambda s: on_progress(side, s))) if on_progress else (lambda side: None)
        keep_same = truth_rows is not None
        if base_output is None:  # both sides in one pass: each input read once, compared in the workers
            path, failures = run_side(paths, PairCleaner(base, cleaner, keep_same), work / "pairs.jsonl", workers,
                                      report("base and new"))
            diff.failed_before, diff.failed_after = list(failures), list(failures)
            compare(read_records(path), diff, truth_rows, keep)
        else:
            path, diff.failed_after = run_side(paths, cleaner, work / "new.jsonl", workers, report("new"))
            before, after = Output(base_output), Output(path)
            diff.repeated = [sorted(before.repeated), sorted(after.repeated)]
            compare(against_output(before, after, sample is not None, keep_same), diff, truth_rows, keep)
    for side in (base, cleaner):
        if side is not None:
            diff.names.update({s.id: s.name for s in side.stages if s.id})  # of plugins
            diff.names.update({r.id: r.name for r in side.rules})
    return diff
