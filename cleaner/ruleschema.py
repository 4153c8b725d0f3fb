"""What a ``[[rule]]`` table may hold, written once, as data: `SCHEMA`.

Every key a rule may have, in the order its problems are reported: what its value must
be, its default, when a rule needs it, what it goes only with, and the sentence that
says what to do when it is wrong (the schema's language is `cleaner.tableschema`). The
vocabularies are those of `cleaner.ruleset`, `cleaner.detectors` and `cleaner.language`.
Three checks are not data, and are the named functions `regex_key` (a pattern that
compiles), `detector_params` (a detector's parameters, against its defaults) and
`rule_cases` (the ``[[rule.case]]`` tables).

>>> problems = []
>>> check_rule({"id": "U1", "name": "n", "description": "d", "stage": "strip_comments", "action": "drop",
...             "pattern": "x", "remove": ["x"], "keep": ["y"], "scope": "rest", "start": "first"},
...            problems.append, user=False)
>>> print(*problems)
`start` only goes with `evidence`: it says which matching line starts the section the evidence proves.
"""

from __future__ import annotations

from typing import Any

import regex

from .detectors import DETECTORS
from .language import KNOWN as KNOWN_LANGUAGES
from .ruleset import ACTIONS, CASE_FIELDS, MOVE_FIELDS, RULE_STAGES, SCOPES, WHERES, Case
from .tableschema import (ALWAYS, REFUSED, Accepted, Either, Given, Is, Key, Need, OneOf, Report, Seen, UserFile,
                          check_table, did_you_mean, flag, keys, strings, text, texts, whole, word)

ID_PATTERN = regex.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")


def identifier(v: Any) -> bool:
    """A rule id: a letter, then up to 31 letters, digits, '-' or '_'."""
    return isinstance(v, str) and ID_PATTERN.fullmatch(v) is not None


# --- the checks that are not data --------------------------------------------------------


def regex_key(value: Any, key: str, report: Report, seen: Seen | None = None) -> Any:
    """A rule's regular expression compiled, or REFUSED with the problem reported."""
    if not isinstance(value, str) or not value:
        report(f"`{key}` must be a non-empty regular expression.")
        return REFUSED
    try:
        return regex.compile(value)
    except regex.error as e:
        report(f"{key} does not compile: {e}. Fix the regular expression.")
        return REFUSED


def detector_params(given: Any, key: str, report: Report, seen: Seen) -> Any:
    """The detector's parameters: its defaults, with the rule's ``params`` checked against
    them (known names, the defaults' types, patterns that compile, allowed words)."""
    detector = seen.table["detector"]
    spec = DETECTORS[detector]
    problems: list[str] = []

    def bad(problem: str) -> None:
        problems.append(problem)
        report(problem)

    if given is None:
        given = {}
    elif not isinstance(given, dict):
        bad("`params` must be a table, like params = { max_words = 40 }.")
        given = {}
    for name, value in given.items():
        if name not in spec.defaults:
            bad(f"detector {detector!r} has no parameter {name!r}.{did_you_mean(name, spec.defaults)}")
        elif type(value) is not type(spec.defaults[name]):
            bad(f"parameter {name!r} must be a {type(spec.defaults[name]).__name__}, like {spec.defaults[name]!r}.")
    params = {**spec.defaults, **given}
    for name in spec.patterns:
        if params[name]:
            regex_key(params[name], f"params.{name}", bad)
    for name, allowed in (spec.choices or {}).items():
        if params[name] not in allowed:
            bad(f"parameter {name!r} is {params[name]!r}; it must be one of {', '.join(allowed)}.")
    return REFUSED if problems else params


def rule_cases(value: Any, key: str, report: Report, seen: Seen) -> Any:
    """The ``[[rule.case]]`` tables: each an ``input`` and at least one expected field."""
    cases: list[Case] = []
    problems: list[str] = []

    def bad(problem: str) -> None:
        problems.append(problem)
        report(problem)

    for i, c in enumerate(value if isinstance(value, list) else [None], 1):
        if not isinstance(c, dict) or not isinstance(c.get("input"), str):
            bad(f"case {i} needs an `input` text, in a [[rule.case]] table.")
            continue
        for k in c:
            if k not in CASE_FIELDS:
                bad(f"case {i}: unknown key {k!r}.{did_you_mean(k, CASE_FIELDS)}")
        if len(c) == 1:
            bad(f"case {i}: give at least one expected field ({', '.join(CASE_FIELDS[1:])}).")
        cases.append(Case(c["input"], tuple((k, v) for k, v in c.items() if k != "input")))
    return REFUSED if problems else tuple(cases)


# --- the schema -----------------------------------------------------------------------------

ONE_OF = "`{key}` is {value!r}; it must be one of {choices}."
IS_FLAG = "`{key}` must be true or false: "

