"""ICAO Doc 9303 MRZ field tables for TD1, TD2, TD3, MRV-A and MRV-B.

Positions follow the data-structure tables of Doc 9303 (8th ed., 2021):

- TD3 (2 x 44): Part 4, 4.2.2 (upper and lower line) and 4.2.4 (check digits).
- TD1 (3 x 30): Part 5, 4.2.2 and 4.2.4, including note j (long document numbers).
- TD2 (2 x 36): Part 6, 4.2.2 and 4.2.4, including note j (long document numbers).
- MRV-A (2 x 44): Part 7, 4.2.2; MRV-B (2 x 36): Part 7, 7.2.2. Visas have no composite.

The spec numbers positions from 1; everything here is 0-based, and ``start``/``end`` are Python
slice bounds on one line (``line[start:end]``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

MRZ_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
"""The MRZ character set (Doc 9303 Part 3, 4.3 and Figure 4): A-Z, 0-9 and the filler ``<``."""


class MrzFormat(StrEnum):
    """The five MRZ layouts of Doc 9303."""

    TD1 = "TD1"
    TD2 = "TD2"
    TD3 = "TD3"
    MRVA = "MRVA"
    MRVB = "MRVB"


FORMATS_BY_CODE = {
    "P": ("TD3",),
    "V": ("MRVA", "MRVB"),
    "I": ("TD1", "TD2"),
    "A": ("TD1", "TD2"),
    "C": ("TD1", "TD2"),
}
"""MRZ formats each document code is printed in (Doc 9303 Parts 4–7)."""


class CharClass(StrEnum):
    """What a character position may hold."""

    ALPHA = "alpha"
    """A-Z or the filler ``<``."""
    NUMERIC = "numeric"
    """0-9 only."""
    ALNUM = "alnum"
    """A-Z, 0-9 or ``<``."""
    CHECK = "check"
    """A check digit: 0-9, or ``<`` where ICAO allows it (empty optional field, long number)."""
    SEX = "sex"
    """M, F, X or ``<``."""
    FILLER = "filler"
    """Only ``<``."""

    @property
    def code(self) -> str:
        """One-letter code used by :func:`position_classes`."""
        return CLASS_CODES[self]

    @property
    def chars(self) -> str:
        """Every character this class admits, as one string."""
        return CLASS_CHARS[CLASS_CODES[self]]


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"

CLASS_CODES: Mapping[CharClass, str] = MappingProxyType(
    {
        CharClass.ALPHA: "A",
        CharClass.NUMERIC: "N",
        CharClass.ALNUM: "X",
        CharClass.CHECK: "C",
        CharClass.SEX: "S",
        CharClass.FILLER: "F",
    }
)
"""CharClass -> one-letter code."""

CLASS_CHARS: Mapping[str, str] = MappingProxyType(
    {
        "A": _LETTERS + "<",
        "N": _DIGITS,
        "X": _LETTERS + _DIGITS + "<",
        "C": _DIGITS + "<",
        "S": "MFX<",
        "F": "<",
    }
)
"""One-letter class code -> the characters it admits (for constraining OCR per position)."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One MRZ field: where it is and what it may hold.

    Attributes:
        name: snake_case key (``document_number``, ``birth_date`` ...).
        label: human label, as Doc 9303 names the data element.
        line: 0-based line index.
        start: slice start on the line (0-based, inclusive).
        end: slice end on the line (exclusive).
        char_class: what each position of the field may hold.
        check_digit: 0-based position on the same line of the field's check digit, or None.
    """

    name: str
    label: str
    line: int
    start: int
    end: int
    char_class: CharClass
    check_digit: int | None = None

    @property
    def length(self) -> int:
        """Number of character positions."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class CompositeSpec:
    """The composite check digit: where it is and which (line, start, end) ranges it covers."""

    line: int
    position: int
    ranges: tuple[tuple[int, int, int], ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """The full layout of one MRZ format.

    Attributes:
        format: the format.
        line_count: number of lines.
        line_length: characters per line.
        fields: every field, in reading order.
        composite: the composite check digit, or None (visas).
        long_number_field: name of the optional-data field a document number longer than nine
            characters continues into (TD1 and TD2, note j), or None where ICAO has no such rule.
    """

    format: MrzFormat
    line_count: int
    line_length: int
    fields: tuple[FieldSpec, ...]
    composite: CompositeSpec | None
    long_number_field: str | None = None

    def field(self, name: str) -> FieldSpec:
        """The field called ``name``.

        Raises:
            KeyError: no such field in this layout.
        """
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def has_field(self, name: str) -> bool:
        """Whether this layout has a field called ``name``."""
        return any(spec.name == name for spec in self.fields)


_A, _N, _X, _S = CharClass.ALPHA, CharClass.NUMERIC, CharClass.ALNUM, CharClass.SEX
# The document code is alphanumeric: its second character is "at the discretion of the issuing
# State" (Part 5 note k, Part 4 and 6 alike); the US passport card prints "C1".


def _header(name_end: int) -> tuple[FieldSpec, ...]:
    """Upper line of TD2, TD3 and the visas: code, issuing State, name to the end of the line."""
    return (
        FieldSpec("document_code", "Document code", 0, 0, 2, _X),
        FieldSpec("issuing_state", "Issuing State or organization", 0, 2, 5, _A),
        FieldSpec("name", "Name", 0, 5, name_end, _A),
    )


def _lower(expiry_label: str) -> tuple[FieldSpec, ...]:
    """Positions 1-28 of the lower line, shared by TD2, TD3, MRV-A and MRV-B."""
    return (
        FieldSpec("document_number", "Document number", 1, 0, 9, _X, check_digit=9),
        FieldSpec("nationality", "Nationality", 1, 10, 13, _A),
        FieldSpec("birth_date", "Date of birth", 1, 13, 19, _N, check_digit=19),
        FieldSpec("sex", "Sex", 1, 20, 21, _S),
        FieldSpec("expiry_date", expiry_label, 1, 21, 27, _N, check_digit=27),
    )


_TD3 = Layout(
    format=MrzFormat.TD3,
    line_count=2,
    line_length=44,
    fields=(
        *_header(44),
        *_lower("Date of expiry"),
        FieldSpec("personal_number", "Personal number", 1, 28, 42, _X, check_digit=42),
    ),
    # Part 4, 4.2.4: positions 1-10, 14-20, 22-43 of the lower line; check digit at 44.
    composite=CompositeSpec(1, 43, ((1, 0, 10), (1, 13, 20), (1, 21, 43))),
)

_TD2 = Layout(
    format=MrzFormat.TD2,
    line_count=2,
    line_length=36,
    fields=(
        *_header(36),
        *_lower("Date of expiry"),
        FieldSpec("optional_data", "Optional data", 1, 28, 35, _X),
    ),
    # Part 6, 4.2.4: positions 1-10, 14-20, 22-35 of the lower line; check digit at 36.
    composite=CompositeSpec(1, 35, ((1, 0, 10), (1, 13, 20), (1, 21, 35))),
    long_number_field="optional_data",
)

_TD1 = Layout(
    format=MrzFormat.TD1,
    line_count=3,
    line_length=30,
    fields=(
        FieldSpec("document_code", "Document code", 0, 0, 2, _X),
        FieldSpec("issuing_state", "Issuing State or organization", 0, 2, 5, _A),
        FieldSpec("document_number", "Document number", 0, 5, 14, _X, check_digit=14),
        FieldSpec("optional_data", "Optional data", 0, 15, 30, _X),
        FieldSpec("birth_date", "Date of birth", 1, 0, 6, _N, check_digit=6),
        FieldSpec("sex", "Sex", 1, 7, 8, _S),
        FieldSpec("expiry_date", "Date of expiry", 1, 8, 14, _N, check_digit=14),
        FieldSpec("nationality", "Nationality", 1, 15, 18, _A),
        FieldSpec("optional_data_2", "Optional data (middle line)", 1, 18, 29, _X),
        FieldSpec("name", "Name", 2, 0, 30, _A),
    ),
    # Part 5, 4.2.4: upper line 6-30, middle line 1-7, 9-15, 19-29; check digit at middle 30.
    composite=CompositeSpec(1, 29, ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29))),
    long_number_field="optional_data",
)

