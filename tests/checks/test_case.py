"""Case checks: the letter against the passports, ages, surnames, a missing letter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from docfraud.analysis import Analysis
from docfraud.case import CaseView, assign_roles, person_of
from docfraud.checks.case import run_case_checks
from docfraud.synth.records import DocumentData, Person
from docfraud.types import FieldReading, Finding, LetterReading, Region, Severity
from tests.checks.conftest import (
    PASSPORT,
    SCAN_DATE,
    analysed,
    assert_documented,
    printed,
    viz_of,
)

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


def twice(field: FieldReading, again: str | None = None) -> FieldReading:
    """``field`` read a second time: the same, or ``again``."""
    value = field.value or field.text if again is None else again
    return replace(field, alternatives=((value, value),))


def consent(again: dict[str, str] | None = None, **changes: str) -> Analysis:
    """The letter as read; ``again`` gives fields a different second reading."""
    again = again or {}
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
        twice(printed(k, v, v if "date" in k or "valid" in k else None), again.get(k))
        for k, v in values.items()
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


def test_a_number_read_with_a_letter_for_a_like_digit_is_the_same_number() -> None:
    # the letter's EA12345G7 and C4K7M2PI9: OCR's G for 6 and I for 1, not another passport
    letter = consent(adult_document_number="EA12345G7", child_document_number="C4K7M2PI9")
    findings, _ = case_findings(CHILD_DOC, ADULT_DOC, letter)
    assert not {f.code for f in findings} & {
        "CASE.CHILD.DOCUMENT_NUMBER_MISMATCH",
        "CASE.ADULT.DOCUMENT_NUMBER_MISMATCH",
    }


def test_a_number_is_compared_as_the_letter_reader_read_it_not_as_its_characters() -> None:
    """The reader takes "EA1234$67" for EA1234S67 (a 5 with its stroke through): the value,
    not the text's characters less the "$", is the number compared."""
    letter = consent()
    assert letter.letter is not None
    fields = tuple(
        replace(f, text="EA1234$67", value="EA1234S67", alternatives=(("EA1234S67",) * 2,))
        if f.name == "adult_document_number"
        else f
        for f in letter.letter.fields
    )
    letter = replace(letter, letter=replace(letter.letter, fields=fields))
    findings, _ = case_findings(CHILD_DOC, ADULT_DOC, letter)
    assert "CASE.ADULT.DOCUMENT_NUMBER_MISMATCH" not in {f.code for f in findings}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"child_name": "Mia MÜLLER-SØRENSEN"}, "CASE.CHILD.NAME_MISMATCH"),
        ({"child_birth_date": "2014-02-20"}, "CASE.CHILD.BIRTH_DATE_MISMATCH"),
        ({"child_document_number": "C4K7M2P18"}, "CASE.CHILD.DOCUMENT_NUMBER_MISMATCH"),
        ({"adult_name": "Piotr KOWALSKI"}, "CASE.ADULT.NAME_MISMATCH"),
        ({"adult_name": "Piotr NĂWICKI"}, "CASE.ADULT.NAME_MISMATCH"),  # not only at the mark
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


@pytest.mark.parametrize(
    ("change", "again", "reason"),
    [
        ({"child_name": "Mia MÜLLER-SØRENSEN"}, {"child_name": "Lea MULLER-SORENSEN"}, "second"),
        ({"child_birth_date": "2014-02-20"}, {"child_birth_date": "2015-02-20"}, "second"),
        ({"adult_document_number": "EA1234569"}, {"adult_document_number": "EA12"}, "second"),
        ({"adult_name": "Piotr"}, {}, "part of the document's"),
        ({"adult_name": "MATTER"}, {}, "single word"),
        ({"adult_name": "Piotr NĂWAK"}, {}, "diacritic marks"),  # an O read as Ă
        ({"adult_name": "Piotr NOWAKĦH"}, {}, "diacritic marks"),  # specks read as ĦH
    ],
)
def test_a_mismatch_not_read_surely_is_a_warning_to_compare_by_eye(
    change: dict[str, str], again: dict[str, str], reason: str
) -> None:
    findings, _ = case_findings(CHILD_DOC, ADULT_DOC, consent(again, **change))
    (finding,) = [f for f in findings if f.severity >= Severity.WARNING]
    assert finding.code.endswith("_MISMATCH") and finding.severity is Severity.WARNING
    assert reason in finding.message and "compare by eye" in finding.message


def test_a_name_the_letter_gives_another_role_too_is_a_warning() -> None:
    letter = consent(parent_name="Jonas MÜLLER-SØRENSEN", child_name="Jonas MÜLLER-SØRENSEN")
    findings, _ = case_findings(CHILD_DOC, ADULT_DOC, letter)
    (finding,) = [f for f in findings if f.severity >= Severity.WARNING]
    assert finding.code == "CASE.CHILD.NAME_MISMATCH"
    assert finding.severity is Severity.WARNING and "another role" in finding.message


