"""What texts any match of a pattern must hold, read from the pattern's syntax tree.

The tree is the one `regex` itself builds (`cleaner.compat.parse_regex`), in the
prefilter's own nodes (`cleaner.patterntree`). A `Reader` finds, for a node or
a sequence of nodes:

- ``starts``: the folded texts one of which a match must begin with, each with
  whether the match is that text exactly;
- ``needs``: the folded texts the node matches in full, when they are few and
  known, else a condition on the literals a match must contain (``and``/``or`` of
  pieces, `cleaner.prefilter.conditions`);
- ``min_width``: the fewest characters it can match.

`alternatives_of` splits a pattern into its top-level alternatives, which
`cleaner.prefilter.gates` reads one by one. Every result is a necessary
condition; a construct that is not known gives "anything" (`ANY`, or a start that
could be any text), never a condition that could be wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import product

from ..compat import case_variants, parse_regex
from .conditions import ANY
from .folding import fold
from ..patterntree import (Branch, CallGroup, Character, Conditional, Group, LookAround, OtherClass, Property, Range,
                     Repeat, Sequence, SetUnion, String, ZeroWidth)

#: How many characters of a line's start are compared.
START_CHARS = 8
#: Most start texts one alternative may list before the analysis stops extending them.
START_LIMIT = 256
#: Most literal texts one piece of a pattern may expand to.
EXACT_LIMIT = 16
#: Most characters a character class may stand for before it counts as "anything".
CLASS_LIMIT = 32
#: Most alternatives a pattern is split into.
ALTERNATIVE_LIMIT = 64

_TOP = frozenset({("", False)})  # starts: could begin with anything
_EMPTY = frozenset({("", True)})  # starts: matches the empty text only


@lru_cache(maxsize=4096)
def variants(code: int, ignore_case: bool, full_case: bool) -> frozenset[str] | None:
    """The folded texts a pattern character can match, or None if that is not a set of
    single characters (full case folding can match several)."""
    if full_case and ignore_case:
        return None
    if ignore_case:
        return frozenset({fold(chr(c)) for c in case_variants(code)} | {fold(chr(code))})
    return frozenset({fold(chr(code))})


def _class_chars(node) -> set[int] | None:
    """The characters a positive character class of a few members stands for, or None."""
    if type(node) is Character:
        return {node.code} if node.positive and not node.zerowidth else None
    if type(node) is Range:
        if not node.positive or node.upper - node.lower >= CLASS_LIMIT:
            return None
        return set(range(node.lower, node.upper + 1))
    if type(node) is SetUnion and node.positive and not node.zerowidth:
        chars: set[int] = set()
        for item in node.items:
            inner = _class_chars(item)
            if inner is None:
                return None
            chars |= inner
            if len(chars) > CLASS_LIMIT:
                return None
        return chars
    return None


def _char_texts(node) -> set[str] | None:
    """The folded texts one character-consuming node can match, or None if unknown."""
    if type(node) is Character:
        if not node.positive or node.zerowidth:
            return None
        return variants(node.code, node.ignore_case, node.full_case)
    if type(node) in (Range, SetUnion):
        chars = _class_chars(node)
        if chars is None:
            return None
        texts: set[str] = set()
        for c in chars:
            v = variants(c, node.ignore_case, node.full_case)
            if v is None:
                return None
            texts |= v
        return texts if len(texts) <= CLASS_LIMIT else None
    return None


_WHITE_SPACE = None


def _only_white_space(node) -> bool:
    """Does the node match nothing but white space (``\\s``, repeated or grouped)?

    ``str.strip`` removes every character ``\\s`` matches, so such a node can only
    match the empty text at the start of a stripped line."""
    global _WHITE_SPACE
    if _WHITE_SPACE is None:
        tree, _groups = parse_regex(r"\s")
        _WHITE_SPACE = tree.items[0] if type(tree) is Sequence else tree
    kind = type(node)
    if kind in (Repeat, Group):
        return _only_white_space(node.subpattern)
    return kind is Property and node == _WHITE_SPACE


@lru_cache(maxsize=1)
def not_white_space():
    tree, _groups = parse_regex(r"\S")
    return tree.items[0] if type(tree) is Sequence else tree


def is_zero_width(node) -> bool:
    return isinstance(node, (ZeroWidth, LookAround)) or (type(node) is Character and node.zerowidth)


class Reader:
    """The analyses of one pattern's tree (group calls are followed, once each)."""

    def __init__(self, groups: dict):
        self.groups = groups
        self.calling: set[int] = set()
        self._starts: dict[int, tuple] = {}
        self._needs: dict[int, tuple] = {}

    def _called(self, node):
        """The group a call leads to, or None while that group is already being read."""
        number = node.number
        if number in self.calling or number not in self.groups:
            return None
        return self.groups[number]

    # starts: frozenset of (folded text, closed); closed means the match is that text exactly

    def starts(self, node) -> frozenset:
        """Memoised by node (a result under a group call's recursion guard is no less sound)."""
        known = self._starts.get(id(node))
        if known is None or known[0] is not node:
            known = self._starts[id(node)] = (node, self._read_starts(node))
        return known[1]

    def _read_starts(self, node) -> frozenset:
        kind = type(node)
        if kind is Sequence:
            return self.starts_of(node.items)
        if kind is Branch:
            return _cap(frozenset().union(*(self.starts(b) for b in node.branches)))
        if kind is Group:
            return self.starts(node.subpattern)
        if kind is CallGroup:
            target = self._called(node)
            if target is None:
                return _TOP
            self.calling.add(node.number)
            try:
                return self.starts(target.subpattern)
            finally:
                self.calling.discard(node.number)
        if kind is Repeat:
            if node.max_count == 0:
                return _EMPTY
            inner = self.starts(node.subpattern)
            if node.min_count == node.max_count == 1:
                return inner
            opened = frozenset((text, False) for text, _closed in inner)
            return _cap(opened | _EMPTY) if node.min_count == 0 else opened
        if kind is Conditional:
            return _cap(self.starts(node.yes) | self.starts(node.no))
        if kind is String:
            return self.starts_of(node.chars)
        if is_zero_width(node):
            return _EMPTY
        texts = _char_texts(node)
        if texts is None:
            return _TOP
        return frozenset((t[:START_CHARS], len(t) < START_CHARS) for t in texts)

    def starts_of(self, items, at_line_start: bool = False) -> frozenset:
        """The starts of a sequence. At the start of a stripped line (``at_line_start``)
        an item that only matches white space can only match nothing."""
        current = _EMPTY
        for item in items:
            if not any(closed for _text, closed in current):
                break
            following = self.starts(item)
            blank = at_line_start and _only_white_space(item)
            joined = set()
            for text, closed in current:
                if not closed:
                    joined.add((text, False))
                    continue
                if blank and text == "":
                    joined.add((text, closed))
                    continue
                for more, more_closed in following:
                    whole = text + more
                    if len(whole) >= START_CHARS:
                        joined.add((whole[:START_CHARS], False))
                    else:
                        joined.add((whole, more_closed))
            if len(joined) > START_LIMIT:
                return frozenset((text, False) for text, _closed in current)
            current = frozenset(joined)
        return current

    # needs: (exact, expression); exact is the set of folded texts the node matches
    # in full when that set is small and known, else None

    def needs(self, node):
        """Memoised by node, as `starts`."""
        known = self._needs.get(id(node))
        if known is None or known[0] is not node:
            known = self._needs[id(node)] = (node, self._read_needs(node))
        return known[1]

    def _read_needs(self, node):
        kind = type(node)
        if kind is Sequence:
            return self.needs_of(node.items)
        if kind is Branch:
            return self.needs_of_one(node.branches)
        if kind is Group:
            return self.needs(node.subpattern)
        if kind is CallGroup:
            target = self._called(node)
            if target is None:
                return None, ANY
            self.calling.add(node.number)
            try:
                return self.needs(target.subpattern)
            finally:
                self.calling.discard(node.number)
        if kind is Repeat:
            if node.max_count == 0:
                return frozenset({""}), None
            inner = self.needs(node.subpattern)
            if node.min_count == node.max_count == 1:
                return inner
            if node.min_count == 0:
                exact, _ = inner
                if node.max_count == 1 and exact is not None and len(exact) < EXACT_LIMIT:
                    return frozenset(exact | {""}), None
                return None, ANY
            return None, expression(inner)
        if kind is Conditional:
            return self.needs_of_one((node.yes, node.no))
        if kind is String:
            return self.needs_of(node.chars)
        if is_zero_width(node):
            return frozenset({""}), None
        texts = _char_texts(node)
        if texts is None:
            return None, ANY
        return frozenset(texts), None

    def needs_of_one(self, branches):
        """The needs of alternatives, one of which matches."""
        parts = [self.needs(b) for b in branches]
        if all(exact is not None for exact, _ in parts):
            union = set().union(*(exact for exact, _ in parts))
            if len(union) <= EXACT_LIMIT:
                return frozenset(union), None
        return None, any_of([expression(p) for p in parts])

    def needs_of(self, items):
        """Literal runs are multiplied out while they stay small; each run, and each
        item that is not literal, becomes one term of an ``and``."""
        terms = []
        run = frozenset({""})
        exact_throughout = True
        for item in items:
            exact, expression = self.needs(item)
            if exact is not None:
                joined = frozenset(a + b for a, b in product(run, exact))
                if len(joined) <= EXACT_LIMIT:
                    run = joined
                    continue
                exact_throughout = False
                terms.append(_pieces(run))
                run = exact if len(exact) <= EXACT_LIMIT else frozenset({""})
            else:
                exact_throughout = False
                terms.append(_pieces(run))
                terms.append(expression)
                run = frozenset({""})
        if exact_throughout:
            return run, None
        terms.append(_pieces(run))
        return None, all_of(terms)

    def min_width(self, node) -> int:
        """The fewest characters of text the node can match (a lower bound)."""
        kind = type(node)
        if kind is Sequence:
            return sum(self.min_width(i) for i in node.items)
        if kind is Branch:
            return min((self.min_width(b) for b in node.branches), default=0)
        if kind is Group:
            return self.min_width(node.subpattern)
        if kind is Repeat:
            return node.min_count * self.min_width(node.subpattern)
        if kind is Character:
            return 1 if node.positive and not node.zerowidth and not node.full_case else 0
        if kind in (Range, SetUnion, Property, OtherClass):
            return 0 if node.zerowidth or node.full_case else 1
        if kind is String:
            return 0 if any(c.full_case for c in node.chars) else len(node.chars)
        return 0


