"""Every use of another package's private API, behind one door.

Three parts of the package read what a dependency keeps to itself: the
prefilter (`cleaner.prefilter`) reads each rule's pattern as `regex` parses it,
the encoding repair (`cleaner.stages.repair`) reads ftfy's mojibake pattern with
Python's own pattern parser, and the local engine (`cleaner.localengine`) reads
the worker processes of `concurrent.futures`' process pool. Each private name is imported here,
inside ``try``, and only here; each is handed out by one function or constant
below, whose docstring says what it reads, why, and what happens without it.

Without any of them the output is the same, only slower: the fallbacks are
public. tests/test_compat.py hides each private name of regex, ``re`` and ftfy
(in a fresh interpreter) and checks that ``import cleaner`` works and that
documents come out, field for field, as they do with it; tests/test_compat_pool.py
hides the pool's and checks that a run still writes the same files, and that a
stopped run and a dead worker cost no document.

One section per foreign package: regex (mrab-regex), Python's ``re``, ftfy,
``concurrent.futures``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import regex

# =====================================================================================
# regex (mrab-regex): its pattern parser (regex._regex_core) and case table (regex._regex)
# =====================================================================================

#: The names of ``regex._regex_core`` read here: the parser's entry points, the classes
#: of the nodes of a parsed pattern, the width of an unbounded match, the Unicode
#: properties by number.
REGEX_CORE_NAMES = (
    "Source", "Info", "_parse_pattern", "_UnscopedFlagSet",
    "Any", "AnyAll", "AnyU", "Atomic", "Branch", "CallGroup", "Character", "Conditional", "EndOfLine",
    "EndOfString", "EndOfStringLine", "Fuzzy", "Grapheme", "GreedyRepeat", "Group", "LazyRepeat", "LookAround",
    "LookAroundConditional", "PossessiveRepeat", "Property", "Range", "RefGroup", "Sequence", "SetDiff",
    "SetInter", "SetSymDiff", "SetUnion", "String", "ZeroWidthBase",
    "UNLIMITED", "PROPERTY_NAMES",
)


def _load_regex_syntax() -> SimpleNamespace | None:
    try:
        import regex._regex_core as core
        return SimpleNamespace(**{name: getattr(core, name) for name in REGEX_CORE_NAMES})
    except (ImportError, AttributeError):  # another release of regex: moved or renamed
        return None


#: ``regex._regex_core``'s `REGEX_CORE_NAMES` as attributes; None when any one is missing.
_REGEX_CORE = _load_regex_syntax()


class Unavailable(RuntimeError):
    """A private API this package reads is missing from the installed dependency."""


def parse_regex(pattern: str):
    """The syntax tree `regex` builds for ``pattern`` (before it optimises it), in the
    prefilter's own nodes (`cleaner.prefilter.syntax`), and the pattern's groups by number.

    Reads ``regex._regex_core``'s ``Source``, ``Info``, ``_parse_pattern`` and
    ``_UnscopedFlagSet`` (a flag set midway through a pattern: it is parsed again
    with that flag global, as `regex` does), the tree's ``fix_groups()``, the
    ``Info``'s ``defined_groups``, and the nodes of the tree (`_Translation`). Why:
    the prefilter reads, from the tree of a rule's pattern, what every match must
    contain (`cleaner.prefilter.literals`), and so runs a rule only on the lines that
    hold it; no public API gives a pattern's structure.

    Without it, or with a node not known or not as expected (`Unavailable`): no
    pattern is read, no rule is gated, and every rule runs on every line it may act
    on: the same output (which tests/test_prefilter.py also checks with every rule
    ungated), at about twice the cleaning time (fundus-en and dragnet-en text: 16 s
    of CPU instead of 8.7). ValueError: a pattern not read (unbalanced, reversed,
    locale-dependent); and what `regex` raises for a pattern it rejects.
    """
    core = _REGEX_CORE
    if core is None:
        raise Unavailable("regex's parser (regex._regex_core) is not there to read patterns with")
    flags = 0
    while True:
        source = core.Source(pattern)
        info = core.Info(flags, source.char_type, {})
        info.guess_encoding = regex.UNICODE
        source.ignore_space = bool(info.flags & regex.VERBOSE)
        try:
            tree = core._parse_pattern(source, info)
            break
        except core._UnscopedFlagSet:
            flags = info.global_flags
    if not source.at_end():
        raise ValueError("unbalanced parenthesis")
    if info.flags & (regex.REVERSE | regex.LOCALE):
        raise ValueError("reverse and locale patterns are not analysed")
    tree.fix_groups(pattern, False, False)
    from .prefilter import syntax  # here, not at the top: importing `cleaner.prefilter` imports this module
    read = _Translation(core, syntax).node
    try:
        return read(tree), {number: read(group) for number, (group, _r, _f) in info.defined_groups.items()}
    except (AttributeError, KeyError, IndexError, TypeError) as e:  # a node of another shape
        raise Unavailable(f"regex's parser gave a node of another shape than the one read: {e!r}") from e


class _Translation:
    """The nodes of one pattern's tree, `regex`'s own, as `cleaner.prefilter.syntax` nodes
    (`node`): a node `regex` shares is one node here too, and so are equal characters.
    Read of each: its class, ``case_flags``, a property's name (``PROPERTY_NAMES``), what
    a set is compared by (``_key``), its ``max_width()`` (None from ``UNLIMITED`` on), which
    for a node holding others is worked out from theirs as `regex` does, not asked again."""

    def __init__(self, core, syntax):
        self.core, self.s, self.made, self.chars = core, syntax, {}, {}

    def node(self, node):
        ours = self.made.get(id(node))
        if ours is None:
            ours = self.made[id(node)] = self._read(node)
        return ours

    def _bound(self, width: int) -> int | None:
        return None if width >= self.core.UNLIMITED else width

    def _width(self, ours) -> int:
        return self.core.UNLIMITED if ours.longest is None else ours.longest

    def _char(self, node):
        """A character: the commonest node, made once for each code and flags."""
        key = (node.value, node.positive, int(node.case_flags), node.zerowidth)
        if key not in self.chars:
            self.chars[key] = self.s.Character(node.value, *_flags(node), self._bound(node.max_width()))
        return self.chars[key]

    def _read(self, node):
        core, s, kind = self.core, self.s, type(node)
        if kind is core.Character:
            return self._char(node)
        if kind is core.Sequence:
            items = tuple(map(self.node, node.items))
            return s.Sequence(items, self._bound(sum(map(self._width, items))))
        if kind is core.Branch:
            branches = tuple(map(self.node, node.branches))
            return s.Branch(branches, self._bound(max(map(self._width, branches))))
        if kind in (core.Group, core.Atomic):
            inner = self.node(node.subpattern)
            return s.Group(node.group if kind is core.Group else None, inner, inner.longest)
        if kind in (core.GreedyRepeat, core.LazyRepeat, core.PossessiveRepeat):
            inner, most = self.node(node.subpattern), node.max_count
            width = None if most is None else self._bound(self._width(inner) * most)
            return s.Repeat(inner, node.min_count, most, width)
        if kind in (core.Conditional, core.LookAroundConditional):
            yes, no = self.node(node.yes_item), self.node(node.no_item)
            test = None if kind is core.Conditional else s.LookAround(
                node.behind, node.positive, self.node(node.subpattern), 0)
            return s.Conditional(test, yes, no, self._bound(max(self._width(yes), self._width(no))))
        width = self._bound(node.max_width())  # a leaf's, or a look-around's (0)
        if kind is core.LookAround:
            return s.LookAround(node.behind, node.positive, self.node(node.subpattern), width)
        if kind in (core.CallGroup, core.RefGroup):
            return (s.CallGroup(node.group, width) if kind is core.CallGroup
                    else s.RefGroup(node.group, bool(node.case_flags & regex.IGNORECASE), width))
        if kind is core.String:  # its characters as `regex` makes them of it (``get_firstset``)
            return s.String(tuple(self._char(core.Character(c, case_flags=node.case_flags))
                                  for c in node.characters), width)
        if kind is core.Range:
            return s.Range(node.lower, node.upper, *_flags(node), width)
        if kind is core.Property:
            name, values = core.PROPERTY_NAMES[node.value >> 16]
            return s.Property(f"{name}={values[node.value & 0xFFFF]}", *_flags(node), width)
        if kind is core.SetUnion:  # compared by its members as parsed (``_key``), not as ``optimise`` merged them
            return s.SetUnion(tuple(map(self.node, node.items)), tuple(map(self.node, node._key[1])),
                              *_flags(node), width)
        if kind in (core.SetInter, core.SetDiff, core.SetSymDiff):
            return s.OtherClass(*_flags(node)[2:], width)
        if kind in (core.Any, core.AnyAll, core.AnyU):
            return s.OtherClass(False, False, width)
        if isinstance(node, core.ZeroWidthBase):
            return s.ZeroWidth(kind in (core.EndOfString, core.EndOfStringLine, core.EndOfLine), width)
        if kind in (core.Fuzzy, core.Grapheme):
            return s.Other((self.node(node.subpattern),) if kind is core.Fuzzy else (), width)
        raise Unavailable(f"regex's parser made a node of a class not read here: {kind.__name__}")


def _flags(node) -> tuple[bool, bool, bool, bool]:
    """A class's ``positive``, ``ignore_case``, ``full_case`` and ``zerowidth``."""
    case = node.case_flags
    return bool(node.positive), bool(case & regex.IGNORECASE), bool(case & regex.FULLCASE), bool(node.zerowidth)


