"""mrab-regex's internals: its pattern parser (``regex._regex_core``) and its case table (``regex._regex``).

Read: the syntax tree `regex` builds for a rule's pattern, handed out in the
prefilter's own nodes (`cleaner.patterntree`) by `parse_regex`, and the
characters `regex` takes for one when it ignores case (`case_variants`). Why: the
prefilter (`cleaner.prefilter`) reads from a pattern's tree what every match must
contain, and runs a rule only on the lines that hold it; no public API gives a
pattern's structure, nor `regex`'s own case table.

Without them (another release of regex, which moved or renamed them): no pattern
is read (`parse_regex` raises `Unavailable`), no rule is gated, and every rule runs
on every line it may act on; the case variants are found with the public `regex`.
The same output, only slower: each function's docstring says how much.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

import regex

from .. import patterntree

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
    prefilter's own nodes (`cleaner.patterntree`), and the pattern's groups by number.

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
    read = _Translation(core, patterntree).node
    try:
        return read(tree), {number: read(group) for number, (group, _r, _f) in info.defined_groups.items()}
    except (AttributeError, KeyError, IndexError, TypeError) as e:  # a node of another shape
        raise Unavailable(f"regex's parser gave a node of another shape than the one read: {e!r}") from e


class _Translation:
    """The nodes of one pattern's tree, `regex`'s own, as `cleaner.patterntree` nodes
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
