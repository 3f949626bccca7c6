"""Guardianship and consent letters: every kind, language and layout renders with exact zones."""

from __future__ import annotations

import doctest
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from PIL import ImageFont

from docfraud.synth import letters
from docfraud.synth.ink import text_alpha
from docfraud.synth.letters import (
    DATE_STYLES,
    LAYOUTS,
    LETTER_HEIGHT_PX,
    LETTER_PX_PER_MM,
    LETTER_TEMPLATES,
    LETTER_WIDTH_PX,
    TITLES,
    LetterData,
    LetterKind,
    format_date,
    render_letter,
)
from docfraud.synth.records import DocKind, Page, Person, Side, font_path

CHILD = Person("Müller", "Léa Anna", "F", date(2015, 3, 2), "Köln", "D", 1)
ADULT = Person("Okafor", "Chinedu", "M", date(1979, 11, 23), "Lagos", "NGA", 2)
FATHER = Person("Müller", "Jörg", "M", date(1981, 6, 30), "Bonn", "D", 3)
MOTHER = Person("Müller", "Käthe", "F", date(1984, 1, 9), "Köln", "D", 4)

TEXT_ZONES = (
    "child_name",
    "child_birth_date",
    "child_document_number",
    "adult_name",
    "adult_document_number",
    "parent_name",
    "authority",
    "issue_date",
    "valid_from",
    "valid_until",
    "destination",
    "reference",
    "title",
)
CASES = [
    (kind, language, layout)
    for kind in LetterKind
    for language in ("en", "fr", "de")
    for layout in LAYOUTS[kind]
]


def make(kind: LetterKind, language: str = "en", **changes: Any) -> LetterData:
    data = LetterData(
        kind=kind,
        language=language,
        child=CHILD,
        child_document_number="C4F82K917",
        adult=ADULT,
        adult_document_number="A07734512",
        parents=(FATHER, MOTHER),
        authority="Amtsgericht Köln",
        city="Köln",
        issuing_state="D",
        issue_date=date(2026, 3, 12),
        valid_from=date(2026, 7, 1),
        valid_until=date(2026, 7, 28),
        destination="Canada (Toronto)",
        reference="312 F 45/26",
    )
    return replace(data, **changes)


def render(seed: int, data: LetterData, layout: str | None = None) -> Page:
    return render_letter(np.random.default_rng(seed), data, layout)


