"""Whole-page text: which lines are the article, told from the text alone.

A naive scraper keeps every visible string of a page: menus, footers, cookie
notices, teasers of other stories, with no markup left to say which is which.
What is left to go by is what each line looks like and what surrounds it, as in
jusText's paragraph classification, without its link density and tags:

1. **Features of a line** (`LineFeatures`): its size (characters; a character of
   a script written without spaces counts as three), its words, whether it ends
   like a sentence, its stop-word density in the page's language (jusText's
   stop lists; `page_language`), and how much of it is links.
2. **Prose** (`is_page_prose`): a line with enough words (or, without spaces, enough
   characters) that ends like a sentence, reads as the page's language and is
   not mostly links.
3. **The main text** (`main_text`): the densest run of prose. Each prose line
   weighs its size, every other line a fixed penalty; the run of lines with the
   largest total (Kadane's maximum subarray) is the article. Menus, footers and
   teasers around it are runs of short lines, whose penalties cut them off;
   a short line inside the article (a subheading, a caption) costs little
   against the prose on both sides. The rules' own hits are evidence too: where
   they took out furniture that sits at an article's edge (`Rule.page_edge`: a
   share bar, a newsletter prompt, a comment form), the penalty is paid again.
4. **Inside the main text**, prose stays, and so do headings (a short line,
   not a sentence, right above prose) and short sentences; any other short line
   (a caption, a label, a link) goes.

Every line taken out is recorded under ``W001`` (`cleaner.builtin`) with the reason that
decided it (`Verdict.reason`). The thresholds are `Config` fields (``page_*``),
whose defaults `bench/accuracy.py` justifies on the corpora of
``../shared/eval``.

Whether a text is a whole page at all is told by the menu lines above its main
text (`cleaner.pagekind`): a page's navigation comes before its article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import regex

from .config import Config
from .language import MAY_BE_UNSPACED, UNSPACED, WORD, stoplist, stoplist_language
from .punctuation import CLOSERS as CLOSING, SENTENCE_MARKS as MARKS, char_class

#: An emoji: one shown as such by default, or a pictograph asked to be one (U+FE0F), with
#: its skin tone and the joiners of a sequence. Not ©, ™ or an arrow, which are text.
EMOJI = r"(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Emoji_Modifier}|\u200D)"
#: A quote, and who said it, the full stop after them left out: "... the bridge,” said Jo Roe",
#: "... gebaut wird“, sagte Jana Beck".
QUOTED = r"(?:[,.!?][\"’”“»«]|[\"’”“»«],)\s+\p{L}[\p{L}.'’-]*(?:\s+\p{L}[\p{L}.'’-]*){0,3}\s*$"
QUOTED_END = regex.compile(QUOTED)
#: The closing quotes a `QUOTED_END` has one of.
QUOTES = frozenset("\"’”“»«")
#: A line ending like a sentence, in the scripts whose full stops differ from ".", and before
#: the closing quotes of any language (German „…“, Danish »…«, French « … »); informal
#: writing ends a sentence with an emoji too, after the full stop or in its place, or with a
#: smiley typed as text (``:-)``); and a quote with who said it (`QUOTED_END`).
SENTENCE_END = regex.compile(rf"(?:{char_class(MARKS)}(?:\s*{char_class(CLOSING)})*|{EMOJI}|(?<!\S)[:;]-?[)(DP])(?:\s*{EMOJI})*\s*$|{QUOTED}")
#: A sentence signed with its writer's initials, in lower case, as an article's last line
#: is ("... verstorben. (nz)", "... beschlagnahmt. / ab"): a desk's mark, not a caption's
#: credit (an agency or photographer, capitalised: "(AP)", "(Jane Doe/Reuters)").
SIGNED_END = regex.compile(r"[.!?][\"'’”“»«)]*\s*(?:\(\p{Ll}{2,4}\)|/\s*\p{Ll}{2,4})\s*$"
                            # a Chinese report's reporters after its last sentence: "。（记者王明）"
                            r"|[。！？][」』”]*\s*[（(](?:本报)?(?:记者|記者|通讯员)[^（）()]{1,40}[）)]?\s*$"
                            # a Japanese report's reporters and their cities: "。【ロンドン山田太郎】"
                            r"|[。！？][」』”]*\s*【[^【】]{1,40}】\s*$")
#: A line cut short, as a teaser or a link to more is: it ends with an ellipsis.
TRUNCATED = regex.compile(r"(?:\.\.\.|…)[\"'’”“‘»«›‹)\]]*\s*$")
#: A sentence's end inside a line, before the next sentence.
INNER_END = regex.compile(r"[.!?…。！？؟।][\"'’”»)]*\s+(?=\S)")
#: What a caption's credit after its last sentence holds: "Credit: ESA", "(Photo: Jo Roe)",
#: "© Agency", "Jo Roe/Agency".
CREDIT_MARK = regex.compile(r"[:©/()]")
#: What a link leaves in text: an address, a handle or tag, a breadcrumb or menu separator.
LINK_PIECE = regex.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|[@#]\w+|(?<=\s|^)[|»›>•·](?=\s|$)")
#: `LINK_PIECE` on a text without "@" (where ``\S+@`` would try every word's every ending).
LINK_PIECE_WITHOUT_AT = regex.compile(r"https?://\S+|www\.\S+|#\w+|(?<=\s|^)[|»›>•·](?=\s|$)")
#: What every `LINK_PIECE` holds one of: a text without any has none.
MAY_BE_LINK = re.compile(r"[:@#|»›>•·]|www\.")
#: `SENTENCE_END`'s marks (`cleaner.punctuation`): a text that ends with a mark and any
#: of the closing quotes matches it.
SENTENCE_MARKS = frozenset(MARKS)
#: The ASCII characters `SENTENCE_END` can end on: a mark, a closing quote or bracket, a
#: smiley. Of the others, it ends on none that is a letter or a digit.
SENTENCE_END_ASCII = frozenset(".!?:;\"')](DP")


@dataclass(frozen=True, slots=True)
class LineFeatures:
    """What the classifier reads off one line."""

    text: str
    size: int  # characters, a character of an unspaced script counting as three
    words: int
    ends_sentence: bool
    stop_density: float | None  # None: the page's language has no stop list
    link_share: float  # the share of the line's characters in link-like pieces


@dataclass(frozen=True, slots=True)
class Verdict:
    """The classifier's decision on one line: keep it or not, and why."""

    keep: bool
    reason: str


