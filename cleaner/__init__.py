"""cleaner: scraped news and web text in, clean structured documents out.

>>> from cleaner import clean_text
>>> doc = clean_text("Leave a Reply\\n\\nThe council met on Friday and voted to close the old bridge for repairs.")
>>> doc.body, [s.rule for s in doc.removed]
('The council met on Friday and voted to close the old bridge for repairs.', ['C104'])

The pieces: `Document` (what stages take and return), `Config` (how to clean),
`load_rules` (the rules in force), `Cleaner` (both, loaded once), and
`cleaner.batch.run` (what the ``clean`` command does to files).
"""

from .config import Config
from .document import Document, Embed, Line, Repair, Span
from .pipeline import STAGES, Cleaner, clean_bytes, clean_text
from .rules import Rule, RuleFileError, RuleSet, load_rules

__all__ = [
    "STAGES", "Cleaner", "Config", "Document", "Embed", "Line", "Repair", "Rule", "RuleFileError",
    "RuleSet", "Span", "clean_bytes", "clean_text", "load_rules",
]
__version__ = "0.1.0"
