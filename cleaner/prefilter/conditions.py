"""What a line must satisfy for a rule's pattern to match it: the data a `Gate` is made of.

`cleaner.prefilter.gates` reads these from a pattern; `cleaner.prefilter.table`
checks the lines of a document against them. A ``needs`` condition is `ANY`, a
folded text the line must contain, an `Echo`, a `Within`, or ``("and" | "or",
(...))`` of those.
"""

from __future__ import annotations

from dataclasses import dataclass

ANY = True  # needs: nothing is required


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
