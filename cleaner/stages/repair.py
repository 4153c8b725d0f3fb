"""Stage 3, repair encoding: mojibake, control characters, line breaks, odd spaces.

ftfy does the repairs, configured to leave typography alone: curly quotes,
dashes, ellipses, ligatures and full-width forms stay as they are. The text is
then composed into Unicode normalization form C (`Config.nfc`: composition only,
never NFKC). ftfy runs only on lines where it could
change something, and the space normalisation only on lines with a space or
zero-width character to replace: the lines holding one of `REPAIR_MARKS`,
found in one pass over the whole text (`lines_to_repair`). Every other line
is already as good as they would make it (see `needs_ftfy`).

Every line changed is recorded in ``repairs`` with what was done to it. The
line numbers of the rest of the pipeline are those of the text after line
endings are normalised (``\\r\\n``, ``\\r``, U+2028... all become ``\\n``);
a line break that a repair makes inside a line (``&#10;``) becomes a space, so
that the numbers hold.

ftfy is not idempotent: a fix can uncover another. `repair_encoding` repairs
each line once, as ftfy run once on every line would; `repair_again`, the
next stage, repairs the lines it changed again until they stay as they are.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right

import ftfy
import regex
from ftfy import badness
from ftfy.fixes import fix_line_breaks

from ..compat import MOJIBAKE_PATTERN, control_characters, read_badness
from ..config import Config
from ..document import Document, Line, Repair
from ..context import Context

NEEDS_FTFY = regex.compile(r"[^\t\x20-\x7e]")
NEEDS_FTFY_OR_ENTITY = regex.compile(r"[^\t\x20-\x7e]|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+\d*);")
UNICODE_SPACES = regex.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
ZERO_WIDTH = regex.compile(r"[\u200b\u2060\ufeff\u00ad\u180e]")
#: The characters ftfy's ``fix_line_breaks`` makes ``\n`` (``\r\n`` becomes one).
LINE_BREAKS = ("\r", "\u2028", "\u2029", "\x85")
#: A line break, which a repaired line must not hold (`repair_line`).
LINE_BREAK = regex.compile(r"[\n\r\u2028\u2029\x85]")
#: The characters UNICODE_SPACES and ZERO_WIDTH replace or delete.
SPACE_MARKS = frozenset("\u00a0\u1680\u202f\u205f\u3000\u200b\u2060\ufeff\u00ad\u180e"
                        + "".join(map(chr, range(0x2000, 0x200B))))


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


# --- where ftfy can change a line ----------------------------------------------------


# ftfy's mojibake pattern, read through `cleaner.compat` (ftfy keeps it to itself). Without
# it, or where it cannot be read, every character beyond ASCII counts as a mark, and
# `needs_ftfy` asks ftfy's public ``badness.is_bad`` of each line holding one.
_BADNESS = read_badness()
#: Characters without which ftfy's mojibake pattern cannot match a text.
MOJIBAKE_MARKS = frozenset(_BADNESS[0]) if _BADNESS else frozenset(
    chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
#: Characters ftfy's other enabled fixers act on: HTML entities, C1 controls,
#: surrogates, terminal escapes, the control characters it removes.
FIXER_MARKS = frozenset(
    {"&", "\x1b"} | set(map(chr, range(0x80, 0xA0))) | set(map(chr, range(0xD800, 0xE000)))
    | control_characters())
REPAIR_MARKS = MOJIBAKE_MARKS | FIXER_MARKS | SPACE_MARKS
#: The ASCII bytes that are not repair marks, deleted to leave what a text holds besides them.
_PLAIN_ASCII = bytes(c for c in range(0x80) if chr(c) not in REPAIR_MARKS)


def marks_in(text: str) -> set[str]:
    """The repair marks ``text`` holds. Deleting the plain ASCII bytes of its UTF-8
    form leaves whole characters (UTF-8 never uses ASCII bytes inside a longer
    sequence): the few other characters of the text, whose set is then taken."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII)
    return set(rest.decode("utf-8", "surrogatepass")) & REPAIR_MARKS if rest else set()


def needs_ftfy(text: str, marks: set[str]) -> bool:
    """Could ftfy change ``text``, a line holding the repair marks ``marks``?

    ftfy changes a line only through its enabled fixers: HTML entities, C1
    controls, surrogates, terminal escapes and control characters (a character
    of `FIXER_MARKS`), or mojibake, which it repairs only where
    ``badness.is_bad`` says so. Every match of that search holds a character of
    `MOJIBAKE_MARKS` and is at most as long as the pattern's longest match, so
    the search is made only around those characters.
    """
    if marks & FIXER_MARKS:
        return True
    found = marks & MOJIBAKE_MARKS
    if not found:
        return False
    if _BADNESS is None:
        return badness.is_bad(text)
    reach = _BADNESS[1]
    for mark in found:
        at = text.find(mark)
        while at >= 0:
            if MOJIBAKE_PATTERN.search(text, max(0, at - reach + 1), at + reach):
                return True
            at = text.find(mark, at + 1)
    return False


