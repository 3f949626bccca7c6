"""Tests for docfraud.ocr.cells: the page-to-strip map, cell cutting and ink/paper scaling."""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from docfraud.mrz.locate import MrzLine
from docfraud.ocr.cells import (
    CELL_H,
    CELL_W,
    GLYPH_H,
    INK_QUANTILE,
    PAPER_QUANTILE,
    _levels,
    extract_cells,
    line_to_strip_affine,
    normalise_strip,
)
from docfraud.ocr.glyph import GlyphRecognizer
from docfraud.synth.mrzlines import available_fonts, random_mrz_text, render_line

PAPER, INK = 200, 40


def _line(origin: tuple[float, float], angle_deg: float, pitch: float, height: float) -> MrzLine:
    """A line read along ``angle_deg`` (y down): glyphs ``height`` tall, ``pitch`` apart."""
    a = math.radians(angle_deg)
    ux, uy = math.cos(a), math.sin(a)
    return MrzLine(origin, (pitch * ux, pitch * uy), (-uy, ux), height)


def _page_with_blocks(
    line: MrzLine, count: int, inked: set[int], size: tuple[int, int] = (400, 700)
) -> npt.NDArray[np.uint8]:
    """Paper page with an ink square (half a pitch wide) on each cell of ``line`` in ``inked``."""
    page = np.full(size, PAPER, np.uint8)
    u = np.array(line.step) / math.hypot(*line.step)
    n = np.array(line.normal)
    half = 0.25 * math.hypot(*line.step)
    for k in range(count):
        if k not in inked:
            continue
        c = np.array(line.cell_centre(k))
        square = [c - half * u - half * n, c + half * u - half * n, c + half * u + half * n]
        square.append(c - half * u + half * n)
        cv2.fillConvexPoly(page, np.round(np.array(square)).astype(np.int32), INK)
    return page


@pytest.mark.parametrize("angle_deg", [0.0, 3.5, -30.0, 90.0, 180.0])
def test_cell_centres_land_on_strip_cell_centres(angle_deg: float) -> None:
    """Cell k's centre on the page is cell k's centre in the strip, at any rotation."""
    line = _line((123.5, 148.25), angle_deg, 13.0, 17.0)
    strip = line_to_strip_affine(line)
    for k in (0, 1, 7, 43):
        x, y = strip.apply(*line.cell_centre(k))
        assert x == pytest.approx(k * CELL_W + CELL_W / 2, abs=1e-9)
        assert y == pytest.approx(CELL_H / 2, abs=1e-9)


@pytest.mark.parametrize("angle_deg", [0.0, -30.0, 90.0])
def test_glyph_height_becomes_canonical_glyph_height(angle_deg: float) -> None:
    """The glyph's top and bottom along the normal map GLYPH_H apart, centred in the cell."""
    line = _line((50.0, 60.0), angle_deg, 9.0, 12.0)
    strip = line_to_strip_affine(line)
    ox, oy = line.origin
    nx, ny = line.normal
    half = line.height / 2
    top = strip.apply(ox - nx * half, oy - ny * half)
    bottom = strip.apply(ox + nx * half, oy + ny * half)
    assert top == pytest.approx((CELL_W / 2, (CELL_H - GLYPH_H) / 2), abs=1e-9)
    assert bottom == pytest.approx((CELL_W / 2, (CELL_H + GLYPH_H) / 2), abs=1e-9)


@pytest.mark.parametrize("count", [30, 36, 44])
def test_extract_cells_shape_and_dtype(count: int) -> None:
    """One (CELL_H, CELL_W) float32 patch per character, whatever the line length."""
    line = _line((20.0, 50.0), 0.0, 14.0, 18.0)
    page = _page_with_blocks(line, count, set(range(0, count, 3)))
    cells = extract_cells(page, line, count)
    assert cells.shape == (count, CELL_H, CELL_W)
    assert cells.dtype == np.float32


