"""OCR repairs: every change is recorded; altered data is never 'repaired' into validity."""

from __future__ import annotations

from typing import Any

import pytest

from docfraud.mrz.clean import Repair, RepairReason, normalize, repair
from docfraud.mrz.parse import parse_mrz
from docfraud.mrz.spec import MrzFormat

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
MRVB = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX7408122F9612109<<<<<<<<")
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
EMPTY_PN = (TD3[0], "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<08")

FIELD_CLASS = RepairReason.FIELD_CLASS
CHECK_DIGIT = RepairReason.CHECK_DIGIT
FILLER = RepairReason.FILLER
LENGTH = RepairReason.LENGTH


def _with(lines: tuple[str, ...], line: int, pos: int, text: str) -> tuple[str, ...]:
    rows = list(lines)
    rows[line] = rows[line][:pos] + text + rows[line][pos + len(text) :]
    return tuple(rows)


def _summary(repairs: tuple[Repair, ...]) -> list[tuple[int, int, str, str, str]]:
    return [(r.line, r.position, r.old, r.new, str(r.reason)) for r in repairs]


# --- normalize -------------------------------------------------------------------------


def test_normalize() -> None:
    assert normalize([" p<uto eriksson«anna‹maria ", "", "L898-902.C3"]) == (
        "P<UTOERIKSSON<ANNA<MARIA",
        "L898902C3",
    )
    assert normalize(["ＡＢＣ＜１"]) == ("ABC<1",)  # full-width forms
    assert normalize(["Éé"]) == ("EE",)
    assert normalize([]) == ()


# --- class repairs ---------------------------------------------------------------------


def test_numeric_field_reads_letters_as_digits() -> None:
    lines, repairs = repair(_with(TD3, 1, 13, "7AO8I2"), MrzFormat.TD3)
    # 'A' has no digit reading, so only O and I change, each recorded.
    assert lines[1][13:19] == "7A0812"
    assert _summary(repairs) == [(1, 15, "O", "0", FIELD_CLASS), (1, 17, "I", "1", FIELD_CLASS)]


def test_alpha_field_reads_digits_as_letters() -> None:
    lines, repairs = repair(_with(TD3, 0, 2, "UT0ER1KSSON"), MrzFormat.TD3)
    assert lines == TD3
    assert _summary(repairs) == [(0, 4, "0", "O", FIELD_CLASS), (0, 7, "1", "I", FIELD_CLASS)]


def test_check_digit_position_reads_letters_as_digits() -> None:
    lines, repairs = repair(_with(TD3, 1, 19, "Z"), MrzFormat.TD3)
    assert lines == TD3
    assert _summary(repairs) == [(1, 19, "Z", "2", FIELD_CLASS)]
    lines, repairs = repair(_with(TD3, 1, 43, "O"), MrzFormat.TD3)
    assert lines == TD3 and _summary(repairs) == [(1, 43, "O", "0", FIELD_CLASS)]


def test_sex_field() -> None:
    lines, repairs = repair(_with(TD3, 1, 20, "E"), MrzFormat.TD3)
    assert lines == TD3
    assert _summary(repairs) == [(1, 20, "E", "F", FIELD_CLASS)]


def test_wholly_wrong_field_is_left_for_the_checks() -> None:
    # A nationality printed as digits (pe_100_id-rou) is data, not three OCR slips.
    lines = ("IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<", "HD198025<51328505095M130509012049941")
    assert repair(lines, MrzFormat.TD2) == (lines, ())


def test_alnum_fields_are_not_class_repaired() -> None:
    assert repair(MRVB, MrzFormat.MRVB) == (MRVB, ())
    assert repair(TD1, MrzFormat.TD1) == (TD1, ())


# --- check-digit repairs ---------------------------------------------------------------


def test_letter_island_in_document_number_confirmed_by_check() -> None:
    lines, repairs = repair(_with(TD3, 1, 3, "B"), MrzFormat.TD3)  # L89B902C3
    assert lines == TD3
    assert _summary(repairs) == [(1, 3, "B", "8", CHECK_DIGIT)]


