"""Parse MRZ lines into typed fields and check-digit results.

Field positions come from :mod:`docfraud.mrz.spec` (Doc 9303 Parts 4-7); check digits follow
Part 3, 4.9; dates are YYMMDD (Part 3, 4.8) and unknown birth-date parts are fillers; names are
primary and secondary identifiers separated by ``<<`` (Part 3, 4.6).

Parsing never repairs anything (see :mod:`docfraud.mrz.clean`) and never raises: whatever is
wrong with the text is reported in ``checks`` and ``problems``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from docfraud.mrz.checksum import compute_check_digit
from docfraud.mrz.spec import (
    LAYOUTS,
    MRZ_CHARS,
    CheckSpan,
    MrzFormat,
    check_spans,
    detect_format,
    long_number_run,
)

DateKind = Literal["birth", "expiry", "issue"]
DocumentKind = Literal["passport", "id_card", "visa", "residence_permit", "unknown"]

EXPIRY_WINDOW_PAST = 50
"""Expiry dates resolve into ``today.year - 50 ... today.year + 49``."""
UNKNOWN_BIRTH_DATE = "unknown (filler)"
"""The problem of a date of birth with fillers where its digits are unknown (Doc 9303-3 §4.8)."""


def resolve_year(
    yy: int,
    kind: DateKind,
    today: date,
    *,
    month_day: tuple[int, int] | None = None,
) -> int:
    """Resolve a two-digit MRZ year to a full year. The one century rule of docfraud.

    - ``birth`` and ``issue``: never in the future. 20yy if that year is not after
      ``today.year``, else 19yy; when ``month_day`` is given and 20yy is this year but the date
      is later than today, 19yy as well. So a birth year always lies in the last 100 years.
    - ``expiry``: the century that puts the year in ``today.year - 50 ... today.year + 49``
      (long-expired documents still read as past, validity up to 49 years ahead).

    Args:
        yy: two-digit year, 0-99.
        kind: which date it is.
        today: the reference date (injected, so results are reproducible).
        month_day: optional (month, day) of the date, to refine birth/issue dates this year.

    Returns:
        Four-digit year.

    Raises:
        ValueError: ``yy`` is outside 0-99.

    >>> today = date(2024, 6, 15)
    >>> resolve_year(24, "birth", today), resolve_year(25, "birth", today)
    (2024, 1925)
    >>> resolve_year(24, "birth", today, month_day=(6, 16))
    1924
    >>> resolve_year(74, "expiry", today), resolve_year(73, "expiry", today)
    (1974, 2073)
    >>> resolve_year(30, "expiry", today)
    2030
    """
    if not 0 <= yy <= 99:
        raise ValueError(f"two-digit year out of range: {yy}")
    if kind == "expiry":
        year = 1900 + yy
        while year < today.year - EXPIRY_WINDOW_PAST:
            year += 100
        return year
    year = 2000 + yy
    if year > today.year:
        return year - 100
    if year == today.year and month_day is not None and month_day > (today.month, today.day):
        return year - 100
    return year


@dataclass(frozen=True, slots=True)
class CheckDigitResult:
    """One check digit as printed and as computed.

    ``valid`` is always ``observed == computed``: where ICAO allows a ``<`` check digit (empty TD3
    personal number) and the field is empty, ``computed`` is ``<`` too. ``computed`` is ``?`` when
    the data holds characters outside the MRZ set.

    Attributes:
        name: ``document_number``, ``birth_date``, ``expiry_date``, ``personal_number`` or
            ``composite``.
        label: human label.
        observed: the check digit as printed.
        computed: the check digit the data gives.
        valid: whether they agree.
        line: 0-based line of the check digit.
        span: (start, end) of the data on ``line`` (a TD1/TD2 long number skips the ``<`` at the
            usual check-digit position; the TD1 composite also covers the upper line).
        position: position of the check digit on ``line``.
    """

    name: str
    label: str
    observed: str
    computed: str
    valid: bool
    line: int
    span: tuple[int, int]
    position: int


@dataclass(frozen=True, slots=True)
class MrzData:
    """The parsed MRZ: typed fields, every check digit and every problem found.

    ``valid`` means: the lines have exactly the format's shape and character set, every check
    digit matches, and both dates parse. Other problems (an odd sex character) are listed in
    ``problems`` without changing ``valid``; content rules (is the country code real?) belong to
    the checks, not the parser.
    """

    format: MrzFormat
    lines: tuple[str, ...]
    document_code: str
    document_kind: DocumentKind
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    sex: str | None
    expiry_date: date | None
    optional_data: str
    optional_data_2: str
    personal_number: str
    checks: tuple[CheckDigitResult, ...]
    valid: bool
    problems: tuple[str, ...]

    def check(self, name: str) -> CheckDigitResult | None:
        """The check called ``name``, or None when the format has none."""
        for result in self.checks:
            if result.name == name:
                return result
        return None

    def to_dict(self) -> dict[str, object]:
        """JSON-safe view: dates as ISO strings, tuples as lists."""
        return {
            "lines": list(self.lines),
            "format": str(self.format),
            "valid": self.valid,
            "fields": {
                "document_code": self.document_code,
                "document_kind": self.document_kind,
                "issuing_state": self.issuing_state,
                "surname": self.surname,
                "given_names": self.given_names,
                "document_number": self.document_number,
                "nationality": self.nationality,
                "birth_date": _iso(self.birth_date),
                "sex": self.sex,
                "expiry_date": _iso(self.expiry_date),
                "optional_data": self.optional_data,
                "optional_data_2": self.optional_data_2,
                "personal_number": self.personal_number,
            },
            "checks": {
                c.name: {"observed": c.observed, "computed": c.computed, "valid": c.valid}
                for c in self.checks
            },
            "problems": list(self.problems),
        }


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def document_kind(code: str) -> DocumentKind:
    """What kind of document a document code designates.

    ``P`` is a passport (Part 4), ``V`` a visa (Part 7), ``I``, ``A`` and ``C`` are official
    travel documents in card or TD2 form (Parts 5 and 6), read as ``id_card`` unless the second
    letter is ``R``: many States use ``IR``/``AR``/``CR`` for residence permits (a national
    convention: ICAO leaves the second letter to the issuer, Part 5 note k).

    Args:
        code: the document code, fillers stripped or not.

    Returns:
        The document kind.

    >>> document_kind("P<"), document_kind("VC"), document_kind("ID"), document_kind("AR")
    ('passport', 'visa', 'id_card', 'residence_permit')
    >>> document_kind("X")
    'unknown'
    """
    first = code[:1]
    if first == "P":
        return "passport"
    if first == "V":
        return "visa"
    if first in ("I", "A", "C"):
        return "residence_permit" if code[1:2] == "R" else "id_card"
    return "unknown"


def split_name(field: str) -> tuple[str, str]:
    """Split an MRZ name field into (surname, given names), ``<`` becoming spaces.

    >>> split_name("ERIKSSON<<ANNA<MARIA<<<<<<<<")
    ('ERIKSSON', 'ANNA MARIA')
    >>> split_name("ARKFREITH<<<<<<<")
    ('ARKFREITH', '')
    """
    primary, _, secondary = field.rstrip("<").partition("<<")
    return _spaced(primary), _spaced(secondary)


def _spaced(part: str) -> str:
    return re.sub("<+", " ", part).strip()


def _parse_date(
    text: str, name: str, kind: DateKind, today: date
) -> tuple[date | None, str | None]:
    """YYMMDD to a date, or None with the problem."""
    if "<" in text and kind == "birth" and all(c in "0123456789<" for c in text):
        return None, f"{name}: {UNKNOWN_BIRTH_DATE}"
    if len(text) != 6 or not text.isascii() or not text.isdigit():
        return None, f"{name}: not a date"
    yy, month, day = int(text[:2]), int(text[2:4]), int(text[4:])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None, f"{name}: not a date"
    year = resolve_year(yy, kind, today, month_day=(month, day))
    try:
        return date(year, month, day), None
    except ValueError:
        return None, f"{name}: not a date"


def _evaluate(lines: Sequence[str], span: CheckSpan) -> CheckDigitResult:
    data = "".join(lines[ln][p] for ln, p in span.cells)
    observed = lines[span.line][span.position]
    if any(c not in MRZ_CHARS for c in data):
        computed = "?"
    elif span.filler_allowed and observed == "<" and set(data) <= {"<"}:
        computed = "<"
    else:
        computed = compute_check_digit(data)
    return CheckDigitResult(
        name=span.name,
        label=span.label,
        observed=observed,
        computed=computed,
        valid=observed == computed,
        line=span.line,
        span=span.span,
        position=span.position,
    )


_SEX = {"M": "M", "F": "F", "X": "X", "<": "X"}


def parse_mrz(
    lines: Sequence[str], today: date | None = None, *, fmt: MrzFormat | None = None
) -> MrzData | None:
    """Parse MRZ lines. Never raises; everything wrong is reported in the result.

    Whitespace inside lines and blank lines are dropped; nothing else is changed. Lines a
    character or two off length are padded with ``<`` or cut for reading, with a problem entry
    (and ``valid`` False).

    Args:
        lines: the MRZ lines, top to bottom.
        today: reference date for the century rule (:func:`resolve_year`); default today.
        fmt: force a format instead of detecting it (the line count must still match).

    Returns:
        The parsed data, or None when no format fits.

    >>> mrz = parse_mrz(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    ...                  "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=date(2024, 1, 1))
    >>> mrz.surname, mrz.given_names, mrz.document_number, mrz.birth_date, mrz.valid
    ('ERIKSSON', 'ANNA MARIA', 'L898902C3', datetime.date(1974, 8, 12), True)
    >>> mrz.expiry_date
    datetime.date(2012, 4, 15)
    """
    rows = tuple(r for r in ("".join(line.split()) for line in lines) if r)
    if fmt is None:
        fmt = detect_format(rows)
        if fmt is None:
            return None
    layout = LAYOUTS[fmt]
    if len(rows) != layout.line_count:
        return None
    today = today or date.today()
    problems: list[str] = []
    shape_ok = True
    padded: list[str] = []
    for i, row in enumerate(rows):
        if len(row) != layout.line_length:
            shape_ok = False
            problems.append(f"line {i + 1}: {len(row)} characters, expected {layout.line_length}")
        bad = sum(1 for c in row if c not in MRZ_CHARS)
        if bad:
            shape_ok = False
            problems.append(f"line {i + 1}: {bad} character(s) outside the MRZ set")
        padded.append(row[: layout.line_length].ljust(layout.line_length, "<"))

    def field(name: str) -> str:
        if not layout.has_field(name):
            return ""
        spec = layout.field(name)
        return padded[spec.line][spec.start : spec.end]

    checks = tuple(_evaluate(padded, span) for span in check_spans(padded, fmt))

    number = field("document_number")
    optional = field("optional_data")
    run = long_number_run(padded, fmt)
    if run is not None and layout.long_number_field is not None:
        overflow = layout.field(layout.long_number_field)
        start, end = run
        number += padded[overflow.line][start : end - 1]
        optional = padded[overflow.line][end : overflow.end]

    code = field("document_code").rstrip("<")
    surname, given = split_name(field("name"))

    birth, problem = _parse_date(field("birth_date"), "birth_date", "birth", today)
    if problem:
        problems.append(problem)
    expiry, problem = _parse_date(field("expiry_date"), "expiry_date", "expiry", today)
    if problem:
        problems.append(problem)

    sex_char = field("sex")
    sex = _SEX.get(sex_char)
    if sex is None:
        problems.append(f"sex: {sex_char!r} is not M, F, X or <")

    valid = shape_ok and all(c.valid for c in checks) and birth is not None and expiry is not None
    return MrzData(
        format=fmt,
        lines=rows,
        document_code=code,
        document_kind=document_kind(code),
        issuing_state=field("issuing_state").replace("<", ""),
        surname=surname,
        given_names=given,
        document_number=number.replace("<", ""),
        nationality=field("nationality").replace("<", ""),
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        optional_data=optional.strip("<"),
        optional_data_2=field("optional_data_2").strip("<"),
        personal_number=field("personal_number").strip("<"),
        checks=checks,
        valid=valid,
        problems=tuple(problems),
    )
