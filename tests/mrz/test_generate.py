"""Generation: Doc 9303 examples rebuilt, transliteration (Part 3 section 6), truncation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from docfraud.mrz.generate import generate_mrz, name_field, transliterate
from docfraud.mrz.parse import parse_mrz
from docfraud.mrz.spec import MrzFormat

ANNA: dict[str, Any] = {
    "issuing_state": "UTO",
    "surname": "Eriksson",
    "given_names": "Anna Maria",
    "nationality": "UTO",
    "birth_date": date(1974, 8, 12),
    "sex": "F",
    "expiry_date": date(2012, 4, 15),
}


def test_td3_example() -> None:  # Part 4, Appendix A
    lines = generate_mrz(
        MrzFormat.TD3,
        document_code="P",
        document_number="L898902C3",
        personal_number="ZE184226B",
        **ANNA,
    )
    assert lines == (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    )


def test_td1_example() -> None:  # Part 5, Appendix A
    lines = generate_mrz(MrzFormat.TD1, document_code="I", document_number="D23145890", **ANNA)
    assert lines == (
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    )


def test_td2_example() -> None:  # Part 6, Appendix A
    lines = generate_mrz(MrzFormat.TD2, document_code="I", document_number="D23145890", **ANNA)
    assert lines == ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            MrzFormat.MRVA,
            (
                "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L8988901C4XXX7408122F96121096ZE184226B<<<<<<",
            ),
        ),
        (
            MrzFormat.MRVB,
            ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX7408122F9612109<<<<<<<<"),
        ),
    ],
)
def test_visa_examples(fmt: MrzFormat, expected: tuple[str, str]) -> None:  # Part 7, App. A
    values = {**ANNA, "nationality": "XXX", "expiry_date": date(1996, 12, 10)}
    optional = "6ZE184226B" if fmt is MrzFormat.MRVA else ""
    lines = generate_mrz(
        fmt, document_code="V", document_number="L8988901C", optional_data=optional, **values
    )
    assert lines == expected


def test_tdl_long_document_number_round_trips() -> None:
    for fmt in (MrzFormat.TD1, MrzFormat.TD2):
        lines = generate_mrz(fmt, document_code="I", document_number="D23145890734", **ANNA)
        mrz = parse_mrz(lines)
        assert mrz is not None and mrz.valid
        assert mrz.document_number == "D23145890734"
    td1 = generate_mrz(
        MrzFormat.TD1,
        document_code="I",
        document_number="D23145890734",
        optional_data="AB12",
        **ANNA,
    )
    assert td1[0] == "I<UTOD23145890<7349<AB12<<<<<<"


@pytest.mark.parametrize(
    ("raw", "mrz"),
    [
        ("Ärnö Öberg", "AERNOE<OEBERG"),
        ("Ådne Ødegård", "AADNE<OEDEGAARD"),
        ("Ægir Þórsson", "AEGIR<THORSSON"),
        ("Straße", "STRASSE"),
        ("Guðrún", "GUDRUN"),
        ("Peña Muñoz", "PENA<MUNOZ"),
        ("Müller", "MUELLER"),
        ("Łukasz Żółć", "LUKASZ<ZOLC"),
        ("José María", "JOSE<MARIA"),
        ("Smith-Jones", "SMITH<JONES"),
        ("O’Connor", "OCONNOR"),
        ("D'Artagnan", "DARTAGNAN"),
        ("Anna, Maria", "ANNA<MARIA"),
        ("  van  der Berg ", "VAN<DER<BERG"),
        ("Dr. J.R.R. Tolkien III", "DR<JRR<TOLKIEN<III"),
        ("Иван", ""),  # scripts without a Latin table are dropped
    ],
)
def test_transliterate(raw: str, mrz: str) -> None:
    assert transliterate(raw) == mrz


@pytest.mark.parametrize(
    ("surname", "given", "length", "expected"),
    [
        # Part 4, 4.2.3.1 and 4.2.3.4: names that fit are not truncated.
        (
            "Papandropoulous",
            "Jonathon Warren Trevor",
            39,
            "PAPANDROPOULOUS<<JONATHON<WARREN<TREVOR",
        ),
        ("Van Der Muellen", "Martin", 30, "VAN<DER<MUELLEN<<MARTIN<<<<<<<"),
        ("Arkfreith", "", 30, "ARKFREITH" + "<" * 21),
        # Part 4, 4.2.3.2: secondary identifier truncated.
        (
            "Nilavadhanananda",
            "Chayapa Dejthamrong Krasuang",
            39,
            "NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K",
        ),
        (
            "Nilavadhanananda",
            "Arnpol Petch Charonguang",
            39,
            "NILAVADHANANANDA<<ARNPOL<PETCH<CHARONGU",
        ),
    ],
)
def test_name_field_examples(surname: str, given: str, length: int, expected: str) -> None:
    assert name_field(surname, given, length) == expected


def test_primary_identifier_truncated_ends_in_a_letter() -> None:
    field = name_field("Bennelong Wooloomooloo Warrandyte Warnambool", "Dingo Potoroo", 39)
    assert len(field) == 39
    assert field.endswith("<<D") and field[-1].isalpha()
    assert field.startswith("BENNELONG<WOOLOOMOOLOO<WARRANDYTE<")


def test_truncation_never_ends_on_a_filler() -> None:
    # The cut would fall on the '<' after 'CHAYAPA'; a letter is moved in instead.
    field = name_field("Nilavadhanananda", "Chayapa Dejthamrong", 26)
    assert len(field) == 26 and field[-1].isalpha()
    assert field.startswith("NILAVADHANANANDA<<")


@pytest.mark.parametrize(
    ("fmt", "changes"),
    [
        (MrzFormat.TD3, {"document_code": "V"}),
        (MrzFormat.MRVA, {"document_code": "P"}),
        (MrzFormat.TD1, {"personal_number": "123"}),
        (MrzFormat.TD3, {"optional_data": "123"}),
        (MrzFormat.TD3, {"document_number": "1234567890"}),
        (MrzFormat.MRVB, {"document_number": "1234567890"}),
        (MrzFormat.TD2, {"document_number": "D23145890734567"}),
        (MrzFormat.TD3, {"issuing_state": "UTOPIA"}),
        (MrzFormat.TD3, {"sex": "Q"}),
        (MrzFormat.TD2, {"optional_data": "12345678"}),
        (MrzFormat.TD3, {"document_code": "1"}),
    ],
)
def test_values_that_do_not_fit_raise(fmt: MrzFormat, changes: dict[str, str]) -> None:
    values: dict[str, Any] = {"document_code": "V" if fmt.startswith("MRV") else "I"}
    values |= {"document_number": "X1", **ANNA, **changes}
    with pytest.raises(ValueError):
        generate_mrz(fmt, **values)


def test_unspecified_sex_is_a_filler() -> None:
    lines = generate_mrz(
        MrzFormat.TD3, document_code="P", document_number="X1", **{**ANNA, "sex": "X"}
    )
    assert lines[1][20] == "<"
    mrz = parse_mrz(lines)
    assert mrz is not None and mrz.sex == "X"
