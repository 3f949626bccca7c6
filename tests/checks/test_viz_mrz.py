"""MRZ against visual zone: each comparison fires on a changed field and stays silent otherwise."""

from __future__ import annotations

from dataclasses import replace

import pytest

from docfraud.types import Severity
from tests.checks.conftest import PASSPORT, analysed, codes, only, printed, viz_of

COMPARISONS = (
    "VIZ_MRZ.SURNAME",
    "VIZ_MRZ.GIVEN_NAMES",
    "VIZ_MRZ.BIRTH_DATE",
    "VIZ_MRZ.EXPIRY_DATE",
    "VIZ_MRZ.DOCUMENT_NUMBER",
    "VIZ_MRZ.SEX",
    "VIZ_MRZ.NATIONALITY",
)


def test_a_consistent_document_raises_no_comparison_finding() -> None:
    a = analysed(viz=viz_of(PASSPORT))
    assert not codes(a) & set(COMPARISONS)
    assert "viz_mrz.birth_date" not in {s.check for s in a.skipped}


def test_ocr_noise_and_transliteration_are_not_a_mismatch() -> None:
    viz = viz_of(
        PASSPORT,
        surname=printed("surname", "MULLER-S0RENSEN"),  # umlaut dropped, Ø read as zero
        document_number=printed("document_number", "CO1X0OT47"),  # O for 0
        birth_date=printed("birth_date", "12 AUG/AOÛT 1974", "1974-08-12"),
    )
    assert not codes(analysed(viz=viz)) & set(COMPARISONS)


@pytest.mark.parametrize(
    ("field", "text", "value", "code"),
    [
        ("surname", "MEIER-SØRENSEN", None, "VIZ_MRZ.SURNAME"),
        ("given_names", "ANNA LENA", None, "VIZ_MRZ.GIVEN_NAMES"),
        ("given_names", "ANNA", None, "VIZ_MRZ.GIVEN_NAMES"),
        ("birth_date", "12.08.1975", "1975-08-12", "VIZ_MRZ.BIRTH_DATE"),
        ("expiry_date", "01.03.2035", "2035-03-01", "VIZ_MRZ.EXPIRY_DATE"),
        ("document_number", "C01X00T48", None, "VIZ_MRZ.DOCUMENT_NUMBER"),
        ("sex", "M", "M", "VIZ_MRZ.SEX"),
        ("nationality", "AUT", "AUT", "VIZ_MRZ.NATIONALITY"),
    ],
)
def test_a_changed_printed_field_is_critical(
    field: str, text: str, value: str | None, code: str
) -> None:
    a = analysed(viz=viz_of(PASSPORT, **{field: printed(field, text, value)}))
    finding = only(a, code)
    assert finding.severity is Severity.CRITICAL
    assert finding.region is not None and finding.related, "points at both zones"
    assert set(codes(a)) & set(COMPARISONS) == {code}


def test_the_message_gives_both_dates() -> None:
    viz = viz_of(PASSPORT, birth_date=printed("birth_date", "12.08.1975", "1975-08-12"))
    message = only(analysed(viz=viz), "VIZ_MRZ.BIRTH_DATE").message
    assert message == (
        "Date of birth in the MRZ (1974-08-12) differs from the printed date of birth (1975-08-12)."
    )


def test_a_poorly_read_field_gives_a_warning_not_a_critical() -> None:
    viz = viz_of(PASSPORT, surname=printed("surname", "MEIER-SØRENSEN", confidence=0.3))
    assert only(analysed(viz=viz), "VIZ_MRZ.SURNAME").severity is Severity.WARNING


@pytest.mark.parametrize(
    ("field", "text", "value", "second"),
    [
        ("birth_date", "12.08.1975", "1975-08-12", ("12.06.1975", "1975-06-12")),
        ("surname", "MEIER-SØRENSEN", None, ("HUBER", None)),
        ("document_number", "C01X00T48", None, ("C01X09T48", None)),
    ],
)
def test_a_mismatch_a_second_reading_does_not_confirm_is_a_warning(
    field: str, text: str, value: str | None, second: tuple[str, str | None]
) -> None:
    for alternatives in ((second,), ()):
        viz = viz_of(PASSPORT, **{field: printed(field, text, value, alternatives=alternatives)})
        finding = only(analysed(viz=viz), f"VIZ_MRZ.{field.upper()}")
        assert finding.severity is Severity.WARNING
        assert "second reading" in finding.message


def test_missing_fields_are_skips_with_reasons() -> None:
    a = analysed(viz=viz_of(PASSPORT, birth_date=None, sex=printed("sex", "?", None)))
    reasons = {s.check: s.reason for s in a.skipped}
    assert "printed date of birth was not found" in reasons["viz_mrz.birth_date"]
    assert "not M, F or X" in reasons["viz_mrz.sex"]


