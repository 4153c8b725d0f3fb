"""Stage 1, decode: bytes to text.

Gzip and zstd data is decompressed first (within the size limit, every member or frame,
and refused when cut short: `cleaner.compressed`). UTF-8 (with or without BOM) and
UTF-16/UTF-32 with a BOM are read as such; so is UTF-8 with a few invalid bytes
(`mostly_utf8`): those become U+FFFD, recorded in ``repairs``, and the rest is never
re-read in a legacy code page; so is UTF-8 with whole lines in a legacy code page
(`mixed_lines`): those lines are read in the code page detected for them, recorded in
``repairs``. Anything else is detected (see `detect`); what no code page reads, but
holds valid multi-byte UTF-8 (legacy bytes inside its lines), is read as UTF-8 with the
rest replaced, and recorded. UTF-16 without a BOM is read as such when its text is in a
Latin script (`bomless_utf16`: every other byte NUL). Any other file with NUL bytes is
binary and is rejected with that reason, except a web page with a few of them
(`stray_nuls`), which are taken out; so is an empty file and one whose encoding cannot
be told.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections import Counter
from typing import NamedTuple

from ..compressed import decompressed
from ..document import Document, Repair
from ..context import Context

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


#: A web page may hold one NUL byte per this many bytes (counting from the first), which are
#: taken out: more is binary data, or UTF-16 without a byte-order mark.
NUL_SPACING = 1000

#: The legacy code pages of Latin-script text, the common one first: windows-1252
#: (Western European, the WHATWG default for Latin-script pages), windows-1250 (Central
#: European), windows-1257 (Baltic), windows-1254 (Turkish) and ISO Latin-2.
LATIN_PAGES = ("cp1252", "cp1250", "cp1257", "cp1254", "iso8859_2")

#: The letters beyond ASCII of the languages those code pages are made for, in lower case.
ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "àáâãçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "àçèéíïòóúü",  # Catalan
    "áéèëïóöüú",  # Dutch
    "æøåéó",  # Danish, Norwegian
    "åäöéšž",  # Swedish, Finnish
    "áðéíóúýþæö",  # Icelandic
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "ąćęłńóśźż",  # Polish
    "áéíóöőúüű",  # Hungarian
    "čćđšž",  # Croatian, Bosnian, Slovenian
    "ăâîșțşţ",  # Romanian
    "çë",  # Albanian
    "ąčęėįšųūž",  # Lithuanian
    "āčēģīķļņšūž",  # Latvian
    "äõöüšž",  # Estonian
    "âçğıîöşü",  # Turkish
)
LETTERS = frozenset("".join(ALPHABETS))


class Guess(NamedTuple):
    """A detected encoding: the text, the encoding's name, and the other code pages
    that read the text as well (``rivals``; empty when the guess is clear)."""

    text: str
    encoding: str
    rivals: tuple[str, ...] = ()


def stray_nuls(raw: bytes, format: str) -> bool:
    """Whether the NUL bytes of ``raw`` are strays rather than the mark of binary data
    (a page or a text cut from a database, a broken scrape): at most one per
    `NUL_SPACING` bytes, and, in a text file, which has no markup to show what it is,
    the rest strict UTF-8 (the bytes of an image or an archive never are). Files with
    more are binary (images, archives and BOM-less UTF-16 have far more).

    >>> stray_nuls(b"<p>The ferry\\x00 sails.</p>", "html"), stray_nuls(b"The ferry\\x00 sails.", "text")
    (True, True)
    >>> stray_nuls("<p>The ferry sails.</p>".encode("utf-16-le"), "html")
    False
    >>> stray_nuls(b"The ferry\\x00 sails \\xff.", "text"), stray_nuls(b"The ferry\\x00 sails \\xff.", "html")
    (False, True)
    """
    if raw.count(b"\x00") > -(-len(raw) // NUL_SPACING):
        return False
    if format == "html":
        return True
    try:
        raw.replace(b"\x00", b"").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


#: The least share of NUL bytes at one parity of a file read as UTF-16 without a
#: byte-order mark (`bomless_utf16`), and the most at the other.
UTF16_NULS = (0.9, 0.01)


def bomless_utf16(raw: bytes) -> tuple[str, str] | None:
    """``raw`` read as UTF-16 without a byte-order mark (as some Windows tools write text)
    and the encoding's name, when its text is mostly in the first 256 code points, as
    Latin-script text is: then nearly every high byte of a character (``UTF16_NULS``) is
    NUL, those at the second place of each pair (little-endian) or the first (big-endian),
    almost none of the others are, and every character it reads is printable text. An
    image or an archive has NUL bytes at both places; UTF-16 text in another script has
    few, and is refused as binary, as it is without a mark it cannot be told by.

    >>> bomless_utf16("The ferry sails at noon.\\n".encode("utf-16-le"))
    ('The ferry sails at noon.\\n', 'utf-16-le')
    >>> bomless_utf16(b"PK\\x03\\x04\\x00\\x00\\x00\\x00") is None
    True
    """
    if len(raw) < 4 or len(raw) % 2:
        return None
    most, least = UTF16_NULS
    for zeros, others, name in ((raw[1::2], raw[0::2], "utf-16-le"), (raw[0::2], raw[1::2], "utf-16-be")):
        if zeros.count(0) >= most * len(zeros) and others.count(0) <= least * len(others):
            try:
                text = raw.decode(name)
            except UnicodeDecodeError:
                return None
            if all(line.isprintable() for line in text.replace("\t", " ").replace("\r", "").split("\n")):
                return text, name
            return None
    return None


#: What a line of a text file whose stray NUL bytes were deleted records in ``repairs``.
DELETED_NUL = "delete_nul_bytes"


def deleted_nuls(raw: bytes) -> tuple[Repair, ...]:
    """The lines of a text file (``raw``, UTF-8 but for stray NUL bytes) that held a NUL
    byte, each recorded with the line as the bytes had it (``\\x00`` for the NUL)."""
    lines = raw.split(b"\n")
    return tuple(Repair(no, (DELETED_NUL,), line.decode("utf-8").replace("\x00", "\\x00"),
                        line.replace(b"\x00", b"").decode("utf-8"))
                 for no, line in enumerate(lines, 1) if b"\x00" in line)


#: Punctuation that may stand inside a word: apostrophes, hyphens and dashes, the middle dot.
IN_WORD = frozenset("'’‘ʼ-‐‑–—·")


def _odd(text: str, i: int) -> bool:
    """Whether the character at ``i`` is out of place in a text of words: a control, or
    a symbol, a number or a letter of no alphabet against a letter (``pó³``, ``ºase``),
    or punctuation between two letters (``mo¿e``)."""
    c, kind = text[i], unicodedata.category(text[i])
    before = i > 0 and text[i - 1].isalpha()
    after = i + 1 < len(text) and text[i + 1].isalpha()
    if kind[0] == "C":
        return True
    if kind[0] == "P":
        return before and after and c not in IN_WORD
    return before or after


def _key(c: str) -> str:
    """A character in lower case, as `ALPHABETS` list it ("İ" lowers to "i" and a dot above)."""
    low = c.lower()
    return low[0] if len(low) > 1 else low


def unexplained(text: str, differ: list[int], high: list[int]) -> int:
    """How many characters of a reading the letters of one language do not explain:
    2 for each character at ``differ`` (where another reading has another) that is
    out of place (`_odd`), 1 for each letter beyond ASCII (at ``high``) outside the
    alphabet of `ALPHABETS` that holds most of them (``ì`` and ``ø`` in one text)."""
    letters: Counter[str] = Counter()
    for i in high:
        c = _key(text[i])
        if c in LETTERS:
            letters[c] += 1
    odd = sum(1 for i in differ if not (_key(text[i]) in LETTERS or _key(text[i]).isascii()) and _odd(text, i))
    fit = max((sum(n for c, n in letters.items() if c in alphabet) for alphabet in ALPHABETS), default=0)
    return 2 * odd + sum(letters.values()) - fit


def compare(a: str, b: str, high: list[int]) -> tuple[int, int]:
    """`unexplained` of two readings of the same bytes."""
    differ = [i for i in high if a[i] != b[i]]
    return unexplained(a, differ, high), unexplained(b, differ, high)


def latin_choice(raw: bytes, also: str | None = None) -> Guess | None:
    """The legacy Latin code page to read ``raw`` in: the first of `LATIN_PAGES` (then
    ``also``) that decodes it, unless a later one explains the characters they read
    differently clearly better (`unexplained`: the first leaves two or more unexplained,
    the other at most a quarter as many). The other pages of `LATIN_PAGES` that read the
    text otherwise and explain it as well are its ``rivals``: the guess is doubtful.

    >>> latin_choice("Il était déjà là, près du café.".encode("cp1252"))
    Guess(text='Il était déjà là, près du café.', encoding='cp1252', rivals=('cp1250',))
    >>> latin_choice("Most będzie zamknięty przez pół roku.".encode("cp1250")).encoding
    'cp1250'
    """
    readings: dict[str, str] = {}
    for name in (*LATIN_PAGES, *([also] if also and also not in LATIN_PAGES else [])):
        try:
            text = raw.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if len(text) == len(raw):  # one byte, one character: the readings can be compared byte by byte
            readings[name] = text
    if not readings:
        return None
    high = [i for i, byte in enumerate(raw) if byte >= 0x80]
    names = list(readings)
    chosen = names[0]
    for other in names[1:]:
        mine, theirs = compare(readings[chosen], readings[other], high)
        if mine >= 2 and 4 * theirs <= mine:
            chosen = other
    text, rivals, seen = readings[chosen], [], {readings[chosen]}
    for name in names:
        if name in LATIN_PAGES and readings[name] not in seen:
            seen.add(readings[name])
            mine, theirs = compare(text, readings[name], high)
            if theirs <= mine:
                rivals.append(name)
    return Guess(text, chosen, tuple(rivals))


def is_latin(text: str) -> bool:
    """Whether most letters beyond ASCII of ``text`` are Latin letters (or there are none)."""
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    return 2 * sum(unicodedata.name(c, "").startswith("LATIN") for c in letters) >= len(letters)


def misread_latin(reading: str, raw: bytes) -> bool:
    """Whether ``reading``, ``raw`` read in a double-byte code page, is a Latin text misread:
    at least half its letters beyond ASCII stand against an ASCII letter, as each
    accented letter and the letter after it read as one ideograph do ("Ça va très bien"
    as Big5: "ド va tr鋊 bien"), and windows-1252 reads every such byte as a Latin
    letter. In Chinese, Japanese or Korean text, those letters stand among their own.

    >>> misread_latin("ド va tr鋊 bien", "Ça va très bien".encode("latin-1"))
    True
    >>> misread_latin("iPhone發表會在今天舉行", "iPhone發表會在今天舉行".encode("big5"))
    False
    """
    wide = [i for i, c in enumerate(reading) if ord(c) > 127 and c.isalpha()]
    glued = sum(1 for i in wide if any(0 <= j < len(reading) and reading[j].isascii() and reading[j].isalpha()
                                       for j in (i - 1, i + 1)))
    if not wide or 2 * glued < len(wide):
        return False
    western = [c for c in raw.decode("cp1252", "replace") if ord(c) > 127 and c.isalpha()]
    return bool(western) and all(unicodedata.name(c, "").startswith("LATIN") for c in western)


def detect(raw: bytes) -> Guess | None:
    """The encoding of bytes that are not UTF-8.

    charset-normalizer tells the script: a text it reads in Cyrillic, Greek, CJK... is
    read as it says. A Latin-script text (or one that it reads as well in windows-1252)
    is read in the legacy Latin code page that `latin_choice` finds: windows-1252 unless
    the evidence for another is clear; so is one it reads in a double-byte code page as
    ideographs glued to ASCII words (`misread_latin`). On short texts charset-normalizer's ranking of
    these pages is noise (French read as windows-1250, "déjŕ"; German as cp775,
    "Br³cke"), and windows-1252 is by far the most common on the web.
    """
    from charset_normalizer import from_bytes  # imported on the first text that is not UTF-8

    # UTF-16 or UTF-32 without a byte-order mark is no guess for text: such text holds NUL
    # bytes (refused as binary before this), or it is pairs of ASCII bytes read as ideographs
    results = [m for m in from_bytes(raw) if not m.encoding.startswith(("utf_16", "utf_32"))]
    if not results:
        return None
    best = results[0]
    tied = [m for m in results if m.chaos == best.chaos and m.coherence == best.coherence]
    if any("cp1252" in m.could_be_from_charset for m in tied) or is_latin(str(best)) or misread_latin(str(best), raw):
        guess = latin_choice(raw, best.encoding)
        if guess is not None:
            return guess
    # the pages that read it otherwise and fit as well: a doubtful guess, recorded as such
    text, rivals = str(best), []
    for m in tied[1:]:
        if m.encoding not in rivals and str(m) != text and len(rivals) < 3:
            rivals.append(m.encoding)
    return Guess(text, best.encoding, tuple(rivals))


#: What a line whose invalid UTF-8 bytes were replaced records in ``repairs``.
REPLACED = "replace_invalid_utf8"


def mostly_utf8(raw: bytes, share: float = 2) -> str | None:
    """``raw`` read as UTF-8 with its invalid bytes replaced (U+FFFD), when it is UTF-8
    but for a few of them: its valid multi-byte characters outnumber the invalid
    sequences ``share`` to one. A legacy-encoded text has almost no valid multi-byte
    sequence (an accented letter there is one byte, which UTF-8 does not accept alone).

    >>> mostly_utf8("Le café est fermé".encode() + b"\\xff"), mostly_utf8("Le café".encode("cp1252"))
    ('Le café est fermé�', None)
    """
    escaped = raw.decode("utf-8", "surrogateescape")
    invalid = sum(1 for c in escaped if "\udc80" <= c <= "\udcff")
    valid = sum(1 for c in escaped if c > "\x7f") - invalid
    if not invalid or not valid or valid < share * invalid:
        return None
    return raw.decode("utf-8", "replace")


def replaced_lines(raw: bytes, text: str) -> tuple[Repair, ...]:
    """The lines of ``text`` (``raw`` read by `mostly_utf8`) that hold a replaced byte:
    each recorded with the line as the bytes had it (``\\xff`` for an invalid byte)."""
    before = raw.decode("utf-8", "backslashreplace").split("\n")
    return tuple(Repair(no, (REPLACED,), before[no - 1], line)
                 for no, line in enumerate(text.split("\n"), 1) if "\ufffd" in line and before[no - 1] != line)


#: What a line read in a legacy code page inside a UTF-8 text records in ``repairs``, and
#: how many invalid bytes such lines must hold in all to be read so (`mixed_lines`).
LEGACY_LINE = "read_line_as_{}"
LEGACY_LINE_BYTES = 3


def mixed_lines(raw: bytes) -> tuple[str, tuple[Repair, ...]] | None:
    """UTF-8 text with whole lines in a legacy code page (a page's UTF-8 template around
    an article in windows-1252, two files joined into one), read line by line: a line
    that is valid UTF-8 as such; a line whose bytes beyond ASCII are all invalid UTF-8
    (a legacy line: an accented letter there is one byte) in the code page detected for
    all such lines together (`detect`); a line with valid multi-byte characters and a
    few invalid bytes as UTF-8 with those replaced. Only when the legacy lines hold
    `LEGACY_LINE_BYTES` invalid bytes or more, and another line is UTF-8 beyond ASCII:
    a text in a legacy code page has almost no valid multi-byte character, and one stray
    byte is no evidence of a code page. The text and the repairs of the lines not read
    as UTF-8; None when the text is not so mixed.

    >>> text, _ = mixed_lines("Die Brücke ist zu.".encode() + b"\\n" + "Le café est fermé à midi.".encode("cp1252"))
    >>> text
    'Die Brücke ist zu.\\nLe café est fermé à midi.'
    """
    lines = raw.split(b"\n")
    legacy, stray, utf8, invalid = [], [], False, 0
    for n, line in enumerate(lines):
        escaped = line.decode("utf-8", "surrogateescape")
        bad = sum(1 for c in escaped if "\udc80" <= c <= "\udcff")
        beyond = sum(1 for c in escaped if c > "\x7f") - bad
        if not bad:
            utf8 = utf8 or beyond > 0
        elif beyond:
            stray.append(n)
        else:
            legacy.append(n)
            invalid += bad
    if invalid < LEGACY_LINE_BYTES or not (utf8 or stray):
        return None
    guess = detect(b"\n".join(lines[n] for n in legacy))
    read = guess.text.split("\n") if guess is not None else []
    if len(read) != len(legacy):
        return None
    texts = [line.decode("utf-8", "replace") for line in lines]
    repairs = {n: Repair(n + 1, (REPLACED,), lines[n].decode("utf-8", "backslashreplace"), texts[n]) for n in stray}
    for n, line in zip(legacy, read):
        texts[n] = line
        repairs[n] = Repair(n + 1, (LEGACY_LINE.format(guess.encoding),), lines[n].decode("utf-8", "backslashreplace"), line)
    return "\n".join(texts), tuple(repairs[n] for n in sorted(repairs))


def decode(doc: Document, ctx: Context) -> Document:
    raw = doc.raw
    if raw is None:  # the caller gave text, not bytes
        return doc
    if len(raw) > ctx.config.max_file_bytes:
        return doc.reject(
            f"file too large ({len(raw):,} bytes, limit {ctx.config.max_file_bytes:,}); "
            f"split it, or raise --max-file-bytes"
        )
    try:
        raw = decompressed(raw, ctx.config.max_file_bytes)  # every member or frame; one cut short is refused
    except ValueError as e:
        return doc.reject(str(e))
    encoding = next((name for bom, name in BOMS if raw.startswith(bom)), None)
    if encoding is None:
        nul = raw.find(b"\x00")
        if nul >= 0:
            wide = bomless_utf16(raw)
            if wide is not None:
                return _decoded(doc, *wide)
            if not stray_nuls(raw, doc.format):
                return doc.reject(f"binary file: it holds NUL bytes (the first at byte {nul}), so it is not text; "
                                  "leave it out of the input")
            if doc.format == "text":  # an HTML page's lines are not the text's
                doc = doc.changed(repairs=deleted_nuls(raw))
            raw = raw.replace(b"\x00", b"")
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            mixed = mixed_lines(raw)
            if mixed is not None:
                text, repairs = mixed
                if doc.format == "text":  # an HTML page's lines are not the text's
                    doc = doc.changed(repairs=doc.repairs + repairs)
                return _decoded(doc, text, "utf-8")
            mostly = mostly_utf8(raw)
            if mostly is not None:
                if doc.format == "text":  # an HTML page's lines are not the text's
                    doc = doc.changed(repairs=replaced_lines(raw, mostly))
                return _decoded(doc, mostly, "utf-8")
            guess = detect(raw)
            if guess is None:
                # no code page reads it: UTF-8 and legacy bytes mixed inside its lines
                # (valid multi-byte characters there are), read as UTF-8 with the rest
                # replaced, and recorded, rather than not at all
                mostly = mostly_utf8(raw, share=0)
                if mostly is None:
                    return doc.reject("cannot tell the text encoding: the bytes fit no known encoding; "
                                      "convert the file to UTF-8")
                if doc.format == "text":
                    doc = doc.changed(repairs=replaced_lines(raw, mostly))
                return _decoded(doc, mostly, "utf-8")
            text, encoding = guess.text, guess.encoding
            doc = doc.changed(encoding_rivals=guess.rivals)
    else:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as e:
            return doc.reject(f"the file starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} ({e.reason} at byte {e.start}); re-encode it")
    return _decoded(doc, text, encoding)


def _decoded(doc: Document, text: str, encoding: str) -> Document:
    if not text.strip():
        return doc.reject("empty: the file holds no text" if not text else "empty: the file holds only white space")
    return doc.changed(raw=None, text=text, encoding=encoding)
