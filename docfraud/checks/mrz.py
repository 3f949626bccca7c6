"""MRZ checks: presence, format, check digits, dates, reading confidence (Doc 9303 Part 3 §4.9).

A failing check digit on characters the recogniser read with confidence is evidence of altered
data (critical). The same failure on characters it was unsure of, or in a zone read in a format its
document code is never printed in (lines read cut short), is more likely a misread, and is
reported as a warning that says so. Check digits cannot vouch for names, nationality or sex, and
``<``, ``0``, ``A``, ``K`` and ``U`` are all 0 mod 10, so low confidence there is reported too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from docfraud.analysis import Analysis
from docfraud.checks.registry import check
from docfraud.mrz.parse import UNKNOWN_BIRTH_DATE
from docfraud.mrz.read import MrzReading
from docfraud.mrz.spec import FORMATS_BY_CODE, LAYOUTS
from docfraud.types import Finding, Region, Severity

SURE = 0.80
"""Per-character confidence above which a character counts as read cleanly."""
UNSURE = 0.50
"""Below this a character is reported as uncertain."""
_KIND = {"birth_date": "date (YYMMDD)", "expiry_date": "date (YYMMDD)", "sex": "sex (M, F, X or <)"}
"""What each field :func:`mrz_dates` judges must hold."""
CHECK_DIGIT_CODE = "MRZ.CHECK_DIGIT.{}"
"""The code of a failing check digit, by field (``DOCUMENT_NUMBER``, ``COMPOSITE`` …)."""
SPECIMEN_STATES = frozenset({"UTO", "YTO"})
"""Doc 9303's fictitious issuing states (Utopia)."""


def read_cleanly(confidences: Sequence[float]) -> bool:
    """Whether MRZ characters were all read cleanly (each at :data:`SURE` or more): only then can
    a value that is none (a failed check digit, an impossible date, an unknown code) be critical
    rather than a misread."""
    return bool(confidences) and min(confidences) >= SURE


def _region(a: Analysis, reading: MrzReading, line: int, start: int, end: int) -> Region:
    w, h = a.image_size or (0, 0)
    return Region(a.page, reading.cells_box(line, start, end, w, h))


def _zone_region(a: Analysis, reading: MrzReading) -> Region:
    w, h = a.image_size or (0, 0)
    return Region(a.page, reading.zone_box(w, h))


@check("mrz.present")
def mrz_present(a: Analysis) -> Iterator[Finding]:
    if a.letter is not None:
        return  # letters have no MRZ
    if a.mrz is None:
        yield Finding(
            "MRZ.NOT_FOUND",
            Severity.WARNING,
            "No machine readable zone was found; the MRZ checks could not run.",
        )
    elif a.mrz.format is None or a.mrz.data is None:
        yield Finding(
            "MRZ.FORMAT.UNKNOWN",
            Severity.WARNING,
            f"A text zone was found but does not read as any ICAO 9303 MRZ format "
            f"({len(a.mrz.raw_lines)} lines of {a.mrz.candidate.char_count}).",
            region=_zone_region(a, a.mrz),
        )


@check("mrz.check_digits", needs=("mrz",))
def mrz_check_digits(a: Analysis) -> Iterator[Finding]:
    reading = a.mrz
    if reading is None or reading.data is None:
        return
    allowed = FORMATS_BY_CODE.get(reading.data.document_code[:1])
    misframed = allowed is not None and reading.data.format.value not in allowed
    for result in reading.data.checks:
        if result.valid:
            continue
        start, end = result.span
        lines_conf = reading.confidences
        involved = [
            lines_conf[line][pos]
            for line, pos in _check_positions(result.line, start, end, result.position)
            if line < len(lines_conf) and pos < len(lines_conf[line])
        ]
        evidence: tuple[tuple[str, str], ...] = (
            ("computed", result.computed),
            ("observed", result.observed),
        )
        if not read_cleanly(involved):
            severity = Severity.WARNING
            why = "some characters are uncertain, so this may be a misread: inspect the MRZ by eye"
            evidence += (("min_confidence", f"{min(involved, default=0.0):.2f}"),)
        elif misframed:
            # A passport's 44-character lines read as 36 (a TD2) put the check digits at the
            # wrong places: the reading is at fault, not the data.
            severity = Severity.WARNING
            why = (
                f"the zone was read as a {reading.data.format.value} MRZ, which its document "
                "code is not printed in, as if its lines were read cut short: inspect the MRZ "
                "by eye"
            )
        else:
            severity = Severity.CRITICAL
            why = "the characters read cleanly, so the data or the digit was altered or misprinted"
        yield Finding(
            CHECK_DIGIT_CODE.format(result.name.upper()),
            severity,
            f"{result.label}: check digit reads {result.observed} but the data give "
            f"{result.computed}; {why}.",
            field=result.name,
            region=_region(a, reading, result.line, start, end),
            evidence=evidence,
        )


