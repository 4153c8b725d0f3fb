"""A deterministic corpus of scraped news documents, for benchmarks.

    python bench/corpus.py OUT --docs 2000            # 2,000 documents, about 40 MB
    python bench/corpus.py OUT --mb 1000               # as many as make 1 GB (streamed)

Everything comes from this repository: the prose is recombined from the
sentences of the seed articles (``seeds/*.txt``, ``seeds/cases/*.txt``), varied
with a generated word pool so that no two documents are alike; the residue is
copied word for word from the seed cases and the examples of the shipped rule
files (``rules/*.toml``), so it is residue the rules recognise. Nothing comes
from ``../shared/eval``: those pages belong to their publishers.

A document is an article of about ``mean_bytes`` (log-normal, 2 to 60 KB):
often a headline, paragraphs of curly-quoted prose separated by blank lines,
and, in about 30% of documents, two to five kinds of residue (mojibake lines,
comment forms and threads, a caption printed twice, tweets with signatures,
share bars, newsletter prompts, advertisement labels, a glued date line, page
furniture at the head or the tail).

Same arguments, same bytes: each document draws from its own
``random.Random(f"{seed}/{index}")``, so document ``i`` is the same whatever
``n`` is (the 100 MB corpus is the start of the 1 GB one). Documents are
generated one at a time and written as they come: a corpus of any size takes
a few megabytes of memory.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

#: The seed files whose article sentences make the prose (English ones; a fixed
#: list, so that a new seed does not change the corpus).
PROSE_SEEDS = (
    "000_3e7eae248d537d0f.txt",
    "001_3771d5a176e2eb79.txt",
    "cases/comment-form.txt",
    "cases/comment-thread.txt",
    "cases/cp1252-encoded.txt",
    "cases/header-furniture.txt",
    "cases/open-thread.txt",
    "cases/photo-captions.txt",
    "cases/reader-furniture.txt",
    "cases/repeated-copy.txt",
    "cases/social-embeds.txt",
    "cases/utf16-bom.txt",
)

#: Seed lines that are long sentences but residue, not prose.
NOT_PROSE = re.compile(
    r"cookies|newsletter|Akismet|Save my name|affiliate|Got a story|Follow us|"
    r"email address|Required fields|Shame it is only|Has the new study|Not yet:|Pictured|"
    r"\(@|pic\.twitter|A post shared by|https?://|â€|Ã|\ufffd"
)

GLUED_DATE = re.compile(r"^date \d{4}-\d\d-\d\d ")
ENDS_SENTENCE = re.compile(r"[.!?…][”\"’)]?$")
SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][”\"’)]))\s+(?=[“\"‘(A-Z0-9])")

# --- residue, copied from seeds/cases and the rule files' `remove` examples ---

COMMENT_FORMS = (
    # seeds/000 (the Newspaper theme)
    ("Leave a Reply", "Please enter your comment!", "Please enter your name here",
     "You have entered an incorrect email address!", "Please enter a valid email address."),
    # seeds/cases/comment-form.txt (WordPress)
    ("Leave a Reply Cancel reply",
     "Your email address will not be published. Required fields are marked *",
     "Comment *", "Name *", "Email *", "Website",
     "Save my name, email, and website in this browser for the next time I comment.",
     "Post Comment", "Δ",
     "This site uses Akismet to reduce spam. Learn how your comment data is processed."),
    ("Leave a comment", "Your email address will not be published.", "Required fields are marked *",
     "Notify me of follow-up comments by email.", "Notify me of new posts by email.", "Post Comment"),
    ("Join the conversation", "Please read our Comment Policy before commenting.",
     "You must be logged in to post a comment.", "comments powered by Disqus"),
    # seeds/cases/comment-form-de.txt and -pt.txt
    ("Schreibe einen Kommentar Antworten abbrechen",
     "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
     "Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser speichern, bis ich wieder kommentiere.",
     "Kommentar abschicken"),
    ("Deixe um comentário Cancelar resposta",
     "O seu endereço de email não será publicado. Campos obrigatórios são marcados com *",
     "Publicar comentário"),
)
#: seeds/cases/comment-thread.txt, open-thread.txt
THREAD_COMMENTS = (
    "Finally! I have been waiting for this for years.",
    "Shame it is only at weekends, I finish work at midnight every day.",
    "Will the buses from the station run that late too?",
    "Great news, we needed this.",
    "About time.",
    "Has the new study on cash transfers changed your view of the programme?",
)
THREAD_HEADS = ("{n} Comments", "Comments ({n})", "All Comments {n}")
THREAD_ENDS = ("Load more comments", "Comments are closed.", "Sort by Best")
SHARE_BARS = (
    ("Share this article", "Facebook Twitter LinkedIn Email"),
    ("Share this:", "Facebook", "Twitter", "Email"),
    ("Share", "Share on WhatsApp", "Copy link"),
    ("Share | Tweet | Print",),
)
ADVERTISEMENTS = ("Advertisement", "ADVERTISEMENT", "Advertisement - Scroll to continue",
                  "Story continues below advertisement", "Sponsored content")
NEWSLETTERS = (
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Sign up for our daily newsletter to get the top local stories in your inbox every morning.",
    "Get the latest news from us in your inbox.",
    "Subscribe Now!",
    "Already a subscriber? Log in",
    "For the latest news from around the region, sign up for our newsletters.",
)
READ_MORE = ("Read more: {h}", "ALSO READ: {h}", "MORE: {h}", "SEE MORE: {h}", "[Related: {h}]")
SKIP_LINKS = ("Skip to main content", "Skip to content", "Jump to navigation")
READING_TIMES = ("{n} min read", "{n}-minute read", "Reading time: {n} minutes")
IMAGE_CREDITS = ("Photo: {name}/Example Agency", "Image source, Getty Images", "(Getty Images)", "Credit: Reuters")
TAIL_LINES = (
    "© {year} {site}. All rights reserved.",
    "Copyright © {year} {site}, LLC.",
    "Filed under: Environment | City Hall",
    "Follow us on Twitter and Facebook for the latest news.",
    "(Reporting by {name}; Editing by {name2})",
    "This material may not be published, broadcast, rewritten or redistributed.",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")

# --- the word pool ---

ONSETS = ("b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
          "br", "cr", "dr", "gr", "pl", "st", "tr", "sh", "ch", "th", "")
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "io")
CODAS = ("", "", "", "n", "r", "s", "l", "t", "nd", "st", "m")
ACCENTS = {"e": "é", "o": "ö", "a": "á", "u": "ü"}
STOPWORDS = frozenset(("about", "after", "again", "against", "among", "their", "there", "these", "those",
                       "which", "while", "would", "where", "could", "should", "other", "since", "until",
                       "before", "being", "under", "above", "below"))


@functools.lru_cache(maxsize=4)
def material(seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The varied sentences and the proper names of corpus ``seed``.

    Each seed sentence appears in many variants: some proper nouns, some longer
    lowercase words and every number replaced from a generated pool.
    """
    rng = random.Random(f"{seed}/pool")
    words = tuple(sorted({pseudo_word(rng, rng.choice((1, 2, 2, 2, 3))) for _ in range(6000)}))
    names = tuple(sorted({pseudo_name(rng) for _ in range(2500)}))
    sentences = seed_sentences()
    variants = tuple(vary(rng.choice(sentences), rng, words, names) for _ in range(30_000))
    return variants, names


