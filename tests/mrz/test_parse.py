"""Parsing: Doc 9303 examples (Parts 3-7), check digits, the century rule, edge cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from docfraud.mrz.parse import document_kind, parse_mrz, resolve_year, split_name
from docfraud.mrz.spec import MrzFormat

TODAY = date(2024, 6, 15)
SPEC = Path(__file__).resolve().parents[2] / "../shared/spec/icao9303"

# The Utopia examples, copied from the Doc 9303 text (file, lines).
TD3 = (  # Part 4, Appendix A (Figure A-1)
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD3_IVANOVA_PRINTED = (  # Part 4, Figure A-2, printed with 45 characters (erratum)
    "P<UTOIVANOVA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F2504155184226<<<<<<<<<18",
)
TD1 = (  # Part 5, Appendix A
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")  # Part 6
MRVA = (  # Part 7, Appendix A, Figure A-1
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX7408122F96121096ZE184226B<<<<<<",
)
MRVB = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX7408122F9612109<<<<<<<<")
MRVA_B1 = (  # Part 7, Appendix B, Figure B-1 (older data)
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C<3UTO6908061F9406236ZE184226B<<<<<<<",
)
MRVB_B2 = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L898902C<3UTO6908061F9406236ZE184226")

EXAMPLES = {
    "td3": (TD3, MrzFormat.TD3),
    "td1": (TD1, MrzFormat.TD1),
    "td2": (TD2, MrzFormat.TD2),
    "mrva": (MRVA, MrzFormat.MRVA),
    "mrvb": (MRVB, MrzFormat.MRVB),
    "mrva_b1": (MRVA_B1, MrzFormat.MRVA),
    "mrvb_b2": (MRVB_B2, MrzFormat.MRVB),
}


@pytest.mark.skipif(not SPEC.is_dir(), reason=f"Doc 9303 text not found at {SPEC}")
@pytest.mark.parametrize("name", [*EXAMPLES, "ivanova"])
def test_examples_are_copied_from_the_spec_text(name: str) -> None:
    text = "".join((SPEC / f"part{n}.txt").read_text(encoding="utf-8") for n in (4, 5, 6, 7))
    lines = TD3_IVANOVA_PRINTED if name == "ivanova" else EXAMPLES[name][0]
    for line in lines:
        assert line in text


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_icao_examples_parse_valid(name: str) -> None:
    lines, fmt = EXAMPLES[name]
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz is not None
    assert mrz.format is fmt
    assert mrz.valid, mrz.problems
    assert all(c.valid for c in mrz.checks)
    assert mrz.problems == ()
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.issuing_state == "UTO"
    assert mrz.sex == "F"


def test_td3_fields() -> None:
    mrz = parse_mrz(TD3, today=TODAY)
    assert mrz is not None
    assert mrz.document_code == "P" and mrz.document_kind == "passport"
    assert mrz.document_number == "L898902C3"
    assert mrz.nationality == "UTO"
    assert mrz.birth_date == date(1974, 8, 12)
    assert mrz.expiry_date == date(2012, 4, 15)
    assert mrz.personal_number == "ZE184226B"
    assert mrz.optional_data == ""
    assert [(c.name, c.observed, c.computed, c.line, c.span, c.position) for c in mrz.checks] == [
        ("document_number", "6", "6", 1, (0, 9), 9),
        ("birth_date", "2", "2", 1, (13, 19), 19),
        ("expiry_date", "9", "9", 1, (21, 27), 27),
        ("personal_number", "1", "1", 1, (28, 42), 42),
        ("composite", "0", "0", 1, (0, 43), 43),
    ]


def test_td1_fields() -> None:
    mrz = parse_mrz(TD1, today=TODAY)
    assert mrz is not None
    assert mrz.document_kind == "id_card"
    assert mrz.document_number == "D23145890"
    assert mrz.birth_date == date(1974, 8, 12) and mrz.expiry_date == date(2012, 4, 15)
    assert [c.name for c in mrz.checks] == [
        "document_number",
        "birth_date",
        "expiry_date",
        "composite",
    ]
    assert mrz.check("composite") is not None
    assert mrz.check("personal_number") is None


def test_td1_part3_composite_example() -> None:
    # Part 3, Appendix A, example 4 (YTO), name line added.
    lines = (
        "I<YTOD231458907<<<<<<<<<<<<<<<",
        "3407127M9507122YTO<<<<<<<<<<<2",
        "DOE<<J<<<<<<<<<<<<<<<<<<<<<<<<",
    )
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz is not None and mrz.valid
    assert mrz.birth_date == date(1934, 7, 12)
    assert mrz.expiry_date == date(1995, 7, 12)
    assert mrz.sex == "M"


def test_ivanova_erratum_needs_one_filler_less() -> None:
    printed = parse_mrz(TD3_IVANOVA_PRINTED, today=TODAY)
    assert printed is not None and printed.format is MrzFormat.TD3
    assert not printed.valid
    assert "line 1: 45 characters, expected 44" in printed.problems
    fixed = parse_mrz(
        ("P<UTOIVANOVA<<ANNA" + "<" * 26, "L898902C36UTO7408122F2504155184226" + "<" * 8 + "18"),
        today=TODAY,
    )
    assert fixed is not None and fixed.valid, fixed and fixed.problems
    assert (fixed.surname, fixed.given_names) == ("IVANOVA", "ANNA")
    assert fixed.expiry_date == date(2025, 4, 15)


def _with(lines: tuple[str, ...], line: int, pos: int, char: str) -> tuple[str, ...]:
    rows = list(lines)
    rows[line] = rows[line][:pos] + char + rows[line][pos + 1 :]
    return tuple(rows)


def _other_digit(c: str) -> str:
    return "7" if c != "7" else "3"


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_broken_check_digit_is_reported(name: str) -> None:
    lines, _ = EXAMPLES[name]
    good = parse_mrz(lines, today=TODAY)
    assert good is not None
    for check in good.checks:
        broken = _with(lines, check.line, check.position, _other_digit(check.observed))
        mrz = parse_mrz(broken, today=TODAY)
        assert mrz is not None
        result = mrz.check(check.name)
        assert result is not None
        assert not result.valid
        assert result.computed == check.computed
        assert not mrz.valid
        # Only this check and (when it covers the digit) the composite fail.
        failing = {c.name for c in mrz.checks if not c.valid}
        assert failing <= {check.name, "composite"}


def test_altered_data_fails_its_check_and_the_composite() -> None:
    mrz = parse_mrz(_with(TD3, 1, 15, "5"), today=TODAY)  # birth 740812 -> 745812
    assert mrz is not None
    assert {c.name for c in mrz.checks if not c.valid} == {"birth_date", "composite"}
    assert mrz.birth_date is None
    assert "birth_date: not a date" in mrz.problems


def test_composite_alone() -> None:
    mrz = parse_mrz(_with(TD3, 1, 43, "1"), today=TODAY)
    assert mrz is not None
    assert [c.name for c in mrz.checks if not c.valid] == ["composite"]
    assert not mrz.valid


def test_empty_personal_number_check_may_be_filler_or_zero() -> None:
    base = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<"
    for check, composite in (("<", "8"), ("0", "8")):
        mrz = parse_mrz((TD3[0], base + check + composite), today=TODAY)
        assert mrz is not None and mrz.valid, mrz and mrz.checks
        result = mrz.check("personal_number")
        assert result is not None and result.observed == result.computed == check
    # '<' is only allowed for an empty field
    mrz = parse_mrz((TD3[0], TD3[1][:42] + "<" + TD3[1][43]), today=TODAY)
    assert mrz is not None
    result = mrz.check("personal_number")
    assert result is not None and not result.valid and result.computed == "1"


def test_long_td1_document_number() -> None:
    # Part 5 note j: D23145890 + 734, check digit 9 after the number, '<' at position 15.
    lines = ("I<UTOD23145890<7349<<<<<<<<<<<", TD1[1], TD1[2])
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz is not None and mrz.valid, mrz and mrz.checks
    assert mrz.document_number == "D23145890734"
    assert mrz.optional_data == ""
    check = mrz.check("document_number")
    assert check is not None
    assert (check.observed, check.line, check.span, check.position) == ("9", 0, (5, 18), 18)
    broken = parse_mrz(("I<UTOD23145890<7348<<<<<<<<<<<", TD1[1], TD1[2]), today=TODAY)
    assert broken is not None and not broken.valid


def test_long_td1_number_with_more_optional_data() -> None:
    lines = ("I<UTOD23145890<7349<AB12<<<<<<", "7408122F1204159UTO<<<<<<<<<<<8", TD1[2])
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz is not None
    assert mrz.document_number == "D23145890734"
    assert mrz.optional_data == "AB12"
    assert mrz.check("document_number") is not None


def test_long_td2_document_number() -> None:
    lines = (TD2[0], "D23145890<UTO7408122F12041597349<<<2")
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz is not None and mrz.valid
    assert mrz.document_number == "D23145890734"


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("P<", "passport"),
        ("PD", "passport"),
        ("V<", "visa"),
        ("VC", "visa"),
        ("I<", "id_card"),
        ("ID", "id_card"),
        ("AC", "id_card"),
        ("C1", "id_card"),
        ("IR", "residence_permit"),
        ("AR", "residence_permit"),
        ("CR", "residence_permit"),
        ("X<", "unknown"),
        ("", "unknown"),
    ],
)
def test_document_kind(code: str, kind: str) -> None:
    assert document_kind(code) == kind


def test_residence_permit_td1() -> None:
    lines = ("IR" + TD1[0][2:], TD1[1], TD1[2])
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz is not None and mrz.valid
    assert (mrz.document_code, mrz.document_kind) == ("IR", "residence_permit")


@pytest.mark.parametrize(
    ("yy", "kind", "expected"),
    [
        (24, "birth", 2024),  # this year is not the future
        (25, "birth", 1925),
        (0, "birth", 2000),
        (99, "birth", 1999),
        (24, "issue", 2024),
        (25, "issue", 1925),
        (74, "expiry", 1974),  # today.year - 50
        (73, "expiry", 2073),  # today.year + 49
        (24, "expiry", 2024),
        (0, "expiry", 2000),
        (99, "expiry", 1999),
    ],
)
def test_century_rule_boundaries(yy: int, kind: Any, expected: int) -> None:
    assert resolve_year(yy, kind, TODAY) == expected


def test_century_rule_refines_this_year_by_date() -> None:
    assert resolve_year(24, "birth", TODAY, month_day=(6, 15)) == 2024
    assert resolve_year(24, "birth", TODAY, month_day=(6, 16)) == 1924
    assert resolve_year(24, "expiry", TODAY, month_day=(12, 31)) == 2024


def test_resolve_year_rejects_out_of_range() -> None:
    with pytest.raises(ValueError):
        resolve_year(100, "birth", TODAY)


def test_birth_today_and_tomorrow() -> None:
    born_today = parse_mrz(_with_date(TD3, "240615"), today=TODAY)
    born_tomorrow = parse_mrz(_with_date(TD3, "240616"), today=TODAY)
    assert born_today is not None and born_today.birth_date == date(2024, 6, 15)
    assert born_tomorrow is not None and born_tomorrow.birth_date == date(1924, 6, 16)


def _with_date(lines: tuple[str, ...], yymmdd: str) -> tuple[str, ...]:
    from docfraud.mrz.checksum import compute_check_digit

    row = lines[1][:13] + yymmdd + compute_check_digit(yymmdd) + lines[1][20:]
    return (lines[0], row)


@pytest.mark.parametrize("bad", ["991340", "990230", "990001", "9912AB"])
def test_invalid_dates_are_problems_not_exceptions(bad: str) -> None:
    mrz = parse_mrz(_with_date(TD3, bad), today=TODAY)
    assert mrz is not None
    assert mrz.birth_date is None
    assert "birth_date: not a date" in mrz.problems
    assert not mrz.valid


def test_unknown_birth_date() -> None:
    mrz = parse_mrz(_with_date(TD3, "74<<<<"), today=TODAY)
    assert mrz is not None
    assert mrz.birth_date is None
    assert "birth_date: unknown (filler)" in mrz.problems


def test_leap_day() -> None:
    mrz = parse_mrz(_with_date(TD3, "000229"), today=TODAY)
    assert mrz is not None and mrz.birth_date == date(2000, 2, 29)


@pytest.mark.parametrize(("char", "sex"), [("M", "M"), ("F", "F"), ("<", "X"), ("X", "X")])
def test_sex(char: str, sex: str) -> None:
    mrz = parse_mrz(_with(TD3, 1, 20, char), today=TODAY)
    assert mrz is not None and mrz.sex == sex


def test_bad_sex_is_a_problem() -> None:
    mrz = parse_mrz(_with(TD3, 1, 20, "Q"), today=TODAY)
    assert mrz is not None
    assert mrz.sex is None
    assert "sex: 'Q' is not M, F, X or <" in mrz.problems


def test_names() -> None:
    assert split_name("VAN<DER<MUELLEN<<MARTIN<<<<<<<") == ("VAN DER MUELLEN", "MARTIN")
    assert split_name("ARKFREITH<<<<<<<<<<<<<<<<<<<<<") == ("ARKFREITH", "")
    assert split_name("BENNELONG<WOOLOOMOOLOO<W<W<<DI") == ("BENNELONG WOOLOOMOOLOO W W", "DI")
    assert split_name("<<<<<<") == ("", "")


def test_lines_off_length_parse_with_a_problem() -> None:
    mrz = parse_mrz((TD3[0][:-1], TD3[1]), today=TODAY)
    assert mrz is not None and mrz.format is MrzFormat.TD3
    assert not mrz.valid
    assert mrz.problems == ("line 1: 43 characters, expected 44",)
    assert mrz.surname == "ERIKSSON"


def test_characters_outside_the_set() -> None:
    mrz = parse_mrz((TD3[0], "l898902C36" + TD3[1][10:]), today=TODAY)
    assert mrz is not None and not mrz.valid
    assert "line 2: 1 character(s) outside the MRZ set" in mrz.problems
    check = mrz.check("document_number")
    assert check is not None and check.computed == "?" and not check.valid


def test_spaces_and_blank_lines_are_ignored() -> None:
    mrz = parse_mrz(("", TD3[0][:10] + " " + TD3[0][10:], TD3[1]), today=TODAY)
    assert mrz is not None and mrz.valid


def test_forced_format() -> None:
    mrz = parse_mrz(TD2, today=TODAY, fmt=MrzFormat.MRVB)
    assert mrz is not None and mrz.format is MrzFormat.MRVB
    assert parse_mrz(TD2, today=TODAY, fmt=MrzFormat.TD1) is None


@pytest.mark.parametrize("lines", [(), ("",), ("hello",), ("P<UTO", "L898")])
def test_no_format_gives_none(lines: tuple[str, ...]) -> None:
    assert parse_mrz(lines, today=TODAY) is None


def test_to_dict_is_json_safe() -> None:
    mrz = parse_mrz(TD3, today=TODAY)
    assert mrz is not None
    out = mrz.to_dict()
    assert json.loads(json.dumps(out)) == out
    assert out["format"] == "TD3" and out["valid"] is True
    assert out["lines"] == list(TD3)
    fields = out["fields"]
    assert isinstance(fields, dict)
    assert fields["birth_date"] == "1974-08-12"
    assert fields["document_number"] == "L898902C3"
    assert out["checks"] == {
        "document_number": {"observed": "6", "computed": "6", "valid": True},
        "birth_date": {"observed": "2", "computed": "2", "valid": True},
        "expiry_date": {"observed": "9", "computed": "9", "valid": True},
        "personal_number": {"observed": "1", "computed": "1", "valid": True},
        "composite": {"observed": "0", "computed": "0", "valid": True},
    }


def test_default_today_is_used() -> None:
    mrz = parse_mrz(TD3)
    assert mrz is not None and mrz.birth_date == date(1974, 8, 12)


FORMATS = {"TD1": "TD1", "TD2": "TD2", "TD3": "TD3", "MRV-A": "MRVA", "MRV-B": "MRVB"}


def test_specimen_truth(specimen_truth: list[dict[str, Any]]) -> None:
    assert len(specimen_truth) == 22
    for item in specimen_truth:
        mrz = parse_mrz(item["mrz"], today=TODAY)
        assert mrz is not None, item["file"]
        assert mrz.format == FORMATS[item["mrz_format"]], item["file"]
        assert mrz.valid == item["check_digits_valid"], (item["file"], mrz.checks, mrz.problems)
