"""Comment threads in the forms blogs and forums print them: how much of each stays?

    python bench/threads.py --corpus ../shared/eval/dragnet-en

The corpus's truth keeps each page's reader comments apart (``comments``). For each
page with two or more of them (paragraphs of six words or more, the first six), the
truth's body is followed by those comments signed in one of the forms below, each
post under or over its commenter's line, with names and dates drawn from a fixed
list; the text is cleaned, and the bench prints per form the mean share of the
comments' words left in the body (the leak, as `bench/accuracy.py` measures it) and
the mean share of the body's words lost.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner import Cleaner  # noqa: E402
from cleaner.text import tokens  # noqa: E402

NAMES = ["jsmith", "Mary K.", "dave_r", "Anonymous", "Peter", "LindaB", "mike1987", "Sarah Jones"]
DATES = ["March 3, 2012 at 4:15 pm", "November 12, 2012 at 3:27 PM", "July 21, 2012 at 10:02 am"]
#: How a post is printed with its commenter's name and date.
FORMS = {
    "name says: / date / post / Reply": lambda n, d, b: f"{n} says:\n{d}\n{b}\nReply",
    "name • 3 years ago / post / Reply • Share ›": lambda n, d, b: f"{n} • 3 years ago\n{b}\nReply • Share ›",
    "name on date said: / post": lambda n, d, b: f"{n} on {d} said:\n{b}",
    "post / Posted by: name (bar) date": lambda n, d, b: f"{b}\nPosted by: {n} | {d}",
    "name / date / post": lambda n, d, b: f"{n}\n{d}\n{b}",
    "name wrote: / post": lambda n, d, b: f"{n} wrote:\n{b}",
    "name 12 points 3 hours ago / post / permalink / reply": lambda n, d, b: f"{n} 12 points 3 hours ago\n{b}\npermalink\nreply",
    "name / post / Like · Reply · 3y": lambda n, d, b: f"{n}\n{b}\nLike · Reply · 3y",
}


def share(part: Counter, whole: Counter) -> float:
    return sum((part & whole).values()) / max(1, sum(whole.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/eval/dragnet-en")
    args = parser.parse_args()
    truths = [json.loads(line) for line in (args.corpus / "truth.jsonl").open(encoding="utf-8")]
    cleaner = Cleaner()
    print("| form | pages | leak | body lost |")
    print("| --- | ---: | ---: | ---: |")
    for name, form in FORMS.items():
        pick = random.Random(3)
        leaks, lost = [], []
        for truth in truths:
            posts = [p.strip() for p in (truth.get("comments") or "").split("\n\n") if len(p.split()) >= 6][:6]
            if len(posts) < 2:
                continue
            thread = "\n".join(form(pick.choice(NAMES), pick.choice(DATES), post) for post in posts)
            body = Counter(tokens(cleaner.clean_text(truth["body"] + "\n" + thread, id=truth["id"]).body or ""))
            article = Counter(tokens(truth["body"]))
            leaks.append(share(body, Counter(tokens("\n".join(posts))) - article))
            lost.append(1 - share(body, article))
        print(f"| {name} | {len(leaks)} | {sum(leaks) / len(leaks):.2f} | {sum(lost) / len(lost):.3f} |")


if __name__ == "__main__":
    main()
