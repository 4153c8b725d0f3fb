"""Accuracy on real corpora: the pipeline against ground truth, beside the baselines.

    python bench/accuracy.py --corpus ../shared/eval/fundus-en --corpus ../shared/eval/scrapinghub-aeb

A corpus folder holds ``truth.jsonl`` and any of ``text_trafilatura/``, ``html/``
and ``text/`` (one file per truth id). For each input kind present, it scores
in one run:

- ``uncleaned``: the input as it is (for ``html/``, the page's markup and all);
- ``trafilatura`` and ``trafilatura-precise`` (``html/`` only): trafilatura alone,
  text and metadata, with its defaults and with ``favor_precision``;
- ``cleaner``: this pipeline.

The metric is `cleaner.evaluate`'s (that of the corpora's README): body macro
and micro P/R/F1, title exact, date same day, author exact, each where the
truth has it; the comment leak where the truth keeps the reader comments apart
(dragnet-en). For the pipeline also:

- **harmed**: documents whose body recall falls more than 10 points below the
  input's (below trafilatura's defaults, for HTML, whose input is markup);
- **refused**: inputs that gave no document;
- **whole-page**: the share of documents taken for whole-page text;
- **CPU**: processor seconds per page, of each system on the same pages, on HTML
  measured in a second pass over them: what a long run pays per page, once the one-off
  costs (imports, patterns compiled when first needed, caches) are paid.

``--per-doc FILE`` writes one JSON line per document and system, the pipeline's
harmed documents of each corpus and input first, so the worst pages can be read.
The targets the figures can check are listed at the end, met ``[x]`` or not.
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
#: A document is harmed when its recall falls this much below the input's.
HARM = 0.10


class Row:
    """One system on one corpus and input kind: its scores and the pipeline's extra counts."""

    def __init__(self, corpus: str, kind: str, system: str):
        self.corpus, self.kind, self.system = corpus, kind, system
        self.scores = Scores()
        self.cpu = 0.0
        self.harmed = 0
        self.refused = 0
        self.whole_page = 0
        #: per document with a language in the truth: (language group, F1, harmed)
        self.by_language: list[tuple[str, float, bool]] = []

    def per_page(self) -> float:
        return self.cpu / max(self.scores.docs, 1)


# --- targets ----------------------------------------------------------------------------

#: Body macro F1 and recall the pipeline reached on extractor output and HTML before the
#: page classifier: it must not lose any of it.
REFERENCE = {
    ("fundus-en", "text_trafilatura"): (0.966, 0.980), ("fundus-en", "html"): (0.963, 0.972),
    ("scrapinghub-aeb", "text_trafilatura"): (0.966, 0.976), ("scrapinghub-aeb", "html"): (0.974, 0.979),
}
#: Extractor output: the share of documents that may be harmed (scrapinghub-aeb's truth keeps
#: embedded posts in the body, which the document contract moves out).
HARMED_SHARE = {"scrapinghub-aeb": 0.02}
#: Whole-page text: body macro F1 (and comment leak) to reach.
PAGE_F1 = {"fundus-en": 0.93, "dragnet-en": 0.88, "fundus-intl": 0.92}
#: Whole-page text: the share of documents that may be harmed, where a target says one.
PAGE_HARMED = {"fundus-intl": 0.03}
#: The comment leak allowed, by input kind.
LEAK = {"text_trafilatura": 0.15, "html": 0.03, "text": 0.10}


def targets(rows: list[Row]) -> list[str]:
    """One line per target that these rows can check: met ``[x]`` or not ``[ ]``."""
    by = {(r.corpus, r.kind, r.system): r for r in rows}
    out = []

    def check(met: bool, what: str) -> None:
        out.append(f"- [{'x' if met else ' '}] {what}")

    for r in rows:
        if r.system != "cleaner":
            continue
        c, k = r.corpus, r.kind
        p, rec, f = r.scores.macro()
        where = f"{c} {k}"
        if (c, k) in REFERENCE:
            need_f, need_r = REFERENCE[(c, k)]
            check(round(f, 3) >= need_f and round(rec, 3) >= need_r,
                  f"{where}: no loss: F1 {f:.3f} >= {need_f}, recall {rec:.3f} >= {need_r}")
        leak = r.scores.rate("leak")
        if leak is not None:
            check(round(leak, 3) <= LEAK[k], f"{where}: comment leak {leak:.3f} <= {LEAK[k]}")
        if k == "text_trafilatura":
            base = by[(c, k, "uncleaned")].scores.macro()[2]
            check(round(f, 3) >= round(base + 0.01, 3), f"{where}: F1 {f:.3f} >= uncleaned {base:.3f} + 0.01")
            share = HARMED_SHARE.get(c, 0.01)
            check(r.harmed <= share * r.scores.docs, f"{where}: {r.harmed} harmed <= {share:.0%} of {r.scores.docs}")
        elif k == "html":
            best = max(by[(c, k, s)].scores.macro()[2] for s in ("trafilatura", "trafilatura-precise"))
            check(round(f, 3) >= round(best + 0.005, 3), f"{where}: F1 {f:.3f} >= trafilatura's best {best:.3f} + 0.005")
            traf = by[(c, k, "trafilatura")]
            check(r.per_page() <= 1.2 * traf.per_page(),
                  f"{where}: CPU {r.per_page():.3f} s/page <= 1.2 x trafilatura's {traf.per_page():.3f}")
            for key in ("title",):
                mine, theirs = r.scores.rate(key), traf.scores.rate(key)
                if mine is not None and theirs is not None:
                    check(round(mine, 3) >= round(theirs, 3), f"{where}: {key} {mine:.3f} >= trafilatura's {theirs:.3f}")
        elif k == "text" and c in PAGE_F1:
            check(round(f, 3) >= PAGE_F1[c], f"{where}: F1 {f:.3f} >= {PAGE_F1[c]}")
            if c in PAGE_HARMED:
                share = PAGE_HARMED[c]
                check(r.harmed <= share * r.scores.docs, f"{where}: {r.harmed} harmed <= {share:.0%} of {r.scores.docs}")
    return out


