"""Date logic: order, validity, expired, future — each fires and stays silent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from docfraud.types import Severity
from tests.checks.conftest import PASSPORT, SCAN_DATE, analysed, codes, only, printed, viz_of

DATE_CODES = {
    "DATE.ORDER",
    "DATE.VALIDITY_TOO_LONG",
    "DATE.EXPIRED",
    "DATE.ISSUED_IN_FUTURE",
    "DATE.BIRTH_IN_FUTURE",
}


def _issued(day: date) -> dict[str, object]:
    return {"issue_date": printed("issue_date", f"{day:%d.%m.%Y}", day.isoformat())}


def test_a_current_document_raises_no_date_finding() -> None:
    assert not codes(analysed(viz=viz_of(PASSPORT))) & DATE_CODES


def test_issue_before_birth_is_critical() -> None:
    viz = viz_of(PASSPORT, **_issued(date(1970, 1, 1)))  # type: ignore[arg-type]
    finding = only(analysed(viz=viz), "DATE.ORDER")
    assert finding.severity is Severity.CRITICAL
    assert "before the date of birth (1974-08-12)" in finding.message


def test_a_holder_a_century_older_than_the_mrz_says_is_only_a_warning() -> None:
    """The MRZ writes 110101 for a holder born in 1911; its century rule says 2011."""
    holder = replace(PASSPORT.holder, birth_date=date(2011, 1, 1))
    young = replace(PASSPORT, holder=holder, issue_date=date(2022, 7, 4))
    viz = viz_of(young, **_issued(date(2002, 7, 4)))  # type: ignore[arg-type]
    finding = only(analysed(young, viz=viz), "DATE.ORDER")
    assert finding.severity is Severity.WARNING and "a century older" in finding.message


def test_the_printed_birth_date_settles_the_century() -> None:
    holder = replace(PASSPORT.holder, birth_date=date(2011, 1, 1))
    young = replace(PASSPORT, holder=holder, issue_date=date(2022, 7, 4))
    viz = viz_of(
        young,
        birth_date=printed("birth_date", "01.01.1911", "1911-01-01"),
        **_issued(date(2002, 7, 4)),  # type: ignore[arg-type]
    )
    found = codes(analysed(young, viz=viz))
    assert "DATE.ORDER" not in found and "VIZ_MRZ.BIRTH_DATE" not in found


def test_expiry_not_after_issue_is_critical() -> None:
    viz = viz_of(PASSPORT, **_issued(date(2030, 6, 1)))  # type: ignore[arg-type]
    a = analysed(viz=viz, scan_date=date(2031, 1, 1))
    assert "is not after the printed date of issue" in only(a, "DATE.ORDER").message


def test_a_fifteen_year_passport_is_implausible() -> None:
    viz = viz_of(PASSPORT, **_issued(date(2015, 3, 2)))  # type: ignore[arg-type]
    finding = only(analysed(viz=viz), "DATE.VALIDITY_TOO_LONG")
    assert finding.severity is Severity.WARNING
    assert "not issued for more than 10 years" in finding.message


def test_a_ten_year_identity_card_is_plausible() -> None:
    card = replace(
        PASSPORT,
        kind=PASSPORT.kind.ID_CARD,
        mrz_format=PASSPORT.mrz_format.TD1,
        document_code="ID",
        issue_date=date(2018, 3, 2),
        expiry_date=date(2030, 3, 1),
    )
    a = analysed(card, viz=viz_of(card), template_name="td1_rose_id")
    assert "DATE.VALIDITY_TOO_LONG" not in codes(a)


def test_a_minor_passport_valid_beyond_ten_years_is_implausible() -> None:
    child = replace(PASSPORT.holder, birth_date=date(2016, 5, 5))
    data = replace(
        PASSPORT, holder=child, issue_date=date(2020, 3, 2), expiry_date=date(2031, 9, 1)
    )
    a = analysed(data, viz=viz_of(data))
    assert "a minor's passports" in only(a, "DATE.VALIDITY_TOO_LONG").message


def test_expired_is_a_warning_with_the_dates() -> None:
    a = analysed(viz=viz_of(PASSPORT), scan_date=date(2030, 3, 2))
    finding = only(a, "DATE.EXPIRED")
    assert finding.severity is Severity.WARNING
    assert "expired on 2030-03-01" in finding.message
    assert "DATE.EXPIRED" not in codes(analysed(viz=viz_of(PASSPORT), scan_date=date(2030, 3, 1)))


def test_issued_in_the_future_is_critical() -> None:
    data = replace(PASSPORT, issue_date=date(2026, 7, 1), expiry_date=date(2036, 6, 30))
    finding = only(analysed(data, viz=viz_of(data)), "DATE.ISSUED_IN_FUTURE")
    assert finding.severity is Severity.CRITICAL
    assert str(SCAN_DATE) in finding.message


def test_a_printed_birth_in_the_future_is_critical() -> None:
    viz = viz_of(PASSPORT, birth_date=printed("birth_date", "12.08.2027", "2027-08-12"))
    assert only(analysed(viz=viz), "DATE.BIRTH_IN_FUTURE").severity is Severity.CRITICAL


def test_a_future_birth_date_placed_unsurely_is_a_warning() -> None:
    """A card front without MRZ whose only date read, its expiry, was tied to the birth date
    by content alone."""
    unsure = printed("birth_date", "12.08 2028", "2028-08-12", confidence=0.45)
    finding = only(analysed(viz=viz_of(PASSPORT, birth_date=unsure)), "DATE.BIRTH_IN_FUTURE")
    assert finding.severity is Severity.WARNING and "compare by eye" in finding.message


def test_a_future_birth_date_that_is_the_expiry_date_is_a_warning_that_says_so() -> None:
    """A page printing the date of expiry near the date of birth: the reader took the one
    (2030-03-01, in the MRZ too) for the other, read cleanly."""
    expiry = printed("birth_date", "01 MAR/MAR 30", "2030-03-01", confidence=0.95)
    finding = only(analysed(viz=viz_of(PASSPORT, birth_date=expiry)), "DATE.BIRTH_IN_FUTURE")
    assert finding.severity is Severity.WARNING
    assert "taken for the date of birth" in finding.message


def test_without_an_issue_date_the_issue_checks_say_why() -> None:
    a = analysed(viz=viz_of(PASSPORT, issue_date=None))
    reasons = {s.check: s.reason for s in a.skipped}
    assert "printed date of issue was not found" in reasons["dates.validity"]
    assert "DATE.EXPIRED" not in codes(a)  # expiry comes from the MRZ and still runs


def test_an_unsurely_read_issue_date_gives_warnings_that_say_so() -> None:
    """A stamp over the date of issue read 17/01/2026 as 17/01/2076 at low confidence: the
    order and future checks still speak, as warnings that ask for a look."""
    unsure = printed("issue_date", "17/01/2076", "2076-01-17", confidence=0.09)
    a = analysed(viz=viz_of(PASSPORT, issue_date=unsure))
    future = only(a, "DATE.ISSUED_IN_FUTURE")
    order = only(a, "DATE.ORDER")
    for finding in (future, order):
        assert finding.severity is Severity.WARNING and "compare by eye" in finding.message
    before_birth = printed("issue_date", "01.01.1970", "1970-01-01", confidence=0.3)
    finding = only(analysed(viz=viz_of(PASSPORT, issue_date=before_birth)), "DATE.ORDER")
    assert finding.severity is Severity.WARNING and "low confidence" in finding.message


def test_an_issue_date_that_is_the_expiry_date_gives_warnings_that_say_so() -> None:
    """A phone photo of a page printing "Date of issue  Date of expiry" side by side: the
    reader took the expiry (2031-03-01, in the MRZ too) for the date of issue."""
    data = replace(PASSPORT, expiry_date=date(2031, 3, 1))
    viz = viz_of(data, **_issued(date(2031, 3, 1)))  # type: ignore[arg-type]
    a = analysed(data, viz=viz)
    for finding in (only(a, "DATE.ISSUED_IN_FUTURE"), only(a, "DATE.ORDER")):
        assert finding.severity is Severity.WARNING
        assert "taken for the date of issue" in finding.message
