"""Where one worker's time goes: the seconds of each stage of ``clean``, on a corpus.

    python bench/stages.py CORPUS                 # the first 1,000 documents of CORPUS
    python bench/stages.py CORPUS --docs 0        # all of them

CORPUS is a folder of JSONL shards of ``{"id", "text"}`` records (what
``bench/realtext.py`` and ``bench/corpus.py`` write). The documents are cleaned in
this process, one after another, as one worker cleans them, by the shipped rules
(`Cleaner.run` with ``timings``); the first ten are cleaned once before, so that
what a process makes once (compiled patterns, the date parser) is not counted.
It prints a Markdown table of each stage's seconds and share of the whole, and,
across the stages, the time of

- the prefilter: which lines each rule may match, found for all the rules at once
  when the first rule stage asks (`cleaner.prefilter.GateTable.hits`);
- each rule and detector run on a document (`cleaner.apply.apply_rule`: its pattern
  calls on the lines the prefilter left it, and what it takes), the costliest first.

These two are timed by wrapping the functions, which adds a little to each call: the
stage times are the figures, the rest shows their make-up. `bench/throughput.py`
prints this table under its own when it measures `clean`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

#: Documents cleaned before the timed ones (not timed).
WARM = 10


def read_docs(corpus: Path, docs: int) -> list[dict]:
    """The first ``docs`` records (all of them for 0) of the corpus's shards, in order."""
    found: list[dict] = []
    for shard in sorted(corpus.glob("*.jsonl")):
        with shard.open(encoding="utf-8") as f:
            for line in f:
                found.append(json.loads(line))
                if docs and len(found) >= docs:
                    return found
    return found


def profile(records: list[dict], top: int = 12) -> list[str]:
    """The table of where the time goes in cleaning ``records``, as Markdown lines."""
    from cleaner import apply
    from cleaner.pipeline import Cleaner
    from cleaner.prefilter.table import GateTable

    cleaner = Cleaner()
    for record in records[:WARM]:
        cleaner.clean_bytes(record["text"].encode("utf-8"))
    by_rule: Counter[str] = Counter()
    prefilter = [0.0]
    plain_rule, plain_hits = apply.apply_rule, GateTable.hits

    def timed_rule(doc, rule, ctx):
        started = time.perf_counter()
        try:
            return plain_rule(doc, rule, ctx)
        finally:
            by_rule[rule.id + (f" ({rule.detector})" if rule.detector else "")] += time.perf_counter() - started

    def timed_hits(self, texts):
        started = time.perf_counter()
        try:
            return plain_hits(self, texts)
        finally:
            prefilter[0] += time.perf_counter() - started

    timings: dict[str, float] = {}
    size = sum(len(r["text"].encode("utf-8")) for r in records)
    apply.apply_rule, GateTable.hits = timed_rule, timed_hits
    try:
        started = time.process_time()
        for record in records:
            cleaner.clean_bytes(record["text"].encode("utf-8"), id=record["id"], timings=timings)
        total = time.process_time() - started
    finally:
        apply.apply_rule, GateTable.hits = plain_rule, plain_hits
    share = (lambda s: f"{100 * s / total:.0f}%") if total else (lambda s: "–")
    lines = [f"{len(records)} documents, {size / 1e6:.1f} MB, cleaned in one process: {total:.2f} CPU seconds, "
             f"{size / 1e6 / total if total else float('inf'):.2f} MB/s, {1000 * total / max(1, len(records)):.2f} ms a document", "",
             "| stage | seconds | share |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {seconds:.2f} | {share(seconds)} |"
              for name, seconds in sorted(timings.items(), key=lambda kv: -kv[1])]
    rules = sum(by_rule.values())
    lines += ["", "Across the stages:", "",
              f"- the prefilter (`GateTable.hits`): {prefilter[0]:.2f} s, {share(prefilter[0])}",
              f"- the rules and detectors (`apply_rule`, {len(by_rule)} of them ran): {rules:.2f} s, {share(rules)}; "
              "the costliest: " + ", ".join(f"{rule} {seconds:.2f} s ({share(seconds)})"
                                            for rule, seconds in by_rule.most_common(top))]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Where one worker's time goes: each stage of clean, on a corpus.")
    parser.add_argument("corpus", type=Path, help="a folder of JSONL shards of {id, text} records")
    parser.add_argument("--docs", type=int, default=1000, help="documents to clean (default 1000; 0: all)")
    args = parser.parse_args(argv)
    records = read_docs(args.corpus, args.docs)
    if not records:
        print(f"stages.py: no JSONL records in {args.corpus}: give a folder that bench/realtext.py or "
              "bench/corpus.py wrote", file=sys.stderr)
        return 2
    print("\n".join(profile(records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
