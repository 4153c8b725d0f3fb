"""A `cleaner.diff.Diff` shown three ways: a summary for the terminal, ``diff.json`` for
scripts, and ``index.html``, one self-contained page (no script, no network, no
external style) with the summary, the per-rule table, and each changed document's
body as an inline diff whose lines carry the id of the rule that made the difference.
"""

from __future__ import annotations

import difflib
import html
import json
from pathlib import Path

from .diff import Changed, Diff
from .diffpair import comparable
from .golden import describe, span_changes
from .rulecounts import RuleChange

#: Documents the terminal summary shows with their diff.
SHOWN = 5


def _arrow(a: int | float | None, b: int | float | None, digits: int = 0) -> str:
    def f(x):
        return "-" if x is None else f"{x:,.{digits}f}" if digits else f"{x:,}"
    delta = "" if a is None or b is None or a == b or digits else f" ({b - a:+,})"
    return f"{f(a)} -> {f(b)}{delta}"


def body_lines(before: dict | None, after: dict | None) -> list[tuple[str, str, str | None]]:
    """The body's changed lines, with context: (op, line, rule), op ``-`` taken out now,
    ``+`` kept now, `` `` unchanged; rule: the rule that takes the line now (``-``) or
    took it before (``+``), where one did."""
    old = ((before or {}).get("body") or "").splitlines()
    new = ((after or {}).get("body") or "").splitlines()
    out: list[tuple[str, str, str | None]] = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(1):
        if out:
            out.append(("@", "…", None))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend((" ", line, None) for line in old[i1:i2])
                continue
            out.extend(("-", line, _taken_by(line, after)) for line in old[i1:i2])
            out.extend(("+", line, _taken_by(line, before)) for line in new[j1:j2])
    return out


def _taken_by(line: str, doc: dict | None) -> str | None:
    """The rule that took ``line`` (or a part of it) out of ``doc``, if one did."""
    spans = (doc or {}).get("removed") or ()
    if not line.strip():
        return None
    for span in spans:
        if span.get("text") == line.strip():
            return span.get("rule")
    for span in spans:
        text = span.get("text") or ""
        if text and (text in line or line.strip() in text):
            return span.get("rule")
    return None


def _rule_label(rule: str, names: dict[str, str]) -> str:
    return f"{rule} {names[rule]}" if rule in names else rule


def summary_lines(diff: Diff) -> list[str]:
    """The counts, the sides and the accuracy, as lines of text."""
    out = [f"base: {diff.base}", f"new:  {diff.new}"]
    if diff.sample:
        out.append(f"sample: {diff.sample}")
    if diff.where:
        out.append(f"limited to the documents where {_rule_label(diff.where, diff.names)} acts differently")
    one_side = [f"{len(diff.only_before):,} only in the base" if diff.only_before else "",
                f"{len(diff.only_after):,} only in the new" if diff.only_after else ""]
    tail = "".join(f"; {s}" for s in one_side if s)
    out.append(f"{diff.compared:,} documents compared: {len(diff.changed) - len(diff.only_before) - len(diff.only_after):,} "
               f"changed, {diff.unchanged:,} unchanged{tail}")
    for side, failures in (("base", diff.failed_before), ("new", diff.failed_after)):
        if failures:
            out.append(f"{len(failures):,} input{'s' * (len(failures) != 1)} failed on the {side} side: {failures[0]}"
                       + (" (and more)" if len(failures) > 1 else ""))
    for side, ids in (("base", diff.repeated[0]), ("new", diff.repeated[1])):
        if ids:
            out.append(f"{len(ids):,} id{'s' * (len(ids) != 1)} of the {side} side name{'s' * (len(ids) == 1)} more than one "
                       f"document ({ids[0]!r}{', ...' if len(ids) > 1 else ''}): each is compared once, as last written; "
                       "give each input record an id of its own")
    out.append(f"body words: {_arrow(*diff.body_words)}; words taken out: {_arrow(*diff.removed_words)}")
    return out


def accuracy_lines(diff: Diff) -> list[str]:
    acc = diff.accuracy
    if acc is None or not acc.before.docs:
        return []
    (p0, r0, f0), (p1, r1, f1) = acc.before.macro(), acc.after.macro()
    out = [f"accuracy against {acc.truth} ({acc.before.docs:,} documents with a truth): body P {p0:.3f} -> {p1:.3f}, "
           f"R {r0:.3f} -> {r1:.3f}, F1 {f0:.3f} -> {f1:.3f}"]
    extra = [f"{key} {acc.before.rate(key):.3f} -> {acc.after.rate(key):.3f}"
             for key in ("leak", "title", "date", "author") if acc.before.rate(key) is not None]
    if extra:
        out.append("  " + ", ".join(extra).replace("leak", "comment leak", 1))
    return out


