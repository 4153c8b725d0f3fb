"""A benchmark corpus of real pages: the shared corpora's text files, varied, as JSONL.

    python bench/realtext.py OUT                       # 2,000 documents and 40 MB at least
    python bench/realtext.py OUT --docs 500 --mb 10    # a quick one

It reads every ``text/`` and ``text_trafilatura/`` file of the corpora under
``--eval`` (default ``../shared/eval``): whole pages' text and an extractor's output,
news and blogs, in every language the corpora hold. It writes JSONL shards
``part-00000.jsonl``... of ``{"id", "text"}`` records until both ``--docs``
documents and ``--mb`` MB are written: the files in a seeded order, round after
round, each copy after the first varied a little so that the copies of a file differ
(its digits changed, two of its paragraphs swapped), and about 30% of the
documents given the residue a crawl adds on top of what the pages already carry:
lines of mojibake (UTF-8 read as Windows-1252) and residue the shipped rules know
(a ``remove`` example of a rule, at the head or the tail).

The pages belong to their publishers: the corpus is made where they are, on the
machine that runs the benchmark, and is never stored in the project. Same
arguments and files, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tomllib
from itertools import count
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_gen  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
KINDS = ("text", "text_trafilatura")
MB = 1_000_000


def sources(eval_dir: Path = EVAL) -> list[Path]:
    """Every text file of every corpus, in a fixed order."""
    return sorted(p for kind in KINDS for p in eval_dir.glob(f"*/{kind}/*.txt"))


def fingerprint(files: list[Path]) -> str:
    """Changes with this generator and with the files it reads (names and sizes)."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for p in files:
        digest.update(f"{p.parent.parent.name}/{p.parent.name}/{p.name}:{p.stat().st_size}\n".encode())
    return digest.hexdigest()[:16]


def residue() -> list[str]:
    """The shipped rules' ``remove`` examples of one line: residue the rules know."""
    out = []
    for path in sorted((ROOT / "rules").glob("*.toml")):
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rule", []):
            out += [r for r in rule.get("remove", []) if "\n" not in r and r.strip()]
    return out


def mojibake(line: str) -> str:
    """The line as a page declared Windows-1252 shows its UTF-8 bytes ("cafÃ©")."""
    return line.encode("utf-8").decode("sloppy-windows-1252")


def vary(text: str, rng: random.Random, copy: int, extra: list[str]) -> str:
    """``text`` itself the first time; after that with its digits changed (by the copy's
    number) and two of its paragraphs (or lines, in a text without blank lines) swapped,
    never the first; about 30% of the time also with residue."""
    if copy:
        shift = copy % 9 + 1
        text = text.translate(str.maketrans("0123456789", "".join(str((d + shift) % 10) for d in range(10))))
        sep = "\n\n" if text.count("\n\n") >= 3 else "\n"  # paragraphs, or lines of a text without blank lines
        parts = text.split(sep)
        if len(parts) > 3:
            i, j = rng.sample(range(1, len(parts)), 2)
            parts[i], parts[j] = parts[j], parts[i]
        text = sep.join(parts)
    if rng.random() < 0.3:
        lines = text.split("\n")
        accented = [i for i, ln in enumerate(lines) if not ln.isascii()]
        for i in rng.sample(accented, min(len(accented), rng.randint(1, 3))):
            lines[i] = mojibake(lines[i])
        for _ in range(rng.randint(1, 3)):
            at = 0 if rng.random() < 0.5 else len(lines)
            lines.insert(at, rng.choice(extra))
        text = "\n".join(lines)
    return text


def write_corpus(out_dir: Path, docs: int = 2000, max_bytes: int = 40 * MB, seed: int = 0,
                 shard_docs: int = 500, eval_dir: Path = EVAL) -> list[Path]:
    """Write the shards (those an earlier call left are deleted first) until ``docs``
    documents and ``max_bytes`` bytes are both written; returns their paths."""
    files = sources(eval_dir)
    if not files:
        raise FileNotFoundError(f"no text/ or text_trafilatura/ files under {eval_dir}: give --eval the folder "
                                f"of the shared corpora")
    texts = [p.read_bytes().decode("utf-8", "replace") for p in files]
    names = [f"{p.parent.parent.name}/{p.parent.name}/{p.stem}" for p in files]
    extra = residue()

    def records():
        order = list(range(len(files)))
        for copy in count():  # round after round, until the shards have enough
            rng = random.Random(f"{seed}/{copy}")
            rng.shuffle(order)
            for k in order:
                yield f"{names[k]}#{copy}", vary(texts[k], rng, copy, extra)

    return corpus_gen.write_shards(out_dir, records(), shard_docs,
                                   lambda written_docs, written: written_docs >= docs and written >= max_bytes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="output folder (part-00000.jsonl, ...)")
    parser.add_argument("--docs", type=int, default=2000, help="documents at least (default 2000)")
    parser.add_argument("--mb", type=float, default=40.0, help="MB (10^6 bytes) at least (default 40)")
    parser.add_argument("--seed", type=int, default=0, help="the order and the variations (default 0)")
    parser.add_argument("--eval", type=Path, default=EVAL, help="the shared corpora (default ../shared/eval)")
    args = parser.parse_args(argv)
    shards = write_corpus(args.out, args.docs, int(args.mb * MB), args.seed, eval_dir=args.eval)
    size = sum(p.stat().st_size for p in shards)
    print(f"{len(shards)} shards, {size / MB:.1f} MB -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