def pseudo_word(rng: random.Random, syllables: int) -> str:
    """A pronounceable made-up word, ``"trouvand"``."""
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables))


def pseudo_name(rng: random.Random) -> str:
    """A capitalised made-up name, one in twenty with an accent (``"Véstor"``)."""
    name = pseudo_word(rng, rng.choice((2, 2, 3))).capitalize()
    vowels = [i for i, c in enumerate(name) if c in ACCENTS]
    if vowels and rng.random() < 0.05:
        i = rng.choice(vowels)
        name = name[:i] + ACCENTS[name[i]] + name[i + 1 :]
    return name


def read_seed(path: Path) -> str:
    """A seed's text, whatever its encoding (UTF-8, UTF-16 with BOM, cp1252)."""
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


@functools.lru_cache(maxsize=1)
def seed_sentences() -> tuple[str, ...]:
    """The sentences of the seeds' article prose: lines of 12 words or more, split."""
    found = []
    for name in PROSE_SEEDS:
        for line in read_seed(SEEDS / name).splitlines():
            line = GLUED_DATE.sub("", line.strip())
            if len(line.split()) < 12 or NOT_PROSE.search(line):
                continue
            found += [s for s in SENTENCE_END.split(line) if len(s.split()) >= 4 and ENDS_SENTENCE.search(s)]
    return tuple(dict.fromkeys(found))


