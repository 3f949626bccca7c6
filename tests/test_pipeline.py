"""The pipeline end to end on the bundled samples and on inputs it cannot read."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from docfraud.analysis import Analysis
from docfraud.fusion.verdict import decide
from docfraud.types import Severity, Verdict

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
GENUINE = SAMPLES / "utopia_passport.png"
ALTERED = SAMPLES / "utopia_passport_altered_birth_date.jpg"
PHOTO = SAMPLES / "utopia_id_card_back_photo.jpg"
SIDES = ("front", "back")


def _inside(box: tuple[int, int, int, int], size: tuple[int, int] | None) -> bool:
    assert size is not None
    x, y, w, h = box
    return 0 <= x and 0 <= y and w > 0 and h > 0 and x + w <= size[0] and y + h <= size[1]


def _only(analyses: tuple[Analysis, ...]) -> Analysis:
    assert len(analyses) == 1
    return analyses[0]


PORTRAIT_CODES = {"PORTRAIT.SUBSTITUTED", "PORTRAIT.SUBSTITUTED.WEAK"}
"""The hand-drawn samples' 'portrait' is a flat drawn shape with none of a printed photo's
grain or detail: the substitution cues say its print is not the page's, which is true of it."""


def test_genuine_sample(analyzer: Any) -> None:
    """Every MRZ and visual-zone check holds; the only alarm is the drawn portrait's, and the
    verdict rests on it alone (strongly flagged, a replaced photo is `forged` under fusion-4)."""
    a = _only(analyzer.analyze_path(GENUINE))
    assert {f.code for f in a.findings if f.severity > Severity.INFO} <= PORTRAIT_CODES
    portrait = tuple(f for f in a.findings if f.code in PORTRAIT_CODES)
    assert decide(portrait, analyzer.fusion) == (a.verdict, a.fraud_score)
    assert a.mrz is not None and a.mrz.data is not None
    assert a.mrz.data.format.value == "TD3"
    assert a.mrz.data.issuing_state == "UTO"
    assert all(result.valid for result in a.mrz.data.checks)
    assert "DOC.SPECIMEN" in {f.code for f in a.findings}
    assert a.outline is not None
    assert [k for k, _ in a.timings_ms] == [
        "ingest",
        "mrz",
        "document",
        "text",
        "portrait",
        "tamper",
        "checks",
        "total",
    ]
    assert dict(a.timings_ms)["tamper"] < 1.0  # off by default
    assert a.tamper is None and "tamper_net" not in dict(a.versions)
    assert dict(a.versions)["mrz_recognizer"].startswith("mrz_glyphnet-")


def test_altered_birth_date_is_forged_and_points_at_the_field(analyzer: Any) -> None:
    a = _only(analyzer.analyze_path(ALTERED))
    assert a.verdict is Verdict.FORGED
    critical = {f.code: f for f in a.findings if f.severity is Severity.CRITICAL}
    assert set(critical) - PORTRAIT_CODES == {
        "MRZ.CHECK_DIGIT.BIRTH_DATE",
        "MRZ.CHECK_DIGIT.COMPOSITE",
        "VIZ_MRZ.BIRTH_DATE",  # the printed date was left as it was
    }
    printed = critical["VIZ_MRZ.BIRTH_DATE"]
    assert printed.region is not None and printed.related, "points at both zones"
    birth = critical["MRZ.CHECK_DIGIT.BIRTH_DATE"]
    assert birth.field == "birth_date"
    assert birth.region is not None and _inside(birth.region.box, a.image_size)
    assert a.mrz is not None
    zx, zy, zw, zh = a.mrz.zone_box(*a.image_size)  # type: ignore[misc]
    bx, by, bw, bh = birth.region.box
    assert zx <= bx and zy <= by and bx + bw <= zx + zw + 1 and by + bh <= zy + zh + 1


