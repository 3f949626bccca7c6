"""Check digits: Doc 9303 Part 3, 4.9 and Appendix A."""

from __future__ import annotations

import pytest

from docfraud.mrz.checksum import char_value, compute_check_digit, is_valid_check_digit


def test_char_values() -> None:
    assert char_value("<") == 0
    assert [char_value(c) for c in "0123456789"] == list(range(10))
    assert char_value("A") == 10
    assert char_value("Z") == 35


@pytest.mark.parametrize("bad", ["", "a", "AB", " ", "É", "«"])
def test_char_value_rejects_non_mrz(bad: str) -> None:
    with pytest.raises(ValueError):
        char_value(bad)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("520727", "3"),  # Appendix A, example 1 (date)
        ("AB2134<<<", "5"),  # example 2 (document number)
        ("HA672242<658022549601086<<<<<<<<<<<<<<0", "8"),  # example 3 (TD3 composite)
        ("D231458907<<<<<<<<<<<<<<<34071279507122<<<<<<<<<<<", "2"),  # example 4 (TD1)
        ("HA672242<658022549601086<<<<<<<", "8"),  # example 5 (TD2 composite)
        ("", "0"),
    ],
)
def test_icao_examples(data: str, expected: str) -> None:
    assert compute_check_digit(data) == expected


def test_blind_spot_values_share_a_residue() -> None:
    base = "AB2134<<<"
    digits = {compute_check_digit(base[:6] + c + base[7:]) for c in "<0AKU"}
    assert digits == {"5"}


def test_compute_rejects_non_mrz() -> None:
    with pytest.raises(ValueError):
        compute_check_digit("ab")


def test_is_valid_check_digit() -> None:
    assert is_valid_check_digit("520727", "3")
    assert not is_valid_check_digit("520727", "4")
    assert not is_valid_check_digit("52O7x7", "3")
