"""Case bundles: a child's passport, the accompanying adult's passport and a consent letter.

This is what officers see when a minor crosses a border without both parents: the documents must
agree (names, dates of birth, passport numbers), the child must be a minor and the adult not, and
the consent must be valid on the day of travel, issued by a plausible authority, sealed and signed.
A clean case is consistent; a planted case carries exactly the inconsistencies it is labelled with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

import numpy as np

from docfraud.synth.letters import LetterData, LetterKind
from docfraud.synth.people import (
    NAME_POOLS,
    STATES,
    random_document,
    random_person,
    random_state,
    with_holder,
)
from docfraud.synth.records import DocKind, DocumentData, Person

LETTER_LANGUAGES = {"en", "fr", "de"}
COURTS = {
    "en": ("District Court of {city}", "Family Court, {city}"),
    "fr": ("Tribunal judiciaire de {city}", "Juge aux affaires familiales, {city}"),
    "de": ("Amtsgericht {city} – Familiengericht", "Familiengericht {city}"),
}
NOTARIES = {
    "en": ("Notary Public {name}, {city}", "Registry Office {city}"),
    "fr": ("Maître {name}, notaire à {city}", "Mairie de {city}, état civil"),
    "de": ("Notar {name}, {city}", "Standesamt {city}"),
}
IMPLAUSIBLE_AUTHORITIES = (
    "Travel Agency Sunrise",
    "Copy Shop {city}",
    "Family Friends Association",
    "Internet Legal Services Ltd",
)
"""Issuers that cannot authorise a minor's travel: what a planted authority looks like."""
DESTINATIONS = ("Madrid", "London", "Berlin", "Stockholm", "Toronto", "Roma", "Wien", "Oslo")


class Planted(StrEnum):
    CHILD_NAME = "child_name"
    CHILD_BIRTH_DATE = "child_birth_date"
    CHILD_DOCUMENT_NUMBER = "child_document_number"
    ADULT_NAME = "adult_name"
    ADULT_DOCUMENT_NUMBER = "adult_document_number"
    CONSENT_EXPIRED = "consent_expired"
    CONSENT_FUTURE = "consent_future"
    CHILD_NOT_MINOR = "child_not_minor"
    ADULT_IS_MINOR = "adult_is_minor"
    AUTHORITY = "authority"
    NO_SEAL = "no_seal"
    NO_SIGNATURE = "no_signature"


@dataclass(frozen=True, slots=True)
class CaseData:
    case_id: str
    child_passport: DocumentData
    adult_passport: DocumentData
    letter: LetterData
    parent_id: DocumentData | None
    planted: tuple[tuple[str, str], ...]
    """(inconsistency, what was changed) pairs; empty for a clean case."""

    def documents(self) -> Iterator[tuple[str, DocumentData]]:
        """The travel documents with their role (``child``, ``adult``, ``parent``)."""
        yield "child", self.child_passport
        yield "adult", self.adult_passport
        if self.parent_id is not None:
            yield "parent", self.parent_id


_UNDOING = frozenset(
    {
        # an adult "child" is given the passport's new birth date in the letter too
        frozenset((Planted.CHILD_BIRTH_DATE, Planted.CHILD_NOT_MINOR)),
        # an expiry moves a future consent's date back, a future date ends after the expiry
        frozenset((Planted.CONSENT_EXPIRED, Planted.CONSENT_FUTURE)),
    }
)
"""Pairs never planted together: the second would take back the first, so it is drawn again."""


def _years_ago(day: date, years: float) -> date:
    return day - timedelta(days=int(years * 365.25))


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(0, len(options)))]


