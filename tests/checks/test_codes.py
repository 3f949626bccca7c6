"""Codes: issuing State, nationality, document number and document code against the format."""

from __future__ import annotations

from dataclasses import replace

import pytest

from docfraud.analysis import Analysis
from docfraud.checks.registry import run_checks
from docfraud.mrz.spec import LAYOUTS
from docfraud.types import Severity
from tests.checks.conftest import PASSPORT, analysed, codes, only

CODE_FINDINGS = {
    "CODE.ISSUING_STATE.UNKNOWN",
    "CODE.ISSUING_STATE.NOT_AN_ISSUER",
    "CODE.NATIONALITY.UNKNOWN",
    "CODE.ISSUING_STATE.UNREAD",
    "CODE.NATIONALITY.UNREAD",
    "CODE.DOCUMENT_NUMBER.FORMAT",
    "CODE.DOCUMENT_CODE.UNKNOWN",
    "CODE.DOCUMENT_CODE.FORMAT",
}


@pytest.mark.parametrize(("state", "nationality"), [("DEU", "DEU"), ("D", "D"), ("UNO", "XXA")])
def test_valid_codes_raise_nothing(state: str, nationality: str) -> None:
    data = replace(
        PASSPORT, issuing_state=state, holder=replace(PASSPORT.holder, nationality=nationality)
    )
    assert not codes(analysed(data)) & CODE_FINDINGS


def test_an_unknown_issuing_state_is_critical() -> None:
    data = replace(PASSPORT, issuing_state="ZZQ")
    finding = only(analysed(data), "CODE.ISSUING_STATE.UNKNOWN")
    assert finding.severity is Severity.CRITICAL and "'ZZQ'" in finding.message
    assert finding.region is not None


def _unsure(a: Analysis, field: str) -> Analysis:
    """``a`` with the MRZ characters of ``field`` read at 0.54 (a glyph OCR hesitated over)."""
    assert a.mrz is not None and a.mrz.data is not None
    spec = LAYOUTS[a.mrz.data.format].field(field)
    rows = [list(row) for row in a.mrz.confidences]
    rows[spec.line][spec.start : spec.end] = [0.54] * (spec.end - spec.start)
    mrz = replace(a.mrz, confidences=tuple(tuple(row) for row in rows))
    findings, skipped = run_checks(replace(a, mrz=mrz, findings=(), skipped=()), strict=True)
    return replace(a, mrz=mrz, findings=findings, skipped=skipped)


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("issuing_state", "CODE.ISSUING_STATE.UNKNOWN"),
        ("nationality", "CODE.NATIONALITY.UNKNOWN"),
        ("document_code", "CODE.DOCUMENT_CODE.UNKNOWN"),
    ],
)
def test_an_unknown_code_read_with_low_confidence_is_a_warning(field: str, code: str) -> None:
    """EGP read for ESP, its G at 0.54: one misread character makes a real code unknown."""
    holder = replace(PASSPORT.holder, nationality="EGP")
    data = replace(PASSPORT, issuing_state="EGP", holder=holder, document_code="Q")
    assert only(analysed(data), code).severity is Severity.CRITICAL
    finding = only(_unsure(analysed(data), field), code)
    assert finding.severity is Severity.WARNING and "compare the code by eye" in finding.message


def test_a_state_code_of_fillers_only_was_misread_not_invented() -> None:
    a = analysed(replace(PASSPORT, issuing_state="<<<"))
    finding = only(a, "CODE.ISSUING_STATE.UNREAD")
    assert finding.severity is Severity.WARNING and "fillers only" in finding.message
    assert "CODE.ISSUING_STATE.UNKNOWN" not in codes(a)


def test_a_nationality_only_code_cannot_issue() -> None:
    data = replace(PASSPORT, issuing_state="XXA")
    assert only(analysed(data), "CODE.ISSUING_STATE.NOT_AN_ISSUER").severity is Severity.CRITICAL


def test_an_unknown_nationality_is_critical() -> None:
    data = replace(PASSPORT, holder=replace(PASSPORT.holder, nationality="QQQ"))
    assert "'QQQ'" in only(analysed(data), "CODE.NATIONALITY.UNKNOWN").message


def test_a_code_with_a_filler_between_its_letters_was_misread_not_invented() -> None:
    holder = replace(PASSPORT.holder, nationality="B<L")
    a = analysed(replace(PASSPORT, issuing_state="B<L", holder=holder))
    for name in ("ISSUING_STATE", "NATIONALITY"):
        finding = only(a, f"CODE.{name}.UNREAD")
        assert finding.severity is Severity.WARNING and "'B<L'" in finding.message
        assert finding.region is not None
    assert not codes(a) & {"CODE.ISSUING_STATE.UNKNOWN", "CODE.NATIONALITY.UNKNOWN"}


def test_a_passport_code_in_a_card_format_is_flagged() -> None:
    card = replace(
        PASSPORT, kind=PASSPORT.kind.ID_CARD, mrz_format=PASSPORT.mrz_format.TD1, document_code="P"
    )
    a = analysed(card, template_name="td1_rose_id")
    assert only(a, "CODE.DOCUMENT_CODE.FORMAT").severity is Severity.WARNING
    assert "CODE.DOCUMENT_CODE.FORMAT" not in codes(
        analysed(replace(card, document_code="ID"), template_name="td1_rose_id")
    )


def test_without_an_mrz_the_code_checks_are_skipped() -> None:
    skipped = {s.check for s in analysed(with_mrz=False).skipped}
    assert {"codes.issuing_state", "codes.nationality", "codes.document_kind"} <= skipped


def test_a_malformed_document_number_is_a_warning() -> None:
    data = replace(PASSPORT, document_number="AB<<12345")
    finding = only(analysed(data), "CODE.DOCUMENT_NUMBER.FORMAT")
    assert finding.severity is Severity.WARNING and "fillers inside" in finding.message
