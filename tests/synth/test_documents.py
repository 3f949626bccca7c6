"""Document rendering: every design, both sides, zones that match the ink, the MRZ at ICAO place."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

import cv2
import numpy as np
import pytest

from docfraud.mrz.parse import parse_mrz
from docfraud.mrz.read import read_mrz
from docfraud.mrz.spec import MrzFormat
from docfraud.ocr.recognizer import LineRecognizer, RecognizerKind, create_recognizer
from docfraud.synth.documents import (
    document_size_px,
    field_text,
    render_document,
    sides,
)
from docfraud.synth.records import PX_PER_MM, DocKind, DocumentData, Page, Person, Side, font_path
from docfraud.synth.templates import (
    LABELS,
    TEMPLATES,
    DateStyle,
    TemplateSpec,
    format_date,
    format_sex,
    label_text,
    template,
)

TODAY = date(2024, 1, 1)
HOLDER = Person(
    surname="Größmann-Lefèvre",
    given_names="Jörg Étienne",
    sex="M",
    birth_date=date(1987, 3, 14),
    birth_place="Besançon",
    nationality="UTO",
    face_seed=4242,
)
PICTURES = ("portrait", "ghost_portrait", "signature", "seal")
ICAO_MRZ_MM = {  # left edge of the first character; top and bottom code-line centres above the
    # bottom edge (Doc 9303 Part 4 Figure 3, Part 6, Part 7; Part 5 Figure 6 for TD1)
    MrzFormat.TD3: (6.0, 15.75, 9.40),
    MrzFormat.TD2: (4.0, 15.75, 9.40),
    MrzFormat.MRVA: (4.0, 15.75, 9.40),
    MrzFormat.MRVB: (4.0, 15.75, 9.40),
    MrzFormat.TD1: (5.0, 11.8, 3.34),
}
CASES = [(t.name, s) for t in TEMPLATES for s in sides(t)]


def _data(t: TemplateSpec, holder: Person = HOLDER) -> DocumentData:
    short = t.mrz_format in (MrzFormat.TD2, MrzFormat.MRVB)
    return DocumentData(
        kind=t.kind,
        mrz_format=t.mrz_format,
        document_code=t.document_codes[0],
        issuing_state="UTO",
        document_number="L898902C3",
        holder=holder,
        issue_date=date(2021, 6, 2),
        expiry_date=date(2031, 6, 1),
        authority="Préfecture de Besançon",
        personal_number="ZE1842" if short else "ZE184226B",
    )


@lru_cache(maxsize=64)
def _page(name: str, side: Side, seed: int = 0) -> Page:
    t = template(name)
    return render_document(np.random.default_rng(seed), _data(t), t, side, face_shot_seed=11)


def test_catalogue_spans_the_kinds_fonts_and_languages() -> None:
    names = [t.name for t in TEMPLATES]
    assert len(names) >= 14 and len(set(names)) == len(names)
    formats = [(t.kind, t.mrz_format) for t in TEMPLATES]
    assert formats.count((DocKind.PASSPORT, MrzFormat.TD3)) >= 4
    assert formats.count((DocKind.ID_CARD, MrzFormat.TD1)) >= 3
    assert sum(f is MrzFormat.TD2 for _, f in formats) >= 2
    assert (DocKind.VISA, MrzFormat.MRVA) in formats and (DocKind.VISA, MrzFormat.MRVB) in formats
    assert sum(k is DocKind.RESIDENCE_PERMIT for k, _ in formats) >= 2
    assert len({t.value_font for t in TEMPLATES}) >= 5
    assert len({lang for t in TEMPLATES for lang in t.languages}) >= 6
    assert len({t.date_style for t in TEMPLATES}) == len(DateStyle)
    for t in TEMPLATES:
        for font in (t.title_font, t.label_font, t.value_font):
            assert font_path(font).is_file()
        assert all(slot.side in sides(t) for slot in t.slots)
        assert t.mrz_side in sides(t) and t.portrait.side in sides(t)


@pytest.mark.parametrize(("name", "side"), CASES)
def test_every_side_renders_at_icao_size(name: str, side: Side) -> None:
    t = template(name)
    page = _page(name, side)
    w_mm, h_mm = t.size_mm
    h, w = page.rgb.shape[:2]
    assert abs(w - w_mm * PX_PER_MM) <= 1 and abs(h - h_mm * PX_PER_MM) <= 1
    assert (w, h) == document_size_px(t)
    assert page.background is not None and page.background.shape == page.rgb.shape
    assert (page.template, page.side, page.kind) == (name, side, t.kind)


@pytest.mark.parametrize(("name", "side"), CASES)
def test_zones_lie_on_the_page_and_hold_ink(name: str, side: Side) -> None:
    page = _page(name, side)
    assert page.background is not None
    h, w = page.rgb.shape[:2]
    diff = np.abs(page.rgb.astype(int) - page.background.astype(int)).max(axis=2)
    for zone in page.zones:
        x, y, bw, bh = zone.box
        assert bw > 0 and bh > 0 and x >= 0 and y >= 0 and x + bw <= w and y + bh <= h, zone
        faint = zone.name in ("ghost_portrait", "portrait")  # ghosts are faint by design
        assert diff[y : y + bh, x : x + bw].max() > (12 if faint else 40), zone
        assert (zone.style is None) == (zone.name in PICTURES), zone.name
        if zone.style is not None:
            assert zone.text and font_path(zone.style.font).is_file()
    # nothing printed outside the zones (bar the foil and sheen, which are in the background)
    inked = diff > 40
    for zone in page.zones:
        x, y, bw, bh = zone.box
        inked[max(0, y - 2) : y + bh + 2, max(0, x - 2) : x + bw + 2] = False
    assert inked.mean() < 0.001


@pytest.mark.parametrize(("name", "side"), CASES)
def test_every_field_is_a_zone_with_its_printed_text(name: str, side: Side) -> None:
    t = template(name)
    page = _page(name, side)
    data = _data(t)
    names = [z.name for z in page.zones]
    for slot in (s for s in t.slots if s.side is side):
        expected = field_text(data, t, slot.field)
        zone = page.zone(slot.field)
        if expected:
            assert zone is not None, slot.field
            assert expected.startswith(zone.text)  # as printed (a long value may be cut)
        labels = [z.text for z in page.zones if z.name == "label"]
        assert any(label_text(t, slot.field) in text for text in labels), slot.field
    if side is not Side.BACK:
        assert "title" in names
    for picture, where in (("portrait", t.portrait), ("ghost_portrait", t.ghost)):
        assert (picture in names) == (where is not None and where.side is side)
    assert ("signature" in names) == (t.signature is not None and t.signature.side is side)
    assert ("seal" in names) == (t.seal and t.portrait.side is side)
    assert ("mrz" in names) == (t.mrz_side is side)
    fonts = {z.style.font for z in page.zones if z.style and z.name not in ("label", "title")}
    assert len(fonts - {"OCRB.otf"}) <= 1  # one value font per document


@pytest.mark.parametrize("name", [t.name for t in TEMPLATES])
def test_mrz_zone_rereads_with_valid_check_digits_at_the_icao_position(name: str) -> None:
    t = template(name)
    page = _page(name, t.mrz_side)
    zone = page.zone("mrz")
    assert zone is not None and zone.style is not None and zone.style.font == "OCRB.otf"
    lines = tuple(zone.text.split("\n"))
    assert lines == _data(t).mrz_lines()
    parsed = parse_mrz(lines, today=TODAY)
    assert parsed is not None and parsed.valid and parsed.format is t.mrz_format
    assert parsed.surname == "GROESSMANN<LEFEVRE".replace("<", " ")
    x, y, w, h = zone.box
    crop = page.rgb[y : y + h, x : x + w].min(axis=2)
    assert (crop < 90).mean() > 0.05  # dark OCR-B ink fills the crop
    left, top_centre, bottom_centre = ICAO_MRZ_MM[t.mrz_format]
    page_h = page.rgb.shape[0] / PX_PER_MM
    cap = 2.4
    assert abs(x / PX_PER_MM - left) < 1.0
    assert abs((y + h) / PX_PER_MM - (page_h - bottom_centre + cap / 2)) < 1.0
    assert abs(y / PX_PER_MM - (page_h - top_centre - cap / 2)) < 1.0


@pytest.mark.parametrize(("name", "side"), CASES[:3] + CASES[-4:])
def test_rendering_is_deterministic(name: str, side: Side) -> None:
    t = template(name)
    a = render_document(np.random.default_rng(5), _data(t), t, side, 3)
    b = render_document(np.random.default_rng(5), _data(t), t, side, 3)
    c = render_document(np.random.default_rng(6), _data(t), t, side, 3)
    np.testing.assert_array_equal(a.rgb, b.rgb)
    assert a.zones == b.zones
    assert not np.array_equal(a.rgb, c.rgb)


def test_a_name_the_design_font_cannot_write_switches_every_value_font() -> None:
    t = template("td3_azure_left")  # NimbusSans has no Vietnamese stacked diacritics
    holder = replace(HOLDER, surname="Nguyễn", given_names="Thảo")
    page = render_document(np.random.default_rng(0), _data(t, holder), t, Side.PAGE, 1)
    surname = page.zone("surname")
    assert surname is not None and surname.text == "NGUYỄN" and surname.style is not None
    values = [z for z in page.zones if z.style and z.name not in ("label", "title", "mrz")]
    assert {z.style.font for z in values if z.style} == {surname.style.font}
    assert surname.style.font.startswith("DejaVuSans")


def test_wrong_side_is_refused() -> None:
    passport, card = template("td3_azure_left"), template("td1_sky_id")
    assert sides(passport) == (Side.PAGE,) and sides(card) == (Side.FRONT, Side.BACK)
    with pytest.raises(ValueError, match="no side"):
        render_document(np.random.default_rng(0), _data(passport), passport, Side.BACK, 1)


def test_print_conventions() -> None:
    d = date(1990, 3, 14)
    assert format_date(d, DateStyle.MONTH_BILINGUAL, ("en", "fr")) == "14 MAR/MARS 1990"
    assert format_date(d, DateStyle.MONTH_BILINGUAL, ("fr", "en")) == "14 MARS/MAR 1990"
    assert format_date(d, DateStyle.MONTH_BILINGUAL_SHORT, ("de", "en")) == "14 MÄR/MAR 90"
    assert format_date(date(1990, 1, 5), DateStyle.MONTH_BILINGUAL, ("de", "en")) == "05 JAN 1990"
    assert format_date(d, DateStyle.DOTS, ("de", "en")) == "14.03.1990"
    assert format_date(d, DateStyle.SPACES, ("es", "en")) == "14 03 1990"
    assert format_date(d, DateStyle.SLASHES, ("it", "en")) == "14/03/1990"
    assert format_date(d, DateStyle.ISO, ("pt", "en")) == "1990-03-14"
    assert format_sex("F", True, ("nl", "en")) == "V/F"
    assert format_sex("M", True, ("fr", "en")) == "M/M"
    assert format_sex("F", False, ("nl", "en")) == "F"
    assert label_text(template("td3_crimson_right"), "surname") == "Name / Surname"
    assert label_text(template("td3_jade_compact"), "surname") == "Apellidos / Surname"
    assert label_text(template("td3_violet_poly"), "surname") == "NAAM / SURNAME"
    assert set(LABELS) >= {"en", "fr", "de", "es", "it", "nl", "pt"}


def test_field_text_prints_names_in_capitals_with_diacritics() -> None:
    t = template("td3_azure_left")
    data = _data(t)
    assert field_text(data, t, "surname") == "GRÖßMANN-LEFÈVRE"
    assert field_text(data, t, "nationality") == "UTOPIAN"
    assert field_text(data, template("td1_sky_id"), "nationality") == "UTO"
    assert field_text(data, t, "birth_date") == "14 MAR/MARS 1987"
    assert field_text(replace(data, personal_number=""), t, "personal_number") == ""


def test_field_text_prints_turkish_capitals_as_turkey_does() -> None:
    """The holder's name and town in the capitals of the holder's state, the authority in the
    issuing state's: dotted İ for i, dotless I for ı."""
    t = template("td1_rose_id")
    turk = replace(HOLDER, surname="Kılıç", given_names="Şirin", birth_place="Eskişehir")
    data = replace(_data(t), holder=replace(turk, nationality="TUR"), issuing_state="TUR")
    data = replace(data, authority="İçişleri Bakanlığı")
    assert field_text(data, t, "surname") == "KILIÇ"
    assert field_text(data, t, "given_names") == "ŞİRİN"
    assert field_text(data, t, "birth_place") == "ESKİŞEHİR"
    assert field_text(data, t, "authority") == "İÇİŞLERİ BAKANLIĞI"
    german = replace(data, issuing_state="D", authority="Stadt Kiel")
    assert field_text(german, t, "authority") == "STADT KIEL"
    assert field_text(replace(data, holder=turk), t, "given_names") == "ŞIRIN"


@lru_cache(maxsize=1)
def _glyph_recognizer() -> LineRecognizer:
    return create_recognizer(RecognizerKind.GLYPH)  # loads torch: slow tests only


@pytest.mark.slow
@pytest.mark.parametrize("name", [t.name for t in TEMPLATES])
def test_mrz_reads_back_from_the_pixels(name: str) -> None:
    """The project's own reader finds and reads every design's MRZ exactly."""
    t = template(name)
    page = _page(name, t.mrz_side)
    gray = np.asarray(cv2.cvtColor(page.rgb, cv2.COLOR_RGB2GRAY), np.uint8)
    reading = read_mrz(gray, _glyph_recognizer(), today=TODAY)
    assert reading is not None and reading.data is not None and reading.data.valid
    assert tuple(reading.lines) == _data(t).mrz_lines()
