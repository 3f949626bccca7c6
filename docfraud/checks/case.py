"""Case checks: does the letter name the child and the adult whose passports are presented?

Compared with the passports' MRZ (check-digit protected): names after ICAO transliteration with
the OCR-tolerant matcher, dates of birth, document numbers. Then ages on the scan date: the child
must be a minor, the accompanying adult must not be. A different surname between child and adult
is common (step-parents, relatives, friends) and only recorded as information.

A mismatch is critical only when the letter's field was read surely: confidently, and the same
way by a second, differently prepared reading (:func:`docfraud.checks.letter.read_surely`); not
when the value is another person's (a name the letter gives a parent too, or a name, date of
birth or number on another document presented: a role the reader mixed up); for a name, only
when it is not merely part of the passport's (a word the reader missed) nor the passport's cut
short inside its last word (:func:`_cut_short`), and differs elsewhere than at letters the reading
gave diacritic marks (OCR's worst); and not when the letter shares
nothing with the document while another document of the case could not be read (its holder may
be the letter's). The document's side must be sure too: read from its MRZ, which passed its own
checks and shows no sign of a misread (a check digit failing on unsure characters).
Otherwise it is a warning that asks the officer to compare the two documents by eye.

Every finding points into each document involved (``Region.source`` names the input).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from docfraud.case import CaseView, Person
from docfraud.checks.letter import SURE, read_surely
from docfraud.checks.mrz import CHECK_DIGIT_CODE
from docfraud.checks.registry import CannotRun, run_one
from docfraud.mrz.codes import alnum
from docfraud.mrz.printed import fold_digits
from docfraud.text.names import same_person_name
from docfraud.text.translit import mrz_variants, to_mrz
from docfraud.types import FieldReading, Finding, LetterReading, Region, Severity, Skip

ADULT_AGE = 18
MARKED_LETTERS = 2
"""Letters with diacritic marks in a letter's name that :func:`_differs_at_marks` lets be any
letter (more, and a name could be made to match almost any other)."""
CUT_SHORT_LETTERS = 4
"""Letters at least of a name's last word that :func:`_cut_short` takes for a longer word's
beginning (fewer, and a changed name could pass for a cut one)."""
MISREAD_MRZ = (CHECK_DIGIT_CODE.format(""), "CODE.DOCUMENT_NUMBER.FORMAT")
"""Codes whose warnings on an identity document say its MRZ may be misread (:func:`_doubtful`)."""
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
    elsewhere: bool = False,
    stranger: bool = False,
) -> Finding:
    data = person.analysis.mrz.data if person.analysis.mrz else None
    kind = data.document_kind.replace("_", " ") if data else "identity document"
    message = (
        f"The letter gives the {what} as {letter_value}, but the {kind} "
        f"({person.analysis.source}) gives {document_value}"
    )
    sure = read_surely(field)
    if field.confidence < SURE:
        message += "; the letter was read with low confidence there, so compare by eye"
    elif field.name.endswith("_name") and _part_of(field.text, document_value):
        sure = False
        message += (
            "; the letter's name is part of the document's, as if a word were missed, so "
            "compare by eye"
        )
    elif field.name.endswith("_name") and _cut_short(field.text, document_value):
        sure = False
        message += (
            "; the letter's name ends with the beginning of a word of the document's, as if "
            "the reading stopped inside it, so compare by eye"
        )
    elif field.name.endswith("_name") and len(field.text.split()) < 2:
        sure = False  # letters name people in full
        message += (
            "; the letter's name is a single word, perhaps a word of its text taken for the "
            "name, so compare by eye"
        )
    elif field.name.endswith("_name") and _differs_at_marks(field.text, document_value):
        sure = False
        message += (
            "; the two differ only at letters the reading gave diacritic marks, which OCR "
            "confuses most, so compare by eye"
        )
    elif not sure:
        message += "; a second reading of the letter did not confirm it, so compare by eye"
    elif doubt := _doubtful(person):
        sure = False
        message += f"; {doubt}, so compare by eye"
    elif stranger:
        sure = False
        message += (
            "; the letter shares nothing else with that document and another document "
            "presented could not be read, so the letter's person may be on it: compare by eye"
        )
    elif elsewhere:
        sure = False
        message += (
            "; the letter names that person in another role too, which may be a misreading "
            "of its layout, so compare by eye"
            if field.name.endswith("_name")
            else "; that is another person's of the case, as if the letter's roles were "
            "misread, so compare by eye"
        )
    return Finding(
        code,
        Severity.CRITICAL if sure else Severity.WARNING,
        message + ".",
        field=field.name,
        region=_tagged(field, source),
        related=(person.region(),),
        evidence=(("letter", letter_value), ("document", document_value)),
    )


def _doubtful(person: Person) -> str:
    """Why the identity document's own data cannot support a critical finding, or ``""``: read
    from its printed fields only (no MRZ), its MRZ failed its own checks (a critical MRZ or code
    finding, reported on that document), or its MRZ may be misread (a check digit failed where
    characters were read unsurely, or the number has fillers inside: warnings on that document;
    a misread character of the number or name need not be the one its check digit caught)."""
    a = person.analysis
    if a.mrz is None or a.mrz.data is None:
        return "the document's data were read from its printed fields only"
    if any(
        f.severity is Severity.CRITICAL and f.code.startswith(("MRZ.", "CODE.")) for f in a.findings
    ):
        return "the document's machine-readable zone failed its own checks (see its findings)"
    if any(f.severity >= Severity.WARNING and f.code.startswith(MISREAD_MRZ) for f in a.findings):
        return "the document's machine-readable zone may be misread (see its findings)"
    return ""


def _part_of(letter_name: str, document_name: str) -> bool:
    """Whether every word of ``letter_name`` is a word of ``document_name`` (OCR noise allowed)
    and the letter gives fewer words: a name read incompletely, not another person's name.

    >>> _part_of("Beata Beata", "LUKASIK BEATA BEATA"), _part_of("Anna Weiss", "MUELLER ANNA")
    (True, False)
    """
    theirs = [w for w in re.split(r"[\s<]+", document_name) if w]
    ours = [w for w in re.split(r"\s+", letter_name) if w]
    if not ours or len(ours) >= len(theirs):
        return False
    left = list(theirs)
    for word in ours:
        match = next((t for t in left if same_person_name(word, t).outcome != "different"), None)
        if match is None:
            return False
        left.remove(match)
    return True


def _cut_short(letter_name: str, document_name: str) -> bool:
    """Whether the letter's name is the document's once its last word, of
    :data:`CUT_SHORT_LETTERS` letters or more, is taken for the beginning of a word of the
    document's name: a name written in spaced letters on a form's line reads ``HOFF M ANN`` and
    the reading keeps ``HOFF``.

    >>> _cut_short("Matthias Paul HOFF", "HOFFMANN MATTHIAS PAUL")
    True
    >>> _cut_short("Matthias Paul HOF", "HOFFMANN MATTHIAS PAUL")
    False
    """
    *head, last = letter_name.split() or [""]
    if sum(c.isalpha() for c in last) < CUT_SHORT_LETTERS:
        return False
    stems = mrz_variants(last)
    for word in re.split(r"[\s<]+", to_mrz(document_name)):
        if any(len(word) > len(stem) and word.startswith(stem) for stem in stems):
            whole = " ".join([*head, word])
            if same_person_name(whole, document_name).outcome != "different":
                return True
    return False


def _differs_at_marks(letter_name: str, document_name: str) -> bool:
    """Whether the two names agree once each letter the reading gave a diacritic mark (at most
    :data:`MARKED_LETTERS` of them) may be any letter of the document's name, or none: OCR reads
    a name's marked letters least well (``Vũ`` as ``VĂ``) and makes them of specks after a word
    (``SALEHĦH``); a changed name differs elsewhere.

    >>> _differs_at_marks("Lan Lan VĂ", "VU LAN LAN"), _differs_at_marks("Mai Lan VĂ", "VU LAN LAN")
    (True, False)
    >>> _differs_at_marks("Huda AZIZ-SALEHĦH", "AZIZ SALEH HUDA")
    True
    """
    marked = [i for i, ch in enumerate(letter_name) if ch.isalpha() and not ch.isascii()]
    if not marked or len(marked) > MARKED_LETTERS:
        return False
    letters = ["", *sorted({ch for ch in document_name.upper() if "A" <= ch <= "Z"})]
    for guess in itertools.product(letters, repeat=len(marked)):
        chars = list(letter_name)
        for i, ch in zip(marked, guess, strict=True):
            chars[i] = ch
        if same_person_name("".join(chars), document_name).outcome != "different":
            return True
    return False


def _elsewhere(view: CaseView, letter: LetterReading, role: str, kind: str, value: str) -> bool:
    """Whether the letter's ``role`` value is another person's: for a name, a parent's in the
    letter or the name on another document presented; for a date of birth or a document number,
    another presented person's. The reader then tied the value to the wrong role."""
    people = [p for p in view.people if p is not _person_or_none(view, role)]
    if kind == "BIRTH_DATE":
        return any(p.birth_date is not None and p.birth_date.isoformat() == value for p in people)
    if kind == "DOCUMENT_NUMBER":
        return any(fold_digits(p.document_number) == fold_digits(value) for p in people)
    fields = [
        f.text for f in letter.fields if f.name.endswith("_name") and f.name != f"{role}_name"
    ]
    names = fields + [p.name for p in people]
    return any(same_person_name(value, other).outcome != "different" for other in names)


