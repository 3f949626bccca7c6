"""TamperNet: the fixed residual inputs, the map's geometry, regions and heatmap, and the
training data's targets and metrics."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from docfraud.imaging.tampernet import (
    MAX_SIDE,
    STRIDE,
    TamperMap,
    TamperNet,
    TamperNetConfig,
    _residual_kernels,
    predict,
    to_input,
)
from docfraud.imaging.train_tamper import (
    Checkpoint,
    cell_targets,
    dataset,
    roc_auc,
    threshold_at,
)


def test_residual_kernels_ignore_flat_areas_and_gradients() -> None:
    kernels = _residual_kernels()
    assert kernels.shape == (3, 1, 5, 5)
    assert torch.allclose(kernels.sum(dim=(1, 2, 3)), torch.zeros(3), atol=1e-6)
    ramp = torch.linspace(0, 1, 32).repeat(32, 1)[None, None]
    out = torch.nn.functional.conv2d(ramp, kernels)
    assert float(out[:, :2].abs().max()) < 1e-5  # second differences of a linear ramp


@pytest.mark.parametrize(("h", "w"), [(100, 140), (64, 64), (33, 57)])
def test_map_has_one_cell_per_stride(h: int, w: int) -> None:
    net = TamperNet().eval()
    bgr = np.random.default_rng(0).integers(0, 256, (h, w, 3), dtype=np.uint8)
    found = predict(net, bgr)
    assert found.probability.shape == (-(-h // STRIDE), -(-w // STRIDE))
    assert found.cell == STRIDE
    assert 0.0 <= found.peak <= 1.0


def test_large_images_are_scaled_to_the_working_size() -> None:
    x, scale = to_input(np.zeros((MAX_SIDE * 2, MAX_SIDE, 3), np.uint8))
    assert x.shape == (1, 3, MAX_SIDE, MAX_SIDE // 2)
    assert scale == 0.5


def test_regions_are_image_boxes_of_areas_above_the_threshold_highest_first() -> None:
    p = np.zeros((20, 30), np.float32)
    p[2:4, 5:9] = 0.7  # 8 cells
    p[10:15, 20:22] = 0.95  # 10 cells
    p[18, 0] = 0.99  # a single cell: below min_cells
    found = TamperMap(p, cell=4.0).regions(0.5)
    assert found == [((80, 40, 8, 20), pytest.approx(0.95)), ((20, 8, 16, 8), pytest.approx(0.7))]
    assert TamperMap(p, cell=4.0).regions(0.99) == []


def test_heatmap_is_the_map_at_the_image_size() -> None:
    p = np.full((5, 5), 0.5, np.float32)
    heat = TamperMap(p, cell=8.0).heatmap(40, 40)
    assert heat.shape == (40, 40) and heat.dtype == np.uint8
    assert int(heat[20, 20]) == 128


def test_cell_targets_are_the_forged_share_of_each_cell() -> None:
    mask = np.zeros((16, 20), np.float32)
    mask[0:4, 0:8] = 1.0
    targets = cell_targets(mask)
    assert targets.shape == (2, 3)
    assert targets[0, 0] == pytest.approx(0.5)
    assert targets[1].sum() == 0.0


def test_roc_auc_and_thresholds() -> None:
    genuine = np.array([0.1, 0.2, 0.3, 0.4])
    assert roc_auc(genuine, np.array([0.5, 0.6])) == 1.0
    assert roc_auc(genuine, np.array([0.0])) == 0.0
    assert roc_auc(genuine, np.array([0.3])) == pytest.approx(0.625)  # a tie counts half
    scores = np.linspace(0.0, 0.99, 100)
    at1 = threshold_at(scores, 0.01)
    assert np.sum(scores >= at1) == 1
    assert np.sum(scores >= threshold_at(scores, 0.05)) == 5


def test_a_checkpoint_resumes_the_same_state_and_ignores_another_configuration(
    tmp_path: Path,
) -> None:
    torch.manual_seed(0)
    net = TamperNet(TamperNetConfig(channels=(4, 4, 4), dilations=(2,)))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-3, total_steps=10)
    gen = torch.Generator().manual_seed(5)
    net(torch.rand(2, 3, 32, 32)).mean().backward()
    opt.step()
    sched.step()
    torch.randperm(10, generator=gen)
    saved = Checkpoint(tmp_path / "c.pt", "config-a")
    saved.save(3, net, opt, sched, gen)
    fresh = TamperNet(TamperNetConfig(channels=(4, 4, 4), dilations=(2,)))
    fresh_opt = torch.optim.AdamW(fresh.parameters(), lr=1e-3)
    fresh_sched = torch.optim.lr_scheduler.OneCycleLR(fresh_opt, max_lr=1e-3, total_steps=10)
    fresh_gen = torch.Generator()
    assert (
        Checkpoint(tmp_path / "c.pt", "config-b").restore(fresh, fresh_opt, fresh_sched, fresh_gen)
        == 0
    )
    assert (
        Checkpoint(tmp_path / "c.pt", "config-a").restore(fresh, fresh_opt, fresh_sched, fresh_gen)
        == 3
    )
    for key, value in net.state_dict().items():
        assert torch.equal(value, fresh.state_dict()[key]), key
    assert torch.equal(torch.randperm(10, generator=gen), torch.randperm(10, generator=fresh_gen))
    assert fresh_sched.last_epoch == sched.last_epoch


def test_a_generated_set_is_reused_only_when_made_the_same_way(tmp_path: Path) -> None:
    out = tmp_path / "set"
    dataset(out, documents=2, seed=5, workers=1)
    labels = (out / "labels.jsonl").read_text(encoding="utf-8")
    (out / "labels.jsonl").write_text("kept\n", encoding="utf-8")
    dataset(out, documents=2, seed=5, workers=1)  # the same: reused as it is
    assert (out / "labels.jsonl").read_text(encoding="utf-8") == "kept\n"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["generator_version"] = "0"
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    dataset(out, documents=2, seed=5, workers=1)  # another generator: made again
    assert (out / "labels.jsonl").read_text(encoding="utf-8") == labels
