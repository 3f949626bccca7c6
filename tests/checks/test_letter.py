"""Letter checks on their own: seal, signature, validity on the scan date, plausible issuer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from docfraud.checks.letter import read_surely
from docfraud.types import FieldReading, LetterReading, Region, Severity
from tests.checks.conftest import analysed, codes, only, printed

LETTER_CODES = {
    "LETTER.SEAL.MISSING",
    "LETTER.SIGNATURE.MISSING",
    "LETTER.DATED_IN_FUTURE",
    "LETTER.EXPIRED",
    "LETTER.NOT_YET_VALID",
    "LETTER.DATES.ORDER",
    "LETTER.AUTHORITY.IMPLAUSIBLE",
    "LETTER.AUTHORITY.UNRECOGNISED",
}
MARK = (Region(0, (400, 1200, 120, 120)),)


def twice(field: FieldReading, again: str | None = None) -> FieldReading:
    """``field`` with a second reading: the same value, or ``again``."""
    value = field.value if again is None else again
    return replace(field, alternatives=((value or field.text, value),))


def letter(
    *,
    authority: str = "Tribunal judiciaire de Lyon",
    issued: str = "2026-04-03",
    since: str = "2026-04-04",
    until: str = "2026-09-12",
    seals: tuple[Region, ...] = MARK,
    signatures: tuple[Region, ...] = MARK,
    issued_again: str | None = None,
) -> LetterReading:
    return LetterReading(
        kind="court_order",
        language="fr",
        fields=(
            printed("authority", authority),
            twice(printed("issue_date", issued, issued), issued_again),
            twice(printed("valid_from", since, since)),
            twice(printed("valid_until", until, until)),
        ),
        seals=seals,
        signatures=signatures,
    )


def test_a_sound_letter_raises_nothing() -> None:
    a = analysed(letter=letter(), with_mrz=False)
    assert not codes(a) & LETTER_CODES
    assert "MRZ.NOT_FOUND" not in codes(a), "a letter has no MRZ to miss"


def test_no_seal_and_no_signature_are_warnings() -> None:
    a = analysed(letter=letter(seals=(), signatures=()), with_mrz=False)
    assert only(a, "LETTER.SEAL.MISSING").severity is Severity.WARNING
    assert only(a, "LETTER.SIGNATURE.MISSING").severity is Severity.WARNING


def test_dated_after_the_scan_is_critical() -> None:
    a = analysed(letter=letter(issued="2026-07-25", since="2026-07-25"), with_mrz=False)
    assert only(a, "LETTER.DATED_IN_FUTURE").severity is Severity.CRITICAL
    assert "LETTER.NOT_YET_VALID" in codes(a)


def test_a_future_date_not_read_surely_is_a_warning() -> None:
    a = analysed(
        letter=letter(issued="2026-07-25", since="2026-07-25", issued_again="2026-01-25"),
        with_mrz=False,
    )
    found = only(a, "LETTER.DATED_IN_FUTURE")
    assert found.severity is Severity.WARNING and "by eye" in found.message


@pytest.mark.parametrize(
    ("field", "sure"),
    [
        (twice(printed("child_birth_date", "3 May 2015", "2015-05-03")), True),
        (twice(printed("child_birth_date", "3 May 2015", "2015-05-03"), "2015-05-08"), False),
        (printed("child_birth_date", "3 May 2015", "2015-05-03", alternatives=()), False),
        (twice(printed("child_birth_date", "3 May 2015", "2015-05-03", 0.4)), False),
        (twice(printed("child_name", "Lea MÜLLER", "Lea MÜLLER"), "Lea MULLER"), True),
        (twice(printed("child_name", "Lea MÜLLER", "Lea MÜLLER"), "Mia MÜLLER"), False),
        (twice(printed("adult_document_number", "EA1234567"), "EA 1234567"), True),
        (twice(printed("adult_document_number", "EA1234567"), "EA1234561"), False),
    ],
)
def test_read_surely_needs_confidence_and_a_second_reading_that_agrees(
    field: FieldReading, sure: bool
) -> None:
    assert read_surely(field) is sure


def test_an_expired_consent_is_reported() -> None:
    a = analysed(letter=letter(until="2026-05-31"), with_mrz=False)
    assert "valid until 2026-05-31" in only(a, "LETTER.EXPIRED").message


def test_validity_ending_before_it_starts_is_critical() -> None:
    a = analysed(letter=letter(since="2026-05-01", until="2026-04-30"), with_mrz=False)
    assert only(a, "LETTER.DATES.ORDER").severity is Severity.CRITICAL


def test_a_commercial_name_beside_an_authority_is_only_unrecognised() -> None:
    a = analysed(letter=letter(authority="Registry Office Services Ltd"), with_mrz=False)
    assert "LETTER.AUTHORITY.IMPLAUSIBLE" not in codes(a)
    assert only(a, "LETTER.AUTHORITY.UNRECOGNISED").severity is Severity.WARNING


def test_short_commercial_markers_must_stand_as_words() -> None:
    a = analysed(letter=letter(authority="Dr Sassari, Incheon"), with_mrz=False)
    assert "LETTER.AUTHORITY.IMPLAUSIBLE" not in codes(a)
    assert only(a, "LETTER.AUTHORITY.UNRECOGNISED").severity is Severity.WARNING


def test_a_commercial_issuer_is_implausible() -> None:
    for issuer in ("Travel Agency Sunrise", "Copy Shop Lyon", "Internet Legal Services Ltd"):
        a = analysed(letter=letter(authority=issuer), with_mrz=False)
        assert only(a, "LETTER.AUTHORITY.IMPLAUSIBLE").severity is Severity.CRITICAL, issuer


def test_authorities_in_several_languages_are_recognised() -> None:
    for issuer in (
        "Amtsgericht Köln – Familiengericht",
        "Maître Dupont, notaire à Nantes",
        "Registry Office Umeå",
        "Standesamt Graz",
        "Juzgado de Primera Instancia n.º 3 de Sevilla",
        "Familiengericht Wien",
    ):
        assert not codes(analysed(letter=letter(authority=issuer), with_mrz=False)) & {
            "LETTER.AUTHORITY.IMPLAUSIBLE",
            "LETTER.AUTHORITY.UNRECOGNISED",
        }, issuer


def test_an_unknown_issuer_is_a_warning() -> None:
    a = analysed(letter=letter(authority="Mr and Mrs Smith"), with_mrz=False)
    assert only(a, "LETTER.AUTHORITY.UNRECOGNISED").severity is Severity.WARNING


def test_an_unread_letter_field_is_a_skip() -> None:
    bare = LetterReading("unknown", "en", (), MARK, MARK)
    reasons = {s.check: s.reason for s in analysed(letter=bare, with_mrz=False).skipped}
    assert "authority" in reasons["letter.authority"]
    assert "validity" in reasons["letter.validity"]
