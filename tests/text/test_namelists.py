"""Tests for docfraud.text.namelists: marks the MRZ cannot prove, from the names of a state."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docfraud.text.namelists import restore_name_marks
from docfraud.text.places import fold
from docfraud.text.translit import to_mrz


@pytest.mark.parametrize(
    ("read", "states", "shown"),
    [
        ("JESUS", ("ESP", "ESP"), "JESÚS"),  # Spain's lists spell it one way, with its mark
        ("PENA", ("ESP", "ESP"), "PEÑA"),
        ("SOFIA MARIA", ("ESP", "D"), "SOFÍA MARÍA"),  # word by word, the nationality's lists
        ("HOANG", ("VNM", "VNM"), "HOÀNG"),
        ("LOPEZ", ("ESP", "ESP"), "LOPEZ"),  # the lists hold LÓPEZ and LOPEZ: unproven
        ("SMITH", ("ESP", "ESP"), "SMITH"),  # no such name there
        ("JESUS", ("UTO", "UTO"), "JESUS"),  # a state without lists
        ("SØRENSEN", ("SWE", "SWE"), "SØRENSEN"),  # a mark read stays: no Swedish SÖRENSEN
        ("MULLER", ("D", "D"), "MULLER"),  # Ü is UE in the MRZ: for the MRZ to prove, not a list
        ("ABU-JESUS", ("ESP", "ESP"), "ABU-JESÚS"),  # hyphens kept
        ("Jesus", ("ESP", "ESP"), "Jesus"),  # not a printed field in capitals
    ],
)
def test_restore_name_marks(read: str, states: tuple[str, str], shown: str) -> None:
    assert restore_name_marks(read, states) == shown


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ABCEGIJLMNOPRSTUZ -"), max_size=24))
def test_only_marks_change_and_the_mrz_spells_both_alike(read: str) -> None:
    shown = restore_name_marks(read, ("ESP", "FRA"))
    assert fold(shown) == fold(read) and to_mrz(shown) == to_mrz(read)


def test_a_state_whose_lists_include_a_property_is_read() -> None:
    # Faker's es_CL person provider defines first_names as a property over its other lists
    assert restore_name_marks("RAUL", ("CHL", "CHL")) == "RAÚL"