def _load_get_all_cases():
    try:
        import regex._regex as engine
        return engine.get_all_cases
    except (ImportError, AttributeError):  # another release of regex: moved or renamed
        return None


_GET_ALL_CASES = _load_get_all_cases()
#: Unicode, ignoring case (simple case folding): how `regex` matches ``(?i)`` by default.
_CASE_FLAGS = regex.UNICODE | regex.IGNORECASE


def case_variants(code: int) -> tuple[int, ...]:
    """The characters `regex` takes for the character ``code`` when it ignores case
    (simple case folding, as ``(?i)`` does by default), ``code`` among them.

    Reads ``regex._regex.get_all_cases``, the table `regex`'s matcher uses. Why: a
    line and a pattern's literals are compared in one folded form, in which a
    pattern's case-insensitive character stands for all these
    (`cleaner.prefilter.folding`), so that the comparison is never stricter than the
    pattern.

    Without it: the same characters, found with the public `regex`, which is asked
    which characters ``(?i)`` and this character match, among all those whose case
    can change (`_cased_characters`): about 0.15 s once per process, then a short
    search per character asked about (tests/test_compat.py checks every one).
    """
    if _GET_ALL_CASES is not None:
        return tuple(_GET_ALL_CASES(_CASE_FLAGS, code))
    return _public_case_variants(code)


