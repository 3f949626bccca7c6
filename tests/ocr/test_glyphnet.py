"""Tests for docfraud.ocr.glyphnet: the inference form computes what the trained module does."""

from __future__ import annotations

import torch
from torch import nn

from docfraud.ocr.glyphnet import GlyphNet, for_inference


def _with_learnt_statistics(net: nn.Module, seed: int) -> nn.Module:
    """``net`` with batch-norm statistics and affine terms far from their initial values, as a
    trained net has them (folding the initial identity would prove nothing)."""
    gen = torch.Generator().manual_seed(seed)
    for module in net.modules():
        if isinstance(module, nn.BatchNorm2d):
            n = module.num_features
            module.running_mean.copy_(torch.randn(n, generator=gen))
            module.running_var.copy_(torch.rand(n, generator=gen) * 3 + 0.1)
            module.weight.data.copy_(torch.randn(n, generator=gen))
            module.bias.data.copy_(torch.randn(n, generator=gen))
    return net.eval()


def test_glyphnet_for_inference_gives_the_same_logits() -> None:
    net = _with_learnt_statistics(GlyphNet(), seed=3)
    cells = torch.rand(50, 1, 32, 20, generator=torch.Generator().manual_seed(4))

    fast = for_inference(net)

    with torch.inference_mode():
        expected = net(cells)
        got = fast(cells.contiguous(memory_format=torch.channels_last))
    torch.testing.assert_close(got, expected, atol=1e-4, rtol=1e-4)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in fast.modules())
    assert any(isinstance(m, nn.BatchNorm2d) for m in net.modules())  # the original is kept
