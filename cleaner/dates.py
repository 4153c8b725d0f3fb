"""Dates found in text, written as ISO 8601.

`to_iso` keeps what the text gives: a day (``2020-01-03``), a time when there is
one (``2020-01-03T10:32:00``) and the offset when there is one
(``2020-01-03T10:32:00-05:00``). It never invents: a text without a year, a
month and a day ("Updated 2 hours ago", "Friday") gives ``None``, and so does a date
outside the years 1900–2200 (`YEARS`: a placeholder such as ``0001-01-01``).
"""

from __future__ import annotations

import warnings
from datetime import datetime
from functools import cache

import regex
from dateutil import parser as dateparser
from dateutil.tz import tzoffset

ISO = regex.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
# Zone abbreviations that mean one offset only. dateutil knows none on its own;
# ambiguous ones (IST: India, Ireland or Israel) are left out, giving a time without offset.
TZINFOS = {
    name: tzoffset(name, hours * 3600)
    for name, hours in {
        "UTC": 0, "GMT": 0, "Z": 0,
        "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
        "ET": -5, "CT": -6, "MT": -7, "PT": -8,
        "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
        "JST": 9, "AEST": 10, "AEDT": 11,
    }.items()
}
# Two defaults that differ in every field: a field that comes out different
# under the two was not in the text.
_DEFAULT_A = datetime(1, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2, 2, 2, 1, 1, 1)


#: The years a date may have: outside them it is a placeholder a system wrote for "no
#: date" ("0001-01-01T00:00:00Z", a CMS's default), or a misreading.
YEARS = (1900, 2200)
TIME = regex.compile(r"\b\d{1,2}[:h.]\d{2}\b")
#: A day, a month and a year written with dots ("06.03.2026", "05.08.24"): the order of every
#: place that writes dates so (Germany, the Nordic countries, Central and Eastern
#: Europe, Turkey), read day first unless the first number cannot be a day's month.
DOTTED = regex.compile(r"(?<![\d.])\d{1,2}\.\x20?\d{1,2}\.\x20?(?:\d{4}|\d{2})\b")
#: A day and a month written with slashes before the year ("06/01/2026"): the day comes
#: first in every language but English, where the United States write the month first.
SLASHED = regex.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}\b")
#: A date in the characters of Chinese and Japanese, with its weekday and time when they
#: follow: "2025年1月13日（月） 21時37分", "2024年04月24日23:52".
CJK_DATE = regex.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
                         r"(?:\s*[（(][^）)\d]{1,3}[）)])?(?:\s*(?P<H>\d{1,2})\s*(?:時|点|:)\s*(?P<M>\d{2}))?")
DATEPARSER_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"]}
#: The languages whose dates the rules find (the date lines of ``rules/metadata.toml``):
#: dateparser reads a date in these only. Searching all of its 200 locales took
#: seconds on the first date and 10 ms on each date after it.
DATE_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "da", "nb", "sv")


def to_iso(value: str, lang: str | None = None) -> str | None:
    """``"January 3, 2020"`` -> ``"2020-01-03"``; ``None`` when no full date is there.

    English dates are read by dateutil; others ("22. März 2024", "mardi 3 mars 2026
    à 09:15") by dateparser, absolute dates in `DATE_LANGUAGES` only, and Chinese and
    Japanese ones ("2025年1月13日") as they are written. ``lang``, the text's language
    (BCP 47), tells the order of a date written with slashes (`SLASHED`): day first but
    in English (or when it is not known), as with dots (`DOTTED`) everywhere; in English,
    a date that reads both ways ("06/01/2026") is no date.

    >>> to_iso("Published 3:42 PM EST, Fri January 3, 2020"), to_iso("April 25, 2023 2:26 PM GMT+2")
    ('2020-01-03T15:42:00-05:00', '2023-04-25T14:26:00+02:00')
    >>> to_iso("segunda-feira, 22 de janeiro de 2018")
    '2018-01-22'
    >>> to_iso("Freitag, 06.03.2026, 19:25"), to_iso("Publisert: 05.08.24 kl. 14:47", "nb")
    ('2026-03-06T19:25:00', '2024-08-05T14:47:00')
    >>> to_iso("06/01/2026 - 14:02", "fr"), to_iso("06/01/2026", "en"), to_iso("06/13/2026", "en")
    ('2026-01-06T14:02:00', None, '2026-06-13')
    >>> to_iso("2025年1月13日 21時37分")
    '2025-01-13T21:37:00'
    """
    m = ISO.search(value) or CJK_DATE.search(value)
    if m:
        return _from_iso(m) if YEARS[0] <= int(m["y"]) <= YEARS[1] else None
    slashed = SLASHED.search(value)
    dayfirst = DOTTED.search(value) is not None or bool(slashed and lang and not lang.startswith("en"))
    if slashed and not dayfirst and _either_way(slashed.group()):
        return None  # "06/01/2026" in English: 6 January in London, June 1 in New York
    return _english(value, dayfirst=dayfirst) or _any_language(value)


def _either_way(slashed: str) -> bool:
    """Can a date written with slashes be read both ways: two different numbers, each of
    which could be the month?"""
    a, b, _ = (int(n) for n in slashed.split("/"))
    return a != b and a <= 12 and b <= 12


@cache
def _date_parser():
    """dateparser, made once: its languages (`DATE_LANGUAGES`) in its own order of preference."""
    from dateparser.date import DateDataParser

    return DateDataParser(languages=list(DATE_LANGUAGES), settings=DATEPARSER_SETTINGS)


def _any_language(value: str) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = _date_parser().get_date_data(value)["date_obj"]
    if found is None or not YEARS[0] <= found.year <= YEARS[1]:
        return None
    if not TIME.search(value):
        return found.date().isoformat()
    return found.isoformat(timespec="seconds")


#: A zone written as its offset from GMT or UTC ("GMT+2", "UTC-05:30"), which dateutil
#: reads the POSIX way round (GMT+2 as two hours behind): written as the offset itself.
GMT_OFFSET = regex.compile(r"\b(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?\b")


def _english(value: str, dayfirst: bool = False) -> str | None:
    value = GMT_OFFSET.sub(lambda m: f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}", value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = dateparser.parse(value, default=_DEFAULT_A, fuzzy=True, tzinfos=TZINFOS, dayfirst=dayfirst)
            b = dateparser.parse(value, default=_DEFAULT_B, fuzzy=True, tzinfos=TZINFOS, dayfirst=dayfirst)
    except (ValueError, OverflowError, TypeError):
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day) or not YEARS[0] <= a.year <= YEARS[1]:
        return None
    if (a.hour, a.minute) != (b.hour, b.minute):
        return a.date().isoformat()
    out = a.isoformat(timespec="seconds")
    return out


def _from_iso(m) -> str | None:
    """The date of an `ISO` or `CJK_DATE` match, written as ISO 8601."""
    fields = m.groupdict()
    if not (1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31):
        return None
    day = f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}"
    if not m["H"]:
        return day
    out = f"{day}T{int(m['H']):02d}:{m['M']}:{fields.get('S') or '00'}"
    tz = fields.get("tz")
    if tz == "Z":
        return out + "+00:00"
    if tz:
        return out + (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
    return out