def rule_table(rules: list[RuleChange], names: dict[str, str]) -> list[str]:
    if not rules:
        return ["no rule takes more or less than before"]
    rows = [(f"{_rule_label(c.rule, names)}{f' ({c.mark})' if c.mark else ''}", f"{c.docs_before} -> {c.docs_after}",
             f"{c.lines_before} -> {c.lines_after}", _arrow(c.words_before, c.words_after)) for c in rules]
    head = ("rule", "documents", "lines", "words")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [head, *rows]]


def render_text(diff: Diff, shown: int = SHOWN) -> str:
    """The terminal summary: counts, accuracy, the per-rule table, the most changed documents."""
    out = summary_lines(diff) + accuracy_lines(diff)
    out += ["", "per rule, before -> after, the largest change first:"] + ["  " + r for r in rule_table(diff.rules, diff.names)]
    held = [c for c in diff.changed if c.id in diff.documents][:shown]
    if held:
        out += ["", f"the most changed documents ({len(held)} of {len(diff.changed):,}):"]
        for c in held:
            before, after = (comparable(d) or {} for d in diff.documents[c.id])
            out.append(describe(c.id, before, after, ("base", "new")))
    return "\n".join(out)


def to_json(diff: Diff) -> dict:
    """``diff.json``: the summary, every rule's totals, every changed document, and the
    body diff and rule changes of the documents the report holds."""
    def doc(c: Changed) -> dict:
        row = {"id": c.id, "size": c.size, "rules": list(c.rules), "fields": list(c.fields),
               "body_words": [c.words_before, c.words_after]}
        if c.id in diff.documents:
            before, after = diff.documents[c.id]
            row["body_diff"] = [{"op": op, "line": line, "rule": rule} for op, line, rule in body_lines(before, after)]
            row["spans"] = [{"change": "taken" if sign == "+" else "restored", "rule": rule, "what": text}
                            for sign, rule, text in span_changes(before or {}, after or {})]
            row["values"] = {f: [(before or {}).get(f), (after or {}).get(f)] for f in c.fields
                             if f not in ("body", "removed")}
        return row

    acc = diff.accuracy
    accuracy = None
    if acc is not None and acc.before.docs:
        accuracy = {"truth": acc.truth, "documents": acc.before.docs, **{
            side: {"p": s.macro()[0], "r": s.macro()[1], "f1": s.macro()[2],
                   **{k: s.rate(k) for k in ("leak", "title", "date", "author") if s.rate(k) is not None}}
            for side, s in (("before", acc.before), ("after", acc.after))}}
    return {
        "base": diff.base, "new": diff.new, "sample": diff.sample, "where": diff.where,
        "compared": diff.compared, "changed": len(diff.changed), "unchanged": diff.unchanged,
        "only_before": diff.only_before, "only_after": diff.only_after,
        "failed_before": [str(f) for f in diff.failed_before], "failed_after": [str(f) for f in diff.failed_after],
        "repeated_before": diff.repeated[0], "repeated_after": diff.repeated[1],
        "body_words": diff.body_words, "removed_words": diff.removed_words, "accuracy": accuracy,
        "rules": [{"rule": c.rule, "name": diff.names.get(c.rule), "mark": c.mark or None,
                   "documents": [c.docs_before, c.docs_after], "lines": [c.lines_before, c.lines_after],
                   "words": [c.words_before, c.words_after]} for c in diff.rules],
        "documents": [doc(c) for c in diff.changed],
    }


STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { margin-bottom: .3em; }
table { border-collapse: collapse; } td, th { padding: .2em .7em; text-align: left; border-bottom: 1px solid #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.rule { display: inline-block; font: 12px monospace; background: #eef; border: 1px solid #99c; border-radius: 3px;
        padding: 0 .3em; margin: 0 .2em; text-decoration: none; color: #224; }
.new { color: #070; font-weight: bold; } .stopped { color: #a00; font-weight: bold; }
.diff { font: 13px/1.4 monospace; border: 1px solid #ddd; padding: .5em; }
.diff div { padding: 0 .3em; white-space: pre-wrap; min-height: 1.4em; } .del { background: #fdd; } .ins { background: #dfd; } .gap { color: #888; }
nav a { margin-right: 1em; } .muted { color: #666; } .spans { font: 13px monospace; padding-left: 1.2em; }
.spans li.taken { background: #fdd; } .spans li.restored { background: #dfd; }
"""


def _e(x: object) -> str:
    return html.escape(str(x))


def _anchor(prefix: str, name: str) -> str:
    return prefix + "".join(ch if ch.isalnum() or ch in "-_" else f"_{ord(ch):x}" for ch in name)


def _label(rule: str, names: dict[str, str]) -> str:
    return f'<a class="rule" href="#{_anchor("rule-", rule)}" title="{_e(names.get(rule, ""))}">{_e(rule)}</a>'


def render_html(diff: Diff) -> str:
    """``index.html``: one page, readable in any browser offline."""
    names = diff.names
    p = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f'<title>clean diff: {len(diff.changed):,} changed</title><style>{STYLE}</style></head><body>',
         '<h1>clean diff</h1>', '<nav><a href="#summary">Summary</a><a href="#rules">Rules</a>'
         '<a href="#documents">Documents</a></nav>', '<h2 id="summary">Summary</h2><ul>']
    p += [f"<li>{_e(line)}</li>" for line in summary_lines(diff) + accuracy_lines(diff)]
    p.append('</ul><h2 id="rules">Rules</h2>')
    if diff.rules:
        p.append('<table><tr><th>rule</th><th>name</th><th>documents</th><th>lines</th><th>words</th>'
                 '<th></th></tr>')
        for c in diff.rules:
            p.append(f'<tr id="{_anchor("rule-", c.rule)}"><td>{_label(c.rule, names)}</td><td>{_e(names.get(c.rule, ""))}'
                     f'</td><td class="n">{c.docs_before} → {c.docs_after}</td><td class="n">{c.lines_before} → '
                     f'{c.lines_after}</td><td class="n">{c.words_before:,} → {c.words_after:,}</td>'
                     f'<td class="{c.mark}">{c.mark}</td></tr>')
        p.append("</table>")
    else:
        p.append('<p class="muted">No rule takes more or less than before.</p>')
    by_rule: dict[str, list[str]] = {}
    for c in diff.changed:
        for rule in c.rules:
            by_rule.setdefault(rule, []).append(c.id)
    for rule in sorted(by_rule):
        ids = by_rule[rule]
        links = ", ".join(f'<a href="#{_anchor("doc-", i)}">{_e(i)}</a>' if i in diff.documents else _e(i) for i in ids)
        anchor = "" if any(c.rule == rule for c in diff.rules) else f' id="{_anchor("rule-", rule)}"'
        p.append(f'<p{anchor}>{_label(rule, names)} acts differently on {len(ids):,} document'
                 f'{"s" * (len(ids) != 1)}: {links}</p>')
    p.append(f'<h2 id="documents">Documents ({len(diff.changed):,} changed)</h2>')
    for c in diff.changed:
        if c.id not in diff.documents:
            continue
        before, after = diff.documents[c.id]
        state = "only in the base" if after is None else "only in the new" if before is None else "changed"
        p.append(f'<h3 id="{_anchor("doc-", c.id)}">{_e(c.id)} <span class="muted">{state}, body words '
                 f'{_e(_arrow(c.words_before, c.words_after))}</span></h3>')
        p.append("<p>" + " ".join(_label(r, names) for r in c.rules) + "</p>")
        for f in c.fields:
            if f not in ("body", "removed"):
                old, new = (before or {}).get(f), (after or {}).get(f)
                p.append(f'<p><b>{_e(f)}</b>: <span class="del">{_e(json.dumps(old, ensure_ascii=False))}</span> → '
                         f'<span class="ins">{_e(json.dumps(new, ensure_ascii=False))}</span></p>')
        spans = span_changes(before or {}, after or {})
        if spans:
            p.append('<ul class="spans">' + "".join(
                f'<li class="{"taken" if sign == "+" else "restored"}">{_label(rule, names)} {_e(text.split(" ", 1)[1])}</li>'
                for sign, rule, text in spans) + "</ul>")
        lines = body_lines(before, after)
        if lines:
            p.append('<div class="diff">')
            for op, line, rule in lines:
                cls = {"-": "del", "+": "ins", "@": "gap"}.get(op, "")
                tag = f" {_label(rule, names)}" if rule else ""
                p.append(f'<div class="{cls}">{_e(op)} {_e(line)}{tag}</div>')
            p.append("</div>")
    rest = [c for c in diff.changed if c.id not in diff.documents]
    if rest:
        p.append(f'<p class="muted">{len(rest):,} more changed documents (their ids and rules are in diff.json): '
                 + ", ".join(_e(c.id) for c in rest[:500]) + ("…" if len(rest) > 500 else "") + "</p>")
    p.append("</body></html>")
    return "\n".join(p) + "\n"


def write_report(diff: Diff, folder: Path) -> tuple[Path, Path]:
    """``index.html`` and ``diff.json`` in ``folder`` (made if need be)."""
    folder.mkdir(parents=True, exist_ok=True)
    page, data = folder / "index.html", folder / "diff.json"
    page.write_text(render_html(diff), encoding="utf-8")
    data.write_text(json.dumps(to_json(diff), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return page, data
