"""A gate's conditions made checks of a line, and the literals to look for first.

`checker` turns a ``needs`` condition (`cleaner.prefilter.conditions`) into a
callable of (folded line, stripped line) -> bool, its literals tried rarest
first; `key_literals` picks, of what a condition needs, the literals one of
which every line satisfying it holds, for `cleaner.prefilter.table.GateTable` to
find in one pass over a document. `by_rule` joins a rule's alternatives that
share a start text into one check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .conditions import ANY, Echo, Within


def by_rule(entries, made=lambda check: check) -> tuple[tuple[str, object], ...]:
    """(rule id, check) pairs, one for each rule, from (rule id, check, literals) of its
    alternatives: the checks of a rule's alternatives are tried only on a line that holds
    one of the literals they need (when each of them needs some). Each alternative's
    check is taken as ``made`` makes it (`fast`, say)."""
    rules: dict[str, list[tuple[object, frozenset[str]]]] = {}
    for rule_id, check, literals in entries:
        rules.setdefault(rule_id, []).append((made(check), literals))
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

    def expr(self, names: dict[str, object]) -> str:
        return f"({_any_in(self.literals)} and {self.then.expr(names)})"


@dataclass(frozen=True)
class FirstIn:
    """A check, for a line whose first character the class ``first`` matches only."""

    first: object
    then: object

    def __call__(self, folded: str, stripped: str) -> bool:
        return self.first.match(stripped) is not None and self.then(folded, stripped)

    def expr(self, names: dict[str, object]) -> str:
        return f"({_name(self.first, names)}.match(s) is not None and {self.then.expr(names)})"


def checker(needs):
    """``needs`` as a callable of (folded text, stripped text) -> bool."""
    if needs is ANY:
        return _Always()
    if isinstance(needs, str):
        return _AllOf((needs,))
    if isinstance(needs, Echo):
        return Echoes(needs.width)
    if isinstance(needs, Within):
        return _Within(regex.compile(needs.source + "+"))
    op, terms = needs
    terms = sorted(terms, key=_rarity, reverse=True)
    if all(isinstance(t, str) for t in terms):
        return (_AllOf if op == "and" else _AnyOf)(tuple(terms))
    return (_And if op == "and" else _Or)(tuple(checker(t) for t in terms))


class _Always:
    def __call__(self, folded: str, stripped: str) -> bool:
        return True

    def expr(self, names: dict[str, object]) -> str:
        return "True"


@dataclass(frozen=True)
class _AllOf:
    literals: tuple[str, ...]

    def __call__(self, folded: str, stripped: str) -> bool:
        for literal in self.literals:
            if literal not in folded:
                return False
        return True

    def expr(self, names: dict[str, object]) -> str:
        return "(" + " and ".join(f"{literal!r} in f" for literal in self.literals) + ")" if self.literals else "True"


@dataclass(frozen=True)
class _AnyOf:
    literals: tuple[str, ...]

    def __call__(self, folded: str, stripped: str) -> bool:
        for literal in self.literals:
            if literal in folded:
                return True
        return False

    def expr(self, names: dict[str, object]) -> str:
        return _any_in(self.literals)


@dataclass(frozen=True)
class Echoes:
    width: int

    def __call__(self, folded: str, stripped: str) -> bool:
        return echoes(stripped, self.width)

    def expr(self, names: dict[str, object]) -> str:
        names["echoes"] = echoes
        return f"echoes(s, {self.width!r})"


@dataclass(frozen=True)
class _Within:
    repeated: object  # the class, repeated

    def __call__(self, folded: str, stripped: str) -> bool:
        return self.repeated.fullmatch(stripped) is not None

    def expr(self, names: dict[str, object]) -> str:
        return f"({_name(self.repeated, names)}.fullmatch(s) is not None)"


@dataclass(frozen=True)
class _And:
    checks: tuple

    def __call__(self, folded: str, stripped: str) -> bool:
        return all(check(folded, stripped) for check in self.checks)

    def expr(self, names: dict[str, object]) -> str:
        return "(" + " and ".join(c.expr(names) for c in self.checks) + ")" if self.checks else "True"


@dataclass(frozen=True)
class _Or:
    checks: tuple

    def __call__(self, folded: str, stripped: str) -> bool:
        return any(check(folded, stripped) for check in self.checks)

    def expr(self, names: dict[str, object]) -> str:
        return "(" + " or ".join(c.expr(names) for c in self.checks) + ")" if self.checks else "False"


def fast(check):
    """``check`` as one function of (folded text, stripped text) -> bool, that gives what
    calling it gives: its tree of checks written out as one Python expression (the
    literals tested with ``in``, in the same order, stopping where it stops), which
    spares a function call for each node of the tree on each line. A tree too deep for
    the compiler stays as it is."""
    names: dict[str, object] = {}
    try:
        return eval(f"lambda f, s: {check.expr(names)}", names)  # noqa: S307 -- our own literals, by repr
    except (RecursionError, SyntaxError, MemoryError):
        return check


def _any_in(literals: tuple[str, ...]) -> str:
    return "(" + " or ".join(f"{literal!r} in f" for literal in literals) + ")" if literals else "False"


def _name(pattern, names: dict[str, object]) -> str:
    """A name for a compiled pattern in the namespace of a `fast` check."""
    name = f"p{len(names)}"
    names[name] = pattern
    return name


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
    options = key_options(needs)
    if not options:
        return frozenset()
    return max(options, key=lambda key: (min(map(_rarity, key)), sorted(key)))


@lru_cache(maxsize=65536)
def key_options(needs) -> tuple[frozenset[str], ...]:
    """The sets of literals ``needs`` requires one literal of, each: one for each term of
    an ``and``; for an ``or``, the union of its terms' `key_literals`."""
    if isinstance(needs, str):
        return (frozenset({needs}),)
    if needs is ANY or isinstance(needs, (Echo, Within)):
        return ()
    op, terms = needs
    if op == "and":
        return tuple(option for term in terms for option in key_options(term))
    chosen = []
    for term in terms:
        key = key_literals(term)
        if not key:
            return ()
        chosen.append(key)
    return (frozenset().union(*chosen),)


def echoes(text: str, width: int) -> bool:
    """Do the first ``width`` characters of ``text`` occur again from position ``width`` on?"""
    return len(text) >= 2 * width and text.find(text[:width], width) >= 0