def test_digit_read_for_letter_in_personal_number() -> None:
    lines, repairs = repair(_with(TD3, 1, 28, "2"), MrzFormat.TD3)  # 2E184226B
    assert lines == TD3
    assert _summary(repairs) == [(1, 28, "2", "Z", CHECK_DIGIT)]


def test_two_fields_repaired_together_with_the_composite() -> None:
    broken = _with(_with(TD3, 1, 3, "B"), 1, 28, "2")
    lines, repairs = repair(broken, MrzFormat.TD3)
    assert lines == TD3
    assert [r.reason for r in repairs] == [CHECK_DIGIT, CHECK_DIGIT]


def test_altered_data_is_left_as_read() -> None:
    # L898902C3 -> L898903C3: the check fails; the only swap that fixes it (0 -> D between two
    # digits) is implausible, so nothing changes and parse reports the failing check.
    altered = _with(TD3, 1, 6, "3")
    assert repair(altered, MrzFormat.TD3) == (altered, ())
    mrz = parse_mrz(altered)
    assert mrz is not None and not mrz.valid


def test_changed_check_digit_is_never_repaired() -> None:
    for fmt, lines, pos in ((MrzFormat.TD3, TD3, 9), (MrzFormat.MRVB, MRVB, 9)):
        altered = _with(lines, 1, pos, "5" if lines[1][pos] != "5" else "3")
        assert repair(altered, fmt) == (altered, ())


def test_printed_wrong_document_stays_as_read() -> None:
    # pe_0_id-esp: a single swap (0 -> Q) would fix the document number, but the composite
    # disagrees, so the swap is rejected.
    lines = (
        "IDESPAAA1000014<00000023T<<<<<",
        "7212018F1101236ESP<<<<<<<<<<<8",
        "ESPANOLA<ESPANOLA<CARMEN<<<<<<",
    )
    assert repair(lines, MrzFormat.TD1) == (lines, ())


def test_ambiguous_candidates_without_confidence_are_left() -> None:
    # LB988901C4: B -> 8 at position 1 (neighbours L and 9) is not a letter island.
    broken = _with(MRVB, 1, 1, "B")
    assert repair(broken, MrzFormat.MRVB) == (broken, ())


def test_confidence_singles_out_a_candidate() -> None:
    broken = _with(MRVB, 1, 1, "B")
    conf = [[0.99] * 36, [0.99] * 36]
    conf[1][1] = 0.4
    lines, repairs = repair(broken, MrzFormat.MRVB, conf)
    assert lines == MRVB
    assert _summary(repairs) == [(1, 1, "B", "8", CHECK_DIGIT)]


def test_confidence_that_does_not_stand_out_changes_nothing() -> None:
    broken = _with(MRVB, 1, 1, "B")
    conf = [[0.99] * 36, [0.99] * 36]
    conf[1][1] = 0.95
    assert repair(broken, MrzFormat.MRVB, conf) == (broken, ())


def test_badly_shaped_confidences_are_ignored() -> None:
    broken = _with(TD3, 1, 3, "B")
    lines, repairs = repair(broken, MrzFormat.TD3, [[0.5] * 3])
    assert lines == TD3 and len(repairs) == 1


def test_long_td1_number_repaired_in_optional_data() -> None:
    # Part 5 note j: D23145890 + 785, check digit 5 in optional data.
    good = ("I<UTOD23145890<7855<<<<<<<<<<<", TD1[1], TD1[2])
    mrz = parse_mrz(good)
    assert mrz is not None and mrz.valid and mrz.document_number == "D23145890785"
    lines, repairs = repair(_with(good, 0, 16, "B"), MrzFormat.TD1)  # 7B5: letter island
    assert lines == good
    assert _summary(repairs) == [(0, 16, "B", "8", CHECK_DIGIT)]


# --- filler repairs --------------------------------------------------------------------


