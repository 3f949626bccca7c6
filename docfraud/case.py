"""Cases: documents presented together (a child's passport, the adult's, a consent letter).

Each input is analysed as ``docfraud scan`` would; then the identity documents are given roles
(``child``, ``adult``, ``other``) by how well they match the people the letter names, and the
case checks (:mod:`docfraud.checks.case`) compare them. The case verdict applies the document
fusion (:mod:`docfraud.fusion.verdict`) to every finding of the case and of its documents.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from docfraud.analysis import Analysis
from docfraud.fusion.verdict import decide_case
from docfraud.mrz.codes import alnum
from docfraud.text.names import same_person_name
from docfraud.types import Finding, Region, Skip, Verdict

if TYPE_CHECKING:
    from docfraud.pipeline import Analyzer

INVERTED = 6.0
"""What taking a person of age for the child and a minor for the adult costs a role assignment:
more than two of the letter's fields (a number counts 3, a name or a date of birth 2) set in the
wrong role by a misread layout, less than the letter naming both people that way round."""


@dataclass(frozen=True, slots=True)
class Person:
    """Who an identity document names, from its MRZ (check-digit protected) or visual zone."""

    analysis: Analysis
    surname: str
    given_names: str
    birth_date: date | None
    document_number: str

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given_names}".strip()

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)

    def region(self) -> Region:
        """The MRZ (or, for a card front, the document) on its page, tagged with its source."""
        a = self.analysis
        w, h = a.image_size or (0, 0)
        if a.mrz is not None:
            return Region(a.page, a.mrz.zone_box(w, h), a.source)
        return Region(a.page, (0, 0, w, h), a.source)


@dataclass(frozen=True, slots=True)
class CaseView:
    """What the case checks see: the letters, the people and the roles given to them."""

    scan_date: date
    letters: tuple[Analysis, ...]
    people: tuple[Person, ...]
    child: Person | None
    adult: Person | None
    unread: tuple[Analysis, ...] = ()
    """Identity documents presented whose holder could not be read (no MRZ, no name printed):
    the letter's child or adult may be on one of them."""


@dataclass(frozen=True, slots=True)
class CaseAnalysis:
    case_id: str
    sources: tuple[str, ...]
    documents: tuple[Analysis, ...]
    roles: tuple[str, ...]
    """One per document: ``child``, ``adult``, ``letter`` or ``other``."""
    findings: tuple[Finding, ...]
    skipped: tuple[Skip, ...]
    verdict: Verdict
    fraud_score: float
    scan_date: date


def person_of(a: Analysis) -> Person | None:
    """The holder an identity document names: the MRZ when read, else the printed fields."""
    data = a.mrz.data if a.mrz else None
    if data is not None:
        return Person(
            a, data.surname, data.given_names, data.birth_date, alnum(data.document_number)
        )
    if a.viz is None:
        return None
    fields = {f.name: f for f in a.viz.fields}
    surname = fields["surname"].text if "surname" in fields else ""
    given = fields["given_names"].text if "given_names" in fields else ""
    if not (surname or given):
        return None
    birth = fields.get("birth_date")
    number = fields.get("document_number")
    return Person(
        a,
        surname,
        given,
        date.fromisoformat(birth.value) if birth and birth.value else None,
        alnum(number.text) if number else "",
    )


def _same_name(a: str, b: str) -> bool:
    return same_person_name(a, b).outcome != "different"


def _distinct(people: Iterable[Person]) -> tuple[Person, ...]:
    """One person per document: a card's front and back (same number or name and birth date)
    count once, the side with the MRZ preferred."""
    kept: list[Person] = []
    for p in sorted(people, key=lambda p: p.analysis.mrz is None):
        same = any(
            (p.document_number and p.document_number == k.document_number)
            or (p.birth_date == k.birth_date and _same_name(p.name, k.name))
            for k in kept
        )
        if not same:
            kept.append(p)
    return tuple(kept)


def _affinity(letter: Analysis, role: str, person: Person) -> float:
    """How well ``person`` fits the letter's ``role`` (``child`` or ``adult``)."""
    reading = letter.letter
    if reading is None:
        return 0.0
    score = 0.0
    number = reading.get(f"{role}_document_number")
    if number is not None and alnum(number.value or number.text) == person.document_number != "":
        score += 3.0
    name = reading.get(f"{role}_name")
    if name is not None and _same_name(name.text, person.name):
        score += 2.0
    born = reading.get(f"{role}_birth_date")
    if born is not None and person.birth_date and born.value == person.birth_date.isoformat():
        score += 2.0
    return score


def _named_parent(letter: Analysis, person: Person) -> bool:
    """Whether the letter names ``person`` as a parent (who consents, and whose identity card is
    often presented with it): not the accompanying adult unless the letter says so too."""
    reading = letter.letter
    return reading is not None and any(
        _same_name(f.text, person.name) for f in reading.get_all("parent_name")
    )


