"""The MRZ field check (``mrz.dates``): how sure the reading was decides the severity, and a
date of birth given as unknown is information (Doc 9303-3 §4.8)."""

from __future__ import annotations

from dataclasses import replace

from docfraud.analysis import Analysis
from docfraud.checks.registry import run_checks
from docfraud.mrz.checksum import compute_check_digit
from docfraud.mrz.parse import parse_mrz
from docfraud.mrz.read import MrzReading
from docfraud.mrz.spec import LAYOUTS, MrzFormat, check_spans
from docfraud.types import Finding, Severity

from .conftest import PASSPORT, SCAN_DATE, analysed, mrz_of


def _with_field(name: str, text: str, confidence: float, *, recompute: bool) -> Analysis:
    """The fixture passport's analysis with MRZ field ``name`` read as ``text`` at
    ``confidence`` (the other characters as read); ``recompute``: with check digits that hold,
    as the document was printed."""
    base = analysed()
    reading = base.mrz
    assert reading is not None and reading.format is not None
    spec = LAYOUTS[reading.format].field(name)
    grid = [list(line) for line in reading.lines]
    grid[spec.line][spec.start : spec.end] = text
    if recompute:
        for span in check_spans(["".join(r) for r in grid], reading.format):
            data = "".join(grid[line][pos] for line, pos in span.cells)
            grid[span.line][span.position] = compute_check_digit(data)
    lines = tuple("".join(r) for r in grid)
    confidences = [list(c) for c in reading.confidences]
    confidences[spec.line][spec.start : spec.end] = [confidence] * len(text)
    changed = MrzReading(
        reading.candidate,
        lines,
        lines,
        tuple(tuple(c) for c in confidences),
        (),
        reading.format,
        parse_mrz(lines, today=SCAN_DATE, fmt=reading.format),
        reading.recognizer,
    )
    findings, skipped = run_checks(replace(base, mrz=changed, findings=()), strict=True)
    return replace(base, mrz=changed, findings=findings, skipped=skipped)


def _one(a: Analysis, code: str) -> Finding:
    found = [f for f in a.findings if f.code == code]
    assert len(found) == 1, [f.code for f in a.findings]
    return found[0]


def test_a_genuine_reading_raises_no_field_finding() -> None:
    assert not [f for f in analysed().findings if f.code.startswith("MRZ.FIELD")]


def test_a_cleanly_read_impossible_date_is_critical_and_points_at_the_field() -> None:
    a = _with_field("expiry_date", "301340", 0.97, recompute=True)
    finding = _one(a, "MRZ.FIELD.EXPIRY_DATE")
    assert finding.severity is Severity.CRITICAL
    assert "'301340'" in finding.message and "altered or misprinted" in finding.message
    reading = a.mrz
    assert reading is not None and finding.region is not None
    w, h = a.image_size or (0, 0)
    field_box = finding.region.box
    zone = reading.zone_box(w, h)
    assert field_box[2] < zone[2] / 4, "the region is the field's cells, not the whole zone"


def test_a_digit_read_unsurely_as_a_filler_is_a_warning_that_says_so() -> None:
    a = _with_field("expiry_date", "30030<", 0.42, recompute=False)
    finding = _one(a, "MRZ.FIELD.EXPIRY_DATE")
    assert finding.severity is Severity.WARNING
    assert "may be a misread" in finding.message
    assert dict(finding.evidence)["min_confidence"] == "0.42"


def test_a_bad_sex_character_read_cleanly_is_critical() -> None:
    a = _with_field("sex", "Q", 0.95, recompute=True)
    assert _one(a, "MRZ.FIELD.SEX").severity is Severity.CRITICAL


def test_an_unknown_date_of_birth_is_information_not_a_forgery() -> None:
    a = _with_field("birth_date", "74<<<<", 0.97, recompute=True)
    finding = _one(a, "MRZ.BIRTH_DATE.UNKNOWN")
    assert finding.severity is Severity.INFO
    assert "74<<<<" in finding.message and "unknown" in finding.message
    assert not [f for f in a.findings if f.severity is Severity.CRITICAL]


def test_fillers_in_a_date_of_birth_its_check_digit_denies_are_not_an_unknown_date() -> None:
    """A digit misread as a filler does not pass for an unknown date: the check digit, computed
    over the printed digits, fails, and the field is judged as any other."""
    a = _with_field("birth_date", "7408<2", 0.45, recompute=False)
    assert _one(a, "MRZ.CHECK_DIGIT.BIRTH_DATE").severity is Severity.WARNING
    assert _one(a, "MRZ.FIELD.BIRTH_DATE").severity is Severity.WARNING
    assert "MRZ.BIRTH_DATE.UNKNOWN" not in {f.code for f in a.findings}


def test_the_fixture_reading_is_the_real_readers() -> None:
    assert mrz_of(PASSPORT).lines == PASSPORT.mrz_lines()


def _cut_to_td2(code: str) -> Analysis:
    """The fixture passport's MRZ with document code ``code``, read cleanly as 36-character
    lines: a TD2, its check digits at places the passport's data do not hold them."""
    base = analysed()
    reading = base.mrz
    assert reading is not None
    lines = tuple(line[:36] for line in reading.lines)
    lines = (code + lines[0][1:], lines[1])
    cut = MrzReading(
        reading.candidate,
        lines,
        lines,
        tuple((0.97,) * 36 for _ in lines),
        (),
        MrzFormat.TD2,
        parse_mrz(lines, today=SCAN_DATE, fmt=MrzFormat.TD2),
        reading.recognizer,
    )
    findings, skipped = run_checks(replace(base, mrz=cut, findings=()), strict=True)
    return replace(base, mrz=cut, findings=findings, skipped=skipped)


def test_a_passport_mrz_read_as_a_td2_fails_its_check_digits_as_a_misread() -> None:
    """A passport is printed in TD3 only: its lines read cut short fail check digits however
    cleanly read, a warning that says so. An ID card's TD2 failing the same way is critical."""
    passport = [f for f in _cut_to_td2("P").findings if f.code.startswith("MRZ.CHECK_DIGIT.")]
    assert passport and {f.severity for f in passport} == {Severity.WARNING}
    assert all("cut short" in f.message for f in passport)
    card = [f for f in _cut_to_td2("I").findings if f.code.startswith("MRZ.CHECK_DIGIT.")]
    assert card and {f.severity for f in card} == {Severity.CRITICAL}