def page_language(texts: list[str], config: Config, words: list[list[str]] | None = None
                  ) -> tuple[str | None, frozenset[str]]:
    """The language whose stop list the page's words fit best, and that list; ``(None, {})``
    when no list holds at least ``config.page_stoplist_fit`` of the words (a script
    without spaces, or a language jusText has no list for): `cleaner.language`.
    ``words``: each text's words (`WORD`, in lower case), when they are known."""
    text = "\n".join(texts)
    if words is not None and len(words) != text.count("\n") + 1:  # a text with a line break of its own
        words = None
    name = stoplist_language(text, config, words)
    return (name, stoplist(name)) if name else (None, frozenset())


def line_features(texts: list[str], stop: frozenset[str] | None,
                  words: dict[str, list[str]] | None = None) -> list[LineFeatures]:
    """The features of each of ``texts``, the lines of a page: ``stop`` is its language's
    stop list, ``words`` the words (`WORD`, in lower case) of each stripped text, when
    they are known. A text the page repeats is read once."""
    stripped = [text.strip() for text in texts]
    read = {}
    for t in dict.fromkeys(stripped):
        w = WORD.findall(t.lower()) if words is None else words[t]
        unspaced = len(UNSPACED.findall(t)) if MAY_BE_UNSPACED.search(t) else 0
        # stop words are counted in lines of a script with spaces
        density = (sum(map(stop.__contains__, w)) / len(w) if w else 0.0) if stop and unspaced * 2 < len(t) else None
        read[t] = LineFeatures(t, len(t) + 2 * unspaced, len(w), bool(sentence_end(t) or signed_end(t)),
                               density, link_size(t) / len(t) if t else 0.0)
    return [read[t] for t in stripped]


def link_size(text: str) -> int:
    """How many characters of ``text`` are in link-like pieces (`LINK_PIECE`), asked only of
    a text with a character that starts one."""
    if not MAY_BE_LINK.search(text):
        return 0
    return sum(map(len, (LINK_PIECE if "@" in text else LINK_PIECE_WITHOUT_AT).findall(text)))