_MRVA = Layout(
    format=MrzFormat.MRVA,
    line_count=2,
    line_length=44,
    fields=(
        *_header(44),
        *_lower("Valid until"),
        FieldSpec("optional_data", "Optional data", 1, 28, 44, _X),
    ),
    composite=None,
)

_MRVB = Layout(
    format=MrzFormat.MRVB,
    line_count=2,
    line_length=36,
    fields=(
        *_header(36),
        *_lower("Valid until"),
        FieldSpec("optional_data", "Optional data", 1, 28, 36, _X),
    ),
    composite=None,
)

LAYOUTS: Mapping[MrzFormat, Layout] = MappingProxyType(
    {
        MrzFormat.TD1: _TD1,
        MrzFormat.TD2: _TD2,
        MrzFormat.TD3: _TD3,
        MrzFormat.MRVA: _MRVA,
        MrzFormat.MRVB: _MRVB,
    }
)
"""Every format's layout, per Doc 9303 Parts 4-7."""


def position_classes(fmt: MrzFormat) -> tuple[str, ...]:
    """Per-position class codes, one string per line (codes in :data:`CLASS_CHARS`).

    Check-digit and composite positions are ``C``; a position no field covers would be ``F``
    (there is none in the five ICAO layouts).

    Args:
        fmt: the MRZ format.

    Returns:
        One string per line, each ``line_length`` long.

    >>> position_classes(MrzFormat.TD3)[1]
    'XXXXXXXXXCAAANNNNNNCSNNNNNNCXXXXXXXXXXXXXXCC'
    >>> position_classes(MrzFormat.TD1)[1][:15]
    'NNNNNNCSNNNNNNC'
    """
    layout = LAYOUTS[fmt]
    rows = [[CharClass.FILLER.code] * layout.line_length for _ in range(layout.line_count)]
    for spec in layout.fields:
        for pos in range(spec.start, spec.end):
            rows[spec.line][pos] = spec.char_class.code
        if spec.check_digit is not None:
            rows[spec.line][spec.check_digit] = CharClass.CHECK.code
    if layout.composite is not None:
        rows[layout.composite.line][layout.composite.position] = CharClass.CHECK.code
    return tuple("".join(row) for row in rows)


