"""Forgeries on small self-built pages: exact masks, claimed changes, MRZ check digits, seeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from docfraud.mrz.parse import parse_mrz
from docfraud.mrz.spec import MrzFormat
from docfraud.synth import ink
from docfraud.synth.records import (
    PX_PER_MM,
    DocKind,
    DocumentData,
    Page,
    Person,
    Side,
    TextStyle,
    Zone,
)
from docfraud.synth.tamper import Forgery, ForgeryType, applicable, forge

MRZ_ORIGINS = ((50, 585), (51, 636))
"""Drawing positions of the test passport's MRZ lines (TD3 centre lines are 6.35 mm apart)."""
LABEL = TextStyle("NimbusSans-Regular.otf", 12, (110, 70, 80))
VALUE = TextStyle("LiberationSans-Bold.ttf", 20, (25, 25, 35))
TYPED = TextStyle("DejaVuSerif.ttf", 18, (20, 20, 60))


def _paper(h: int, w: int, tint: tuple[int, int, int], period: float) -> npt.NDArray[np.uint8]:
    """A blank template: tinted paper with a guilloche-like wave pattern."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    wave = np.sin(xx / period + 3 * np.sin(yy / (3 * period))) * 9 + yy / h * 6
    paper = np.array(tint, np.float32) + wave[..., None] * np.array([1.0, 0.6, 0.9])
    return np.asarray(np.clip(paper, 0, 255), np.uint8)


def _blobs(rng: np.random.Generator, h: int, w: int) -> npt.NDArray[np.uint8]:
    """A smooth, face-sized picture standing in for a procedural portrait."""
    small = rng.integers(40, 220, (6, 5, 3)).astype(np.uint8)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC), np.uint8)


def _field(
    rgb: npt.NDArray[np.uint8],
    zones: list[Zone],
    name: str,
    text: str,
    xy: tuple[int, int],
    style: TextStyle,
) -> None:
    zones.append(
        Zone(
            "label",
            ink.draw_text(rgb, (xy[0], xy[1] - 16), name.upper(), LABEL),
            name.upper(),
            LABEL,
        )
    )
    zones.append(Zone(name, ink.draw_text(rgb, xy, text, style), text, style))


def _mark(
    rgb: npt.NDArray[np.uint8],
    draw: Callable[[npt.NDArray[np.uint8]], object],
    colour: tuple[int, int, int],
) -> None:
    """Print a pen or stamp mark as ink multiplying the paper, as documents and letters do."""
    canvas = np.zeros(rgb.shape[:2], np.uint8)
    draw(canvas)
    ink.blend_ink(rgb, canvas.astype(np.float32) / np.float32(255), colour, (0, 0))


def _signature(rgb: npt.NDArray[np.uint8], box: tuple[int, int, int, int]) -> None:
    x, y, w, h = box
    t = np.linspace(0, 1, 60)
    pts = np.stack([x + t * w, y + h / 2 + np.sin(t * 17) * h * 0.35], axis=1).astype(np.int32)
    _mark(rgb, lambda c: cv2.polylines(c, [pts], False, 255, 2, cv2.LINE_AA), (30, 40, 120))


def _seal(rgb: npt.NDArray[np.uint8], centre: tuple[int, int], r: int) -> tuple[int, int, int, int]:
    def draw(canvas: npt.NDArray[np.uint8]) -> None:
        cv2.circle(canvas, centre, r, 255, 3, cv2.LINE_AA)
        cv2.circle(canvas, centre, r - 12, 255, 2, cv2.LINE_AA)
        cv2.putText(
            canvas,
            "UTO",
            (centre[0] - 22, centre[1] + 8),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.8,
            255,
            2,
            cv2.LINE_AA,
        )

    _mark(rgb, draw, (150, 70, 170))
    return (centre[0] - r - 2, centre[1] - r - 2, 2 * r + 5, 2 * r + 5)


def make_document(
    seed: int = 0, template: str = "uto-passport", state: str = "UTO"
) -> tuple[Page, DocumentData]:
    """A 1000x700 TD3 data page: portrait, ghost, VIZ fields, signature, seal, MRZ."""
    rng = np.random.default_rng(seed)
    tint = (236, 232, 218) if seed % 2 == 0 else (222, 236, 232)
    background = _paper(700, 1000, tint, 6.0 + seed % 3)
    rgb = background.copy()
    holder = Person(
        ("Eriksson", "Lindqvist", "Novák")[seed % 3],
        ("Anna María", "Per Olof", "Zoë")[seed % 3],
        "F",
        date(1974 + seed, 8, 12),
        "Zenith",
        state,
        seed,
    )
    data = DocumentData(
        DocKind.PASSPORT,
        MrzFormat.TD3,
        "P",
        state,
        f"L8989{seed:02d}C3",
        holder,
        date(2007 + seed, 4, 16),
        date(2017 + seed, 4, 15),
        "Passport Office",
        "ZE184226B",
    )
    zones = [
        Zone(
            "title",
            ink.draw_text(rgb, (40, 22), "UTOPIA PASSPORT", TYPED),
            "UTOPIA PASSPORT",
            TYPED,
        )
    ]
    portrait = (40, 90, 240, 300)
    photo = _blobs(rng, 300, 240).astype(np.float32) / 255
    rgb[90:390, 40:280] = (rgb[90:390, 40:280] * photo).astype(np.uint8)
    zones.append(Zone("portrait", portrait))
    ghost = _blobs(rng, 150, 120)
    rgb[300:450, 830:950] = (rgb[300:450, 830:950] * 0.6 + ghost * 0.4).astype(np.uint8)
    zones.append(Zone("ghost_portrait", (830, 300, 120, 150)))
    fields = (
        ("surname", holder.surname.upper(), (320, 110)),
        ("given_names", holder.given_names.upper(), (320, 160)),
        ("nationality", state, (320, 210)),
        ("birth_date", f"{holder.birth_date:%d %b %Y}".upper(), (320, 260)),
        ("sex", "F", (620, 260)),
        ("birth_place", holder.birth_place.upper(), (320, 310)),
        ("issue_date", f"{data.issue_date:%d %b %Y}".upper(), (320, 360)),
        ("expiry_date", f"{data.expiry_date:%d %b %Y}".upper(), (620, 360)),
        ("document_number", data.document_number, (760, 60)),
        ("authority", data.authority.upper(), (620, 310)),
    )
    for name, text, xy in fields:
        _field(rgb, zones, name, text, xy, VALUE)
    _signature(rgb, (320, 420, 200, 60))
    zones.append(Zone("signature", (318, 418, 206, 66)))
    zones.append(Zone("seal", _seal(rgb, (640, 460), 50)))
    lines = data.mrz_lines()
    style = ink.mrz_style(PX_PER_MM, (24, 26, 30))
    before = rgb.copy()
    for line, xy in zip(lines, MRZ_ORIGINS, strict=True):  # line by line, as documents print
        ink.draw_mrz(rgb, xy, (line,), PX_PER_MM, style)
    ys, xs = np.nonzero((rgb != before).any(axis=2))
    box = (int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)  # ink box
    zones.append(Zone("mrz", box, "\n".join(lines), style))
    rgb.flags.writeable = False
    page = Page(rgb, tuple(zones), template, Side.PAGE, DocKind.PASSPORT, background)
    return page, data


def make_letter(seed: int = 0, template: str = "uto-letter", signed: bool = True) -> Page:
    """A 640x900 travel-consent letter: typed fields, seal over the signature."""
    background = _paper(900, 640, (246, 244, 238) if seed % 2 == 0 else (240, 244, 246), 40.0)
    rgb = background.copy()
    zones = [
        Zone(
            "title", ink.draw_text(rgb, (40, 30), "TRAVEL CONSENT", TYPED), "TRAVEL CONSENT", TYPED
        )
    ]
    fields = (
        ("child_name", ("Lena Novák", "Tomáš Ström")[seed % 2], (40, 120)),
        ("child_birth_date", f"03.05.{2015 + seed}", (40, 180)),
        ("child_document_number", f"X{seed}4471920", (40, 240)),
        ("adult_name", "Marek Horváth", (40, 300)),
        ("parent_name_1", "Jana Nováková", (40, 360)),
        ("destination", "Utopia City", (40, 420)),
        ("valid_from", "01.07.2024", (40, 480)),
        ("valid_until", f"{31 - seed:02d}.08.2024", (340, 480)),
        ("issue_date", "12.06.2024", (40, 540)),
    )
    for name, text, xy in fields:
        _field(rgb, zones, name, text, xy, TYPED)
    if signed:
        _signature(rgb, (60, 660, 220, 70))
        zones.append(Zone("signature", (58, 658, 226, 76)))
    zones.append(Zone("seal", _seal(rgb, (250, 700), 60)))
    rgb.flags.writeable = False
    return Page(rgb, tuple(zones), template, Side.PAGE, DocKind.LETTER, background)


@pytest.fixture(scope="module")
def document() -> tuple[Page, DocumentData]:
    return make_document(0)


@pytest.fixture(scope="module")
def donor() -> Page:
    return make_document(1, "uto-id-card")[0]


@pytest.fixture(scope="module")
def letter() -> Page:
    return make_letter(0)


@pytest.fixture(scope="module")
def letter_donor() -> Page:
    return make_letter(1, "uto-letter-b")


def _forge(
    kind: ForgeryType,
    seed: int,
    document: tuple[Page, DocumentData],
    donor: Page,
    letter: Page,
    letter_donor: Page,
) -> tuple[Page, Forgery]:
    rng = np.random.default_rng(seed)
    face = _blobs(np.random.default_rng(seed + 100), 320, 260)
    if kind.name.startswith("LETTER") or kind is ForgeryType.COPY_MOVE and seed % 2:
        return letter, forge(rng, letter, kind, donor=letter_donor)
    page, data = document
    return page, forge(rng, page, kind, data=data, donor=donor, new_face=face)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kind", list(ForgeryType))
def test_mask_is_exactly_the_changed_pixels(
    kind: ForgeryType,
    seed: int,
    document: tuple[Page, DocumentData],
    donor: Page,
    letter: Page,
    letter_donor: Page,
) -> None:
    page, forgery = _forge(kind, seed, document, donor, letter, letter_donor)
    changed = (forgery.page.rgb != page.rgb).any(axis=2)
    assert forgery.forgery_type is kind
    assert forgery.mask.any()
    assert np.array_equal(forgery.mask, changed)
    assert np.array_equal(forgery.page.rgb[~forgery.mask], page.rgb[~forgery.mask])
    covered = np.zeros_like(forgery.mask)
    for x, y, w, h in forgery.boxes:
        covered[y : y + h, x : x + w] = True
    assert not (forgery.mask & ~covered).any()
    assert forgery.fields


@pytest.mark.parametrize("seed", range(8))
def test_mrz_edit_recomputed_keeps_check_digits_valid(
    seed: int, document: tuple[Page, DocumentData]
) -> None:
    page, data = document
    forgery = forge(np.random.default_rng(seed), page, ForgeryType.MRZ_EDIT_RECOMPUTED, data=data)
    assert forgery.mrz_lines is not None
    assert forgery.mrz_lines != data.mrz_lines()
    parsed = parse_mrz(forgery.mrz_lines, today=date(2024, 1, 1))
    assert parsed is not None and parsed.valid
    assert forgery.page.zone("mrz").text == "\n".join(forgery.mrz_lines)  # type: ignore[union-attr]
    assert all(f.startswith("mrz.") for f in forgery.fields)


@pytest.mark.parametrize("kind", [ForgeryType.MRZ_EDIT_RECOMPUTED, ForgeryType.MRZ_EDIT_RAW])
def test_mrz_characters_are_reprinted_in_their_cells(
    kind: ForgeryType, document: tuple[Page, DocumentData]
) -> None:
    """Each changed character now looks like the new one, in the cell the old one was in."""
    page, _ = document
    style = page.zone("mrz").style  # type: ignore[union-attr]
    for seed in range(3):
        forgery = forge(np.random.default_rng(seed), page, kind)
        old = page.zone("mrz").text.split("\n")  # type: ignore[union-attr]
        assert forgery.mrz_lines is not None
        for k, (a, b) in enumerate(zip(old, forgery.mrz_lines, strict=True)):
            for i in (i for i in range(len(a)) if a[i] != b[i]):
                x0, y0 = MRZ_ORIGINS[k]
                cells = []
                for text in (a, b):
                    canvas = page.background.copy()  # type: ignore[union-attr]
                    ink.draw_mrz(canvas, (x0, y0), (text,), PX_PER_MM, style)
                    cells.append(canvas)
                left = x0 + int(i * ink.MRZ_PITCH_MM * PX_PER_MM)
                cut = np.s_[y0 : y0 + 34, left : left + 20]
                got = forgery.page.rgb[cut].astype(int)
                assert np.abs(got - cells[1][cut]).mean() < np.abs(got - cells[0][cut]).mean()


def test_mrz_edits_keep_one_letter_state_codes_in_shape() -> None:
    page, data = make_document(2, state="D")
    for seed in range(12):
        forgery = forge(np.random.default_rng(seed), page, ForgeryType.MRZ_EDIT_RECOMPUTED)
        assert forgery.mrz_lines is not None
        assert [len(line) for line in forgery.mrz_lines] == [44, 44]
        parsed = parse_mrz(forgery.mrz_lines, today=date(2024, 1, 1))
        assert parsed is not None and parsed.valid


@pytest.mark.parametrize("seed", range(8))
def test_mrz_edit_raw_breaks_a_check_digit(seed: int, document: tuple[Page, DocumentData]) -> None:
    page, _ = document
    forgery = forge(np.random.default_rng(seed), page, ForgeryType.MRZ_EDIT_RAW)
    assert forgery.mrz_lines is not None
    parsed = parse_mrz(forgery.mrz_lines, today=date(2024, 1, 1))
    assert parsed is not None
    assert not all(c.valid for c in parsed.checks)


@pytest.mark.parametrize("seed", range(8))
def test_mrz_viz_consistent_changes_one_field_in_both(
    seed: int, document: tuple[Page, DocumentData]
) -> None:
    page, data = document
    forgery = forge(np.random.default_rng(seed), page, ForgeryType.MRZ_VIZ_CONSISTENT, data=data)
    viz = [f for f in forgery.fields if not f.startswith("mrz")]
    assert len(viz) == 1
    mrz_field = "name" if viz[0] in ("surname", "given_names") else viz[0]
    assert f"mrz.{mrz_field}" in forgery.fields
    assert forgery.mrz_lines is not None
    parsed = parse_mrz(forgery.mrz_lines, today=date(2024, 1, 1))
    assert parsed is not None and parsed.valid
    new_text = forgery.page.zone(viz[0]).text  # type: ignore[union-attr]
    assert new_text != page.zone(viz[0]).text  # type: ignore[union-attr]
    if viz[0] == "birth_date":
        assert parsed.birth_date is not None and f"{parsed.birth_date:%y}" == new_text[-2:]
    if viz[0] == "document_number":
        assert parsed.document_number == new_text


@pytest.mark.parametrize("seed", range(6))
def test_field_retype_uses_another_style_and_value(
    seed: int, document: tuple[Page, DocumentData]
) -> None:
    page, data = document
    forgery = forge(np.random.default_rng(seed), page, ForgeryType.FIELD_RETYPE, data=data)
    (name,) = forgery.fields
    before, after = page.zone(name), forgery.page.zone(name)
    assert before is not None and after is not None
    assert after.text != before.text
    assert after.style is not None and after.style != before.style
    details = dict(forgery.details)
    assert details["old"] == before.text and details["new"] == after.text


def test_birth_date_edit_flips_adulthood(document: tuple[Page, DocumentData]) -> None:
    page, data = document
    minor = replace(data, holder=replace(data.holder, birth_date=date(2000, 8, 12)))
    for seed in range(20):
        forgery = forge(np.random.default_rng(seed), page, ForgeryType.FIELD_RETYPE, data=minor)
        if forgery.fields == ("birth_date",):
            year = int(forgery.page.zone("birth_date").text[-4:])  # type: ignore[union-attr]
            assert data.issue_date.year - year >= 18
            return
    pytest.fail("no birth-date edit in 20 seeds")


@pytest.mark.parametrize(
    "kind",
    [ForgeryType.PORTRAIT_BLEND, ForgeryType.PORTRAIT_COLOUR_MATCHED, ForgeryType.PORTRAIT_REPHOTO],
)
def test_portrait_swap_leaves_ghost(kind: ForgeryType, document: tuple[Page, DocumentData]) -> None:
    page, _ = document
    face = _blobs(np.random.default_rng(5), 400, 300)
    forgery = forge(np.random.default_rng(1), page, kind, new_face=face)
    x, y, w, h = page.zone("ghost_portrait").box  # type: ignore[union-attr]
    assert not forgery.mask[y : y + h, x : x + w].any()
    px, py, pw, ph = page.zone("portrait").box  # type: ignore[union-attr]
    assert forgery.mask[py : py + ph, px : px + pw].mean() > 0.5
    assert forgery.fields == ("portrait",)


def test_foreign_background_changes_bare_paper(
    document: tuple[Page, DocumentData], donor: Page
) -> None:
    page, _ = document
    forgery = forge(np.random.default_rng(0), page, ForgeryType.FOREIGN_BACKGROUND, donor=donor)
    assert page.background is not None and donor.background is not None
    bare = (page.rgb == page.background).all(axis=2)
    assert np.array_equal(forgery.page.rgb[bare], donor.background[bare])
    assert forgery.page.background is donor.background


def test_no_signature_drops_the_zone_and_keeps_the_seal(letter: Page) -> None:
    forgery = forge(np.random.default_rng(0), letter, ForgeryType.LETTER_NO_SIGNATURE)
    assert forgery.page.zone("signature") is None
    assert forgery.fields == ("signature",)
    unsigned = make_letter(0, signed=False).rgb
    pen = cv2.dilate((unsigned != letter.rgb).any(axis=2).astype(np.uint8), np.ones((3, 3)))
    seal = (unsigned[..., 0].astype(int) - unsigned[..., 1] > 25) & (pen == 0)
    assert seal.sum() > 500
    assert np.array_equal(forgery.page.rgb[seal], letter.rgb[seal])


@pytest.mark.parametrize(
    "kind", [ForgeryType.FIELD_RETYPE, ForgeryType.MRZ_EDIT_RAW, ForgeryType.COPY_MOVE]
)
def test_pages_without_background_are_inpainted(
    kind: ForgeryType, document: tuple[Page, DocumentData]
) -> None:
    page = replace(document[0], background=None)
    assert ForgeryType.FOREIGN_BACKGROUND not in applicable(page, donor_available=True)
    forgery = forge(np.random.default_rng(3), page, kind)
    assert forgery.mask.any()
    assert np.array_equal(forgery.mask, (forgery.page.rgb != page.rgb).any(axis=2))


def test_forge_is_deterministic(document: tuple[Page, DocumentData], donor: Page) -> None:
    page, data = document
    for kind in (ForgeryType.FIELD_RETYPE, ForgeryType.MRZ_VIZ_CONSISTENT, ForgeryType.COPY_MOVE):
        a = forge(np.random.default_rng(7), page, kind, data=data, donor=donor)
        b = forge(np.random.default_rng(7), page, kind, data=data, donor=donor)
        assert np.array_equal(a.page.rgb, b.page.rgb)
        assert a.details == b.details and a.boxes == b.boxes


def test_seeds_differ(document: tuple[Page, DocumentData]) -> None:
    page, _ = document
    outs = {
        forge(np.random.default_rng(s), page, ForgeryType.FIELD_RETYPE).details for s in range(4)
    }
    assert len(outs) > 1


def test_applicable(document: tuple[Page, DocumentData], letter: Page) -> None:
    page, _ = document
    alone = applicable(page, donor_available=False)
    assert ForgeryType.MRZ_VIZ_CONSISTENT in alone and ForgeryType.PORTRAIT_REPHOTO in alone
    assert ForgeryType.CROP_REPLACE not in alone
    assert not any(t.name.startswith("LETTER") for t in alone)
    assert ForgeryType.FOREIGN_BACKGROUND in applicable(page, donor_available=True)
    letters = applicable(letter, donor_available=False)
    assert ForgeryType.LETTER_NO_SIGNATURE in letters
    assert ForgeryType.MRZ_EDIT_RAW not in letters
    with pytest.raises(ValueError, match="does not apply"):
        forge(np.random.default_rng(0), letter, ForgeryType.MRZ_EDIT_RAW)