def sentence_end(text: str) -> bool:
    """``SENTENCE_END.search(text)``: true at once of a text that ends with a mark and closing
    quotes (`SENTENCE_MARKS`), false at once of one whose last character before white space
    cannot end a match (`SENTENCE_END_ASCII`), and the pattern asked of the others; a text
    that ends with a letter ends like a sentence when it ends with a quote and who said it
    (`QUOTED_END`)."""
    if text.rstrip(CLOSING)[-1:] in SENTENCE_MARKS:
        return True
    last = text.rstrip()[-1:]
    if last.isalpha() and not QUOTES.isdisjoint(text) and QUOTED_END.search(text) is not None:
        return True
    return ((last in SENTENCE_END_ASCII or last > "\x7f" and not last.isalnum())
            and SENTENCE_END.search(text) is not None)


def signed_end(text: str) -> bool:
    """``SIGNED_END.search(text)``, asked only of a text that has a "/", ends with ")" or
    "】", or has a full-width "（"."""
    return ("/" in text or text.rstrip()[-1:] in ")】" or "（" in text) and SIGNED_END.search(text) is not None


def is_page_prose(f: LineFeatures, config: Config) -> bool:
    """A line of a whole page's running text, read from its features: long enough (in
    words, or in characters for a script without spaces), ending like a sentence, in the
    page's language (when it has a stop list) and not mostly links. Extractor output is
    read line by line with `cleaner.text.is_prose` instead, which asks only the first two."""
    long_enough = f.words >= config.page_prose_min_words or f.size >= config.page_prose_min_size
    return (long_enough and f.ends_sentence and f.link_share < config.page_max_link_share
            and (f.stop_density is None or f.stop_density >= config.page_min_stop_density))


def main_text(features: list[LineFeatures], prose: list[bool], config: Config,
              edges: frozenset[int] = frozenset()) -> range:
    """The run of lines with the largest total weight: a prose line weighs its size, a short
    sentence between two lines of running text (prose or short sentences) nothing, any
    other line ``-config.page_gap_penalty`` (Kadane's maximum subarray). A line in
    ``edges`` (one right below page furniture that the rules took out, `Rule.page_edge`:
    a share bar, a comment form) costs that much more, as the line taken out would have.
    A numbered list right below that run, and the prose after it, are the main text's too
    (`_past_list`); so is a paragraph right above it that lacks only its last full stop
    (`_paragraph`: its mark printed on a line of its own, which a rule took out). Empty
    when the page has no prose."""
    running = [p or _sentence(f, config) for f, p in zip(features, prose)]
    best = current = 0
    best_start = best_end = start = 0
    for i, (f, p) in enumerate(zip(features, prose)):
        # a short sentence inside a paragraph ("Here is how it works.") does not cut it
        inside = running[i] and 0 < i < len(features) - 1 and running[i - 1] and running[i + 1]
        weight = (f.size if p else 0 if inside
                  else -config.page_gap_penalty) - (config.page_gap_penalty if i in edges else 0)
        if current <= 0:
            current, start = weight, i
        else:
            current += weight
        if current > best:
            best, best_start, best_end = current, start, i + 1
    while best and best_start > 0 and best_start not in edges and _paragraph(features[best_start - 1], config):
        best_start -= 1  # the first paragraph, its full stop on a line of its own
    return range(best_start, _past_list(features, prose, config, best_end, edges) if best else best_end)


def _past_list(features: list[LineFeatures], prose: list[bool], config: Config, end: int,
               edges: frozenset[int] = frozenset()) -> int:
    """The end of the main text that ends before line ``end``, when a numbered list starts
    there (`numbered_run`), or right below a line there that ends with a colon: a list the
    article counts through is the article's however short its items ("1. Superstorm: a
    large storm"), and so is the prose after it, as far as it outweighs the lines between
    (as `main_text` weighs them). Not below page furniture the
    rules took out (``edges``): a "Most read" label gone, its numbered headlines are no
    article's."""
    start = end + 1 if end < len(features) and features[end].text.endswith(":") else end
    listed = numbered_run(features, start)
    if listed == start or end in edges or start in edges:
        return end
    end, extra = listed, 0
    for i in range(listed, len(features)):
        extra += features[i].size if prose[i] else -config.page_gap_penalty
        if extra > 0:
            end, extra = i + 1, 0
    return end


#: The number of an item of a numbered list: "1. ", "2) ".
NUMBER = regex.compile(r"(\d{1,2})[.)]\s+\S")


