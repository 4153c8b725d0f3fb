"""ftfy's internals: its mojibake pattern, its categories of characters, its control characters.

Read: ``ftfy.badness.BADNESS_RE`` (`MOJIBAKE_PATTERN`), the pattern the public
``ftfy.badness.is_bad`` searches a whole text for; ``ftfy.badness.MOJIBAKE_CATEGORIES``,
for which characters are frequent in well-encoded text (`_commonness`); and
``ftfy.chardata.CONTROL_CHARS``, the characters ftfy's ``remove_control_chars``
fixer deletes (`control_characters`). Why: the encoding repair
(`cleaner.stages.repair`) runs ftfy only on the lines it could change, and
searches ftfy's pattern only around the characters every match holds
(`cleaner.compat.stdlib_re.read_badness`).

Without them (another release of ftfy, which moved or renamed them): no pattern to
read, and the repair asks the public ``is_bad`` of every line holding a character
beyond ASCII; ASCII alone counts as frequent; the control characters are found by
running the public fixer. The same output, only slower.
"""

from __future__ import annotations

import re

try:
    from ftfy.badness import BADNESS_RE as _BADNESS_RE
except ImportError:  # another release of ftfy
    _BADNESS_RE = None

#: ftfy's mojibake search, ``ftfy.badness.BADNESS_RE``: the pattern the public
#: ``ftfy.badness.is_bad`` searches a whole text for. Why: the repair searches it
#: only around the characters every match holds (`stdlib_re.read_badness`), not along a whole
#: line. None without it: the repair then asks ``is_bad`` of the line.
MOJIBAKE_PATTERN: re.Pattern | None = _BADNESS_RE if isinstance(_BADNESS_RE, re.Pattern) else None


def _frequent_characters() -> set[str]:
    """Characters frequent in well-encoded text: ASCII, and the marks and quotes of
    ftfy's categories ``common``, ``start_punctuation`` and ``end_punctuation``
    (``ftfy.badness.MOJIBAKE_CATEGORIES``); ASCII alone without them."""
    ascii_chars = set(map(chr, range(0x80)))
    try:
        from ftfy.badness import MOJIBAKE_CATEGORIES as categories
        return ascii_chars | set(categories["common"] + categories["start_punctuation"]
                                 + categories["end_punctuation"])
    except (ImportError, KeyError, TypeError):  # another release of ftfy
        return ascii_chars


_FREQUENT = _frequent_characters()


def _commonness(chars: set[str]) -> int:
    """How often a class is expected to match in good text (the class to take is the
    rarest): frequent characters most, then lower-case letters, then capitals, then
    symbols."""
    return sum(1000 if c in _FREQUENT else 10 if c.islower() else 5 if c.isalpha() else 1 for c in chars)


def control_characters() -> frozenset[str]:
    """The characters ftfy's ``remove_control_chars`` fixer deletes.

    Reads ``ftfy.chardata.CONTROL_CHARS``, the translation table that fixer applies.
    Why: a line holding none of them (nor any other mark) is one the fixer leaves as
    it is, and ftfy need not run on it (`cleaner.stages.repair.FIXER_MARKS`).

    Without it: the same characters, found by running the public fixer
    ``ftfy.fixes.remove_control_chars`` over every character (about 0.15 s, once per
    process).
    """
    try:
        from ftfy.chardata import CONTROL_CHARS as table
        return frozenset(chr(code) for code in table)
    except (ImportError, TypeError, ValueError):  # another release of ftfy
        return _public_control_characters()


def _public_control_characters() -> frozenset[str]:
    """The characters the public fixer takes out of a text of every character, a block
    of them at a time."""
    from ftfy.fixes import remove_control_chars

    removed: set[str] = set()
    for start in range(0, 0x110000, 0x1000):
        block = "".join(map(chr, range(start, start + 0x1000)))
        kept = remove_control_chars(block)
        if kept != block:
            removed |= set(block) - set(kept)
    return frozenset(removed)