def test_photographed_card_reads_and_locates(analyzer: Any) -> None:
    a = _only(analyzer.analyze_path(PHOTO))
    assert a.mrz is not None and a.mrz.data is not None
    assert a.mrz.data.format.value == "TD1"
    assert a.verdict is Verdict.GENUINE
    assert a.outline is not None
    assert _inside(a.outline.box(*a.image_size), a.image_size)  # type: ignore[misc]


def test_bytes_and_path_give_the_same_result(analyzer: Any) -> None:
    by_path = _only(analyzer.analyze_path(GENUINE))
    by_bytes = _only(analyzer.analyze_bytes(GENUINE.read_bytes(), "upload.bin"))
    assert by_bytes.sha256 == by_path.sha256
    assert by_bytes.mrz is not None and by_path.mrz is not None
    assert by_bytes.mrz.lines == by_path.mrz.lines
    assert by_bytes.source == "upload.bin"


def test_every_page_of_a_pdf_is_analysed(analyzer: Any) -> None:
    passport = Image.open(GENUINE).convert("RGB")
    blank = Image.new("RGB", passport.size, "white")
    buf = io.BytesIO()
    passport.save(buf, "PDF", save_all=True, append_images=[blank], resolution=200)
    first, second = analyzer.analyze_bytes(buf.getvalue(), "two_pages.pdf")
    assert (first.page, second.page) == (0, 1)
    assert first.sha256 == second.sha256
    assert first.media_type == "application/pdf"
    assert first.mrz is not None and first.mrz.data is not None
    assert {f.code for f in first.findings if f.severity > Severity.INFO} <= PORTRAIT_CODES
    assert second.verdict is Verdict.UNREADABLE
    assert [f.code for f in second.findings] == ["MRZ.NOT_FOUND"]


@pytest.mark.slow
@pytest.mark.tesseract
def test_a_card_front_is_read_with_the_mrz_on_the_next_page(analyzer: Any) -> None:
    """A card's two sides in one input (front, then back): the front's number, which it prints
    in a small face the reader misses alone, is read with the back's MRZ to look for."""
    front, back = (Image.open(SAMPLES / "synth" / "images" / f"000000_{s}.jpg") for s in SIDES)
    buf = io.BytesIO()
    front.save(buf, "TIFF", save_all=True, append_images=[back])
    first, second = analyzer.analyze_bytes(buf.getvalue(), "card.tif")
    assert first.mrz is None and second.mrz is not None and second.mrz.data is not None
    assert first.viz is not None and first.viz.other_side == "card.tif page 1"
    number = first.viz.get("document_number")
    assert number is not None and number.text == second.mrz.data.document_number == "X8B6692N8"
    assert dict(first.timings_ms)["text"] > 0
    alone = _only(analyzer.analyze_path(SAMPLES / "synth" / "images" / "000000_front.jpg"))
    assert alone.viz is not None and alone.viz.other_side is None


def test_blank_page_is_unreadable_not_genuine(analyzer: Any) -> None:
    buf = io.BytesIO()
    Image.fromarray(np.full((600, 900, 3), 235, np.uint8)).save(buf, "PNG")
    a = _only(analyzer.analyze_bytes(buf.getvalue(), "blank.png"))
    assert a.verdict is Verdict.UNREADABLE
    assert a.mrz is None
    assert {s.check for s in a.skipped} >= {"mrz.check_digits"}


def test_unsupported_bytes_become_an_unreadable_result(analyzer: Any) -> None:
    data = b"#!/bin/sh\nrm -rf /\n"
    a = _only(analyzer.analyze_bytes(data, "evil.jpg"))
    assert a.verdict is Verdict.UNREADABLE
    assert [f.code for f in a.findings] == ["INPUT.UNSUPPORTED_TYPE"]
    assert len(a.sha256) == 64
    assert a.image_size is None


def test_missing_file_is_an_unreadable_result(analyzer: Any, tmp_path: Path) -> None:
    a = _only(analyzer.analyze_path(tmp_path / "nope.png"))
    assert [f.code for f in a.findings] == ["INPUT.NOT_FOUND"]
    assert a.sha256 == ""