def random_case(
    rng: np.random.Generator, *, scan_date: date, case_id: str, plant: bool
) -> CaseData:
    """A consistent case; with ``plant`` one or two inconsistencies are planted and labelled."""
    state = random_state(rng)
    parents_born = (_years_ago(scan_date, 55), _years_ago(scan_date, 25))
    parent = random_person(rng, state, born_between=parents_born)
    child_born = (_years_ago(scan_date, 16.9), _years_ago(scan_date, 1))
    child = random_person(rng, state, born_between=child_born, surname=parent.surname)
    other_parent = random_person(rng, state, born_between=parents_born)
    consenting: tuple[Person, ...]
    if rng.random() < 0.5:  # travelling with one parent, the other consents
        adult, consenting = parent, (other_parent,)
    else:  # travelling with a relative or friend, often with another surname; parents consent
        relative_state = state if rng.random() < 0.6 else random_state(rng)
        adult_born = (_years_ago(scan_date, 70), _years_ago(scan_date, 20))
        adult = random_person(rng, relative_state, born_between=adult_born)
        consenting = (parent, other_parent) if rng.random() < 0.6 else (parent,)
    child_passport = random_document(rng, DocKind.PASSPORT, child, scan_date=scan_date)
    adult_passport = random_document(rng, DocKind.PASSPORT, adult, scan_date=scan_date)
    parent_id = None
    if rng.random() < 0.4:
        parent_id = random_document(rng, DocKind.ID_CARD, consenting[0], scan_date=scan_date)
    letter = _letter(rng, state, child_passport, adult_passport, consenting, scan_date)
    planted: list[tuple[str, str]] = []
    if plant:
        options = list(Planted)
        for _ in range(1 if rng.random() < 0.7 else 2):
            kind = options.pop(int(rng.integers(0, len(options))))
            while any(frozenset((kind, Planted(done))) in _UNDOING for done, _ in planted):
                kind = options.pop(int(rng.integers(0, len(options))))
            child_passport, adult_passport, letter, detail = _PLANTERS[kind](
                rng, child_passport, adult_passport, letter, scan_date
            )
            planted.append((kind.value, detail))
    return CaseData(case_id, child_passport, adult_passport, letter, parent_id, tuple(planted))


def _letter(
    rng: np.random.Generator,
    state: tuple[str, str, str, tuple[str, ...]],
    child_passport: DocumentData,
    adult_passport: DocumentData,
    parents: tuple[Person, ...],
    scan_date: date,
) -> LetterData:
    code, language, _, cities = state
    if language not in LETTER_LANGUAGES:
        language = "en"  # the lingua franca of travel consents where no local wording exists
    kind = list(LetterKind)[int(rng.integers(0, len(LetterKind)))]
    city = _pick(rng, cities)
    if kind is LetterKind.COURT_ORDER:
        authority = _pick(rng, COURTS[language]).format(city=city)
    else:
        surnames = NAME_POOLS[language if language in NAME_POOLS else "en"][0]
        authority = _pick(rng, NOTARIES[language]).format(name=_pick(rng, surnames), city=city)
    issue = scan_date - timedelta(days=int(rng.integers(3, 120)))
    valid_from = issue + timedelta(days=int(rng.integers(0, 3)))
    valid_until = scan_date + timedelta(days=int(rng.integers(5, 120)))
    return LetterData(
        kind=kind,
        language=language,
        child=child_passport.holder,
        child_document_number=child_passport.document_number,
        adult=adult_passport.holder,
        adult_document_number=adult_passport.document_number,
        parents=parents,
        authority=authority,
        city=city,
        issuing_state=code,
        issue_date=issue,
        valid_from=valid_from,
        valid_until=valid_until,
        destination=_pick(rng, DESTINATIONS),
        reference=f"{int(rng.integers(1, 99)):02d}/{int(rng.integers(100, 99999))}",
        has_seal=True,
        has_signature=True,
    )


Planter = Callable[
    [np.random.Generator, DocumentData, DocumentData, LetterData, date],
    tuple[DocumentData, DocumentData, LetterData, str],
]


def _other_given_name(rng: np.random.Generator, person: Person) -> str:
    pools = [names for pool in NAME_POOLS.values() for names in pool[1:]]
    names = tuple(n for pool in pools for n in pool if n not in person.given_names)
    return _pick(rng, names)


