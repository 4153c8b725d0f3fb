"""The language of a text, from what it is written in and the stop words it uses.

Scripts first: kana is Japanese, hangul Korean, Han characters without either Chinese,
Thai script Thai. A text in a script with spaces is in the language whose stop list
(jusText's, about a hundred languages) holds most of its words, if that list holds at
least ``Config.page_stoplist_fit`` of them; otherwise the language is not told
(``None``), and every rule applies; a language written by many wins over a smaller
neighbour whose list fits nearly as well (`MAJOR`), and when the lists of two such
languages fit it alike (a short text's "the" and "at"), it is not told either (`_told`). The longest sentences decide, `SAMPLE`
characters of them: a page's menus tell little, and the whole of a long text takes ten
times as long to read as that sample and tells the same.

A language is a code of BCP 47 (ISO 639-1 where there is one: ``de``, ``nb``, ``ja``),
recorded as the document's ``lang``; rules that name their ``languages`` apply only
to documents in one of them, or whose language is not told.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from itertools import chain
from operator import itemgetter

import regex

from . import cache as disk_cache
from .config import Config
from .punctuation import CLOSERS, SENTENCE_MARKS as MARKS

#: How many characters of a text decide its language.
SAMPLE = 2000
#: What a line that ends like a sentence ends with (`cleaner.punctuation`).
SENTENCE_MARKS = frozenset(MARKS + CLOSERS)

WORD = regex.compile(r"\w+")
#: Characters of the scripts written without spaces between words.
UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
#: The blocks that hold those characters, as code point ranges, for a quick look whether
#: a text has any: the standard library scans a text for a range ten times as fast as
#: ``regex`` for a property. Whole blocks, some of whose code points are in no such
#: script (the quick look may let a text through, `UNSPACED` then counts exactly), but
#: never one without a code point of `UNSPACED` (a test checks every code point).
UNSPACED_RANGES = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u19e0-\u19ff\u2e80-\u2fdf"
                             "\u3005-\u303b\u3040-\u30ff\u3130-\u318f\u31f0-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
                             "\ua960-\ua97f\ua9e0-\ua9ff\uaa60-\uaa7f\uac00-\ud7ff\uf900-\ufaff\uff66-\uffdc"
                             "\U000116d0-\U000116ff\U00016fe0-\U00016fff\U0001aff0-\U0001b2ff\U0001f200"
                             "\U00020000-\U0003ffff]")
#: What may be one of those characters: anything but the blocks of the alphabets and
#: abjads before Thai, Latin Extended Additional and Greek Extended, and the punctuation
#: and symbols after them (quotes, dashes, ™, arrows), where no such script has a letter.
MAY_BE_UNSPACED = re.compile(r"[^\x00-\u0dff\u1e00-\u2dff]")
KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
HANGUL = regex.compile(r"\p{Hangul}")
HAN = regex.compile(r"\p{Han}")
THAI = regex.compile(r"\p{Thai}")
LETTER = regex.compile(r"\p{L}")

#: jusText's stop lists, by the code of their language.
STOPLIST_CODES = {
    "Afrikaans": "af", "Albanian": "sq", "Arabic": "ar", "Aragonese": "an", "Armenian": "hy", "Aromanian": "rup",
    "Asturian": "ast", "Azerbaijani": "az", "Basque": "eu", "Belarusian": "be", "Belarusian_Taraskievica": "be",
    "Bengali": "bn", "Bishnupriya_Manipuri": "bpy", "Bosnian": "bs", "Breton": "br", "Bulgarian": "bg",
    "Catalan": "ca", "Cebuano": "ceb", "Chuvash": "cv", "Croatian": "hr", "Czech": "cs", "Danish": "da",
    "Dutch": "nl", "English": "en", "Esperanto": "eo", "Estonian": "et", "Finnish": "fi", "French": "fr",
    "Galician": "gl", "Georgian": "ka", "German": "de", "Greek": "el", "Gujarati": "gu", "Haitian": "ht",
    "Hebrew": "he", "Hindi": "hi", "Hungarian": "hu", "Icelandic": "is", "Ido": "io", "Igbo": "ig",
    "Indonesian": "id", "Irish": "ga", "Italian": "it", "Javanese": "jv", "Kannada": "kn", "Kazakh": "kk",
    "Korean": "ko", "Kurdish": "ku", "Kyrgyz": "ky", "Latin": "la", "Latvian": "lv", "Lithuanian": "lt",
    "Lombard": "lmo", "Low_Saxon": "nds", "Luxembourgish": "lb", "Macedonian": "mk", "Malay": "ms",
    "Malayalam": "ml", "Maltese": "mt", "Marathi": "mr", "Neapolitan": "nap", "Nepali": "ne", "Newar": "new",
    "Norwegian_Bokmal": "nb", "Norwegian_Nynorsk": "nn", "Occitan": "oc", "Persian": "fa", "Piedmontese": "pms",
    "Polish": "pl", "Portuguese": "pt", "Quechua": "qu", "Romanian": "ro", "Russian": "ru", "Samogitian": "sgs",
    "Serbian": "sr", "Serbo_Croatian": "sh", "Sicilian": "scn", "Simple_English": "en", "Slovak": "sk",
    "Slovenian": "sl", "Spanish": "es", "Sundanese": "su", "Swahili": "sw", "Swedish": "sv", "Tagalog": "tl",
    "Tamil": "ta", "Telugu": "te", "Turkish": "tr", "Turkmen": "tk", "Ukrainian": "uk", "Urdu": "ur",
    "Uzbek": "uz", "Vietnamese": "vi", "Volapuk": "vo", "Walloon": "wa", "Waray_Waray": "war", "Welsh": "cy",
    "West_Frisian": "fy", "Western_Panjabi": "pnb", "Yoruba": "yo",
}
#: Codes a rule may name besides those: the languages told by their script, and Norwegian
#: as such (``no`` stands for both ``nb`` and ``nn``).
SCRIPT_CODES = frozenset({"ja", "ko", "zh", "th"})
ALIASES = {"no": frozenset({"nb", "nn", "no"})}
KNOWN = frozenset(STOPLIST_CODES.values()) | SCRIPT_CODES | frozenset(ALIASES)


@cache
def stoplists() -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    """The names of jusText's stop lists, in order, and for each stop word (in lower case)
    the lists that hold it, by their place in that order. Made once per process, and kept
    in the disk cache (`cleaner.cache`): reading the hundred lists takes a fresh process
    a quarter of a second, loading what they made a tenth of that."""
    from importlib.metadata import version

    if disk_cache.cache_dir() is None:  # no cache: no name to work out for it
        return _read_stoplists()
    name = disk_cache.key([b"stoplists", version("jusText").encode()])
    found = disk_cache.load("stoplists", name)
    if found is None:
        found = _read_stoplists()
        disk_cache.store("stoplists", name, found)
    return found


def _read_stoplists() -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    import justext

    names = tuple(sorted(justext.get_stoplists()))
    by_word: dict[str, list[int]] = {}
    for i, lang in enumerate(names):
        for w in stoplist(lang):
            by_word.setdefault(w, []).append(i)
    # the same places are one tuple, kept once (most words are in one list or a few)
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    return names, {w: shared.setdefault(tuple(places), tuple(places)) for w, places in by_word.items()}


@cache
def stoplist(name: str) -> frozenset[str]:
    """jusText's stop list of the language ``name``, in lower case."""
    import justext

    return frozenset(w.lower() for w in justext.get_stoplist(name))


