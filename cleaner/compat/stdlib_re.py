"""Python's own pattern parser (``re._parser``, ``re._constants``), read for ftfy's mojibake pattern.

Read: the syntax tree Python's ``re`` builds for ftfy's mojibake pattern
(`cleaner.compat.ftfy_internals.MOJIBAKE_PATTERN`), by `read_badness`. Why: the
encoding repair (`cleaner.stages.repair`) then searches that pattern only around
the characters every match holds, not along a whole line; no public API gives a
pattern's structure (both modules are private since Python 3.11).

Without them (another version of Python): `read_badness` gives None, and the
repair asks ftfy's public ``is_bad`` of every line holding a character beyond
ASCII: the same output, only slower (`read_badness` says how much).
"""

from __future__ import annotations

import re

from .ftfy_internals import MOJIBAKE_PATTERN, _commonness

try:
    import re._constants as _sre
    import re._parser as _sre_parse
except ImportError:  # another version of Python
    _sre = _sre_parse = None


def _parse_stdlib(pattern: re.Pattern):
    """The syntax tree Python's ``re`` builds for a compiled pattern, or None without
    ``re._parser``. Read only by `read_badness` (its docstring says why and what
    happens without it)."""
    if _sre_parse is None or _sre is None:
        return None
    return _sre_parse.parse(pattern.pattern, pattern.flags)


def read_badness(pattern: re.Pattern | None = None) -> tuple[str, int] | None:
    """Characters one of which every match of ftfy's mojibake pattern holds, and the
    longest match it can make; None if the pattern has a construct this reading
    cannot vouch for, or either private name below is missing.

    Reads ``pattern`` (by default `MOJIBAKE_PATTERN`, ftfy's ``BADNESS_RE``) with
    ``re._parser`` and ``re._constants`` (Python's own parser, private since 3.11).
    Why: ``ftfy.badness.is_bad`` is a search for that pattern: alternatives, each a
    short sequence of characters and character classes. From each alternative this
    takes one class that must match (not optional, not negated, no ``\\w``-like
    category), the one least likely in good text (`_commonness`, which reads ftfy's
    ``MOJIBAKE_CATEGORIES``): a text with none of the characters of any of them
    cannot match. Curly quotes and dashes are then in no such class (they only ever
    count next to rarer characters), which is what makes the marks narrow.
    Lookarounds and anchors other than ``^`` would let a match depend on what lies
    around it, and are not accepted.

    Without it (None): the repair counts every character beyond ASCII as a mark and
    asks the public ``ftfy.badness.is_bad`` of each line holding one
    (`cleaner.stages.repair.needs_ftfy`): ftfy looks at more lines, the output is the
    same (fundus-en and dragnet-en text: a third more CPU time, most of it building
    the sets of marks, 1.1 million characters, as each process starts).
    """
    pattern = MOJIBAKE_PATTERN if pattern is None else pattern
    if pattern is None or pattern.flags & re.IGNORECASE:
        return None
    tree = _parse_stdlib(pattern)
    if tree is None:
        return None
    sre = _sre
    longest = tree.getwidth()[1]
    if longest >= sre.MAXREPEAT or not _plain(tree, sre):
        return None
    items = list(tree)
    alternatives = items[0][1][1] if len(items) == 1 and items[0][0] is sre.BRANCH else [tree]
    marks: set[str] = set()
    for alternative in alternatives:
        required = [chars for op, arg in alternative if (chars := _class_chars(op, arg, sre)) is not None]
        if not required:
            return None
        marks |= min(required, key=_commonness)
    return "".join(sorted(marks)), longest


def _plain(tree, sre) -> bool:
    """Does the parsed pattern use only characters, classes, repeats and branches, and
    no anchor but ``^``?"""
    for op, arg in tree:
        if op is sre.AT:
            if arg is not sre.AT_BEGINNING:
                return False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            if not _plain(arg[2], sre):
                return False
        elif op is sre.BRANCH:
            if not all(_plain(branch, sre) for branch in arg[1]):
                return False
        elif op not in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            return False
    return True


def _class_chars(op, arg, sre) -> set[str] | None:
    """The characters one required item of a parsed pattern matches, if it is a literal
    or a plain (not negated, category-free) class; None otherwise."""
    if op is sre.LITERAL:
        return {chr(arg)}
    if op is not sre.IN:
        return None
    chars: set[str] = set()
    for member, value in arg:
        if member is sre.LITERAL:
            chars.add(chr(value))
        elif member is sre.RANGE:
            chars.update(chr(c) for c in range(value[0], value[1] + 1))
        else:
            return None  # a negation or a category
    return chars
