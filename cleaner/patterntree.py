"""A pattern's syntax tree as the prefilter reads it: one node type for each kind of
construct it tells apart.

`cleaner.compat.parse_regex` builds this tree from the one `regex` builds with its
private parser, and reads there, once, everything the prefilter needs of a node: how
many characters it can match, the name of a Unicode property, whether it ignores
case. The modules that read patterns (`cleaner.prefilter.literals`,
`cleaner.prefilter.gates`) see only these nodes, so that the shape of `regex`'s own
objects is known in one place.

The nodes are immutable and hold nothing of `regex`'s. A character class
(`Character`, `Range`, `Property`, `SetUnion`) equals another when `regex` takes them
for the same class (`cleaner.prefilter.gates` asks so of a class it writes back as a
pattern); ``longest``, which every node has, is derived from the rest and left out of
every comparison. One node may stand in several places: where `regex` shares it, and
for equal characters. The group a call leads to is the group of the tree itself.

Fields common to several kinds:

- ``longest``: the most characters the node can match, by `regex`'s own reckoning,
  or None when that is not bounded;
- ``positive``: False for a negated class or look-around (``[^a]``, ``\\P{L}``, ``(?!x)``);
- ``ignore_case``: the node matches ignoring case (``(?i)``);
- ``full_case``: it ignores case with full case folding (``(?if)``, and ``(?i)`` in
  version 1 patterns), under which one character can match several (``ß``, ``ss``);
- ``zerowidth``: a class that tests the character at the position without taking it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

_frozen = dataclass(frozen=True, slots=True)


def _derived():
    """A field worked out from the others: left out of comparisons."""
    return field(compare=False)


@_frozen
class Sequence:
    """Items matched one after the other."""

    items: tuple[Node, ...]
    longest: int | None = _derived()


@_frozen
class Branch:
    """Alternatives (``a|b``): one of them matches."""

    branches: tuple[Node, ...]
    longest: int | None = _derived()


@_frozen
class Group:
    """A capturing group (``number``), or an atomic one (``(?>...)``, ``number`` None)."""

    number: int | None
    subpattern: Node
    longest: int | None = _derived()


@_frozen
class CallGroup:
    """A call of the group ``number`` (``(?1)``, ``(?&name)``, ``(?R)`` for 0, the whole
    pattern): the group's pattern matched again here."""

    number: int
    longest: int | None = _derived()


@_frozen
class RefGroup:
    """A backreference (``\\1``, ``(?P=name)``): the text the group ``number`` matched, again."""

    number: int
    ignore_case: bool
    longest: int | None = _derived()


@_frozen
class Repeat:
    """``subpattern`` from ``min_count`` to ``max_count`` times (None: no most), greedy,
    lazy or possessive alike."""

    subpattern: Node
    min_count: int
    max_count: int | None
    longest: int | None = _derived()


@_frozen
class LookAround:
    """A look-ahead or, ``behind``, a look-behind: zero-width."""

    behind: bool
    positive: bool
    subpattern: Node
    longest: int | None = _derived()


@_frozen
class Conditional:
    """``yes`` if a condition holds, else ``no``: a group having matched (``(?(1)...)``,
    ``test`` None) or a look-around (``test``)."""

    test: LookAround | None
    yes: Node
    no: Node
    longest: int | None = _derived()


@_frozen
class String:
    """Characters in a row, as the pattern writes them (``abc``), all with the same case flags."""

    chars: tuple[Character, ...]
    longest: int | None = _derived()


@_frozen
class Character:
    """One character, by its code point (``code``)."""

    code: int
    positive: bool
    ignore_case: bool
    full_case: bool
    zerowidth: bool
    longest: int | None = _derived()


@_frozen
class Range:
    """The characters from ``lower`` to ``upper``, code points both included (``a-z`` in a set)."""

    lower: int
    upper: int
    positive: bool
    ignore_case: bool
    full_case: bool
    zerowidth: bool
    longest: int | None = _derived()


@_frozen
class Property:
    """The characters of a Unicode property value (``\\d``, ``\\p{L}``), named as `regex`
    reads it back in ``\\p{...}``: ``"GENERALCATEGORY=DECIMALNUMBER"``."""

    name: str
    positive: bool
    ignore_case: bool
    full_case: bool
    zerowidth: bool
    longest: int | None = _derived()


@_frozen
class SetUnion:
    """A character set (``[...]``): the characters of any of its ``items``.

    ``written``: its members as parsed, before `regex`, for a set that ignores case or
    is negated, merged into it the sets among them (``b-`` at the end of ``[ab-]`` is
    one): two sets are equal when these are, as `regex` compares sets."""

    items: tuple[Node, ...] = field(compare=False)
    written: tuple[Node, ...]
    positive: bool
    ignore_case: bool
    full_case: bool
    zerowidth: bool
    longest: int | None = _derived()


@_frozen
class OtherClass:
    """A class of one character the prefilter does not look into: any character
    (``.``), or the intersection, difference or symmetric difference of sets."""

    full_case: bool
    zerowidth: bool
    longest: int | None = _derived()


@_frozen
class ZeroWidth:
    """A zero-width test of the position (``^``, ``\\b``, ``\\K``, ``(*FAIL)``...); ``end``:
    the end of the text or of a line (``$``, ``\\Z``), False under ``(?w)``, where any
    Unicode line break ends a line."""

    end: bool
    longest: int | None = _derived()


@_frozen
class Other:
    """A construct the prefilter does not read (fuzzy matching, ``\\X``), and the nodes
    inside it (``children``)."""

    children: tuple[Node, ...]
    longest: int | None = _derived()


Node = Union[Sequence, Branch, Group, CallGroup, RefGroup, Repeat, LookAround, Conditional, String, Character,
             Range, Property, SetUnion, OtherClass, ZeroWidth, Other]


def children(node: Node) -> tuple[Node, ...]:
    """The nodes right below ``node`` in the tree (a set's members and a string's
    characters among them)."""
    if isinstance(node, (Sequence, SetUnion)):
        return node.items
    if isinstance(node, Branch):
        return node.branches
    if isinstance(node, (Group, Repeat, LookAround)):
        return (node.subpattern,)
    if isinstance(node, Conditional):
        return (node.yes, node.no) if node.test is None else (node.test, node.yes, node.no)
    if isinstance(node, String):
        return node.chars
    if isinstance(node, Other):
        return node.children
    return ()
