"""Portrait substitution cues: rectification, what the cues measure, the model artefact."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from docfraud.artifacts import register_artifact
from docfraud.imaging.substitution import (
    ARTIFACT_NAME,
    FEATURES,
    SubstitutionModel,
    substitution_features,
    upright_context,
)

QUAD = ((100.0, 80.0), (260.0, 80.0), (260.0, 280.0), (100.0, 280.0))


def _page(seed: int, portrait_noise: float, page_noise: float = 4.0) -> np.ndarray:
    """A flat page with a flat grey 'photo' at QUAD; each with its own grain."""
    rng = np.random.default_rng(seed)
    page = np.full((400, 400, 3), 210.0)
    page += rng.normal(0, page_noise, page.shape)
    photo = np.full((200, 160, 3), 120.0) + rng.normal(0, portrait_noise, (200, 160, 3))
    page[80:280, 100:260] = photo
    return np.clip(page, 0, 255).astype(np.uint8)


def test_a_turned_portrait_comes_out_upright_at_its_place() -> None:
    page = _page(0, 4.0)
    page[80:120, 100:260] = (0, 0, 255)  # the photo's top band is red
    turned = cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE)
    # the same corners, in reading order, in the turned image (x' = 399 - y, y' = x)
    quad = [(399 - y, x) for x, y in QUAD]
    crop, (x, y, w, h) = upright_context(turned, quad)
    assert (w, h) == (160, 200)
    top = crop[y + 5 : y + 30, x + 10 : x + w - 10]
    assert top[..., 2].mean() > 200 and top[..., 0].mean() < 60


def test_grain_that_differs_from_the_page_shows_in_the_noise_cue() -> None:
    same = substitution_features(_page(1, 4.0), QUAD)
    grainier = substitution_features(_page(1, 16.0), QUAD)
    assert same is not None and grainier is not None
    assert same.shape == (len(FEATURES),) and np.isfinite(same).all()
    noise = FEATURES.index("noise_inside_vs_ring")
    assert abs(same[noise]) < 0.3
    assert grainier[noise] > same[noise] + 0.8


def test_a_tiny_portrait_has_no_cues() -> None:
    tiny = ((10.0, 10.0), (30.0, 10.0), (30.0, 32.0), (10.0, 32.0))
    assert substitution_features(_page(2, 4.0), tiny) is None


def _artifact(tmp_path: Path, features: list[str]) -> Path:
    n = len(features)
    data = {
        "version": f"{ARTIFACT_NAME}-t",
        "features": features,
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "coef": [1.0] + [0.0] * (n - 1),
        "intercept": 0.0,
        "alarm": 0.9,
        "notice": 0.7,
    }
    path = tmp_path / "portrait_substitution-t.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "manifest.json").write_text('{"artifacts": {}}', encoding="utf-8")
    register_artifact(ARTIFACT_NAME, path, {"version": data["version"]}, tmp_path)
    return tmp_path


def test_the_model_scores_along_its_weights(tmp_path: Path) -> None:
    model = SubstitutionModel.load(_artifact(tmp_path, list(FEATURES)))
    low = np.zeros(len(FEATURES))
    high = low.copy()
    high[0] = 3.0
    assert model.probability(low) == pytest.approx(0.5)
    assert model.probability(high) > 0.95
    score = model(_page(3, 16.0), QUAD)
    assert score is not None and (score.alarm, score.notice) == (0.9, 0.7)


def test_an_artefact_of_other_cues_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="other cues"):
        SubstitutionModel.load(_artifact(tmp_path, [*FEATURES[:-1], "something_else"]))
