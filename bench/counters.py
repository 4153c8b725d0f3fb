"""A comment counter or link above an article: does cleaning keep the article under it?

    python bench/counters.py --corpus ../shared/eval/fundus-en --corpus ../shared/eval/dragnet-en

News sites and blogs print the way to their comments at the top of a post, beside its
date and author: a counter ("53 Comments"), a link ("Leave a comment", "Read all
comments") or a tab ("Reader Comments"). The same words head a comment section at the
bottom, where a cut to the end of the text is right. Each ``text_trafilatura/`` file of
each corpus is cleaned as it is and with one such line put in at the top (above its
first line) and right below its first line (a headline, or the first paragraph). A
document is harmed when the recall of its cleaned body against the corpus's truth falls
by more than 10 points from the plain file's. Prints, per form and place, the documents
harmed of all and the first of their ids.

A line of this kind below three paragraphs of prose is read as the end of the article
(`cleaner.guard.safe_cut`), by design: it is not measured here.
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
FORMS = ["53 Comments", "Comments (12)", "Comments", "Leave a comment", "Leave a Reply", "Reader Comments",
         "Read all comments", "All comments", "Top Rated Comments", "View comments", "12 Kommentare",
         "5 comentarios", "3 commentaires"]
#: Where the line goes: above the first line, or right below it.
PLACES = {"top": 0, "below the first line": 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", required=True, type=Path)
    parser.add_argument("--form", action="append", help="default: the forms of FORMS")
    args = parser.parse_args()
    cleaner = Cleaner()
    pairs = []
    for corpus in args.corpus:
        truths = [json.loads(line) for line in (corpus / "truth.jsonl").open(encoding="utf-8")]
        found = [(t, corpus / "text_trafilatura" / f"{t['id']}.txt") for t in truths]
        pairs += [(t, p.read_text(encoding="utf-8", errors="replace")) for t, p in found if p.exists()]
    plain = [recall(cleaner.clean_text(text, id=t["id"]).body or "", t["body"] or "") for t, text in pairs]
    print("| form | place | docs | harmed |")
    print("| --- | --- | ---: | ---: |")
    for form in args.form or FORMS:
        for place, at in PLACES.items():
            harmed = []
            for (t, text), before in zip(pairs, plain):
                lines = text.split("\n")
                put = "\n".join([*lines[:at], form, *lines[at:]])
                if recall(cleaner.clean_text(put, id=t["id"]).body or "", t["body"] or "") < before - HARM:
                    harmed.append(t["id"])
            print(f"| {form} | {place} | {len(pairs)} | {len(harmed)} |"
                  + (f" {', '.join(h[:16] for h in harmed[:8])}" if harmed else ""))


if __name__ == "__main__":
    main()
