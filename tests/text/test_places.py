"""Tests for docfraud.text.places: marks restored from the gazetteer, letters never changed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docfraud.text.places import OFFICIAL_WORDS, fold, known_word, restore_place_marks, town_word


@pytest.mark.parametrize(
    ("read", "state", "restored"),
    [
        ("MALMO", "SWE", "MALMÖ"),
        ("UMEÀ", "SWE", "UMEÅ"),  # a wrong mark is a lost one
        ("GDAÑSK", "POL", "GDAŃSK"),
        ("WOJEWODA LODZ", "POL", "WOJEWODA ŁÓDŹ"),
        ("POLITIET TROMSO", "NOR", "POLITIET TROMSØ"),
        ("SAO PAULO", "", "SÃO PAULO"),
        ("KOLN", "D", "KÖLN"),  # another name of a town whose own name is English
        ("MUNICH", "D", "MUNICH"),  # a plain name of the town: printed so
        ("WIEN", "AUT", "WIEN"),
        ("PASSPORT OFFICE DUBLIN", "IRL", "PASSPORT OFFICE DUBLIN"),
        ("PORT AMAUROT", "UTO", "PORT AMAUROT"),  # no such town
        ("Malmo", "SWE", "Malmo"),  # mixed case is not a printed field
        ("ESKISEHIR", "TUR", "ESKİŞEHİR"),  # Turkish capitals: dotted İ
        ("IZMIR", "", "İZMİR"),
        ("POLITIET TROMS", "NOR", "POLITIET TROMSØ"),  # its last letter, marked, read as nothing
        ("MALM", "SWE", "MALMÖ"),
        ("GRAZ", "AUT", "GRAZ"),  # a town as read: nothing lost
    ],
)
def test_restore_place_marks(read: str, state: str, restored: str) -> None:
    assert restore_place_marks(read, state) == restored


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ABCDEGIKLMNORSTUZÖÅ "), max_size=24),
    st.sampled_from(["", "SWE", "POL", "XXX"]),
)
def test_only_marks_change(read: str, state: str) -> None:
    """Marks only, or one marked last letter OCR dropped at the end (``MALM`` → ``MALMÖ``)."""
    restored = restore_place_marks(read, state)
    if len(restored) == len(read) + 1:
        assert not restored[-1].isascii()
        restored = restored[:-1]
    assert len(restored) == len(read)
    assert fold(restored) == fold(read)


def test_official_words_are_told_apart_by_their_letters() -> None:
    """Two words with the same letters (Spanish POLICÍA, Portuguese POLÍCIA) could not both be
    restored: the lexicon holds neither twice."""
    assert len({fold(w) for w in OFFICIAL_WORDS}) == len(OFFICIAL_WORDS)
    assert all(fold(w) != w for w in OFFICIAL_WORDS)  # each has a mark to restore
    assert restore_place_marks("URZAD MIASTA KRAKOW", "POL", official=True) == "URZĄD MIASTA KRAKÓW"
    assert restore_place_marks("URZAD", "POL") == "URZAD"  # a place of birth: towns only


def test_an_elided_article_gets_its_apostrophe_back_before_an_official_word() -> None:
    """OCR drops the apostrophe of MINISTÈRE DE L'INTÉRIEUR; a word that is no official word
    after its first letter (LYON, LIBERTÉ) is left alone."""
    assert restore_place_marks("MINISTERE DE LINTERIEUR", "FRA", official=True) == (
        "MINISTÈRE DE L'INTÉRIEUR"
    )
    assert restore_place_marks("PRÉFECTURE DE LYON", "FRA", official=True) == "PRÉFECTURE DE LYON"
    assert restore_place_marks("LIBERTE", "FRA", official=True) == "LIBERTE"
    assert restore_place_marks("LINTERIEUR", "FRA") == "LINTERIEUR"  # a place: no lexicon


def test_known_and_town_words() -> None:
    """Official words and marked towns are known, whatever their marks; any word of any town's
    name, marked or not, is a town word."""
    assert known_word("WOJEWODA") is False and known_word("URZAD") and known_word("ŁÓDŹ")
    assert known_word("ORL") is False  # too short to tell
    assert town_word("DUBLIN") and town_word("São") and not town_word("YVURZAD")
