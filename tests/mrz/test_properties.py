"""Property tests (hypothesis): round trips, check-digit sensitivity, idempotence, no crashes."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from docfraud.mrz.checksum import compute_check_digit
from docfraud.mrz.clean import normalize, repair
from docfraud.mrz.generate import generate_mrz
from docfraud.mrz.parse import parse_mrz
from docfraud.mrz.spec import LAYOUTS, MrzFormat, detect_format

TODAY = date(2024, 6, 15)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
MRZ = LETTERS + DIGITS + "<"
FAST = settings(max_examples=60, deadline=None)

words = st.lists(st.text(LETTERS, min_size=1, max_size=8), min_size=1, max_size=3)
alnum = st.text(LETTERS + DIGITS, max_size=16)

OPTIONAL = {  # field lengths available to optional data in each format
    MrzFormat.TD1: ("optional_data", 15),
    MrzFormat.TD2: ("optional_data", 7),
    MrzFormat.TD3: ("personal_number", 14),
    MrzFormat.MRVA: ("optional_data", 16),
    MrzFormat.MRVB: ("optional_data", 8),
}


@st.composite
def documents(draw: st.DrawFn, fmt: MrzFormat, long_numbers: bool = False) -> dict[str, Any]:
    visa = fmt in (MrzFormat.MRVA, MrzFormat.MRVB)
    first = "V" if visa else draw(st.sampled_from("PIAC"))
    name_len = LAYOUTS[fmt].field("name").length
    surname = draw(words)
    given_names = draw(st.one_of(st.just([]), words))
    primary, secondary = "<".join(surname), "<".join(given_names)
    if len(primary) + (len(secondary) + 2 if secondary else 0) > name_len:
        given_names, secondary = [], ""
        surname = surname[:1]
        primary = surname[0]
    size = (10, 14) if long_numbers else (1, 9)
    number = draw(st.text(LETTERS + DIGITS, min_size=size[0], max_size=size[1]))
    field, room = OPTIONAL[fmt]
    if long_numbers:
        room -= len(number) - 9 + 2
    optional = draw(st.text(LETTERS + DIGITS, max_size=max(room, 0)))
    values: dict[str, Any] = {
        "document_code": first + draw(st.sampled_from(["", *LETTERS])),
        "issuing_state": draw(st.text(LETTERS, min_size=1, max_size=3)),
        "surname": " ".join(surname),
        "given_names": " ".join(given_names),
        "document_number": number,
        "nationality": draw(st.text(LETTERS, min_size=1, max_size=3)),
        "birth_date": draw(st.dates(date(1924, 6, 16), TODAY)),
        "sex": draw(st.sampled_from("MFX")),
        "expiry_date": draw(st.dates(date(1974, 1, 1), date(2073, 12, 31))),
        field: optional,
    }
    if fmt is MrzFormat.TD1:
        values["optional_data_2"] = draw(st.text(LETTERS + DIGITS, max_size=11))
    return values


def _round_trip(fmt: MrzFormat, values: dict[str, Any]) -> None:
    lines = generate_mrz(fmt, **values)
    assert detect_format(lines) is fmt
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz is not None
    assert mrz.format is fmt
    assert mrz.valid, (lines, mrz.checks, mrz.problems)
    assert mrz.lines == lines
    assert mrz.document_code == values["document_code"]
    assert mrz.issuing_state == values["issuing_state"]
    assert mrz.nationality == values["nationality"]
    assert mrz.surname == values["surname"]
    assert mrz.given_names == values["given_names"]
    assert mrz.document_number == values["document_number"]
    assert mrz.birth_date == values["birth_date"]
    assert mrz.expiry_date == values["expiry_date"]
    assert mrz.sex == values["sex"]
    field, _ = OPTIONAL[fmt]
    assert getattr(mrz, field) == values[field]
    assert mrz.optional_data_2 == values.get("optional_data_2", "")
    # A clean MRZ needs no repair.
    assert repair(lines, fmt) == (lines, ())


@FAST
@given(documents(MrzFormat.TD1))
def test_round_trip_td1(values: dict[str, Any]) -> None:
    _round_trip(MrzFormat.TD1, values)


@FAST
@given(documents(MrzFormat.TD2))
def test_round_trip_td2(values: dict[str, Any]) -> None:
    _round_trip(MrzFormat.TD2, values)


@FAST
@given(documents(MrzFormat.TD3))
def test_round_trip_td3(values: dict[str, Any]) -> None:
    _round_trip(MrzFormat.TD3, values)


@FAST
@given(documents(MrzFormat.MRVA))
def test_round_trip_mrva(values: dict[str, Any]) -> None:
    _round_trip(MrzFormat.MRVA, values)


@FAST
@given(documents(MrzFormat.MRVB))
def test_round_trip_mrvb(values: dict[str, Any]) -> None:
    _round_trip(MrzFormat.MRVB, values)


@FAST
@given(
    st.sampled_from([MrzFormat.TD1, MrzFormat.TD2]).flatmap(
        lambda fmt: st.tuples(st.just(fmt), documents(fmt, long_numbers=True))
    )
)
def test_round_trip_long_numbers(case: tuple[MrzFormat, dict[str, Any]]) -> None:
    fmt, values = case
    _round_trip(fmt, values)


@FAST
@given(
    st.text(DIGITS, min_size=1, max_size=14),
    st.integers(min_value=0),
    st.sampled_from(DIGITS),
)
def test_any_one_digit_change_changes_the_check_digit(data: str, index: int, digit: str) -> None:
    # Weights 7, 3, 1 are all prime to 10, so one digit never hides (letters can: B = 11 = 1).
    i = index % len(data)
    if data[i] == digit:
        return
    changed = data[:i] + digit + data[i + 1 :]
    assert compute_check_digit(changed) != compute_check_digit(data)


@FAST
@given(st.lists(st.text(max_size=50), max_size=4))
def test_normalize_is_idempotent(lines: list[str]) -> None:
    once = normalize(lines)
    assert normalize(once) == once
    assert all(set(line) <= set(MRZ) and line for line in once)


def _mutate(lines: tuple[str, ...], edits: list[tuple[int, int, str]]) -> list[str]:
    rows = [list(line) for line in lines]
    for line, pos, char in edits:
        row = rows[line % len(rows)]
        row[pos % len(row)] = char
    return ["".join(row) for row in rows]


@FAST
@given(
    st.sampled_from(list(MrzFormat)).flatmap(lambda fmt: st.tuples(st.just(fmt), documents(fmt))),
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 43), st.sampled_from(MRZ + "KOQDIZSBG")),
        max_size=4,
    ),
)
def test_repair_is_idempotent_on_misread_documents(
    case: tuple[MrzFormat, dict[str, Any]], edits: list[tuple[int, int, str]]
) -> None:
    fmt, values = case
    misread = _mutate(generate_mrz(fmt, **values), edits)
    once, repairs = repair(misread, fmt)
    twice, more = repair(once, fmt)
    assert twice == once
    assert more == ()
    for r in repairs:  # every change is accounted for
        assert r.old != r.new


@FAST
@given(st.sampled_from(list(MrzFormat)), st.lists(st.text(max_size=50), max_size=4))
def test_repair_is_idempotent_and_total_on_any_text(fmt: MrzFormat, lines: list[str]) -> None:
    once, _ = repair(lines, fmt)
    assert repair(once, fmt) == (once, ())


mrz_like = st.lists(st.text(MRZ + "«x ", min_size=26, max_size=46), min_size=1, max_size=3)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.lists(st.text(max_size=60), max_size=5), mrz_like))
def test_parsers_never_raise(lines: list[str]) -> None:
    fmt = detect_format(lines)
    mrz = parse_mrz(lines, today=TODAY)
    assert (mrz is None) == (fmt is None)
    if mrz is not None:
        mrz.to_dict()
        assert mrz.valid == (
            all(c.valid for c in mrz.checks)
            and mrz.birth_date is not None
            and mrz.expiry_date is not None
            and not any(p.startswith("line") for p in mrz.problems)
        )
    for each in MrzFormat:
        repair(lines, each, [[0.5] * len(line) for line in lines])