def _printed_name(person: Person) -> str:
    """The holder's full name as the document prints it, where both parts were read ("" else).

    The MRZ's names carry no check digit, so a character misread there (``CAMILLC``) goes
    unnoticed; a letter that names the holder as the document prints them names the same
    person. (Where print and MRZ differ, the document's own checks report it.)
    """
    viz = person.analysis.viz
    surname = viz.get("surname") if viz else None
    given = viz.get("given_names") if viz else None
    return f"{surname.text} {given.text}" if surname and given else ""


def _person_or_none(view: CaseView, role: str) -> Person | None:
    return view.child if role == "child" else view.adult


def _person_matches(role: str) -> CaseCheck:
    def run(view: CaseView) -> Iterator[Finding]:
        letter, source = _letter(view)
        person = _person(view, role)
        prefix = f"CASE.{role.upper()}"
        words = ROLE_WORDS[role]
        # (code, what, field, letter's value, document's value, same)
        compared: list[tuple[str, str, FieldReading, str, str, bool]] = []
        name = letter.get(f"{role}_name")
        if name is not None:
            same = any(
                same_person_name(name.text, theirs).outcome != "different"
                for theirs in (person.name, _printed_name(person))
                if theirs
            )
            compared.append(("NAME", "name", name, name.text, person.name, same))
        born = letter.get(f"{role}_birth_date")
        if born is not None and born.value is not None and person.birth_date is not None:
            theirs = person.birth_date.isoformat()
            compared.append(
                ("BIRTH_DATE", "date of birth", born, born.value, theirs, born.value == theirs)
            )
        number = letter.get(f"{role}_document_number")
        if number is not None and person.document_number:
            ours = alnum(number.value or number.text)
            # O/0, S/5, B/8 … read either way are the same number; a changed digit is not
            same = fold_digits(ours) == fold_digits(person.document_number)
            compared.append(
                ("DOCUMENT_NUMBER", "document number", number, ours, person.document_number, same)
            )
        if not compared:
            raise CannotRun(f"the letter's {words} (name, birth date, number) was not read")
        # Nothing in common while a document went unread: the roles may be wrong, not the letter.
        stranger = bool(view.unread) and not any(c[-1] for c in compared)
        for kind, what, field, ours, theirs, same in compared:
            if same:
                continue
            elsewhere = _elsewhere(view, letter, role, kind, ours)
            yield _mismatch(
                f"{prefix}.{kind}_MISMATCH", f"{words}'s {what}", field, source, ours, person,
                theirs, elsewhere, stranger,
            )  # fmt: skip

    return run