def repair_line(text: str, config: Config, fixer: ftfy.TextFixerConfig,
                marks: set[str] | None = None) -> tuple[str, tuple[str, ...]]:
    """One line repaired, and the names of the fixes that changed it. Given the repair
    marks the line holds (`marks_in`), ftfy runs only if it could change the line
    (`needs_ftfy`), and the space normalisation only if the line has a character
    it replaces or ftfy changed the line: otherwise either returns the line as it is.
    A line break that ftfy makes (from ``&#10;``, or from the mojibake of U+2028)
    becomes a space: a line must stay one line, or the line numbers would shift.

    >>> from cleaner.config import Config
    >>> repair_line("one&#10;two", Config(), ftfy_config(Config()))
    ('one two', ('unescape_html', 'line_break_to_space'))
    """
    fixes: list[str] = []
    probe = NEEDS_FTFY_OR_ENTITY if config.unescape_html else NEEDS_FTFY
    fixed_by_ftfy = False
    if (marks is None or needs_ftfy(text, marks)) and probe.search(text):
        fixed, steps = ftfy.fix_and_explain(text, fixer)
        if fixed != text:
            fixes.extend(f"{kind} {name}" if kind in ("encode", "decode") else name for kind, name in steps or ())
            text, fixed_by_ftfy = fixed, True
            unbroken = LINE_BREAK.sub(" ", text)
            if unbroken != text:
                fixes.append("line_break_to_space")
                text = unbroken
    if config.normalize_spaces and (marks is None or fixed_by_ftfy or marks & SPACE_MARKS):
        spaced = UNICODE_SPACES.sub(" ", text)
        if spaced != text:
            fixes.append("normalize_spaces")
        unzeroed = ZERO_WIDTH.sub("", spaced)
        if unzeroed != spaced:
            fixes.append("remove_zero_width")
        text = unzeroed
    return text, tuple(fixes)


def lines_to_repair(text: str, lines: list[str]) -> dict[int, set[str]]:
    """The ``lines`` of ``text`` (``text.split("\\n")``) that hold a repair mark, by index,
    with the marks each holds: for each mark the text holds, a search from each line
    that has it to the next."""
    present = marks_in(text)
    if not present:
        return {}
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found: dict[int, set[str]] = {}
    for mark in present:
        at = text.find(mark)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            found.setdefault(i, set()).add(mark)
            if i + 1 >= len(lines):
                break
            at = text.find(mark, starts[i + 1])
    return found


def repair_encoding(doc: Document, ctx: Context) -> Document:
    """Repair every line of the input text. When an earlier stage already made
    the lines (HTML extraction), those keep their numbers and are repaired in place."""
    fixer = ftfy_config(ctx.config)
    text = doc.text or ""
    if any(mark in text for mark in LINE_BREAKS):  # fix_line_breaks would change nothing else
        text = fix_line_breaks(text)
    repaired = text.split("\n")
    repairs = {r.line: r for r in doc.repairs}  # decoding's own (`cleaner.stages.decode.REPLACED`)
    changed = False
    for i, marks in sorted(lines_to_repair(text, repaired).items()):
        before = repaired[i]
        after, fixes = repair_line(before, ctx.config, fixer, marks)
        if fixes:
            earlier = repairs.get(i + 1)
            repairs[i + 1] = (Repair(i + 1, earlier.fixes + fixes, earlier.before, after) if earlier
                              else Repair(i + 1, fixes, before, after))
        changed = changed or after != before
        repaired[i] = after
    if ctx.config.nfc and not unicodedata.is_normalized("NFC", "\n".join(repaired) if changed else text):
        for i, line in enumerate(repaired):
            composed = unicodedata.normalize("NFC", line)
            if composed != line:
                earlier = repairs.get(i + 1)
                repairs[i + 1] = (Repair(i + 1, earlier.fixes + ("nfc",), earlier.before, composed) if earlier
                                  else Repair(i + 1, ("nfc",), line, composed))
                repaired[i], changed = composed, True
    if doc.lines:
        lines = tuple(Line(ln.no, repaired[ln.no - 1]) for ln in doc.lines)
    else:
        lines = tuple(map(Line, range(1, len(repaired) + 1), repaired))
    return doc.changed(text="\n".join(repaired) if changed else text, lines=lines,
                       repairs=tuple(repairs[no] for no in sorted(repairs)))


#: How many times, at most, a line is repaired (`repair_again`).
REPAIR_ROUNDS = 4


def repair_again(doc: Document, ctx: Context) -> Document:
    """Stage 4, repair again: the lines `repair_encoding` changed, repaired again while a
    round changes them, up to `REPAIR_ROUNDS` repairs of a line in all.

    ftfy is not idempotent: a fix can uncover another (``"\\xa0Ã©tÃ©"`` becomes
    ``" Ã©té"``, then ``" été"``), and cleaning a cleaned text must change nothing.
    A line's record in ``repairs`` then lists the fixes of every round, and keeps
    the line as it was before the first.

    >>> from cleaner.config import Config
    >>> from cleaner.ruleset import RuleSet
    >>> ctx = Context(Config(), RuleSet(()))
    >>> doc = repair_encoding(Document(id="t", source="t", text="\\xa0Ã©tÃ©"), ctx)
    >>> doc.text, repair_again(doc, ctx).text
    (' Ã©té', ' été')
    """
    if not doc.repairs:
        return doc
    fixer = ftfy_config(ctx.config)
    texts = (doc.text or "").split("\n")
    records = {r.line: r for r in doc.repairs}
    pending, again = list(records), False
    for _ in range(REPAIR_ROUNDS - 1):
        changed = []
        for no in pending:
            after, fixes = repair_line(texts[no - 1], ctx.config, fixer, marks_in(texts[no - 1]))
            if fixes:
                record = records[no]
                records[no] = Repair(no, record.fixes + fixes, record.before, after)
                texts[no - 1] = after
                changed.append(no)
        if not changed:
            break
        pending, again = changed, True
    if not again:
        return doc
    lines = tuple(Line(ln.no, texts[ln.no - 1]) for ln in doc.lines)
    return doc.changed(text="\n".join(texts), lines=lines, repairs=tuple(records[r.line] for r in doc.repairs))
