"""PortraitNet: a small CNN that embeds a portrait so that one photo printed on two documents lands
close and different faces apart (torch; loaded by :class:`PortraitEmbedder`).

Input: the portrait's quad scaled by :data:`CROP_MARGIN` about its centre (so a crop a few per
cent off still holds the whole photo), rectified upright to :data:`CROP_W` × :data:`CROP_H` grey,
each image standardised to zero mean and unit variance. Output: a unit vector of
:data:`EMBEDDING_DIM` floats; the cosine of two is their similarity. Trained by
:mod:`docfraud.imaging.train_portraits` on generated documents: the same photo on two designs,
each captured by its own scanner or camera, is a positive pair; every other face in the batch a
negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from docfraud.artifacts import DEFAULT_MODELS_DIR, verified_path
from docfraud.ocr.glyphnet import conv_block

ARTIFACT_NAME = "portrait_net"
CROP_MARGIN = 1.2
CROP_W, CROP_H = 80, 100
EMBEDDING_DIM = 64


@dataclass(frozen=True, slots=True)
class PortraitNetConfig:
    channels: tuple[int, int, int, int] = (16, 32, 64, 96)
    embedding: int = EMBEDDING_DIM
    stem_convs: int = 1
    """Convolutions of the first, full-resolution block: one trains 1.8 times faster than two
    with the same evaluation figures (models trained before this key existed have two)."""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _block(c_in: int, c_out: int, convs: int = 2) -> nn.Sequential:
    return nn.Sequential(*conv_block(c_in, c_out, convs), nn.MaxPool2d(2))


class PortraitNet(nn.Module):
    def __init__(self, config: PortraitNetConfig = PortraitNetConfig()) -> None:
        super().__init__()
        c1, c2, c3, c4 = config.channels
        self.features = nn.Sequential(
            _block(1, c1, config.stem_convs),  # 50 x 40
            _block(c1, c2),  # 25 x 20
            _block(c2, c3),  # 12 x 10
            _block(c3, c4),  # 6 x 5
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(c4 * 6 * 5, config.embedding))

    def forward(self, crops: torch.Tensor) -> torch.Tensor:
        """(N, 1, CROP_H, CROP_W) standardised crops -> (N, embedding) unit vectors."""
        return nn.functional.normalize(self.head(self.features(crops)), dim=1)


def portrait_crop(
    bgr: npt.NDArray[np.uint8], quad: Sequence[Sequence[float]], margin: float = CROP_MARGIN
) -> npt.NDArray[np.uint8]:
    """The portrait's quad grown by ``margin`` about its centre, upright, (CROP_H, CROP_W) grey."""
    corners = np.array(quad, np.float32).reshape(4, 2)
    centre = corners.mean(axis=0)
    grown = centre + (corners - centre) * margin
    dst = np.array([[0, 0], [CROP_W, 0], [CROP_W, CROP_H], [0, CROP_H]], np.float32)
    # warp at twice the size, then average down: the photo is usually larger than the crop
    big = cv2.warpPerspective(
        bgr,
        cv2.getPerspectiveTransform(grown, dst * 2),
        (2 * CROP_W, 2 * CROP_H),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    gray = cv2.cvtColor(big, cv2.COLOR_BGR2GRAY)
    return np.asarray(cv2.resize(gray, (CROP_W, CROP_H), interpolation=cv2.INTER_AREA), np.uint8)


def standardise(crops: npt.NDArray[np.uint8]) -> torch.Tensor:
    """(N, H, W) uint8 -> (N, 1, H, W) float, each image zero mean and unit variance."""
    x = torch.from_numpy(np.ascontiguousarray(crops, np.float32)).unsqueeze(1)
    mean = x.mean(dim=(2, 3), keepdim=True)
    std = x.std(dim=(2, 3), keepdim=True).clamp_min(4.0)
    return (x - mean) / std


class PortraitEmbedder:
    """The committed PortraitNet, loaded once (hash-checked, ``weights_only``)."""

    def __init__(self, models_dir: Path = DEFAULT_MODELS_DIR) -> None:
        path, entry = verified_path(ARTIFACT_NAME, models_dir)
        net_config = entry.get("net", {})
        self.net = PortraitNet(
            PortraitNetConfig(
                channels=tuple(net_config.get("channels", PortraitNetConfig().channels)),
                embedding=int(net_config.get("embedding", EMBEDDING_DIM)),
                stem_convs=int(net_config.get("stem_convs", 2)),
            )
        )
        self.net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        self.net.eval()
        self.version = str(entry.get("version", ARTIFACT_NAME))

    def embed(self, crops: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
        """(N, CROP_H, CROP_W) crops -> (N, EMBEDDING_DIM) unit vectors."""
        with torch.no_grad():
            return np.asarray(self.net(standardise(crops)).numpy(), np.float32)