def _child_name(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    name = _other_given_name(rng, letter.child)
    letter = replace(letter, child=replace(letter.child, given_names=name))
    return child, adult, letter, f"letter names the child {name}"


def _child_birth(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    shifted = letter.child.birth_date + timedelta(
        days=int(rng.choice((-1, 1)) * rng.integers(1, 900))
    )
    letter = replace(letter, child=replace(letter.child, birth_date=shifted))
    return child, adult, letter, f"letter gives the child's birth date as {shifted.isoformat()}"


def _number(rng: np.random.Generator, number: str) -> str:
    k = int(rng.integers(0, len(number)))
    digits = (
        "0123456789".replace(number[k], "") if number[k].isdigit() else "ABCDEFGHJKLMNPRSTUVWXYZ"
    )
    return number[:k] + _pick(rng, tuple(digits.replace(number[k], ""))) + number[k + 1 :]


def _child_number(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    number = _number(rng, letter.child_document_number)
    letter = replace(letter, child_document_number=number)
    return child, adult, letter, f"letter gives the child's passport number as {number}"


def _adult_name(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    language = next(s[1] for s in STATES if s[0] == letter.adult.nationality)
    surnames = tuple(n for n in NAME_POOLS[language][0] if n != letter.adult.surname)
    surname = _pick(rng, surnames)
    letter = replace(letter, adult=replace(letter.adult, surname=surname))
    return child, adult, letter, f"letter names the adult {surname}"


def _adult_number(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    number = _number(rng, letter.adult_document_number)
    letter = replace(letter, adult_document_number=number)
    return child, adult, letter, f"letter gives the adult's passport number as {number}"


def _expired(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    until = today - timedelta(days=int(rng.integers(1, 200)))
    issue = min(letter.issue_date, until - timedelta(days=int(rng.integers(10, 300))))
    letter = replace(letter, valid_until=until, issue_date=issue, valid_from=issue)
    return child, adult, letter, f"consent valid until {until.isoformat()}"


def _future(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    issue = today + timedelta(days=int(rng.integers(1, 60)))
    letter = replace(letter, issue_date=issue, valid_from=issue)
    return child, adult, letter, f"consent dated {issue.isoformat()}, after the scan date"


def _child_not_minor(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    born = _years_ago(today, rng.uniform(18.2, 25))
    child = with_holder(child, birth_date=born)
    letter = replace(letter, child=replace(letter.child, birth_date=born))
    return child, adult, letter, f"the 'child' was born {born.isoformat()} (an adult)"


def _adult_is_minor(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    born = _years_ago(today, rng.uniform(13, 17.5))
    adult = with_holder(adult, birth_date=born)
    letter = replace(letter, adult=replace(letter.adult, birth_date=born))
    return child, adult, letter, f"the accompanying adult was born {born.isoformat()} (a minor)"


def _authority(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    authority = _pick(rng, IMPLAUSIBLE_AUTHORITIES).format(city=letter.city)
    return child, adult, replace(letter, authority=authority), f"issued by '{authority}'"


def _no_seal(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    return child, adult, replace(letter, has_seal=False), "letter has no seal or stamp"


def _no_signature(
    rng: np.random.Generator,
    child: DocumentData,
    adult: DocumentData,
    letter: LetterData,
    today: date,
) -> tuple[DocumentData, DocumentData, LetterData, str]:
    return child, adult, replace(letter, has_signature=False), "letter is not signed"


_PLANTERS: dict[Planted, Planter] = {
    Planted.CHILD_NAME: _child_name,
    Planted.CHILD_BIRTH_DATE: _child_birth,
    Planted.CHILD_DOCUMENT_NUMBER: _child_number,
    Planted.ADULT_NAME: _adult_name,
    Planted.ADULT_DOCUMENT_NUMBER: _adult_number,
    Planted.CONSENT_EXPIRED: _expired,
    Planted.CONSENT_FUTURE: _future,
    Planted.CHILD_NOT_MINOR: _child_not_minor,
    Planted.ADULT_IS_MINOR: _adult_is_minor,
    Planted.AUTHORITY: _authority,
    Planted.NO_SEAL: _no_seal,
    Planted.NO_SIGNATURE: _no_signature,
}
