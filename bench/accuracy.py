"""Accuracy on real corpora: the pipeline against ground truth, beside the baselines.

    python bench/accuracy.py --corpus ../shared/eval/fundus-en --corpus ../shared/eval/scrapinghub-aeb

A corpus folder holds ``truth.jsonl`` and any of ``text_trafilatura/``, ``html/``
and ``text/`` (one file per truth id). For each input kind present, it scores
in one run:

- ``uncleaned``: the input as it is (for ``html/``, the page's markup and all);
- ``trafilatura`` (``html/`` only): trafilatura alone, text and metadata, defaults;
- ``cleaner``: this pipeline.

The metric is `cleaner.evaluate`'s (that of the corpora's README): body macro
and micro P/R/F1, title exact, date same day, author exact, each where the
truth has it. ``--per-doc FILE`` writes one JSON line per document and system,
so the worst pages can be read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner import Cleaner, Config  # noqa: E402
from cleaner.batch import split_suffix  # noqa: E402
from cleaner.evaluate import Scores  # noqa: E402

KINDS = ("text_trafilatura", "html", "text")

#: Body macro F1 and recall the pipeline reached on extractor output and HTML before the
#: page classifier (docs/accuracy.md): it must not lose any of it.
REFERENCE = {
    ("fundus-en", "text_trafilatura"): (0.966, 0.980), ("fundus-en", "html"): (0.963, 0.972),
    ("scrapinghub-aeb", "text_trafilatura"): (0.966, 0.976), ("scrapinghub-aeb", "html"): (0.974, 0.979),
}
#: Whole-page text: body macro F1 and recall to reach.
PAGE_TARGET = (0.93, 0.95)


def targets(rows: list[tuple[str, str, str, "Scores"]]) -> list[str]:
    """One line per target that these rows can check: met ``[x]`` or not ``[ ]``."""
    out = []
    for corpus, kind, name, s in rows:
        if name != "cleaner":
            continue
        _p, r, f = s.macro()
        if kind == "text":
            need_f, need_r = PAGE_TARGET
            what = f"body F1 >= {need_f} and recall >= {need_r}"
        elif (corpus, kind) in REFERENCE:
            need_f, need_r = REFERENCE[(corpus, kind)]
            what = f"no loss: body F1 >= {need_f} and recall >= {need_r}"
        else:
            continue
        met = round(f, 3) >= need_f and round(r, 3) >= need_r
        out.append(f"- [{'x' if met else ' '}] {corpus} {kind}: {what}: F1 {f:.3f}, recall {r:.3f}")
    return out


def read_truth(corpus: Path) -> list[dict]:
    with (corpus / "truth.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def inputs(folder: Path) -> dict[str, Path]:
    return {split_suffix(p.name)[0]: p for p in sorted(folder.iterdir()) if split_suffix(p.name)[1]}


def raw_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def trafilatura_alone(html: str) -> dict:
    found = trafilatura.bare_extraction(html, with_metadata=True)
    if not found:
        return {"body": "", "title": None, "date": None, "authors": None}
    return {"body": found.text or "", "title": found.title, "date": found.date, "authors": found.author}


def evaluate(corpus: Path, cleaner: Cleaner, per_doc) -> list[tuple[str, str, Scores, float]]:
    truth = read_truth(corpus)
    rows = []
    for kind in KINDS:
        folder = corpus / kind
        if not folder.is_dir():
            continue
        files = inputs(folder)
        systems = {"uncleaned": Scores(), **({"trafilatura": Scores()} if kind == "html" else {}), "cleaner": Scores()}
        seconds = {name: 0.0 for name in systems}
        for t in truth:
            path = files.get(t["id"])
            if path is None:
                continue
            raw = raw_text(path)
            outputs = {"uncleaned": lambda: {"body": raw}}
            if kind == "html":
                outputs["trafilatura"] = lambda: trafilatura_alone(raw)
            outputs["cleaner"] = lambda: cleaned(cleaner, path, kind)
            for name, make in outputs.items():
                start = time.perf_counter()
                out = make()
                seconds[name] += time.perf_counter() - start
                row = systems[name].add(t, out.get("body"), out.get("title"), out.get("date"), out.get("authors"))
                if per_doc:
                    per_doc.write(json.dumps({"corpus": corpus.name, "input": kind, "system": name, **row,
                                              "failed": out.get("failed")}, ensure_ascii=False) + "\n")
        rows.extend((kind, name, scores, seconds[name]) for name, scores in systems.items())
    return rows


def cleaned(cleaner: Cleaner, path: Path, kind: str) -> dict:
    doc = cleaner.clean_bytes(path.read_bytes(), id=path.name, source=path.name, format="html" if kind == "html" else "text")
    if doc.rejected:
        return {"body": "", "failed": doc.rejected}
    return {"body": doc.body, "title": doc.title, "date": doc.date, "authors": list(doc.authors)}


def fmt(x) -> str:
    return "   –  " if x is None else f"{x:6.3f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", required=True, type=Path, help="a corpus folder (repeatable)")
    ap.add_argument("--per-doc", type=Path, help="write per-document figures (JSON lines) here")
    ap.add_argument("--rules", action="append", default=[], type=Path, help="extra rule folders, as for clean --rules")
    ap.add_argument("--precision-floor", type=float, default=Config.precision_floor,
                    help="Config.precision_floor for HTML extraction (0: always favor_precision; above 1: never)")
    args = ap.parse_args(argv)
    cleaner = Cleaner(config=Config(precision_floor=args.precision_floor), rule_dirs=args.rules)
    per_doc = args.per_doc.open("w", encoding="utf-8") if args.per_doc else None
    print("| corpus | input | system | docs | body macro P / R / F1 | body micro P / R / F1 | title | date | author | s |")
    print("| --- | --- | --- | ---: | --- | --- | ---: | ---: | ---: | ---: |")
    checked = []
    for corpus in args.corpus:
        for kind, name, s, secs in evaluate(corpus, cleaner, per_doc):
            checked.append((corpus.name, kind, name, s))
            macro, micro = s.macro(), s.micro()
            print(f"| {corpus.name} | {kind} | {name} | {s.docs} | {' /'.join(fmt(x) for x in macro)} | "
                  f"{' /'.join(fmt(x) for x in micro)} | {fmt(s.rate('title'))} | {fmt(s.rate('date'))} | "
                  f"{fmt(s.rate('author'))} | {secs:5.1f} |", flush=True)
    if per_doc:
        per_doc.close()
    lines = targets(checked)
    if lines:
        print("\n## Targets\n")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
