"""Codes: issuing State, nationality, document number, document code against the MRZ format.

State codes are ISO 3166-1 alpha-3 or one of ICAO's own (Doc 9303 Part 3 §5: ``D`` for Germany,
``GBD``…``GBS`` for British nationals, ``UNO``/``UNA``/``UNK``, ``XXA``…``XXX`` for stateless and
refugee holders, ``EUE`` …), looked up in :mod:`docfraud.mrz.codes`. Some are nationalities that
never issue documents (``XXA``), and a code that is neither is not on any genuine document.
"""

from __future__ import annotations

from collections.abc import Iterator

from docfraud.analysis import Analysis
from docfraud.checks.mrz import read_cleanly
from docfraud.checks.registry import CannotRun, check
from docfraud.mrz.codes import document_number_problem, lookup_state
from docfraud.mrz.parse import MrzData
from docfraud.mrz.spec import FORMATS_BY_CODE, LAYOUTS
from docfraud.types import Finding, Region, Severity


def _data(a: Analysis) -> MrzData:
    if a.mrz is None or a.mrz.data is None:
        raise CannotRun("no MRZ was read")
    return a.mrz.data


def _field_region(a: Analysis, name: str) -> Region | None:
    reading = a.mrz
    if reading is None or reading.format is None or not LAYOUTS[reading.format].has_field(name):
        return None
    spec = LAYOUTS[reading.format].field(name)
    w, h = a.image_size or (0, 0)
    return Region(a.page, reading.cells_box(spec.line, spec.start, spec.end, w, h))


def _filler_inside(raw: str) -> bool:
    """Whether a code as read has a filler before a letter (``B<L``). No code is written so:
    fillers only pad a short code at its end (``D<<``), so OCR lost a character there, and the
    code cannot be judged unknown.

    >>> _filler_inside("B<L"), _filler_inside("D<<"), _filler_inside("BEL")
    (True, False, False)
    """
    return "<" in raw.rstrip("<")


def _as_printed(data: MrzData, name: str) -> str:
    """A field as it stands in the MRZ, fillers kept (the parsed fields drop them)."""
    spec = LAYOUTS[data.format].field(name)
    return data.lines[spec.line][spec.start : spec.end]


def _unread(a: Analysis, name: str, what: str, raw: str) -> Finding:
    return Finding(
        f"CODE.{name.upper()}.UNREAD",
        Severity.WARNING,
        f"{what} code reads {raw!r}, "
        + ("fillers only" if not raw.strip("<") else "with a filler between its letters")
        + ", which no code has: a character was misread, so compare the code by eye.",
        field=name,
        region=_field_region(a, name),
    )


def _not_a_code(raw: str) -> bool:
    """Whether a State code as read cannot be one: a filler before a letter, or fillers only."""
    return _filler_inside(raw) or not raw.strip("<")


def _unknown(a: Analysis, name: str, message: str) -> Finding:
    """A code that is none: critical where its characters were read cleanly (every one at
    :data:`~docfraud.checks.mrz.SURE` or more), else a warning, as for the MRZ's check digits:
    one character misread makes a real code unknown (``EGP`` read for ``ESP``)."""
    reading = a.mrz
    data = reading.data if reading else None
    clean = False
    if reading is not None and data is not None and LAYOUTS[data.format].has_field(name):
        spec = LAYOUTS[data.format].field(name)
        clean = read_cleanly(reading.confidences[spec.line][spec.start : spec.end])
    return Finding(
        f"CODE.{name.upper()}.UNKNOWN",
        Severity.CRITICAL if clean else Severity.WARNING,
        message
        + (
            ""
            if clean
            else " Some of its characters were read with low confidence, so this may be a "
            "misread: compare the code by eye."
        ),
        field=name,
        region=_field_region(a, name),
    )


@check("codes.issuing_state", needs=("mrz",))
def issuing_state(a: Analysis) -> Iterator[Finding]:
    raw = _as_printed(_data(a), "issuing_state")
    code = raw.replace("<", "")
    state = lookup_state(code)
    region = _field_region(a, "issuing_state")
    if state is None and _not_a_code(raw):
        yield _unread(a, "issuing_state", "Issuing State", raw)
    elif state is None:
        yield _unknown(
            a,
            "issuing_state",
            f"Issuing State code {code!r} is neither an ISO 3166 country nor an ICAO code.",
        )
    elif not state.issuing:
        yield Finding(
            "CODE.ISSUING_STATE.NOT_AN_ISSUER",
            Severity.CRITICAL,
            f"Issuing State code {code} ({state.name}) designates a nationality, "
            "not an authority that issues travel documents.",
            field="issuing_state",
            region=region,
        )


@check("codes.nationality", needs=("mrz",))
def nationality(a: Analysis) -> Iterator[Finding]:
    data = _data(a)
    code = data.nationality.replace("<", "")
    if not code:
        raise CannotRun("the MRZ has no nationality field")
    state = lookup_state(code)
    raw = _as_printed(data, "nationality")
    if state is None and _not_a_code(raw):
        yield _unread(a, "nationality", "Nationality", raw)
    elif state is None or not state.nationality:
        reason = "is not a known code" if state is None else f"({state.name}) is not a nationality"
        yield _unknown(a, "nationality", f"Nationality code {code!r} {reason}.")


@check("codes.document_number", needs=("mrz",))
def document_number(a: Analysis) -> Iterator[Finding]:
    data = _data(a)
    printed = _as_printed(data, "document_number")
    # the parser drops fillers; judge the field as printed, unless it is a TD1/TD2 long number
    number = data.document_number if len(data.document_number) > len(printed) else printed
    problem = document_number_problem(number)
    if problem is not None:
        yield Finding(
            "CODE.DOCUMENT_NUMBER.FORMAT",
            Severity.WARNING,
            f"The document number {number.replace('<', '') or '(empty)'} is malformed: {problem}.",
            field="document_number",
            region=_field_region(a, "document_number"),
        )


@check("codes.document_kind", needs=("mrz",))
def document_kind(a: Analysis) -> Iterator[Finding]:
    data = _data(a)
    first = data.document_code[:1]
    allowed = FORMATS_BY_CODE.get(first)
    if allowed is None:
        yield _unknown(
            a,
            "document_code",
            f"Document code {data.document_code!r} is not P, V, I, A or C (Doc 9303).",
        )
    elif data.format.value not in allowed:
        yield Finding(
            "CODE.DOCUMENT_CODE.FORMAT",
            Severity.WARNING,
            f"Document code {data.document_code.replace('<', '')} ({data.document_kind}) is "
            f"printed in a {data.format.value} MRZ; Doc 9303 prints it in "
            f"{' or '.join(allowed)}.",
            field="document_code",
            region=_field_region(a, "document_code"),
        )
