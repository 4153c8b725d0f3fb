"""Are two versions' documents byte-identical? For a change that must not change the output.

    python bench/identical.py HEAD~3              # that commit against the working tree
    python bench/identical.py v0.1.0 HEAD         # two commits
    python bench/identical.py HEAD --only seeds   # one input set (repeatable)

Each side is a commit (exported with ``git archive`` into a temporary folder) or,
for the second side when it is not given, the working tree as it is. Each side
runs the ``clean`` command (``python -m cleaner run INPUT -o OUT.jsonl``, its
code on ``PYTHONPATH``) over the same inputs:

- every kind (``html/``, ``text/``, ``text_trafilatura/``) of every corpus in
  ``--eval`` (default ``../shared/eval``), when it is there;
- the bundled ``seeds/``;
- the throughput benchmark's generated corpus (``bench/corpus.py``, ``--bench-docs``
  documents, written once and read by both sides).

The documents are compared line by line, as written, by id. It prints, per input
set and in all, how many documents are identical, differ, or come out of one side
only, and for the first few that differ the first field that does. The exit code is
0 when every document is identical, 1 when one is not, 2 when a side cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("html", "text", "text_trafilatura")


def export(rev: str, into: Path) -> Path:
    """The tree of commit ``rev`` in ``into`` (its files only, no .git)."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def input_sets(eval_dir: Path, bench_corpus: Path | None) -> list[tuple[str, Path]]:
    sets = []
    if eval_dir.is_dir():
        for corpus in sorted(p for p in eval_dir.iterdir() if p.is_dir()):
            sets += [(f"{corpus.name}/{kind}", corpus / kind) for kind in KINDS if (corpus / kind).is_dir()]
    sets.append(("seeds", ROOT / "seeds"))
    if bench_corpus is not None:
        sets.append(("bench-corpus", bench_corpus))
    return sets


def clean(tree: Path, name: str, source: Path, out: Path, workers: int) -> Path:
    """``clean`` of ``tree`` over ``source``, into one JSONL file; exits 2 when it cannot run."""
    target = out / (name.replace("/", "__") + ".jsonl")
    env = {**os.environ, "PYTHONPATH": str(tree), "CLEANER_NO_CACHE": "1"}
    cmd = [sys.executable, "-m", "cleaner", "run", str(source), "-o", str(target), "--format", "jsonl",
           "-j", str(workers), "--quiet", "--force"]
    done = subprocess.run(cmd, env=env, cwd=tree, capture_output=True, text=True)
    if done.returncode not in (0, 1) or not target.exists():  # 1: some input failed, which both sides must show
        sys.exit(f"{tree}: `clean` on {source} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return target


def documents(path: Path) -> dict[str, bytes]:
    """The file's documents as written, by id."""
    docs: dict[str, bytes] = {}
    with path.open("rb") as f:
        for line in f:
            docs[json.loads(line)["id"]] = line
    return docs


def first_difference(a: bytes, b: bytes) -> str:
    one, two = json.loads(a), json.loads(b)
    for key in dict.fromkeys([*one, *two]):
        if one.get(key) != two.get(key):
            return key
    return "(key order or spacing)"


def compare(name: str, base: Path, head: Path, show: int) -> tuple[int, int, int]:
    a, b = documents(base), documents(head)
    same = sum(1 for k in a.keys() & b.keys() if a[k] == b[k])
    differ = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
    alone = len(a.keys() ^ b.keys())
    print(f"{name}: {same} identical, {len(differ)} differ, {alone} on one side only")
    for k in differ[:show]:
        print(f"    {k}: first differs in {first_difference(a[k], b[k])!r}")
    return same, len(differ), alone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="a commit (anything git names: HEAD~1, a tag, a hash)")
    parser.add_argument("head", nargs="?", help="a second commit (default: the working tree as it is)")
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval", help="the shared corpora")
    parser.add_argument("--bench-docs", type=int, default=2000, help="documents of the generated corpus (0: none)")
    parser.add_argument("--only", action="append", help="only these input sets (e.g. seeds, dragnet-en/html)")
    parser.add_argument("-j", "--workers", type=int, default=2, help="processes per clean run (default 2)")
    parser.add_argument("--show", type=int, default=5, help="differing documents listed per input set")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="identical-") as tmp:
        work = Path(tmp)
        bench_corpus = None
        if args.bench_docs:
            sys.path.insert(0, str(ROOT / "bench"))
            import corpus as corpus_gen

            bench_corpus = work / "bench-corpus"
            corpus_gen.write_corpus(bench_corpus, args.bench_docs)
        sets = [(n, p) for n, p in input_sets(args.eval, bench_corpus) if not args.only or n in args.only]
        if not sets:
            print(f"no input set matches {args.only}", file=sys.stderr)
            return 2
        trees = {"base": export(args.base, work / "base")}
        trees["head"] = export(args.head, work / "head") if args.head else ROOT
        print(f"base: {args.base}; head: {args.head or 'the working tree'}")
        totals = [0, 0, 0]
        for name, source in sets:
            out = {side: work / f"out-{side}" for side in trees}
            for d in out.values():
                d.mkdir(exist_ok=True)
            files = {side: clean(tree, name, source, out[side], args.workers) for side, tree in trees.items()}
            for i, n in enumerate(compare(name, files["base"], files["head"], args.show)):
                totals[i] += n
        same, differ, alone = totals
        print(f"\n{same} documents identical, {differ} differ, {alone} on one side only")
        return 0 if not differ and not alone else 1


if __name__ == "__main__":
    sys.exit(main())
