"""PortraitNet training: the loss, the data, and a tiny end-to-end run into a models folder."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from docfraud.artifacts import DEFAULT_MODELS_DIR
from docfraud.imaging.portraitnet import ARTIFACT_NAME, CROP_H, CROP_W, PortraitEmbedder
from docfraud.imaging.train_portraits import (
    PortraitTrainConfig,
    make_pairs,
    nt_xent,
    train_portraitnet,
)


def test_nt_xent_rewards_partners_that_pick_each_other() -> None:
    a = torch.nn.functional.normalize(torch.eye(4, 8), dim=1)
    matched = nt_xent(a, a.clone(), temperature=0.1)
    shuffled = nt_xent(a, a[[1, 2, 3, 0]], temperature=0.1)
    assert float(matched) < 0.01 < 1.0 < float(shuffled)


def test_pairs_are_two_captures_of_one_photo() -> None:
    pairs = make_pairs(seed=3, faces=3, workers=1)
    assert pairs.shape == (3, 2, CROP_H, CROP_W) and pairs.dtype == np.uint8
    assert np.array_equal(pairs, make_pairs(seed=3, faces=3, workers=1))  # deterministic
    # the partner is closer than the other faces (raw pixels, standardised)
    flat = pairs.reshape(6, -1).astype(np.float64)
    flat = (flat - flat.mean(axis=1, keepdims=True)) / flat.std(axis=1, keepdims=True)
    corr = flat @ flat.T / flat.shape[1]
    assert all(
        corr[2 * k, 2 * k + 1] > np.delete(corr[2 * k], [2 * k, 2 * k + 1]).max() for k in range(3)
    )


@pytest.mark.slow
def test_training_end_to_end_writes_a_loadable_registered_artifact(tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(DEFAULT_MODELS_DIR, models)
    config = replace(
        PortraitTrainConfig(), train_faces=12, eval_faces=8, epochs=2, batch_pairs=6, workers=1
    )
    metrics = train_portraitnet(config, models)
    assert 0.0 <= float(metrics["top1"]) <= 1.0  # type: ignore[arg-type]
    entry = json.loads((models / "manifest.json").read_text())["artifacts"][ARTIFACT_NAME]
    assert entry["metrics"] == metrics and entry["training"]["train_faces"] == 12
    embedder = PortraitEmbedder(models)
    vectors = embedder.embed(np.zeros((2, CROP_H, CROP_W), np.uint8))
    assert vectors.shape == (2, 64)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    first = (models / entry["file"]).read_bytes()
    train_portraitnet(config, models)  # the same seed: the same weights
    assert (models / entry["file"]).read_bytes() == first
