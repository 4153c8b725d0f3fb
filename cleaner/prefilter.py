"""Which lines a rule's pattern could match, found without running the pattern.

Running every rule's pattern on every line cost most of the time of a run:
most lines are prose that no rule can match, and a pattern such as
``.{0,200}\\bcookies\\b.{0,300}`` must try hundreds of positions to fail. Before
a pattern runs, its syntax tree (as the `regex` module itself parses it, with
its internal parser) is read for what any match must contain (`gate`), and the
lines of a document are checked for that all at once with plain string
operations (`GateTable.hits`). A rule then runs, exactly as before, on the
lines that pass.

What is read from a pattern, for each of its alternatives (`Alternative`):

- ``starts``: the texts one of which a match must begin with (a whole-line
  rule matches from the first character of the stripped line), or ``first``,
  the class of that first character;
- ``needs``: the literal texts it must contain (``and``/``or`` of pieces), and
  for a pattern that opens with a group and repeats it later, that the line's
  first characters come again further on (`Echo`), and for a pattern that is one
  repeated character class, that every character of the line is in it (`Within`);
- ``longest``: how long a line it can match, when that is bounded.

Everything is a necessary condition: a line that fails it cannot be matched,
so no match is ever missed. Where the analysis meets a construct it does not
know, or anything fails (another version of `regex` may parse differently), it
claims nothing and the rule runs on every line, as it always did. Texts and
literals are compared in the form `fold` gives them; a case-insensitive
character of a pattern stands for the folds of every character `regex` takes
for it, so the comparison is never stricter than the pattern.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, product

import regex
from ahocorasick_rs import AhoCorasick
from regex import _regex
from regex import _regex_core as core

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
ANY = True  # needs: nothing is required


def _ascii_kin() -> dict[str, str]:
    """The characters beyond ASCII that `regex` takes, ignoring case, for an ASCII letter
    (the Kelvin sign for ``k``, the long s, the dotted and dotless i), and that letter."""
    kin = {}
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for code in _regex.get_all_cases(_CASE_FLAGS, ord(letter)):
            if code >= 0x80:
                kin[chr(code)] = letter.lower()
    return kin


_CASE_FLAGS = regex.UNICODE | regex.IGNORECASE
_ASCII_KIN = _ascii_kin()


def fold(text: str) -> str:
    """The form in which line texts and pattern literals are compared: ASCII letters in
    lower case, and the few other characters `regex` takes for one of them made that
    letter; every other character as it is.

    It maps each character on its own (so the fold of a piece of a line is a piece
    of the fold of the line), keeps white space where it is, and leaves no
    character out. A pattern's case-insensitive character is expanded to the folds
    of all the characters `regex` takes for it (`_variants`): "é" to "é" and "É".

    >>> fold("İNDEPENDENT Kelvin Straße")
    'independent kelvin straße'
    """
    if text.isascii():
        return text.lower()
    folded = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    for char, letter in _ASCII_KIN.items():
        if char in folded:
            folded = folded.replace(char, letter)
    return folded


# --- reading a pattern --------------------------------------------------------


def parse(pattern: str):
    """The syntax tree `regex` builds for ``pattern`` (before it optimises it), and
    the pattern's groups by number. Raises for anything this module does not read."""
    flags = 0
    while True:
        source = core.Source(pattern)
        info = core.Info(flags, source.char_type, {})
        info.guess_encoding = core.UNICODE
        source.ignore_space = bool(info.flags & core.VERBOSE)
        try:
            tree = core._parse_pattern(source, info)
            break
        except core._UnscopedFlagSet:
            flags = info.global_flags
    if not source.at_end():
        raise ValueError("unbalanced parenthesis")
    if info.flags & (core.REVERSE | core.LOCALE):
        raise ValueError("reverse and locale patterns are not analysed")
    tree.fix_groups(pattern, False, False)
    groups = {number: node for number, (node, _reverse, _fuzzy) in info.defined_groups.items()}
    return tree, groups


_IGNORECASE = int(core.IGNORECASE)
_FULLCASE = int(core.FULLCASE)