def vary(sentence: str, rng: random.Random, words: tuple[str, ...], names: tuple[str, ...]) -> str:
    """``sentence`` with a third of its proper nouns, a fifth of its longer words
    and all of its numbers replaced (years stay years)."""

    def swap(match: re.Match) -> str:
        token = match.group()
        if token.isdigit():
            if len(token) == 4 and token[:2] in ("19", "20"):
                return str(rng.randint(1990, 2026))
            if len(token) <= 2:
                return str(rng.randint(1, 28))
            return str(rng.randint(10 ** (len(token) - 1), 10 ** len(token) - 1))
        if token.islower() and len(token) >= 5 and token not in STOPWORDS and rng.random() < 0.2:
            return rng.choice(words)
        if token[0].isupper() and token[1:].islower() and match.start() > 0 and rng.random() < 0.35:
            return rng.choice(names)
        return token

    return re.sub(r"[^\W\d_]{3,}|\d+", swap, sentence)


class Article:
    """Builds one document from its own random generator."""

    def __init__(self, rng: random.Random, variants: tuple[str, ...], names: tuple[str, ...]):
        self.rng, self.variants, self.names = rng, variants, names

    # -- prose --

    def sentence(self) -> str:
        return self.rng.choice(self.variants)

    def paragraph(self) -> str:
        """One to five different sentences, 15 words or more; now and then with a dateline,
        as wire copy has."""
        count = self.rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
        sentences: list[str] = []
        while len(sentences) < count or sum(len(s.split()) for s in sentences) < 15:
            sentence = self.sentence()
            if sentence not in sentences:
                sentences.append(sentence)
        text = " ".join(sentences)
        if self.rng.random() < 0.03:
            text = f"{self.rng.choice(self.names).upper()} (AP) — {text}"
        return text

    def name(self) -> str:
        return f"{self.rng.choice(self.names)} {self.rng.choice(self.names)}"

    def date(self) -> tuple[int, int, int]:
        return self.rng.randint(2012, 2026), self.rng.randint(1, 12), self.rng.randint(1, 28)

    def phrase(self, low: int, high: int) -> str:
        """The start of a sentence, ``low`` to ``high`` words, without its final punctuation:
        a headline or a caption."""
        words = self.sentence().strip("“”\"‘’'( ").split()[: self.rng.randint(low, high)]
        return " ".join(words).rstrip(".,;:!?…—–-”\"’)").strip()

    # -- residue, each a list of lines --

    def headline(self) -> list[str]:
        return [self.phrase(5, 12)]

    def glued_date(self, first: str) -> str:
        year, month, day = self.date()
        return f" date {year}-{month:02d}-{day:02d} {first}"

    def mojibake(self, paragraph: str) -> str:
        """The paragraph's UTF-8 read as cp1252 (``’`` -> ``â€™``), or now and then as latin-1."""
        codec = "cp1252" if self.rng.random() < 0.8 else "latin-1"
        return paragraph.encode("utf-8").decode(codec, errors="replace")

    def caption_twice(self) -> list[str]:
        """The alt text (straight quotes, a leading space), then the rendered caption."""
        caption = self.phrase(7, 16)
        flat = caption.translate(str.maketrans("‘’“”–—", "''\"\"--"))
        return [f" {flat}", caption]

    def tweet(self) -> list[str]:
        year, month, day = self.date()
        handle = self.rng.choice(self.names).lower() + self.rng.choice(("", "_news", "22", "TV"))
        text = self.sentence()
        if self.rng.random() < 0.4:
            code = "".join(self.rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))
            text += f" pic.twitter.com/{code}"
        signature = f"— {self.name()} (@{handle}) {MONTHS[month - 1]} {day}, {year}"
        return [f"{text} {signature}"] if self.rng.random() < 0.7 else [text, signature]

    def share_bar(self) -> list[str]:
        return list(self.rng.choice(SHARE_BARS))

    def advertisement(self) -> list[str]:
        return [self.rng.choice(ADVERTISEMENTS)]

    def newsletter(self) -> list[str]:
        return [self.rng.choice(NEWSLETTERS)]

    def read_more(self) -> list[str]:
        return [self.rng.choice(READ_MORE).format(h=self.phrase(4, 9))]

    def image_credit(self) -> list[str]:
        return [self.rng.choice(IMAGE_CREDITS).format(name=self.name())]

    def head_furniture(self) -> list[str]:
        """A skip link, a byline, a published line and a reading time (seeds/cases/header-furniture.txt)."""
        year, month, day = self.date()
        hour, minute = self.rng.randint(1, 12), self.rng.randint(0, 59)
        return [
            self.rng.choice(SKIP_LINKS),
            f"By {self.name()}" + (f" and {self.name()}" if self.rng.random() < 0.3 else ""),
            f"Published {hour}:{minute:02d} {self.rng.choice(('AM', 'PM'))} EST, {MONTHS[month - 1]} {day}, {year}",
            self.rng.choice(READING_TIMES).format(n=self.rng.randint(2, 12)),
        ]

    def comment_form(self) -> list[str]:
        return list(self.rng.choice(COMMENT_FORMS))

    def comment_thread(self) -> list[str]:
        count = self.rng.randint(2, 5)
        comments = self.rng.sample(THREAD_COMMENTS, count)
        return [self.rng.choice(THREAD_HEADS).format(n=count), *comments, self.rng.choice(THREAD_ENDS)]

    def tail_furniture(self) -> list[str]:
        site = f"The {self.rng.choice(self.names)} {self.rng.choice(('Times', 'Post', 'Herald', 'News'))}"
        picks = self.rng.sample(TAIL_LINES, self.rng.randint(1, 3))
        return [line.format(year=self.rng.randint(2012, 2026), site=site, name=self.name(), name2=self.name())
                for line in picks]

    # -- the document --

    def build(self, size: int, residue: list[str]) -> str:
        """A document of about ``size`` characters with the given kinds of residue."""
        paragraphs: list[str] = []
        length = 0
        while length < size:
            paragraph = self.paragraph()
            if paragraph not in paragraphs:  # a repeated paragraph is residue of its own kind
                paragraphs.append(paragraph)
                length += len(paragraph) + 2
        blocks: list[list[str]] = [[p] for p in paragraphs]
        for kind in residue:
            self.insert(kind, blocks)
        if "glued_date" not in residue and self.rng.random() < 0.65:
            blocks.insert(0, self.headline())
        return "\n\n".join("\n".join(block) for block in blocks) + "\n"

    def insert(self, kind: str, blocks: list[list[str]]) -> None:
        """Put one kind of residue where pages have it: the head, the body or the tail."""
        middle = self.rng.randint(min(2, len(blocks)), max(2, len(blocks) - 1))
        if kind == "glued_date":
            blocks[0] = [self.glued_date(blocks[0][0])]
        elif kind == "mojibake":
            typographic = [i for i, block in enumerate(blocks) if not block[0].isascii()] or [0]
            for i in self.rng.sample(typographic, min(len(typographic), self.rng.randint(1, 3))):
                blocks[i] = [self.mojibake(line) for line in blocks[i]]
        elif kind in ("head_furniture", "share_bar"):
            blocks.insert(0 if kind == "head_furniture" else min(1, len(blocks)), getattr(self, kind)())
        elif kind in ("comment_form", "comment_thread", "tail_furniture"):
            blocks.append(getattr(self, kind)())
        else:
            blocks.insert(middle, getattr(self, kind)())