_SHAPES: tuple[tuple[int, int], ...] = ((3, 30), (2, 36), (2, 44))
_LENGTH_TOLERANCE = 2
_MIN_CHARSET_FRACTION = 0.8


def detect_format(lines: Sequence[str]) -> MrzFormat | None:
    """Guess the MRZ format from the line count, line lengths and the first character.

    Whitespace inside lines and blank lines are ignored and case is folded. Each line may be off
    by up to two characters (OCR drops or adds some); the nearest shape wins. A leading ``V``
    makes a two-line MRZ a visa (44: MRV-A, 36: MRV-B, Part 7); otherwise 3 x 30 is TD1, 2 x 36
    TD2 and 2 x 44 TD3. Lines that are mostly outside the MRZ character set are junk.

    Args:
        lines: MRZ lines, top to bottom.

    Returns:
        The format, or None when no shape fits.

    >>> detect_format(["P<UTO" + "<" * 39, "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
    <MrzFormat.TD3: 'TD3'>
    >>> detect_format(["P<UTO" + "<" * 38, "L898902C36UTO7408122F1204159ZE184226B<<<<10"])
    <MrzFormat.TD3: 'TD3'>
    >>> detect_format(["V<UTO" + "<" * 30, "L8988901C4XXX7408122F9612109<<<<<<<<"])
    <MrzFormat.MRVB: 'MRVB'>
    >>> detect_format(["hello", "world"]) is None
    True
    """
    rows = ["".join(str(line).split()).upper() for line in lines]
    rows = [row for row in rows if row]
    if not rows:
        return None
    best: tuple[int, int] | None = None
    best_cost = 0
    for count, length in _SHAPES:
        if len(rows) != count:
            continue
        deviations = [abs(len(row) - length) for row in rows]
        if max(deviations) > _LENGTH_TOLERANCE:
            continue
        cost = sum(deviations)
        if best is None or cost < best_cost:
            best, best_cost = (count, length), cost
    if best is None:
        return None
    total = sum(len(row) for row in rows)
    valid = sum(1 for row in rows for ch in row if ch in MRZ_CHARS)
    if valid < _MIN_CHARSET_FRACTION * total:
        return None
    count, length = best
    if count == 3:
        return MrzFormat.TD1
    is_visa = rows[0][0] == "V"
    if length == 36:
        return MrzFormat.MRVB if is_visa else MrzFormat.TD2
    return MrzFormat.MRVA if is_visa else MrzFormat.TD3