def case_ages(view: CaseView) -> Iterator[Finding]:
    """The child must be a minor and the adult not. When both fail at once, the "child" is an
    adult and the "adult" a minor: the letter's roles were more likely read the wrong way round
    than written so, and both findings are warnings that say to compare by eye."""
    if view.child is None and view.adult is None:
        raise CannotRun("no identity document with a date of birth was presented")
    child_age = view.child.age_on(view.scan_date) if view.child else None
    adult_age = view.adult.age_on(view.scan_date) if view.adult else None
    grown_child = child_age is not None and child_age >= ADULT_AGE
    minor_adult = adult_age is not None and adult_age < ADULT_AGE
    swapped = grown_child and minor_adult
    severity = Severity.WARNING if swapped else Severity.CRITICAL
    doubt = (
        ", as if the letter's roles were read the wrong way round, so compare the letter with "
        "both documents by eye"
    )
    if view.child is not None and grown_child:
        yield Finding(
            "CASE.CHILD.NOT_MINOR",
            severity,
            f"The child the case concerns ({view.child.name}, born {view.child.birth_date}) is "
            f"{child_age} on {view.scan_date}: an adult, not a minor"
            + (f"; the accompanying adult is a minor{doubt}." if swapped else "."),
            field="birth_date",
            region=view.child.region(),
        )
    if view.adult is not None and minor_adult:
        yield Finding(
            "CASE.ADULT.IS_MINOR",
            severity,
            f"The accompanying adult ({view.adult.name}, born {view.adult.birth_date}) is "
            f"{adult_age} on {view.scan_date}: a minor cannot be the accompanying adult"
            + (f"; the child is of age{doubt}." if swapped else "."),
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
