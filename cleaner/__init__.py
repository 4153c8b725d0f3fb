"""cleaner: scraped news and web text in, clean structured documents out.

>>> from cleaner import clean_text
>>> doc = clean_text("Leave a Reply\\n\\nThe council met on Friday and voted to close the old bridge for repairs.")
>>> doc.body, [s.rule for s in doc.removed]
('The council met on Friday and voted to close the old bridge for repairs.', ['C104'])

The public API, all importable from ``cleaner``:

- `clean_text`, `clean_bytes`, `clean_html`: clean one text, one input's bytes
  (any encoding, gzip too), or one web page, and get its `Document`.
- `Cleaner`: the rules (shipped, plus your folders) and a `Config`, loaded once,
  then any number of documents cleaned with its methods of the same names.
- `run`: what the ``clean`` command does: files, folders, globs or stdin into a
  JSON tree, JSONL or Parquet; returns the run's `Stats`.
- `load_rules`, `RuleSet`, `Rule`, `RuleFileError`: the rules themselves.
- `Document` and its records `Span`, `Embed`, `Repair`, `Line`; `Failure`, an
  input that gave no document; `OutputError`, an output that cannot be written.

Detectors and stages of your own, and installed plugins: `cleaner.plugins`.
"""

from .config import Config
from .document import Document, Embed, Line, Repair, Span
from .outputs import OutputError
from .pipeline import STAGES, Cleaner, clean_bytes, clean_html, clean_text
from .records import Failure, Stats
from .ruleload import RuleFileError, load_rules
from .ruleset import Rule, RuleSet
from .runner import run

__all__ = [
    "STAGES", "Cleaner", "Config", "Document", "Embed", "Failure", "Line", "OutputError", "Repair", "Rule",
    "RuleFileError", "RuleSet", "Span", "Stats", "clean_bytes", "clean_html", "clean_text", "load_rules", "run",
]
__version__ = "0.1.0"
