"""The gates of a rule set, checking all the lines of a document at once (`GateTable`)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

import regex
from ahocorasick_rs import AhoCorasick

from .checks import Echoes, FirstIn, by_rule, checker, echoes, fast, key_literals, key_options
from .conditions import Gate
from .folding import fold


#: The attributes of a `GateTable` made from the others (`GateTable._derive`), not pickled.
DERIVED = ("finder", "starting", "made", "fast_firsts", "fast_every", "fast_screens")


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
                needs = checker(alt.needs)
                options = key_options(alt.needs)
                if alt.starts is not None:
                    for start in alt.starts:
                        by_start.setdefault(start, []).append((rule_id, needs, key_literals(alt.needs)))
                elif alt.first is not None and (not options or _telling(alt.first)):
                    by_first.setdefault(alt.first.pattern, []).append((rule_id, needs))
                elif options:
                    check = needs if alt.first is None else FirstIn(alt.first, needs)
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
        lengths: dict[str, set[int]] = {}
        for start in self.start_texts:
            lengths.setdefault(start[0], set()).add(len(start))
        #: by first character, the lengths of the start texts that begin with it, longest first
        self.start_lengths = {first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()}
        # the classes of first characters, each with the entries it lets in
        self.first_classes = [(regex.compile(pattern), tuple(entries)) for pattern, entries in by_first.items()]
        self.narrowed = frozenset(self.gated - self.ungated)
        self._screen_literals(screened)
        self._derive()

    def _derive(self) -> None:
        """What is worked out from the table and not pickled with it: the automaton of the
        key literals, and every check as one function (`fast`); what a start text lets
        in is worked out as lines need it."""
        self.finder = AhoCorasick(self.literals) if self.literals else None
        self.starting = {}
        self.made = {}
        self.fast_firsts = [(first, tuple((rule_id, fast(check)) for rule_id, check in entries))
                            for first, entries in self.first_classes]
        self.fast_every = [(rule_id, whole, check if type(check) is Echoes else fast(check))
                           for rule_id, whole, check in self.every]
        self.fast_screens = [(rule_id, whole, fast(check), longest) for rule_id, whole, check, longest in self.screens]

    def _screen_literals(self, screened) -> None:
        """One multi-literal search (Aho-Corasick) finds, in a document, the key literals
        of the screened alternatives; an alternative's other needs are left to its
        check, on the few lines that hold one of its keys."""
        literals = sorted({lit for *_, key, _longest in screened for lit in key})
        number = {lit: n for n, lit in enumerate(literals)}
        self.literals = literals
        self.screens: list[tuple[str, bool, object, int | None]] = []
        self.by_literal: dict[int, list[int]] = {}
        for n, (rule_id, whole, check, key, longest) in enumerate(screened):
            self.screens.append((rule_id, whole, check, longest))
            for literal in key:
                self.by_literal.setdefault(number[literal], []).append(n)

    def __getstate__(self) -> dict:
        # the automaton and the fast checks cannot be pickled (a worker process gets the
        # table so): they are made again (`_derive`)
        return {k: v for k, v in self.__dict__.items() if k not in DERIVED}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._derive()

    def _starting(self, start: str) -> tuple[tuple[str, object], ...]:
        """The (rule id, check) pairs of the lines that begin with ``start``: a line that
        begins with a start text begins with all its prefixes that are start texts, and the
        alternatives one rule has there are checked together, behind the literals they need."""
        found = self.starting.get(start)
        if found is None:
            found = self.starting[start] = by_rule(
                (entry for k in range(1, len(start) + 1) for entry in self.by_start.get(start[:k], ())), self._fast)
        return found

    def _fast(self, check):
        """``check`` made `fast` once: a check serves every start text of its alternative."""
        made = self.made.get(id(check))
        if made is None:
            made = self.made[id(check)] = fast(check)
        return made

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
            # longer than `cleaner.prefilter.literals.START_CHARS`)
            texts_, lengths_of = self.start_texts, self.start_lengths
            for i, key in enumerate(whole):
                for length in lengths_of.get(key[:1], ()):
                    if len(key) >= length and key[:length] in texts_:
                        for rule_id, check in self._starting(key[:length]):
                            if check(whole[i], stripped[i]):
                                found.setdefault(rule_id, set()).add(i)
                        break
        if self.first_classes:
            # each line's first character, as ``str.strip`` leaves it; whether a class holds
            # a character is asked once per character and document
            firsts = [t[:1] for t in stripped]
            for first, entries in self.fast_firsts:
                holds = {c: first.match(c) is not None for c in set(firsts) if c}
                for i, c in enumerate(firsts):
                    if c and holds[c]:
                        for rule_id, check in entries:
                            if check(whole[i], stripped[i]):
                                found.setdefault(rule_id, set()).add(i)
        for rule_id, is_whole, check in self.fast_every:
            if type(check) is Echoes:  # its test called on each stripped line, without the wrapper
                width = check.width
                lines = {i for i, text in enumerate(stripped) if echoes(text, width)}
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
            rule_id, is_whole, check, longest = self.fast_screens[n]
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
