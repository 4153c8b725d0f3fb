"""Scoring documents against ground truth, with the metric of the evaluation corpora.

Body: a bag of words. Tokens are ``\\w+`` matches of the lowercased text read in NFC
(canonically equivalent spellings are one word, whichever form a truth or an output is in), but
each Han or Kana character is a token of its own (as the corpora's README asks for
Chinese and Japanese), compared as multisets: overlap = sum of min(count_pred, count_truth),
P = overlap / |pred|, R = overlap / |truth|, F1 = 2PR / (P + R). An empty
prediction scores 0 (1 if the truth is empty too). Macro: the mean over
documents; micro: from counts summed over documents.

Title and author: exact match after lowercasing and joining the ``\\w+`` tokens
with one space (authors joined with ``"; "`` first). Date: the same calendar
day, the first ``YYYY-MM-DD`` in each value.

>>> body_counts("The cat sat.", "the cat sat on the mat")
(3, 3, 6)
>>> tokens("市議会は橋を閉鎖 in 2024")
['市', '議', '会', 'は', '橋', 'を', '閉', '鎖', 'in', '2024']
>>> round(prf(*body_counts("The cat sat.", "the cat sat on the mat"))[2], 3)
0.667
>>> same_text("Trump ‘congratulates’ China", "trump congratulates china"), same_day("2024-01-07 01:20:00+00:00", "2024-01-07")
(True, True)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex

from .text import normal, tokens

DAY = regex.compile(r"\d{4}-\d{2}-\d{2}")


def body_counts(pred: str | None, truth: str | None) -> tuple[int, int, int]:
    """(overlap, predicted tokens, true tokens)."""
    p, t = Counter(tokens(pred)), Counter(tokens(truth))
    return sum((p & t).values()), sum(p.values()), sum(t.values())


def prf(overlap: int, n_pred: int, n_truth: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; an empty prediction scores 0 (1 against an empty truth)."""
    if n_pred == 0:
        return (1.0, 1.0, 1.0) if n_truth == 0 else (0.0, 0.0, 0.0)
    p = overlap / n_pred
    r = overlap / n_truth if n_truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def comment_leak(pred: str | None, body: str | None, comments: str | None) -> float | None:
    """The share of the reader comments' tokens left in ``pred`` once the true body's
    tokens are taken out (multisets), as the evaluation corpora's README defines it;
    None for a page without comments.

    >>> comment_leak("great article thanks the cat sat", "the cat sat", "great article thanks a lot")
    0.6
    """
    c = Counter(tokens(comments))
    if not c:
        return None
    rest = Counter(tokens(pred)) - Counter(tokens(body))
    return sum((rest & c).values()) / sum(c.values())


def same_text(pred: str | None, truth: str | None) -> bool:
    return normal(pred) == normal(truth)


def same_day(pred: str | None, truth: str | None) -> bool:
    a, b = DAY.search(pred or ""), DAY.search(truth or "")
    return bool(a and b and a.group(0) == b.group(0))


def author_string(authors) -> str | None:
    """A list of authors as the truth writes it: joined with ``"; "``."""
    if authors is None:
        return None
    if isinstance(authors, str):
        return authors
    return "; ".join(authors) or None


@dataclass
class Scores:
    """Scores of one system on one corpus; `add` one document at a time."""

    docs: int = 0
    body: list[tuple[float, float, float]] = field(default_factory=list)
    counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    title: list[bool] = field(default_factory=list)
    date: list[bool] = field(default_factory=list)
    author: list[bool] = field(default_factory=list)
    leak: list[float] = field(default_factory=list)

    def add(self, truth: dict, body: str | None, title=None, date=None, authors=None) -> dict:
        """Score one document; returns its figures. Metadata, and the comment leak, are
        scored only where the truth has them."""
        c = body_counts(body, truth.get("body"))
        p, r, f = prf(*c)
        self.docs += 1
        self.body.append((p, r, f))
        self.counts = [a + b for a, b in zip(self.counts, c)]
        row = {"id": truth.get("id"), "p": p, "r": r, "f1": f, "overlap": c[0], "pred": c[1], "truth": c[2]}
        leak = comment_leak(body, truth.get("body"), truth.get("comments"))
        if leak is not None:
            self.leak.append(leak)
            row["leak"] = leak
        for key, pred, ok in (
            ("title", title, same_text),
            ("date", date, same_day),
            ("author", author_string(authors), same_text),
        ):
            if truth.get(key) is not None:
                hit = ok(pred, truth[key])
                getattr(self, key).append(hit)
                row[key] = hit
        return row

    def macro(self) -> tuple[float, float, float]:
        n = len(self.body) or 1
        return tuple(sum(x[i] for x in self.body) / n for i in range(3))

    def micro(self) -> tuple[float, float, float]:
        return prf(*self.counts)

    def rate(self, key: str) -> float | None:
        """The mean of a per-document figure (``title``, ``date``, ``author``, ``leak``)
        over the documents that have it."""
        hits = getattr(self, key)
        return sum(hits) / len(hits) if hits else None
