"""Sizes as people write them on a command line: ``300M``, ``1.5GB``, ``64KiB``.

As GNU tools read them (``split -b``, ``sort -S``): a bare ``K``, ``M``, ``G``, ``T``
and the ``KiB`` forms count in powers of 1,024; ``KB``, ``MB``, ``GB``, ``TB`` in
powers of 1,000; no unit (or ``B``) is bytes.

>>> parse_size("300M"), parse_size("1.5 GB"), parse_size("64KiB"), parse_size("4096")
(314572800, 1500000000, 65536, 4096)
>>> format_size(256 * 1024 * 1024), format_size(1000), format_size(1536)
('256MiB', '1000', '1536')
"""

from __future__ import annotations

import re

_UNITS = {"": 1, "b": 1}
for _i, _letter in enumerate("kmgt", 1):
    _UNITS[_letter] = _UNITS[_letter + "ib"] = 1024 ** _i
    _UNITS[_letter + "b"] = 1000 ** _i
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", re.IGNORECASE)


def parse_size(text: str | int) -> int:
    """Bytes, from a number with an optional unit; raises ``ValueError`` with what to write."""
    if isinstance(text, int):
        return text
    m = _SIZE.fullmatch(text)
    unit = m.group(2).lower() if m else None
    if m is None or unit not in _UNITS:
        raise ValueError(f"{text!r} is not a size: write bytes, or a number with K, M, G or T "
                         "(powers of 1,024; KB, MB, GB for powers of 1,000), as in 300M")
    return int(float(m.group(1)) * _UNITS[unit])


def format_size(n: int) -> str:
    """The shortest exact way of writing ``n`` bytes that `parse_size` reads back."""
    for unit in ("TiB", "GiB", "MiB", "KiB"):
        factor = _UNITS[unit.lower()]
        if n >= factor and n % factor == 0:
            return f"{n // factor}{unit}"
    return str(n)
