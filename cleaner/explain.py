"""``clean explain``: the input with every span taken out shown and labelled.

Each line of the repaired input is printed with its number and a mark:

- ``-`` the whole line was dropped as residue,
- ``>`` the whole line moved to a field (title, date, authors, captions, embeds),
- ``~`` part of the line was taken out: the part is shown in ``⟦ ⟧``,
- ``*`` the line's encoding was repaired,

followed by the labels of the rules that acted on it: ``[C101
please-enter-your-comment]`` or ``[M001 glued-date-line → date]``, with the
reason when the removal gives one (``[W001 whole-page-boilerplate: above the
main text (the densest run of prose)]``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import IO, Iterator, Mapping

from .batch import iter_inputs
from .builtin import BUILTIN_RULES
from .document import Document, Span
from .pipeline import Cleaner
from .plan import iter_items
from .reading import read_error
from .records import Failure, Options
from .ruleset import RuleSet
from .stages.tidy import tidy_line
from .worker import clean_document


def label(span: Span, rules: RuleSet, names: Mapping[str, str] | None = None) -> str:
    """``[ID name → field: reason]``; the name from ``names`` (by id: a plugin stage's too),
    else the rule's, else the built-in removal's."""
    rule = rules.get(span.rule)
    known = (names or {}).get(span.rule) or (rule.name if rule else BUILTIN_RULES.get(span.rule))
    name = f" {known}" if known else ""
    arrow = f" → {span.to}" if span.action == "move" else ""
    reason = f": {span.reason}" if span.reason else ""
    return f"[{span.rule}{name}{arrow}{reason}]"


def mark_spans(text: str, spans: list[Span]) -> str:
    r"""The line with each span's text bracketed, found left to right. The rules read
    lines tidied (`cleaner.stages.tidy.tidy_lines`): when a span is not in the line
    as the input has it (a tab, two spaces), it is marked in the tidied line.

    >>> mark_spans("a\tb  Share this c", [Span("H001", "strip_header", 1, "Share this")])
    'a\tb  ⟦Share this⟧ c'
    >>> mark_spans("a\tb  Share\tthis c", [Span("H001", "strip_header", 1, "Share this")])
    'a b ⟦Share this⟧ c'
    """
    if not all(s.text in text for s in spans):
        text = tidy_line(text)
    out, pos = [], 0
    for s in spans:
        at = text.find(s.text, pos)
        if at < 0:
            continue
        out.append(text[pos:at] + "⟦" + s.text + "⟧")
        pos = at + len(s.text)
    out.append(text[pos:])
    return "".join(out)


def explain(doc: Document, rules: RuleSet, *, changes_only: bool = False, style=None,
            names: Mapping[str, str] | None = None) -> str:
    """The text of ``doc``'s input with its removals, moves and repairs labelled (each
    with its rule's name, or the name ``names`` gives its id: a plugin stage's).

    ``style(text, kind)`` may colour a line (``kind``: drop, move, partial,
    repair, kept); by default nothing is coloured.
    """
    style = style or (lambda text, kind: text)
    if doc.rejected:
        return f"{doc.source}: not cleaned: {doc.rejected}"
    by_line: dict[int, list[Span]] = defaultdict(list)
    for s in doc.removed:
        by_line[s.line].append(s)
    repaired = {r.line: r for r in doc.repairs}
    lines = (doc.text or "").split("\n")
    width = len(str(len(lines)))
    taken = len(doc.removed)
    rule_ids = sorted({s.rule for s in doc.removed})
    out = [f"{doc.source}: {taken} span{'s' * (taken != 1)} taken out by {len(rule_ids)} rule{'s' * (len(rule_ids) != 1)}"
           + (f" ({', '.join(rule_ids)})" if rule_ids else "")
           + (f"; {len(repaired)} line{'s' * (len(repaired) != 1)} repaired" if repaired else "")]
    for no, text in enumerate(lines, 1):
        spans = by_line.get(no, [])
        notes = [label(s, rules, names) for s in spans]
        if no in repaired:
            notes.append(f"[repaired: {', '.join(repaired[no].fixes)}]")
        whole = len(spans) == 1 and spans[0].text.split() == text.split()
        if whole:
            kind, shown = spans[0].action, text
        elif spans:
            kind, shown = "partial", mark_spans(text, spans)
        elif no in repaired:
            kind, shown = "repair", text
        else:
            kind, shown = "kept", text
        if changes_only and kind == "kept":
            continue
        mark = {"drop": "-", "move": ">", "partial": "~", "repair": "*", "kept": " "}[kind]
        prefix = f"{no:>{width}} {mark} "
        line = prefix + (" ".join(notes) + " " if notes else "") + shown
        out.append(style(line.rstrip(), kind))
    fields = []
    if doc.title is not None:
        fields.append(f"title:    {doc.title}")
    if doc.date is not None:
        fields.append(f"date:     {doc.date}")
    if doc.authors:
        fields.append(f"authors:  {', '.join(doc.authors)}")
    for c in doc.captions:
        fields.append(f"caption:  {c}")
    for e in doc.embeds:
        fields.append(f"embed:    {e.kind} by {e.author} (@{e.handle}) {e.date}: {e.text}")
    if fields:
        out.append("")
        out.extend(fields)
    return "\n".join(out)


def clean_for_explaining(path: str, cleaner: Cleaner, *, text_field: str = "text", id_field: str = "id",
                         input_format: str | None = None, stdin: IO[bytes] | None = None
                         ) -> Iterator[Document | Failure]:
    """The documents of one input (a file, or ``-`` for stdin), cleaned as a run cleans
    them (`cleaner.worker`): one for a text or HTML input, one per line of a JSONL
    input, in order; a `Failure` in place of each that cannot be cleaned. Raises
    ``ValueError`` when ``path`` is not one input."""
    found: list[Failure] = []
    inputs = list(iter_inputs([path], found, input_format=input_format))
    if found:
        raise ValueError(str(found[0]))
    if len(inputs) != 1 or inputs[0].path is not None and not inputs[0].path.is_file():
        raise ValueError(f"{path}: give one file (or - for stdin), not a folder or a pattern")
    opts = Options(fmt="pretty", text_field=text_field, id_field=id_field, input_format=input_format)
    for item in iter_items([path], opts, found, cleaner.config.max_file_bytes, stdin):
        if item.error:
            yield Failure(item.name, item.error)
            continue
        try:
            yield clean_document(cleaner, item, opts)[0]
        except (OSError, ValueError) as e:
            yield Failure(item.name, read_error(e))
    for failure in found:  # a JSONL file that could not be opened
        yield failure
