"""A rule's `Gate`: what a line must satisfy for its pattern to match it (`gate`).

The pattern is split into its alternatives (`cleaner.prefilter.literals`), and
for each this reads what any line it matches must satisfy: the literals it must
contain, and for a rule that matches whole lines also the texts or the class of
character the line must begin with, how long it can be, whether it repeats its
opening (`Echo`), or is one repeated class (`Within`). Each is a necessary
condition: a line that fails it cannot be matched. Where nothing can be said of an
alternative, there is no gate, and the rule runs on every line.
"""

from __future__ import annotations

from dataclasses import replace

import regex

from ..compat import parse_regex
from .conditions import ANY, Alternative, Echo, Gate, Within
from .literals import ALTERNATIVE_LIMIT, Reader, all_of, alternatives_of, expression, is_zero_width, not_white_space
from ..patterntree import CallGroup, Character, Group, LookAround, Property, Range, RefGroup, Repeat, Sequence, SetUnion
from ..patterntree import ZeroWidth, children


def gate(pattern: str, whole: bool) -> Gate | None:
    """The `Gate` of a pattern, or None when nothing can be said (the rule then runs on
    every line): so for every pattern when `regex`'s parser is missing
    (`cleaner.compat.parse_regex` raises `cleaner.compat.regex_internals.Unavailable`)."""
    try:
        tree, groups = parse_regex(pattern)
        reader = Reader(groups)
        alternatives = []
        for items in _opening_options(alternatives_of(tree)) if whole else alternatives_of(tree):
            needs = all_of([expression(reader.needs_of(items)), _echo(items, reader, tree)] if whole
                           else [expression(reader.needs_of(items))])
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
                        needs = all_of([needs, Within(every.pattern)])
            if starts is None and first is None and needs is ANY:
                return None
            alternatives.append(Alternative(starts, first, needs, _longest(items) if whole else None))
        return Gate(whole, tuple(alternatives))
    except Exception:  # noqa: BLE001 -- an unknown construct, or regex's parser missing or of another shape
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
        while lead < len(items) and is_zero_width(items[lead]):
            lead += 1
        piece = items[lead] if lead < len(items) else None
        room = limit - len(out) - len(todo) - 1  # the alternative without the piece takes one
        if type(piece) is Repeat and piece.min_count == 0 and piece.max_count == 1 and room >= 1:
            head, rest = items[:lead], items[lead + 1:]
            # `alternatives_of` gives at most ``room`` ways
            todo[:0] = [head + way + rest for way in alternatives_of(piece.subpattern, room)] + [head + rest]
            continue
        out.append(items)
    return out


def _longest(items) -> int | None:
    """The most characters a text the alternative matches in full can have, or None: the
    widest match of its items (`regex`'s own reckoning, each node's ``longest``), or the
    width a look-ahead at its start allows before the end (``(?=.{1,500}$)``). A line has
    no line break, so ``$`` there is its end."""
    bound = None
    for item in items:
        if type(item) is LookAround and item.positive and not item.behind:
            inside = item.subpattern.items if type(item.subpattern) is Sequence else [item.subpattern]
            if inside and type(inside[-1]) is ZeroWidth and inside[-1].end:
                width = _widest(inside[:-1])
                if width is not None:
                    bound = width if bound is None else min(bound, width)
        elif not is_zero_width(item):
            break
    width = _widest(items)
    if width is not None:
        bound = width if bound is None else min(bound, width)
    return bound


def _widest(items) -> int | None:
    """The most characters ``items`` in sequence can match, or None when that is not bounded."""
    widths = [item.longest for item in items]
    return None if None in widths else sum(widths)


def _first_class(items):
    """The character class every match begins with, compiled on its own, or None.

    The class is written back as a pattern and kept only if `regex` parses that
    pattern into the very same node."""
    node = _first_consuming(items)
    if node is None or node == not_white_space():
        return None  # every stripped line begins with a character that is not white space
    source = _class_source(node)
    if source is None:
        return None
    if node.ignore_case:
        source = "(?i)" + source
    again, _groups = parse_regex(source)
    again = again.items[0] if type(again) is Sequence and len(again.items) == 1 else again
    return regex.compile(source) if again == node else None


def _one_repeated_class(items) -> bool:
    """Is the alternative, zero-width items aside, one repeat of one character class (which
    must then match every character of the line)?"""
    consuming = [item for item in items if not is_zero_width(item)]
    return (len(consuming) == 1 and type(consuming[0]) is Repeat and consuming[0].min_count >= 1
            and _first_consuming([consuming[0].subpattern]) is consuming[0].subpattern)


def _first_consuming(items):
    """The class-like node that matches the first character of every match of ``items``."""
    for item in items:
        if is_zero_width(item):
            continue
        kind = type(item)
        if kind is Group:
            return _first_consuming([item.subpattern])
        if kind is Sequence:
            return _first_consuming(item.items)
        if kind is Repeat:
            return _first_consuming([item.subpattern]) if item.min_count >= 1 else None
        if kind in (Character, Range, Property, SetUnion):
            if item.zerowidth or item.full_case:
                return None
            return item
        return None
    return None


def _class_source(node) -> str | None:
    """A character class node written as a pattern (without its case flag), or None."""
    kind = type(node)
    if kind is SetUnion:
        members = [_member_source(item) for item in node.items]
        if None in members:
            return None
        return f"[{'' if node.positive else '^'}{''.join(members)}]"
    member = _member_source(node if node.positive or kind is Property else replace(node, positive=True))
    if member is None:
        return None
    if kind is Property or node.positive:
        return member
    return f"[^{member}]"


def _member_source(node) -> str | None:
    """One member of a character class written as a pattern, or None."""
    kind = type(node)
    if kind is Character and node.positive:
        return f"\\U{node.code:08x}"
    if kind is Range and node.positive:
        return f"\\U{node.lower:08x}-\\U{node.upper:08x}"
    if kind is Property:
        return f"\\{'p' if node.positive else 'P'}{{{node.name}}}"
    return None


def _echo(items, reader: Reader, tree):
    """An `Echo` when the alternative opens with a capturing group and later refers back
    to it by a case-sensitive backreference at the top level, the group being captured
    nowhere else and no group being called; ANY otherwise."""
    consuming = [i for i in items if not is_zero_width(i)]
    if not consuming or type(consuming[0]) is not Group or consuming[0].number is None:
        return ANY
    number = consuming[0].number
    nodes = list(_walk(tree))
    if any(type(n) is CallGroup for n in nodes):
        return ANY
    if sum(1 for n in nodes if type(n) is Group and n.number == number) != 1:
        return ANY
    refers = any(type(i) is RefGroup and i.number == number and not i.ignore_case for i in consuming[1:])
    width = reader.min_width(consuming[0].subpattern)
    return Echo(width) if refers and width > 0 else ANY


def _walk(node):
    """Every node of a tree."""
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(children(node))

