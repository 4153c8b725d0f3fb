"""How far the page classifier is from what its input allows: whole-page text scored
against the truth, beside three ceilings.

    python bench/page_ceiling.py --corpus ../shared/eval/fundus-en --corpus ../shared/eval/scrapinghub-aeb

On a page that ``clean`` takes for a whole page, the page classifier (`cleaner.page`)
chooses among the lines the rule stages leave. A line counts as the article's when its
words (`cleaner.evaluate.normal`) occur, in order and together, in the truth's body. Scored with the harness's metric (body macro P / R /
F1, `cleaner.evaluate`), the rows are:

- ``classifier``: the pipeline, as ``bench/accuracy.py`` scores it on ``text/``;
- ``best run of lines``: the single run of consecutive lines that scores best. The
  classifier keeps one run (the main text) and thins it, so this bounds how well the
  run can be chosen;
- ``every article line``: the lines the truth holds, and no others;
- ``learned, threshold T``: a gradient-boosted classifier of lines (scikit-learn, if
  installed), reading the classifier's own features of each line and of its
  neighbours, trained on the corpora given, pooled. Each page is scored by the model of
  the four folds (of five, by page) that did not see it. This is what the features
  can tell when their weights are learned rather than set.

Pages taken for articles are scored as the pipeline leaves them, in every row.
"""

from __future__ import annotations

import argparse
import math
import sys
import zlib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accuracy import inputs, raw_text, read_truth  # noqa: E402

from cleaner import Cleaner, Config  # noqa: E402
from cleaner.evaluate import Scores, normal  # noqa: E402
from cleaner.page import classify, read_page  # noqa: E402
from cleaner.pagekind import is_menu_line  # noqa: E402

FOLDS = 5
THRESHOLDS = (0.3, 0.4, 0.5)


class WholePage:
    """One whole page: its lines as the classifier reads them, what it kept, which lines
    the truth holds."""

    def __init__(self, truth: dict, body: str, config: Config):
        """``body``: what the rule stages leave of the page, its blocks set off by blank lines."""
        self.truth = truth
        self.lines, self.blocks = [], []
        for k, block in enumerate(body.split("\n\n")):
            for line in block.split("\n"):
                if line.strip():
                    self.lines.append(line.strip())
                    self.blocks.append(k)
        self.page = read_page(self.lines, config)
        # the classifier's verdicts, one of the learned features (read without the rules' edge hits)
        self.kept = [v.keep for v in classify(self.page, config, self.blocks)]
        truth_words = f" {normal(truth.get('body'))} "
        self.article = [bool(normal(line)) and f" {normal(line)} " in truth_words for line in self.lines]

    def text(self, chosen) -> str:
        return "\n".join(line for line, c in zip(self.lines, chosen) if c)


def best_run(p: WholePage) -> list[bool]:
    """The run of consecutive lines whose article words give the best F1 (line labels)."""
    words = [len(line.split()) for line in p.lines]
    total = sum(w for w, a in zip(words, p.article) if a) or 1
    best, span = -1.0, (0, 0)
    for a in range(len(words)):
        ov = n = 0
        for b in range(a, len(words)):
            n += words[b]
            ov += words[b] * p.article[b]
            f = 2 * ov / (n + total) if n else 0.0
            if f > best:
                best, span = f, (a, b + 1)
    return [span[0] <= i < span[1] for i in range(len(words))]


def features(p: WholePage, config: Config) -> list[list[float]]:
    """Each line's features: the classifier's own, its verdict, and those of its neighbours."""
    f, prose, region = p.page.features, p.page.prose, p.page.region
    n = len(f)
    menu = [is_menu_line(x, config) for x in f]
    repeats = Counter(p.lines)

    def around(values, i, k):
        near = values[max(0, i - k):i] + values[i + 1:i + 1 + k]
        return sum(near) / len(near) if near else 0.0

    rows = []
    for i, x in enumerate(f):
        distance = 0 if i in region else (region.start - i if i < region.start else i - region.stop + 1)
        rows.append([
            math.log1p(x.words), math.log1p(x.size), x.ends_sentence,
            -1.0 if x.stop_density is None else x.stop_density, x.link_share, prose[i], menu[i],
            i / n, i in region, i < region.start, math.log1p(distance), p.kept[i],
            around(prose, i, 3), around(menu, i, 3), around(prose, i, 8), around(menu, i, 8),
            repeats[p.lines[i]] > 1, p.lines[i].endswith(":"),
        ])
    return rows


