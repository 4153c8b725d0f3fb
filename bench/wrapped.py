"""Hard-wrapped extractor output: does cleaning it keep what cleaning the same text
unwrapped keeps?

    python bench/wrapped.py --corpus ../shared/eval/fundus-en --corpus ../shared/eval/dragnet-en
    python bench/wrapped.py --corpus ../shared/eval/fundus-intl --width 72

Each ``text_trafilatura/`` file of each corpus is cleaned as it is and hard-wrapped
(every paragraph broken into lines of at most ``--width`` characters, as
`textwrap.wrap` breaks them). A document is harmed when the recall of its cleaned body
against the corpus's truth falls by more than 10 points from the unwrapped file's.
Prints, per corpus and width, the documents, the harmed ones, the mean recall of both,
and the harmed documents' ids.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaner import Cleaner  # noqa: E402
from cleaner.text import tokens  # noqa: E402

#: A harmed document's recall falls by more than this (as in `bench/accuracy.py`).
HARM = 0.10


def wrap(text: str, width: int) -> str:
    """Every line of ``text`` broken into lines of at most ``width`` characters."""
    return "\n".join("\n".join(textwrap.wrap(line, width)) if line.strip() else line for line in text.split("\n"))


def recall(body: str, truth: str) -> float:
    got, want = Counter(tokens(body)), Counter(tokens(truth))
    return sum((got & want).values()) / max(1, sum(want.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", required=True, type=Path)
    parser.add_argument("--width", action="append", type=int, help="default: 60, 72, 80 and 100")
    args = parser.parse_args()
    widths = args.width or [60, 72, 80, 100]
    cleaner = Cleaner()
    print("| corpus | width | docs | harmed | recall unwrapped | recall wrapped |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for corpus in args.corpus:
        truths = [json.loads(line) for line in (corpus / "truth.jsonl").open(encoding="utf-8")]
        pairs = [(t, corpus / "text_trafilatura" / f"{t['id']}.txt") for t in truths]
        pairs = [(t, p.read_text(encoding="utf-8", errors="replace")) for t, p in pairs if p.exists()]
        plain = [recall(cleaner.clean_text(text, id=t["id"]).body or "", t["body"] or "") for t, text in pairs]
        for width in widths:
            harmed, wrapped = [], []
            for (t, text), before in zip(pairs, plain):
                after = recall(cleaner.clean_text(wrap(text, width), id=t["id"]).body or "", t["body"] or "")
                wrapped.append(after)
                if after < before - HARM:
                    harmed.append(t["id"])
            n = len(pairs)
            print(f"| {corpus.name} | {width} | {n} | {len(harmed)} | {sum(plain) / n:.3f} | {sum(wrapped) / n:.3f} |"
                  + (f" {', '.join(h[:16] for h in harmed)}" if harmed else ""))


if __name__ == "__main__":
    main()