def test_lines_of_letter_text_are_not_a_plausible_mrz() -> None:
    """A letter's text can sit on an MRZ-like lattice; its reading is not a document's MRZ."""
    from datetime import date

    from docfraud.mrz.parse import parse_mrz
    from docfraud.pipeline import plausible_mrz

    today = date(2026, 6, 1)
    text = parse_mrz(
        [
            "I<SW<N15IHXH1<0<2RSSR5<<<<HFTH",
            "SQX1U11<2R58C2<<<HL<OF6U1D<06M",
            "I<OH<THTOTOV<HUUTTD<UUHLIODIQU",
        ],
        today=today,
    )
    name = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    genuine = parse_mrz([name, "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=today)
    # a forger's MRZ with a broken check digit is still plausible
    altered = parse_mrz([name, "L898902C36UTO7508122F1204159ZE184226B<<<<<10"], today=today)
    assert not plausible_mrz(text)
    assert plausible_mrz(genuine) and plausible_mrz(altered) and not altered.valid


def test_text_with_no_field_of_an_mrz_is_not_one_but_a_forged_mrz_is() -> None:
    """Lines of a page docfraud could not read as a letter, on an MRZ-like lattice, keep no
    field of an MRZ (an empty document code included); a forged or damaged MRZ keeps most."""
    from datetime import date

    from docfraud.mrz.parse import parse_mrz
    from docfraud.pipeline import not_an_mrz, plausible_mrz

    today = date(2026, 6, 1)
    text = parse_mrz(
        ["<<<NPPW<HNHQHUMNMZUMHVWL<ZZZZZWNQ<<<", "CZEOZ<UK12JHUFUXUH101NMW6HMPRUAWR<Z<"],
        today=today,
    )
    assert text is not None and text.document_code == ""
    assert not_an_mrz(text) and not plausible_mrz(text)
    name = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    forged = parse_mrz([name, "L898902C36XXZ7413122F1204159ZE184226B<<<<<10"], today=today)
    assert forged is not None and not forged.valid and not not_an_mrz(forged)


def test_an_implausible_mrz_beside_the_card_is_the_background_not_the_cards() -> None:
    """A woven cloth beside a card back read as a TD1 (no dates, no known State) placed the
    card where the cloth is, so nothing printed on the card was read: wholly outside the
    card's own edges, it is no MRZ of the page. The same reading on the card (a forged MRZ)
    stays, to be reported, and so does a plausible MRZ wherever it lies."""
    from datetime import date

    import cv2

    from docfraud.mrz.locate import MrzCandidate, MrzLine
    from docfraud.mrz.parse import parse_mrz
    from docfraud.mrz.read import MrzReading
    from docfraud.pipeline import document_mrz

    page = np.full((480, 640), 45, np.uint8)
    cv2.rectangle(page, (60, 80), (400, 300), 205, thickness=-1)  # a card, 1.55:1
    junk = ["IJQ<S448422487378973995739<37<", "9934849X9884944YS<244229442GZ<",
            "YR<X<MAYA<<BA<S<G<AGBQ<GAGQZX<"]  # fmt: skip
    name = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    genuine = [name, "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]

    def reading(lines: list[str], x: float, y: float) -> MrzReading:
        zone = MrzCandidate(
            tuple(MrzLine((x, y + 14 * i), (5.0, 0.0), (0.0, -1.0), 9.0) for i in range(3)),
            len(lines[0]),
            0.0,
            1.0,
        )
        data = parse_mrz(lines, today=date(2026, 6, 1))
        return MrzReading(zone, tuple(lines), tuple(lines), (), (), None, data, "test")

    beside, on_card = reading(junk, 440, 200), reading(junk, 120, 240)
    assert document_mrz(page, beside) is None
    assert document_mrz(page, on_card) is on_card
    plausible_beside = reading(genuine, 440, 200)
    assert document_mrz(page, plausible_beside) is plausible_beside
    assert document_mrz(page, None) is None
