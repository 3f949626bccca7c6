"""Tests for docfraud.text.names: same, OCR noise, different, truncation, variants, order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docfraud.text.names import (
    CONFUSION_COST,
    NameMatch,
    compare_names,
    distance,
    restore_marks,
    same_person_name,
)
from docfraud.text.translit import to_mrz


@pytest.mark.parametrize(
    ("printed", "mrz"),
    [
        ("FERNÁNDEZ", "FERNANDEZ"),
        ("Fernández", "FERNANDEZ"),
        ("MÜLLER", "MUELLER"),
        ("MÜLLER", "MULLER"),
        ("MÜLLER", "MUXXLLER"),
        ("ÅBERG", "ABERG"),
        ("NUÑEZ", "NUNXXEZ"),
        ("SØRENSEN-SØRENSEN KARI", "SOERENSEN<SOERENSEN<<KARI"),
        ("SØRENSEN-SØRENSEN, KARI", "SORENSEN SORENSEN  KARI"),
        ("D'ARTAGNAN", "DARTAGNAN"),
        ("Marie-Élise", "MARIE<ELISE"),
        ("ЩЕРБАКОВ", "SHCHERBAKOV"),
        ("SMITH.", "SMITH<<<<<<<"),
    ],
)
def test_same(printed: str, mrz: str) -> None:
    match = compare_names(printed, mrz)
    assert match == NameMatch("same", 0.0, match.detail)
    assert match.detail.endswith(".")


@pytest.mark.parametrize(
    ("printed", "mrz"),
    [
        ("BRAN0T", "BRANDT"),  # digit for a letter in the printed name
        ("BRANDT", "BRAN0T"),  # and in the MRZ
        ("JOHN", "JOHM"),
        ("MULLER", "MUELLER"),  # the OCR lost the umlaut
        ("KOWAISKA", "KOWALSKA"),
        ("ANDERSSON", "ANDER5SON"),
        ("MARIEELISE", "MARIE<ELISE"),  # a lost word break
        ("ADARNS", "ADAMS"),  # rn/m
        ("KOWALSKAI", "KOWALSKA"),  # a stray mark at the end
        ("5MITH", "SMITH"),
        ("Pórsson", "THORSSON"),  # Þórsson with its Þ read as P
        ("Michaf", "MICHAL"),  # Michał with its ł read as f
    ],
)
def test_ocr_noise(printed: str, mrz: str) -> None:
    match = compare_names(printed, mrz)
    assert match.outcome == "ocr_noise", match
    assert 0 < match.cost <= 0.75


@pytest.mark.parametrize(
    ("printed", "mrz"),
    [
        ("KARI", "LINNEA"),
        ("NOWAK", "KOWALSKA"),
        ("KOWALSKI", "KOWALSKA"),
        ("JAN", "JANA"),
        ("ANNA MARIA", "MARIA<ANNA"),  # swapped words
        ("SØRENSEN KARI", "KARI<<SORENSEN"),
        ("ANNA MARIA", "ANNA"),  # extra middle name
        ("ANNA", "ANNA<MARIA"),  # missing middle name
        ("ERIKSSON, ANNA MARIA", "ERIKSSON<<ANNA<MA"),  # truncated, but no field length given
        ("", "SMITH"),
        ("SMITH", "<<<"),
        ("PORSSON", "THORSSON<THORSSON"),  # the Þ explains a P, not a missing word
    ],
)
def test_different(printed: str, mrz: str) -> None:
    assert compare_names(printed, mrz).outcome == "different"


def test_truncation_at_the_field_length() -> None:
    field = "ERIKSSON<<ANNA<MA"
    assert compare_names("ERIKSSON, ANNA MARIA", field, field_length=17).outcome == "same"
    assert compare_names("ERIKSSON ANNA MARIA SOFIA", field, field_length=17).outcome == "same"
    noisy = compare_names("ERIKSS0N, ANNA MARIA", field, field_length=17)
    assert noisy.outcome == "ocr_noise"
    # the field is not full, so nothing was cut
    assert compare_names("ERIKSSON, ANNA MARIA", field, field_length=30).outcome == "different"
    # truncation never excuses a different beginning
    assert compare_names("ERIKSSON, LINNEA", field, field_length=17).outcome == "different"


def test_detail_names_the_differing_word() -> None:
    match = compare_names("KARI SORENSEN", "LINNEA<SORENSEN")
    assert "KARI / LINNEA" in match.detail
    assert "SORENSEN /" not in match.detail


def test_distance_costs() -> None:
    assert distance("BRANDT", "BRANDT") == 0
    assert distance("BRANDT", "BRAN0T") == CONFUSION_COST
    assert distance("RN", "M") == CONFUSION_COST
    assert distance("ABC", "AXC") == 1.0
    assert distance("ANNA<MARIA", "ANNA", truncated=True) == 0
    assert distance("ANNA", "ANNA<MARIA", truncated=True) > 1


def test_same_person_name_is_order_insensitive() -> None:
    assert same_person_name("Kari SØRENSEN-SØRENSEN", "SØRENSEN-SØRENSEN KARI").outcome == "same"
    assert same_person_name("Kari Sørensen-Sørensen", "SORENSEN<SORENSEN<<KARI").outcome == "same"
    assert same_person_name("Hans Müller", "MUELLER, HANS").outcome == "same"
    assert same_person_name("Anna Maria Eriksson", "ERIKSSON<<ANNA<MARIA").outcome == "same"
    noisy = same_person_name("Kari Sørensen", "SORENSEN<<KARl")
    assert noisy.outcome == "ocr_noise"
    thorn = same_person_name("Freja Pórsson-Pórsson", "THORSSON THORSSON FREJA")
    assert thorn.outcome == "ocr_noise"


def test_same_person_name_rejects_other_people() -> None:
    assert same_person_name("Kari Sørensen", "Linnea Sørensen").outcome == "different"
    assert same_person_name("Jan Nowak", "KOWALSKA, JAN").outcome == "different"
    # given names in another order are not a surname/given swap
    assert same_person_name("Anna Maria Eriksson", "ERIKSSON<<MARIA<ANNA").outcome == "different"
    assert same_person_name("Anna Eriksson", "ERIKSSON<<ANNA<MARIA").outcome == "different"
    assert same_person_name("", "ERIKSSON").outcome == "different"


NAMES = st.text(alphabet=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜÅÑÉ -'"), max_size=20)


@settings(max_examples=40, deadline=None)
@given(NAMES)
def test_a_name_matches_its_own_transliteration(name: str) -> None:
    if to_mrz(name):
        assert compare_names(name, to_mrz(name)).outcome == "same"
        assert same_person_name(name, to_mrz(name)).outcome == "same"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20), st.text(max_size=20))
def test_never_raises(printed: str, mrz: str) -> None:
    match = compare_names(printed, mrz, field_length=10)
    assert match.outcome in {"same", "ocr_noise", "different"}
    assert match.cost >= 0
    assert same_person_name(printed, mrz).outcome in {"same", "ocr_noise", "different"}


@pytest.mark.parametrize(
    ("read", "mrz", "state", "restored"),
    [
        ("SCHAFER", "SCHAEFER", "D", "SCHÄFER"),
        ("OZTURK", "OEZTUERK", "TUR", "ÖZTÜRK"),
        ("S@RENSEN-ABERG", "SOERENSEN<AABERG", "SWE", "SØRENSEN-ÅBERG"),
        ("SOREN", "SOEREN", "NOR", "SØREN"),
        ("ÄBERG", "AABERG", "SWE", "ÅBERG"),
        ("GROBMANN", "GROSSMANN", "D", "GROßMANN"),
        ("PORSSON", "THORSSON", "ISL", "ÞORSSON"),
        ("MÜLLER", "MUELLER", "D", "MÜLLER"),  # already right
        ("FERNANDEZ", "FERNANDEZ", "ESP", "FERNANDEZ"),  # É and E are spelled alike
        ("SCHAFER", "SCHAFFER", "D", "SCHAFER"),  # a different name is not repaired
        ("KOWALSKI", "KOWALSKA", "POL", "KOWALSKI"),
        ("ANNA MARIA", "ANNA<MARIA", "", "ANNA MARIA"),
    ],
)
def test_restore_marks(read: str, mrz: str, state: str, restored: str) -> None:
    assert restore_marks(read, mrz, state=state) == restored


MARKED = st.text(alphabet=st.sampled_from("ABDEGKLMNORSTUÄÖÜÅØßÞ -"), min_size=1, max_size=16)
_LOSE_MARKS = str.maketrans({"Ä": "A", "Ö": "O", "Ü": "U", "Å": "A", "Ø": "O", "ß": "B", "Þ": "P"})


@settings(max_examples=80, deadline=None)
@given(MARKED)
def test_restored_marks_spell_the_mrz(name: str) -> None:
    """A name read without its marks comes back spelled as its MRZ says, character for
    character (Ö and Ø are spelled alike, so either may come back)."""
    mrz = to_mrz(name)
    read = name.translate(_LOSE_MARKS)
    restored = restore_marks(read, mrz)
    assert len(restored) == len(read)
    if mrz and "<<" not in mrz and not name.startswith((" ", "-")):
        assert to_mrz(restored) == mrz


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=16), st.text(max_size=16), st.booleans())
def test_restore_marks_never_raises(read: str, mrz: str, truncated: bool) -> None:
    restored = restore_marks(read, mrz, truncated=truncated)
    assert len(restored) == len(read)
