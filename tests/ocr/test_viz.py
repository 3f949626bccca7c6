"""Tests for docfraud.ocr.viz and docfraud.ocr.labels: printed fields of the visual zone.

Documents are rendered with the synthetic generator at fixed seeds (development templates only;
the held-out ones are for bench/viz.py), so the truth is what the generator printed.
"""

from __future__ import annotations

from datetime import date

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from docfraud.imaging.rectify import DocumentQuad
from docfraud.mrz.parse import MrzData, parse_mrz
from docfraud.ocr.labels import LABELS, match_label, normalise, ratio
from docfraud.ocr.viz import FIELDS, _Line, _plain_code, parse_sex, read_card_front, read_viz
from docfraud.synth.documents import render_document
from docfraud.synth.people import random_document, random_person, random_state, with_holder
from docfraud.synth.records import DocumentData, Page, Side
from docfraud.synth.templates import TEMPLATES, TemplateSpec
from docfraud.types import Box, VizReading

SCAN_DATE = date(2026, 6, 1)
SEED = 6
HELD_OUT = {"td3_slate_right", "td2_plum_permit"}


# --- the label lexicon ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "field"),
    [
        ("Surname / Nom", "surname"),
        ("Given names / Prénoms", "given_names"),
        ("Date of birth / Date de naissance", "birth_date"),
        ("Name / Surname", "surname"),
        ("Vornamen / Given names", "given_names"),
        ("Geburtsdatum / Date of birth", "birth_date"),
        ("Staatsangehörigkeit / Nationality", "nationality"),
        ("Gültig bis / Date of expiry", "expiry_date"),
        ("Behörde / Authority", "authority"),
        ("Apellidos / Surname", "surname"),
        ("Nombre / Given names", "given_names"),
        ("Fecha de nacimiento", "birth_date"),
        ("Sexo / Sex", "sex"),
        ("Nacionalidad / Nationality", "nationality"),
        ("Fecha de expedición / Date of issue", "issue_date"),
        ("Fecha de caducidad / Date of expiry", "expiry_date"),
        ("Cognome / Surname", "surname"),
        ("Luogo di nascita / Place of birth", "birth_place"),
        ("Data de validade", "expiry_date"),
        ("Geboortedatum / Date of birth", "birth_date"),
        ("Nazwisko / Surname", "surname"),
        ("Data urodzenia", "birth_date"),
        ("Efternamn / Surname", "surname"),
        ("Pasaporte N.º / Passport No.", "document_number"),
        ("N° personnel / Personal No.", "personal_number"),
        ("4. Cognome / Surname", "surname"),
        ("SURNAME / NOM", "surname"),
        ("Natonalty Nabonasd", "nationality"),  # OCR of a small caption, slash lost
        ("Date of eapey", "expiry_date"),
        ("Type / Type", "ignore"),
    ],
)
def test_captions_name_their_field(caption: str, field: str) -> None:
    match = match_label(caption)
    assert match is not None and match[0] == field


@pytest.mark.parametrize(
    "text", ["HUGHES", "26 JUL/JUIL 2013", "PASSPORT OFFICE ANYDER", "L898902C3", "M", "V/F"]
)
def test_values_are_not_captions(text: str) -> None:
    match = match_label(text)
    assert match is None or match[0] == "ignore" and text != "PASSPORT OFFICE ANYDER"


def _edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        diagonal, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (ca != cb))
    return row[-1]


@given(st.text("ABDEGINORT0 ", max_size=14), st.text("ABDEGINORT0 ", max_size=14))
def test_caption_likeness_is_one_minus_the_edit_distance_share(a: str, b: str) -> None:
    expected = 1.0 - _edit_distance(a, b) / max(len(a), len(b)) if a or b else 1.0
    assert ratio(a, b) == pytest.approx(expected)


def test_lexicon_entries_are_normalised() -> None:
    for by_lang in LABELS.values():
        for captions in by_lang.values():
            for caption in captions:
                assert caption == normalise(caption), caption


@pytest.mark.parametrize(
    ("text", "sex"),
    [("M", "M"), ("F", "F"), ("X", "X"), ("V/F", "F"), ("K/F", "F"), ("W", "F"), ("H", "M"),
     ("M/M", "M"), ("F/F", "F"), ("xXx", "X"), ("M/F", None), ("MAX", None), ("", None),
     ("HUGHES", None), ("K<K", None)],
)  # fmt: skip
def test_parse_sex(text: str, sex: str | None) -> None:
    assert parse_sex(text) == sex


# --- reading rendered documents --------------------------------------------------------------


def _template(name: str) -> TemplateSpec:
    assert name not in HELD_OUT
    return next(t for t in TEMPLATES if t.name == name)


def _data(template: TemplateSpec, seed: int = SEED) -> DocumentData:
    rng = np.random.default_rng(seed)
    holder = random_person(
        rng, random_state(rng), born_between=(date(1940, 1, 1), date(2006, 1, 1))
    )
    return random_document(
        rng, template.kind, holder, scan_date=SCAN_DATE, mrz_format=template.mrz_format
    )


def _render(data: DocumentData, template: TemplateSpec, side: Side) -> Page:
    return render_document(np.random.default_rng(SEED), data, template, side, 7)


def _bgr(page: Page) -> npt.NDArray[np.uint8]:
    return np.asarray(cv2.cvtColor(page.rgb, cv2.COLOR_RGB2BGR), dtype=np.uint8)


def _whole(image: npt.NDArray[np.uint8]) -> DocumentQuad:
    h, w = image.shape[:2]
    return DocumentQuad(((0, 0), (w - 1, 0), (w - 1, h - 1), (0, h - 1)), 1.0)


def _mrz(data: DocumentData) -> MrzData:
    parsed = parse_mrz(data.mrz_lines(), SCAN_DATE)
    assert parsed is not None
    return parsed


def _iou(a: Box, b: Box) -> float:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / (a[2] * a[3] + b[2] * b[3] - w * h)


def _exact(page: Page, data: DocumentData, viz: VizReading) -> dict[str, bool]:
    """Field → read exactly (dates as the same date, sex as M/F/X, text as printed)."""
    out = {}
    for zone in page.zones:
        if zone.name not in FIELDS or not zone.text:
            continue
        got = viz.get(zone.name)
        if zone.name == "birth_date":
            out[zone.name] = got is not None and got.value == data.holder.birth_date.isoformat()
        elif zone.name in ("issue_date", "expiry_date"):
            want = getattr(data, zone.name).isoformat()
            out[zone.name] = got is not None and got.value == want
        elif zone.name == "sex":
            out[zone.name] = got is not None and got.value == data.holder.sex
        else:
            out[zone.name] = got is not None and " ".join(got.text.split()) == zone.text
    return out


@pytest.fixture(scope="module")
def passport() -> tuple[Page, DocumentData, VizReading]:
    template = _template("td3_azure_left")
    data = _data(template)
    page = _render(data, template, Side.PAGE)
    bgr = _bgr(page)
    return page, data, read_viz(bgr, _whole(bgr), _mrz(data))


@pytest.mark.tesseract
@pytest.mark.slow
def test_reads_a_passport_data_page(passport: tuple[Page, DocumentData, VizReading]) -> None:
    page, data, viz = passport
    exact = _exact(page, data, viz)
    assert len(exact) >= 10
    assert sum(exact.values()) >= len(exact) - 1, exact
    for name in ("surname", "document_number", "birth_date", "expiry_date"):
        assert exact[name], name
    assert viz.text_lines > 10 and not viz.specimen_marked
    surname = page.zone("surname")
    reading = viz.get("surname")
    assert surname is not None and reading is not None
    assert _iou(reading.region.box, surname.box) > 0.3  # regions are in input pixels
    assert all(0.0 <= f.confidence <= 1.0 for f in viz.fields)


@pytest.mark.tesseract
@pytest.mark.slow
def test_retyped_birth_date_is_read_as_printed() -> None:
    """A forger retyped the printed birth date and left the MRZ: the printed date comes out."""
    template = _template("td3_violet_poly")
    genuine = _data(template)
    retyped_date = date(genuine.holder.birth_date.year - 7, 3, 14)
    retyped = with_holder(genuine, birth_date=retyped_date)
    page = _render(retyped, template, Side.PAGE)
    bgr = _bgr(page)
    mrz = _mrz(genuine)  # the MRZ still says the genuine date
    viz = read_viz(bgr, _whole(bgr), mrz)
    birth = viz.get("birth_date")
    assert birth is not None
    assert birth.value == retyped_date.isoformat()
    assert mrz.birth_date is not None and birth.value != mrz.birth_date.isoformat()
    # disagreeing with the MRZ, it was read again, and the second reading says the same
    assert retyped_date.isoformat() in {value for _, value in birth.alternatives}


@pytest.mark.tesseract
@pytest.mark.slow
def test_card_front_upside_down_without_mrz() -> None:
    template = _template("td1_sky_id")
    data = _data(template)
    page = _render(data, template, Side.FRONT)
    upright = _bgr(page)
    turned = np.ascontiguousarray(upright[::-1, ::-1])
    h, w = turned.shape[:2]
    viz = read_viz(turned, _whole(turned), None)
    exact = _exact(page, data, viz)
    assert sum(exact.values()) >= len(exact) - 2, exact
    number = viz.get("document_number")
    zone = page.zone("document_number")
    assert number is not None and zone is not None and number.text == zone.text
    x, y, bw, bh = zone.box
    assert _iou(number.region.box, (w - x - bw, h - y - bh, bw, bh)) > 0.3


@pytest.mark.tesseract
@pytest.mark.slow
def test_a_card_front_is_read_with_its_own_backs_mrz_only() -> None:
    """Presented with its back (and another holder's document), a front is read again with the
    MRZ of the back whose holder it names; with only someone else's MRZ, it keeps its reading."""
    template = _template("td1_sky_id")
    data = _data(template)
    other = _data(template, seed=SEED + 1)
    assert other.holder.surname != data.holder.surname
    bgr = _bgr(_render(data, template, Side.FRONT))
    alone = read_viz(bgr, _whole(bgr), None)
    kept, used = read_card_front(bgr, _whole(bgr), alone, [_mrz(other)])
    assert kept is alone and used is None
    again, used = read_card_front(bgr, _whole(bgr), alone, [_mrz(other), _mrz(data)])
    assert used is not None and used.document_number == _mrz(data).document_number
    number = again.get("document_number")
    assert number is not None and number.text == data.document_number