@lru_cache(maxsize=4096)
def _public_case_variants(code: int) -> tuple[int, ...]:
    char = chr(code)
    found = regex.findall("(?i)" + regex.escape(char), _cased_characters())
    return tuple(sorted({code, *map(ord, found)}))


@lru_cache(maxsize=1)
def _cased_characters() -> str:
    """Every character whose case a case mapping or case folding changes, by `regex`'s
    own Unicode tables: the only characters that can have a case variant."""
    every = "".join(map(chr, range(0x110000)))
    return "".join(regex.findall(r"[\p{Changes_When_Casemapped}\p{Changes_When_Casefolded}]", every))


# =====================================================================================
# Python's re: its pattern parser (re._parser, re._constants)
# =====================================================================================

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


# =====================================================================================
# ftfy: its mojibake pattern, its categories of characters, its control characters
# =====================================================================================

try:
    from ftfy.badness import BADNESS_RE as _BADNESS_RE
except ImportError:  # another release of ftfy
    _BADNESS_RE = None

#: ftfy's mojibake search, ``ftfy.badness.BADNESS_RE``: the pattern the public
#: ``ftfy.badness.is_bad`` searches a whole text for. Why: the repair searches it
#: only around the characters every match holds (`read_badness`), not along a whole
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


# --- concurrent.futures: the process pool ------------------------------------------
#
# The one door into `concurrent.futures.ProcessPoolExecutor`'s private internals.
#
# The local engine (`cleaner.localengine`) needs two things the pool's public API does
# not give: its worker processes (to kill them at once when a run is stopped, and to see
# that one died while the pool still waits for its result), and the writing end of its
# results pipe (to end a wait for a message that a killed worker left half sent). Every
# read of a private name of the pool is here, inside ``getattr`` and ``try``, so that a
# Python whose pool is built otherwise costs only speed: each function returns an empty
# answer there, and the caller takes the public path (`ProcessPoolExecutor.shutdown`,
# waiting for `Future.result`).