@lru_cache(maxsize=4096)
def _variants(code: int, case_flags: int) -> frozenset[str] | None:
    """The folded texts a pattern character can match, or None if that is not a set of
    single characters (full case folding can match several)."""
    case_flags = int(case_flags)
    if case_flags & _FULLCASE and case_flags & _IGNORECASE:
        return None
    if case_flags & _IGNORECASE:
        return frozenset({fold(chr(c)) for c in _regex.get_all_cases(_CASE_FLAGS, code)} | {fold(chr(code))})
    return frozenset({fold(chr(code))})


def _class_chars(node) -> set[int] | None:
    """The characters a positive character class of a few members stands for, or None."""
    if type(node) is core.Character:
        return {node.value} if node.positive and not node.zerowidth else None
    if type(node) is core.Range:
        if not node.positive or node.upper - node.lower >= CLASS_LIMIT:
            return None
        return set(range(node.lower, node.upper + 1))
    if type(node) is core.SetUnion and node.positive and not node.zerowidth:
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
    if type(node) is core.Character:
        if not node.positive or node.zerowidth:
            return None
        return _variants(node.value, node.case_flags)
    if type(node) in (core.Range, core.SetUnion):
        chars = _class_chars(node)
        if chars is None:
            return None
        texts: set[str] = set()
        for c in chars:
            v = _variants(c, node.case_flags)
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
        tree, _groups = parse(r"\s")
        _WHITE_SPACE = tree.items[0] if type(tree) is core.Sequence else tree
    kind = type(node)
    if kind in _REPEATS or kind in (core.Group, core.Atomic):
        return _only_white_space(node.subpattern)
    return kind is core.Property and node == _WHITE_SPACE


@lru_cache(maxsize=1)
def _not_white_space():
    tree, _groups = parse(r"\S")
    return tree.items[0] if type(tree) is core.Sequence else tree


def _is_zero_width(node) -> bool:
    return isinstance(node, (core.ZeroWidthBase, core.LookAround)) or (
        type(node) is core.Character and node.zerowidth)


_REPEATS = (core.GreedyRepeat, core.LazyRepeat, core.PossessiveRepeat)


class _Reader:
    """The analyses of one pattern's tree (group calls are followed, once each)."""

    def __init__(self, groups: dict):
        self.groups = groups
        self.calling: set[int] = set()
        self._starts: dict[int, tuple] = {}
        self._needs: dict[int, tuple] = {}

    def _called(self, node):
        """The group a call leads to, or None while that group is already being read."""
        number = node.group
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
        if kind is core.Sequence:
            return self.starts_of(node.items)
        if kind is core.Branch:
            return _cap(frozenset().union(*(self.starts(b) for b in node.branches)))
        if kind in (core.Group, core.Atomic):
            return self.starts(node.subpattern)
        if kind is core.CallGroup:
            target = self._called(node)
            if target is None:
                return _TOP
            self.calling.add(node.group)
            try:
                return self.starts(target.subpattern)
            finally:
                self.calling.discard(node.group)
        if kind in _REPEATS:
            if node.max_count == 0:
                return _EMPTY
            inner = self.starts(node.subpattern)
            if node.min_count == node.max_count == 1:
                return inner
            opened = frozenset((text, False) for text, _closed in inner)
            return _cap(opened | _EMPTY) if node.min_count == 0 else opened
        if kind is core.Conditional:
            return _cap(self.starts(node.yes_item) | self.starts(node.no_item))
        if kind is core.LookAroundConditional:
            return _cap(self.starts(node.yes_item) | self.starts(node.no_item))
        if kind is core.String:
            return self.starts_of([core.Character(c, case_flags=node.case_flags) for c in node.characters])
        if _is_zero_width(node):
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
        if kind is core.Sequence:
            return self.needs_of(node.items)
        if kind is core.Branch:
            parts = [self.needs(b) for b in node.branches]
            if all(exact is not None for exact, _ in parts):
                union = set().union(*(exact for exact, _ in parts))
                if len(union) <= EXACT_LIMIT:
                    return frozenset(union), None
            return None, _any_of([_expression(p) for p in parts])
        if kind in (core.Group, core.Atomic):
            return self.needs(node.subpattern)
        if kind is core.CallGroup:
            target = self._called(node)
            if target is None:
                return None, ANY
            self.calling.add(node.group)
            try:
                return self.needs(target.subpattern)
            finally:
                self.calling.discard(node.group)
        if kind in _REPEATS:
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
            return None, _expression(inner)
        if kind in (core.Conditional, core.LookAroundConditional):
            return self.needs(core.Branch([node.yes_item, node.no_item]))
        if kind is core.String:
            return self.needs_of([core.Character(c, case_flags=node.case_flags) for c in node.characters])
        if _is_zero_width(node):
            return frozenset({""}), None
        texts = _char_texts(node)
        if texts is None:
            return None, ANY
        return frozenset(texts), None

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
        return None, _all_of(terms)

    def min_width(self, node) -> int:
        """The fewest characters of text the node can match (a lower bound)."""
        kind = type(node)
        if kind is core.Sequence:
            return sum(self.min_width(i) for i in node.items)
        if kind is core.Branch:
            return min((self.min_width(b) for b in node.branches), default=0)
        if kind in (core.Group, core.Atomic):
            return self.min_width(node.subpattern)
        if kind in _REPEATS:
            return node.min_count * self.min_width(node.subpattern)
        if kind is core.Character:
            return 1 if node.positive and not node.zerowidth and not int(node.case_flags) & _FULLCASE else 0
        if kind in (core.Range, core.SetUnion, core.SetInter, core.SetDiff, core.SetSymDiff, core.Property):
            return 0 if node.zerowidth or int(node.case_flags) & _FULLCASE else 1
        if kind is core.String:
            return 0 if int(node.case_flags) & _FULLCASE else len(node.characters)
        if kind in (core.Any, core.AnyAll, core.AnyU):
            return 1
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


