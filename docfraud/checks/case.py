"""Case checks: does the letter name the child and the adult whose passports are presented?

Compared with the passports' MRZ (check-digit protected): names after ICAO transliteration with
the OCR-tolerant matcher, dates of birth, document numbers. Then ages on the scan date: the child
must be a minor, the accompanying adult must not be. A different surname between child and adult
is common (step-parents, relatives, friends) and only recorded as information.

Every finding points into each document involved (``Region.source`` names the input).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from docfraud.case import CaseView, Person
from docfraud.checks.registry import CannotRun, run_one
from docfraud.mrz.codes import alnum
from docfraud.text.names import same_person_name
from docfraud.types import FieldReading, Finding, LetterReading, Region, Severity, Skip

ADULT_AGE = 18
SURE = 0.60
"""A letter field read with at least this confidence supports a critical finding."""
CaseCheck = Callable[[CaseView], Iterator[Finding]]
ROLE_WORDS = {"child": "child", "adult": "accompanying adult"}


def _letter(view: CaseView) -> tuple[LetterReading, str]:
    if not view.letters:
        raise CannotRun("no guardianship or consent letter was presented")
    first = view.letters[0]
    assert first.letter is not None
    return first.letter, first.source


def _person(view: CaseView, role: str) -> Person:
    person = view.child if role == "child" else view.adult
    if person is None:
        raise CannotRun(f"no identity document of the {ROLE_WORDS[role]} was presented")
    return person


def _tagged(field: FieldReading, source: str) -> Region:
    return Region(field.region.page, field.region.box, source)


def _mismatch(
    code: str,
    what: str,
    field: FieldReading,
    source: str,
    letter_value: str,
    person: Person,
    document_value: str,
) -> Finding:
    sure = field.confidence >= SURE
    data = person.analysis.mrz.data if person.analysis.mrz else None
    kind = data.document_kind.replace("_", " ") if data else "identity document"
    message = (
        f"The letter gives the {what} as {letter_value}, but the {kind} "
        f"({person.analysis.source}) gives {document_value}"
    )
    if not sure:
        message += "; the letter was read with low confidence there, so compare by eye"
    return Finding(
        code,
        Severity.CRITICAL if sure else Severity.WARNING,
        message + ".",
        field=field.name,
        region=_tagged(field, source),
        related=(person.region(),),
        evidence=(("letter", letter_value), ("document", document_value)),
    )


def _person_matches(role: str) -> CaseCheck:
    def run(view: CaseView) -> Iterator[Finding]:
        letter, source = _letter(view)
        person = _person(view, role)
        prefix = f"CASE.{role.upper()}"
        words = ROLE_WORDS[role]
        compared = 0
        name = letter.get(f"{role}_name")
        if name is not None:
            compared += 1
            match = same_person_name(name.text, person.name)
            if match.outcome == "different":
                yield _mismatch(
                    f"{prefix}.NAME_MISMATCH", f"{words}'s name", name, source, name.text,
                    person, person.name,
                )  # fmt: skip
        born = letter.get(f"{role}_birth_date")
        if born is not None and born.value is not None and person.birth_date is not None:
            compared += 1
            if born.value != person.birth_date.isoformat():
                yield _mismatch(
                    f"{prefix}.BIRTH_DATE_MISMATCH", f"{words}'s date of birth", born, source,
                    born.value, person, person.birth_date.isoformat(),
                )  # fmt: skip
        number = letter.get(f"{role}_document_number")
        if number is not None and person.document_number:
            compared += 1
            if alnum(number.text) != person.document_number:
                yield _mismatch(
                    f"{prefix}.DOCUMENT_NUMBER_MISMATCH", f"{words}'s document number", number,
                    source, alnum(number.text), person, person.document_number,
                )  # fmt: skip
        if not compared:
            raise CannotRun(f"the letter's {words} (name, birth date, number) was not read")

    return run


def case_ages(view: CaseView) -> Iterator[Finding]:
    if view.child is None and view.adult is None:
        raise CannotRun("no identity document with a date of birth was presented")
    child_age = view.child.age_on(view.scan_date) if view.child else None
    if view.child is not None and child_age is not None and child_age >= ADULT_AGE:
        yield Finding(
            "CASE.CHILD.NOT_MINOR",
            Severity.CRITICAL,
            f"The child the case concerns ({view.child.name}, born {view.child.birth_date}) is "
            f"{child_age} on {view.scan_date}: an adult, not a minor.",
            field="birth_date",
            region=view.child.region(),
        )
    adult_age = view.adult.age_on(view.scan_date) if view.adult else None
    if view.adult is not None and adult_age is not None and adult_age < ADULT_AGE:
        yield Finding(
            "CASE.ADULT.IS_MINOR",
            Severity.CRITICAL,
            f"The accompanying adult ({view.adult.name}, born {view.adult.birth_date}) is "
            f"{adult_age} on {view.scan_date}: a minor cannot be the accompanying adult.",
            field="birth_date",
            region=view.adult.region(),
        )


def case_surnames(view: CaseView) -> Iterator[Finding]:
    child, adult = _person(view, "child"), _person(view, "adult")
    if same_person_name(child.surname, adult.surname).outcome == "different":
        yield Finding(
            "CASE.SURNAMES_DIFFER",
            Severity.INFO,
            f"The child ({child.surname}) and the accompanying adult ({adult.surname}) have "
            "different surnames; common in families, recorded for the officer.",
            region=child.region(),
            related=(adult.region(),),
        )


def case_letter_present(view: CaseView) -> Iterator[Finding]:
    child = _person(view, "child")
    age = child.age_on(view.scan_date)
    if not view.letters and age is not None and age < ADULT_AGE and view.adult is not None:
        yield Finding(
            "CASE.LETTER.MISSING",
            Severity.WARNING,
            f"A minor ({child.name}, {age}) travels with {view.adult.name} and no consent "
            "letter or guardianship order was presented.",
            region=child.region(),
            related=(view.adult.region(),),
        )


CASE_CHECKS: tuple[tuple[str, CaseCheck], ...] = (
    ("case.child", _person_matches("child")),
    ("case.adult", _person_matches("adult")),
    ("case.ages", case_ages),
    ("case.surnames", case_surnames),
    ("case.letter_present", case_letter_present),
)


def run_case_checks(
    view: CaseView, strict: bool = False
) -> tuple[tuple[Finding, ...], tuple[Skip, ...]]:
    """Every case check, with the document checks' skip and failure semantics."""
    findings: list[Finding] = []
    skipped: list[Skip] = []
    for name, fn in CASE_CHECKS:
        run_one(name, fn, view, findings, skipped, strict)
    return tuple(findings), tuple(skipped)
