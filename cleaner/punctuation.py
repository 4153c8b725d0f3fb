"""The marks that end a sentence, and the quotes and brackets a sentence may end inside,
in every script the shared corpora show: the one table that every test of "does this
line end like a sentence?" reads (`cleaner.text.ends_sentence` for the rules,
`cleaner.page` for whole pages, `cleaner.language` for the sample it detects the
language on).
"""

from __future__ import annotations

#: Full stops, question and exclamation marks, the ellipsis, colon and semicolon; and the
#: full stops of Chinese and Japanese (。！？), Arabic (؟), Devanagari (। ॥) and Ethiopic (።).
SENTENCE_MARKS = ".!?…:;。！？؟।॥።"
#: The closing quotes and brackets after a sentence's mark: English ” ’, German “ (after
#: „) and ‘, French and Danish » « › ‹, Chinese and Japanese 」』）.
CLOSERS = "\"'’”“‘»«›‹)]」』）"


def char_class(chars: str) -> str:
    """A pattern's character class of ``chars``: ``[...]``, each one escaped."""
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"
