"""What each rule took from documents, summed over many, before and after a change:
the documents it acted on, the lines it took (a line it cut pieces from counts once)
and their words, moved text included. Words are white-space separated, as the rules'
heuristics count them (`cleaner.text.count_words`): in text written without spaces
(Chinese, Japanese) a run between spaces is one word, so there the lines tell more.

Pure functions over output documents (the dictionaries `clean` writes), shared by
``clean diff`` (`cleaner.diff`) and the golden files' net change (`cleaner.golden`).

>>> old = {"removed": [{"rule": "H013", "line": 4, "text": "Photo: Jo Bloggs"}]}
>>> new = {"removed": [{"rule": "H013", "line": 4, "text": "Photo: Jo Bloggs"},
...                    {"rule": "U001", "line": 9, "text": "The Associated Press"}]}
>>> totals = RuleTotals()
>>> totals.add(old, new)
>>> [str(c) for c in totals.changes()]
['U001: 0 -> 1 documents, 0 -> 1 lines, 0 -> 3 words (new)']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from .text import count_words


@dataclass(frozen=True)
class RuleChange:
    """One rule's totals before and after; ``docs_changed``: the documents where what it
    takes differs."""

    rule: str
    docs_before: int = 0
    docs_after: int = 0
    lines_before: int = 0
    lines_after: int = 0
    words_before: int = 0
    words_after: int = 0
    docs_changed: int = 0

    @property
    def lines(self) -> int:
        """Lines taken now minus before."""
        return self.lines_after - self.lines_before

    @property
    def words(self) -> int:
        """Words taken now minus before."""
        return self.words_after - self.words_before

    @property
    def new(self) -> bool:
        """It acts now, and acted on no document before."""
        return self.docs_before == 0 and self.docs_after > 0

    @property
    def stopped(self) -> bool:
        """It acted before, and acts on no document now."""
        return self.docs_before > 0 and self.docs_after == 0

    @property
    def mark(self) -> str:
        return "new" if self.new else "stopped" if self.stopped else ""

    def __str__(self) -> str:
        mark = f" ({self.mark})" if self.mark else ""
        return (f"{self.rule}: {self.docs_before} -> {self.docs_after} documents, {self.lines_before} -> "
                f"{self.lines_after} lines, {self.words_before} -> {self.words_after} words{mark}")


def per_rule(doc: dict | None) -> dict[str, tuple[int, int]]:
    """Rule id -> (lines, words) of what it took from one document."""
    lines: dict[str, set] = {}
    texts: dict[str, list[str]] = {}
    for span in (doc or {}).get("removed") or ():
        rule = span.get("rule") or "?"
        lines.setdefault(rule, set()).add(span.get("line"))
        texts.setdefault(rule, []).append(span.get("text") or "")
    # one count a rule: the words of texts joined by a line break are the sum of theirs
    return {rule: (len(lines[rule]), count_words("\n".join(t))) for rule, t in texts.items()}


def span_key(span: dict) -> tuple:
    """What tells one removal from another: rule, line, action, field, text and reason."""
    return (span.get("rule"), span.get("line"), span.get("action"), span.get("to"), span.get("text"), span.get("reason"))


def spans_by_rule(doc: dict | None) -> dict[str, Counter]:
    """Rule id -> the multiset of its spans (`span_key`), to tell whether a rule's
    behaviour on a document changed."""
    out: dict[str, Counter] = {}
    for span in (doc or {}).get("removed") or ():
        out.setdefault(span.get("rule") or "?", Counter())[span_key(span)] += 1
    return out


def rules_that_changed(before: dict | None, after: dict | None) -> list[str]:
    """The rules whose spans differ between two versions of a document, by id."""
    a, b = spans_by_rule(before), spans_by_rule(after)
    return sorted(rule for rule in set(a) | set(b) if a.get(rule) != b.get(rule))


class RuleTotals:
    """Per-rule totals over many documents: `add` each (before, after) pair."""

    def __init__(self) -> None:
        self.totals: dict[str, list[int]] = {}
        self.changed: Counter[str] = Counter()

    def add(self, before: dict | None, after: dict | None) -> None:
        """Count one document's two versions (None: a side that does not have it)."""
        self.add_counts(per_rule(before), per_rule(after), rules_that_changed(before, after))

    def add_counts(self, before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]],
                   changed: Iterable[str] = ()) -> None:
        """`add`, from each side's `per_rule` and the `rules_that_changed` (worked out
        once where a caller needs them too; a document the same on both sides has none)."""
        for slot, counts in ((0, before), (1, after)):
            for rule, (lines, words) in counts.items():
                t = self.totals.setdefault(rule, [0] * 6)
                t[slot] += 1
                t[2 + slot] += lines
                t[4 + slot] += words
        self.changed.update(changed)

    def changes(self) -> list[RuleChange]:
        """The rules whose removals differ on some document, the largest change first (in
        words, then lines; then by id)."""
        rows = [RuleChange(rule, *self.totals.get(rule, [0] * 6), n) for rule, n in self.changed.items()]
        return sorted(rows, key=lambda c: (-abs(c.words), -abs(c.lines), c.rule))


def rule_changes(before: Mapping[str, dict], after: Mapping[str, dict]) -> list[RuleChange]:
    """`RuleTotals.changes` of two sets of documents by id; a document on one side only
    counts on that side."""
    totals = RuleTotals()
    for doc_id in {*before, *after}:
        totals.add(before.get(doc_id), after.get(doc_id))
    return totals.changes()