#: The private attributes read here, by name (a test removes them to try the fallbacks).
PROCESSES = "_processes"  # dict: pid -> multiprocessing.Process, None once shut down
RESULT_QUEUE = "_result_queue"  # the multiprocessing.SimpleQueue workers send results on
WRITER = "_writer"  # that queue's writing end (a multiprocessing.connection.Connection)
BROKEN = "_broken"  # False, or the reason the pool is broken


def worker_processes(pool: Any) -> list:
    """The pool's worker processes (``multiprocessing.Process``), read from its private
    ``_processes``; an empty list when that is missing, shut down or of another shape.

    Read to kill the workers at once (`kill_workers`) and to see a dead one while the pool
    is not yet broken (`cleaner.localengine`). With an empty list the caller cannot do
    either: it waits for the pool instead, which is slower but correct."""
    try:
        processes = getattr(pool, PROCESSES, None)
        return list(processes.values()) if processes else []
    except Exception:  # another shape than a dict of processes
        return []


def is_broken(pool: Any) -> bool:
    """Whether the pool knows it is broken (a worker died), read from its private
    ``_broken``; False when that is missing.

    False is the safe answer: the caller then looks at the workers themselves
    (`worker_processes`), and a broken pool still raises `BrokenProcessPool` from
    `Future.result`, the public path."""
    try:
        return bool(getattr(pool, BROKEN, False))
    except Exception:
        return False


def kill_workers(pool: Any) -> bool:
    """Kill the pool's worker processes now, rather than waiting for what they are doing;
    True if it could. Through the private ``_processes`` (`worker_processes`), else the
    public ``kill_workers`` of Python 3.14 and later; False when neither is there, and
    the caller's `ProcessPoolExecutor.shutdown` waits for the batches in flight."""
    processes = worker_processes(pool)
    if processes:
        for process in processes:
            try:
                process.kill()
            except Exception:  # already reaped, or not a process after all
                pass
        return True
    public = getattr(pool, "kill_workers", None)
    if callable(public):
        try:
            public()
            return True
        except Exception:
            return False
    return False


def close_result_writer(pool: Any) -> bool:
    """Close this process's copy of the writing end of the pool's results pipe (the
    private ``_result_queue._writer``); True if it could.

    A worker killed while sending a result leaves half a message in the pipe, and the
    pool's manager thread waits for the rest forever (so does `shutdown`, joining it).
    Once the workers are dead this copy is the last one open, and closing it ends that
    wait: the pool is then broken. Without it (False), that rare case is not undone."""
    try:
        writer = getattr(getattr(pool, RESULT_QUEUE, None), WRITER, None)
        if writer is None:
            return False
        writer.close()
        return True
    except Exception:
        return False