def test_a_mismatch_read_once_is_a_warning() -> None:
    letter = consent(child_birth_date="2014-02-20")
    assert letter.letter is not None
    fields = tuple(replace(f, alternatives=()) for f in letter.letter.fields)
    once = replace(letter, letter=replace(letter.letter, fields=fields))
    findings, _ = case_findings(CHILD_DOC, ADULT_DOC, once)
    (finding,) = [f for f in findings if f.severity >= Severity.WARNING]
    assert finding.code == "CASE.CHILD.BIRTH_DATE_MISMATCH"
    assert finding.severity is Severity.WARNING


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


def test_roles_read_the_wrong_way_round_are_warnings() -> None:
    # The letter's child fields carry the adult's data and the other way round: each passport
    # then fits the other role, and the "child" is of age while the "adult" is a minor.
    letter = consent(
        child_name="Piotr NOWAK", child_birth_date="1980-11-03", child_document_number="EA1234567",
        adult_name="Lea MÜLLER-SØRENSEN", adult_birth_date="2015-02-20",
        adult_document_number="C4K7M2P19",
    )  # fmt: skip
    findings, _ = case_findings(CHILD_DOC, ADULT_DOC, letter)
    both = {"CASE.CHILD.NOT_MINOR", "CASE.ADULT.IS_MINOR"}
    ages = {f.code: f for f in findings if f.code in both}
    assert set(ages) == both
    assert all(f.severity is Severity.WARNING for f in ages.values())
    assert "wrong way round" in ages["CASE.CHILD.NOT_MINOR"].message


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


def test_a_holder_whose_birth_date_was_not_read_is_not_thereby_the_younger() -> None:
    adult = person_of(analysed(ADULT_DOC))
    child = person_of(analysed(CHILD_DOC))
    assert adult is not None and child is not None
    unknown = replace(child, birth_date=None)
    assert assign_roles((unknown, adult), (), SCAN_DATE) == (unknown, adult)
    assert assign_roles((adult, unknown), (), SCAN_DATE) == (unknown, adult)


def test_a_letter_sharing_nothing_with_a_document_is_a_warning_when_another_went_unread() -> None:
    stranger = consent(
        adult_name="Ewa ZIELINSKA", adult_birth_date="1979-01-05", adult_document_number="ZZ999"
    )
    documents = [analysed(d) for d in (CHILD_DOC, ADULT_DOC)]
    people = tuple(p for a in documents if (p := person_of(a)))
    child, adult = assign_roles(people, (stranger,), SCAN_DATE)
    for unread, severity in (((), Severity.CRITICAL), ((documents[0],), Severity.WARNING)):
        view = CaseView(SCAN_DATE, (stranger,), people, child, adult, unread)
        findings, _ = run_case_checks(view, strict=True)
        adults = [f for f in findings if f.code.startswith("CASE.ADULT.")]
        assert {f.code for f in adults} == {
            "CASE.ADULT.NAME_MISMATCH",
            "CASE.ADULT.BIRTH_DATE_MISMATCH",
            "CASE.ADULT.DOCUMENT_NUMBER_MISMATCH",
        }
        assert {f.severity for f in adults} == {severity}
        if unread:
            assert all("could not be read" in f.message for f in adults)


def test_a_mismatch_with_a_document_whose_mrz_failed_its_checks_is_a_warning() -> None:
    broken = Finding("MRZ.CHECK_DIGIT.DOCUMENT_NUMBER", Severity.CRITICAL, "Check digit.")
    letter = consent(adult_document_number="EA1234569")
    adult_doc = analysed(ADULT_DOC)
    for findings_of_adult, severity in (((), Severity.CRITICAL), ((broken,), Severity.WARNING)):
        adult = person_of(replace(adult_doc, findings=findings_of_adult))
        child = person_of(analysed(CHILD_DOC))
        assert adult is not None and child is not None
        view = CaseView(SCAN_DATE, (letter,), (child, adult), child, adult)
        found, _ = run_case_checks(view, strict=True)
        (mismatch,) = [f for f in found if f.code == "CASE.ADULT.DOCUMENT_NUMBER_MISMATCH"]
        assert mismatch.severity is severity
        if findings_of_adult:
            assert "failed its own checks" in mismatch.message


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        ("MRZ.CHECK_DIGIT.COMPOSITE", Severity.WARNING),
        ("CODE.DOCUMENT_NUMBER.FORMAT", Severity.WARNING),
        ("MRZ.OCR.REPAIRED", None),
        ("VIZ_MRZ.SURNAME", None),
    ],
)
def test_a_mismatch_with_a_document_whose_mrz_may_be_misread_is_a_warning(
    code: str, severity: Severity | None
) -> None:
    """A check digit failing on unsure characters, or fillers inside the number, say the MRZ
    may be misread (warnings on the document): the letter's number cannot be held against it.
    A repaired confusion or a printed field differing from the MRZ says nothing of that."""
    letter = consent(adult_document_number="EA1234569")
    warning = Finding(code, Severity.WARNING, "As read.")
    adult = person_of(replace(analysed(ADULT_DOC), findings=(warning,)))
    child = person_of(analysed(CHILD_DOC))
    assert adult is not None and child is not None
    view = CaseView(SCAN_DATE, (letter,), (child, adult), child, adult)
    found, _ = run_case_checks(view, strict=True)
    (mismatch,) = [f for f in found if f.code == "CASE.ADULT.DOCUMENT_NUMBER_MISMATCH"]
    assert mismatch.severity is (severity or Severity.CRITICAL)
    assert ("may be misread" in mismatch.message) is (severity is not None)


