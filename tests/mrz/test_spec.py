"""Field tables and format detection: Doc 9303 Parts 4 (TD3), 5 (TD1), 6 (TD2), 7 (MRV)."""

from __future__ import annotations

import pytest

from docfraud.mrz.spec import (
    CLASS_CHARS,
    LAYOUTS,
    CharClass,
    MrzFormat,
    check_spans,
    detect_format,
    long_number_run,
    position_classes,
)

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
MRVA = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX7408122F96121096ZE184226B<<<<<<",
)
MRVB = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX7408122F9612109<<<<<<<<")

SHAPES = {
    MrzFormat.TD1: (3, 30),
    MrzFormat.TD2: (2, 36),
    MrzFormat.TD3: (2, 44),
    MrzFormat.MRVA: (2, 44),
    MrzFormat.MRVB: (2, 36),
}


@pytest.mark.parametrize("fmt", list(MrzFormat))
def test_layout_shape_and_coverage(fmt: MrzFormat) -> None:
    layout = LAYOUTS[fmt]
    assert (layout.line_count, layout.line_length) == SHAPES[fmt]
    seen: set[tuple[int, int]] = set()
    for spec in layout.fields:
        assert 0 <= spec.start < spec.end <= layout.line_length
        cells = {(spec.line, p) for p in range(spec.start, spec.end)}
        if spec.check_digit is not None:
            assert not spec.start <= spec.check_digit < spec.end
            cells.add((spec.line, spec.check_digit))
        assert not cells & seen, spec.name
        seen |= cells
    if layout.composite is not None:
        seen.add((layout.composite.line, layout.composite.position))
    # Every position belongs to exactly one field, check digit or composite.
    assert len(seen) == layout.line_count * layout.line_length
    classes = position_classes(fmt)
    assert [len(row) for row in classes] == [layout.line_length] * layout.line_count
    assert "F" not in "".join(classes)


# (format, field, line, 1-based first position, 1-based last position, 1-based check position)
SPEC_POSITIONS = [
    (MrzFormat.TD3, "name", 1, 6, 44, None),  # Part 4, 4.2.2.1
    (MrzFormat.TD3, "document_number", 2, 1, 9, 10),  # Part 4, 4.2.2.2
    (MrzFormat.TD3, "nationality", 2, 11, 13, None),
    (MrzFormat.TD3, "birth_date", 2, 14, 19, 20),
    (MrzFormat.TD3, "sex", 2, 21, 21, None),
    (MrzFormat.TD3, "expiry_date", 2, 22, 27, 28),
    (MrzFormat.TD3, "personal_number", 2, 29, 42, 43),
    (MrzFormat.TD1, "document_number", 1, 6, 14, 15),  # Part 5, 4.2.2.1
    (MrzFormat.TD1, "optional_data", 1, 16, 30, None),
    (MrzFormat.TD1, "birth_date", 2, 1, 6, 7),  # Part 5, 4.2.2.2
    (MrzFormat.TD1, "sex", 2, 8, 8, None),
    (MrzFormat.TD1, "expiry_date", 2, 9, 14, 15),
    (MrzFormat.TD1, "nationality", 2, 16, 18, None),
    (MrzFormat.TD1, "optional_data_2", 2, 19, 29, None),
    (MrzFormat.TD1, "name", 3, 1, 30, None),  # Part 5, 4.2.2.3
    (MrzFormat.TD2, "name", 1, 6, 36, None),  # Part 6, 4.2.2.1
    (MrzFormat.TD2, "document_number", 2, 1, 9, 10),  # Part 6, 4.2.2.2
    (MrzFormat.TD2, "optional_data", 2, 29, 35, None),
    (MrzFormat.MRVA, "expiry_date", 2, 22, 27, 28),  # Part 7, 4.2.2.2
    (MrzFormat.MRVA, "optional_data", 2, 29, 44, None),
    (MrzFormat.MRVB, "name", 1, 6, 36, None),  # Part 7, 7.2.2.1
    (MrzFormat.MRVB, "optional_data", 2, 29, 36, None),  # Part 7, 7.2.2.2
]