def _fits(text: str, config: Config, words: Counter | None = None) -> tuple[Counter, str | None, set[str]]:
    """How many of ``text``'s words each stop list holds, the list that holds most if it
    holds at least ``config.page_stoplist_fit`` of them, and every list that does.
    ``words``: the text's words (`WORD`, in lower case) counted, when they are known."""
    names, by_word = stoplists()
    if words is None:
        words = Counter(WORD.findall(text.lower()))
    # each stop word once, times its count: a text's words are a few hundred repeated
    hits = [0] * len(names)
    for word in words.keys() & by_word.keys():
        n = words[word]
        for i in by_word[word]:
            hits[i] += n
    counts = Counter({name: n for name, n in zip(names, hits) if n})
    total = words.total()
    if UNSPACED_RANGES.search(text):  # a run of such characters is many words
        total += sum((len(w) - 1) * n for w, n in words.items() if UNSPACED.search(w))
    if not counts or not total:
        return counts, None, set()
    fitting = {name for name, n in counts.items() if n / total >= config.page_stoplist_fit}
    lang, _hits = max(counts.items(), key=itemgetter(1, 0))
    return counts, lang if lang in fitting else None, fitting


def stoplist_language(text: str, config: Config, words: list[list[str]] | None = None) -> str | None:
    """The jusText stop list a whole page's lines are read by: of the lists that hold at
    least ``config.page_stoplist_fit`` of its words, the one its sentences fit best (the
    longest first, `_sample`); None when no list holds that many (a script without
    spaces, or a language jusText has no list for). A page's menus, schedules and lists
    of names are no evidence of its language: a sports page's schedule repeats "Kanal",
    "TV" and "Finale", words of the Turkish list, more often than its article says
    anything. ``words``: the words (`WORD`, in lower case) of each line of ``text``,
    when they are known (lowering a text is lowering each of its lines: no case rule
    looks across a line break)."""
    counts, _best, fitting = _fits(text, config, None if words is None else Counter(chain.from_iterable(words)))
    if not fitting:
        return None
    if len(text) > SAMPLE:  # else the sample is the text
        lines = text.split("\n")
        taken = _sampled(lines)
        sampled = None if words is None else Counter(chain.from_iterable(words[i] for i in taken))
        counts = _fits("\n".join(lines[i] for i in taken), config, sampled)[0]
    return max(fitting, key=lambda name: (counts[name], name))