#: The kinds of residue a document may carry.
RESIDUE: tuple[str, ...] = (
    "mojibake", "comment_form", "comment_thread", "caption_twice", "tweet", "share_bar",
    "newsletter", "advertisement", "read_more", "image_credit", "glued_date", "head_furniture",
    "tail_furniture",
)


def doc_size(rng: random.Random, mean_bytes: int) -> int:
    """A document's size in characters: log-normal around ``mean_bytes``, within 2 to 60 KB
    (scaled with ``mean_bytes``)."""
    sigma = 0.6
    size = rng.lognormvariate(math.log(mean_bytes) - sigma**2 / 2, sigma)
    return int(min(max(size, mean_bytes / 10), mean_bytes * 3))


def document(index: int, seed: int = 0, mean_bytes: int = 20_000) -> tuple[str, str]:
    """Document ``index`` of corpus ``seed``: ``(id, text)``."""
    variants, names = material(seed)
    rng = random.Random(f"{seed}/{index}")
    doc_id = f"{index:07d}_{rng.getrandbits(64):016x}"
    residue = rng.sample(RESIDUE, rng.randint(2, 5)) if rng.random() < 0.3 else []
    if "glued_date" in residue and "head_furniture" in residue:  # a page has one or the other
        residue.remove("head_furniture")
    # Prose is slightly above one byte a character (curly quotes, dashes); residue adds a little.
    size = int(doc_size(rng, mean_bytes) * 0.99)
    return doc_id, Article(rng, variants, names).build(size, residue)


