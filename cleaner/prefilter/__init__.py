"""Which lines a rule's pattern could match, found without running the pattern.

Running every rule's pattern on every line cost most of the time of a run:
most lines are prose that no rule can match, and a pattern such as
``.{0,200}\\bcookies\\b.{0,300}`` must try hundreds of positions to fail. Before
a pattern runs, its syntax tree (as the `regex` module itself parses it, with
its internal parser, reached through `cleaner.compat`, which hands it out in
nodes of the prefilter's own, `cleaner.patterntree`) is read for what any
match must contain (`gate`), and the lines of a document are checked for that
all at once with plain string operations (`GateTable.hits`). A rule then runs,
exactly as before, on the lines that pass. So does a detector's pattern that it
matches against whole lines (a comment thread's signature: `Rule.line_params`).

What is read from a pattern, for each of its alternatives (`Alternative`):

- ``starts``: the texts one of which a match must begin with (a whole-line
  rule matches from the first character of the stripped line), or ``first``,
  the class of that first character;
- ``needs``: the literal texts it must contain (``and``/``or`` of pieces), and
  for a pattern that opens with a group and repeats it later, that the line's
  first characters come again further on (`Echo`), and for a pattern that is one
  repeated character class, that every character of the line is in it (`Within`);
- ``longest``: how long a line it can match, when that is bounded.

Everything is a necessary condition: a line that fails it cannot be matched,
so no match is ever missed. Where the analysis meets a construct it does not
know, or anything fails (another version of `regex` may parse differently), it
claims nothing and the rule runs on every line, as it always did; without
`regex`'s parser at all (`cleaner.compat.parse_regex`), so does every rule.
Texts and literals are compared in the form `fold` gives them; a
case-insensitive character of a pattern stands for the folds of every character
`regex` takes for it, so the comparison is never stricter than the pattern.

The modules, in the order a pattern goes through them:

- `cleaner.prefilter.folding`: `fold`, the form texts are compared in;
- `cleaner.patterntree`: the nodes of a pattern's syntax tree, as read;
- `cleaner.prefilter.literals`: what texts a match must begin with and contain,
  read from the pattern's syntax tree;
- `cleaner.prefilter.conditions`: `Gate`, `Alternative`, `Echo`, `Within`: what
  a line must satisfy, as data;
- `cleaner.prefilter.gates`: `gate`, a pattern's `Gate`;
- `cleaner.prefilter.checks`: those conditions as checks of a line, each made one
  function (`checks.fast`), and the literals to look for first (`key_literals`);
- `cleaner.prefilter.table`: `GateTable`, the gates of a rule set checking the
  lines of a document at once.
"""

from ..compat import parse_regex as parse
from .checks import COMMON_WORDS, key_literals
from .conditions import ANY, Alternative, Echo, Gate, Within
from .folding import fold
from .gates import gate
from .literals import ALTERNATIVE_LIMIT, CLASS_LIMIT, EXACT_LIMIT, START_CHARS, START_LIMIT
from .table import GateTable

__all__ = [
    "ALTERNATIVE_LIMIT", "ANY", "CLASS_LIMIT", "COMMON_WORDS", "EXACT_LIMIT", "START_CHARS", "START_LIMIT",
    "Alternative", "Echo", "Gate", "GateTable", "Within", "fold", "gate", "key_literals", "parse",
]
