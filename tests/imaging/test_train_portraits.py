"""PortraitNet training: the loss, the data, and a tiny end-to-end run into a models folder."""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from docfraud.artifacts import DEFAULT_MODELS_DIR, save_state_dict
from docfraud.imaging.portraitnet import (
    ARTIFACT_NAME,
    CROP_H,
    CROP_W,
    PortraitEmbedder,
    PortraitNet,
    PortraitNetConfig,
    standardise,
)
from docfraud.imaging.train_portraits import (
    PortraitTrainConfig,
    make_pairs,
    nt_xent,
    pairs_allowed_above,
    train_portraitnet,
)
from docfraud.ocr.glyphnet import channels_last, for_training


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


def test_the_threshold_keeps_its_rate_with_95_percent_confidence() -> None:
    # 400 faces give 319,200 different-face pairs, 3.2 expected above a 1e-5 quantile: too few
    # to leave any pair above; 1,000 faces give 2 million, 20 expected, 12 allowed (a Poisson
    # count of mean 20 is 12 or fewer 3.9 % of the time, 13 or fewer 6.6 %)
    assert pairs_allowed_above(319_200) == 0
    assert pairs_allowed_above(1_998_000) == 12
    counts = [pairs_allowed_above(n) for n in (10**6, 2 * 10**6, 10**7, 10**8)]
    assert counts == sorted(counts) and counts[-1] < 1000  # 1e-5 of 1e8 is 1000


def test_a_model_saved_before_stem_convs_existed_loads_with_two(tmp_path: Path) -> None:
    """Manifests written before the one-convolution stem have no ``stem_convs``: two."""
    old = PortraitNet(PortraitNetConfig(stem_convs=2))
    save_state_dict(ARTIFACT_NAME, "0", old, {"net": {"channels": [16, 32, 64, 96]}}, {}, tmp_path)
    crops = np.random.default_rng(0).integers(0, 255, (3, CROP_H, CROP_W), np.uint8)
    with torch.no_grad():
        expected = old(standardise(crops)).numpy()
    assert np.allclose(PortraitEmbedder(tmp_path).embed(crops), expected, atol=1e-5)


def test_channels_last_training_computes_the_same_net_and_saves_the_usual_layout(
    tmp_path: Path,
) -> None:
    torch.manual_seed(0)
    net = PortraitNet()
    fast = for_training(copy.deepcopy(net))
    x = torch.randn(4, 1, CROP_H, CROP_W)
    assert torch.allclose(net(x), fast(channels_last(x)), atol=1e-5)
    save_state_dict(ARTIFACT_NAME, "0", fast, {"net": PortraitNetConfig().to_dict()}, {}, tmp_path)
    saved = torch.load(tmp_path / f"{ARTIFACT_NAME}-0.pt", weights_only=True)
    assert all(t.is_contiguous() for t in saved.values())