@pytest.mark.tesseract
@pytest.mark.slow
def test_a_front_turned_wrong_by_its_words_confidence_is_turned_back_by_its_backs_mrz(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the words' confidence turns an upright front upside down (as one more small
    segment did to a sample front), its back's MRZ decides: read the other way round, the front
    names its holder and is kept."""
    import docfraud.ocr.viz as viz_module

    template = _template("td1_sky_id")
    data = _data(template)
    bgr = _bgr(_render(data, template, Side.FRONT))
    monkeypatch.setattr(viz_module, "_unsure", lambda lines: True)
    monkeypatch.setattr(viz_module, "_reads_upside_down", lambda lines, flipped: True)
    alone = read_viz(bgr, _whole(bgr), None)
    assert alone.upside_down and alone.get("document_number") is None
    again, used = read_card_front(bgr, _whole(bgr), alone, [_mrz(data)])
    assert used is not None and not again.upside_down
    number = again.get("document_number")
    assert number is not None and number.text == data.document_number


def test_a_cards_reverse_is_not_read_again_with_the_mrz(monkeypatch: pytest.MonkeyPatch) -> None:
    """A side that reads an authority and a date of issue and none of the holder's fields is a
    card's reverse: the MRZ says nothing about its fields, so it is not read a second time."""
    import docfraud.ocr.viz as viz_module
    from docfraud.types import FieldReading, Region

    def field(name: str, text: str, value: str | None = None) -> FieldReading:
        return FieldReading(name, text, 0.9, Region(0, (10, 10, 100, 20)), value)

    def never(*_: object, **__: object) -> VizReading:
        raise AssertionError("read again")

    monkeypatch.setattr(viz_module, "read_viz", never)
    template = _template("td1_sky_id")
    reverse = VizReading(
        (field("authority", "MAIRIE DE NAMUR"), field("issue_date", "13 05 2020", "2020-05-13")),
        text_lines=6,
    )
    image = np.zeros((10, 10, 3), np.uint8)
    assert read_card_front(image, None, reverse, [_mrz(_data(template))]) == (reverse, None)
    with pytest.raises(AssertionError, match="read again"):  # a front that read nothing
        read_card_front(image, None, VizReading((), text_lines=3), [_mrz(_data(template))])


@pytest.mark.tesseract
@pytest.mark.slow
def test_names_of_an_upside_down_card_are_read_again_where_they_are_printed() -> None:
    """Names are read a second time from crops of the working image, which must be turned
    with the lines: unturned, the crops fell on the opposite corner of the card."""
    template = _template("td1_sky_id")
    data = _data(template, seed=1)
    page = _render(data, template, Side.FRONT)
    turned = np.ascontiguousarray(_bgr(page)[::-1, ::-1])
    exact = _exact(page, data, read_viz(turned, _whole(turned), None))
    assert exact["surname"] and exact["given_names"], exact