SCHEMA: tuple[Key | Need | Either, ...] = (
    Key("id", identifier, needed=ALWAYS, message="`id` is missing or malformed: give a short permanent id of "
        "letters, digits, '-' or '_' (like \"C101\")."),
    Key("name", text, needed=ALWAYS, message="`name` is missing: every rule needs a name."),
    Key("description", text, needed=ALWAYS, message="`description` is missing: every rule needs a description."),
    Key("stage", OneOf(RULE_STAGES), needed=ALWAYS, message=ONE_OF),
    Key("action", OneOf(ACTIONS), needed=ALWAYS, message=ONE_OF),
    Key("scope", OneOf(SCOPES), default="line", message=ONE_OF),
    Key("where", OneOf(WHERES), default="anywhere", message=ONE_OF),
    Key("field", OneOf(MOVE_FIELDS), needed=Is("action", "move"),
        message="a `move` rule needs `field`, one of {choices} (it is {value!r}).",
        only_with=Is("action", "move"), misplaced="`field` only goes with action = \"move\"."),
    Key("kind", word, needed=Is("action", "embed"),
        message="an `embed` rule needs `kind`, the kind of post it finds (like \"tweet\").",
        only_with=Is("action", "embed"), misplaced="`kind` only goes with action = \"embed\"."),
    Need(Is("scope", "rest", "list"), Is("action", "drop"),
         "a `{scope}` rule drops the section it finds: set action = \"drop\"."),
    Need(Is("action", "embed"), Is("scope", "paragraph"),
         "an `embed` rule takes a whole paragraph: set scope = \"paragraph\"."),
    Key("evidence", special=regex_key, needed=Given("evidence", "min_evidence"),
        only_with=Is("scope", "rest"), misplaced="`evidence` and `min_evidence` only go with scope = \"rest\"."),
    Key("min_evidence", whole, default=1, message="`min_evidence` must be a whole number of lines, 1 or more."),
    Key("start", OneOf(("first", "last")), default="last",
        message="`start` must be \"first\" or \"last\" (got {value!r}): which matching line starts the section."),
    Need(Accepted("start"), Accepted("evidence"),
         "`start` only goes with `evidence`: it says which matching line starts the section the evidence proves."),
    Key("needs", strings, default=[], message="`needs` must be a list of rule ids, like needs = [\"M005\"]: "
        "the rules whose work this one uses."),
    Key("page_edge", flag, default=False,
        message=IS_FLAG + "whether what the rule takes out sits at an article's edge."),
    Key("article_end", flag, default=False,
        message=IS_FLAG + "whether what the rule takes out is found only where an article ends."),
    Key("conclusive", flag, default=False,
        message=IS_FLAG + "whether only a comment section has the heading.",
        only_with=Is("scope", "rest"), misplaced="`conclusive` only goes with scope = \"rest\"."),
    Key("weak", flag, default=False,
        message=IS_FLAG + "whether the heading is weak evidence, so the cut may take only a small share of the text.",
        only_with=Is("scope", "rest"), misplaced="`weak` only goes with scope = \"rest\"."),
    Need(Is("weak", True), Is("conclusive", False),
         "a heading cannot be both `weak` and `conclusive` evidence: keep the one that says what it proves."),
    Key("languages", strings, default=[],
        message="`languages` must be a list of language codes, like languages = [\"de\", \"nl\"].",
        each=OneOf(tuple(KNOWN_LANGUAGES)), each_message="unknown language {value!r} in `languages`.{hint} "
        "Use a code that `clean` can tell (BCP 47, like \"de\", \"pt\", \"ja\"; docs/rules.md lists them)."),
    Key("replace", flag, default=False, message=IS_FLAG + "whether the rule takes the place of the shipped rule "
        "with its id.", only_with=UserFile(),
        misplaced="`replace` is only for a user's rule files (--rules), to replace a shipped rule."),
    Either(("pattern", "detector"), "give either `pattern` (a regular expression) or `detector` "
           "(a built-in detector), not both or neither.", then=("params",)),
    Key("pattern", special=regex_key),
    Key("detector", OneOf(DETECTORS),
        message="unknown detector {value!r}.{hint} Known detectors: {choices}."),
    Key("params", special=detector_params, needed=Accepted("detector"),
        only_with=Given("detector"), misplaced="`params` only goes with a `detector`."),
    Key("remove", texts, default=[], needed=ALWAYS, message="`remove` must be a list of example texts.",
        empty="missing examples: `remove` needs at least one text the rule must take out."),
    Key("keep", texts, default=[], needed=ALWAYS, message="`keep` must be a list of example texts.",
        empty="missing examples: `keep` needs at least one text the rule must leave alone."),
    Key("case", special=rule_cases, default=[]),
)
KEYS = keys(SCHEMA)
RULE_KEYS = tuple(KEYS)


def check_rule(table: dict[str, Any], report: Report, *, user: bool) -> dict[str, Any] | None:
    """A rule table checked against `SCHEMA`, each problem given to ``report``; the values
    to build the rule from, or None. ``user``: the table is in a user's rule file."""
    return check_table(SCHEMA, table, report, user=user)