def learned(pages: list[tuple[str, WholePage]], config: Config) -> dict[float, dict[str, list[bool]]] | None:
    """Out-of-fold choices of the learned classifier, by threshold and page id; None
    without scikit-learn."""
    try:
        import numpy as np
        from sklearn.ensemble import HistGradientBoostingClassifier
    except ImportError:
        return None
    X = {p.truth["id"]: np.array(features(p, config), dtype=float) for _, p in pages}
    y = {p.truth["id"]: np.array(p.article) for _, p in pages}
    fold = {i: zlib.crc32(i.encode()) % FOLDS for i in X}
    probability: dict[str, list[float]] = {}
    for k in range(FOLDS):
        train = [i for i in X if fold[i] != k]
        Xt, yt = np.vstack([X[i] for i in train]), np.concatenate([y[i] for i in train])
        model = HistGradientBoostingClassifier(max_depth=3, max_iter=100, random_state=0)
        model.fit(Xt, yt, sample_weight=np.expm1(Xt[:, 0]) + 1)  # weighed by words, as the metric is
        for i in X:
            if fold[i] == k:
                probability[i] = list(model.predict_proba(X[i])[:, 1])
    return {t: {i: [q > t for q in probability[i]] for i in probability} for t in THRESHOLDS}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", required=True, type=Path, help="a corpus folder (repeatable)")
    args = ap.parse_args(argv)
    config = Config()
    pipeline = Cleaner(config=config)
    rules_only = Cleaner(config=Config(text_kind="article"))  # the lines the classifier reads
    pages: list[tuple[str, WholePage]] = []
    articles: list[tuple[str, dict, str]] = []  # (corpus, truth, the pipeline's body)
    cleaned: dict[str, str] = {}
    for corpus in args.corpus:
        files = inputs(corpus / "text")
        for t in read_truth(corpus):
            path = files.get(t["id"])
            if path is None:
                continue
            data = raw_text(path).encode("utf-8")
            doc = pipeline.clean_bytes(data, id=path.name, source=path.name)
            cleaned[t["id"]] = doc.body or ""
            if doc.text_kind != "whole-page":
                articles.append((corpus.name, t, doc.body or ""))
                continue
            pages.append((corpus.name, WholePage(t, rules_only.clean_bytes(data, id=path.name).body or "", config)))
    rows: dict[str, dict[str, Scores]] = {}

    def score(name: str, chosen) -> None:
        by_corpus = rows.setdefault(name, {c.name: Scores() for c in args.corpus})
        for corpus, t, body in articles:
            by_corpus[corpus].add(t, body)
        for corpus, p in pages:
            by_corpus[corpus].add(p.truth, chosen(p))

    score("classifier", lambda p: cleaned[p.truth["id"]])
    score("best run of lines", lambda p: p.text(best_run(p)))
    score("every article line", lambda p: p.text(p.article))
    models = learned(pages, config)
    if models is None:
        print("(the learned rows need scikit-learn: pip install scikit-learn)", file=sys.stderr)
    else:
        for t, chosen in models.items():
            score(f"learned, threshold {t}", lambda p, c=chosen: p.text(c[p.truth["id"]]))
    names = [c.name for c in args.corpus]
    print("| body macro P / R / F1 on text/ | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    for name, by_corpus in rows.items():
        cells = (" / ".join(f"{x:.3f}" for x in by_corpus[c].macro()) for c in names)
        print(f"| {name} | " + " | ".join(cells) + " |")
    whole = Counter(c for c, _ in pages)
    print("\nwhole pages: " + ", ".join(f"{c} {whole[c]} of {whole[c] + sum(1 for a, *_ in articles if a == c)}"
                                      for c in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
