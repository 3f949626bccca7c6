"""GlyphNet: a small CNN that classifies one MRZ character cell (torch; imported lazily).

Input (N, 1, CELL_H, CELL_W) float cells from :mod:`docfraud.ocr.cells` (ink ≈ 1, paper ≈ 0);
output (N, 37) logits over :data:`docfraud.synth.mrzlines.ALPHABET`.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass
from typing import TypeVar

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

ModuleT = TypeVar("ModuleT", bound=nn.Module)


@dataclass(frozen=True, slots=True)
class GlyphNetConfig:
    channels: tuple[int, int, int] = (16, 32, 64)
    classes: int = 37
    dropout: float = 0.2

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def conv_block(c_in: int, c_out: int, convs: int = 2) -> nn.Sequential:
    """``convs`` 3 × 3 convolutions with batch norm and ReLU (also PortraitNet's)."""
    layers: list[nn.Module] = []
    for k in range(convs):
        layers += [
            nn.Conv2d(c_in if k == 0 else c_out, c_out, 3, padding=1, bias=False),
            nn.BatchNorm2d(c_out),
            nn.ReLU(inplace=True),
        ]
    return nn.Sequential(*layers)


def for_training(net: ModuleT) -> ModuleT:
    """``net`` with its weights in channels-last layout, to be fed :func:`channels_last` batches.
    On this machine's CPU a training step of the convolution nets is about 1.4–1.5 times
    faster so; the function computed is the same. :func:`~docfraud.artifacts.save_state_dict`
    stores the weights in the default layout again."""
    net.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    return net


def channels_last(batch: torch.Tensor) -> torch.Tensor:
    """An (N, C, H, W) batch in the layout :func:`for_training` nets compute fastest on."""
    return batch.contiguous(memory_format=torch.channels_last)


def for_inference(net: ModuleT) -> ModuleT:
    """A copy of ``net`` in eval mode made fast for CPU inference, computing the same function:
    each batch norm folded into the convolution before it, weights in channels-last layout
    (feed it ``x.contiguous(memory_format=torch.channels_last)``). On one core this runs the
    convolution blocks about 2.5 times faster than the trained module as stored."""
    net = copy.deepcopy(net).eval()
    for seq in net.modules():
        if not isinstance(seq, nn.Sequential):
            continue
        names = list(seq._modules)
        for first, second in zip(names, names[1:], strict=False):
            conv, norm = seq._modules[first], seq._modules[second]
            if isinstance(conv, nn.Conv2d) and isinstance(norm, nn.BatchNorm2d):
                seq._modules[first] = fuse_conv_bn_eval(conv, norm)
                seq._modules[second] = nn.Identity()
    net.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    return net


class GlyphNet(nn.Module):
    def __init__(self, config: GlyphNetConfig = GlyphNetConfig()) -> None:
        super().__init__()
        c1, c2, c3 = config.channels
        self.features = nn.Sequential(
            conv_block(1, c1),
            nn.MaxPool2d(2),  # 16 x 10
            conv_block(c1, c2),
            nn.MaxPool2d(2),  # 8 x 5
            conv_block(c2, c3),
            nn.AdaptiveAvgPool2d((2, 1)),
        )
        self.head = nn.Sequential(
            nn.Flatten(), nn.Dropout(config.dropout), nn.Linear(c3 * 2, config.classes)
        )

    def forward(self, cells: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(cells))  # type: ignore[no-any-return]