def test_a_parent_the_letter_names_is_not_taken_for_the_accompanying_adult() -> None:
    parent = replace(
        ADULT, surname="Müller-Sørensen", given_names="Jonas", birth_date=date(1979, 1, 1)
    )
    teen = replace(ADULT, birth_date=date(2010, 6, 2))
    letter = consent(parent_name="Jonas MÜLLER-SØRENSEN")
    assert letter.letter is not None
    unread_adult = tuple(f for f in letter.letter.fields if not f.name.startswith("adult_"))
    letter = replace(letter, letter=replace(letter.letter, fields=unread_adult))
    documents = [analysed(d) for d in (CHILD_DOC, passport(parent, "PA1111111"))]
    documents.append(analysed(passport(teen, "EA1234567")))
    people = tuple(p for a in documents if (p := person_of(a)))
    _, adult = assign_roles(people, (letter,), SCAN_DATE)
    assert adult is not None and adult.birth_date == date(2010, 6, 2)


def test_a_misread_role_does_not_make_the_adult_the_child() -> None:
    # The letter's adult name and number are the child's (a misread layout) and nothing else was
    # read: 5 points for the swap, not enough to take a person of age for the child and a minor
    # for the adult.
    letter = consent(
        child_name="", child_birth_date="", child_document_number="",
        adult_name="Lea MÜLLER-SØRENSEN", adult_birth_date="", adult_document_number="C4K7M2P19",
    )  # fmt: skip
    child, adult = (person_of(analysed(d)) for d in (CHILD_DOC, ADULT_DOC))
    assert child is not None and adult is not None
    assert assign_roles((child, adult), (letter,), SCAN_DATE) == (child, adult)


def test_a_date_or_number_of_another_person_presented_is_a_warning() -> None:
    # The letter gives the child the adult's date of birth and passport number: its roles were
    # misread, not forged.
    letter = consent(child_birth_date="1980-11-03", child_document_number="EA1234567")
    findings, _ = case_findings(CHILD_DOC, ADULT_DOC, letter)
    mismatches = [f for f in findings if f.code.startswith("CASE.CHILD.")]
    assert {f.code for f in mismatches} == {
        "CASE.CHILD.BIRTH_DATE_MISMATCH",
        "CASE.CHILD.DOCUMENT_NUMBER_MISMATCH",
    }
    assert all(f.severity is Severity.WARNING for f in mismatches)
    assert all("another person's" in f.message for f in mismatches)


def test_a_letter_naming_the_holder_as_the_document_prints_them_matches_a_misread_mrz_name() -> (
    None
):
    """The MRZ's names carry no check digit: its LEC (E read for A) is not another child when
    the letter and the printed name both say Lea; another name still differs from both."""
    misread = analysed(
        passport(replace(CHILD, given_names="Lec"), "C4K7M2P19"), viz=viz_of(CHILD_DOC)
    )
    child, adult = person_of(misread), person_of(analysed(ADULT_DOC))
    assert child is not None and adult is not None
    for letter, mismatch in ((consent(), False), (consent(child_name="Mia MÜLLER-SØRENSEN"), True)):
        view = CaseView(SCAN_DATE, (letter,), (child, adult), child, adult)
        found, _ = run_case_checks(view, strict=True)
        assert ("CASE.CHILD.NAME_MISMATCH" in codes_of(list(found))) is mismatch


@pytest.mark.parametrize(
    ("read", "severity"), [("HOFF", Severity.WARNING), ("HOF", Severity.CRITICAL)]
)
def test_a_name_read_cut_short_inside_its_last_word_is_a_warning(
    read: str, severity: Severity
) -> None:
    """Spaced letters on a form's line read "HOFF M ANN", and the reading keeps "HOFF": the
    beginning of the passport's "HOFFMANN", four letters or more of it, is a name cut short."""
    adult_doc = passport(replace(ADULT, surname="Hoffmann"), "EA1234567")
    findings, _ = case_findings(CHILD_DOC, adult_doc, consent(adult_name=f"Piotr {read}"))
    (finding,) = [f for f in findings if f.severity >= Severity.WARNING]
    assert finding.code == "CASE.ADULT.NAME_MISMATCH" and finding.severity is severity
    assert ("stopped inside" in finding.message) is (severity is Severity.WARNING)