def test_lookalike_after_the_name_becomes_filler() -> None:
    lines, repairs = repair(_with(TD3, 0, 30, "K"), MrzFormat.TD3)
    assert lines == TD3
    assert _summary(repairs) == [(0, 30, "K", "<", FILLER)]


def test_name_letters_are_not_fillers() -> None:
    # Before the first '<<<' a lone letter can be an initial (truncation, Part 4 4.2.3).
    lines = (
        "P<UTONILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K",
        TD3[1],
    )
    assert repair(lines, MrzFormat.TD3) == (lines, ())
    # Two lookalikes side by side may be a real name part, so they stay.
    doubled = _with(TD3, 0, 30, "EE")
    assert repair(doubled, MrzFormat.TD3) == (doubled, ())


@pytest.mark.parametrize("char", ["K", "S", "E"])
def test_empty_personal_number_with_lookalike(char: str) -> None:
    broken = _with(EMPTY_PN, 1, 34, char)
    lines, repairs = repair(broken, MrzFormat.TD3)
    assert lines == EMPTY_PN
    assert _summary(repairs) == [(1, 34, char, "<", FILLER)]


def test_personal_number_with_real_check_is_not_emptied() -> None:
    lines = (TD3[0], "L898902C36UTO7408122F1204159<<<<<<K<<<<<<<" + "3" + "8")
    assert repair(lines, MrzFormat.TD3) == (lines, ())


# --- length ----------------------------------------------------------------------------


def test_short_line_is_padded() -> None:
    lines, repairs = repair((TD3[0][:-2], TD3[1]), MrzFormat.TD3)
    assert lines == TD3
    assert _summary(repairs) == [(0, 42, "", "<", LENGTH), (0, 43, "", "<", LENGTH)]


def test_long_line_is_cut() -> None:
    lines, repairs = repair((TD3[0], TD3[1] + "<"), MrzFormat.TD3)
    assert lines == TD3
    assert _summary(repairs) == [(1, 44, "<", "", LENGTH)]


def test_doubled_filler_is_removed_where_the_checks_say() -> None:
    # Part 4 Figure A-2 prints each IVANOVA line with one filler too many.
    printed = (
        "P<UTOIVANOVA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F2504155184226<<<<<<<<<18",
    )
    lines, repairs = repair(printed, MrzFormat.TD3)
    assert lines == (
        "P<UTOIVANOVA<<ANNA" + "<" * 26,
        "L898902C36UTO7408122F2504155184226" + "<" * 8 + "18",
    )
    assert {r.reason for r in repairs} == {LENGTH}
    mrz = parse_mrz(lines)
    assert mrz is not None and mrz.valid


@pytest.mark.parametrize(
    "lines",
    [
        (TD3[0],),
        (TD3[0], TD3[1], TD3[1]),
        (TD3[0][:-3], TD3[1]),
        ("", ""),
    ],
)
def test_unclear_shape_is_returned_unchanged(lines: tuple[str, ...]) -> None:
    assert repair(lines, MrzFormat.TD3) == (lines, ())


# --- whole documents -------------------------------------------------------------------


def test_valid_specimens_need_no_repair(specimen_truth: list[dict[str, Any]]) -> None:
    for item in specimen_truth:
        if not item["check_digits_valid"]:
            continue
        mrz = parse_mrz(item["mrz"])
        assert mrz is not None
        assert repair(item["mrz"], mrz.format) == (tuple(item["mrz"]), ()), item["file"]


def test_repair_then_parse() -> None:
    raw = [
        "p<ut0eriksson<<anna<maria<<<<<<k<<<<<<<<<<<<",
        "L89B902C36UTO74O8122F1204159ZE184226B<<<<<10",
    ]
    lines, repairs = repair(normalize(raw), MrzFormat.TD3)
    assert lines == TD3
    assert [r.reason for r in repairs] == [FIELD_CLASS, FIELD_CLASS, CHECK_DIGIT, FILLER]
    mrz = parse_mrz(lines)
    assert mrz is not None and mrz.valid
