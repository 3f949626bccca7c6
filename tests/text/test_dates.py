"""Tests for docfraud.text.dates: formats, languages, OCR noise, centuries, round trips."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docfraud.text.dates import (
    FUTURE_YEARS,
    MONTH_NAMES,
    MONTHS,
    find_dates,
    fold,
    parse_date,
    resolve_short_year,
)

AUG_12 = date(1974, 8, 12)


@pytest.mark.parametrize(
    "text",
    [
        "12.08.1974",
        "12/08/1974",
        "12-08-1974",
        "1974-08-12",
        "1974.08.12",
        "12 08 1974",
        "12. 08. 1974",
        "12 AUG 1974",
        "12 AUG 74",
        "12AUG74",
        "12 AUG/AOÛT 1974",
        "12 AUG/AOUT 1974",
        "12 août 1974",
        "12. August 1974",
        "12 de agosto de 1974",
        "12 agosto 1974",
        "12 de Agosto de 1974",
        "12 augustus 1974",
        "12 augusti 1974",
        "12. august 1974",
        "12 sierpnia 1974",
        "12. srpna 1974",
        "12 Ağustos 1974",
        "12 AGUSTOS 1974",
        "August 12, 1974",
        "Aug. 12, 1974",
        " 12.08.1974 .",
    ],
)
def test_formats_and_languages(text: str) -> None:
    assert parse_date(text) == AUG_12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23 JUN/JUIN 2014", date(2014, 6, 23)),
        ("09 JAN/JANV 2013", date(2013, 1, 9)),
        ("13 FEB/FÉVR 2026", date(2026, 2, 13)),
        ("13 FEB/FEVR 2026", date(2026, 2, 13)),
        ("04 JUL/JUIL 2026", date(2026, 7, 4)),
        ("June 23, 2014", date(2014, 6, 23)),
        ("June 23rd, 2014", date(2014, 6, 23)),
        ("3 April 2026", date(2026, 4, 3)),
        ("1er mars 2026", date(2026, 3, 1)),
        ("1º de mayo de 2020", date(2020, 5, 1)),
        ("12 décembre 1999", date(1999, 12, 12)),
        ("5. März 2001", date(2001, 3, 5)),
        ("5. Maerz 2001", date(2001, 3, 5)),
        ("5 marzo 2001", date(2001, 3, 5)),
        ("5 de março de 2001", date(2001, 3, 5)),
        ("5 maart 2001", date(2001, 3, 5)),
        ("5 MRT 2001", date(2001, 3, 5)),
        ("5 marts 2001", date(2001, 3, 5)),
        ("5 października 2001", date(2001, 10, 5)),
        ("5 PAZDZIERNIKA 2001", date(2001, 10, 5)),
        ("5. října 2001", date(2001, 10, 5)),
        ("5 Ekim 2001", date(2001, 10, 5)),
        ("5 Şubat 2001", date(2001, 2, 5)),
        ("5 desember 2001", date(2001, 12, 5)),
        ("5 GEN 2001", date(2001, 1, 5)),
        ("5 OUT 2001", date(2001, 10, 5)),
        ("5 ENE 2001", date(2001, 1, 5)),
    ],
)
def test_more_months(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I2.O8.1974",
        "12.08.I974",
        "l2/O8/1974",
        "12-D8-1974",
        "1Z AUG 1974",
        "12.08.|974",
        "12,08.1974",  # the first full stop read with a tail
        "12,08 1974",
    ],
)
def test_ocr_confusions_in_digit_positions(text: str) -> None:
    assert parse_date(text) == AUG_12


def test_ocr_letters_map_to_their_digits() -> None:
    assert parse_date("2S.O6.198B") == date(1988, 6, 25)
    assert parse_date("1G.12.2020") == date(2020, 12, 16)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "1974",
        "1234567",
        "12081974",
        "AUG 1974",
        "12 AUG",
        "OI.OI.1974",  # day and month without a single real digit
        "SO.IO.BOOB",
        "31.02.2020",
        "30 FEB 2020",
        "32.01.2020",
        "13.13.2020",
        "00.08.1974",
        "12.08.0974",
        "12 AUG/SEPT 1974",  # two different months
        "12.08.1974 x",
        "12 AUG 1974 12 AUG 1974",
        "12 08 74",  # three loose numbers
        "12, 08, 1974",  # commas alone part a list, not a date
        "12/08, 74",  # a slash read as a comma: only before a full year
        "JUNE 2314",
    ],
)
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_day_first_unless_only_month_first_is_valid() -> None:
    assert parse_date("03/04/2020") == date(2020, 4, 3)
    assert parse_date("03/13/2020") == date(2020, 3, 13)
    assert parse_date("13/03/2020") == date(2020, 3, 13)


def test_expect_confirms_month_first() -> None:
    assert parse_date("03/04/2020", expect=date(2020, 3, 4)) == date(2020, 3, 4)
    assert parse_date("03/04/2020", expect=date(2020, 4, 3)) == date(2020, 4, 3)
    # expect never makes a different date appear
    assert parse_date("03/04/2020", expect=date(1999, 1, 1)) == date(2020, 4, 3)
    assert parse_date("hello", expect=date(2020, 4, 3)) is None


def test_two_digit_year_without_expect() -> None:
    today = date.today()
    near = (today.year + FUTURE_YEARS) % 100
    beyond = (today.year + FUTURE_YEARS + 1) % 100
    assert parse_date(f"01 JAN {near:02d}") == date(today.year + FUTURE_YEARS, 1, 1)
    assert parse_date(f"01 JAN {beyond:02d}") == date(today.year + FUTURE_YEARS + 1 - 100, 1, 1)
    assert parse_date("12 AUG 74") == AUG_12


def test_two_digit_year_with_expect() -> None:
    assert parse_date("12 AUG 30", expect=date(1930, 8, 12)) == date(1930, 8, 12)
    assert parse_date("12 AUG 30", expect=date(2030, 8, 12)) == date(2030, 8, 12)
    # closest century, even when the date itself differs from expect
    assert parse_date("11.08.30", expect=date(1931, 1, 1)) == date(1930, 8, 11)


def test_resolve_short_year() -> None:
    today = date(2026, 12, 1)
    assert resolve_short_year(36, 1, 1, expect=None, today=today) == date(2036, 1, 1)
    assert resolve_short_year(37, 1, 1, expect=None, today=today) == date(1937, 1, 1)
    assert resolve_short_year(0, 2, 29, expect=None, today=today) == date(2000, 2, 29)
    assert resolve_short_year(1, 2, 29, expect=None, today=today) is None
    assert resolve_short_year(99, 12, 31, expect=date(2001, 1, 1), today=today) == date(
        2000 - 1, 12, 31
    )


def test_find_dates_in_a_letter() -> None:
    text = (
        "Le 12 août 1974 et le 1er mars 2026; the letter dated June 23, 2014 "
        "(ref 12345, tel 555 1234) was received 3.4.2026."
    )
    found = find_dates(text)
    assert [d for d, _ in found] == [
        AUG_12,
        date(2026, 3, 1),
        date(2014, 6, 23),
        date(2026, 4, 3),
    ]
    assert [text[a:b] for _, (a, b) in found] == [
        "12 août 1974",
        "1er mars 2026",
        "June 23, 2014",
        "3.4.2026",
    ]


def test_find_dates_spans_survive_decomposed_accents_and_sharp_s() -> None:
    text = "Straße, 12 aou\u0302t 1974"
    [(value, (a, b))] = find_dates(text)
    assert value == AUG_12
    assert text[a:b] == "12 aou\u0302t 1974"


def test_a_hand_filled_date_whose_second_slash_was_read_as_a_comma() -> None:
    assert parse_date("16/06, 2026") == date(2026, 6, 16)
    assert [d for d, _ in find_dates("Place: Dublin Date: 16/06, 2026")] == [date(2026, 6, 16)]


def test_find_dates_nothing() -> None:
    assert find_dates("Invoice 12345 for 3 items, total 1974 EUR.") == []


def test_month_table_is_consistent() -> None:
    for language, months in MONTH_NAMES.items():
        assert len(months) == 12, language
        for number, spellings in enumerate(months, start=1):
            for spelling in spellings.split():
                assert MONTHS[fold(spelling)[0]] == number


# --- properties -------------------------------------------------------------------------

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
NUMERIC = ("{d:02d}.{m:02d}.{y}", "{d:02d}/{m:02d}/{y}", "{d}-{m}-{y}", "{y}-{m:02d}-{d:02d}")


@settings(max_examples=60, deadline=None)
@given(DATES, st.sampled_from(NUMERIC))
def test_numeric_round_trip(value: date, style: str) -> None:
    text = style.format(d=value.day, m=value.month, y=value.year)
    assert parse_date(text) == value


@settings(max_examples=60, deadline=None)
@given(DATES)
def test_month_first_round_trip_with_expect(value: date) -> None:
    text = f"{value.month:02d}/{value.day:02d}/{value.year}"
    assert parse_date(text, expect=value) == value


@settings(max_examples=200, deadline=None)
@given(
    DATES,
    st.sampled_from(sorted(MONTH_NAMES)),
    st.booleans(),
    st.sampled_from(("{d} {mon} {y}", "{d:02d}. {mon} {y}", "{mon} {d}, {y}", "{d}{mon}{y}")),
    st.sampled_from((str.upper, str.lower, str.title)),
)
def test_month_name_round_trip(
    value: date, language: str, short: bool, style: str, case: object
) -> None:
    spellings = MONTH_NAMES[language][value.month - 1].split()
    mon = spellings[-1] if short else spellings[0]
    assert callable(case)
    text = case(style.format(d=value.day, mon=mon, y=value.year))
    assert parse_date(text) == value


@settings(max_examples=60, deadline=None)
@given(DATES, st.sampled_from(sorted(MONTH_NAMES)))
def test_two_digit_year_round_trip_with_expect(value: date, language: str) -> None:
    mon = MONTH_NAMES[language][value.month - 1].split()[-1]
    assert parse_date(f"{value.day:02d} {mon} {value.year % 100:02d}", expect=value) == value


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789OIlSBZ|./- AUGJANaoût,"), max_size=30))
def test_never_raises(text: str) -> None:
    parse_date(text)
    for value, (a, b) in find_dates(text):
        assert isinstance(value, date)
        assert 0 <= a < b <= len(text)