def _expression(needs):
    exact, expression = needs
    return _pieces(exact) if exact is not None else expression


def _all_of(terms):
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


def _any_of(terms):
    if any(term is ANY for term in terms):
        return ANY
    kept = []
    for term in terms:
        for t in term[1] if isinstance(term, tuple) and term[0] == "or" else (term,):
            if t not in kept:
                kept.append(t)
    return kept[0] if len(kept) == 1 else ("or", tuple(kept))


def _alternatives(node, limit: int = ALTERNATIVE_LIMIT) -> list[list]:
    """The pattern as a list of alternatives, each a list of items in sequence:
    top-level branches, also those inside groups and sequences, are multiplied out
    while there are at most ``limit``."""
    kind = type(node)
    if kind is core.Branch:
        if len(node.branches) > limit:
            return [[node]]
        share = limit // len(node.branches)
        return [alt for b in node.branches for alt in _alternatives(b, share)]
    if kind in (core.Group, core.Atomic):
        inner = _alternatives(node.subpattern, limit)
        return inner if len(inner) > 1 else [[node]]
    if kind is core.Sequence:
        out: list[list] = [[]]
        for item in node.items:
            expanded = _alternatives(item, limit)
            if len(out) * len(expanded) > limit:
                expanded = [[item]]
            out = [a + b for a in out for b in expanded]
        return out
    return [[node]]


# --- what a rule's lines must satisfy -------------------------------------------


@dataclass(frozen=True)
class Echo:
    """The line's first ``width`` characters occur again from position ``width`` on: the
    pattern starts with a group of at least ``width`` characters and matches it again later."""

    width: int


@dataclass(frozen=True)
class Within:
    """Every character of the stripped line is one the class ``source`` matches: the
    alternative is a single repeated class (``[^\\p{L}\\p{N}]+``: a line of symbols)."""

    source: str


@dataclass(frozen=True)
class Alternative:
    """What a line matched through one alternative of a pattern must satisfy.

    ``starts``: folded texts the stripped line must begin with (None: no
    condition). ``first``: when the start is a character class rather than
    text, that class as a pattern of its own, which the first character of the
    stripped line must match. ``needs``: ANY, a folded text the line must
    contain, an `Echo`, or ``("and" | "or", (...))`` of those. ``longest``: the
    most characters the stripped line can have (None: no limit).
    """

    starts: frozenset[str] | None
    first: object
    needs: object
    longest: int | None = None


@dataclass(frozen=True)
class Gate:
    """What a line must satisfy for a rule's pattern to match it: one of ``alternatives``.

    ``whole`` rules match the whole stripped line (line, rest and list scopes), so
    their alternatives may have ``starts``; the others search the line.
    """

    whole: bool
    alternatives: tuple[Alternative, ...]


