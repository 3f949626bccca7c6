"""Procedural portraits: shapes, determinism, identity across shots, age cues, ghost images."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from docfraud.synth.portraits import face_traits, ghost_image, render_portrait

SIZE = (140, 180)


def _descriptor(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    """Downsampled grey face region, standardised: a deliberately crude identity signature."""
    h, w = rgb.shape[:2]
    face = cv2.cvtColor(rgb[h // 8 : h * 3 // 4, w // 5 : w * 4 // 5], cv2.COLOR_RGB2GRAY)
    small = cv2.resize(face, (8, 10), interpolation=cv2.INTER_AREA).astype(np.float64).ravel()
    return (small - small.mean()) / (small.std() + 1e-6)


def test_portrait_shape_and_type() -> None:
    rgb = render_portrait(1, 2, (280, 360))
    assert rgb.shape == (360, 280, 3)
    assert rgb.dtype == np.uint8
    assert 20 < rgb.mean() < 235


def test_portrait_is_deterministic() -> None:
    assert np.array_equal(render_portrait(5, 9, SIZE), render_portrait(5, 9, SIZE))


def test_shot_and_face_seeds_both_change_the_photo() -> None:
    base = render_portrait(5, 9, SIZE).astype(np.int16)
    assert np.abs(base - render_portrait(5, 10, SIZE)).mean() > 2
    assert np.abs(base - render_portrait(6, 9, SIZE)).mean() > 5


def test_same_face_is_the_same_person_across_shots() -> None:
    faces, shots = 20, 3
    desc = np.array(
        [
            _descriptor(render_portrait(f, 100 + 7 * f + s, SIZE))
            for f in range(faces)
            for s in range(shots)
        ]
    )
    corr = desc @ desc.T / desc.shape[1]
    who = np.repeat(np.arange(faces), shots)
    same = (who[:, None] == who[None, :]) & ~np.eye(len(who), dtype=bool)
    other = who[:, None] != who[None, :]
    assert corr[same].mean() > corr[other].mean() + 0.3
    nearest = np.where(np.eye(len(who), dtype=bool), -np.inf, corr).argmax(axis=1)
    assert (who[nearest] == who).mean() > 0.4


def test_forced_age_changes_age_cues_but_not_the_person() -> None:
    child, adult, old = face_traits(42, age=6), face_traits(42, age=35), face_traits(42, age=80)
    assert (child.age, adult.age, old.age) == (6, 35, 80)
    assert child.skin == adult.skin and child.iris == adult.iris
    assert child.eye_y > adult.eye_y + 0.1
    assert child.eye_w > adult.eye_w
    assert child.beard == "none" and child.wrinkles == 0.0
    assert old.wrinkles > adult.wrinkles
    young = render_portrait(42, 1, SIZE, age=6).astype(np.int16)
    assert np.abs(young - render_portrait(42, 1, SIZE, age=35)).mean() > 3


def test_children_are_drawn_when_no_age_is_forced() -> None:
    ages = [face_traits(seed).age for seed in range(300)]
    assert min(ages) < 18 <= max(ages)
    assert 0.05 < np.mean(np.array(ages) < 18) < 0.3


def test_forced_sex_is_kept() -> None:
    assert {face_traits(seed, sex="F").sex for seed in range(20)} == {"F"}
    assert {face_traits(seed, sex="M").sex for seed in range(20)} == {"M"}


def test_tiny_portrait_is_refused() -> None:
    with pytest.raises(ValueError, match="below"):
        render_portrait(1, 1, (20, 30))


def test_ghost_image_drops_the_background_and_is_deterministic() -> None:
    rgb = render_portrait(3, 4, SIZE)
    alpha = ghost_image(rgb, np.random.default_rng(7))
    assert alpha.shape == rgb.shape[:2]
    assert alpha.dtype == np.float32
    assert 0.0 <= alpha.min() and alpha.max() <= 1.0
    assert alpha[:8, :8].max() < 0.05
    assert alpha[SIZE[1] // 3 : SIZE[1] * 2 // 3, SIZE[0] // 3 : SIZE[0] * 2 // 3].mean() > 0.03
    assert np.array_equal(alpha, ghost_image(rgb, np.random.default_rng(7)))
