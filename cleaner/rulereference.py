"""``clean rules reference``: every rule of the rule files as a Markdown page, made from
the files themselves (``docs/rules-reference.md``; a test checks that it is current).

The rules are grouped by stage, in pipeline order, then by file, in the order they
apply. Each rule has a section: its id and name, what it does and where (its action,
scope, place, detector, languages and the like), its description, and the examples it
tests itself with: the text it takes out and the text it leaves alone. An example
longer than `MAX_CHARS` characters or `MAX_LINES` lines is cut, and says by how much.
The page is the same for the same rules: nothing in it depends on where the files are.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from .ruleset import RULE_STAGES, Rule, RuleSet

#: An example longer than this many characters, or lines, is cut ...
MAX_CHARS, MAX_LINES = 800, 16
#: ... to about this many.
CUT_CHARS, CUT_LINES = 600, 12

COMMAND = "clean rules reference -o docs/rules-reference.md"
HEADER = f"""# Rule reference

Every rule of the shipped rule files (`rules/*.toml`), stage by stage and file by file,
with the examples each one tests itself with. Made from the rule files by
`{COMMAND}`; a test checks that this page is current.
How to write a rule: [rules.md](rules.md); `clean rules reference --rules DIR` adds your
own rules to the page. The removals that code makes rather than a rule file are listed by
`clean rules list`.
"""


def render(rules: RuleSet) -> str:
    """The reference of these rules, as Markdown.

    >>> from cleaner import load_rules
    >>> page = render(load_rules())
    >>> print(page[page.index("#### C104"):].split("\\n\\n")[1])
    `drop` · scope `line` · languages: any · at an article's edge
    """
    out = [HEADER]
    for stage in [s for s in RULE_STAGES if rules.for_stage(s)]:
        in_stage = rules.for_stage(stage)
        out.append(f"## {stage}\n\n{_count(in_stage)}.\n")
        for file, in_file in _by_file(in_stage):
            out.append(f"### {file}\n")
            out.extend(_rule(rule) for rule in in_file)
    return "\n".join(out)


def _by_file(rules: tuple[Rule, ...]) -> list[tuple[str, list[Rule]]]:
    groups: dict[str, list[Rule]] = {}
    for rule in rules:
        groups.setdefault(PurePath(rule.file).name, []).append(rule)
    return list(groups.items())


def _count(rules: tuple[Rule, ...] | list[Rule]) -> str:
    return f"{len(rules)} rule{'s' * (len(rules) != 1)}"


def _rule(rule: Rule) -> str:
    parts = [f"#### {rule.id} {rule.name}", _what(rule), _markdown(rule.description)]
    parts.append("Takes out:\n\n" + "\n".join(_example(text) for text in rule.remove))
    parts.append("Leaves alone:\n\n" + "\n".join(_example(text) for text in rule.keep))
    if rule.cases:
        parts.append(f"And {len(rule.cases)} exact case{'s' * (len(rule.cases) != 1)} in the rule file.")
    return "\n\n".join(parts) + "\n"


def _what(rule: Rule) -> str:
    """What the rule does, and where, on one line."""
    does = {"move": f"`move` → `{rule.field}`", "embed": f"`embed` ({rule.kind})"}.get(rule.action, f"`{rule.action}`")
    parts = [does, f"scope `{rule.scope}`"]
    if rule.where != "anywhere":
        parts.append(f"where `{rule.where}`")
    if rule.detector is not None:
        parts.append(f"detector `{rule.detector}`")
    if rule.evidence is not None:
        lines = f"{rule.min_evidence} line{'s' * (rule.min_evidence != 1)}"
        parts.append(f"evidence: {lines}, from the {rule.start} match")
    if rule.needs:
        parts.append("uses " + ", ".join(rule.needs))
    parts.append("languages: " + (", ".join(rule.languages) or "any"))
    if rule.article_end:
        parts.append("at an article's end")
    elif rule.page_edge:
        parts.append("at an article's edge")
    if rule.conclusive:
        parts.append("a heading only a comment section has")
    if rule.weak:
        parts.append("weak evidence: takes a small share of the text at most")
    return " · ".join(parts)


def _markdown(text: str) -> str:
    """A description as a paragraph: no raw HTML."""
    return text.replace("<", "&lt;")


def _example(text: str) -> str:
    """One example as a list item: a short line as code, anything else as a code block."""
    shown, cut = _cut(text)
    note = f"*(cut: {cut:,} more characters)*" if cut else ""
    if "\n" not in shown and "`" not in shown and shown == shown.strip():
        return f"- `{shown}`" + (f" {note}" if note else "")
    fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", shown)), default=0))
    block = "\n".join(f"  {line}".rstrip() for line in shown.split("\n"))
    return f"- {fence}text\n{block}\n  {fence}" + (f"\n\n  {note}" if note else "")


def _cut(text: str) -> tuple[str, int]:
    """The example as shown, and how many characters were left out: one longer than
    `MAX_CHARS` or `MAX_LINES` is cut to `CUT_LINES` lines and about `CUT_CHARS`
    characters, after a word, and ends in "…"."""
    if len(text) <= MAX_CHARS and text.count("\n") < MAX_LINES:
        return text, 0
    shown = "\n".join(text.split("\n")[:CUT_LINES])
    if len(shown) > CUT_CHARS:
        end = shown.rfind(" ", 0, CUT_CHARS)
        shown = shown[:end if end > CUT_CHARS // 2 else CUT_CHARS]
    shown = shown.rstrip()
    return shown + " …", len(text) - len(shown)
