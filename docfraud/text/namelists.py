"""Holders' names with the marks OCR lost and the MRZ cannot prove, from per-country name lists.

The MRZ spells ``É``, ``Á``, ``Ñ`` or ``Ł`` as a plain letter, so a name read ``JESUS`` from a
blurred ``JESÚS`` agrees with it and nothing proves the mark (:func:`~docfraud.text.names.
restore_marks` restores only what the MRZ spells differently: ``Ü`` as ``UE``). The marks are
taken instead from the names people of the holder's state are given, as the gazetteer gives
towns theirs (:mod:`docfraud.text.places`): a word whose letters, marks aside, are those of one
name of the state's lists, which hold no unmarked name with the same letters, is given that
name's spelling (``JESUS`` → ``JESÚS`` for Spain; ``LOPEZ`` stays, the lists hold both). Only
words read without marks change, only by marks the MRZ writes as the plain letter, never a
letter.

The lists are Faker's person providers (MIT licence), per locale, read once per process on
first use; a state without one keeps every name as read.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from functools import lru_cache

import pycountry

from docfraud.text.places import fold
from docfraud.text.translit import DOTTED_I_STATES, capitals, to_mrz

MIN_LETTERS = 3
"""Shorter words (the Irish ``Ó`` of ``Ó SÚILLEABHÁIN``, an initial) are not looked up."""
_LIST_ATTRIBUTES = ("first_names", "last_names")
"""Faker person providers' attributes holding names (``first_names_female`` … included)."""


@lru_cache(maxsize=1)
def _locales() -> dict[str, tuple[str, ...]]:
    """ISO alpha-2 country -> the Faker person locales of that country (``BE``: fr_BE, nl_BE)."""
    import faker.providers.person as person  # imported here: only reading names needs it

    found: dict[str, list[str]] = defaultdict(list)
    for module in pkgutil.iter_modules(person.__path__):
        language, _, country = module.name.partition("_")
        if language and len(country) == 2 and country.isupper():
            found[country].append(module.name)
    return {country: tuple(sorted(names)) for country, names in found.items()}


@lru_cache(maxsize=32)
def _index(state: str) -> dict[str, frozenset[str]]:
    """Folded name -> its spellings in capitals, over the name lists of ``state`` (ICAO code)."""
    found = pycountry.countries.get(alpha_3="DEU" if state == "D" else state)
    alpha2 = str(found.alpha_2) if found is not None and len(state) in (1, 3) else ""
    dotted_i = state in DOTTED_I_STATES
    index: dict[str, set[str]] = defaultdict(set)
    for locale in _locales().get(alpha2, ()):
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in dir(provider):
            if not attribute.startswith(_LIST_ATTRIBUTES):
                continue
            names = getattr(provider, attribute)
            if not isinstance(names, (tuple, list, dict)):
                continue  # es_CL's first_names: a property over its other lists, read themselves
            for name in names:
                if isinstance(name, str):
                    for word in name.replace("-", " ").split():
                        index[fold(word)].add(capitals(word, dotted_i=dotted_i))
    return {key: frozenset(spellings) for key, spellings in index.items()}


def restore_name_marks(text: str, states: tuple[str, ...]) -> str:
    """``text`` (a name in capitals) with each word given the marks the name lists of
    ``states`` (ICAO codes: the holder's nationality first) prove.

    A word read without marks changes only where one list, the first that knows its letters,
    has exactly one spelling of them and that spelling has marks, and only where the MRZ would
    spell both the same (``JESÚS`` and ``JESUS``, not ``MÜLLER`` and ``MULLER``). A word read
    with marks keeps them: ``SØRENSEN`` is no Swedish list's ``SÖRENSEN``.

    >>> restore_name_marks("JESUS MARIA", ("ESP",)), restore_name_marks("LOPEZ", ("ESP",))
    ('JESÚS MARÍA', 'LOPEZ')
    >>> restore_name_marks("SMITH", ("ESP",)), restore_name_marks("JESUS", ("UTO",))
    ('SMITH', 'JESUS')
    """
    out: list[str] = []
    for piece in _pieces(text):
        spelling = None
        if len(piece) >= MIN_LETTERS and piece.isalpha() and piece.isupper() and piece.isascii():
            spelling = _spelling(piece, states)
        out.append(spelling if spelling is not None else piece)
    return "".join(out)


def _pieces(text: str) -> list[str]:
    """Words and the separators between them, in order (``ABU-ZEID LEE`` → 5 pieces)."""
    pieces: list[str] = []
    for ch in text:
        if pieces and pieces[-1][-1].isalpha() == ch.isalpha():
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def _spelling(word: str, states: tuple[str, ...]) -> str | None:
    key = fold(word)
    for state in states:
        spellings = _index(state).get(key)
        if not spellings:
            continue
        if len(spellings) != 1:
            return None
        (only,) = spellings
        marked = not only.isascii()
        same = len(only) == len(word) and to_mrz(only) == to_mrz(word)
        return only if marked and same else None
    return None