@pytest.mark.tesseract
@pytest.mark.slow
def test_specimen_mark_is_seen() -> None:
    template = _template("td1_sky_id")
    data = _data(template)
    page = _render(data, template, Side.BACK)
    bgr = _bgr(page).copy()
    h, w = bgr.shape[:2]
    cv2.putText(bgr, "SPECIMEN", (w // 3, h // 2), cv2.FONT_HERSHEY_DUPLEX, 1.4, (40, 40, 40), 3)
    viz = read_viz(bgr, _whole(bgr), _mrz(data))
    assert viz.specimen_marked


def test_nothing_to_read_gives_an_empty_reading() -> None:
    blank = np.full((300, 480, 3), 240, np.uint8)
    viz = read_viz(blank, _whole(blank), None)
    assert viz.fields == () and viz.text_lines == 0


def test_only_the_formats_code_line_band_is_dropped() -> None:
    """On a TD3 page the code lines sit in the bottom 15 %: a long value above them (an
    authority beside the signature) is kept, a long line in the band is not."""
    from docfraud.ocr.textlines import Segment
    from docfraud.ocr.viz import _in_mrz_band

    mrz = _mrz(_data(_template("td3_azure_left")))
    shape = (1057, 1500)
    blank = np.zeros((36, 36), np.uint8)
    assert not _in_mrz_band(Segment((220, 713, 920, 28), blank), shape, mrz)
    assert _in_mrz_band(Segment((60, 930, 1380, 40), blank), shape, mrz)
    assert not _in_mrz_band(Segment((60, 930, 300, 40), blank), shape, mrz)  # short: a value


def test_a_date_or_authority_joined_to_the_number_beside_it_is_split() -> None:
    from docfraud.ocr.viz import _Line, _split_trailing_numbers

    def split(text: str) -> list[str]:
        return [ln.text for ln in _split_trailing_numbers([_Line(text, 0.9, (0, 0, 300, 30), 3)])]

    assert split("MINISTRY OF INTERIOR 68642231309") == ["MINISTRY OF INTERIOR", "68642231309"]
    assert split("14 MAR/MARS 2023 430758") == ["14 MAR/MARS 2023", "430758"]
    assert split("12 345678") == ["12 345678"]  # no date before the number: one value
    assert split("HT8254935") == ["HT8254935"]


def test_two_captions_side_by_side_are_cut_at_the_wide_gap_between_them() -> None:
    from docfraud.ocr.viz import _Line, _split_joined_captions

    words = (
        ("07", 0, 20), ("DATE", 27, 62), ("OF", 70, 87), ("ISSUE/DATE", 95, 182), ("DE", 190, 207),
        ("DELIVRANCE", 215, 310), ("08", 330, 349), ("DATE", 357, 392), ("OF", 400, 417),
        ("EXPIRY", 425, 500),
    )  # fmt: skip
    line = _Line(" ".join(w[0] for w in words), 0.8, (0, 100, 500, 22), 7, words)
    left, right = _split_joined_captions([line])
    assert left.text == "07 DATE OF ISSUE/DATE DE DELIVRANCE"
    assert (left.box, left.index) == ((0, 100, 320, 22), 7)
    assert (right.text, right.box, right.index) == ("08 DATE OF EXPIRY", (320, 100, 180, 22), 8)


@pytest.mark.parametrize(
    "text",
    [
        "Pasaporte N.° / Passport No",  # a title word and a caption: one caption
        "N.° personal / Personal No",  # one caption whatever its gaps
        "PRAHA 1",
    ],
)
def test_one_caption_or_a_value_stays_whole(text: str) -> None:
    from docfraud.ocr.viz import _Line, _split_joined_captions

    line = _Line(text, 0.8, (0, 0, 300, 20), 2)
    assert _split_joined_captions([line]) == [line]


def test_a_stamp_lighter_than_the_print_falls_away_from_the_strongest_crop() -> None:
    from docfraud.ocr.viz import _strongest

    crop = np.full((40, 200), 255, np.uint8)
    crop[10:30, 100:180] = 30  # the printed value
    cv2.circle(crop, (60, 20), 25, 150, 3)  # a lighter stamp's ring running into it
    out = _strongest(crop)
    assert (out[10:30, 100:180] == 30).all()
    assert (out[crop == 150] == 255).all()


def test_a_line_is_narrowed_to_the_words_asked_for() -> None:
    from docfraud.ocr.viz import _Line, _narrowed

    words = (("oe.", 100, 140), ("01/03/2033", 160, 390))
    line = _Line("oe. 01/03/2033", 0.5, (100, 10, 300, 30), 4, words)

    def digits(word: str) -> bool:
        return any(c.isdigit() for c in word)

    assert _narrowed(line, digits).box == (153, 10, 244, 30)
    assert _narrowed(line, str.isalpha).box == line.box  # "oe." is not letters only: none kept
    plain = _Line("01/03/2033", 0.5, (160, 10, 230, 30), 4, (("01/03/2033", 160, 390),))
    assert _narrowed(plain, digits) is plain


def test_stamp_ink_read_into_a_dates_day_is_cut_off() -> None:
    from docfraud.ocr.viz import _date_tail, _Line

    def tail(text: str) -> str:
        return _date_tail(_Line(text, 0.5, (0, 0, 300, 30), 2), "issue_date", None).text

    assert tail("2°402/03/2023") == "02/03/2023"
    assert tail("a002/03/2023") == "02/03/2023"
    assert tail("02/03/2023") == "02/03/2023"
    assert tail("MIGRATIONSVERKET") == "MIGRATIONSVERKET"  # no date: as read
    assert tail("S\\V228 11 2021") == "28 11 2021"
    assert tail("( &)238 11 2021") == "( &)238 11 2021"  # not the 8th: a day keeps two digits


def test_a_date_line_with_stamp_ink_run_into_its_day_still_gives_the_date() -> None:
    from docfraud.ocr.viz import _date_of

    assert _date_of("S\\V228 11 2021", None) == date(2021, 11, 28)
    assert _date_of("( &)238 11 2021", None) is None
    assert _date_of("2004.12 31", None) is None  # a year-first date missing a dot: no run-in


def test_a_month_word_split_by_a_space_is_read_joined() -> None:
    from docfraud.ocr.viz import _date_of

    assert _date_of("04 OK T/OCT 2022", None) == date(2022, 10, 4)
    assert _date_of("29 MA Y 1980", None) == date(1980, 5, 29)
    assert _date_of("04 OK 2022", None) is None


def test_a_numeric_day_and_month_read_as_one_are_read_apart() -> None:
    from docfraud.ocr.viz import _date_of

    assert _date_of("2111 2023", None) == date(2023, 11, 21)
    assert _date_of("2113 2023", None) is None  # no 13th month


def test_a_date_takes_a_badly_read_caption_only_in_its_place_among_the_pages_dates() -> None:
    from docfraud.ocr.viz import _in_date_order, _Line

    birth = _Line("11.03.1976", 0.9, (1140, 500, 120, 25), 31)
    expiry = _Line("11.10.2030", 0.3, (1090, 565, 120, 28), 37)
    dates = [(31, date(1976, 3, 11)), (37, date(2030, 10, 11))]
    assert not _in_date_order("birth_date", expiry, dates)  # the expiry under a misread caption
    assert _in_date_order("birth_date", birth, dates)
    assert _in_date_order("expiry_date", expiry, dates)
    assert not _in_date_order("expiry_date", birth, dates)
    assert _in_date_order("issue_date", birth, dates)  # no rule for the date of issue
    assert _in_date_order("birth_date", expiry, [(37, date(2030, 10, 11))])  # the only date


def test_a_card_fronts_misread_surname_caption_beats_the_title_above_it() -> None:
    """No MRZ, "Surname" read as "Sumame": the value under it is the surname, not the state's
    name printed larger at the top (which also has a smaller line, the emblem, beside it)."""
    from docfraud.ocr.viz import _assign, _Line

    lines = [
        _Line("vad", 0.24, (99, 67, 70, 34), 1),
        _Line("POLSKA", 0.96, (274, 77, 206, 42), 2),
        _Line("VERBLIJFSDOCUMENT / RESIDENCE PERMIT", 0.87, (272, 131, 703, 29), 6),
        _Line("Noam / Sumame", 0.83, (555, 217, 206, 19), 8),
        _Line("HUGHES-MACLEOD", 0.88, (561, 243, 381, 33), 9),
        _Line("Voornamen / Given names", 0.8, (555, 310, 327, 20), 10),
        _Line("THOMAS", 0.95, (560, 336, 169, 33), 11),
        _Line("Documentnr / Document No", 0.66, (555, 494, 359, 20), 18),
        _Line("JH3803680", 0.91, (561, 521, 210, 33), 20),
    ]
    fields = _assign(lines, None)
    assert fields["surname"][0].text == "HUGHES-MACLEOD"
    assert fields["given_names"][0].text == "THOMAS"


def test_a_visas_valid_from_date_is_not_taken_for_the_holders_birth_date() -> None:
    """The birth date line was lost under a stamp; of the two dates left, the earlier is the
    "valid from" date, decades after the MRZ's birth date: the date of issue, not the birth."""
    from types import SimpleNamespace

    from docfraud.ocr.viz import _dates_by_content, _Line

    valid_from = _Line("08 MAY/MAI 2026", 0.88, (465, 291, 289, 28), 15)
    until = _Line("16 JUN/JUIN 2026", 0.93, (958, 291, 298, 29), 16)
    mrz = SimpleNamespace(birth_date=date(1988, 6, 7), expiry_date=date(2026, 6, 16))
    fields: dict[str, tuple[_Line, float]] = {}
    _dates_by_content([valid_from, until], fields, mrz)  # type: ignore[arg-type]
    assert {n: ln.text for n, (ln, _) in fields.items()} == {
        "issue_date": "08 MAY/MAI 2026",
        "expiry_date": "16 JUN/JUIN 2026",
    }
    young = SimpleNamespace(birth_date=date(2026, 5, 6), expiry_date=date(2026, 6, 16))
    fields = {}
    _dates_by_content([valid_from, until], fields, young)  # type: ignore[arg-type]
    assert fields["birth_date"][0] is valid_from  # a baby's, a digit off: the order decides


def _lone_date_taken(text: str, birth: date, expiry: date) -> dict[str, str]:
    """The field a page's one unlabelled date goes to by content, with the MRZ's dates given."""
    from types import SimpleNamespace

    from docfraud.ocr.viz import _dates_by_content, _Line

    mrz = SimpleNamespace(birth_date=birth, expiry_date=expiry)
    fields: dict[str, tuple[_Line, float]] = {}
    _dates_by_content([_Line(text, 0.79, (450, 237, 225, 47), 14)], fields, mrz)  # type: ignore[arg-type]
    return {n: ln.text for n, (ln, _) in fields.items()}


def test_a_lone_date_well_before_the_mrzs_expiry_is_the_date_of_issue_not_the_expiry() -> None:
    """A visa's "valid from" whose caption was not read is the only date left: before the MRZ's
    expiry and more digits from it than a misreading changes, it is the date of issue (taken as
    the expiry, a genuine visa disagreed with its MRZ); a digit off, it is the expiry misread."""
    birth, expiry = date(1949, 7, 2), date(2026, 7, 9)
    assert _lone_date_taken("15 0S 2026", birth, expiry) == {"issue_date": "15 0S 2026"}
    assert _lone_date_taken("08 07 2026", birth, expiry) == {"expiry_date": "08 07 2026"}


def test_a_childs_visa_gives_a_lone_date_within_its_validity_to_the_issue_not_the_birth() -> None:
    """A child born 2014 holds a visa issued 2026: the issue date lies within the validity, as
    the child's birth does, and under fifteen years from it, so only its digits tell it from a
    misread birth date. Five of eight differ: it is the date of issue (it was taken as the
    birth date); one differs: it is the birth date misread, or altered."""
    birth, expiry = date(2014, 7, 4), date(2026, 7, 28)
    assert _lone_date_taken("11.02.2026", birth, expiry) == {"issue_date": "11.02.2026"}
    assert _lone_date_taken("04.07.2011", birth, expiry) == {"birth_date": "04.07.2011"}


def test_a_date_of_issue_read_surely_once_under_its_caption_is_taken_where_the_mrz_allows() -> None:
    """A stamp over the date of issue garbles two of the three images of its print; the third,
    read with confidence, is the date when it lies between the MRZ's birth and expiry."""
    from types import SimpleNamespace

    from docfraud.ocr.viz import _Line, _take_under_captions

    place = _Line("", 0.0, (472, 589, 349, 39), 30)

    def taken(sure: str, mrz: object) -> str | None:
        readings = [
            _Line("ja1092024", 0.0, place.box, 30),
            _Line("Jal 09'2024", 0.27, place.box, 30),
            _Line(sure, 0.93, place.box, 30),
        ]
        fields: dict[str, tuple[_Line, float]] = {}
        _take_under_captions(fields, [("issue_date", place)], [readings], mrz)  # type: ignore[arg-type]
        return fields["issue_date"][0].text if "issue_date" in fields else None

    mrz = SimpleNamespace(birth_date=date(2013, 7, 11), expiry_date=date(2029, 9, 10))
    assert taken("11 09 2024", mrz) == "11 09 2024"
    assert taken("11 09 2031", mrz) is None  # after the expiry: not a date of issue
    assert taken("11 09 2024", None) is None  # nothing to bound it: two readings must agree


def test_a_cards_reverse_gives_its_lone_date_to_the_issue_and_its_word_to_the_birthplace() -> None:
    """No MRZ, captions too faint to read: on a side that shows no holder (no name, sex or
    nationality tied, no document number) the one date is the date of issue, not a birth
    date, and the place-like value left is the place of birth, not a surname; on a side with
    a document number the date stays a birth date as before."""
    from docfraud.ocr.viz import _assign, _Line

    reverse = [
        _Line("iow Geeta Pee o", 0.45, (101, 229, 303, 19), 6),
        _Line("GALWAY", 0.96, (108, 252, 157, 33), 7),
        _Line("Cute GF Otarce Oem ane", 0.29, (102, 328, 306, 21), 8),
        _Line("28 04 2023", 0.96, (108, 352, 178, 33), 9),
        _Line("MINISTRY OF INTERIOR", 0.96, (109, 449, 418, 34), 11),
    ]
    fields = _assign(reverse, None)
    assert {n: ln.text for n, (ln, _) in fields.items()} == {
        "issue_date": "28 04 2023",
        "birth_place": "GALWAY",
        "authority": "MINISTRY OF INTERIOR",
    }
    front = [*reverse, _Line("LY8660962", 0.9, (108, 520, 220, 33), 12)]
    assert "issue_date" not in _assign(front, None)


def test_an_authority_cut_into_pieces_on_its_row_is_joined_up() -> None:
    """Segmentation cut a letter-spaced authority at its word spaces: the caption ties the first
    piece, which takes the pieces that follow closely on its row, not a value further off."""
    from docfraud.ocr.viz import _assign, _continue_on_row, _Line

    lines = [
        _Line("Ausgestellt in / Issued In", 0.54, (483, 347, 259, 18), 14),
        _Line("CIVIL", 0.96, (482, 374, 114, 32), 15),
        _Line("STATUS DEPARTMENT", 0.95, (624, 374, 398, 32), 16),
        _Line("ALEPPO", 0.96, (1047, 374, 138, 32), 17),
        _Line("HOMS", 0.96, (1300, 374, 100, 32), 18),  # another column, far off
    ]
    fields = _assign(lines, None)
    _continue_on_row(fields, lines)
    authority = fields["authority"][0]
    assert authority.text == "CIVIL STATUS DEPARTMENT ALEPPO"
    assert authority.box == (482, 374, 1185 - 482, 32)


_CARD_BACKS = {
    "a place cut in two on its row, an authority too": (
        [
            ("Aires Oa Lots", 0.21, (755, 71, 324, 22)),
            ("31.03.2026", 0.93, (753, 106, 258, 33)),
            ("PORT", 0.92, (73, 108, 99, 31)),
            ("AMAUROT", 0.91, (202, 108, 180, 31)),
            ("CIVIL REGISTRY", 0.94, (72, 224, 363, 32)),
            ("ANYDER", 0.88, (465, 224, 154, 31)),
            ("NEN e oe NG", 0.34, (76, 306, 281, 20)),
        ],
        "PORT AMAUROT",
    ),
    "a place its marks stand taller than the values": (
        [
            ("Goporwcssen tae", 0.21, (81, 50, 392, 19)),
            ("DA NANG", 0.96, (66, 76, 229, 48)),
            ("17 OKT/OCT 2025", 0.92, (754, 83, 422, 37)),
            ("rte Fw", 0.25, (79, 163, 238, 17)),
            ("NUFUS MUDURLUGU IZMIR", 0.93, (68, 187, 656, 44)),
        ],
        "DA NANG",
    ),
    "a place named after the State, no nationality": (
        [
            ("oe. er eeoe", 0.17, (83, 67, 478, 18)),
            ("UTOPIA CITY", 0.95, (74, 101, 273, 38)),
            ("CIVIL STATUS DEPARTMENT", 0.67, (73, 213, 727, 37)),
            ("REM BAe Ey Pee", 0.21, (83, 290, 474, 19)),
        ],
        "UTOPIA CITY",
    ),
}


@pytest.mark.parametrize("case", list(_CARD_BACKS))
def test_a_td1_cards_back_gives_its_one_place_like_value_to_the_place_of_birth(case: str) -> None:
    """A card's side with the MRZ prints no name: the one name-like value left over is the place
    of birth, though segmentation cut it in pieces along its row, its marks made it taller than
    the other values, or it bears the State's name (lines of rendered card backs, as read,
    captions too faint to match)."""
    from docfraud.ocr.viz import _assign, _continue_on_row

    mrz = parse_mrz(
        [
            "I<UTOD231458907<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        ],
        SCAN_DATE,
    )
    rows, place = _CARD_BACKS[case]
    lines = _page(rows)
    fields = _assign(lines, mrz)
    _continue_on_row(fields, lines)
    assert "nationality" not in fields
    assert fields["birth_place"][0].text == place


def test_a_speck_left_of_every_field_is_no_place_of_birth() -> None:
    """A page with an MRZ whose place of birth was read too unsurely to count: the short word
    read in the portrait, left of every field tied, is not the one value left over (the
    authority's pieces on its row count as the authority's, lines of a specimen as read)."""
    from docfraud.ocr.viz import _assign

    mrz = parse_mrz(
        [
            "PALVAMOHAMADA<<FARIDA<<<<<<<<<<<<<<<<<<<<<<<",
            "LT00000004XXC8605102F1210314111111<11648<<86",
        ],
        SCAN_DATE,
    )
    lines = _page(
        [
            ("L Unetets Seenerne / Norn", 0.31, (469, 328, 199, 12)),
            ("MOHAMADA", 0.95, (467, 353, 167, 24)),
            ("2 Vieaw 0 Geen aaenetad / Prenornen", 0.39, (465, 390, 280, 14)),
            ("FARIDA", 0.95, (468, 417, 122, 23)),
            ("3 Pmorbe Natonalty Natorsite", 0.51, (464, 453, 263, 14)),
            ("MAROKAS", 0.93, (463, 481, 147, 23)),
            ("5 Oewnbenas datums Oate of pip", 0.43, (462, 516, 261, 14)),
            ("10.05.1986", 0.95, (465, 543, 207, 25)),
            ("err", 0.70, (222, 609, 73, 20)),
            ("MAROKA", 0.59, (460, 609, 146, 23)),
            ("Izdevejiestade / Authority", 0.60, (904, 645, 250, 14)),
            ("BEGLU", 0.90, (904, 670, 102, 32)),
            ("LIETU", 0.91, (1034, 675, 101, 24)),
            ("DEPARTAMENTS", 0.90, (1163, 671, 253, 26)),
            ("31.10.2012", 0.95, (457, 736, 232, 27)),
        ]
    )
    fields = _assign(lines, mrz)
    assert fields["authority"][0].text == "BEGLU"  # its pieces joined later
    assert "birth_place" not in fields


def _caption_over_value(
    caption: str | None, value: str, gap: int
) -> tuple[npt.NDArray[np.uint8], Box]:
    """A grey page with ``caption`` in small type ``gap`` px above ``value`` in bold capitals,
    and the box of the two together (one segment, as segmentation found it)."""
    work = np.full((160, 500), 235, np.uint8)
    if caption:
        cv2.putText(work, caption, (40, 60), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 90, 1, cv2.LINE_AA)
    cv2.putText(work, value, (40, 82 + gap), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 20, 3, cv2.LINE_AA)
    ys, xs = np.nonzero(work < 160)
    box = (int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)
    return work, box


@pytest.mark.parametrize(
    ("caption", "value", "gap", "field"),
    [
        ("Nationalite / Nationality", "BEL", 4, "nationality"),
        ("Sexe / Sex", "F", 1, "sex"),  # the F's bare stem is no gap
        ("Nom / Surname", "MOREAU", 3, "surname"),
    ],
)
def test_a_caption_tight_over_its_value_is_cut_off_where_it_reads_as_one(
    caption: str, value: str, gap: int, field: str
) -> None:
    """One segment holding a caption and its value, read as junk whole, is cut in two where its
    upper part reads as the caption (real tesseract), the value read alone below it."""
    from docfraud.ocr.viz import _split_caption_over_value

    work, box = _caption_over_value(caption, value, gap)
    lines = _split_caption_over_value([_Line("sgpereoe Mao", 0.11, box, 0)], work, 30.0)
    assert [ln.text for ln in lines] == [caption, value]
    matched = match_label(lines[0].text)
    assert matched is not None and matched[0] == field
    assert lines[0].box[1] == box[1] and lines[1].box[1] + lines[1].box[3] == box[1] + box[3]


def test_a_tall_value_read_unsurely_stays_whole_when_no_caption_reads_above() -> None:
    """A value alone, taller than the values the card's size gives, is no caption and value."""
    from docfraud.ocr.viz import _split_caption_over_value

    work, box = _caption_over_value(None, "MOREAU", 0)
    line = _Line("M0REAU", 0.4, box, 0)
    assert _split_caption_over_value([line], work, 0.8 * box[3]) == [line]


def test_an_authority_ending_in_a_linking_word_goes_on_in_a_piece_cut_otherwise() -> None:
    """``PRÉFECTURE DE`` boxed taller than ``LYON`` (its accent): no authority ends in ``DE``,
    so the piece after it on its row continues it; a piece as short after a whole authority
    does not (lines of a rendered visa, as read)."""
    from docfraud.ocr.viz import _assign, _continue_on_row, _Line

    caption = _Line("Ausgestellt in / Issued In", 0.54, (409, 330, 259, 18), 14)
    town = _Line("LYON", 1.0, (730, 357, 94, 40), 16)
    lines = [caption, _Line("PREFECTURE DE", 0.9, (409, 356, 292, 61), 15), town]
    fields = _assign(lines, None)
    _continue_on_row(fields, lines)
    assert fields["authority"][0].text == "PREFECTURE DE LYON"
    lines = [caption, _Line("PREFECTURE", 0.9, (409, 356, 292, 61), 15), town]
    fields = _assign(lines, None)
    _continue_on_row(fields, lines)
    assert fields["authority"][0].text == "PREFECTURE"


def test_given_names_cut_at_a_wide_word_space_are_joined_up() -> None:
    """``HÀ`` and ``TRANG`` segmented apart (the accent widened the word space): the caption
    ties the first, which takes the second (lines of a rendered visa, as read)."""
    from docfraud.ocr.viz import _assign, _continue_on_row

    lines = _page(
        [
            ("Ausgestellt in / tosued in", 0.63, (482, 331, 284, 19)),
            ("OF INTERIOR", 0.96, (695, 358, 281, 31)),
            ("MINISTRY", 0.96, (465, 359, 204, 30)),
            ("Name / Surname", 0.89, (483, 414, 178, 17)),
            ("DANG", 0.95, (445, 441, 148, 30)),
            ("Vornamen / Given names", 0.78, (481, 495, 270, 17)),
            ("HA", 0.60, (458, 519, 74, 32)),
            ("TRANG", 0.96, (551, 520, 118, 32)),
        ]
    )
    mrz = parse_mrz(
        ["V<NGADANG<<HA<TRANG<<<<<<<<<<<<<<<<<", "H3H8894Z18VNM6709202F2701080<<<<<<<<"], SCAN_DATE
    )
    fields = _assign(lines, mrz)
    _continue_on_row(fields, lines)
    assert fields["given_names"][0].text == "HA TRANG"
    assert fields["surname"][0].text == "DANG"


def test_a_second_reading_that_spells_the_mrz_name_replaces_one_that_does_not() -> None:
    """``ÞÓRSSON`` read less surely by the Latin model than ``PORSSON`` by ``eng``, which has no
    Þ: the MRZ's THORSSON decides. A reading no nearer the MRZ than the first changes nothing."""
    from docfraud.ocr.viz import _Line, _spells_mrz

    data = parse_mrz(
        [
            "P<ISLTHORSSON<<FREJA<<<<<<<<<<<<<<<<<<<<<<<<",
            "A1234567<6ISL9001011F3001019<<<<<<<<<<<<<<04",
        ],
        SCAN_DATE,
    )
    assert data is not None
    first = _Line("PORSSON", 0.91, (40, 268, 185, 27), 3)
    assert _spells_mrz("surname", _Line("ÞÓRSSON", 0.51, first.box, 3), first, data)
    assert not _spells_mrz("surname", _Line("PÓRSSON", 0.51, first.box, 3), first, data)
    assert not _spells_mrz("given_names", _Line("ÞÓRSSON", 0.51, first.box, 3), first, data)
    assert not _spells_mrz("surname", _Line("ÞÓRSSON", 0.51, first.box, 3), first, None)


def _mrz_of_state(state: str, surname: str = "MURPHY") -> MrzData:
    line1 = f"P<{state}{surname}<<SEAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"[:44]
    data = parse_mrz([line1, f"A1234567<6{state}9001011M3001019<<<<<<<<<<<<<<04"], SCAN_DATE)
    assert data is not None and data.nationality == state
    return data


@pytest.mark.parametrize(
    ("state", "lang"),
    [("IRL", "Latin"), ("GBR", "eng"), ("ESP", "spa"), ("POL", "pol"), ("TUR", "tur"),
     ("VNM", "vie")],
)  # fmt: skip
def test_names_are_read_again_with_a_model_that_has_their_marks(state: str, lang: str) -> None:
    """Irish names keep their fada (SEÁN, SIOBHÁN), which the ``eng`` model drops; Polish ones
    their Ś and Ż, which the ``Latin`` model reads as Š and Ž (``make setup`` installs each)."""
    from docfraud.ocr.viz import _name_lang

    assert _name_lang(_mrz_of_state(state)) == lang


@pytest.mark.parametrize(
    ("holder", "issuer", "lang"),
    [("FRA", "JOR", "fra"), ("VNM", "NGA", "vie"), ("GBR", "FRA", "eng+fra"),
     ("ESP", "FRA", "spa+fra")],
)  # fmt: skip
def test_an_issuers_english_model_does_not_join_the_holders_own(
    holder: str, issuer: str, lang: str
) -> None:
    """A French holder's ``CHLOÉ`` on a Jordanian permit lost its accent to ``fra+eng``: the
    ``eng`` model's A–Z are in every Latin-script model, so beside one it only drops marks. An
    English-speaking holder's model still comes first, and any other issuer's joins."""
    from docfraud.ocr.viz import _name_lang

    data = _mrz_of_state(holder)
    line1 = data.lines[0][:2] + issuer.ljust(3, "<") + data.lines[0][5:]
    issued = parse_mrz([line1, data.lines[1]], SCAN_DATE)
    assert issued is not None and (issued.issuing_state, issued.nationality) == (issuer, holder)
    assert _name_lang(issued) == lang


def test_a_national_model_not_installed_gives_way_to_the_latin_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from docfraud.ocr import viz

    monkeypatch.setattr(viz, "installed_models", lambda: frozenset({"eng", "spa"}))
    assert viz._name_lang(_mrz_of_state("ESP")) == "spa"
    assert viz._name_lang(_mrz_of_state("POL")) == "Latin"


def test_a_second_reading_does_not_replace_a_name_spelled_as_in_the_mrz() -> None:
    """A model without ß reads WEIß as ``WEIL`` more surely: the first reading, the MRZ's WEISS
    once its ß is put back (``WEIB``), stays, and replaces a first ``WEIL`` (ß is no lower-case
    misread in a name printed in capitals). A surer second reading of a name neither spells
    still wins, as before."""
    from docfraud.ocr.viz import _second_reading_wins

    data = _mrz_of_state("TUR", "WEISS")
    first = _Line("WEIß", 0.62, (10, 10, 80, 20), 2)
    assert not _second_reading_wins("surname", first, _Line("WEIL", 0.93, first.box, 2), data)
    assert _second_reading_wins("surname", _Line("WEIL", 0.51, first.box, 2), first, data)
    lost_mark = _Line("WEIB", 0.62, first.box, 2)
    assert not _second_reading_wins("surname", lost_mark, _Line("WEIL", 0.93, first.box, 2), data)
    garbled = _Line("WFIR", 0.62, first.box, 2)
    assert _second_reading_wins("surname", garbled, _Line("WEIL", 0.93, first.box, 2), data)
    assert _second_reading_wins("surname", garbled, _Line("WEISS", 0.50, first.box, 2), data)


def test_a_printed_number_takes_the_mrz_glyphs_ocr_cannot_tell_apart() -> None:
    """RO958615 read where the MRZ, its check digit sound, has R0958615: the visual zone's O and 0
    look alike, so the number shown is the MRZ's; a different digit stays as read, and so does
    every glyph when the MRZ's check digit fails."""
    from docfraud.ocr.viz import _mrz_glyphs

    lines = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "R0958615<5UTO7408122F1204159ZE184226B<<<<<12",
    ]
    good = parse_mrz(lines, SCAN_DATE)
    assert good is not None and good.check("document_number").valid  # type: ignore[union-attr]
    assert _mrz_glyphs("RO95 86l5", "document_number", good) == "R095 8615"
    assert _mrz_glyphs("RO958616", "document_number", good) == "RO958616"
    assert _mrz_glyphs("r0958615", "document_number", good) == "R0958615"  # OCR's case too
    bad = parse_mrz([lines[0], lines[1][:9] + "9" + lines[1][10:]], SCAN_DATE)
    assert bad is not None and not bad.check("document_number").valid  # type: ignore[union-attr]
    assert _mrz_glyphs("RO958615", "document_number", bad) == "RO958615"


def test_a_number_read_without_an_mrz_takes_the_digits_for_o_and_i() -> None:
    """A card front has no MRZ to spell its number: O and I, which issuers leave out of their
    series, are the digits 0 and 1, and OCR's lower case is the print's capitals."""
    from docfraud.ocr.viz import _series_glyphs

    assert _series_glyphs("FRO31749") == "FR031749"
    assert _series_glyphs("KOP7563TO") == "K0P7563T0"
    assert _series_glyphs("N6P48O9j8") == "N6P4809J8"
    assert _series_glyphs("l2 345 67I") == "12 345 671"
    assert _series_glyphs("HT8254935") == "HT8254935"


@pytest.mark.parametrize(
    ("read", "shown"),
    [
        ("yp HUGO", "HUGO"),  # a smudge read as a word before the name
        ("HUGO ec", "HUGO"),
        ("yp HUGA", "yp HUGA"),  # not the MRZ's name even without it: left for the checks
        ("Hugo", "Hugo"),
    ],
)
def test_a_given_name_drops_words_without_capitals_where_the_rest_is_the_mrz_name(
    read: str, shown: str
) -> None:
    from docfraud.ocr.viz import _reading

    data = parse_mrz(
        [
            "P<UTOCHEVALIER<<HUGO<<<<<<<<<<<<<<<<<<<<<<<<",
            "R0958615<5UTO7408122M1204159ZE184226B<<<<<18",
        ],
        SCAN_DATE,
    )
    assert data is not None
    line = _Line(read, 0.9, (10, 10, 80, 12), 0)
    got = _reading("given_names", line, 0.9, data, np.eye(3), (200, 100), [])
    assert got.text == shown


def test_the_sex_no_caption_claimed_is_searched_where_one_line_alone_begins_with_its_letter() -> (
    None
):
    """``Sex / Sexe`` read ``Ser Sere`` ties nothing, and the F below it read ``Fi``: the one
    value-sized line beginning with the MRZ's F is read again; of several, the one that is the
    letter itself alone (a speck in the portrait read ``v``, a form of F); none, or two alike, is
    no search."""
    from docfraud.ocr.viz import _Line, _search_plan

    data = parse_mrz(
        [
            "P<ISLTHORSSON<<FREJA<<<<<<<<<<<<<<<<<<<<<<<<",
            "A1234567<6ISL9001011F3001019<<<<<<<<<<<<<<04",
        ],
        SCAN_DATE,
    )
    assert data is not None
    fields = {
        "surname": (_Line("THORSSON", 0.9, (489, 300, 200, 29), 1), 1.0),
        "given_names": (_Line("FREJA", 0.9, (489, 376, 83, 29), 2), 1.0),
        "birth_date": (_Line("01 01 1990", 0.9, (858, 450, 318, 29), 3), 1.0),
        "document_number": (_Line("A1234567", 0.9, (858, 200, 200, 29), 4), 1.0),
        "expiry_date": (_Line("01 01 2030", 0.9, (489, 673, 307, 29), 5), 1.0),
    }
    caption = _Line("Ser Sere", 0.9, (487, 495, 98, 17), 6)
    speck = _Line("F", 0.4, (1483, 520, 7, 12), 7)  # margin print, not value-sized
    mark = _Line("Fi", 0.6, (489, 525, 24, 28), 8)
    plan = _search_plan(fields, [caption, speck, mark], data)
    assert ("sex", mark) in plan
    letter = _Line("F", 0.9, (489, 525, 19, 30), 8)
    portrait_speck = _Line("v", 0.6, (236, 574, 37, 30), 9)
    assert ("sex", letter) in _search_plan(fields, [caption, letter, portrait_speck], data)
    again = _Line("F.", 0.6, (600, 525, 24, 28), 9)
    assert not any(n == "sex" for n, _ in _search_plan(fields, [caption, letter, again], data))
    assert not any(n == "sex" for n, _ in _search_plan(fields, [caption], data))


@pytest.mark.parametrize(
    ("read", "shown"),
    [
        ("3/03/2023", "13/03/2023"),  # 13/03/2023 + 5 years is the expiry, less a day
        ("13/03/2023", "13/03/2023"),
        ("3/04/2023", "3/04/2023"),  # no lost digit makes it a whole number of years: as read
    ],
)
def test_an_issue_date_read_with_a_one_digit_day_gets_the_digit_its_validity_proves(
    read: str, shown: str
) -> None:
    from docfraud.ocr.viz import _reading

    data = parse_mrz(
        [
            "P<NORLINDQVIST<<LINNEA<<<<<<<<<<<<<<<<<<<<<<",
            "E8121247<1NOR9606058F2803124<<<<<<<<<<<<<<00",
        ],
        SCAN_DATE,
    )
    assert data is not None and data.expiry_date == date(2028, 3, 12)
    line = _Line(read, 0.5, (496, 565, 193, 33), 0)
    got = _reading("issue_date", line, 0.5, data, np.eye(3), (1500, 1000), [])
    assert got.text == shown


def _lindqvist() -> MrzData:
    data = parse_mrz(
        [
            "P<NORLINDQVIST<<LINNEA<<<<<<<<<<<<<<<<<<<<<<",
            "E8121247<1NOR9606058F2803124<<<<<<<<<<<<<<00",
        ],
        SCAN_DATE,
    )
    assert data is not None and data.expiry_date == date(2028, 3, 12)
    return data


@pytest.mark.parametrize(
    ("read", "shown"),
    [
        ("13/63/2023", "13/03/2023"),  # a zero read as 6: 13/03/2023 is 5 years before expiry
        ("13/03/2623", "13/03/2023"),
        ("13.63.2823", "13.03.2023"),  # two zeros
        ("13/68/2023", "13/03/2023"),  # a zero and a three
        ("18/63/2023", "18/63/2023"),  # 13/03 and 10/03 both fit: which is unproven
        ("25/63/2023", "25/63/2023"),  # no zero put back makes it a whole number of years
        ("13/08/2023", "13/08/2023"),  # a date as read stays, though 13/03 would fit
        ("12/63/2628", "12/63/2628"),  # the expiry's own line, its zeros misread
    ],
)
def test_an_issue_dates_zeros_or_threes_read_as_6_8_or_9_come_back_where_its_validity_proves(
    read: str, shown: str
) -> None:
    from docfraud.ocr.viz import _reading

    line = _Line(read, 0.5, (496, 565, 193, 33), 0)
    got = _reading("issue_date", line, 0.5, _lindqvist(), np.eye(3), (1500, 1000), [])
    assert got.text == shown


def test_a_name_read_without_the_marks_the_mrz_cannot_prove_takes_them_from_the_states_names() -> (
    None
):
    """``PEÑA`` read ``PENA`` agrees with the MRZ's PENA, which proves no mark: Spain's name
    lists spell it one way, with its tilde."""
    from docfraud.ocr.viz import _reading

    mrz = parse_mrz(
        [
            "P<ESPPENA<<JESUS<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
            "L898902C36ESP7408122M1204159ZE184226B<<<<<10",
        ],
        SCAN_DATE,
    )
    assert mrz is not None
    for name, read, shown in (("surname", "PENA", "PEÑA"), ("given_names", "JESUS", "JESÚS")):
        line = _Line(read, 0.9, (496, 265, 193, 33), 0)
        assert _reading(name, line, 0.9, mrz, np.eye(3), (1500, 1000), []).text == shown


@pytest.mark.parametrize(
    ("names", "name", "read", "shown"),
    [
        # the national reading model spaces a double name's hyphen: printed names have none
        ("SYREL<AMIN<<TARIQ", "surname", "EL - AMIN", "EL-AMIN"),
        # OCR split the word; the MRZ has it whole and no word GRABOWSK
        ("POLGRABOWSKI<<JAN<K", "surname", "GRABOWSK I", "GRABOWSKI"),
        ("POLGRABOWSKI<<JAN<K", "given_names", "JAN K", "JAN K"),  # the MRZ's initial: apart
    ],
)
def test_a_names_spacing_is_the_printed_ones(names: str, name: str, read: str, shown: str) -> None:
    from docfraud.ocr.viz import _reading

    first = f"P<{names}".ljust(44, "<")
    mrz = parse_mrz([first, f"L898902C36{names[:3]}7408122M1204159ZE184226B<<<<<10"], SCAN_DATE)
    assert mrz is not None
    line = _Line(read, 0.9, (496, 265, 193, 33), 0)
    assert _reading(name, line, 0.9, mrz, np.eye(3), (1500, 1000), []).text == shown


def test_an_issue_date_with_a_zero_misread_is_tied_to_its_caption() -> None:
    """``13/63/2023`` reads as no date, so no caption could take it; repaired by the MRZ's
    expiry, it is the date of issue under its caption."""
    from docfraud.ocr.viz import _assign

    lines = _page(
        [
            ("Date of issue / Date de délivrance", 0.8, (490, 530, 300, 18)),
            ("13/63/2023", 0.7, (496, 565, 193, 33)),
        ]
    )
    fields = _assign(lines, _lindqvist())
    assert fields["issue_date"][0].text == "13/63/2023"
    assert "issue_date" not in _assign(lines, None)


def test_a_date_whose_day_a_stamp_cut_off_is_searched_with_room_for_the_day() -> None:
    """``31 MAR/MARS 1943`` with a stamp over the 31 was segmented ``MAR/MARS 1943``: the MRZ's
    date of birth is looked for again from a little left of the month; the month word is kept
    where only the digits of a date would be."""
    from docfraud.ocr.viz import _Line, _search_plan

    lines = [
        "V<FRAWALKER<WALKER<<THOMAS<<<<<<<<<<<<<<<<<<",
        "L3P1756V98UTO4303318M2702250<<<<<<<<<<<<<<<<",
    ]
    data = parse_mrz(lines, SCAN_DATE)
    assert data is not None and data.birth_date == date(1943, 3, 31)
    words = (("MAR/MARS", 530, 690), ("1943", 705, 800))
    cut = _Line("MAR/MARS 1943", 0.94, (522, 568, 281, 26), 7, words)
    whole = _Line("13 MAR/MARS 1943", 0.94, (473, 568, 330, 26), 7, (("13", 473, 500), *words))
    searched = dict(_search_plan({}, [cut], data))["birth_date"].box
    assert searched[0] < 522 - 26 and searched[0] + searched[2] == 803
    assert dict(_search_plan({}, [whole], data))["birth_date"].box == whole.box


def test_a_stamp_as_dark_as_the_print_in_grey_falls_away_in_the_black_print() -> None:
    """A dark red stamp over a date of issue is darker than the black print in grey, so the
    darkest-ink crop keeps the stamp and loses the date; in each pixel's brightest channel the
    stamp is light and goes."""
    from docfraud.ocr.viz import _black_print, _strongest

    page = np.full((40, 200, 3), 255, np.uint8)
    page[10:30, 100:180] = (30, 30, 30)  # the printed value, black
    cv2.circle(page, (60, 20), 25, (0, 0, 84), 3)  # a stamp's ring, dark red (BGR): grey 25
    ring = np.zeros((40, 200), np.uint8)
    cv2.circle(ring, (60, 20), 25, 255, 3)
    ring[10:30, 100:180] = 0
    grey = np.asarray(cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), np.uint8)
    assert (_strongest(grey)[10:30, 100:180] == 255).all()  # in grey the date goes
    black = _strongest(_black_print(page))
    assert (black[ring > 0] == 255).all()
    assert (black[10:30, 100:180] == 30).all()


@pytest.mark.parametrize(
    ("read", "shown"),
    [("ÚTO", "UTO"), ("ÜTO", "UTO"), ("FRÄ", "FRA"), ("UTO", "UTO"), ("FRANÇAISE", "FRANÇAISE")],
)
def test_a_nationality_code_loses_the_marks_ocr_put_on_it(read: str, shown: str) -> None:
    """ICAO codes are A–Z: a mark on one is a speck of background (the name model's habit)."""
    assert _plain_code(read) == shown


def _page(rows: list[tuple[str, float, Box]]) -> list[_Line]:
    """Lines as read, in the order given."""
    return [_Line(text, conf, box, i) for i, (text, conf, box) in enumerate(rows)]


def test_a_signature_under_a_garbled_caption_is_no_place_of_birth() -> None:
    """Numbered Italian captions read as junk: the holder's signature, read as words with little
    confidence, sits under a caption that reads a little like "Place of birth". It is not the
    place of birth; the one name-like value left among the fields is (lines of a rendered
    page, as read)."""
    from docfraud.ocr.viz import _assign

    mrz = parse_mrz(
        [
            "P<AUTSAMPLE<<FELIX<MATTHIAS<<<<<<<<<<<<<<<<<",
            "NS66361337AUT4808189M350425566944786478<<<74",
        ],
        SCAN_DATE,
    )
    lines = _page(
        [
            ("OSTERREICH", 0.89, (213, 38, 290, 41)),
            ("PASSAPORTO / PASSPORT", 0.91, (213, 90, 375, 27)),
            ("Saaspert No", 0.32, (1171, 169, 120, 18)),
            ("AUT", 0.95, (700, 191, 66, 32)),
            ("NS6636133", 0.85, (984, 192, 189, 31)),
            ("4 wane", 0.64, (489, 247, 136, 18)),
            ("SAMPLE", 0.94, (489, 265, 136, 34)),
            ("6 Nowe Gverecres", 0.75, (495, 320, 238, 16)),
            ("FELIX MATTHIAS", 0.88, (489, 341, 271, 33)),
            ("Qos d qorcto / Date of bam", 0.50, (978, 394, 323, 17)),
            ("Gmodeore / Noterorty", 0.27, (493, 395, 284, 16)),
            ("AUSTRIAN", 0.96, (489, 416, 171, 32)),
            ("18/08/1948", 0.94, (975, 416, 194, 35)),
            ("3 Boats Ae Cte", 0.39, (835, 469, 347, 18)),
            ("M", 0.93, (489, 492, 32, 30)),
            ("LINZ", 0.96, (831, 491, 72, 33)),
            ("Codes pesorot / Fescns No", 0.53, (980, 543, 353, 17)),
            ("04/2025", 0.87, (548, 565, 140, 33)),
            ("66944786478", 0.95, (970, 566, 227, 32)),
            ("fo 6 oderya Cote Of pew", 0.31, (546, 620, 324, 16)),
            ("25/04/2035", 0.36, (490, 641, 198, 34)),
            ("fore at eae eer)ay", 0.36, (61, 688, 288, 14)),
            ("Autores Padenity", 0.12, (529, 695, 190, 15)),
            ("BUNDESMINISTERIUM DES INNERN", 0.72, (449, 716, 625, 39)),
            ("Sched Meudbat a", 0.33, (154, 720, 338, 35)),
        ]
    )
    fields = _assign(lines, mrz)
    assert fields["birth_place"][0].text == "LINZ"


def test_the_states_code_beside_the_document_type_is_no_place_of_birth() -> None:
    """The place of birth's caption read as junk; of the value-sized lines no caption tied, the
    issuing state's code (``NGA``, printed under "Code") is not the one place left over."""
    from docfraud.ocr.viz import _assign

    mrz = parse_mrz(
        [
            "P<NGASAMPLE<<MARY<<<<<<<<<<<<<<<<<<<<<<<<<<<",
            "DW944646<8NGA6206077F2903301<<<<<<<<<<<<<<02",
        ],
        SCAN_DATE,
    )
    lines = _page(
        [
            ("NIGERIA", 0.95, (204, 70, 173, 40)),
            ("PASPOORT / PASSPORT", 0.92, (204, 121, 304, 26)),
            ("MPOww", 0.13, (981, 201, 257, 17)),
            ("P", 0.61, (483, 228, 19, 30)),
            ("NGA", 0.96, (693, 229, 67, 31)),
            ("DW944646", 0.88, (977, 229, 153, 33)),
            ("wae aut", 0.57, (485, 282, 148, 17)),
            ("SAMPLE", 0.95, (482, 309, 95, 31)),
            ("VOORPUMEN GIVEN NAMES", 0.22, (486, 365, 243, 16)),
            ("MARY", 0.95, (482, 392, 88, 30)),
            ("MATOMAUTENT NATIONALITY", 0.22, (485, 445, 249, 17)),
            ("SROs Off Fee", 0.40, (854, 444, 298, 19)),
            ("NIGERIAN", 0.93, (482, 473, 147, 31)),
            ("07 JUN 1962", 0.95, (849, 474, 181, 30)),
            ("As Mee", 0.30, (485, 528, 138, 16)),
            ("Coee", 0.31, (746, 527, 319, 18)),
            ("VF", 0.74, (482, 555, 48, 30)),
            ("IBADAN", 0.86, (746, 555, 110, 32)),
            ("OFT Ont or", 0.45, (485, 608, 314, 18)),
            ("31 MRT/MAR 2024", 0.93, (483, 636, 263, 31)),
            ("30 MRT/MAR 2029", 0.93, (851, 636, 264, 31)),
            ("RETANTE AUTORETY", 0.00, (486, 689, 197, 17)),
            ("MINISTRY OF INTERIOR", 0.96, (482, 717, 350, 31)),
            ("M Srath", 0.62, (204, 754, 132, 32)),
        ]
    )
    fields = _assign(lines, mrz)
    assert fields["birth_place"][0].text == "IBADAN"


def test_three_letters_of_a_caption_are_not_the_nationality_code() -> None:
    """A caption fragment read ``Wor`` is as like the MRZ's ``NOR`` as a code, but caption-sized:
    the nationality is the value printed as a word (``NORWEGIAN``)."""
    from docfraud.ocr.viz import _assign

    mrz = parse_mrz(
        [
            "P<NORSAMPLE<<NILS<HAAKON<<<<<<<<<<<<<<<<<<<<",
            "M4B5842T56NOR8808095M3010242931437973809<<94",
        ],
        SCAN_DATE,
    )
    lines = _page(
        [
            ("NORGE", 0.96, (217, 42, 174, 40)),
            ("PASSAPORTO / PASSPORT", 0.92, (216, 92, 374, 26)),
            ("ON / Pdaaert No", 0.61, (1112, 169, 178, 17)),
            ("1. Toe", 0.43, (500, 169, 58, 19)),
            ("Wor", 0.54, (583, 169, 42, 18)),
            ("wth", 0.31, (707, 171, 175, 16)),
            ("M4B584215", 0.53, (983, 192, 194, 32)),
            ("p", 0.64, (491, 193, 20, 32)),
            ("NOR", 0.96, (701, 194, 81, 30)),
            ("4 Cognome / Suname", 0.69, (496, 244, 234, 19)),
            ("SAMPLE", 0.96, (491, 267, 95, 32)),
            ("Sere err remus", 0.25, (497, 319, 238, 19)),
            ("NILS HAKON", 0.88, (491, 342, 213, 32)),
            ("7. aoncte Oo d / Octet item", 0.40, (980, 392, 321, 16)),
            ("blip bee gue MN Pare TM", 0.46, (495, 393, 285, 16)),
            ("NORWEGIAN", 0.96, (491, 416, 232, 31)),
            ("09/08/1988", 0.95, (969, 415, 199, 33)),
            ("Sty ee", 0.49, (497, 467, 129, 16)),
            ("M", 0.92, (491, 490, 31, 31)),
            ("BERGEN", 0.95, (832, 489, 143, 32)),
        ]
    )
    fields = _assign(lines, mrz)
    assert fields["nationality"][0].text == "NORWEGIAN"


def test_an_authority_named_by_its_words_comes_before_a_garbled_caption() -> None:
    """Every caption read as junk; the place of birth's reads a little like "Authority". The
    value whose words name an authority (``POLITIET``) is the authority, and the place under
    the garbled caption is the one value left over: the place of birth."""
    from docfraud.ocr.viz import _assign

    mrz = parse_mrz(
        [
            "P<NORSAMPLE<<FREJA<<<<<<<<<<<<<<<<<<<<<<<<<<",
            "K2K1115E71NOR6308063F2902050<<<<<<<<<<<<<<06",
        ],
        SCAN_DATE,
    )
    lines = _page(
        [
            ("Sat re", 0.41, (490, 199, 112, 18)),
            ("ios", 0.38, (698, 199, 45, 18)),
            ("Mere", 0.29, (981, 199, 258, 18)),
            ("P", 0.42, (486, 223, 20, 31)),
            ("NOR", 0.96, (697, 224, 68, 31)),
            ("K2K1115E7", 0.80, (980, 224, 164, 31)),
            ("wae . Oral", 0.51, (485, 280, 149, 18)),
            ("SAMPLE", 0.92, (485, 304, 152, 32)),
            ("VOORAMES OfVEN NAMES", 0.20, (486, 362, 244, 18)),
            ("FREJA", 0.92, (485, 386, 97, 32)),
            ("WOME NOT", 0.33, (485, 443, 249, 17)),
            ("NORWEGIAN", 0.96, (486, 468, 190, 31)),
            ("06 AUG 1963", 0.96, (853, 468, 186, 31)),
            ("Qo1", 0.49, (486, 526, 137, 16)),
            ("SIT TR ast AaE OF Berne", 0.27, (746, 525, 320, 19)),
            ("VF", 0.87, (485, 550, 49, 30)),
            ("TROMSO", 0.91, (744, 550, 138, 31)),
            ("AN TE OE Use", 0.42, (486, 606, 313, 18)),
            ("06 FEB 2019", 0.96, (485, 631, 179, 31)),
            ("05 FEB 2029", 0.94, (854, 632, 181, 30)),
            ("MTANTR & ree", 0.22, (486, 688, 196, 16)),
            ("POLITIET BERGEN", 0.94, (486, 712, 273, 31)),
        ]
    )
    fields = _assign(lines, mrz)
    assert fields["authority"][0].text == "POLITIET BERGEN"
    assert fields["birth_place"][0].text == "TROMSO"


@pytest.mark.parametrize(
    ("mrz_lines", "rows", "expected"),
    [
        (
            [
                "IDNORU3457355<2<<<<<<<<<<<<<<<",
                "1309216F2610209NOR<<<<<<<<<<<6",
                "SAMPLE<<ANNA<<<<<<<<<<<<<<<<<<",
            ],
            [
                ("Date de defivrance * / Date of . issue", 0.64, (816, 82, 372, 22)),
                ("Leu de radssance Place of b:rtn", 0.70, (88, 89, 423, 25)),
                ("21.10.2021", 0.95, (811, 108, 206, 37)),
                ("TROMSO", 0.90, (82, 116, 215, 41)),
                ("POLITIET ALESUND", 0.91, (84, 226, 457, 57)),
                ("N personne Personal No", 0.81, (89, 337, 350, 29)),
            ],
            {"authority": "POLITIET ALESUND"},
        ),
        (
            [
                "I<ESPFP3891910314350667081<<<<",
                "1710238F2806192ESP<<<<<<<<<<<3",
                "SAMPLE<<ELENA<<<<<<<<<<<<<<<<<",
            ],
            [
                ("SPOTS Male tte", 0.24, (71, 78, 243, 21)),
                ("Aissiiungsdaim Date dl ssue", 0.44, (750, 80, 324, 21)),
                ("MALAGA", 0.91, (75, 102, 155, 29)),
                ("20.06.2023", 0.94, (757, 103, 258, 31)),
                ("breny js amity", 0.20, (70, 189, 205, 21)),
                ("COMISARIA DE MADRID", 0.94, (75, 213, 512, 31)),
                ("PeROMGE NE EP sata No", 0.36, (69, 301, 282, 20)),
                ("14350667081", 0.96, (76, 324, 283, 31)),
            ],
            {"authority": "COMISARIA DE MADRID", "birth_place": "MALAGA"},
        ),
        (
            [
                "I<BELRF044162<3919677<<<<<<<<<",
                "5311220F2805081BEL<<<<<<<<<<<1",
                "SAMPLE<<INES<<<<<<<<<<<<<<<<<<",
            ],
            [
                ("aS ve SD", 0.36, (77, 68, 238, 20)),
                ("aemeoooor lard me", 0.45, (753, 68, 323, 21)),
                ("69.65.2023", 0.74, (756, 107, 261, 33)),
                ("BRUXELLES", 0.68, (76, 108, 234, 32)),
                ("7352 BLT", 0.28, (72, 188, 179, 16)),
                ("PREFECTURE DE BRUXELLES", 0.95, (77, 223, 600, 34)),
                ("eeee", 0.41, (72, 302, 280, 19)),
                ("9196/77", 0.77, (76, 341, 153, 31)),
            ],
            {"authority": "PREFECTURE DE BRUXELLES", "birth_place": "BRUXELLES"},
        ),
        (
            [
                "IDVNMXD75000851<<<<<<<<<<<<<<<",
                "1303133F2806066VNM<<<<<<<<<<<2",
                "SAMPLE<<TRANG<<<<<<<<<<<<<<<<<",
            ],
            [
                ("y &= #2 @ e's Ree ower", 0.4, (6, 58, 480, 18)),
                ("fate epee ee Sete of nee", 0.5, (749, 58, 418, 18)),
                ("07 06 2023", 0.9, (749, 86, 248, 39)),
                ("HA NOI", 0.8, (68, 84, 158, 46)),
                ("St ba", 0.5, (66, 170, 245, 17)),
                ("CONG AN HA NOI", 0.9, (66, 192, 377, 43)),
                ("Spee ew Meee", 0.4, (66, 280, 304, 18)),
            ],
            {"authority": "CONG AN HA NOI", "birth_place": "HA NOI"},
        ),
        (
            [
                "IDTUR78470551768139150<<<<<<<<",
                "8707187M2807100TUR<<<<<<<<<<<9",
                "SAMPLE<<ANNA<<<<<<<<<<<<<<<<<<",
            ],
            [
                ("rly @ wheerce Puce ofhe", 0.4, (76, 39, 424, 16)),
                ("SeSee omy", 0.4, (817, 59, 170, 18)),
                ("IZMIR", 0.9, (76, 55, 424, 42)),
                ("11.07.2023", 0.9, (806, 82, 220, 38)),
                ("Acubr@ Acre", 0.2, (75, 157, 737, 18)),
                ("NUFUS MUDURLUGU ESKISEHIR", 0.9, (75, 175, 737, 54)),
                ("Gersonre / Personal Mal", 0.4, (84, 274, 337, 23)),
                ("8139150", 1.0, (72, 297, 186, 37)),
                ("SAMPLE<<AN", 0.9, (90, 848, 444, 45)),  # a piece of the code line
            ],
            {"authority": "NUFUS MUDURLUGU ESKISEHIR", "birth_place": "IZMIR"},
        ),
        (
            [
                "I<D<<49YR716518<<<<<<<<<<<<<<<",
                "0705109F3008096D<<<<<<<<<<<<<8",
                "SAMPLE<<ANNA<<<<<<<<<<<<<<<<<<",
            ],
            [
                ("Agceuageauc Date o ste", 0.3, (713, 42, 330, 27)),
                ("8", 0.8, (1473, 51, 12, 19)),
                ("ate", 0.2, (53, 72, 228, 27)),
                ("10.08.2020", 0.8, (713, 69, 330, 40)),
                ("NURNBERG", 0.9, (61, 98, 195, 34)),
                ("hay Ant", 0.3, (55, 184, 168, 25)),
                ("BURGE RAMT KOLN", 0.3, (64, 202, 346, 41)),
                ("Denk rTeN + witck", 0.1, (57, 292, 266, 21)),
                ("w", 0.0, (1477, 358, 11, 14)),  # a speck in the margin, no sex
                ("i", 0.9, (1478, 474, 13, 21)),
            ],
            {"birth_place": "NURNBERG"},
        ),
    ],
    ids=[
        "authority-joined-to-its-caption",
        "comisaria-and-place-above-the-first-field",
        "place-above-every-field-on-the-side-without-names",
        "vietnamese-public-security-by-its-two-words",
        "a-piece-of-the-code-line-is-no-surname",
        "a-speck-read-as-a-sex-letter-is-no-value",
    ],
)
def test_a_card_backs_authority_and_place_found_by_content(
    mrz_lines: list[str], rows: list[tuple[str, float, Box]], expected: dict[str, str]
) -> None:
    """Card reverses (TD1), captions read as junk: an authority joined to its small caption
    (a line half as high again as the values) is still found by its words (``POLITIET``,
    ``COMISARÍA``); the place of birth printed a pixel above the first field tied is still
    among the fields, and on the side with the MRZ, which prints no name, it may lie above
    them all; Vietnamese public security (``CÔNG AN``) is named by two words; a piece of the
    code line is no surname that would make the side one with names; a speck in the margin
    read ``w`` is no sex whose small size would make the place of birth too tall a value."""
    from docfraud.ocr.viz import _assign

    fields = _assign(_page(rows), parse_mrz(mrz_lines, SCAN_DATE))
    assert {name: fields[name][0].text for name in expected} == expected


@pytest.mark.parametrize(
    ("read", "name", "shown"),
    [
        ("YVURZAD MIASTA GDAŃSK", "authority", "URZAD MIASTA GDAŃSK"),
        ("S/POLITIET TROMSØ", "authority", "POLITIET TROMSØ"),
        ("NORLÉANS", "birth_place", "ORLÉANS"),
        ("TAMPERE", "birth_place", "TAMPERE"),  # a town's own word, though AMPERE is one too
        ("PASSPORT OFFICE CORK", "authority", "PASSPORT OFFICE CORK"),
        ("XMAIRIE DE NAMUR", "birth_place", "XMAIRIE DE NAMUR"),  # the stems name authorities
        ("MXAMT", "authority", "MXAMT"),  # too little left to tell
    ],
)
def test_stray_glyphs_before_a_known_first_word_fall_away(read: str, name: str, shown: str) -> None:
    from docfraud.ocr.viz import _without_stray_start

    assert _without_stray_start(read, name) == shown


def test_two_segments_of_one_row_read_with_words_in_common_are_one_line() -> None:
    """A visa's authority segmented twice, the second piece beginning inside the first: one
    authority, not an authority and a place of birth."""
    from docfraud.ocr.viz import _merged_overlaps

    civil = _Line("CIVIL STATUS", 1.0, (479, 400, 281, 31), 0)
    status = _Line("STATUS DEPARTMENT HOMS", 0.9, (623, 400, 535, 31), 1)
    caption = _Line("Name / Surname", 0.8, (478, 461, 178, 17), 2)
    merged = _merged_overlaps([civil, status, caption])
    assert [ln.text for ln in merged] == ["CIVIL STATUS DEPARTMENT HOMS", "Name / Surname"]
    assert merged[0].box == (479, 400, 679, 31)
    apart = _Line("HOMS", 0.9, (623, 400, 90, 31), 1)  # no word in common: not this step's
    assert len(_merged_overlaps([civil, apart])) == 2


def test_a_word_read_in_part_where_two_segments_overlap_is_the_second_segments() -> None:
    """A visa's authority read as ``BURGERAMT Gl`` and ``GRAZ``, the second piece beginning
    under the first's last word: one authority, the town read whole once."""
    from docfraud.ocr.viz import _merged_overlaps

    office = _Line(
        "BURGERAMT Gl", 0.9, (482, 400, 259, 32), 0, (("BURGERAMT", 482, 700), ("Gl", 715, 741))
    )
    town = _Line("GRAZ", 1.0, (721, 401, 92, 31), 1, (("GRAZ", 721, 813),))
    assert [ln.text for ln in _merged_overlaps([office, town])] == ["BURGERAMT GRAZ"]
    beside = _Line("GRAZ", 1.0, (745, 401, 92, 31), 1)  # begins past the first: apart
    assert len(_merged_overlaps([office, beside])) == 2


@pytest.mark.parametrize(
    ("read", "shown"),
    [
        ("ANYDER Ea", "ANYDER"),  # a speck after the place read as a small word
        ("CIVIL STATUS DEPARTMENT iF", "CIVIL STATUS DEPARTMENT"),
        ("PRAHA 1", "PRAHA 1"),  # a district's number is part of the place (a real specimen)
        ("LA PAZ", "LA PAZ"),
    ],
)
def test_a_speck_after_a_place_read_as_a_small_word_goes(read: str, shown: str) -> None:
    from docfraud.ocr.viz import _capital_tail

    assert _capital_tail(read) == shown


def test_a_card_fronts_nationality_code_under_a_garbled_caption() -> None:
    """No MRZ, the nationality caption read as junk and as high as the value below it: the one
    value-sized, surely read line that is a State's code is the nationality, when it is the
    only one (rows of a rendered card front, as read)."""
    from docfraud.ocr.viz import _assign

    lines = _page(
        [
            ("SVERIGE", 0.96, (260, 62, 251, 44)),
            ("PERSONALAUSWEIS J IDENTITY CARD", 0.87, (258, 118, 678, 30)),
            ("Nite {Since", 0.02, (546, 209, 202, 23)),
            ("SAMPLE", 0.95, (542, 235, 202, 34)),
            ("Vvoramer / OMB natn", 0.32, (546, 306, 255, 22)),
            ("FREJA", 0.85, (539, 330, 243, 34)),
            ("Gesrvecmt Sav", 0.17, (524, 401, 179, 23)),
            ("Geoutsdatum / Dee clon", 0.28, (1093, 401, 278, 23)),
            ("Sbasaypro gaat ( Natonasty", 0.36, (739, 402, 326, 31)),
            ("FE", 0.58, (524, 427, 38, 33)),
            ("02.03.1981", 0.63, (1071, 426, 275, 34)),
            ("SWE", 0.96, (712, 429, 112, 31)),
            ("Doeamertenc. / Doane", 0.25, (546, 493, 293, 26)),
            ("Girg bis Date of eepiry", 0.57, (952, 496, 307, 22)),
            ("23.06.2035", 0.92, (952, 518, 307, 37)),
            ("Y8660962", 0.67, (544, 523, 252, 32)),
        ]
    )
    fields = _assign(lines, None)
    assert fields["nationality"][0].text == "SWE"
    two = [*lines, _Line("BEN", 0.9, (712, 600, 112, 31), len(lines))]
    assert "nationality" not in _assign(two, None)  # two codes: no evidence for either


def test_a_card_reverse_gives_its_lone_date_to_the_issue_date_whatever_its_caption_reads() -> None:
    """A reverse shows no holder, so a caption read as junk that looks a little like "Date of
    birth" does not make its date a birth date (lines of a rendered card's reverse, as read)."""
    from docfraud.ocr.viz import _assign

    lines = _page(
        [
            ("Ve =< eater eeof", 0.36, (84, 233, 330, 15)),
            ("LYON", 0.95, (77, 255, 110, 35)),
            ("oe ere Oe Oem", 0.34, (84, 340, 336, 16)),
            ("04 11 2025", 0.92, (74, 364, 201, 34)),
            ("Perth", 0.64, (86, 448, 181, 15)),
            ("MINISTERE DE LINTERIEUR", 0.74, (76, 470, 548, 36)),
        ]
    )
    fields = _assign(lines, None)
    assert fields["issue_date"][0].text == "04 11 2025"
    assert "birth_date" not in fields


def test_a_searched_sex_mark_read_with_a_speck_or_surely_is_its_first_letter() -> None:
    """The only value-sized line that begins with the MRZ's sex letter (``Fi``: an F and a speck
    of background) is the sex even when reading its crop again gives nothing, or another letter
    where it was read surely; a line that begins otherwise is not."""
    from docfraud.ocr.viz import _take_searched

    mrz = parse_mrz(
        [
            "P<SWETHORSSON<DAHL<<KARI<<<<<<<<<<<<<<<<<<<<",
            "VG21064008SWE4605104F2706188<<<<<<<<<<<<<<06",
        ],
        SCAN_DATE,
    )
    mark = _Line("Fi", 0.6, (489, 525, 24, 28), 33)
    fields: dict[str, tuple[_Line, float]] = {}
    _take_searched(fields, [("sex", mark)], [[]], mrz)
    assert fields["sex"][0].text == "F"
    other: dict[str, tuple[_Line, float]] = {}
    _take_searched(other, [("sex", _Line("Mi", 0.6, mark.box, 33))], [[]], mrz)
    assert "sex" not in other
    # read again alone, its crop tight, as another letter: a sure first reading still counts,
    # an unsure one does not
    again = [[_Line("u", 0.5, mark.box, 33), _Line("n", 0.0, mark.box, 33)]]
    sure: dict[str, tuple[_Line, float]] = {}
    _take_searched(sure, [("sex", _Line("F", 0.91, mark.box, 33))], again, mrz)
    assert sure["sex"][0].text == "F"
    unsure: dict[str, tuple[_Line, float]] = {}
    _take_searched(unsure, [("sex", _Line("F", 0.4, mark.box, 33))], again, mrz)
    assert "sex" not in unsure


def test_a_date_of_issue_whose_day_a_stamp_damaged_is_read_again_and_taken_when_two_agree() -> None:
    """A line ending in a month and year that reads as no date (``12 2016``: the day under a
    stamp) is read again widened to the left; two readings giving the same day within the
    MRZ's dates make the date of issue, readings that disagree on the day make none."""
    from docfraud.ocr.viz import _damaged_date_plan, _take_searched

    mrz = parse_mrz(
        [
            "P<UTOWALKER<<SEAN<THOMAS<<<<<<<<<<<<<<<<<<<<",
            "97LE142196UTO9407314M2612270188106<<<<<<<<20",
        ],
        SCAN_DATE,
    )
    lines = _page(
        [
            ("31 07 1994", 0.77, (779, 432, 209, 31)),
            ("12 2016", 0.94, (551, 597, 148, 30)),
            ("27 12 2026", 0.78, (858, 596, 210, 31)),
        ]
    )
    known = {"birth_date": (lines[0], 0.5), "expiry_date": (lines[2], 0.5)}
    plan = _damaged_date_plan(known, lines, mrz)
    assert [(name, ln.text) for name, ln in plan] == [("issue_date", "12 2016")]
    assert plan[0][1].box[0] < 551  # room for the day the segmentation cut off
    box = plan[0][1].box

    def taken(*readings: str, damaged: str = "12 2016") -> str | None:
        fields = dict(known)
        again = [_Line(text, 0.9, box, 1) for text in readings]
        _take_searched(fields, [("issue_date", _Line(damaged, 0.9, box, 1))], [again], mrz)
        return fields["issue_date"][0].text if "issue_date" in fields else None

    assert taken("28 12 2016", "2B 12 2016") == "28 12 2016"
    assert taken("28 12 2016", "08 12 2016") is None  # the day read two ways
    assert taken("28 11 2016", "28 11 2016") is None  # not the month that was read
    assert taken("28 12 2026", "28 12 2026", damaged="12 2026") is None  # after the expiry


def test_a_second_reading_that_joins_a_word_the_first_split_reads_the_same_letters() -> None:
    """``NÜRNBERG`` read again for ``NURNBE RG`` is the same name with its mark, not another;
    an apostrophe read as a mark (``ÖBRIEN``) or a word split anew is not."""
    from docfraud.ocr.viz import _joins_words

    assert _joins_words("NÜRNBERG", "NURNBE RG")
    assert not _joins_words("ÖBRIEN", "O'BRIEN")
    assert not _joins_words("MINISTÈRE DE L INTÉRIEUR", "MINISTERE DE LINTERIEUR")
    assert not _joins_words("NÜRNBERG", "NURNBERG")  # nothing joined: the usual rule decides


def _date_under_a_stamp() -> npt.NDArray[np.uint8]:
    """``08 JUN/JUIN 2007`` in black on white, a blue stamp's ring inked over its day."""
    bgr = np.full((160, 700, 3), 245, np.uint8)
    cv2.putText(bgr, "08 JUN/JUIN 2007", (40, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.3, (20, 20, 20), 3)
    ink = np.full_like(bgr, 255)
    cv2.circle(ink, (0, 85), 80, (235, 90, 40), 8)  # BGR: blue, about as dark as print in grey
    return np.asarray(bgr.astype(np.float32) * ink / 255, np.uint8)


def test_a_searched_date_whose_day_a_stamp_covers_is_read_in_the_black_print() -> None:
    """A visa's date of birth whose day a blue stamp's ring crosses (segmented as
    ``JUN/JUIN 2007``) is read again from the black print too, where the stamp falls away, and
    taken as it agrees with the MRZ: what is printed there, the day included."""
    from docfraud.ocr.viz import _black_print, _find_missing

    bgr = _date_under_a_stamp()
    work = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), np.uint8)
    assert work[85, 80] < 100  # the ring is dark in grey
    lines = [_Line("JUN/JUIN 2007", 0.9, (105, 72, 325, 30), 0)]
    data = parse_mrz(
        [
            "V<UTOPATEL<<LIAM<CHINEDU<<<<<<<<<<<<<<<<<<<<",
            "2969505538IRL0706081M2612258<<<<<<<<<<<<<<<<",
        ],
        SCAN_DATE,
    )
    assert data is not None and data.birth_date == date(2007, 6, 8)
    fields: dict[str, tuple[_Line, float]] = {}
    _find_missing(fields, lines, work, data, lambda: _black_print(bgr))
    assert "birth_date" in fields
    assert fields["birth_date"][0].text.startswith("08")