@pytest.mark.parametrize(
    ("origin", "angle_deg"), [((60.0, 200.0), 0.0), ((60.0, 60.0), 20.0), ((350.0, 330.0), -90.0)]
)
def test_extract_cells_cuts_each_cell_at_its_place(
    origin: tuple[float, float], angle_deg: float
) -> None:
    """Inked cells come out inked and blank cells blank, also on a rotated line."""
    count = 12
    inked = {0, 2, 3, 7, 11}
    line = _line(origin, angle_deg, 22.0, 26.0)
    page = _page_with_blocks(line, count, inked)
    cells = extract_cells(page, line, count)
    centre = cells[:, CELL_H // 2 - 3 : CELL_H // 2 + 3, CELL_W // 2 - 3 : CELL_W // 2 + 3]
    means = centre.mean(axis=(1, 2))
    for k in range(count):
        if k in inked:
            assert means[k] == pytest.approx(1.0, abs=0.05), k
        else:
            assert means[k] == pytest.approx(0.0, abs=0.05), k


@pytest.mark.parametrize("bend", [(0.0, 0.0), (0.004, 0.001)])
def test_margin_cells_extend_the_grid_and_keep_the_line_levels(bend: tuple[float, float]) -> None:
    """With a margin, the line's own cells come out exactly as without one, even when black
    (a table past the card's edge) lies beyond its end; the margin cells continue the grid."""
    count, margin = 12, 3
    straight = _line((120.0, 200.0), 4.0, 20.0, 24.0)
    line = MrzLine(straight.origin, straight.step, straight.normal, straight.height, bend)
    page = _page_with_blocks(line, count, {0, 4, 5, 11})
    x_end, _ = line.cell_centre(count - 0.5)
    page[:, int(x_end) + 2 :] = 0

    plain = extract_cells(page, line, count)
    wide = extract_cells(page, line, count, margin=margin)

    assert wide.shape == (count + 2 * margin, CELL_H, CELL_W)
    np.testing.assert_allclose(wide[margin : margin + count], plain, atol=1e-5)
    beyond = wide[margin + count :, CELL_H // 2 - 3 : CELL_H // 2 + 3, :]
    assert beyond.mean() > 1.0  # black past the end reads darker than ink: it was cut there


def test_normalise_strip_maps_paper_to_zero_and_ink_to_one() -> None:
    """Two-level strip with ≥ 3 % ink and ≥ 10 % paper: exactly 0 and 1 after scaling."""
    strip = np.full((CELL_H, 200), float(PAPER), np.float32)
    strip[10:22, 20:80] = INK  # 11 % ink
    out = normalise_strip(strip)
    assert out.dtype == np.float32
    assert out[0, 0] == pytest.approx(0.0)
    assert out[15, 50] == pytest.approx(1.0)
    assert set(np.unique(out).tolist()) == {0.0, 1.0}


@pytest.mark.parametrize("seed", [0, 5, 7])
def test_rendered_line_has_ink_near_one_and_paper_near_zero(seed: int) -> None:
    """On a synthetic OCR-B line, glyph cells peak near 1 and the margins stay near 0."""
    ocrb, other = available_fonts()
    fonts = ocrb or other
    if not fonts:
        pytest.skip("no OCR-B or monospace font installed")
    rng = np.random.default_rng(seed)
    text = random_mrz_text(rng, 44)
    sample = render_line(rng, text, fonts[0], jitter=False)
    cells = extract_cells(sample.gray, sample.line, len(text))
    assert abs(float(np.median(cells))) < 0.15  # most of a strip is paper
    assert 0.9 <= float(np.percentile(cells, 99)) <= 1.25  # the darkest strokes are ink
    assert cells.max(axis=(1, 2)).min() >= 0.75  # every cell holds a glyph, fillers too
    letters = np.array([ch != "<" for ch in sample.text])
    margin = float(np.concatenate([cells[:, :5], cells[:, -5:]], axis=1).mean())
    body = float(cells[letters][:, 8:24].mean())
    assert margin < 0.12
    assert body > 2 * margin + 0.1


@given(
    arrays(
        np.float32,
        st.tuples(st.integers(1, CELL_H), st.integers(1, 60)),
        elements=st.floats(0, 255, width=32),
    )
)
def test_levels_are_numpy_percentiles(strip: npt.NDArray[np.float32]) -> None:
    """The one-partition levels equal ``np.percentile``'s linear quantiles, strip size 1 too."""
    paper, ink = np.percentile(strip, (100 * PAPER_QUANTILE, 100 * INK_QUANTILE))
    assert _levels(strip) == pytest.approx((float(paper), float(ink)), abs=1e-3)


@pytest.mark.parametrize("level", [0.0, 128.0, 255.0])
def test_blank_strip_does_not_divide_by_zero(level: float) -> None:
    """A uniform strip (no ink) scales to zeros instead of inf/NaN."""
    out = normalise_strip(np.full((CELL_H, 100), level, np.float32))
    assert np.isfinite(out).all()
    assert np.all(out == 0.0)


def test_faint_strip_is_not_stretched_to_full_contrast() -> None:
    """A 3-level ripple stays faint: the 8-grey-level span floor keeps noise from becoming ink."""
    strip = np.full((CELL_H, 100), 200.0, np.float32)
    strip[:, ::2] = 197.0
    out = normalise_strip(strip)
    assert float(out.max()) == pytest.approx(3.0 / 8.0)


def test_extract_cells_on_blank_page_is_finite_and_empty() -> None:
    """Cutting cells from an empty page gives all-paper cells, not NaNs."""
    page = np.full((120, 500), 230, np.uint8)
    cells = extract_cells(page, _line((30.0, 60.0), 2.0, 10.0, 14.0), 44)
    assert np.isfinite(cells).all()
    assert np.all(cells == 0.0)


def _wash_out(page: npt.NDArray[np.uint8], x0: int, x1: int, keep: float) -> None:
    """Glare across columns ``x0..x1``: every grey level moved towards white, ``keep`` of its
    darkness left."""
    band = page[:, x0:x1].astype(np.float32)
    page[:, x0:x1] = np.round(255 - (255 - band) * keep).astype(np.uint8)


def _glint(page: npt.NDArray[np.uint8], centre: float, sigma: float, keep: float) -> None:
    """A glint on the laminate: columns washed out towards white, most at ``centre`` (``keep``
    of the darkness left there), less with distance as a Gaussian of ``sigma`` pixels."""
    x = np.arange(page.shape[1], dtype=np.float32)
    left = 1 - (1 - keep) * np.exp(-0.5 * ((x - centre) / sigma) ** 2)
    page[:] = np.round(255 - (255 - page.astype(np.float32)) * left[None, :]).astype(np.uint8)


def test_washed_out_stretch_is_scaled_by_its_own_levels() -> None:
    """Glyphs under glare come out as they would without it (but for the stretch's first cell
    each side, whose neighbours still set its levels)."""
    line = _line((30.0, 60.0), 0.0, 14.0, 18.0)
    page = _page_with_blocks(line, 44, set(range(44)))
    plain = extract_cells(page, line, 44)
    x0, x1 = (round(line.cell_centre(k)[0]) for k in (15, 27))
    _wash_out(page, x0, x1, keep=0.3)
    cells = extract_cells(page, line, 44)
    np.testing.assert_allclose(cells[17:26], plain[17:26], atol=0.05)


def test_recogniser_reads_a_line_under_glare() -> None:
    """The committed recogniser reads letters under glare as letters, not as fillers."""
    ocrb, other = available_fonts()
    if not ocrb:
        pytest.skip("no OCR-B font installed (fonts-ocr-b)")
    recognizer = GlyphRecognizer.load()
    rng = np.random.default_rng(11)
    text = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    sample = render_line(rng, text, ocrb[0], jitter=False)
    page = sample.gray.copy()
    pitch = math.hypot(*sample.line.step)
    _glint(page, sample.line.cell_centre(14)[0], 4 * pitch, keep=0.3)
    (reading,) = recognizer.read_lines(page, [sample.line], len(text))
    assert reading.text == text
