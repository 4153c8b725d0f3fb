"""Stage 3, repair encoding: mojibake, control characters, line breaks, odd spaces.

ftfy does the repairs, configured to leave typography alone: curly quotes,
dashes, ellipses, ligatures and full-width forms stay as they are, and no
Unicode normalisation is applied. ftfy runs only on lines where it could
change something (a non-ASCII character, a control character or an HTML
entity); a plain ASCII line is already as good as ftfy would make it.

Every line changed is recorded in ``repairs`` with what was done to it. The
line numbers of the rest of the pipeline are those of the text after line
endings are normalised (``\\r\\n``, ``\\r``, U+2028... all become ``\\n``).
"""

from __future__ import annotations

from dataclasses import replace

import ftfy
import regex
from ftfy.fixes import fix_line_breaks

from ..config import Config
from ..document import Document, Line, Repair
from ..engine import Context

NEEDS_FTFY = regex.compile(r"[^\t\x20-\x7e]")
NEEDS_FTFY_OR_ENTITY = regex.compile(r"[^\t\x20-\x7e]|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+\d*);")
UNICODE_SPACES = regex.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
ZERO_WIDTH = regex.compile(r"[\u200b\u2060\ufeff\u00ad\u180e]")


def ftfy_config(config: Config) -> ftfy.TextFixerConfig:
    """ftfy's settings: repair the encoding, leave the typography."""
    return ftfy.TextFixerConfig(
        unescape_html="auto" if config.unescape_html else False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,  # done once, on the whole text, before lines are numbered
        normalization=None,
        explain=True,
    )


def repair_line(text: str, config: Config, fixer: ftfy.TextFixerConfig) -> tuple[str, tuple[str, ...]]:
    """One line repaired, and the names of the fixes that changed it."""
    fixes: list[str] = []
    probe = NEEDS_FTFY_OR_ENTITY if config.unescape_html else NEEDS_FTFY
    if probe.search(text):
        fixed, steps = ftfy.fix_and_explain(text, fixer)
        if fixed != text:
            fixes.extend(f"{kind} {name}" if kind in ("encode", "decode") else name for kind, name in steps or ())
            text = fixed
    if config.normalize_spaces:
        spaced = UNICODE_SPACES.sub(" ", text)
        if spaced != text:
            fixes.append("normalize_spaces")
        unzeroed = ZERO_WIDTH.sub("", spaced)
        if unzeroed != spaced:
            fixes.append("remove_zero_width")
        text = unzeroed
    return text, tuple(fixes)


def repair_encoding(doc: Document, ctx: Context) -> Document:
    """Repair every line of the input text. When an earlier stage already made
    the lines (HTML extraction), those keep their numbers and are repaired in place."""
    fixer = ftfy_config(ctx.config)
    text = fix_line_breaks(doc.text or "")
    repaired: list[str] = []
    repairs: list[Repair] = []
    for no, before in enumerate(text.split("\n"), 1):
        after, fixes = repair_line(before, ctx.config, fixer)
        if fixes:
            repairs.append(Repair(no, fixes, before, after))
        repaired.append(after)
    if doc.lines:
        lines = tuple(Line(ln.no, repaired[ln.no - 1]) for ln in doc.lines)
    else:
        lines = tuple(Line(no, t) for no, t in enumerate(repaired, 1))
    return replace(doc, text="\n".join(repaired), lines=lines, repairs=tuple(repairs))
