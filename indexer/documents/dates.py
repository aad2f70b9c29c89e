"""Publication dates and mentioned dates in English and Russian article text.

The common path is compiled regexes with our own month tables; dateparser is only a
lazy fallback for short header lines that look like dates but match no pattern.
Only full dates (day, month and year) are returned: a year is never guessed.

Ambiguous numeric dates: "2015-11-10" / "2015/11/10" / "2015.11.10" are year-first
(ISO order); "10.11.2015" and "10-11-2015" are day-first (European and Russian use);
"11/10/2015" is month-first (US use). Either order falls back to the other one when
the preferred reading is impossible ("25/12/2015" has no month 25).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

MIN_YEAR, MAX_YEAR = 1800, 2100
# dateparser costs ~5 ms a line: only short lines, and one per header at most, so a
# header without any regex date costs at most one call.
FALLBACK_MAX_LEN, FALLBACK_MAX_LINES = 60, 1
# A header line dates the article when the date is nearly all it says, or opens it as a dateline.
_DATE_LINE_WORDS, _DATELINE_CHARS = 4, 80

# The one month table: (English, Russian nominative, Russian genitive) for months 1..12.
MONTH_NAMES = (
    ("january", "январь", "января"),
    ("february", "февраль", "февраля"),
    ("march", "март", "марта"),
    ("april", "апрель", "апреля"),
    ("may", "май", "мая"),
    ("june", "июнь", "июня"),
    ("july", "июль", "июля"),
    ("august", "август", "августа"),
    ("september", "сентябрь", "сентября"),
    ("october", "октябрь", "октября"),
    ("november", "ноябрь", "ноября"),
    ("december", "декабрь", "декабря"),
)
_EXTRA = {"sept": 9, "февр": 2, "сент": 9, "нояб": 11}


def _month_table() -> dict[str, int]:
    """Lower-case month word -> month number, full names and 3-letter abbreviations."""
    table = dict(_EXTRA)
    for number, names in enumerate(MONTH_NAMES, start=1):
        for name in names:
            table[name] = number
            table.setdefault(name[:3], number)
    return table


MONTHS = _month_table()
# Longest first, so "march" wins over "mar" before the word boundary is checked.
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th|-?го)?"  # 18th, 10-го
_YEAR = r"(?P<{}>\d{{4}})(?!\d)"

DATE_RE = re.compile(
    "|".join(
        [
            # 2015-11-10, 2015/11/10, 2015.11.10, 2015-11-10T12:00
            r"(?<![\d./-])(?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)" + r"(?P<id>\d{1,2})(?!\d|[./-]\d)",
            # 10.11.2015, 10-11-2015, 11/10/2015
            r"(?<![\d./-])(?P<na>\d{1,2})(?P<nsep>[-/.])(?P<nb>\d{1,2})(?P=nsep)" + _YEAR.format("ny") + r"(?![./-]\d)",
            # 10 November 2015, 18th of April, 2017, 26-FEB-1987, 22-23 October 2015, 10 ноября 2015 г.
            rf"(?<!\d)(?P<dd>\d{{1,2}}){_ORD}(?:\s*[-–—]\s*\d{{1,2}}{_ORD})?(?:\s+of)?[\s/.-]+"
            rf"(?P<dm>{_MONTH})\b\.?[\s/.,-]+" + _YEAR.format("dy"),
            # November 10, 2015, Nov. 10th 2015, October 22–23, 2015
            rf"\b(?P<mm>{_MONTH})\b\.?\s+(?P<md>\d{{1,2}}){_ORD}(?!\d)"
            rf"(?:\s*[-–—]\s*\d{{1,2}}{_ORD})?,?\s+" + _YEAR.format("my"),
        ]
    ),
    re.IGNORECASE,
)
# Every full date holds a year; a window this wide around it holds the whole date.
_YEAR_HINT_RE = re.compile(r"(?:1[89]\d\d|20\d\d|2100)(?!\d)")
_BEFORE, _AFTER = 64, 12
# A line worth handing to dateparser holds a year, a day number, and a month word or a
# numeric date shape; "in March 1987" has no day and would only cost dateparser time.
_DATEISH_RE = re.compile(rf"\b(?:{_MONTH})\b|\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")
_DAY_RE = re.compile(r"(?<!\d)\d{1,2}(?!\d)")

_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DAY_OF_MONTH": "first",
}


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    """A valid date within MIN_YEAR..MAX_YEAR, or None (Feb 30, month 13, year 3000)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _numeric_date(a: int, b: int, year: int, sep: str) -> datetime.date | None:
    """Day-first for dots and hyphens, month-first for slashes; the other order if invalid."""
    first, second = ((b, a), (a, b)) if sep == "/" else ((a, b), (b, a))
    return _make_date(year, first[1], first[0]) or _make_date(year, second[1], second[0])