def stamp_like(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Pixels in a saturated, not-too-dark colour: stamp-pad or ballpoint ink, never toner."""
    hi = rgb.max(axis=-1).astype(np.int16)
    lo = rgb.min(axis=-1).astype(np.int16)
    return np.asarray((hi - lo > 60) & (hi > 80), dtype=np.bool_)


def test_templates_list_every_layout() -> None:
    assert letters.A4_MM == (210.0, 297.0)
    assert LETTER_PX_PER_MM == pytest.approx(1000 / 210)
    assert all(len(LAYOUTS[kind]) >= 2 for kind in LetterKind)
    assert len(LETTER_TEMPLATES) == len(set(LETTER_TEMPLATES)) == len(CASES) // 3
    assert "letter_consent_form_boxes" in LETTER_TEMPLATES


@pytest.mark.parametrize(("kind", "language", "layout"), CASES)
def test_every_kind_language_layout_renders_with_zones(
    kind: LetterKind, language: str, layout: str
) -> None:
    data = make(kind, language)
    page = render(7, data, layout)
    assert page.rgb.shape == (LETTER_HEIGHT_PX, LETTER_WIDTH_PX, 3)
    assert page.rgb.dtype == np.uint8
    assert page.background is not None and page.background.shape == page.rgb.shape
    assert (page.template, page.kind, page.side) == (
        f"letter_{kind}_{layout}",
        DocKind.LETTER,
        Side.PAGE,
    )
    names = [z.name for z in page.zones]
    assert set(TEXT_ZONES) | {"seal", "signature"} <= set(names)
    assert names.count("parent_name") >= 2
    for zone in page.zones:
        x, y, w, h = zone.box
        assert w > 0 and h > 0 and x >= 0 and y >= 0
        assert x + w <= LETTER_WIDTH_PX and y + h <= LETTER_HEIGHT_PX
        crop = page.rgb[y : y + h, x : x + w]
        assert crop.min() < 160, f"{zone.name} has no ink"
    child = page.zone("child_name")
    assert (
        child is not None and "MÜLLER" in child.text.upper() and "Léa".upper() in child.text.upper()
    )
    adult = page.zone("adult_name")
    assert adult is not None and "OKAFOR" in adult.text.upper()
    parents = {z.text.upper() for z in page.zones if z.name == "parent_name"}
    assert any("JÖRG" in p for p in parents) and any("KÄTHE" in p for p in parents)
    styles = DATE_STYLES[language]
    for name, day in (("valid_from", data.valid_from), ("issue_date", data.issue_date)):
        printed = page.zone(name)
        assert printed is not None
        assert printed.text in {format_date(day, language, s) for s in styles}
    for name, value in (
        ("child_document_number", "C4F82K917"),
        ("reference", "312 F 45/26"),
        ("destination", "Canada (Toronto)"),
    ):
        printed = page.zone(name)
        assert printed is not None and printed.text.upper() == value.upper()
    title = page.zone("title")
    assert title is not None and title.text in TITLES[(kind, language)]


@pytest.mark.parametrize("kind", [k for k in LetterKind if k is not LetterKind.CONSENT_FORM])
def test_typed_zone_box_fits_its_text(kind: LetterKind) -> None:
    """Retyping a zone's text in its style gives ink of the zone's width: the text is printed."""
    page = render(3, make(kind, "fr"))
    for zone in page.zones:
        if zone.style is None:
            continue
        alpha, _ = text_alpha(zone.text, zone.style)
        cols = np.flatnonzero(alpha.max(axis=0) > 0.05)
        assert abs(int(cols[-1] - cols[0] + 1) - zone.box[2]) <= 2, zone.name


def test_background_is_blank_where_data_is_printed() -> None:
    page = render(5, make(LetterKind.TRAVEL_CONSENT, "de"))
    assert page.background is not None
    for name in ("child_name", "reference", "valid_until"):
        zone = page.zone(name)
        assert zone is not None
        x, y, w, h = zone.box
        assert page.rgb[y : y + h, x : x + w].min() < 120
        assert page.background[y : y + h, x : x + w].min() > 200


@pytest.mark.parametrize("kind", list(LetterKind))
def test_no_seal_no_signature_leaves_no_marks(kind: LetterKind) -> None:
    marked = render(11, make(kind, "en"))
    bare = render(11, make(kind, "en", has_seal=False, has_signature=False))
    assert not {"seal", "signature"} & {z.name for z in bare.zones}
    mask = np.zeros(marked.rgb.shape[:2], bool)
    for zone in marked.zones:
        if zone.name in ("seal", "signature"):
            x, y, w, h = zone.box
            mask[y : y + h, x : x + w] = True
    assert mask.any() and stamp_like(marked.rgb[mask]).sum() > 50
    assert np.array_equal(marked.rgb[~mask], bare.rgb[~mask])
    assert stamp_like(bare.rgb[mask]).sum() == 0
    if kind is not LetterKind.CONSENT_FORM:
        assert stamp_like(bare.rgb).sum() == 0


def test_seal_only_keeps_signatures_away() -> None:
    page = render(2, make(LetterKind.COURT_ORDER, "fr", has_signature=False))
    names = {z.name for z in page.zones}
    assert "seal" in names and "signature" not in names


def test_deterministic() -> None:
    data = make(LetterKind.CONSENT_FORM, "fr")
    a, b, c = render(4, data), render(4, data), render(5, data)
    assert a.rgb.tobytes() == b.rgb.tobytes() and a.zones == b.zones
    assert a.background is not None and b.background is not None
    assert a.background.tobytes() == b.background.tobytes()
    assert a.rgb.tobytes() != c.rgb.tobytes()


def test_languages_print_different_words() -> None:
    for kind in LetterKind:
        en, fr, de = (set(TITLES[(kind, lang)]) for lang in ("en", "fr", "de"))
        assert not (en & fr or en & de or fr & de)
    titles = set()
    for language in ("en", "fr", "de"):
        zone = render(1, make(LetterKind.TRAVEL_CONSENT, language), "crest").zone("title")
        assert zone is not None
        titles.add(zone.text)
    assert len(titles) == 3


def test_date_formats_per_language() -> None:
    day = date(2026, 3, 12)
    assert format_date(day, "en") == "12 March 2026"
    assert format_date(day, "fr") == "12 mars 2026"
    assert format_date(day, "de") == "12. März 2026"
    assert format_date(day, "de", "numeric") == "12.03.2026"
    assert format_date(day, "en", "numeric") == "12/03/2026"
    assert format_date(date(2026, 8, 1), "fr") == "1er août 2026"
    assert doctest.testmod(letters).failed == 0


def test_court_order_without_parents() -> None:
    page = render(9, make(LetterKind.COURT_ORDER, "de", parents=()))
    assert page.zone("parent_name") is None
    assert page.zone("child_name") is not None and page.zone("seal") is not None


def test_names_any_font_lacks_fall_back_to_one_that_has_them() -> None:
    child = replace(CHILD, surname="Nguyễn", given_names="Thảo")
    page = render(6, make(LetterKind.CUSTODY_CERTIFICATE, "en", child=child), "crest")
    zone = page.zone("child_name")
    assert zone is not None and zone.style is not None
    face = ImageFont.truetype(str(font_path(zone.style.font)), 24)
    notdef = bytes(face.getmask("\U0010fffd"))
    assert all(bytes(face.getmask(c)) != notdef for c in set(zone.text) - {" "})


@pytest.mark.parametrize(
    ("changes", "layout"),
    [
        ({"language": "es"}, None),
        ({"parents": ()}, None),
        ({"parents": (FATHER, MOTHER, FATHER)}, None),
        ({}, "boxes"),
    ],
)
def test_invalid_input_is_rejected(changes: dict[str, Any], layout: str | None) -> None:
    with pytest.raises(ValueError):
        render(0, make(LetterKind.TRAVEL_CONSENT, **changes), layout)


@pytest.mark.parametrize(
    ("kind", "layout"), [(kind, layout) for kind in LetterKind for layout in LAYOUTS[kind]]
)
def test_long_values_stay_on_the_page(kind: LetterKind, layout: str) -> None:
    long_name = replace(ADULT, surname="Zimmermann-Hoffmann", given_names="Maximilian Matthias")
    data = make(
        kind,
        "de",
        adult=long_name,
        parents=(replace(FATHER, given_names="Jörg Günther Maximilian"), MOTHER),
        authority="Amtsgericht Frankfurt am Main – Abteilung für Familiensachen",
        destination="Vereinigte Staaten von Amerika (New York City)",
    )
    page = render(8, data, layout)
    text_zones = [z for z in page.zones if z.name not in ("seal", "signature")]
    for zone in page.zones:
        x, y, w, h = zone.box
        assert x >= 0 and y >= 0 and x + w <= LETTER_WIDTH_PX and y + h <= LETTER_HEIGHT_PX
    for i, a in enumerate(text_zones):
        for b in text_zones[i + 1 :]:
            ax, ay, aw, ah = a.box
            bx, by, bw, bh = b.box
            overlap = ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah
            assert not overlap, (a.name, b.name)
    assert max(z.box[1] + z.box[3] for z in text_zones) < LETTER_HEIGHT_PX - 30
