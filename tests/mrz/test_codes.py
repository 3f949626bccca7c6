"""Tests for docfraud.mrz.codes against Doc 9303 Part 3, section 5."""

from __future__ import annotations

import pytest

from docfraud.mrz.codes import (
    ICAO_CODES,
    LONG_NUMBER_MAX,
    StateCode,
    document_number_problem,
    lookup_state,
)

# (code, kind, issuing, nationality) for every extension in Part 3, section 5, Parts A-H.
ICAO_EXTRAS = [
    ("D", "icao", True, True),
    ("GBD", "icao", False, True),
    ("GBN", "icao", False, True),
    ("GBO", "icao", False, True),
    ("GBP", "icao", False, True),
    ("GBS", "icao", False, True),
    ("RKS", "icao", True, True),
    ("EUE", "icao", True, False),
    ("UNO", "icao", True, True),
    ("UNA", "icao", True, True),
    ("UNK", "icao", True, True),
    ("XBA", "icao", True, False),
    ("XIM", "icao", True, False),
    ("XCC", "icao", True, True),
    ("XCE", "icao", True, False),
    ("XCO", "icao", True, False),
    ("XEC", "icao", True, False),
    ("XPO", "icao", True, False),
    ("XES", "icao", True, False),
    ("XMP", "icao", True, False),
    ("XOM", "icao", True, True),
    ("XDC", "icao", True, False),
    ("XXA", "icao", False, True),
    ("XXB", "icao", False, True),
    ("XXC", "icao", False, True),
    ("XXX", "icao", False, True),
    ("ANT", "iso", True, True),
    ("NTZ", "iso", True, True),
    ("UTO", "specimen", True, True),
    ("YTO", "specimen", True, True),
    ("IAO", "icao", False, False),
]


@pytest.mark.parametrize(("code", "kind", "issuing", "nationality"), ICAO_EXTRAS)
def test_every_icao_extra(code: str, kind: str, issuing: bool, nationality: bool) -> None:
    state = lookup_state(code)
    assert state == StateCode(code, ICAO_CODES[code].name, kind, issuing, nationality)
    assert state.name


def test_table_has_exactly_the_spec_extras() -> None:
    assert set(ICAO_CODES) == {code for code, *_ in ICAO_EXTRAS}


@pytest.mark.parametrize(
    ("code", "name"),
    [("FRA", "France"), ("DEU", "Germany"), ("NLD", "Netherlands"), ("GBR", "United Kingdom"),
     ("BOL", "Bolivia"), ("UKR", "Ukraine")],
)  # fmt: skip
def test_iso_codes(code: str, name: str) -> None:
    state = lookup_state(code)
    assert state is not None
    assert (state.code, state.kind, state.issuing, state.nationality) == (code, "iso", True, True)
    assert name in state.name


def test_germany_with_fillers_and_case() -> None:
    for code in ("D", "D<<", "D<", " d<< "):
        state = lookup_state(code)
        assert state is not None and state.code == "D" and state.name == "Germany"


@pytest.mark.parametrize("code", ["ZZZ", "", "<<<", "XX", "XYZ", "DE", "FRAN", "UT0", "F R"])
def test_unknown_codes(code: str) -> None:
    assert lookup_state(code) is None


@pytest.mark.parametrize("number", ["L898902C3", "L898902C3<", "D23145890", "A", "123456789"])
def test_well_formed_numbers(number: str) -> None:
    assert document_number_problem(number) is None


def test_long_td1_number_is_allowed() -> None:
    assert document_number_problem("D23145890734") is None
    assert document_number_problem("A" * LONG_NUMBER_MAX) is None
    assert document_number_problem("A" * (LONG_NUMBER_MAX + 1)) is not None


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "empty"),
        ("<<<<<<<<<", "empty"),
        ("L898 902C3", "contains spaces"),
        ("<L898902C", "starts with fillers"),
        ("L89<902C3", "fillers inside the number"),
        ("l898902c3", "characters outside A-Z and 0-9"),
        ("L898-902C", "characters outside A-Z and 0-9"),
    ],
)
def test_malformed_numbers(number: str, reason: str) -> None:
    assert document_number_problem(number) == reason
