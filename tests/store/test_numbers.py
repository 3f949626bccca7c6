"""Document-number keys shared by link analysis and the stop-list."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docfraud.store.numbers import normalise_number, number_key

NUMBERS = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ <-", max_size=20)


def test_normalise_keeps_letters_and_digits_only() -> None:
    assert normalise_number("x4r 7215-k0<<") == "X4R7215K0"
    assert normalise_number("<<") == ""


def test_the_key_reads_o_as_0_and_nothing_else_alike() -> None:
    assert number_key("15SKO3O75") == number_key("15SK03075") == "15SK03075"
    assert number_key("15SKQ3075") != number_key("15SK03075")
    assert number_key("D1I") != number_key("D11")


@given(NUMBERS)
def test_the_key_is_a_normalised_number_without_o(text: str) -> None:
    key = number_key(text)
    assert "O" not in key and key == normalise_number(key) == number_key(key)
    assert number_key(text.replace("0", "O")) == key == number_key(text.lower())
