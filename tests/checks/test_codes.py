"""Codes: issuing State, nationality, document number and document code against the format."""

from __future__ import annotations

from dataclasses import replace

import pytest

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