def _match_date(m: re.Match[str]) -> datetime.date | None:
    """The date one DATE_RE match stands for, or None if it is impossible."""
    g = m.groupdict()
    if g["iy"]:
        return _make_date(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["ny"]:
        return _numeric_date(int(g["na"]), int(g["nb"]), int(g["ny"]), g["nsep"])
    if g["dy"]:
        return _make_date(int(g["dy"]), MONTHS[g["dm"].lower()], int(g["dd"]))
    return _make_date(int(g["my"]), MONTHS[g["mm"].lower()], int(g["md"]))


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """Merged (start, stop) stretches around each year: the only places a full date can be."""
    start = stop = -1
    for m in _YEAR_HINT_RE.finditer(text):
        lo, hi = max(m.start() - _BEFORE, 0), min(m.end() + _AFTER, len(text))
        if lo > stop:
            if stop >= 0:
                yield start, stop
            start = lo
        stop = hi
    if stop >= 0:
        yield start, stop


def _iter_dates(text: str) -> Iterator[datetime.date]:
    """Every valid full date the regexes find, in text order (duplicates kept)."""
    # DATE_RE costs ~0.3 us a character; a plain year scan is ~15x cheaper, so DATE_RE
    # only runs near years. Lookbehinds still see the text before a window's start; only
    # a date spread over more than _BEFORE characters (runs of spaces) would be missed.
    for start, stop in _windows(text):
        for m in DATE_RE.finditer(text, start, stop):
            date = _match_date(m)
            if date is not None:
                yield date


def mentioned_dates(text: str) -> list[datetime.date]:
    """Every full date (day, month and year) mentioned in the text, normalised, in order of first mention, deduplicated."""
    return list(dict.fromkeys(_iter_dates(text)))


def _worth_dateparser(line: str) -> bool:
    """A short line with a written year, a day number and a month word or date shape."""
    return (
        len(line) <= FALLBACK_MAX_LEN
        and len(line.split()) <= 2 * _DATE_LINE_WORDS
        and _YEAR_RE.search(line) is not None
        and _DAY_RE.search(line) is not None
        and _DATEISH_RE.search(line) is not None
    )


def _dateparser_date(line: str) -> datetime.date | None:
    """dateparser's first full date in the line whose year is written in it."""
    # Imported here: the import alone takes ~130 ms and most runs never get this far.
    from dateparser.search import search_dates

    found = search_dates(line, languages=["en", "ru"], settings=_DATEPARSER_SETTINGS)
    for substring, moment in found or []:
        # Never let dateparser invent a year: it must be written in the matched text.
        if str(moment.year) in _YEAR_RE.findall(substring):
            return _make_date(moment.year, moment.month, moment.day)
    return None


def _header_date(line: str) -> datetime.date | None:
    """The date of a date line ("Tuesday, April 18th, 2017") or of a dateline opening a paragraph
    ("Joao Pessoa, November 10, 2015. — ..."); a date inside a sentence dates no article."""
    for m in DATE_RE.finditer(line, 0, min(len(line), _DATELINE_CHARS)):
        date = _match_date(m)
        if date is None:
            continue
        before, after = line[: m.start()], line[m.end() :]
        if len(before.split()) + len(after.split()) <= _DATE_LINE_WORDS:
            return date  # the date is nearly all the line says
        if not before.strip() or (before.rstrip().endswith(",") and not any(w[0].islower() for w in before.split())):
            return date  # "WASHINGTON, March 3, 1987 - ...": a place and a comma before it, or nothing
        return None
    return None


def publication_date(header: str) -> datetime.date | None:
    """The article's publication date, from its header area (title, date line, dateline: the first ~400 characters, passed in by the caller).

    The first non-empty line is the title and is skipped unless no later line gives
    a date: titles often carry dates that are not the publication date ("2017-03-23
    (3)" for a post published on April 18th, 2017). Otherwise the first date in the
    remaining lines wins, so the date line beats dates in the body's first sentences.
    """
    lines = [line.strip() for line in header.splitlines() if line.strip()]
    fallbacks = FALLBACK_MAX_LINES
    for line in lines[1:] + lines[:1]:
        date = _header_date(line)
        if date is None and fallbacks and _worth_dateparser(line) and not DATE_RE.search(line):
            fallbacks -= 1
            date = _dateparser_date(line)
        if date is not None:
            return date
    return None
