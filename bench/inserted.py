"""Lines an article may hold, put into extractor output: does cleaning keep the article?

    python bench/inserted.py --corpus ../shared/eval/fundus-en --corpus ../shared/eval/dragnet-en
    python bench/inserted.py --corpus ../shared/eval/fundus-en --family lists

Each ``text_trafilatura/`` file of each corpus is cleaned as it is and with lines put
in, one family at a time:

- ``counters``: the way to a post's comments, which news sites and blogs print at its
  top beside its date and author: a counter ("53 Comments"), a link ("Leave a
  comment", "Read all comments") or a tab ("Reader Comments"), put above the first
  line and right below it (a headline, or the first paragraph). The same words head a
  comment section at the bottom, where a cut to the end of the text is right; a line of
  this kind below three paragraphs of prose is read as the article's end by design
  (`cleaner.guard.safe_cut`), and is not measured here.
- ``lists``: a list printed without bullets, as many scrapers print one (a recipe's
  ingredients, a product's specifications, a guide's headings), put below the second
  line and in the middle of the text: an article's list, which a page's navigation
  bar looks like.

A document is harmed when the recall of its cleaned body against the corpus's truth
falls by more than 10 points from the plain file's. Prints, per family, form and place,
the documents harmed of all, the ones taken for whole pages, and the first harmed ids.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner import Cleaner  # noqa: E402
from wrapped import HARM, recall  # noqa: E402

#: What a post's head prints to lead to its comments.
COUNTERS = ["53 Comments", "Comments (12)", "Comments", "Leave a comment", "Leave a Reply", "Reader Comments",
            "Read all comments", "All comments", "Top Rated Comments", "View comments", "12 Kommentare",
            "5 comentarios", "3 commentaires"]
#: Lists an article prints without bullets.
LISTS = {
    "ingredients": ["Flour", "Brown sugar", "Two eggs", "Butter", "Whole milk", "Salt", "Dry yeast", "Warm water"],
    "headings": ["Best Budget Phone", "Best Camera Phone", "Best Battery Life", "Best Small Phone", "Best Foldable",
                 "Best for Gaming"],
    "specifications": ["Price: $499", "Weight: 180 g", "Battery: 4,500 mAh", "Screen: 6.1 inches", "Storage: 128 GB",
                       "Colours: black, blue"],
    "bulleted": ["- Flour", "- Brown sugar", "- Two eggs", "- Butter", "- Whole milk", "- Salt"],
}
#: family: (forms by name, places by name: where the lines go in a text of n lines)
FAMILIES = {
    "counters": ({form: [form] for form in COUNTERS}, {"top": lambda n: 0, "below the first line": lambda n: min(1, n)}),
    "lists": (LISTS, {"below the second line": lambda n: min(2, n), "middle": lambda n: n // 2}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", required=True, type=Path)
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES), help="default: all of them")
    args = parser.parse_args()
    cleaner = Cleaner()
    pairs = []
    for corpus in args.corpus:
        truths = [json.loads(line) for line in (corpus / "truth.jsonl").open(encoding="utf-8")]
        found = [(t, corpus / "text_trafilatura" / f"{t['id']}.txt") for t in truths]
        pairs += [(t, p.read_text(encoding="utf-8", errors="replace")) for t, p in found if p.exists()]
    plain = [recall(cleaner.clean_text(text, id=t["id"]).body or "", t["body"] or "") for t, text in pairs]
    print("| family | form | place | docs | harmed | whole pages |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for family in args.family or FAMILIES:
        forms, places = FAMILIES[family]
        for name, block in forms.items():
            for place, at in places.items():
                harmed, pages = [], 0
                for (t, text), before in zip(pairs, plain):
                    lines = text.split("\n")
                    k = at(len(lines))
                    doc = cleaner.clean_text("\n".join([*lines[:k], *block, *lines[k:]]), id=t["id"])
                    pages += doc.text_kind == "whole-page"
                    if recall(doc.body or "", t["body"] or "") < before - HARM:
                        harmed.append(t["id"])
                print(f"| {family} | {name} | {place} | {len(pairs)} | {len(harmed)} | {pages} |"
                      + (f" {', '.join(h[:16] for h in harmed[:8])}" if harmed else ""))


if __name__ == "__main__":
    main()