def numbered_run(features: list[LineFeatures], start: int, least: int = 3) -> int:
    """Where the numbered list that starts at line ``start`` ends (the index after its last
    item), or ``start`` when no list of at least ``least`` items counted 1, 2, 3... starts
    there; one line may stand between two items (an item's second line)."""
    expect, last, i = 1, None, start
    while i < len(features) and (last is None or i - last <= 2):
        m = NUMBER.match(features[i].text)
        if m and int(m.group(1)) == expect:
            last, expect = i, expect + 1
        elif last is None:
            return start
        i += 1
    return last + 1 if last is not None and expect - 1 >= least else start


def numbered_lists(features: list[LineFeatures], region: range) -> set[int]:
    """The lines of ``region`` in numbered lists (`numbered_run`), the lines between their
    items included."""
    found: set[int] = set()
    i = region.start
    while i < region.stop:
        end = numbered_run(features, i)
        found.update(range(i, min(end, region.stop)))
        i = max(end, i + 1)
    return found


def sentence_words(f: LineFeatures) -> int:
    """How many words a line's sentences have: its words, or for a script without spaces
    one for every two of its Han or Kana characters (as `cleaner.text.is_prose` counts).
    `LineFeatures.size` counts each of those characters three times (`line_features`)."""
    return max(f.words, (f.size - len(f.text)) // 4)


def _sentence(f: LineFeatures, config: Config) -> bool:
    """A short sentence in the page's language: ends like one (not cut short, "..."), has a
    few words (`sentence_words`), is not links."""
    return (f.ends_sentence and sentence_words(f) >= config.page_short_sentence_words and f.link_share < config.page_max_link_share
            and not TRUNCATED.search(f.text)
            and (f.stop_density is None or f.stop_density >= config.page_min_stop_density))


@dataclass(frozen=True)
class Page:
    """A page's lines as the classifier reads them: their features, which are prose, and
    where its main text is."""

    features: list[LineFeatures]
    prose: list[bool]
    region: range


def read_page(texts: list[str], config: Config, edges: frozenset[int] = frozenset()) -> Page:
    """`Page` of ``texts``, the non-blank lines of a text, in order; ``edges``: the lines
    right below page furniture the rules took out (`main_text`)."""
    stripped = [text.strip() for text in texts]
    words = {t: WORD.findall(t.lower()) for t in dict.fromkeys(stripped)}
    _lang, stop = page_language(texts, config, [words[t] for t in stripped])
    features = line_features(texts, stop or None, words)
    prose = [is_page_prose(f, config) for f in features]
    if not any(prose):
        # A page without a line that ends like a sentence (a photo page whose one paragraph
        # ends with its credit, "(Splash News)"): its running text is what would be prose
        # but for the ending.
        prose = [is_page_prose(replace(f, ends_sentence=True), config) for f in features]
    return Page(features, prose, main_text(features, prose, config, edges))


def classify(page: Page, config: Config, blocks: list[int] | None = None) -> list[Verdict]:
    """A verdict for each line of ``page``; ``blocks`` numbers the run of lines (between
    blank lines) each one is in."""
    features, prose, region = page.features, page.prose, page.region
    listed = _introduced_list(features, region, blocks)
    numbered = numbered_lists(features, region)
    above, below = (Verdict(False, f"{where} the main text (the densest run of prose)" if region
                            else "no prose on the page") for where in ("above", "below"))
    verdicts = []
    for i, f in enumerate(features):
        if i in listed:
            verdicts.append(Verdict(True, "a list the main text introduces (with a line ending in a colon)"))
        elif i not in region:
            verdicts.append(above if i < region.start else below)
        elif prose[i]:
            verdicts.append(Verdict(True, "prose"))
        elif i in numbered:
            verdicts.append(Verdict(True, "an item of a numbered list"))
        elif _heading(features, prose, i, config):
            verdicts.append(Verdict(True, "a heading above prose"))
        elif f.ends_sentence and sentence_words(f) >= config.page_short_sentence_words and f.link_share < config.page_max_link_share:
            verdicts.append(Verdict(True, "a short sentence"))
        elif _paragraph(f, config):
            verdicts.append(Verdict(True, "a paragraph (long, though it does not end like a sentence)"))
        else:
            verdicts.append(Verdict(False, _short_reason(f, config)))
    return verdicts


def lead_below(page: Page, k: int, config: Config) -> list[int]:
    """The lead (standfirst) of the article under a headline whose next line is ``k``,
    when the main text starts further down: up to ``config.page_lead_lines`` lines right
    below it, each a sentence (``config.page_lead_words`` words or more) or prose,
    in the page's language, not links and not a caption; before the first, up to
    ``config.page_lead_skip`` lines of a few words (a name, "0 0") may stand. A long
    line that does not end like a sentence is a lead only when the lead runs on into the
    main text (a byline with its date ends a lead that does not)."""
    found: list[int] = []
    unended: list[int] = []
    skip = config.page_lead_skip
    i = k
    while i < page.region.start and len(found) < config.page_lead_lines:
        f = page.features[i]
        fits = (f.link_share < config.page_max_link_share and not _captioned(f.text, config)
                and (f.stop_density is None or f.stop_density >= config.page_min_stop_density))
        said = fits and (page.prose[i] or _paragraph(f, config)
                         or _sentence(f, config) and f.words >= config.page_lead_words)
        if said or fits and (f.words >= config.page_prose_min_words or f.size >= config.page_prose_min_size):
            found.append(i)
            if not said:
                unended.append(i)
        elif found or skip == 0 or f.words > config.page_menu_words:
            break
        else:
            skip -= 1
        i += 1
    return found if i == page.region.start else [j for j in found if j not in unended]


#: The count of a picture in a gallery, opening its caption: "1 of 4", "2/12".
GALLERY_COUNT = regex.compile(r"\d+\s*(?:of|/)\s*\d+\b")


def _captioned(text: str, config: Config) -> bool:
    """A caption: it opens with a picture's count in a gallery, or ends with a credit of
    ``config.page_credit_words`` words at most after its last sentence ("... in Vienna.
    Jo Roe / Agency")."""
    if GALLERY_COUNT.match(text):
        return True
    ends = list(INNER_END.finditer(text))
    tail = text[ends[-1].end():] if ends else ""
    return len(tail.split()) <= config.page_credit_words and CREDIT_MARK.search(tail) is not None


def _paragraph(f: LineFeatures, config: Config) -> bool:
    """A paragraph of the main text that does not end like a sentence (it ends on a number,
    a signature, or is cut off mid-sentence, as a paywall cuts it): at least
    ``config.page_paragraph_words`` words in sentences (one ends inside it), in the page's
    language, not links, and not a caption, whose last sentence is followed by its credit
    ("... on Monday. (Photo: Jo Roe)", "... module. Credit: ESA")."""
    if not (f.words >= config.page_paragraph_words and f.link_share < config.page_max_link_share
            and (f.stop_density is None or f.stop_density >= config.page_min_stop_density)):
        return False
    if TRUNCATED.search(f.text) or not INNER_END.search(f.text):
        return False
    return not _captioned(f.text, config)


def _introduced_list(features: list[LineFeatures], region: range, blocks: list[int] | None) -> range:
    """The lines right after the main text that a line ending with a colon introduces (the
    main text's last line, or the one after it): the rest of that line's block."""
    if blocks is None or not region or region.stop >= len(features):
        return range(0)
    for intro in (region.stop - 1, region.stop):
        if features[intro].text.endswith(":") and intro + 1 < len(features) and blocks[intro + 1] == blocks[intro]:
            end = intro + 1
            while end < len(features) and blocks[end] == blocks[intro]:
                end += 1
            return range(region.stop, end)
    return range(0)


def _heading(features: list[LineFeatures], prose: list[bool], i: int, config: Config) -> bool:
    """A short line that is not a sentence, right above a line of prose."""
    f = features[i]
    return (i + 1 < len(features) and prose[i + 1] and not f.ends_sentence
            and config.page_heading_words[0] <= f.words <= config.page_heading_words[1]
            and f.link_share < config.page_max_link_share)


def _short_reason(f: LineFeatures, config: Config) -> str:
    if f.link_share >= config.page_max_link_share:
        return "inside the main text, mostly links"
    if f.stop_density is not None and f.words >= config.page_prose_min_words and f.stop_density < config.page_min_stop_density:
        return "inside the main text, too few stop words for the page's language"
    return "inside the main text, a short line that is neither a sentence nor a heading above prose"
