"""Capture simulation: shapes, determinism, labels that follow the warp, identical treatment."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from docfraud.synth.capture import (
    OUT_WIDTH_RANGE,
    Captured,
    CaptureMode,
    capture,
    encode,
    warp_box,
    warp_mask,
)

PAGE_H, PAGE_W = 350, 500
SQUARE = (200, 140, 40, 30)
"""A patch in the middle of the page, (x, y, w, h)."""
MODES = list(CaptureMode)


def _page(seed: int = 0) -> npt.NDArray[np.uint8]:
    """A light, textured page with some dark strokes: content for the capture to carry."""
    rng = np.random.default_rng(seed)
    rgb = np.full((PAGE_H, PAGE_W, 3), (225, 220, 205), np.uint8)
    rgb = (rgb - rng.integers(0, 20, size=(PAGE_H, PAGE_W, 1))).astype(np.uint8)
    for y in range(40, PAGE_H - 40, 25):
        cv2.line(rgb, (30, y), (PAGE_W - 30, y), (40, 40, 60), 2)
    return rgb


def _with_square(rgb: npt.NDArray[np.uint8], value: tuple[int, int, int]) -> npt.NDArray[np.uint8]:
    x, y, w, h = SQUARE
    out = rgb.copy()
    out[y : y + h, x : x + w] = value
    return out


def _capture(seed: int, rgb: npt.NDArray[np.uint8], mode: CaptureMode | None) -> Captured:
    return capture(np.random.default_rng(seed), rgb, mode, out_width=700)


def _box_of(mask: npt.NDArray[np.bool_]) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


@pytest.mark.parametrize("mode", MODES)
def test_capture_shape_dtype_and_params(mode: CaptureMode) -> None:
    captured = _capture(1, _page(), mode)
    assert captured.rgb.dtype == np.uint8
    assert captured.rgb.ndim == 3 and captured.rgb.shape[1:] == (700, 3)
    assert captured.homography.shape == (3, 3) and captured.homography.dtype == np.float64
    assert captured.mode is mode
    assert dict(captured.params)["mode"] == str(mode)
    assert not captured.rgb.flags.writeable


def test_capture_is_deterministic() -> None:
    page = _page()
    first, again = _capture(7, page, None), _capture(7, page, None)
    assert first.rgb.tobytes() == again.rgb.tobytes()
    assert np.array_equal(first.homography, again.homography)
    assert first.params == again.params
    assert _capture(8, page, first.mode).rgb.tobytes() != first.rgb.tobytes()


def test_drawn_mode_and_width() -> None:
    drawn = [capture(np.random.default_rng(s), _page()) for s in range(12)]
    assert {c.mode for c in drawn} == set(CaptureMode)
    assert all(OUT_WIDTH_RANGE[0] <= c.rgb.shape[1] <= OUT_WIDTH_RANGE[1] for c in drawn)


@pytest.mark.parametrize("mode", MODES)
def test_page_corners_land_inside_the_capture(mode: CaptureMode) -> None:
    corners = np.array([[0, 0], [PAGE_W - 1, 0], [PAGE_W - 1, PAGE_H - 1], [0, PAGE_H - 1]])
    for seed in range(8):
        captured = _capture(seed, _page(), mode)
        h, w = captured.rgb.shape[:2]
        mapped = cv2.perspectiveTransform(
            corners.reshape(-1, 1, 2).astype(np.float64), captured.homography
        ).reshape(-1, 2)
        assert (mapped >= 0).all() and (mapped[:, 0] <= w - 1).all(), (seed, mapped)
        assert (mapped[:, 1] <= h - 1).all(), (seed, mapped)


@pytest.mark.parametrize("mode", MODES)
def test_square_is_found_where_the_homography_puts_it(mode: CaptureMode) -> None:
    """Differencing two captures with the same seed isolates the square, whatever the light."""
    page = _page()
    for seed in (3, 4):
        plain = _capture(seed, page, mode)
        marked = _capture(seed, _with_square(page, (0, 255, 0)), mode)
        diff = np.abs(plain.rgb.astype(int) - marked.rgb.astype(int)).max(axis=2) > 40
        x0, y0, x1, y1 = _box_of(diff)
        bx, by, bw, bh = warp_box(SQUARE, plain)
        tol = 8
        assert abs(x0 - bx) <= tol and abs(y0 - by) <= tol, (seed, (x0, y0), (bx, by))
        assert abs(x1 - (bx + bw)) <= tol and abs(y1 - (by + bh)) <= tol, (seed, (x1, y1))

        mask = np.zeros((PAGE_H, PAGE_W), bool)
        x, y, w, h = SQUARE
        mask[y : y + h, x : x + w] = True
        warped = warp_mask(mask, plain)
        assert warped.shape == plain.rgb.shape[:2]
        core = cv2.erode(warped.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        assert diff[core].mean() > 0.95
        mx0, my0, mx1, my1 = _box_of(warped)
        assert bx <= mx0 and by <= my0 and mx1 <= bx + bw and my1 <= by + bh


def test_warp_box_covers_the_warped_corners_and_clips() -> None:
    captured = _capture(5, _page(), CaptureMode.PHONE)
    h, w = captured.rgb.shape[:2]
    x, y, bw, bh = warp_box((0, 0, PAGE_W, PAGE_H), captured)
    assert 0 <= x and 0 <= y and x + bw <= w and y + bh <= h
    assert bw > 0.3 * w
    assert warp_box((-100_000, -100_000, 10, 10), captured)[2:] == (0, 0)


@pytest.mark.parametrize("mode", MODES)
def test_same_seed_treats_twins_identically(mode: CaptureMode) -> None:
    """A forged twin differs from its genuine capture only near the warped patch: no draw, and
    so no noise, blur, light or geometry, depends on what the page shows."""
    genuine, forged = _page(), _with_square(_page(), (250, 250, 250))
    rng_g, rng_f = np.random.default_rng(11), np.random.default_rng(11)
    a = capture(rng_g, genuine, mode, out_width=700)
    b = capture(rng_f, forged, mode, out_width=700)
    assert rng_g.bit_generator.state == rng_f.bit_generator.state
    assert a.params == b.params and np.array_equal(a.homography, b.homography)
    x, y, w, h = warp_box(SQUARE, a)
    margin = 12
    outside = np.ones(a.rgb.shape[:2], bool)
    outside[max(0, y - margin) : y + h + margin, max(0, x - margin) : x + w + margin] = False
    assert np.array_equal(a.rgb[outside], b.rgb[outside])
    assert not np.array_equal(a.rgb, b.rgb)

    file_a, ext_a = encode(rng_g, a.rgb, mode)
    file_b, ext_b = encode(rng_f, b.rgb, mode)
    assert ext_a == ext_b
    decoded_a = cv2.imdecode(np.frombuffer(file_a, np.uint8), cv2.IMREAD_COLOR)
    decoded_b = cv2.imdecode(np.frombuffer(file_b, np.uint8), cv2.IMREAD_COLOR)
    block = 16 + margin  # a JPEG MCU is up to 16 px
    outside[max(0, y - block) : y + h + block, max(0, x - block) : x + w + block] = False
    spread = np.abs(decoded_a[outside].astype(int) - decoded_b[outside].astype(int))
    if ext_a == "webp":  # lossy WebP picks segment quantisers for the whole image: an echo
        assert spread.mean() < 2.0
    else:
        assert spread.max() == 0


def test_encode_round_trips_and_varies() -> None:
    rgb = np.ascontiguousarray(_capture(2, _page(), CaptureMode.FLATBED).rgb[:64, :96])
    seen = set()
    for seed in range(600):
        data, ext = encode(np.random.default_rng(seed), rgb, CaptureMode.FLATBED)
        assert data == encode(np.random.default_rng(seed), rgb, CaptureMode.FLATBED)[0]
        decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        assert decoded.shape == rgb.shape
        back = cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)
        if ext == "png":
            assert np.array_equal(back, rgb)
        else:
            assert np.abs(back.astype(int) - rgb.astype(int)).mean() < 6
        seen.add(ext)
    assert seen == {"jpg", "png", "webp"}