def test_without_a_visual_zone_every_comparison_is_skipped() -> None:
    a = analysed(viz=None)
    skipped = {s.check for s in a.skipped}
    assert {"viz_mrz.surname", "viz_mrz.birth_date", "viz_mrz.document_number"} <= skipped


def test_an_unparseable_printed_date_is_a_skip() -> None:
    viz = viz_of(PASSPORT, expiry_date=printed("expiry_date", "0l.O3.2O3?", None))
    reasons = {s.check: s.reason for s in analysed(viz=viz).skipped}
    assert "is not a date" in reasons["viz_mrz.expiry_date"]


def test_a_word_nationality_is_not_compared() -> None:
    viz = viz_of(PASSPORT, nationality=printed("nationality", "DEUTSCH", "DEUTSCH"))
    a = analysed(viz=viz)
    assert "VIZ_MRZ.NATIONALITY" not in codes(a)
    assert "viz_mrz.nationality" in {s.check for s in a.skipped}


def test_a_truncated_mrz_name_matches_the_full_printed_name() -> None:
    long_holder = replace(
        PASSPORT.holder,
        surname="Papadopoulou-Konstantinidou",
        given_names="Alexandra Evangelia Dimitra",
    )
    data = replace(PASSPORT, holder=long_holder)
    a = analysed(data, viz=viz_of(data))
    assert not codes(a) & {"VIZ_MRZ.SURNAME", "VIZ_MRZ.GIVEN_NAMES"}


def test_the_mrz_name_beside_other_text_is_only_a_warning() -> None:
    """Segmentation that glues a neighbouring caption to the name is not a changed name."""
    viz = viz_of(PASSPORT, surname=printed("surname", "Nom MÜLLER-SØRENSEN", confidence=0.95))
    finding = only(analysed(viz=viz), "VIZ_MRZ.SURNAME")
    assert finding.severity is Severity.WARNING
    assert "other text" in finding.message


def test_a_printed_name_with_letters_lost_is_a_warning_a_shortened_one_critical() -> None:
    """Both readings lose the Ø and an E (a diacritic letter, a letter under a stamp): the MRZ's
    name with letters missing. A name cut short by more than a third is a changed name."""
    lost = only(analysed(viz=viz_of(PASSPORT, surname=printed("surname", "MULLER-SRENSEN"))),
                "VIZ_MRZ.SURNAME")  # fmt: skip
    assert lost.severity is Severity.WARNING
    assert "letters missing" in lost.message
    cut = only(analysed(viz=viz_of(PASSPORT, given_names=printed("given_names", "ANNA MA"))),
               "VIZ_MRZ.GIVEN_NAMES")  # fmt: skip
    assert cut.severity is Severity.CRITICAL


@pytest.mark.parametrize(
    ("field", "reading", "said"),
    [
        # the date of birth printed beside the date of expiry, read as it
        ("expiry_date", ("12.08.1974", "1974-08-12"), "MRZ's date of birth"),
        ("birth_date", ("01.03.2030", "2030-03-01"), "MRZ's date of expiry"),
        # the reading stopped at a gap in the print, or started past one
        ("document_number", ("C01X", None), "start of the MRZ's"),
        ("document_number", ("X00T47", None), "end of the MRZ's"),
        # the name or code printed beside the field, read as it
        ("surname", ("ANNA MARIA", None), "MRZ's given names"),
        ("given_names", ("MULLER-SORENSEN", None), "MRZ's surname"),
        ("given_names", ("DEU", "DEU"), "MRZ's nationality"),
    ],
)
def test_a_reading_that_explains_the_difference_is_a_warning(
    field: str, reading: tuple[str, str | None], said: str
) -> None:
    finding = only(
        analysed(viz=viz_of(PASSPORT, **{field: printed(field, *reading)})),
        f"VIZ_MRZ.{field.upper()}",
    )
    assert finding.severity is Severity.WARNING
    assert said in finding.message and "compare by eye" in finding.message


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("expiry_date", "12.08.1975", "1975-08-12"),  # not the date of birth (1974)
        ("document_number", "D01X", None),  # not the start of the MRZ's
        ("document_number", "X00T48", None),  # not the end of the MRZ's
        ("given_names", "MARIA MÜLLER", None),  # neither the surname nor a code
        ("surname", "AUT", None),  # not the MRZ's nationality or issuing state
        ("document_number", "C0", None),  # too short to say
    ],
)
def test_near_misses_of_those_readings_stay_critical(
    field: str, text: str, value: str | None
) -> None:
    a = analysed(viz=viz_of(PASSPORT, **{field: printed(field, text, value)}))
    assert only(a, f"VIZ_MRZ.{field.upper()}").severity is Severity.CRITICAL
