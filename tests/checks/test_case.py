"""Case checks: the letter against the passports, ages, surnames, a missing letter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from docfraud.analysis import Analysis
from docfraud.case import CaseView, assign_roles, person_of
from docfraud.checks.case import run_case_checks
from docfraud.synth.records import DocumentData, Person
from docfraud.types import Finding, LetterReading, Region, Severity
from tests.checks.conftest import PASSPORT, SCAN_DATE, analysed, assert_documented, printed

CHILD = Person(
    surname="Müller-Sørensen",
    given_names="Lea",
    sex="F",
    birth_date=date(2015, 2, 20),
    birth_place="Köln",
    nationality="DEU",
    face_seed=8,
)
ADULT = Person(
    surname="Nowak",
    given_names="Piotr",
    sex="M",
    birth_date=date(1980, 11, 3),
    birth_place="Gdańsk",
    nationality="POL",
    face_seed=9,
)
MARK = (Region(0, (400, 1200, 120, 120)),)


def passport(holder: Person, number: str) -> DocumentData:
    return replace(PASSPORT, holder=holder, document_number=number, issuing_state="DEU")


def consent(**changes: str) -> Analysis:
    values = {
        "child_name": "Lea MÜLLER-SØRENSEN",
        "child_birth_date": "2015-02-20",
        "child_document_number": "C4K7M2P19",
        "adult_name": "Piotr NOWAK",
        "adult_birth_date": "1980-11-03",
        "adult_document_number": "EA1234567",
        "authority": "Notar Weber, Köln",
        "issue_date": "2026-04-03",
        "valid_until": "2026-09-12",
    } | changes
    fields = tuple(
        printed(k, v, v if "date" in k or "valid" in k else None) for k, v in values.items()
    )
    reading = LetterReading("travel_consent", "de", fields, MARK, MARK)
    return replace(analysed(letter=reading, with_mrz=False), source="letter.jpg")


def case_findings(
    child: DocumentData | None, adult: DocumentData | None, letter: Analysis | None
) -> tuple[list[Finding], dict[str, str]]:
    documents = [analysed(d) for d in (child, adult) if d is not None]
    people = tuple(p for a in documents if (p := person_of(a)))
    letters = (letter,) if letter is not None else ()
    child_p, adult_p = assign_roles(people, letters, SCAN_DATE)
    view = CaseView(SCAN_DATE, letters, people, child_p, adult_p)
    findings, skipped = run_case_checks(view, strict=True)
    assert_documented(findings)
    return list(findings), {s.check: s.reason for s in skipped}


def codes_of(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.severity >= Severity.WARNING}


CHILD_DOC = passport(CHILD, "C4K7M2P19")
ADULT_DOC = passport(ADULT, "EA1234567")


def test_a_consistent_case_raises_only_the_surname_information() -> None:
    findings, _ = case_findings(CHILD_DOC, ADULT_DOC, consent())
    assert codes_of(findings) == set()
    surnames = [f for f in findings if f.code == "CASE.SURNAMES_DIFFER"]
    assert len(surnames) == 1 and surnames[0].severity is Severity.INFO


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"child_name": "Mia MÜLLER-SØRENSEN"}, "CASE.CHILD.NAME_MISMATCH"),
        ({"child_birth_date": "2014-02-20"}, "CASE.CHILD.BIRTH_DATE_MISMATCH"),
        ({"child_document_number": "C4K7M2P18"}, "CASE.CHILD.DOCUMENT_NUMBER_MISMATCH"),
        ({"adult_name": "Piotr KOWALSKI"}, "CASE.ADULT.NAME_MISMATCH"),
        ({"adult_birth_date": "1981-11-03"}, "CASE.ADULT.BIRTH_DATE_MISMATCH"),
        ({"adult_document_number": "EA1234569"}, "CASE.ADULT.DOCUMENT_NUMBER_MISMATCH"),
    ],
)
def test_each_letter_mismatch_is_critical_and_points_into_both_documents(
    change: dict[str, str], code: str
) -> None:
    findings, _ = case_findings(CHILD_DOC, ADULT_DOC, consent(**change))
    assert codes_of(findings) == {code}
    finding = next(f for f in findings if f.code == code)
    assert finding.severity is Severity.CRITICAL
    sources = {finding.region.source if finding.region else ""} | {
        r.source for r in finding.related
    }
    assert "letter.jpg" in sources and "td3_azure_left.png" in sources


def test_ocr_noise_in_the_letter_is_not_a_mismatch() -> None:
    letter = consent(child_name="Lea MULLER-S0RENSEN", adult_name="Piotr N0WAK")
    assert codes_of(case_findings(CHILD_DOC, ADULT_DOC, letter)[0]) == set()


def test_roles_follow_the_letter_not_the_order_of_the_files() -> None:
    findings, _ = case_findings(ADULT_DOC, CHILD_DOC, consent())
    assert codes_of(findings) == set()


def test_a_child_of_eighteen_is_not_a_minor() -> None:
    grown = replace(CHILD, birth_date=date(2008, 5, 31))
    letter = consent(child_birth_date="2008-05-31")
    findings, _ = case_findings(passport(grown, "C4K7M2P19"), ADULT_DOC, letter)
    assert codes_of(findings) == {"CASE.CHILD.NOT_MINOR"}


def test_a_minor_cannot_be_the_accompanying_adult() -> None:
    teen = replace(ADULT, birth_date=date(2010, 6, 2))
    letter = consent(adult_birth_date="2010-06-02")
    findings, _ = case_findings(CHILD_DOC, passport(teen, "EA1234567"), letter)
    assert "CASE.ADULT.IS_MINOR" in codes_of(findings)


def test_same_surname_is_not_reported() -> None:
    parent = replace(ADULT, surname="Müller-Sørensen", given_names="Jonas", nationality="DEU")
    letter = consent(adult_name="Jonas MÜLLER-SØRENSEN")
    findings, _ = case_findings(CHILD_DOC, passport(parent, "EA1234567"), letter)
    assert not [f for f in findings if f.code == "CASE.SURNAMES_DIFFER"]


def test_a_minor_without_a_letter_is_a_warning() -> None:
    findings, reasons = case_findings(CHILD_DOC, ADULT_DOC, None)
    assert codes_of(findings) == {"CASE.LETTER.MISSING"}
    assert "no guardianship or consent letter" in reasons["case.child"]


def test_a_letter_without_the_childs_passport_says_so() -> None:
    findings, reasons = case_findings(None, ADULT_DOC, consent())
    assert "no identity document of the child" in reasons["case.child"]
