"""Checks on a guardianship or parental-consent letter on its own.

Whether the letter's people match the passports presented with it is a case check
(:mod:`docfraud.checks.case`); here: is it sealed and signed, is it valid on the scan date, is
it dated in the future, and could its issuer authorise a child's travel at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date

from docfraud.analysis import Analysis
from docfraud.checks.registry import CannotRun, check
from docfraud.mrz.codes import alnum
from docfraud.text.names import same_person_name
from docfraud.types import FieldReading, Finding, LetterReading, Severity

SURE = 0.60
"""A letter field read with at least this confidence (OCR and the tie of its label) can support
a critical finding, if a second reading confirms it (:func:`read_surely`)."""

AUTHORITY_WORDS = (
    # courts and judges
    "court", "tribunal", "gericht", "juge", "judge", "richter", "magistrat", "juzgado", "giudice",
    "rechtbank", "sad", "domstol", "tingsratt", "sud",
    # notaries and registrars
    "notar", "notaire", "notary", "notaio", "notario", "maitre", "registry", "registrar",
    "registro", "standesamt", "etat civil", "civil status", "burgerlijke stand",
    # administrations, police, consulates
    "mairie", "municipality", "city hall", "gemeinde", "stadt", "rathaus", "ayuntamiento",
    "comune", "prefecture", "prefet", "police", "polizei", "jugendamt", "ministry", "ministere",
    "ministerium", "embassy", "ambassade", "botschaft", "consulate", "consulat", "konsulat",
    "department", "office", "amt", "authority", "autorite", "behorde", "council",
)  # fmt: skip
"""Institutions that can authorise or certify a minor's travel (matched accent-free, by word)."""
COMMERCIAL_WORDS = (
    "ltd", "llc", "inc", "gmbh", "sarl", "sas", "s.a.", "plc", "agency", "agence", "agentur",
    "shop", "store", "boutique", "services", "travel", "tours", "reisen", "voyages",
    "association", "verein", "club", "friends",
)  # fmt: skip
"""Markers of a private or commercial issuer, which cannot authorise a minor's travel."""


def read_surely(field: FieldReading) -> bool:
    """Whether ``field`` was read surely: with confidence of at least :data:`SURE`, and to the
    same value by a second reading of differently prepared pixels (``field.alternatives``).

    A value read once, or read differently the second time, may be OCR noise: a finding on it
    is a warning that asks the officer to look, never critical on its own.
    """
    if field.confidence < SURE:
        return False
    for _text, value in field.alternatives:
        if value is None:
            continue
        if field.name.endswith("_name"):
            if same_person_name(value, field.text).outcome != "different":
                return True
        elif field.name.endswith("_document_number"):
            if alnum(value) == alnum(field.value or field.text):
                return True
        elif value == field.value:
            return True
    return False


def _letter(a: Analysis) -> LetterReading:
    if a.letter is None:
        raise CannotRun("the page is not a guardianship or consent letter")
    return a.letter


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_official(text: str) -> bool:
    """Whether ``text`` names an authority: a word starting with one of :data:`AUTHORITY_WORDS`,
    or ending with one of six letters or more (German compounds: "Familiengericht")."""
    folded = _folded(text)
    return any(
        re.search(re.escape(w) if len(w) >= 6 else rf"(?<![a-z]){re.escape(w)}", folded)
        for w in AUTHORITY_WORDS
    )


def _is_commercial(text: str) -> bool:
    """Whether ``text`` has a word of :data:`COMMERCIAL_WORDS`: starting with it, or, for four
    letters or fewer, being it ("inc" is not "Incheon", "sas" not "Sassari")."""
    folded = _folded(text)
    return any(
        re.search(rf"(?<![a-z]){re.escape(w)}" + (r"(?![a-z])" if len(w) <= 4 else ""), folded)
        for w in COMMERCIAL_WORDS
    )


def _date(letter: LetterReading, name: str) -> tuple[date, FieldReading] | None:
    field = letter.get(name)
    if field is None or field.value is None:
        return None
    return date.fromisoformat(field.value), field


@check("letter.seal", needs=("letter",))
def letter_seal(a: Analysis) -> Iterator[Finding]:
    if not _letter(a).seals:
        yield Finding(
            "LETTER.SEAL.MISSING",
            Severity.WARNING,
            "The letter carries no seal or stamp; an authority's or notary's consent is "
            "sealed, so ask for the original.",
        )


@check("letter.signature", needs=("letter",))
def letter_signature(a: Analysis) -> Iterator[Finding]:
    if not _letter(a).signatures:
        yield Finding(
            "LETTER.SIGNATURE.MISSING",
            Severity.WARNING,
            "The letter is not signed; a consent without a signature does not authorise travel.",
        )


@check("letter.validity", needs=("letter",))
def letter_validity(a: Analysis) -> Iterator[Finding]:
    letter = _letter(a)
    issued = _date(letter, "issue_date")
    until = _date(letter, "valid_until")
    since = _date(letter, "valid_from")
    if issued is None and until is None:
        raise CannotRun("neither the letter's date nor its validity was read")
    if issued is not None and issued[0] > a.scan_date:
        sure = read_surely(issued[1])
        yield Finding(
            "LETTER.DATED_IN_FUTURE",
            Severity.CRITICAL if sure else Severity.WARNING,
            f"The letter is dated {issued[0]}, after the scan date ({a.scan_date})"
            + ("." if sure else "; that date was not read surely, so check it by eye."),
            field="issue_date",
            region=issued[1].region,
        )
    if until is not None and until[0] < a.scan_date:
        yield Finding(
            "LETTER.EXPIRED",
            Severity.WARNING,
            f"The consent was valid until {until[0]}; it has expired by the scan date "
            f"({a.scan_date}) and does not cover this journey.",
            field="valid_until",
            region=until[1].region,
        )
    if since is not None and since[0] > a.scan_date:
        yield Finding(
            "LETTER.NOT_YET_VALID",
            Severity.WARNING,
            f"The consent is valid from {since[0]}, after the scan date ({a.scan_date}).",
            field="valid_from",
            region=since[1].region,
        )
    if since is not None and until is not None and until[0] < since[0]:
        sure = read_surely(since[1]) and read_surely(until[1])
        yield Finding(
            "LETTER.DATES.ORDER",
            Severity.CRITICAL if sure else Severity.WARNING,
            f"The consent ends ({until[0]}) before it begins ({since[0]})"
            + ("." if sure else "; the dates were not read surely, so check them by eye."),
            field="valid_until",
            region=until[1].region,
            related=(since[1].region,),
        )


@check("letter.authority", needs=("letter",))
def letter_authority(a: Analysis) -> Iterator[Finding]:
    authority = _letter(a).get("authority")
    if authority is None or not authority.text.strip():
        raise CannotRun("the letter's issuing authority or notary was not read")
    official, commercial = _is_official(authority.text), _is_commercial(authority.text)
    if commercial and not official:
        yield Finding(
            "LETTER.AUTHORITY.IMPLAUSIBLE",
            Severity.CRITICAL,
            f"The letter is issued by {authority.text!r}, a private or commercial body that "
            "cannot authorise a child's travel or appoint a guardian.",
            field="authority",
            region=authority.region,
        )
    elif not official or commercial:
        yield Finding(
            "LETTER.AUTHORITY.UNRECOGNISED",
            Severity.WARNING,
            f"The issuer {authority.text!r} is not recognisable as a court, notary, registry "
            "or other authority; verify it.",
            field="authority",
            region=authority.region,
        )
