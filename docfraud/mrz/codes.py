"""Issuing-State and nationality codes, and the shape of the document number.

Codes are ISO 3166-1 alpha-3 (current countries, from pycountry) plus the ICAO extensions of
Doc 9303 Part 3, section 5 (:data:`ICAO_CODES`). Whether a code may stand as issuing State or as
nationality follows the spec's own grouping: British national categories and the Part E codes
for persons without a defined nationality are nationalities only, Part D authorities issue
documents but are no nationality, and the United Nations codes are used "in lieu of nationality"
(Part 5, note h).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import pycountry


@dataclass(frozen=True, slots=True)
class StateCode:
    """What a three-letter (or ``D``) MRZ code stands for.

    Attributes:
        code: the code as printed in the MRZ, fillers removed (``D``, ``GBD``, ``FRA``).
        name: short English name.
        kind: ``"iso"`` (ISO 3166-1), ``"icao"`` (a Doc 9303 Part 3 extension) or
            ``"specimen"`` (``UTO``/``YTO``, only on sample documents).
        issuing: may appear as issuing State or organization.
        nationality: may appear as the holder's nationality.
    """

    code: str
    name: str
    kind: str
    issuing: bool
    nationality: bool


def _icao(
    code: str, name: str, *, issuing: bool, nationality: bool, kind: str = "icao"
) -> StateCode:
    return StateCode(code, name, kind, issuing, nationality)


_ICAO_ENTRIES = (
    # Part A: codes not in ISO 3166-1
    _icao("D", "Germany", issuing=True, nationality=True),
    _icao("GBD", "British Overseas Territories Citizen", issuing=False, nationality=True),
    _icao("GBN", "British National (Overseas)", issuing=False, nationality=True),
    _icao("GBO", "British Overseas Citizen", issuing=False, nationality=True),
    _icao("GBP", "British Protected Person", issuing=False, nationality=True),
    _icao("GBS", "British Subject", issuing=False, nationality=True),
    _icao("RKS", "Republic of Kosovo", issuing=True, nationality=True),  # note 1: in use
    # Part B: reserved by ISO 3166/MA; the EU laissez-passer names the holder's own nationality
    _icao("EUE", "European Union", issuing=True, nationality=False),
    # Part C: United Nations travel documents, the organization code in lieu of nationality
    _icao("UNO", "United Nations Organization", issuing=True, nationality=True),
    _icao("UNA", "United Nations specialized agency", issuing=True, nationality=True),
    _icao("UNK", "Resident of Kosovo (UNMIK travel document)", issuing=True, nationality=True),
    # Part D: other issuing authorities; "or one of its emissaries" also names the holder
    _icao("XBA", "African Development Bank", issuing=True, nationality=False),
    _icao("XIM", "African Export-Import Bank", issuing=True, nationality=False),
    _icao("XCC", "Caribbean Community (CARICOM)", issuing=True, nationality=True),
    _icao("XCE", "Council of Europe", issuing=True, nationality=False),
    _icao("XCO", "Common Market for Eastern and Southern Africa", issuing=True, nationality=False),
    _icao("XEC", "Economic Community of West African States", issuing=True, nationality=False),
    _icao("XPO", "INTERPOL", issuing=True, nationality=False),
    _icao("XES", "Organization of Eastern Caribbean States", issuing=True, nationality=False),
    _icao("XMP", "Parliamentary Assembly of the Mediterranean", issuing=True, nationality=False),
    _icao("XOM", "Sovereign Military Order of Malta", issuing=True, nationality=True),
    _icao("XDC", "Southern African Development Community", issuing=True, nationality=False),
    # Part E: persons without a defined nationality (never an issuing State)
    _icao("XXA", "Stateless person (1954 Convention)", issuing=False, nationality=True),
    _icao("XXB", "Refugee (1951 Convention)", issuing=False, nationality=True),
    _icao("XXC", "Refugee (other)", issuing=False, nationality=True),
    _icao("XXX", "Unspecified nationality", issuing=False, nationality=True),
    # Part F: deprecated in ISO 3166, kept for documents issued before
    _icao("ANT", "Netherlands Antilles", issuing=True, nationality=True, kind="iso"),
    _icao("NTZ", "Neutral Zone", issuing=True, nationality=True, kind="iso"),
    # Part G: specimens (UTO; YTO is the Utopia of Part 3's worked TD1 examples)
    _icao("UTO", "Utopia", issuing=True, nationality=True, kind="specimen"),
    _icao("YTO", "Utopia", issuing=True, nationality=True, kind="specimen"),
    # Part H: ICAO signs master lists with it; it is on no travel document
    _icao("IAO", "International Civil Aviation Organization", issuing=False, nationality=False),
)

ICAO_CODES: Mapping[str, StateCode] = MappingProxyType({s.code: s for s in _ICAO_ENTRIES})
"""Doc 9303 Part 3, section 5, Parts A-H: every code outside current ISO 3166-1 alpha-3."""

_NUMBER = re.compile(r"[A-Z0-9]+")

LONG_NUMBER_MAX = 22
"""TD1 long number (Part 5, note j): 9 characters, then up to 13 in the optional data before
its check digit and filler. No document number in any format is longer."""


@cache
def _iso(code: str) -> StateCode | None:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return None
    name = getattr(country, "common_name", None) or country.name
    return StateCode(code, str(name), "iso", True, True)


def lookup_state(code: str) -> StateCode | None:
    """What an MRZ issuing-State or nationality code stands for.

    Args:
        code: the MRZ field, fillers allowed (``D<<``); case is ignored.

    Returns:
        The entry, or None for a code that is in neither ISO 3166-1 nor Doc 9303.

    >>> lookup_state("D<<").name, lookup_state("FRA").kind, lookup_state("XXA").issuing
    ('Germany', 'iso', False)
    >>> lookup_state("ZZZ") is None
    True
    """
    key = code.strip().upper().rstrip("<")
    if not key.isalpha() or not key.isascii():
        return None
    if key in ICAO_CODES:
        return ICAO_CODES[key]
    return _iso(key) if len(key) == 3 else None


def document_number_problem(number: str) -> str | None:
    """Why an MRZ document number field is malformed, or None when it is well formed.

    Doc 9303 Part 3 (4.3) allows only A-Z, 0-9 and the filler, and fillers only pad the field on
    the right; Part 4-6 give the number 9 positions, and TD1/TD2 numbers longer than 9 continue in
    the optional data (Part 5, note j), so up to :data:`LONG_NUMBER_MAX` characters pass here.

    Args:
        number: the field, with or without its trailing fillers.

    >>> document_number_problem("L898902C3<"), document_number_problem("L89 8902")
    (None, 'contains spaces')
    >>> document_number_problem("<<<<<<<<<"), document_number_problem("AB<12")
    ('empty', 'fillers inside the number')
    """
    text = number.rstrip("<")
    if not text.strip():
        return "empty"
    if any(ch.isspace() for ch in text):
        return "contains spaces"
    if text.startswith("<"):
        return "starts with fillers"
    if "<" in text:
        return "fillers inside the number"
    if not _NUMBER.fullmatch(text):
        return "characters outside A-Z and 0-9"
    if len(text) > LONG_NUMBER_MAX:
        return f"{len(text)} characters, longer than any MRZ document number"
    return None


def alnum(text: str) -> str:
    """A document number as compared across zones and documents: upper-case letters and digits,
    spaces, fillers and punctuation dropped."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())