@dataclass(frozen=True, slots=True)
class CheckSpan:
    """The data one check digit covers, resolved against actual lines.

    Attributes:
        name: ``document_number``, ``birth_date``, ``expiry_date``, ``personal_number`` or
            ``composite``.
        label: human label.
        cells: (line, position) of every character in the calculation, in order.
        line: line of the check digit.
        position: position of the check digit on ``line``.
        span: (start, end) on ``line`` of the data that check digit follows; for the composite,
            the checked range on its own line (the TD1 upper-line range is in ``cells``).
        filler_allowed: the check digit may be ``<`` when every data character is ``<``
            (TD3 personal number, Part 4 4.2.2.2).
        long_number: the document number continues into optional data (Part 5/6 note j).
    """

    name: str
    label: str
    cells: tuple[tuple[int, int], ...]
    line: int
    position: int
    span: tuple[int, int]
    filler_allowed: bool = False
    long_number: bool = False


def _at(lines: Sequence[str], line: int, pos: int) -> str:
    """The character at (line, pos), or ``<`` where the line is too short."""
    if line < len(lines) and 0 <= pos < len(lines[line]):
        return lines[line][pos]
    return "<"


def long_number_run(lines: Sequence[str], fmt: MrzFormat) -> tuple[int, int] | None:
    """Where a TD1/TD2 document number longer than nine characters continues.

    Doc 9303 Part 5 and Part 6, note j: the nine principal characters fill the number field, a
    ``<`` stands in the check-digit position, and the rest of the number follows at the start of
    optional data, then its check digit, then a filler.

    Args:
        lines: MRZ lines of format ``fmt`` (short lines read as filler).
        fmt: the format.

    Returns:
        (start, end) on the number's line of the continuation *including* its check digit (the
        last character), or None when the number is not in long form.

    >>> long_number_run(["I<UTOD23145890<7341<<<<<<<<<<<", "", ""], MrzFormat.TD1)
    (15, 19)
    >>> long_number_run(["I<UTOD231458907<<<<<<<<<<<<<<<", "", ""], MrzFormat.TD1) is None
    True
    """
    layout = LAYOUTS[fmt]
    if layout.long_number_field is None:
        return None
    number = layout.field("document_number")
    overflow = layout.field(layout.long_number_field)
    if number.check_digit is None or _at(lines, number.line, number.check_digit) != "<":
        return None
    end = overflow.start
    while end < overflow.end and _at(lines, overflow.line, end) != "<":
        end += 1
    if end - overflow.start < 2:
        return None
    return overflow.start, end


def check_spans(lines: Sequence[str], fmt: MrzFormat) -> tuple[CheckSpan, ...]:
    """Every check digit of ``fmt`` with the cells it covers, resolving TD1/TD2 long numbers.

    Args:
        lines: MRZ lines of format ``fmt`` (only needed to detect the long-number form).
        fmt: the format.

    Returns:
        The field check digits in reading order, then the composite (if the format has one).
    """
    layout = LAYOUTS[fmt]
    spans: list[CheckSpan] = []
    run = long_number_run(lines, fmt)
    for spec in layout.fields:
        if spec.check_digit is None:
            continue
        cells = tuple((spec.line, p) for p in range(spec.start, spec.end))
        if spec.name == "document_number" and run is not None:
            start, end = run
            cells += tuple((spec.line, p) for p in range(start, end - 1))
            spans.append(
                CheckSpan(
                    spec.name,
                    spec.label,
                    cells,
                    spec.line,
                    end - 1,
                    (spec.start, end - 1),
                    long_number=True,
                )
            )
            continue
        spans.append(
            CheckSpan(
                spec.name,
                spec.label,
                cells,
                spec.line,
                spec.check_digit,
                (spec.start, spec.end),
                filler_allowed=spec.name == "personal_number",
            )
        )
    if layout.composite is not None:
        comp = layout.composite
        cells = tuple((ln, p) for ln, start, end in comp.ranges for p in range(start, end))
        own = [(start, end) for ln, start, end in comp.ranges if ln == comp.line]
        span = (min(s for s, _ in own), max(e for _, e in own))
        spans.append(
            CheckSpan("composite", "Composite check digit", cells, comp.line, comp.position, span)
        )
    return tuple(spans)
