"""Printed dates on travel documents and letters, with OCR noise.

Formats: ``12.08.1974``, ``12/08/1974``, ``12-08-1974``, ``12 08 1974``, ``1974-08-12``,
``12 AUG 1974``, ``12 AUG 74``, bilingual passport months (``12 AUG/AOÛT 1974``), ``12. August
1974``, ``12 de agosto de 1974``, ``1er mars 2026`` and ``June 23, 2014``.

Month names (:data:`MONTH_NAMES`) cover English, French, German, Spanish, Italian, Portuguese,
Dutch, Swedish, Norwegian, Danish, Polish (nominative and genitive), Czech (nominative and
genitive) and Turkish, matched case- and accent-insensitively because OCR drops accents.

In digit positions the usual OCR confusions are read as digits (O/Q/D→0, I/l/|→1, Z→2, S→5,
G→6, B→8), but every number keeps at least one real digit, so words never become dates.
Numeric day/month order is day first (ICAO and European order), unless only month first gives a
valid date or ``expect`` confirms it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

MONTH_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "en": (
            "JANUARY JAN",
            "FEBRUARY FEB",
            "MARCH MAR",
            "APRIL APR",
            "MAY",
            "JUNE JUN",
            "JULY JUL",
            "AUGUST AUG",
            "SEPTEMBER SEPT SEP",
            "OCTOBER OCT",
            "NOVEMBER NOV",
            "DECEMBER DEC",
        ),
        "fr": (
            "JANVIER JANV",
            "FÉVRIER FÉVR FÉV",
            "MARS",
            "AVRIL AVR",
            "MAI",
            "JUIN",
            "JUILLET JUIL",
            "AOÛT",
            "SEPTEMBRE SEPT",
            "OCTOBRE OCT",
            "NOVEMBRE NOV",
            "DÉCEMBRE DÉC",
        ),
        "de": (
            "JANUAR JÄNNER JAN",
            "FEBRUAR FEB",
            "MÄRZ MAERZ MÄR",
            "APRIL APR",
            "MAI",
            "JUNI JUN",
            "JULI JUL",
            "AUGUST AUG",
            "SEPTEMBER SEPT SEP",
            "OKTOBER OKT",
            "NOVEMBER NOV",
            "DEZEMBER DEZ",
        ),
        "es": (
            "ENERO ENE",
            "FEBRERO FEB",
            "MARZO MAR",
            "ABRIL ABR",
            "MAYO MAY",
            "JUNIO JUN",
            "JULIO JUL",
            "AGOSTO AGO",
            "SEPTIEMBRE SETIEMBRE SEPT SEP SET",
            "OCTUBRE OCT",
            "NOVIEMBRE NOV",
            "DICIEMBRE DIC",
        ),
        "it": (
            "GENNAIO GEN",
            "FEBBRAIO FEB",
            "MARZO MAR",
            "APRILE APR",
            "MAGGIO MAG",
            "GIUGNO GIU",
            "LUGLIO LUG",
            "AGOSTO AGO",
            "SETTEMBRE SET",
            "OTTOBRE OTT",
            "NOVEMBRE NOV",
            "DICEMBRE DIC",
        ),
        "pt": (
            "JANEIRO JAN",
            "FEVEREIRO FEV",
            "MARÇO MAR",
            "ABRIL ABR",
            "MAIO MAI",
            "JUNHO JUN",
            "JULHO JUL",
            "AGOSTO AGO",
            "SETEMBRO SET",
            "OUTUBRO OUT",
            "NOVEMBRO NOV",
            "DEZEMBRO DEZ",
        ),
        "nl": (
            "JANUARI JAN",
            "FEBRUARI FEB",
            "MAART MRT",
            "APRIL APR",
            "MEI",
            "JUNI JUN",
            "JULI JUL",
            "AUGUSTUS AUG",
            "SEPTEMBER SEPT SEP",
            "OKTOBER OKT",
            "NOVEMBER NOV",
            "DECEMBER DEC",
        ),
        "sv": (
            "JANUARI JAN",
            "FEBRUARI FEB",
            "MARS MAR",
            "APRIL APR",
            "MAJ",
            "JUNI JUN",
            "JULI JUL",
            "AUGUSTI AUG",
            "SEPTEMBER SEPT SEP",
            "OKTOBER OKT",
            "NOVEMBER NOV",
            "DECEMBER DEC",
        ),
        "no": (
            "JANUAR JAN",
            "FEBRUAR FEB",
            "MARS MAR",
            "APRIL APR",
            "MAI",
            "JUNI JUN",
            "JULI JUL",
            "AUGUST AUG",
            "SEPTEMBER SEPT SEP",
            "OKTOBER OKT",
            "NOVEMBER NOV",
            "DESEMBER DES",
        ),
        "da": (
            "JANUAR JAN",
            "FEBRUAR FEB",
            "MARTS MAR",
            "APRIL APR",
            "MAJ",
            "JUNI JUN",
            "JULI JUL",
            "AUGUST AUG",
            "SEPTEMBER SEPT SEP",
            "OKTOBER OKT",
            "NOVEMBER NOV",
            "DECEMBER DEC",
        ),
        "pl": (
            "STYCZEŃ STYCZNIA STY",
            "LUTY LUTEGO LUT",
            "MARZEC MARCA MAR",
            "KWIECIEŃ KWIETNIA KWI",
            "MAJ MAJA",
            "CZERWIEC CZERWCA CZE",
            "LIPIEC LIPCA LIP",
            "SIERPIEŃ SIERPNIA SIE",
            "WRZESIEŃ WRZEŚNIA WRZ",
            "PAŹDZIERNIK PAŹDZIERNIKA PAŹ",
            "LISTOPAD LISTOPADA LIS",
            "GRUDZIEŃ GRUDNIA GRU",
        ),
        "cs": (
            "LEDEN LEDNA",
            "ÚNOR ÚNORA",
            "BŘEZEN BŘEZNA",
            "DUBEN DUBNA",
            "KVĚTEN KVĚTNA",
            "ČERVEN ČERVNA",
            "ČERVENEC ČERVENCE",
            "SRPEN SRPNA",
            "ZÁŘÍ",
            "ŘÍJEN ŘÍJNA",
            "LISTOPAD LISTOPADU",
            "PROSINEC PROSINCE",
        ),
        "tr": (
            "OCAK",
            "ŞUBAT",
            "MART",
            "NİSAN",
            "MAYIS",
            "HAZİRAN",
            "TEMMUZ",
            "AĞUSTOS",
            "EYLÜL",
            "EKİM",
            "KASIM",
            "ARALIK",
        ),
    }
)
"""Language code -> twelve entries (January first) of space-separated month spellings.

