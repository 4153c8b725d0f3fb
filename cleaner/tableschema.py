"""A schema for a TOML table, as data, and the one loop that checks a table against it.

A schema is a sequence of entries, read in order:

- a `Key`: what its value must be, its default, when the table needs it (``needed``),
  which other keys it goes only with (``only_with``), and the sentence that says what
  to do when it is wrong;
- a `Need`: when one condition holds, another must (a key's value ties another's);
- an `Either`: exactly one of two keys.

A key is read in two steps. First its place: given where it does not go, it is
reported as misplaced and its value is not read. Then its value, whenever the table
needs the key (by default: when it is given); a needed key that is missing is checked
as its default. A key the table does not need is left as it is given.

`cleaner.ruleschema` is the schema of a rule; this module knows nothing of rules.

>>> schema = (Key("size", OneOf(("small", "large")), default="small", message="`{key}` is {value!r}; "
...               "it must be one of {choices}.{hint}"),
...           Key("lid", flag, only_with=Is("size", "large"), misplaced="only a large box has a `lid`."))
>>> problems = []
>>> check_table(schema, {"size": "smal", "lid": True}, problems.append)
>>> problems
["`size` is 'smal'; it must be one of small, large. Did you mean 'small'?", 'only a large box has a `lid`.']
>>> check_table(schema, {"size": "large", "lid": True}, problems.append)
{'size': 'large', 'lid': True}
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

#: Where a problem goes: one sentence, saying what to do.
Report = Callable[[str], None]
#: What a key that was not read right leaves (`check_table` then gives no values).
REFUSED = object()
_UNSET = object()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the choice closest to ``word``, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


# --- what a value must be ----------------------------------------------------------------


def text(v: Any) -> bool:
    """A string with something besides white space in it."""
    return isinstance(v, str) and bool(v.strip())


def word(v: Any) -> bool:
    """A string that is not empty."""
    return isinstance(v, str) and v != ""


def flag(v: Any) -> bool:
    """True or false (a flag set to false goes anywhere: it is as if not given)."""
    return type(v) is bool


def whole(v: Any) -> bool:
    """A whole number, 1 or more (not a bool)."""
    return type(v) is int and v >= 1


def strings(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def texts(v: Any) -> bool:
    return isinstance(v, list) and all(text(x) for x in v)


def anything(v: Any) -> bool:
    return True


@dataclass(frozen=True)
class OneOf:
    """One of a few words (compared as a tuple: a list or table as the value is no error).
    ``words`` may be a table that grows (the detectors, which plugins add to): it is read
    when a value is checked."""

    words: Iterable[str]

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.words)

    def __call__(self, v: Any) -> bool:
        return v in self.choices


# --- when a key is needed, and where it goes ---------------------------------------------


@dataclass
class Seen:
    """A table as the loop reads it: its values (each key's default when not given),
    what each key read so far gave (its value, or REFUSED), and what the table is in
    (``user``: a user's file, as opposed to one shipped with the package)."""

    keys: dict[str, Key]
    table: dict[str, Any]
    user: bool
    read: dict[str, Any]

    def value(self, key: str) -> Any:
        return self.table.get(key, self.keys[key].default)


class Is:
    """``key``'s value (its default when not given) is one of ``values``."""

    def __init__(self, key: str, *values: Any):
        self.key, self.values = key, values

    def holds(self, seen: Seen) -> bool:
        return seen.value(self.key) in self.values


class Given:
    """Any of ``keys`` is in the table."""

    def __init__(self, *keys: str):
        self.keys = keys

    def holds(self, seen: Seen) -> bool:
        return any(k in seen.table for k in self.keys)


@dataclass(frozen=True)
class Accepted:
    """``key`` was read (the table needed it) and its value is right."""

    key: str

    def holds(self, seen: Seen) -> bool:
        return seen.read.get(self.key, REFUSED) is not REFUSED


class Always:
    def holds(self, seen: Seen) -> bool:
        return True


class UserFile:
    """The table is in a user's file, not one shipped with the package."""

    def holds(self, seen: Seen) -> bool:
        return seen.user


Condition = Is | Given | Accepted | Always | UserFile
ALWAYS = Always()
#: What data cannot check: (value, key, report, seen) -> the value to use, or REFUSED.
Special = Callable[[Any, str, Report, Seen], Any]


@dataclass(frozen=True)
class Key:
    """One key of a table.

    ``message`` is the problem when the value is wrong; it may name ``{key}``,
    ``{value!r}``, ``{choices}`` (of a `OneOf`), ``{hint}`` (a "did you mean") and any
    key of the table by name. ``needed``: when the table reads the key (None: when it
    is given); ``only_with``: where it may be given at all, else ``misplaced``. A
    list's items can be held to ``each`` (else ``each_message``), and a list that must
    not be empty says so in ``empty``. ``special`` replaces ``check`` and ``message``
    with a function that reports its own problems.
    """

    name: str
    check: Callable[[Any], bool] = anything
    message: str = ""
    default: Any = None
    needed: Condition | None = None
    only_with: Condition | None = None
    misplaced: str = ""
    each: Callable[[Any], bool] | None = None
    each_message: str = ""
    empty: str = ""
    special: Special | None = None


@dataclass(frozen=True)
class Need:
    """When ``when`` holds, ``then`` must too, else ``message``."""

    when: Condition
    then: Condition
    message: str


@dataclass(frozen=True)
class Either:
    """Exactly one of two keys; when not, neither is read, nor the keys ``then`` that
    depend on which it is."""

    keys: tuple[str, str]
    message: str
    then: tuple[str, ...] = ()


Schema = Sequence[Key | Need | Either]


def keys(schema: Schema) -> dict[str, Key]:
    """The keys of a schema by name, in its order."""
    return {k.name: k for k in schema if isinstance(k, Key)}


# --- the loop ----------------------------------------------------------------------------


def check_table(schema: Schema, table: dict[str, Any], report: Report, *, user: bool = False) -> dict[str, Any] | None:
    """Every key of ``table`` read against ``schema``, each problem given to ``report``
    in the schema's order (unknown keys first). The table's values (each key's value as
    read, as given when not read, or its default), or None when there was a problem."""
    problems: list[str] = []

    def bad(problem: str) -> None:
        problems.append(problem)
        report(problem)

    known = keys(schema)
    for key in table:
        if key not in known:
            bad(f"unknown key {key!r}.{did_you_mean(key, known)} Remove it or fix its spelling.")
    seen = Seen(known, table, user, {})
    for entry in schema:
        if isinstance(entry, Need):
            if entry.when.holds(seen) and not entry.then.holds(seen):
                bad(_say(entry.message, seen))
        elif isinstance(entry, Either):
            if sum(k in table for k in entry.keys) != 1:
                bad(entry.message)
                seen.read.update((k, REFUSED) for k in entry.keys + entry.then)
        elif entry.name not in seen.read:
            _read(entry, seen, bad)
    if problems:
        return None
    return {name: seen.read.get(name, seen.value(name)) for name in known}


def _read(key: Key, seen: Seen, bad: Report) -> None:
    """One key checked: its place, then its value if the table needs it (into ``seen.read``)."""
    given = key.name in seen.table
    value = seen.value(key.name)
    asked = key.needed is not None and key.needed.holds(seen)
    placed = asked or given and (key.check is not flag or value is True)
    if placed and key.only_with is not None and not key.only_with.holds(seen):
        bad(_say(key.misplaced, seen, key))
        seen.read[key.name] = REFUSED
    elif asked or key.needed is None and given:
        seen.read[key.name] = _parse(key, value, seen, bad)


def _parse(key: Key, value: Any, seen: Seen, bad: Report) -> Any:
    """The value of a key the table needs, or REFUSED with the problem reported."""
    if key.special is not None:
        return key.special(value, key.name, bad, seen)
    if not key.check(value):
        bad(_say(key.message, seen, key))
        return REFUSED
    if key.empty and not value:
        bad(_say(key.empty, seen, key))
        return REFUSED
    wrong = [x for x in value if not key.each(x)] if key.each is not None else []
    for x in wrong:
        bad(_say(key.each_message, seen, key, x))
    return REFUSED if wrong else value


def _say(message: str, seen: Seen, key: Key | None = None, value: Any = _UNSET) -> str:
    """``message`` with the names it uses filled in: every key's value by its name, and
    for a key's own message ``key``, ``value``, ``choices`` and ``hint``."""
    names = {name: seen.value(name) for name in seen.keys}
    if key is not None:
        value = seen.value(key.name) if value is _UNSET else value
        choices = getattr(key.each if key.each is not None else key.check, "choices", ())
        names.update(key=key.name, value=value, choices=", ".join(choices), hint=did_you_mean(str(value), choices))
    return message.format(**names)
