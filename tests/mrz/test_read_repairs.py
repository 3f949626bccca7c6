"""Repairs from the recogniser's own alternatives (docfraud.mrz.read), on literal readings."""

from __future__ import annotations

from docfraud.mrz.checksum import compute_check_digit
from docfraud.mrz.clean import RepairReason, repair
from docfraud.mrz.read import (
    _apply_field_knowledge,
    _confirm_by_check_digits,
    _fix_name_separators,
    _read_o_as_zero,
    _reading_score,
)
from docfraud.mrz.spec import MrzFormat
from docfraud.ocr.recognizer import LineReading

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def _reading(text: str, changes: dict[int, tuple[tuple[str, float], ...]]) -> LineReading:
    """A confident reading of ``text`` with the given positions' alternatives replaced."""
    alts = [((ch, 0.99), ("<" if ch != "<" else "K", 0.005)) for ch in text]
    for pos, options in changes.items():
        alts[pos] = options
    chars = "".join(a[0][0] for a in alts)
    return LineReading(chars, tuple(a[0][1] for a in alts), tuple(alts))


def test_letter_in_a_date_becomes_the_digit_the_recogniser_also_saw() -> None:
    lines = (_reading(TD3[0], {}), _reading(TD3[1], {15: (("O", 0.7), ("0", 0.25))}))
    fixed, repairs = _apply_field_knowledge(lines, MrzFormat.TD3)
    assert fixed[1].text == TD3[1]
    assert [(r.line, r.position, r.old, r.new, r.reason) for r in repairs] == [
        (1, 15, "O", "0", RepairReason.FIELD_CLASS)
    ]


def test_out_of_class_character_without_a_plausible_alternative_stays_as_read() -> None:
    # nationality printed as digits (pe_100_id-rou does): no letter alternative, no repair
    line2 = TD3[1][:10] + "132" + TD3[1][13:]
    lines = (_reading(TD3[0], {}), _reading(line2, {}))
    fixed, repairs = _apply_field_knowledge(lines, MrzFormat.TD3)
    assert fixed[1].text == line2
    assert repairs == ()


def test_number_fields_prefer_a_close_digit_but_not_a_clear_letter() -> None:
    close = {2: (("O", 0.55), ("0", 0.40))}  # document number position 3
    clear = {7: (("C", 0.97), ("0", 0.02))}  # the letter C of L898902C3, read cleanly
    lines = (_reading(TD3[0], {}), _reading(TD3[1], {**close, **clear}))
    fixed, repairs = _apply_field_knowledge(lines, MrzFormat.TD3)
    assert fixed[1].text[2] == "0"
    assert fixed[1].text[7] == "C"
    assert [(r.position, r.reason) for r in repairs] == [(2, RepairReason.FIELD_PRIOR)]


def test_check_digit_confirms_a_genuinely_ambiguous_character() -> None:
    # '3' vs '8' in the birth date (both digits, so no field rule decides): the check digit does
    line2 = TD3[1][:16] + "312" + TD3[1][19:]
    lines = (_reading(TD3[0], {}), _reading(line2, {16: (("3", 0.5), ("8", 0.45))}))
    adjusted, _ = _apply_field_knowledge(lines, MrzFormat.TD3)
    fixed, repairs = _confirm_by_check_digits(
        tuple(r.text for r in adjusted), adjusted, MrzFormat.TD3
    )
    assert fixed[1] == TD3[1]
    assert [(r.position, r.old, r.new, r.reason) for r in repairs] == [
        (16, "3", "8", RepairReason.CHECK_DIGIT)
    ]


def test_altered_but_cleanly_read_data_is_not_repaired_into_validity() -> None:
    # birth date changed from 740812 to 750812, check digit left: every character is confident
    line2 = TD3[1][:13] + "750812" + TD3[1][19:]
    lines = (_reading(TD3[0], {}), _reading(line2, {}))
    adjusted, _ = _apply_field_knowledge(lines, MrzFormat.TD3)
    fixed, repairs = _confirm_by_check_digits(
        tuple(r.text for r in adjusted), adjusted, MrzFormat.TD3
    )
    assert fixed[1] == line2
    assert repairs == ()