Full names and the abbreviations printed on documents, written with their accents; lookups fold
case and accents (:func:`fold`), so ``AOUT``, ``août`` and ``AOÛT`` are the same key.
"""

FUTURE_YEARS = 10
"""Without ``expect``, a two-digit year is the latest year with those digits that is at most
this many years after today (``74`` -> 1974, ``30`` -> 2030 in 2026)."""

MIN_YEAR, MAX_YEAR = 1800, 2199
"""Four-digit years outside this range are not dates on a document (a random number)."""

_FOLD_SPECIAL: Mapping[str, str] = MappingProxyType(
    {
        "ß": "SS", "ẞ": "SS", "ı": "I", "ł": "L", "Ł": "L", "ø": "O", "Ø": "O", "æ": "AE",
        "Æ": "AE", "œ": "OE", "Œ": "OE", "đ": "D", "Đ": "D", "º": ".", "ª": ".",
    }
)  # fmt: skip
"""Letters without a Unicode decomposition, and ordinal indicators (``1º``) read as a dot."""

_OCR_DIGITS: Mapping[str, str] = MappingProxyType(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1", "Z": "2", "S": "5",
     "G": "6", "B": "8"}
)  # fmt: skip
"""Characters OCR returns for digits (after :func:`fold`, so ``l``, ``i`` and ``o`` included)."""


def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """Upper-case ``text`` and strip accents, keeping where each output character came from.

    Returns:
        The folded text and, for each of its characters, the index in ``text`` it came from
        (so spans found in the folded text map back to the original).

    >>> fold("Août")[0], fold("Straße")[0]
    ('AOUT', 'STRASSE')
    """
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        out = _FOLD_SPECIAL.get(ch)
        if out is None:
            decomposed = unicodedata.normalize("NFKD", ch)
            out = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
        chars.append(out)
        origin.extend([i] * len(out))
    return "".join(chars), tuple(origin)


def _month_lookup() -> Mapping[str, int]:
    lookup: dict[str, int] = {}
    for language, months in MONTH_NAMES.items():
        for number, spellings in enumerate(months, start=1):
            for spelling in spellings.split():
                key = fold(spelling)[0]
                if lookup.setdefault(key, number) != number:
                    raise ValueError(f"{language} month {key!r} clashes with another language")
    return MappingProxyType(lookup)


MONTHS: Mapping[str, int] = _month_lookup()
"""Folded month spelling (``AOUT``, ``SIERPNIA``) -> month number, built from MONTH_NAMES."""

_D = r"[0-9OQDIL|ZSGB]"
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?![A-Z])\.?"
_MONTHS = rf"(?P<mon>{_MONTH}(?:\s*/\s*{_MONTH}){{0,2}})"
_DAY = rf"(?P<d>{_D}{{1,2}})(?:(?:ER|ST|ND|RD|TH|E)(?![A-Z]))?(?![0-9])"
_YEAR = rf"(?P<y>{_D}{{4}}|{_D}{{2}})(?![A-Z0-9])"
_SEP = r"(?:\s*[./\-]\s*|\s+)"
_START = r"(?<![A-Z0-9])"
_PATTERNS = (
    re.compile(rf"{_START}(?P<a>{_D}{{1,2}})(?P<s1>{_SEP})(?P<b>{_D}{{1,2}})(?P<s2>{_SEP}){_YEAR}"),
    # the second slash of a hand-filled date read as a comma ("16/06, 2026"): a full year only
    re.compile(rf"{_START}(?P<a>{_D}{{1,2}})(?P<s1>\s*[./\-]\s*)(?P<b>{_D}{{1,2}})(?P<s2>\s*,\s*)"
               rf"(?P<y>{_D}{{4}})(?![A-Z0-9])"),
    # the first dot read as a comma, a small face's full stop with a tail ("19,11 2025"): a
    # full year only
    re.compile(rf"{_START}(?P<a>{_D}{{1,2}})(?P<s1>\s*,\s*)(?P<b>{_D}{{1,2}})(?P<s2>{_SEP})"
               rf"(?P<y>{_D}{{4}})(?![A-Z0-9])"),
    re.compile(rf"{_START}(?P<y>{_D}{{4}})\s*(?P<s>[./\-])\s*(?P<m>{_D}{{1,2}})\s*(?P=s)\s*"
               rf"(?P<d>{_D}{{1,2}})(?![A-Z0-9])"),
    re.compile(rf"{_START}{_DAY}\s*\.?\s*(?:DE\s+)?{_MONTHS}\s*,?\s*(?:DE(?:L)?\s+)?{_YEAR}"),
    re.compile(rf"{_START}{_MONTHS}\s*(?<![A-Z0-9]){_DAY}(?:\s*,\s*|\s+){_YEAR}"),
)  # fmt: skip
"""Numeric D M Y (also D/M, YYYY), ISO Y-M-D, day-month-name-year and month-name-day-year
(folded text)."""


@dataclass(frozen=True, slots=True)
class _Found:
    value: date
    start: int
    end: int


def _number(token: str, min_real: int = 1) -> int | None:
    """Digits of ``token`` with OCR confusions undone; None unless ``min_real`` are real digits."""
    if sum(c.isdigit() for c in token) < min_real:
        return None
    return int("".join(_OCR_DIGITS.get(c, c) for c in token))


def _year_value(token: str) -> tuple[int, bool] | None:
    """(year, whether it was two digits), or None for a token that is not a year."""
    value = _number(token, min_real=2 if len(token) == 4 else 1)
    if value is None:
        return None
    if len(token) == 2:
        return value, True
    return (value, False) if MIN_YEAR <= value <= MAX_YEAR else None


def resolve_short_year(
    yy: int, month: int, day: int, *, expect: date | None, today: date
) -> date | None:
    """The date for a two-digit year: closest to ``expect``, else not over 10 years ahead.

    Args:
        yy: two-digit year, 0-99.
        month: 1-12.
        day: 1-31.
        expect: the date the field should hold (from the MRZ), if known.
        today: the reference date.

    Returns:
        The date, or None when day and month are not a valid date in any candidate century.

    >>> resolve_short_year(74, 8, 12, expect=None, today=date(2026, 12, 1))
    datetime.date(1974, 8, 12)
    >>> resolve_short_year(36, 1, 1, expect=None, today=date(2026, 12, 1))
    datetime.date(2036, 1, 1)
    >>> resolve_short_year(30, 1, 1, expect=date(1930, 1, 1), today=date(2026, 12, 1))
    datetime.date(1930, 1, 1)
    """
    if expect is None:
        limit = today.year + FUTURE_YEARS
        return _make_date(limit - (limit - yy) % 100, month, day)
    base = expect.year - expect.year % 100 + yy
    dates = [d for y in (base - 100, base, base + 100) if (d := _make_date(y, month, day))]
    return min(dates, key=lambda d: abs((d - expect).days), default=None)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _build(year_token: str, month: int, day: int, expect: date | None, today: date) -> date | None:
    year = _year_value(year_token)
    if year is None:
        return None
    if year[1]:
        return resolve_short_year(year[0], month, day, expect=expect, today=today)
    return _make_date(year[0], month, day)


def _from_match(m: re.Match[str], expect: date | None, today: date) -> date | None:
    groups = m.groupdict()
    if groups.get("a") is not None:
        first, second = _number(groups["a"]), _number(groups["b"])
        if first is None or second is None:
            return None
        if not (groups["s1"] + groups["s2"]).strip() and len(groups["y"]) != 4:
            return None  # "12 08 74" is too easily three unrelated numbers
        day_first = _build(groups["y"], second, first, expect, today)
        month_first = _build(groups["y"], first, second, expect, today)
        if expect is not None and month_first == expect != day_first:
            return month_first
        return day_first or month_first
    day = _number(groups["d"])
    if day is None:
        return None
    if groups.get("mon") is not None:
        numbers = {MONTHS[w] for w in re.findall(r"[A-Z]+", groups["mon"])}
        if len(numbers) != 1:
            return None  # "AUG/SEPT": two different months
        month: int | None = numbers.pop()
    else:
        month = _number(groups["m"])
    if month is None:
        return None
    return _build(groups["y"], month, day, expect, today)


def _scan(folded: str, expect: date | None, today: date) -> Iterator[_Found]:
    for pattern in _PATTERNS:
        pos = 0
        while m := pattern.search(folded, pos):
            value = _from_match(m, expect, today)
            if value is None:
                pos = m.start() + 1
                continue
            yield _Found(value, m.start(), m.end())
            pos = m.end()


def _pick(found: list[_Found]) -> list[_Found]:
    """Non-overlapping matches, earliest first, the longest where two start together."""
    chosen: list[_Found] = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        if not chosen or f.start >= chosen[-1].end:
            chosen.append(f)
    return chosen


def parse_date(text: str, *, expect: date | None = None) -> date | None:
    """Parse one printed date field; None when the text is not exactly one date.

    Args:
        text: the field as OCR read it; stray spaces and punctuation around it are ignored.
        expect: the date the field should hold (e.g. from the MRZ). It picks the century of a
            two-digit year and confirms a month-first reading; it never makes a non-date parse.

    Returns:
        The date, or None.

    >>> parse_date("12 AUG/AOÛT 1974")
    datetime.date(1974, 8, 12)
    >>> parse_date("I2.O8.1974"), parse_date("31.02.2020"), parse_date("1974")
    (datetime.date(1974, 8, 12), None, None)
    >>> parse_date("03/04/2020"), parse_date("03/04/2020", expect=date(2020, 3, 4))
    (datetime.date(2020, 4, 3), datetime.date(2020, 3, 4))
    >>> parse_date("19,11 2025"), parse_date("19,11.2025"), parse_date("19,11 25")
    (datetime.date(2025, 11, 19), datetime.date(2025, 11, 19), None)
    """
    folded, _ = fold(text)
    found = _pick(list(_scan(folded, expect, date.today())))
    if len(found) != 1:
        return None
    rest = folded[: found[0].start] + folded[found[0].end :]
    if any(c.isalnum() for c in rest):
        return None
    return found[0].value


def find_dates(text: str) -> list[tuple[date, tuple[int, int]]]:
    """Every date in a longer text, in order, with its (start, end) span in ``text``.

    >>> find_dates("Born 12 août 1974, arrived on 3.4.2026.")
    [(datetime.date(1974, 8, 12), (5, 17)), (datetime.date(2026, 4, 3), (30, 38))]
    >>> find_dates("Date: 16/06, 2026"), find_dates("items 16, 06, 2026")
    ([(datetime.date(2026, 6, 16), (6, 17))], [])
    """
    folded, origin = fold(text)
    found = _pick(list(_scan(folded, None, date.today())))
    return [(f.value, (origin[f.start], origin[f.end - 1] + 1)) for f in found]