def _cap(starts: frozenset) -> frozenset:
    """Fewer, shorter start texts when there are too many (each still a start of the match)."""
    length = START_CHARS
    while len(starts) > START_LIMIT and length > 0:
        length -= 1
        starts = frozenset((text[:length], False) for text, _closed in starts)
    return starts


def _pieces(exact: Iterable[str]):
    """The ``or`` of literal texts (one of them must occur), or ANY when one is too short."""
    texts = set(exact)
    if not texts or "" in texts or (len(texts) > 4 and any(len(t) == 1 for t in texts)):
        return ANY
    # a text that contains another one adds nothing to the "or"
    kept = sorted(t for t in texts if not any(o != t and o in t for o in texts))
    return kept[0] if len(kept) == 1 else ("or", tuple(kept))


def expression(needs):
    exact, expression = needs
    return _pieces(exact) if exact is not None else expression


def all_of(terms):
    kept = []
    for term in terms:
        if term is ANY:
            continue
        for t in term[1] if isinstance(term, tuple) and term[0] == "and" else (term,):
            if t not in kept:
                kept.append(t)
    if not kept:
        return ANY
    return kept[0] if len(kept) == 1 else ("and", tuple(kept))


def any_of(terms):
    if any(term is ANY for term in terms):
        return ANY
    kept = []
    for term in terms:
        for t in term[1] if isinstance(term, tuple) and term[0] == "or" else (term,):
            if t not in kept:
                kept.append(t)
    return kept[0] if len(kept) == 1 else ("or", tuple(kept))


def alternatives_of(node, limit: int = ALTERNATIVE_LIMIT) -> list[list]:
    """The pattern as a list of alternatives, each a list of items in sequence:
    top-level branches, also those inside groups and sequences, are multiplied out
    while there are at most ``limit``."""
    kind = type(node)
    if kind is Branch:
        if len(node.branches) > limit:
            return [[node]]
        share = limit // len(node.branches)
        return [alt for b in node.branches for alt in alternatives_of(b, share)]
    if kind is Group:
        inner = alternatives_of(node.subpattern, limit)
        return inner if len(inner) > 1 else [[node]]
    if kind is Sequence:
        out: list[list] = [[]]
        for item in node.items:
            expanded = alternatives_of(item, limit)
            if len(out) * len(expanded) > limit:
                expanded = [[item]]
            out = [a + b for a in out for b in expanded]
        return out
    return [[node]]