def assign_roles(
    people: tuple[Person, ...], letters: tuple[Analysis, ...], scan_date: date
) -> tuple[Person | None, Person | None]:
    """(child, adult): the pair that best fits the first letter, the younger as the child.

    Without a letter the youngest person is the child when a minor, the eldest the adult. Ages
    weigh less than any field the letter shares with a document, and only where known: a
    holder whose date of birth was not read is not thereby the younger. One exception: a
    person of age is the child and a minor the adult only when the letter says so in more
    fields than a misread role would explain (:data:`INVERTED`). A person the letter names as a
    parent is the accompanying adult only if the letter's adult fields say so.
    """
    if not people:
        return None, None
    if len(people) == 1:
        only = people[0]
        years = only.age_on(scan_date)
        return (only, None) if years is not None and years < 18 else (None, only)

    def prior(child: Person, adult: Person) -> float:
        """Up to 0.75: the child younger than the adult, and a minor (less when of age); far
        less when the "child" is of age and the "adult" a minor (:data:`INVERTED`)."""
        young, elder = child.age_on(scan_date), adult.age_on(scan_date)
        fit = 0.0
        if child.birth_date is not None and adult.birth_date is not None:
            fit += 0.5 if child.birth_date > adult.birth_date else 0.0
        if young is not None:
            fit += 0.25 if young < 18 else -0.25
        if young is not None and elder is not None and young >= 18 > elder:
            fit -= INVERTED
        return fit

    best: tuple[float, Person, Person] | None = None
    for child, adult in itertools.permutations(people, 2):
        fit = prior(child, adult)
        if letters:
            fit += _affinity(letters[0], "child", child) + _affinity(letters[0], "adult", adult)
            fit -= 1.0 if _named_parent(letters[0], adult) else 0.0
        if best is None or fit > best[0]:
            best = (fit, child, adult)
    assert best is not None
    return best[1], best[2]


def case_id_of(documents: Iterable[Analysis]) -> str:
    """Stable id from the inputs' content: the same documents give the same case id."""
    digest = hashlib.sha256("".join(sorted({a.sha256 for a in documents})).encode())
    return f"case-{digest.hexdigest()[:16]}"


def analyze_case(analyzer: Analyzer, paths: Iterable[str | Path]) -> CaseAnalysis:
    """Analyse every input, give the documents roles and run the case checks."""
    sources = tuple(str(p) for p in paths)
    fronts = _Fronts()
    documents = tuple(a for p in sources for a in analyzer.analyze_path(p, fronts.keep))
    return _judge_case(analyzer, sources, fronts.read_with_backs(analyzer, documents))


def analyze_case_bytes(analyzer: Analyzer, files: Sequence[tuple[str, bytes]]) -> CaseAnalysis:
    """:func:`analyze_case` for inputs already in memory (uploads): ``(source name, content)``."""
    sources = tuple(name for name, _ in files)
    fronts = _Fronts()
    documents = tuple(
        a for name, data in files for a in analyzer.analyze_bytes(data, name, fronts.keep)
    )
    return _judge_case(analyzer, sources, fronts.read_with_backs(analyzer, documents))


class _Fronts:
    """The pixels of the card fronts among a case's inputs, kept as each input is decoded, so
    that a front presented with its back in another file is read again with the back's MRZ."""

    def __init__(self) -> None:
        self._pixels: dict[int, npt.NDArray[np.uint8]] = {}

    def keep(self, analysis: Analysis, bgr: npt.NDArray[np.uint8]) -> None:
        from docfraud.pipeline import unpaired_front  # the pipeline's checks import this module

        if unpaired_front(analysis):
            self._pixels[id(analysis)] = bgr

    def read_with_backs(
        self, analyzer: Analyzer, documents: tuple[Analysis, ...]
    ) -> tuple[Analysis, ...]:
        if not self._pixels:
            return documents
        return analyzer.read_fronts_with_backs(documents, lambda a: self._pixels[id(a)])


def _judge_case(
    analyzer: Analyzer, sources: tuple[str, ...], documents: tuple[Analysis, ...]
) -> CaseAnalysis:
    """Give the analysed documents roles, run the case checks and decide the case verdict."""
    from docfraud.checks.case import run_case_checks

    scan_date = analyzer.config.scan_date or date.today()
    letters = tuple(a for a in documents if a.letter is not None)
    people = _distinct(p for a in documents if a.letter is None and (p := person_of(a)))
    unread = tuple(a for a in documents if a.letter is None and person_of(a) is None)
    child, adult = assign_roles(people, letters, scan_date)
    view = CaseView(scan_date, letters, people, child, adult, unread)
    findings, skipped = run_case_checks(view, strict=analyzer.config.strict)
    roles = tuple(
        "letter"
        if a.letter is not None
        else "child"
        if child is not None and _same_document(a, child)
        else "adult"
        if adult is not None and _same_document(a, adult)
        else "other"
        for a in documents
    )
    verdict, score, findings = decide_case(documents, findings, analyzer.fusion)
    return CaseAnalysis(
        case_id=case_id_of(documents),
        sources=sources,
        documents=documents,
        roles=roles,
        findings=findings,
        skipped=skipped,
        verdict=verdict,
        fraud_score=score,
        scan_date=scan_date,
    )


def _same_document(a: Analysis, person: Person) -> bool:
    """``a`` shows ``person``'s document (either side of a card)."""
    if a is person.analysis:
        return True
    other = person_of(a)
    return (
        other is not None
        and bool(other.document_number)
        and other.document_number == person.document_number
    )