def _check_positions(line: int, start: int, end: int, digit: int) -> list[tuple[int, int]]:
    """(line, position) pairs of a checked field and its check digit (composite: its line)."""
    return [(line, p) for p in range(start, end)] + [(line, digit)]


@check("mrz.dates", needs=("mrz",))
def mrz_dates(a: Analysis) -> Iterator[Finding]:
    """A date or sex field that is none. Critical where its characters were read cleanly,
    a warning where some were not (the check-digit rule: a digit read as ``<`` is a misread,
    not a forgery). A date of birth given wholly or partly as fillers, its check digit holding,
    is what Doc 9303-3 §4.8 prescribes where it is unknown: information."""
    reading = a.mrz
    if reading is None or reading.data is None:
        return
    layout = LAYOUTS[reading.data.format]
    for problem in reading.data.problems:
        name = problem.split(":", 1)[0].strip()
        if not layout.has_field(name):  # a line of the wrong length (not from the reader)
            yield Finding(
                "MRZ.FIELD.LINE",
                Severity.CRITICAL,
                f"MRZ {problem}.",
                region=_zone_region(a, reading),
            )
            continue
        spec = layout.field(name)
        text = reading.lines[spec.line][spec.start : spec.end]
        region = _region(a, reading, spec.line, spec.start, spec.end)
        if problem.endswith(UNKNOWN_BIRTH_DATE) and _check_digit_holds(reading, name):
            yield Finding(
                "MRZ.BIRTH_DATE.UNKNOWN",
                Severity.INFO,
                f"The date of birth in the MRZ ({text}) is given as unknown, with fillers where "
                "digits are not known (Doc 9303-3 §4.8); checks of the holder's age could not "
                "use it.",
                field=name,
                region=region,
            )
            continue
        confidences = reading.confidences[spec.line][spec.start : spec.end]
        what = f"{spec.label} in the MRZ reads {text!r}, which is not a valid {_KIND[name]}"
        if read_cleanly(confidences):
            yield Finding(
                f"MRZ.FIELD.{name.upper()}",
                Severity.CRITICAL,
                f"{what}; the characters read cleanly, so the field was altered or misprinted.",
                field=name,
                region=region,
            )
        else:
            yield Finding(
                f"MRZ.FIELD.{name.upper()}",
                Severity.WARNING,
                f"{what}; some characters are uncertain, so this may be a misread: inspect the "
                "MRZ by eye.",
                field=name,
                region=region,
                evidence=(("min_confidence", f"{min(confidences, default=0.0):.2f}"),),
            )


def _check_digit_holds(reading: MrzReading, name: str) -> bool:
    """Whether the check digit of field ``name`` holds as read."""
    data = reading.data
    return data is not None and any(c.name == name and c.valid for c in data.checks)


@check("mrz.repairs", needs=("mrz",))
def mrz_repairs(a: Analysis) -> Iterator[Finding]:
    reading = a.mrz
    if reading is None:
        return
    for rep in reading.repairs:
        yield Finding(
            "MRZ.OCR.REPAIRED",
            Severity.INFO,
            f"Line {rep.line + 1}, position {rep.position + 1}: read {rep.old!r}, "
            f"corrected to {rep.new!r} ({rep.reason.value.replace('_', ' ')}).",
            region=_region(a, reading, rep.line, rep.position, rep.position + 1),
            evidence=(("read", rep.old), ("corrected", rep.new), ("reason", rep.reason.value)),
        )


@check("mrz.confidence", needs=("mrz",))
def mrz_confidence(a: Analysis) -> Iterator[Finding]:
    reading = a.mrz
    if reading is None:
        return
    for line, conf in enumerate(reading.confidences):
        uncertain = [i for i, c in enumerate(conf) if c < UNSURE]
        if uncertain:
            yield Finding(
                "MRZ.OCR.LOW_CONFIDENCE",
                Severity.INFO,
                f"Line {line + 1}: {len(uncertain)} character(s) read with low confidence "
                f"(positions {', '.join(str(i + 1) for i in uncertain[:8])}); check digits "
                "cannot confirm names, nationality or fillers.",
                region=_region(a, reading, line, min(uncertain), max(uncertain) + 1),
                evidence=(("min_confidence", f"{min(conf):.2f}"),),
            )


@check("mrz.specimen", needs=("mrz",))
def mrz_specimen(a: Analysis) -> Iterator[Finding]:
    reading = a.mrz
    if reading is None or reading.data is None:
        return
    data = reading.data
    printed = a.viz is not None and a.viz.specimen_marked
    if data.issuing_state in SPECIMEN_STATES or "SPECIMEN" in (data.surname or "") or printed:
        yield Finding(
            "DOC.SPECIMEN",
            Severity.INFO,
            "This is a specimen document (fictitious state, SPECIMEN name or marking), not a "
            "document issued to a person.",
            region=_zone_region(a, reading),
        )
