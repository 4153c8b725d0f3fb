"""How long ``clean diff`` takes against the two runs it stands for, on the shared corpora.

For each input kind (text_trafilatura, text, html), the kind's folders of every corpus
given are compared with a rule folder of one user rule (written here): A is two
``clean run`` commands over the folders (the base side and the new side, run one after
the other, their wall times added), B is one ``clean diff`` over the same folders with
the same workers (which cleans both sides in one pass). The pairs are run A/B and B/A in turn; the medians and their ratio
are printed (the target: B no longer than A, a ratio at most 1.00).

    python bench/diff.py --corpus ../shared/eval/fundus-en --corpus ../shared/eval/scrapinghub-aeb \
        --corpus ../shared/eval/dragnet-en [--pairs 3] [--workers 0]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = ("text_trafilatura", "text", "html")
RULE = '''
[[rule]]
id = "U900"
name = "bench-agency-line"
stage = "strip_header"
description = "A line that names a news agency: the bench's stand-in for a user's rule."
action = "drop"
pattern = '.*\\b(?:Associated Press|Reuters)\\b.*'
remove = ["Copyright 2024 The Associated Press."]
keep = ["The council met on Friday."]
'''


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", required=True, type=Path, help="a corpus folder (repeatable)")
    ap.add_argument("--pairs", type=int, default=3, help="A/B pairs a kind (default 3)")
    ap.add_argument("--workers", type=int, default=0, help="workers of both commands (0: all cores)")
    args = ap.parse_args(argv)
    clean = [sys.executable, "-m", "cleaner"]
    work = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    try:
        rules = work / "rules"
        rules.mkdir()
        (rules / "bench.toml").write_text(RULE, encoding="utf-8")
        print("| kind | documents | two runs, median s | diff, median s | diff / two runs |")
        print("| --- | --- | --- | --- | --- |")
        for kind in KINDS:
            folders = [str(c / kind) for c in args.corpus if (c / kind).is_dir()]
            if not folders:
                continue
            n = sum(1 for f in folders for p in Path(f).iterdir() if p.is_file())
            jobs = ["-j", str(args.workers), "-q"]
            base = [*clean, "run", *folders, "-o", str(work / "out.jsonl"), "--force", *jobs]
            new = [*base[:-len(jobs)], "--rules", str(rules), *jobs]
            diff = [*clean, "diff", *folders, "--rules", str(rules), "-o", str(work / "report"), *jobs]
            a, b = [], []
            for i in range(args.pairs):
                for which in ("ab" if i % 2 == 0 else "ba"):
                    if which == "a":
                        a.append(timed(base) + timed(new))
                    else:
                        b.append(timed(diff))
            ma, mb = statistics.median(a), statistics.median(b)
            print(f"| {kind} | {n:,} | {ma:.2f} ({min(a):.2f}-{max(a):.2f}) | {mb:.2f} ({min(b):.2f}-{max(b):.2f}) "
                  f"| {mb / ma:.2f} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