# --- running the systems -------------------------------------------------------------------


def read_truth(corpus: Path) -> list[dict]:
    with (corpus / "truth.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def inputs(folder: Path) -> dict[str, Path]:
    return {split_suffix(p.name)[0]: p for p in sorted(folder.iterdir()) if split_suffix(p.name)[1]}


def raw_bytes(path: Path) -> bytes:
    """The file's bytes, inflated if gzipped: read before the clock starts, for every system alike."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def trafilatura_alone(html: str, precise: bool = False) -> dict:
    found = trafilatura.bare_extraction(html, with_metadata=True, favor_precision=precise)
    if not found:
        return {"body": "", "title": None, "date": None, "authors": None}
    return {"body": found.text or "", "title": found.title, "date": found.date, "authors": found.author}


def cleaned(cleaner: Cleaner, data: bytes, name: str, kind: str) -> dict:
    doc = cleaner.clean_bytes(data, id=name, source=name, format="html" if kind == "html" else "text")
    if doc.rejected:
        return {"body": "", "failed": doc.rejected}
    return {"body": doc.body, "title": doc.title, "date": doc.date, "authors": list(doc.authors),
            "text_kind": doc.text_kind}


def evaluate(corpus: Path, cleaner: Cleaner, per_doc, kinds: tuple[str, ...] = KINDS) -> list[Row]:
    truth = read_truth(corpus)
    rows: list[Row] = []
    for kind in kinds:
        folder = corpus / kind
        if not folder.is_dir():
            continue
        files = inputs(folder)
        names = ["uncleaned", *(["trafilatura", "trafilatura-precise"] if kind == "html" else []), "cleaner"]
        systems = {name: Row(corpus.name, kind, name) for name in names}
        reference = "trafilatura" if kind == "html" else "uncleaned"
        lines: list[tuple[bool, str]] = []
        if kind == "html":  # a first pass, untimed: the one-off costs (imports, patterns
            for t in truth:     # compiled when first needed, caches) are not a page's
                if t["id"] in files:
                    data = raw_bytes(files[t["id"]])
                    trafilatura_alone(data.decode("utf-8", errors="replace"))
                    cleaned(cleaner, data, files[t["id"]].name, kind)
        for t in truth:
            path = files.get(t["id"])
            if path is None:
                continue
            data = raw_bytes(path)
            raw = data.decode("utf-8", errors="replace")  # trafilatura is given text, the cleaner the bytes
            outputs = {"uncleaned": lambda: {"body": raw}, "trafilatura": lambda: trafilatura_alone(raw),
                       "trafilatura-precise": lambda: trafilatura_alone(raw, precise=True),
                       "cleaner": lambda: cleaned(cleaner, data, path.name, kind)}
            figures = {}
            for name in names:
                start = time.process_time()
                out = outputs[name]()
                systems[name].cpu += time.process_time() - start
                figures[name] = (out, systems[name].scores.add(t, out.get("body"), out.get("title"), out.get("date"),
                                                               out.get("authors")))
            out, row = figures["cleaner"]
            harmed = row["r"] < figures[reference][1]["r"] - HARM
            if t.get("lang") or t.get("script"):
                group = language_group(t.get("lang"), t.get("script"))
                for name, (_o, r) in figures.items():
                    systems[name].by_language.append((group, r["f1"], name == "cleaner" and harmed))
            mine = systems["cleaner"]
            mine.harmed += harmed
            mine.refused += bool(out.get("failed"))
            mine.whole_page += out.get("text_kind") == "whole-page"
            if per_doc:
                for name, (o, r) in figures.items():
                    record = {"corpus": corpus.name, "input": kind, "system": name, **r, "failed": o.get("failed")}
                    if name == "cleaner":
                        record.update(harmed=harmed, text_kind=o.get("text_kind"))
                    lines.append((name == "cleaner" and harmed, json.dumps(record, ensure_ascii=False)))
        if per_doc:
            per_doc.writelines(line + "\n" for _, line in sorted(lines, key=lambda x: not x[0]))
        rows.extend(systems.values())
    return rows


#: The language groups of the per-language table, by BCP 47 code; the rest are told by
#: the truth's `script` (latin, cyrillic, cjk, hangul, other).
GROUPS = {
    "German": {"de"}, "Romance": {"fr", "es", "it", "pt", "ro", "ca", "gl"},
    "Nordic": {"sv", "no", "nb", "nn", "da", "is", "fi"}, "Cyrillic": {"ru", "uk", "bg", "sr", "mk", "be", "kk"},
    "CJK": {"ja", "zh", "ko"},
}
GROUP_ORDER = (*GROUPS, "other Latin script", "other")


def language_group(lang: str | None, script: str | None) -> str:
    for group, codes in GROUPS.items():
        if lang in codes:
            return group
    if script in ("cjk", "hangul"):
        return "CJK"
    if script == "cyrillic":
        return "Cyrillic"
    return "other Latin script" if script in (None, "latin") else "other"


def language_table(rows: list[Row]) -> list[str]:
    """Per corpus with languages in its truth: per language group and input kind, the
    documents, the input's F1 (trafilatura's, with its defaults, on HTML), the pipeline's,
    and the documents harmed."""
    out = []
    by = {(r.corpus, r.kind, r.system): r for r in rows}
    for (corpus, kind, system), mine in by.items():
        if system != "cleaner" or not mine.by_language:
            continue
        refs = [by[(corpus, kind, "trafilatura" if kind == "html" else "uncleaned")]]
        for group in GROUP_ORDER:
            f1s = [f for g, f, _ in mine.by_language if g == group]
            if not f1s:
                continue
            ref = max(sum(f for g, f, _ in r.by_language if g == group) / len(f1s) for r in refs)
            harmed = sum(h for g, _, h in mine.by_language if g == group)
            out.append((corpus, kind, group, len(f1s), ref, sum(f1s) / len(f1s), harmed))
    return out


def fmt(x) -> str:
    return "   –  " if x is None else f"{x:6.3f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", required=True, type=Path, help="a corpus folder (repeatable)")
    ap.add_argument("--per-doc", type=Path, help="write per-document figures (JSON lines) here")
    ap.add_argument("--rules", action="append", default=[], type=Path, help="extra rule folders, as for clean --rules")
    ap.add_argument("--input", action="append", choices=KINDS, help="score only this input kind (repeatable)")
    ap.add_argument("--precision-floor", type=float, default=Config.precision_floor,
                    help="Config.precision_floor for HTML extraction (above 1: never run trafilatura again on furniture)")
    ap.add_argument("--max-unproven-cut", type=float, default=Config.max_unproven_cut,
                    help="Config.max_unproven_cut, the harm guard (1: off), to measure what it saves and what it keeps")
    args = ap.parse_args(argv)
    config = Config(precision_floor=args.precision_floor, max_unproven_cut=args.max_unproven_cut)
    cleaner = Cleaner(config=config, rule_dirs=args.rules)
    per_doc = args.per_doc.open("w", encoding="utf-8") if args.per_doc else None
    print("| corpus | input | system | docs | body macro P / R / F1 | body micro P / R / F1 | title | date | author "
          "| leak | harmed | refused | whole-page | CPU s/page |")
    print("| --- | --- | --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    checked: list[Row] = []
    for corpus in args.corpus:
        for r in evaluate(corpus, cleaner, per_doc, tuple(args.input or KINDS)):
            checked.append(r)
            s = r.scores
            ours = r.system == "cleaner"
            extra = (f"{r.harmed} | {r.refused} | {r.whole_page / max(s.docs, 1):.1%}" if ours else "– | – | –")
            print(f"| {r.corpus} | {r.kind} | {r.system} | {s.docs} | {' /'.join(fmt(x) for x in s.macro())} | "
                  f"{' /'.join(fmt(x) for x in s.micro())} | {fmt(s.rate('title'))} | {fmt(s.rate('date'))} | "
                  f"{fmt(s.rate('author'))} | {fmt(s.rate('leak'))} | {extra} | {r.per_page():.4f} |", flush=True)
    if per_doc:
        per_doc.close()
    groups = language_table(checked)
    if groups:
        print("\n## By language group\n")
        print("| corpus | input | group | docs | input (HTML: trafilatura) | cleaner | harmed |")
        print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
        for corpus, kind, group, docs, ref, mine, harmed in groups:
            print(f"| {corpus} | {kind} | {group} | {docs} | {ref:.3f} | {mine:.3f} | {harmed} |")
    lines = targets(checked)
    for corpus, kind, group, docs, ref, mine, harmed in groups:
        if kind in ("text_trafilatura", "html"):
            lines.append(f"- [{'x' if round(mine, 3) >= round(ref, 3) else ' '}] {corpus} {kind} {group}: "
                         f"F1 {mine:.3f} >= {'trafilatura' if kind == 'html' else 'uncleaned'} {ref:.3f}")
    if lines:
        print("\n## Targets\n")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
