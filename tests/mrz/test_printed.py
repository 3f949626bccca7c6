"""The one rule for "the printed field says what the MRZ says", shared by reader and checks."""

from __future__ import annotations

from datetime import date

import pytest

from docfraud.mrz.parse import MrzData, parse_mrz
from docfraud.mrz.printed import agrees, mrz_value, name_truncated

# ICAO Doc 9303 Part 4, Appendix A specimen (TD3)
SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
LONG_NAME = (
    "P<UTOVANDERBERGHE<DE<LA<TORRE<<JEAN<FRANCOIS",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


@pytest.fixture(scope="module")
def data() -> MrzData:
    parsed = parse_mrz(SPECIMEN, date(2010, 1, 1))
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("field", "text", "value", "expected"),
    [
        ("surname", "ERIKSSON", None, True),
        ("surname", "ERIKSS0N", None, True),  # a zero for an O: OCR noise
        ("surname", "ERIKSEN", None, False),
        ("given_names", "ANNA MARIA", None, True),
        ("given_names", "ANNA", None, False),
        ("birth_date", "12 AUG 1974", "1974-08-12", True),
        ("birth_date", "12 AUG 1975", "1975-08-12", False),
        ("birth_date", "12 AUG 19?5", None, None),  # unparsed: cannot compare
        ("birth_date", "12 AUG 1874", "1874-08-12", True),  # the MRZ's two digits: 74
        ("birth_date", "12 AUG 1884", "1884-08-12", False),
        ("document_number", "L898902C3", None, True),
        ("document_number", "L8989O2C3", None, True),  # O read for 0
        ("document_number", "L898902C4", None, False),
        ("personal_number", "ZE184226B", None, True),
        ("sex", "F", "F", True),
        ("sex", "M", "M", False),
        ("nationality", "UTO", "UTO", True),
        ("nationality", "UTOPIAN", "UTOPIAN", None),  # a word, not a code
        ("authority", "PASSPORT OFFICE", None, None),  # the MRZ holds no authority
    ],
)
def test_agrees(
    data: MrzData, field: str, text: str, value: str | None, expected: bool | None
) -> None:
    assert agrees(field, text, value, data) is expected


def test_mrz_values_are_without_fillers(data: MrzData) -> None:
    assert mrz_value("given_names", data) == "ANNA MARIA"
    assert mrz_value("birth_date", data) == "1974-08-12"
    assert mrz_value("personal_number", data) == "ZE184226B"
    assert mrz_value("issue_date", data) == ""


def test_a_truncated_mrz_name_only_begins_the_printed_one() -> None:
    parsed = parse_mrz(LONG_NAME, date(2010, 1, 1))
    assert parsed is not None and name_truncated(parsed)
    assert agrees("given_names", "JEAN FRANCOIS XAVIER", None, parsed)