def gate(pattern: str, whole: bool) -> Gate | None:
    """The `Gate` of a pattern, or None when nothing can be said (the rule then runs on
    every line)."""
    try:
        tree, groups = parse(pattern)
        reader = _Reader(groups)
        alternatives = []
        for items in _opening_options(_alternatives(tree)) if whole else _alternatives(tree):
            needs = _all_of([_expression(reader.needs_of(items)), _echo(items, reader, tree)] if whole
                            else [_expression(reader.needs_of(items))])
            starts = first = None
            if whole:
                found = reader.starts_of(items, at_line_start=True)
                if all(text for text, _closed in found):
                    starts = frozenset(text for text, _closed in found)
                else:
                    first = _first_class(items)
                if _one_repeated_class(items):
                    every = first if first is not None else _first_class(items)
                    if every is not None:
                        needs = _all_of([needs, Within(every.pattern)])
            if starts is None and first is None and needs is ANY:
                return None
            alternatives.append(Alternative(starts, first, needs, _longest(items) if whole else None))
        return Gate(whole, tuple(alternatives))
    except Exception:  # noqa: BLE001 -- an unknown construct, or another version of regex's internals
        return None


def _opening_options(alternatives: list[list], limit: int = ALTERNATIVE_LIMIT) -> list[list]:
    """Each alternative that opens with an optional piece (``(?:about\\s+|~)?\\d+ min read``)
    made two or more: one for each way of matching the piece, and one without it. A
    whole line then begins with the piece or with what follows it, and each has its own
    start texts or first character (a digit), which the alternative as a whole had not.
    Zero-width items before the piece stay in each. While there are at most ``limit``."""
    out: list[list] = []
    todo = list(alternatives)
    while todo:
        items = todo.pop(0)
        lead = 0
        while lead < len(items) and _is_zero_width(items[lead]):
            lead += 1
        piece = items[lead] if lead < len(items) else None
        room = limit - len(out) - len(todo) - 1  # the alternative without the piece takes one
        if type(piece) in _REPEATS and piece.min_count == 0 and piece.max_count == 1 and room >= 1:
            head, rest = items[:lead], items[lead + 1:]
            # `_alternatives` gives at most ``room`` ways
            todo[:0] = [head + way + rest for way in _alternatives(piece.subpattern, room)] + [head + rest]
            continue
        out.append(items)
    return out


_LINE_ENDS = (core.EndOfString, core.EndOfStringLine, core.EndOfLine)


def _longest(items) -> int | None:
    """The most characters a text the alternative matches in full can have, or None: the
    widest match of its items (`regex`'s own reckoning), or the width a look-ahead at its
    start allows before the end (``(?=.{1,500}$)``). A line has no line break, so ``$``
    there is its end."""
    bound = None
    for item in items:
        if type(item) is core.LookAround and item.positive and not item.behind:
            inside = item.subpattern.items if type(item.subpattern) is core.Sequence else [item.subpattern]
            if inside and type(inside[-1]) in _LINE_ENDS:
                width = sum(node.max_width() for node in inside[:-1])
                if width < core.UNLIMITED:
                    bound = width if bound is None else min(bound, width)
        elif not _is_zero_width(item):
            break
    width = sum(item.max_width() for item in items)
    if width < core.UNLIMITED:
        bound = width if bound is None else min(bound, width)
    return bound


def _first_class(items):
    """The character class every match begins with, compiled on its own, or None.

    The class is written back as a pattern and kept only if `regex` parses that
    pattern into the very same node."""
    node = _first_consuming(items)
    if node is None or node == _not_white_space():
        return None  # every stripped line begins with a character that is not white space
    source = _class_source(node)
    if source is None:
        return None
    if int(node.case_flags) & _IGNORECASE:
        source = "(?i)" + source
    again, _groups = parse(source)
    again = again.items[0] if type(again) is core.Sequence and len(again.items) == 1 else again
    return regex.compile(source) if again == node else None


def _one_repeated_class(items) -> bool:
    """Is the alternative, zero-width items aside, one repeat of one character class (which
    must then match every character of the line)?"""
    consuming = [item for item in items if not _is_zero_width(item)]
    return (len(consuming) == 1 and type(consuming[0]) in _REPEATS and consuming[0].min_count >= 1
            and _first_consuming([consuming[0].subpattern]) is consuming[0].subpattern)