def test_long_odds_alternative_never_satisfies_a_check_digit() -> None:
    # the recogniser is 10x surer of what it read: a matching alternative is not enough
    line2 = TD3[1][:13] + "750812" + TD3[1][19:]
    lines = (_reading(TD3[0], {}), _reading(line2, {13: (("7", 0.9), ("6", 0.09))}))
    adjusted, _ = _apply_field_knowledge(lines, MrzFormat.TD3)
    fixed, repairs = _confirm_by_check_digits(
        tuple(r.text for r in adjusted), adjusted, MrzFormat.TD3
    )
    assert repairs == ()


def test_second_double_filler_in_a_name_becomes_the_letter_seen_there() -> None:
    line1 = "P<GBRUNITED<<INGDOM<<JODIE<<<<<<<<<<<<<<<<<<"
    lines = (_reading(line1, {12: (("<", 0.55), ("K", 0.41))}), _reading(TD3[1], {}))
    fixed, repairs = _fix_name_separators(tuple(r.text for r in lines), lines, MrzFormat.TD3)
    assert fixed[0] == "P<GBRUNITED<KINGDOM<<JODIE<<<<<<<<<<<<<<<<<<"
    assert [(r.position, r.new, r.reason) for r in repairs] == [
        (12, "K", RepairReason.NAME_SEPARATOR)
    ]


def test_double_filler_without_letter_evidence_is_left_alone() -> None:
    line1 = "P<GBRUNITED<<INGDOM<<JODIE<<<<<<<<<<<<<<<<<<"
    lines = (_reading(line1, {}), _reading(TD3[1], {}))
    fixed, repairs = _fix_name_separators(tuple(r.text for r in lines), lines, MrzFormat.TD3)
    assert fixed[0] == line1
    assert repairs == ()


def test_a_grid_shifted_by_one_cell_scores_lower_than_the_aligned_one() -> None:
    aligned = (_reading(TD3[0], {}), _reading(TD3[1], {}))
    shifted = (_reading("<" + TD3[0][:-1], {}), _reading("<" + TD3[1][:-1], {}))
    assert _reading_score(aligned) > _reading_score(shifted)


def test_class_repairs_apply_when_the_recogniser_gave_the_digit_no_weight() -> None:
    """'O' where only a digit may stand (a date, a check digit) has one reading: '0'.

    The reader turns the check-digit-driven tables off (``confusions=False``), not these.
    """
    line2 = TD3[1][:15] + "O" + TD3[1][16:43] + "O"  # birth date 74O812, composite digit O
    lines, repairs = repair((TD3[0], line2), MrzFormat.TD3, confusions=False)
    assert lines[1] == TD3[1][:43] + "0"
    assert {(r.position, r.old, r.new, r.reason) for r in repairs} == {
        (15, "O", "0", RepairReason.FIELD_CLASS),
        (43, "O", "0", RepairReason.FIELD_CLASS),
    }


def test_no_check_digit_driven_substitution_without_confusions() -> None:
    """A '3' read for '8' (both digits) is left for the alternatives to settle, not the table."""
    line2 = TD3[1][:16] + "312" + TD3[1][19:]
    lines, repairs = repair((TD3[0], line2), MrzFormat.TD3, confusions=False)
    assert lines[1] == line2
    assert repairs == ()


# --- a page whose zeros the recogniser reads as O ------------------------------------------------


def _td3_line2(number: str, birth: str = "800105", expiry: str = "300110") -> str:
    """A valid TD3 second line (no personal number) for ``number`` and the dates."""
    field = number.ljust(9, "<")
    line = (
        f"{field}{compute_check_digit(field)}UTO{birth}{compute_check_digit(birth)}F"
        f"{expiry}{compute_check_digit(expiry)}{'<' * 14}<"
    )
    return line + compute_check_digit(line[0:10] + line[13:20] + line[21:43])


