"""Signatures and stamps: alpha shapes and ranges, determinism, ink coverage, ring text."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from docfraud.synth.marks import (
    STAMP_COLOURS,
    draw_rect_stamp,
    draw_seal,
    draw_signature,
    stamp_colour,
)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _coverage(alpha: npt.NDArray[np.float32]) -> float:
    return float((alpha > 0.25).mean())


def _check_alpha(alpha: npt.NDArray[np.float32], shape: tuple[int, int]) -> None:
    assert alpha.shape == shape
    assert alpha.dtype == np.float32
    assert 0.0 <= float(alpha.min()) and float(alpha.max()) <= 1.0


@pytest.mark.parametrize("seed", range(12))
def test_signature_has_pen_ink(seed: int) -> None:
    alpha = draw_signature(_rng(seed), "Anna Maria Kowalska-Nowak", (240, 80))
    _check_alpha(alpha, (80, 240))
    assert 0.01 < _coverage(alpha) < 0.35
    assert alpha.max() > 0.6


def test_signature_is_deterministic_and_varies_with_the_rng() -> None:
    first = draw_signature(_rng(3), "Jean Dupont", (200, 70))
    assert np.array_equal(first, draw_signature(_rng(3), "Jean Dupont", (200, 70)))
    assert not np.array_equal(first, draw_signature(_rng(4), "Jean Dupont", (200, 70)))


def test_signature_of_an_odd_name_still_has_ink() -> None:
    assert _coverage(draw_signature(_rng(0), "  -- ", (120, 40))) > 0.005


def _ring_ink(alpha: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """Ink per 10-degree sector of the text band (72 % to 85 % of the radius, inside any ring)."""
    d = alpha.shape[0]
    yy, xx = np.mgrid[0:d, 0:d] - (d - 1) / 2
    rho = np.hypot(xx, yy) / (d / 2)
    sector = ((np.arctan2(yy, xx) + np.pi) / (2 * np.pi) * 36).astype(int) % 36
    band = (rho > 0.72) & (rho < 0.85)
    return np.array([alpha[band & (sector == k)].mean() for k in range(36)])


@pytest.mark.parametrize("seed", range(6))
def test_seal_ring_carries_its_text(seed: int) -> None:
    text = "Ministry of the Interior of the Republic of Utopia"
    alpha = draw_seal(_rng(seed), text, "No 0417", 200)
    _check_alpha(alpha, (200, 200))
    assert 0.04 < _coverage(alpha) < 0.6
    blank = draw_seal(_rng(seed), "", "No 0417", 200)
    lettered = _ring_ink(alpha)
    assert lettered.mean() > 2 * _ring_ink(blank).mean() + 0.02
    assert (lettered > 0.03).mean() > 0.6


def test_short_ring_text_stays_on_the_top_arc() -> None:
    ink = _ring_ink(draw_seal(_rng(1), "CITY OFFICE", "", 200))
    top, bottom = ink[3:15].mean(), ink[21:33].mean()
    assert top > 2 * bottom


def test_seal_is_deterministic() -> None:
    assert np.array_equal(
        draw_seal(_rng(9), "REGISTRY", "", 120), draw_seal(_rng(9), "REGISTRY", "", 120)
    )


def test_rect_stamp_has_border_and_text() -> None:
    lines = ("Notary Office", "Mgr. Jana Svobodova", "Reg. No. 2231/19")
    alpha = draw_rect_stamp(_rng(2), lines, (260, 110))
    _check_alpha(alpha, (110, 260))
    assert 0.05 < _coverage(alpha) < 0.6
    assert alpha[:, :12].max() > 0.4 and alpha[:, -12:].max() > 0.4
    assert alpha[35:75, 40:220].mean() > 0.03
    assert np.array_equal(alpha, draw_rect_stamp(_rng(2), lines, (260, 110)))


def test_stamp_colour_is_a_known_ink() -> None:
    palette = np.array(list(STAMP_COLOURS.values()), dtype=float)
    for seed in range(30):
        colour = np.array(stamp_colour(_rng(seed)), dtype=float)
        assert np.abs(palette - colour).max(axis=1).min() < 45
    assert stamp_colour(_rng(5)) == stamp_colour(_rng(5))
