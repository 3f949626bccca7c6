"""Security print: line patterns, microprint, pre-print, registration and overlays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np
import pytest

from docfraud.synth import security
from docfraud.synth.security import BackgroundRecipe, ColourScheme

SCHEME = ColourScheme(
    paper=(246, 244, 236),
    fountain=((226, 236, 250), (246, 236, 244)),
    inks=((118, 148, 205), (196, 132, 170)),
    text=(20, 20, 30),
    label=(40, 60, 110),
    accent=(30, 60, 140),
)
SIZE = (240, 160)
RECIPE = BackgroundRecipe(
    seed=7,
    ropes_mm=(4.0,),
    rope_height_mm=3.0,
    rosettes_mm=((20.0, 10.0, 6.0),),
    microprint="UTOPIA",
    microprint_rows_mm=(18.0,),
    microprint_frame_mm=0.5,
    emblem_seed=3,
    emblem_mm=(4.0, 4.0, 6.0),
    watermark_mm=(15.0, 10.0, 12.0),
    header_mm=3.0,
)


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.mark.parametrize(
    "pattern",
    [
        lambda rng: security.wave_lines(rng, SIZE, pitch_px=6.0, opacity=0.4),
        lambda rng: security.rope_band(rng, SIZE, y_px=80.0, height_px=30.0, opacity=0.6),
        lambda rng: security.rosette(rng, SIZE, (120.0, 80.0), 60.0, opacity=0.55),
        lambda rng: security.pantograph(rng, SIZE, opacity=0.16),
    ],
    ids=["waves", "rope", "rosette", "pantograph"],
)
def test_line_patterns_are_fine_partial_and_deterministic(
    pattern: Callable[[np.random.Generator], security.Alpha],
) -> None:
    alpha = pattern(_rng(1))
    assert alpha.shape == (SIZE[1], SIZE[0]) and alpha.dtype == np.float32
    covered = float((alpha > 0.02).mean())
    assert 0.01 < covered < 0.75  # lines, not a flat tint
    assert float(alpha.max()) <= 0.6 + 1e-6
    np.testing.assert_array_equal(alpha, pattern(_rng(1)))
    assert not np.array_equal(alpha, pattern(_rng(2)))


def test_rope_band_stays_in_its_band() -> None:
    alpha = security.rope_band(_rng(), SIZE, y_px=50.0, height_px=20.0)
    rows = np.flatnonzero(alpha.max(axis=1) > 0.02)
    assert rows.min() >= 50 - 10 - 2 and rows.max() <= 50 + 10 + 2


def test_microprint_blurs_into_an_even_line() -> None:
    row = security.microprint_row("UTOPIAREPUBLIC", 5, 400)
    assert row.shape == (5, 400)
    assert not row.flags.writeable
    blurred = cv2.GaussianBlur(row, (0, 0), 3.0).mean(axis=0)[20:-20]
    assert float(blurred.min()) > 0.3 * float(blurred.mean())  # no gaps: reads as a line


def test_emblem_is_per_seed() -> None:
    a, b = security.emblem(1, 64), security.emblem(2, 64)
    assert a.shape == (64, 64) and 0.05 < float(a.mean()) < 0.6
    np.testing.assert_array_equal(a, security.emblem(1, 64))
    assert not np.array_equal(a, b)


def test_fountain_runs_through_its_stops() -> None:
    ramp = security.fountain((200, 40), ((255, 0, 0), (0, 0, 255)))
    assert ramp.shape == (40, 200, 3)
    np.testing.assert_allclose(ramp[20, 2], (1.0, 0.0, 0.0), atol=0.05)
    np.testing.assert_allclose(ramp[20, -3], (0.0, 0.0, 1.0), atol=0.05)


def test_background_is_light_cached_and_read_only() -> None:
    bg = security.security_background(RECIPE, SCHEME, SIZE, 8.0)
    assert bg.shape == (SIZE[1], SIZE[0], 3) and bg.dtype == np.uint8
    assert not bg.flags.writeable
    assert bg is security.security_background(RECIPE, SCHEME, SIZE, 8.0)
    assert 170 < float(bg.mean()) < 250  # fine lines on paper, room for print on top
    assert float(bg.std()) > 4  # not a flat tint


def test_background_depends_on_the_recipe_seed() -> None:
    a = security.security_background(RECIPE, SCHEME, SIZE, 8.0)
    other = replace(RECIPE, seed=8)
    assert not np.array_equal(a, security.security_background(other, SCHEME, SIZE, 8.0))


def test_print_variation_is_a_registered_crop() -> None:
    pre = security.security_background(RECIPE, SCHEME, (SIZE[0] + 8, SIZE[1] + 8), 8.0)
    copy, (sx, sy) = security.print_variation(_rng(3), pre, SIZE)
    assert copy.shape == (SIZE[1], SIZE[0], 3) and copy.flags.writeable
    assert -4 <= sx <= 4 and -4 <= sy <= 4
    np.testing.assert_array_equal(copy, pre[4 - sy : 4 - sy + SIZE[1], 4 - sx : 4 - sx + SIZE[0]])
    again, shift = security.print_variation(_rng(3), pre, SIZE)
    assert shift == (sx, sy) and np.array_equal(copy, again)


def test_laminate_sheen_only_lightens_and_changes_both_targets_alike() -> None:
    page = np.full((SIZE[1], SIZE[0], 3), 120, np.uint8)
    twin = page.copy()
    strips = security.laminate_sheen(_rng(4), SIZE, SCHEME)
    assert strips
    for strip in strips:
        x, y, w, h = strip.box
        assert 0 <= x and 0 <= y and x + w <= SIZE[0] and y + h <= SIZE[1]
        assert strip.alpha.shape == (h, w) and strip.colour.shape == (h, w, 3)
        security.apply_overlay(strip, page, twin)
    assert (page >= 120).all() and (page > 121).any()
    np.testing.assert_array_equal(page, twin)


def test_hologram_shifts_hue_inside_its_box_only() -> None:
    page = np.full((SIZE[1], SIZE[0], 3), 200, np.uint8)
    foil = security.hologram(_rng(5), SIZE, SCHEME, (100, 40, 200, 200), 3, 40)
    assert foil.box == (100, 40, 140, 120)  # clipped to the page
    security.apply_overlay(foil, page)
    assert (page[:, :100] == 200).all() and (page[:40] == 200).all()
    colours = foil.colour.reshape(-1, 3).astype(int)
    assert np.ptp(colours, axis=0).max() > 60  # iridescent: colour varies across the foil
    np.testing.assert_array_equal(
        foil.alpha, security.hologram(_rng(5), SIZE, SCHEME, (100, 40, 200, 200), 3, 40).alpha
    )
