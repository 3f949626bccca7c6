"""TamperNet: a small fully convolutional network that maps a document image to the probability,
per 8 × 8 cell, that its pixels were altered after printing (torch; loaded by
:class:`TamperDetector`).

Input: the image as captured, scaled down so its longer side is at most :data:`MAX_SIDE`, RGB in
[0, 1]. The net adds three fixed high-pass residuals of the grey image (SRM-style: second
differences across and down, and the 5 × 5 "KV" kernel), which carry the erased-and-restored
backgrounds, resampled pastes and retyped strokes that colour alone hides. Output: one logit per
:data:`STRIDE` × :data:`STRIDE` cell; receptive field about 220 px, a few characters of a field.
Trained by :mod:`docfraud.imaging.train_tamper` on the synthetic forgeries' exact pixel masks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from docfraud.artifacts import DEFAULT_MODELS_DIR, verified_path
from docfraud.types import Box

ARTIFACT_NAME = "tamper_net"
MAX_SIDE = 1280
STRIDE = 8
RESIDUAL_GAIN = 32.0
"""Residuals of [0, 1] images are small; this brings capture noise to about ±0.2 before the
clamp at ±1 that keeps strong edges from dominating (SRM's truncation)."""


@dataclass(frozen=True, slots=True)
class TamperNetConfig:
    channels: tuple[int, int, int] = (16, 32, 48)
    dilations: tuple[int, ...] = (2, 4, 8)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _residual_kernels() -> torch.Tensor:
    """(3, 1, 5, 5): second differences across and down, and the KV kernel (each sums to 0)."""
    across = np.zeros((5, 5), np.float32)
    across[2, 1:4] = (1.0, -2.0, 1.0)
    down = across.T.copy()
    kv = np.array(
        [
            [-1, 2, -2, 2, -1],
            [2, -6, 8, -6, 2],
            [-2, 8, -12, 8, -2],
            [2, -6, 8, -6, 2],
            [-1, 2, -2, 2, -1],
        ],
        np.float32,
    )
    kernels = np.stack([across / 2.0, down / 2.0, kv / 12.0])[:, None]
    return torch.from_numpy(kernels)


def _conv(c_in: int, c_out: int, stride: int = 1, dilation: int = 1) -> list[nn.Module]:
    return [
        nn.Conv2d(c_in, c_out, 3, stride=stride, padding=dilation, dilation=dilation, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    ]


class TamperNet(nn.Module):
    residual: torch.Tensor
    grey: torch.Tensor

    def __init__(self, config: TamperNetConfig = TamperNetConfig()) -> None:
        super().__init__()
        c1, c2, c3 = config.channels
        self.register_buffer("residual", _residual_kernels(), persistent=False)
        grey = torch.tensor([0.299, 0.587, 0.114]).reshape(1, 3, 1, 1)
        self.register_buffer("grey", grey, persistent=False)
        layers: list[nn.Module] = [
            *_conv(6, c1, stride=2),  # 1/2
            *_conv(c1, c2, stride=2),  # 1/4
            *_conv(c2, c2),
            *_conv(c2, c3, stride=2),  # 1/8
        ]
        for d in config.dilations:
            layers += _conv(c3, c3, dilation=d)
        self.body = nn.Sequential(*layers)
        # the page's mean features beside each cell's: a cell is judged against the whole page
        # (is this portrait's texture, this field's ink, like the rest of the print?)
        self.head = nn.Sequential(*_conv(2 * c3, c3), nn.Conv2d(c3, 1, 1))

    def forward(self, rgb: torch.Tensor) -> torch.Tensor:
        """(N, 3, H, W) RGB in [0, 1] -> (N, 1, ⌈H/8⌉, ⌈W/8⌉) tampering logits."""
        grey = (rgb * self.grey).sum(dim=1, keepdim=True)
        residual = nn.functional.conv2d(grey, self.residual, padding=2)
        residual = torch.clamp(residual * RESIDUAL_GAIN, -1.0, 1.0)
        cells = self.body(torch.cat([(rgb - 0.5) * 4.0, residual], dim=1))
        page = cells.mean(dim=(2, 3), keepdim=True).expand_as(cells)
        return self.head(torch.cat([cells, page], dim=1))  # type: ignore[no-any-return]


def working_scale(width: int, height: int) -> float:
    """The factor (≤ 1) that brings the longer side to at most MAX_SIDE."""
    return min(1.0, MAX_SIDE / max(width, height, 1))


def to_input(bgr: npt.NDArray[np.uint8]) -> tuple[torch.Tensor, float]:
    """The image as the net's (1, 3, h, w) input, and the scale it was resized by."""
    scale = working_scale(bgr.shape[1], bgr.shape[0])
    if scale < 1.0:
        size = (max(1, round(bgr.shape[1] * scale)), max(1, round(bgr.shape[0] * scale)))
        bgr = np.asarray(cv2.resize(bgr, size, interpolation=cv2.INTER_AREA), np.uint8)
    rgb = np.ascontiguousarray(bgr[:, :, ::-1].transpose(2, 0, 1), np.float32) / 255.0
    return torch.from_numpy(rgb)[None], scale


@dataclass(frozen=True, slots=True)
class TamperMap:
    """Per-cell tampering probabilities; cell (i, j) covers image pixels
    ``[j * cell, (j + 1) * cell) × [i * cell, (i + 1) * cell)``."""

    probability: npt.NDArray[np.float32]
    cell: float
    """Image pixels per cell side (STRIDE / the working scale)."""
    alarm: float = 0.5
    """Probability that at most 1 in 100 genuine documents reach anywhere (from training)."""
    notice: float = 0.5
    """The same at 1 in 20."""

    @property
    def peak(self) -> float:
        return float(self.probability.max()) if self.probability.size else 0.0

    def regions(self, threshold: float, min_cells: int = 2) -> list[tuple[Box, float]]:
        """Boxes (image pixels) of the connected areas at or above ``threshold`` with at least
        ``min_cells`` cells, each with its peak probability, highest first."""
        above = (self.probability >= threshold).astype(np.uint8)
        count, labels, stats, _ = cv2.connectedComponentsWithStats(above, connectivity=8)
        found = []
        for k in range(1, count):
            x, y, w, h, area = (int(v) for v in stats[k])
            if area < min_cells:
                continue
            peak = float(self.probability[labels == k].max())
            box = (
                round(x * self.cell),
                round(y * self.cell),
                round(w * self.cell),
                round(h * self.cell),
            )
            found.append((box, peak))
        return sorted(found, key=lambda item: -item[1])

    def heatmap(self, width: int, height: int) -> npt.NDArray[np.uint8]:
        """The map at the image's size as 8-bit probabilities (0 = 0.0, 255 = 1.0)."""
        scaled = cv2.resize(self.probability, (width, height), interpolation=cv2.INTER_LINEAR)
        return np.asarray(np.clip(scaled * 255.0 + 0.5, 0, 255), np.uint8)


def predict(net: TamperNet, bgr: npt.NDArray[np.uint8]) -> TamperMap:
    x, scale = to_input(bgr)
    with torch.no_grad():
        logits = net(x)[0, 0]
    probability = np.asarray(torch.sigmoid(logits).numpy(), np.float32)
    return TamperMap(probability, STRIDE / scale)


class TamperDetector:
    """The committed TamperNet, loaded once (hash-checked, ``weights_only``), with the decision
    threshold chosen at training time for a false-alarm rate on genuine documents."""

    def __init__(self, models_dir: Path = DEFAULT_MODELS_DIR) -> None:
        path, entry = verified_path(ARTIFACT_NAME, models_dir)
        net_config = entry.get("net", {})
        defaults = TamperNetConfig()
        self.net = TamperNet(
            TamperNetConfig(
                channels=tuple(net_config.get("channels", defaults.channels)),
                dilations=tuple(net_config.get("dilations", defaults.dilations)),
            )
        )
        self.net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        self.net.eval()
        self.version = str(entry.get("version", ARTIFACT_NAME))
        thresholds = entry.get("thresholds", {})
        self.alarm = float(thresholds.get("alarm", 0.5))
        self.notice = min(self.alarm, float(thresholds.get("notice", self.alarm)))

    def __call__(self, bgr: npt.NDArray[np.uint8]) -> TamperMap:
        found = predict(self.net, bgr)
        return replace(found, alarm=self.alarm, notice=self.notice)
