"""The one form in which line texts and pattern literals are compared (`fold`)."""

from __future__ import annotations

from ..compat import case_variants


def _ascii_kin() -> dict[str, str]:
    """The characters beyond ASCII that `regex` takes, ignoring case, for an ASCII letter
    (the Kelvin sign for ``k``, the long s, the dotted and dotless i), and that letter."""
    kin = {}
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for code in case_variants(ord(letter)):
            if code >= 0x80:
                kin[chr(code)] = letter.lower()
    return kin


_ASCII_KIN = _ascii_kin()


def fold(text: str) -> str:
    """The form in which line texts and pattern literals are compared: ASCII letters in
    lower case, and the few other characters `regex` takes for one of them made that
    letter; every other character as it is.

    It maps each character on its own (so the fold of a piece of a line is a piece
    of the fold of the line), keeps white space where it is, and leaves no
    character out. A pattern's case-insensitive character is expanded to the folds
    of all the characters `regex` takes for it (`cleaner.prefilter.literals.variants`):
    "é" to "é" and "É".

    >>> fold("İNDEPENDENT Kelvin Straße")
    'independent kelvin straße'
    """
    if text.isascii():
        return text.lower()
    folded = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    for char, letter in _ASCII_KIN.items():
        if char in folded:
            folded = folded.replace(char, letter)
    return folded