#: Languages written by many, whose stop lists smaller neighbours share (Asturian,
#: Aragonese and Galician Spanish's; Low Saxon German's): when one of these fits nearly
#: as well as the best list (`NEAR`), the text is in it.
MAJOR = ("en", "de", "fr", "es", "pt", "it", "nl", "pl", "ru", "uk", "cs", "sv", "da", "nb", "tr", "ro", "hu",
         "el", "id", "vi", "ar", "fa", "hi")
NEAR = 0.8


def _told(names: list[str]) -> str | None:
    """Of stop lists that hold as many of a text's words, the one that tells its language:
    all of one language, or one of a language written by many (`MAJOR`) against smaller
    neighbours; None when two such languages tie (a short text's "the" and "at" are in
    the English list and the Turkish one, "den" and "til" in the Danish and the
    Norwegian), which the text does not tell apart.

    >>> _told(["Spanish", "Asturian"]), _told(["English", "Simple_English"]), _told(["Turkish", "English"])
    ('Spanish', 'English', None)
    """
    codes = {STOPLIST_CODES[name] for name in names}
    if len(codes) == 1:
        return min(names)
    major = [name for name in names if STOPLIST_CODES[name] in MAJOR]
    return major[0] if len({STOPLIST_CODES[name] for name in major}) == 1 else None


def script_language(text: str) -> str | None:
    """The language a text's script tells, when most of its letters are of one written
    without spaces: kana Japanese, hangul Korean, Han alone Chinese, Thai Thai.

    >>> script_language("市議会は橋を閉鎖した。"), script_language("市议会决定关闭旧桥。"), script_language("The bridge")
    ('ja', 'zh', None)
    """
    if not UNSPACED_RANGES.search(text):
        return None
    unspaced = len(UNSPACED.findall(text))
    letters = len(LETTER.findall(text))
    if not letters or 3 * unspaced < letters:
        return None
    kana = len(KANA.findall(text))
    if 10 * kana >= unspaced:  # Japanese writes a kana in every few characters; Chinese quotes one at most
        return "ja"
    hangul, han, thai = len(HANGUL.findall(text)), len(HAN.findall(text)), len(THAI.findall(text))
    best = max((hangul, "ko"), (han, "zh"), (thai, "th"))
    return best[1] if best[0] else None


def _sample(text: str) -> str:
    """What decides: the text's sentences, longest first, `SAMPLE` characters of them (a
    whole page's menus and lists of names hold few stop words and tell little)."""
    if len(text) <= SAMPLE:
        return text
    lines = text.split("\n")
    return "\n".join(lines[i] for i in _sampled(lines))


def _sampled(lines: list[str]) -> list[int]:
    """Which of a text's ``lines`` make its `_sample`, in the order taken: lines that end like
    a sentence first, then the longest (as one number, which sorts faster than the pair)."""
    longer = sum(map(len, lines)) + 1  # than any line
    keys = [len(line) + longer * (line.rstrip()[-1:] in SENTENCE_MARKS) for line in lines]
    taken, size = [], 0
    for i in sorted(range(len(lines)), key=keys.__getitem__, reverse=True):
        taken.append(i)
        size += len(lines[i])
        if size >= SAMPLE:
            break
    return taken


def detect(text: str, config: Config) -> str | None:
    """The language of ``text`` (its first `SAMPLE` characters), or None.

    >>> detect("Der Stadtrat hat am Donnerstag beschlossen, die alte Brücke zu schließen.", Config())
    'de'
    >>> detect("시의회는 목요일에 오래된 다리를 폐쇄하기로 결정했다.", Config())
    'ko'
    """
    sample = _sample(text)
    by_script = script_language(sample)
    if by_script is not None:
        return by_script
    counts, name, _fitting = _fits(sample, config)
    if name is None:
        return None
    name = _told([other for other, hits in counts.items() if hits == counts[name]])
    if name is None:
        return None
    near = [other for other, hits in counts.items() if hits >= NEAR * counts[name]]
    major = [other for other in near if STOPLIST_CODES[other] in MAJOR]
    if STOPLIST_CODES[name] not in MAJOR and major:
        name = max(major, key=lambda other: (counts[other], other))
    return STOPLIST_CODES[name]


def speaks(languages: tuple[str, ...], lang: str | None) -> bool:
    """Does a rule for ``languages`` apply to a document in ``lang``? Always when either is
    not known; ``no`` covers Bokmål and Nynorsk."""
    if not languages or lang is None:
        return True
    return any(lang == code or lang in ALIASES.get(code, ()) for code in languages)