def documents(n: int | None, seed: int = 0, mean_bytes: int = 20_000) -> Iterator[tuple[str, str]]:
    """``n`` documents ``(id, text)`` (endless with ``None``), one at a time."""
    index = 0
    while n is None or index < n:
        yield document(index, seed, mean_bytes)
        index += 1


def write_corpus(
    out_dir: str | Path,
    n: int | None,
    seed: int = 0,
    mean_bytes: int = 20_000,
    shard_docs: int = 500,
    max_bytes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write JSONL shards ``out_dir/part-00000.jsonl``... of ``{"id", "text"}`` records.

    Stops after ``n`` documents or once ``max_bytes`` are written, whichever
    comes first (at least one must be given). Shards an earlier call left in
    ``out_dir`` are deleted first. Streams: one document in memory at a time.
    ``progress(docs, bytes)`` is called after each shard.
    """
    if n is None and max_bytes is None:
        raise ValueError("write_corpus needs n or max_bytes")
    return write_shards(out_dir, documents(n, seed, mean_bytes), shard_docs,
                        lambda docs, written: max_bytes is not None and written >= max_bytes, progress)


def write_shards(
    out_dir: str | Path,
    records: Iterable[tuple[str, str]],
    shard_docs: int,
    enough: Callable[[int, int], bool],
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write ``(id, text)`` records as JSONL shards ``out_dir/part-00000.jsonl``... of
    ``shard_docs`` records each, until the records end or ``enough(docs, bytes)`` is true
    after a record. Shards an earlier call left in ``out_dir`` are deleted first.
    ``progress(docs, bytes)`` is called after each shard."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.jsonl"):
        old.unlink()
    shards: list[Path] = []
    written = docs = 0
    stream = None
    try:
        for doc_id, text in records:
            if docs % shard_docs == 0:
                if stream:
                    stream.close()
                    if progress:
                        progress(docs, written)
                shards.append(out / f"part-{len(shards):05d}.jsonl")
                stream = shards[-1].open("wb")
            line = (json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n").encode("utf-8")
            stream.write(line)
            written += len(line)
            docs += 1
            if enough(docs, written):
                break
    finally:
        if stream:
            stream.close()
    if progress:
        progress(docs, written)
    return shards


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a deterministic corpus of scraped news documents as JSONL shards "
        "(records {\"id\", \"text\"}). With both --docs and --mb, the first limit reached ends it.")
    parser.add_argument("out", type=Path, help="output folder (part-00000.jsonl, part-00001.jsonl...)")
    parser.add_argument("--docs", type=int, help="number of documents (default 2000 when --mb is not given)")
    parser.add_argument("--mb", type=float, help="target size in MB (10^6 bytes) of the JSONL files")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--mean-bytes", type=int, default=20_000, help="mean document size (default 20000)")
    parser.add_argument("--shard-docs", type=int, default=500, help="documents per shard (default 500)")
    args = parser.parse_args(argv)
    docs = args.docs if args.docs is not None or args.mb is not None else 2000
    start = time.perf_counter()
    shards = write_corpus(args.out, docs, args.seed, args.mean_bytes, args.shard_docs,
                          max_bytes=int(args.mb * 1e6) if args.mb else None,
                          progress=lambda d, b: print(f"\r{d} documents, {b / 1e6:.1f} MB", end="", file=sys.stderr))
    size = sum(p.stat().st_size for p in shards)
    print(f"\n{len(shards)} shard{'s' if len(shards) > 1 else ''}, {size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s -> {args.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