def _as_read(line: str, zeros_as_o: range = range(44)) -> str:
    """``line`` with every 0 in ``zeros_as_o`` read as O."""
    return "".join("O" if c == "0" and i in zeros_as_o else c for i, c in enumerate(line))


DIGITS_ONLY = {9, *range(13, 20), *range(21, 28), 43}
"""TD3 line 2: check digits and dates."""


def _after_field_rules(raw: str) -> str:
    """What the field-class rule leaves: O read as 0 where only digits may be."""
    return "".join("0" if c == "O" and i in DIGITS_ONLY else c for i, c in enumerate(raw))


def test_a_number_with_several_zeros_read_as_o_is_confirmed_by_its_check_digit() -> None:
    true = _td3_line2("V0800330")
    raw = _as_read(true)
    assert raw[:9] == "VO8OO33O<" and raw.count("O") > 4  # the dates' zeros too
    fixed, repairs = _read_o_as_zero(
        (TD3[0], _after_field_rules(raw)), (TD3[0], raw), MrzFormat.TD3
    )
    assert fixed[1] == true
    assert [(r.position, r.reason) for r in repairs] == [
        (p, RepairReason.ZEROS_READ_AS_O) for p in (1, 3, 4, 7)
    ]


def test_a_valid_reading_whose_o_are_zeros_by_the_check_digit_too_is_taken_over() -> None:
    # O at weights 7 and 3 cancel in the check digit: both readings hold
    true = _td3_line2("15SK03075")
    raw = _as_read(true)
    assert compute_check_digit(raw[:9]) == true[9]
    fixed, _ = _read_o_as_zero((TD3[0], _after_field_rules(raw)), (TD3[0], raw), MrzFormat.TD3)
    assert fixed[1] == true


def test_without_zeros_read_as_o_in_the_dates_the_number_stays_as_read() -> None:
    true = _td3_line2("V0800330")
    raw = _as_read(true, zeros_as_o=range(9))  # the dates' zeros read as 0
    fixed, repairs = _read_o_as_zero((TD3[0], raw), (TD3[0], raw), MrzFormat.TD3)
    assert fixed[1] == raw and repairs == ()


def test_an_altered_number_is_not_made_valid_by_reading_o_as_zero() -> None:
    true = _td3_line2("V0800330")
    altered = true[:5] + "7" + true[6:]  # V0800730 under the check digit of V0800330
    raw = _as_read(altered)
    after = _after_field_rules(raw)
    fixed, repairs = _read_o_as_zero((TD3[0], after), (TD3[0], raw), MrzFormat.TD3)
    assert fixed[1] == after and repairs == ()


def test_a_number_with_a_letter_o_stays_as_read() -> None:
    """Reading every O as 0 fails its check; a chosen few would pass by chance too often."""
    raw = _as_read(_td3_line2("A1O002078"))
    after = _after_field_rules(raw)
    assert after[:9] == "A1OOO2O78"
    fixed, repairs = _read_o_as_zero((TD3[0], after), (TD3[0], raw), MrzFormat.TD3)
    assert fixed[1] == after and repairs == ()


def test_zeros_read_as_o_do_not_make_a_td3_lose_to_its_first_36_cells() -> None:
    """A print whose zeros all read as O fails nearly every check digit as read; counted with
    O as 0, the whole TD3 holds them all and scores above its first 36 cells read as a TD2,
    whose composite check covers other cells."""
    as_o = tuple(line.replace("0", "O") for line in TD3)
    td3 = tuple(_reading(line, {}) for line in as_o)
    td2 = tuple(r.window(0, 36) for r in td3)
    assert _reading_score(td3) > _reading_score(td2)
    assert _reading_score(td3) == _reading_score(tuple(_reading(line, {}) for line in TD3))