def _first_consuming(items):
    """The class-like node that matches the first character of every match of ``items``."""
    for item in items:
        if _is_zero_width(item):
            continue
        kind = type(item)
        if kind in (core.Group, core.Atomic):
            return _first_consuming([item.subpattern])
        if kind is core.Sequence:
            return _first_consuming(item.items)
        if kind in _REPEATS:
            return _first_consuming([item.subpattern]) if item.min_count >= 1 else None
        if kind in (core.Character, core.Range, core.Property, core.SetUnion):
            if item.zerowidth or int(item.case_flags) & _FULLCASE:
                return None
            return item
        return None
    return None


def _class_source(node) -> str | None:
    """A character class node written as a pattern (without its case flag), or None."""
    kind = type(node)
    if kind is core.SetUnion:
        members = [_member_source(item) for item in node.items]
        if None in members:
            return None
        return f"[{'' if node.positive else '^'}{''.join(members)}]"
    member = _member_source(node if node.positive or kind is core.Property else node.with_flags(positive=True))
    if member is None:
        return None
    if kind is core.Property or node.positive:
        return member
    return f"[^{member}]"


def _member_source(node) -> str | None:
    """One member of a character class written as a pattern, or None."""
    kind = type(node)
    if kind is core.Character and node.positive:
        return f"\\U{node.value:08x}"
    if kind is core.Range and node.positive:
        return f"\\U{node.lower:08x}-\\U{node.upper:08x}"
    if kind is core.Property:
        name, values = core.PROPERTY_NAMES[node.value >> 16]
        return f"\\{'p' if node.positive else 'P'}{{{name}={values[node.value & 0xFFFF]}}}"
    return None


def _echo(items, reader: _Reader, tree):
    """An `Echo` when the alternative opens with a capturing group and later refers back
    to it by a case-sensitive backreference at the top level, the group being captured
    nowhere else and no group being called; ANY otherwise."""
    consuming = [i for i in items if not _is_zero_width(i)]
    if not consuming or type(consuming[0]) is not core.Group:
        return ANY
    number = consuming[0].group
    nodes = list(_walk(tree))
    if any(type(n) is core.CallGroup for n in nodes):
        return ANY
    if sum(1 for n in nodes if type(n) is core.Group and n.group == number) != 1:
        return ANY
    refers = any(type(i) is core.RefGroup and i.group == number and not int(i.case_flags) & _IGNORECASE
                 for i in consuming[1:])
    width = reader.min_width(consuming[0].subpattern)
    return Echo(width) if refers and width > 0 else ANY


def _walk(node):
    """Every node of a tree."""
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        for attr in ("items", "branches"):
            children = getattr(node, attr, None)
            if isinstance(children, (list, tuple)):
                stack.extend(children)
        for attr in ("subpattern", "yes_item", "no_item"):
            child = getattr(node, attr, None)
            if child is not None:
                stack.append(child)


# --- checking the lines of a document -------------------------------------------