@pytest.mark.parametrize(("fmt", "name", "line", "first", "last", "check"), SPEC_POSITIONS)
def test_positions_match_doc_9303(
    fmt: MrzFormat, name: str, line: int, first: int, last: int, check: int | None
) -> None:
    spec = LAYOUTS[fmt].field(name)
    assert (spec.line, spec.start, spec.end) == (line - 1, first - 1, last)
    assert spec.check_digit == (None if check is None else check - 1)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        # 1-based ranges from Part 4 4.2.4, Part 6 4.2.4 and Part 5 4.2.4.
        (MrzFormat.TD3, (1, 44, ((2, 1, 10), (2, 14, 20), (2, 22, 43)))),
        (MrzFormat.TD2, (1, 36, ((2, 1, 10), (2, 14, 20), (2, 22, 35)))),
        (MrzFormat.TD1, (1, 30, ((1, 6, 30), (2, 1, 7), (2, 9, 15), (2, 19, 29)))),
    ],
)
def test_composite_ranges(fmt: MrzFormat, expected: tuple[object, ...]) -> None:
    comp = LAYOUTS[fmt].composite
    assert comp is not None
    ranges = tuple((ln + 1, start + 1, end) for ln, start, end in comp.ranges)
    assert (comp.line, comp.position + 1, ranges) == expected


@pytest.mark.parametrize("fmt", [MrzFormat.MRVA, MrzFormat.MRVB])
def test_visas_have_no_composite(fmt: MrzFormat) -> None:
    assert LAYOUTS[fmt].composite is None


def test_position_classes_td3() -> None:
    top, bottom = position_classes(MrzFormat.TD3)
    # document code: the second character is at the issuing State's discretion (Part 5 note k)
    assert top == "XX" + "AAA" + "A" * 39
    assert bottom == "X" * 9 + "C" + "AAA" + "N" * 6 + "C" + "S" + "N" * 6 + "C" + "X" * 14 + "CC"


def test_class_codes_and_chars() -> None:
    assert {c.code for c in CharClass} == set(CLASS_CHARS)
    assert CharClass.NUMERIC.chars == "0123456789"
    assert CharClass.SEX.chars == "MFX<"
    assert "<" in CharClass.CHECK.chars and "<" in CharClass.ALPHA.chars
    assert CharClass.FILLER.chars == "<"


@pytest.mark.parametrize(
    ("lines", "fmt"),
    [(TD1, MrzFormat.TD1), (TD2, MrzFormat.TD2), (TD3, MrzFormat.TD3)]
    + [(MRVA, MrzFormat.MRVA), (MRVB, MrzFormat.MRVB)],
)
def test_detect_exact(lines: tuple[str, ...], fmt: MrzFormat) -> None:
    assert detect_format(lines) is fmt


def test_detect_tolerates_ocr_lengths_spaces_and_blank_lines() -> None:
    assert detect_format((TD3[0][:-1], TD3[1] + "<")) is MrzFormat.TD3
    assert detect_format((TD3[0][:-2], TD3[1])) is MrzFormat.TD3
    assert detect_format(("", TD2[0][:18] + " " + TD2[0][18:], TD2[1], "  ")) is MrzFormat.TD2
    assert detect_format([line.lower() for line in TD1]) is MrzFormat.TD1
    assert detect_format((MRVB[0] + "<<", MRVB[1][:-1])) is MrzFormat.MRVB


@pytest.mark.parametrize(
    "lines",
    [
        (),
        ("",),
        (TD3[0],),
        (TD3[0][:-3], TD3[1]),  # three characters off
        (TD3[0], TD3[1], TD3[1]),  # TD3 has two lines
        (TD1[0], TD1[1]),
        ("hello world, this is not an MRZ at all!!!", "x" * 44),
        ("#" * 44, "#" * 44),
    ],
)
def test_detect_rejects_junk(lines: tuple[str, ...]) -> None:
    assert detect_format(lines) is None


def test_long_number_run_td1_and_td2() -> None:
    long_td1 = ("I<UTOD23145890<7349<<<<<<<<<<<", TD1[1], TD1[2])
    assert long_number_run(long_td1, MrzFormat.TD1) == (15, 19)
    assert long_number_run(TD1, MrzFormat.TD1) is None
    long_td2 = (TD2[0], "D23145890<UTO7408122F12041597349<<<2")
    assert long_number_run(long_td2, MrzFormat.TD2) == (28, 32)
    assert long_number_run(TD3, MrzFormat.TD3) is None
    span = check_spans(long_td1, MrzFormat.TD1)[0]
    assert span.name == "document_number" and span.long_number
    assert span.position == 18
    assert [p for _, p in span.cells] == [*range(5, 14), 15, 16, 17]


def test_check_spans_td3() -> None:
    names = [s.name for s in check_spans(TD3, MrzFormat.TD3)]
    assert names == ["document_number", "birth_date", "expiry_date", "personal_number", "composite"]
    comp = check_spans(TD3, MrzFormat.TD3)[-1]
    assert comp.span == (0, 43) and len(comp.cells) == 10 + 7 + 22