class GateTable:
    """The gates of a set of rules, arranged to check all the lines of a document at once.

    `hits` tells which texts each gated rule may match. An alternative is found
    in one of three ways: by the line's first characters (its ``starts``: one
    pattern, a tree of all the start texts, finds the lines that begin with
    one); by the line's first character (its ``first`` class, when that class
    leaves out letters, or the alternative needs no literal); by its lines
    holding one of its key literals (`key_literals`: the key literals of all
    alternatives are found in one pass over the document, and only the lines
    holding one are examined further).
    """

    def __init__(self, gates: Iterable[tuple[str, Gate | None, bool]]):
        self.gated: set[str] = set()
        self.ungated: set[str] = set()
        by_start: dict[str, list[tuple[str, object]]] = {}
        by_first: dict[str, list[tuple[str, object]]] = {}
        self.every: list[tuple[str, bool, object]] = []
        screened: list[tuple[str, bool, object, frozenset[str], int | None]] = []
        for rule_id, found, whole in gates:
            if found is None:
                self.ungated.add(rule_id)
                continue
            self.gated.add(rule_id)
            for alt in found.alternatives:
                needs = _checker(alt.needs)
                options = _key_options(alt.needs)
                if alt.starts is not None:
                    for start in alt.starts:
                        by_start.setdefault(start, []).append((rule_id, needs, key_literals(alt.needs)))
                elif alt.first is not None and (not options or _telling(alt.first)):
                    by_first.setdefault(alt.first.pattern, []).append((rule_id, needs))
                elif options:
                    check = needs if alt.first is None else _FirstIn(alt.first, needs)
                    screened.append((rule_id, found.whole, check, key_literals(alt.needs), alt.longest))
                else:
                    self.every.append((rule_id, found.whole, needs))
        # a line that begins with a start text begins with all its prefixes that are start texts;
        # the alternatives one rule has there are checked together, behind the literals they need
        # (worked out for a start text when a line first begins with it: most never do)
        self.by_start = {start: tuple(entries) for start, entries in by_start.items()}
        self.starting: dict[str, tuple[tuple[str, object], ...]] = {}
        # a stripped line holds no line break, so cannot begin with a text that holds one;
        # a line's longest start text is looked up among its first characters, longest first
        self.start_texts = frozenset(start for start in by_start if "\n" not in start)
        self.start_lengths = tuple(sorted({len(start) for start in self.start_texts}, reverse=True))
        # the classes of first characters, each with the entries it lets in
        self.first_classes = [(regex.compile(pattern), tuple(entries)) for pattern, entries in by_first.items()]
        self.narrowed = frozenset(self.gated - self.ungated)
        self._screen_literals(screened)

    def _screen_literals(self, screened) -> None:
        """One multi-literal search (Aho-Corasick) finds, in a document, the key literals
        of the screened alternatives; an alternative's other needs are left to its
        check, on the few lines that hold one of its keys."""
        literals = sorted({lit for *_, key, _longest in screened for lit in key})
        number = {lit: n for n, lit in enumerate(literals)}
        self.literals = literals
        self.finder = AhoCorasick(literals) if literals else None
        self.screens: list[tuple[str, bool, object, int | None]] = []
        self.by_literal: dict[int, list[int]] = {}
        for n, (rule_id, whole, check, key, longest) in enumerate(screened):
            self.screens.append((rule_id, whole, check, longest))
            for literal in key:
                self.by_literal.setdefault(number[literal], []).append(n)

    def __getstate__(self) -> dict:
        # the automaton cannot be pickled (a worker process gets the table so): it is rebuilt;
        # what a start text lets in is worked out again as lines need it
        return {k: v for k, v in self.__dict__.items() if k not in ("finder", "starting")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.starting = {}
        self.finder = AhoCorasick(self.literals) if self.literals else None

    def _starting(self, start: str) -> tuple[tuple[str, object], ...]:
        """The (rule id, check) pairs of the lines that begin with ``start``: a line that
        begins with a start text begins with all its prefixes that are start texts, and the
        alternatives one rule has there are checked together, behind the literals they need."""
        found = self.starting.get(start)
        if found is None:
            found = self.starting[start] = _by_rule(
                entry for k in range(1, len(start) + 1) for entry in self.by_start.get(start[:k], ()))
        return found

    def is_gated(self, rule_id: str) -> bool:
        """Does `hits` narrow down the lines of this rule (else it runs on all of them)?"""
        return rule_id in self.narrowed

    def hits(self, texts: list[str]) -> dict[str, set[str]]:
        """For each gated rule that may match some of ``texts`` (distinct), those texts.
        (Texts with a line break of their own, which lines never have, are let through.)"""
        stripped = [t.strip() for t in texts]
        joined = "\n".join(texts)
        if joined.count("\n") != len(texts) - 1:
            return {rule_id: set(texts) for rule_id in self.narrowed}
        folded = fold(joined)  # white space folds to itself, nothing else to white space
        raw = folded.split("\n")
        whole = [t.strip() for t in raw]
        found: dict[str, set[int]] = {}
        # where each line begins in the joined text (its fold is as long, character for character)
        starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        if self.start_texts:
            # the longest start text each stripped line begins with (no start text is
            # longer than `START_CHARS`)
            texts_, lengths = self.start_texts, self.start_lengths
            for i, key in enumerate(whole):
                for length in lengths:
                    if len(key) >= length and key[:length] in texts_:
                        for rule_id, check in self._starting(key[:length]):
                            if check(whole[i], stripped[i]):
                                found.setdefault(rule_id, set()).add(i)
                        break
        if self.first_classes:
            # each line's first character, as ``str.strip`` leaves it; whether a class holds
            # a character is asked once per character and document
            firsts = [t[:1] for t in stripped]
            for first, entries in self.first_classes:
                holds = {c: first.match(c) is not None for c in set(firsts) if c}
                for i, c in enumerate(firsts):
                    if c and holds[c]:
                        for rule_id, check in entries:
                            if check(whole[i], stripped[i]):
                                found.setdefault(rule_id, set()).add(i)
        for rule_id, is_whole, check in self.every:
            if type(check) is _Echoes:  # its test called on each stripped line, without the wrapper
                width = check.width
                lines = {i for i, text in enumerate(stripped) if _echoes(text, width)}
            else:
                side = whole if is_whole else raw
                lines = {i for i, (folded, text) in enumerate(zip(side, stripped))
                         if (text or not is_whole) and check(folded, text)}
            if lines:
                found.setdefault(rule_id, set()).update(lines)
        if self.finder is not None:
            self._screen(raw, whole, stripped, found, folded, starts)
        return {rule_id: {texts[i] for i in lines} for rule_id, lines in found.items()}

    def _screen(self, raw: list[str], whole: list[str], stripped: list[str], found: dict[str, set[int]],
                folded: str, starts: list[int]) -> None:
        """The screened alternatives, checked on the lines that hold one of their key
        literals (and are no longer than they can match): every occurrence of every key
        literal in the document is found at once, and mapped to its line."""
        lines_of: dict[int, set[int]] = {}
        for literal, start, _end in self.finder.find_matches_as_indexes(folded, overlapping=True):
            lines_of.setdefault(literal, set()).add(bisect_right(starts, start) - 1)
        if not lines_of:
            return
        holding: dict[int, set[int]] = {}
        for literal, lines in lines_of.items():
            for n in self.by_literal[literal]:
                holding.setdefault(n, set()).update(lines)
        for n, lines in holding.items():
            rule_id, is_whole, check, longest = self.screens[n]
            known = found.get(rule_id, ())
            for i in lines:
                if i in known or (longest is not None and len(stripped[i]) > longest):
                    continue
                if is_whole:
                    if stripped[i] and check(whole[i], stripped[i]):
                        found.setdefault(rule_id, set()).add(i)
                elif check(raw[i], stripped[i]):
                    found.setdefault(rule_id, set()).add(i)


def _telling(first) -> bool:
    """Does a class of first characters set lines apart (digits, marks), rather than let in
    most of them (letters, with which lines of prose begin)?"""
    return not any(first.match(c) for c in "AaEeIiTtSs")


def _by_rule(entries) -> tuple[tuple[str, object], ...]:
    """(rule id, check) pairs, one for each rule, from (rule id, check, literals) of its
    alternatives: the checks of a rule's alternatives are tried only on a line that holds
    one of the literals they need (when each of them needs some)."""
    rules: dict[str, list[tuple[object, frozenset[str]]]] = {}
    for rule_id, check, literals in entries:
        rules.setdefault(rule_id, []).append((check, literals))
    out = []
    for rule_id, alts in rules.items():
        check = alts[0][0] if len(alts) == 1 else _Or(tuple(c for c, _ in alts))
        if len(alts) > 1 and all(literals for _, literals in alts):
            check = _Guarded(tuple(sorted(frozenset().union(*(lits for _, lits in alts)), key=_rarity, reverse=True)),
                             check)
        out.append((rule_id, check))
    return tuple(out)


@dataclass(frozen=True)
class _Guarded:
    """A check, for a line that holds one of ``literals`` only."""

    literals: tuple[str, ...]
    then: object

    def __call__(self, folded: str, stripped: str) -> bool:
        for literal in self.literals:
            if literal in folded:
                return self.then(folded, stripped)
        return False


@dataclass(frozen=True)
class _FirstIn:
    """A check, for a line whose first character the class ``first`` matches only."""

    first: object
    then: object

    def __call__(self, folded: str, stripped: str) -> bool:
        return self.first.match(stripped) is not None and self.then(folded, stripped)


def _checker(needs):
    """``needs`` as a callable of (folded text, stripped text) -> bool."""
    if needs is ANY:
        return _Always()
    if isinstance(needs, str):
        return _AllOf((needs,))
    if isinstance(needs, Echo):
        return _Echoes(needs.width)
    if isinstance(needs, Within):
        return _Within(regex.compile(needs.source + "+"))
    op, terms = needs
    terms = sorted(terms, key=_rarity, reverse=True)
    if all(isinstance(t, str) for t in terms):
        return (_AllOf if op == "and" else _AnyOf)(tuple(terms))
    return (_And if op == "and" else _Or)(tuple(_checker(t) for t in terms))


class _Always:
    def __call__(self, folded: str, stripped: str) -> bool:
        return True


@dataclass(frozen=True)
class _AllOf:
    literals: tuple[str, ...]

    def __call__(self, folded: str, stripped: str) -> bool:
        for literal in self.literals:
            if literal not in folded:
                return False
        return True


@dataclass(frozen=True)
class _AnyOf:
    literals: tuple[str, ...]

    def __call__(self, folded: str, stripped: str) -> bool:
        for literal in self.literals:
            if literal in folded:
                return True
        return False


@dataclass(frozen=True)
class _Echoes:
    width: int

    def __call__(self, folded: str, stripped: str) -> bool:
        return _echoes(stripped, self.width)


@dataclass(frozen=True)
class _Within:
    repeated: object  # the class, repeated

    def __call__(self, folded: str, stripped: str) -> bool:
        return self.repeated.fullmatch(stripped) is not None


@dataclass(frozen=True)
class _And:
    checks: tuple

    def __call__(self, folded: str, stripped: str) -> bool:
        return all(check(folded, stripped) for check in self.checks)


@dataclass(frozen=True)
class _Or:
    checks: tuple

    def __call__(self, folded: str, stripped: str) -> bool:
        return any(check(folded, stripped) for check in self.checks)


#: Words found in most news articles: as literals to look for, they let nearly every
#: document through. (How rare a literal is only decides how fast the search is.)
COMMON_WORDS = frozenset((
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "do", "does", "for", "from", "get", "had", "has", "have", "he",
    "her", "here", "him", "his", "how", "if", "in", "into", "is", "it", "its", "just", "like",
    "make", "may", "me", "more", "most", "my", "new", "no", "not", "now", "of", "on", "one",
    "only", "or", "other", "our", "out", "over", "people", "read", "said", "say", "says", "see",
    "share", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "through", "time", "to", "two", "up", "us", "use", "used", "was", "we", "were",
    "what", "when", "where", "which", "while", "who", "will", "with", "would", "year", "you",
    "your",
))


@lru_cache(maxsize=65536)
def _rarity(needs) -> float:
    """How rarely a condition is likely to hold in prose (higher: rarer). Longer
    literals are rarer, and so are characters other than letters and spaces; common
    words are not."""
    if isinstance(needs, str):
        if needs in COMMON_WORDS:
            return 1.0
        return sum(1.0 if c.isalpha() or c == " " else 2.5 for c in needs)
    if needs is ANY:
        return 0.0
    if isinstance(needs, (Echo, Within)):
        return 1.0
    op, terms = needs
    scores = [_rarity(t) for t in terms]
    return max(scores) if op == "and" else min(scores) - 0.3 * (len(terms) - 1)


@lru_cache(maxsize=65536)
def key_literals(needs) -> frozenset[str]:
    """Literals one of which every text satisfying ``needs`` contains (empty when
    there are none): of the terms of an ``and``, the one whose commonest literal is
    rarest; of an ``or``, one set for each of its terms, joined."""
    options = _key_options(needs)
    if not options:
        return frozenset()
    return max(options, key=lambda key: (min(map(_rarity, key)), sorted(key)))


@lru_cache(maxsize=65536)
def _key_options(needs) -> tuple[frozenset[str], ...]:
    """The sets of literals ``needs`` requires one literal of, each: one for each term of
    an ``and``; for an ``or``, the union of its terms' `key_literals`."""
    if isinstance(needs, str):
        return (frozenset({needs}),)
    if needs is ANY or isinstance(needs, (Echo, Within)):
        return ()
    op, terms = needs
    if op == "and":
        return tuple(option for term in terms for option in _key_options(term))
    chosen = []
    for term in terms:
        key = key_literals(term)
        if not key:
            return ()
        chosen.append(key)
    return (frozenset().union(*chosen),)


def _echoes(text: str, width: int) -> bool:
    """Do the first ``width`` characters of ``text`` occur again from position ``width`` on?"""
    return len(text) >= 2 * width and text.find(text[:width], width) >= 0