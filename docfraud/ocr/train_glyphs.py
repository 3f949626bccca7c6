"""Train GlyphNet, the MRZ character recogniser, on synthetic lines; write it to ``models/``.

Deterministic for a seed: the data come from :mod:`docfraud.synth.mrzlines` with per-chunk
seeds, torch is seeded and limited to a fixed number of threads. The artifact's manifest entry
records the configuration, the data recipe and the held-out metrics.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from docfraud.artifacts import DEFAULT_MODELS_DIR, save_state_dict
from docfraud.ocr.cells import CELL_H, CELL_W, extract_cells
from docfraud.ocr.glyphnet import GlyphNet, GlyphNetConfig, channels_last, for_training
from docfraud.parallel import process_pool
from docfraud.synth.mrzlines import ALPHABET, available_fonts, random_mrz_text, render_line

log = logging.getLogger(__name__)

ARTIFACT_NAME = "mrz_glyphnet"
LINES_PER_CHUNK = 250


@dataclass(frozen=True, slots=True)
class GlyphTrainConfig:
    seed: int = 1303
    train_lines: int = 4000
    eval_lines: int = 600
    epochs: int = 5
    batch_size: int = 256
    lr: float = 3e-3
    weight_decay: float = 1e-4
    ocrb_share: float = 0.7
    """Share of lines in OCR-B; the rest use other monospace fonts (non-conformant MRZs exist)."""
    workers: int = 2
    threads: int = 2
    version: str = "2"
    net: GlyphNetConfig = field(default_factory=GlyphNetConfig)


def _chunk(args: tuple[int, int, float]) -> tuple[npt.NDArray[np.float16], npt.NDArray[np.int64]]:
    seed, count, ocrb_share = args
    rng = np.random.default_rng(seed)
    ocrb, other = available_fonts()
    cells, labels = [], []
    for _ in range(count):
        n = int(rng.choice((30, 36, 44)))
        fonts = ocrb if (rng.random() < ocrb_share or not other) else other
        font = fonts[int(rng.integers(0, len(fonts)))]
        sample = render_line(rng, random_mrz_text(rng, n), font)
        cells.append(extract_cells(sample.gray, sample.line, n).astype(np.float16))
        labels.append(np.array([ALPHABET.index(c) for c in sample.text], dtype=np.int64))
    return np.concatenate(cells), np.concatenate(labels)


def make_dataset(
    seed: int, lines: int, ocrb_share: float, workers: int
) -> tuple[npt.NDArray[np.float16], npt.NDArray[np.int64]]:
    """Render ``lines`` synthetic lines (in seeded chunks, in parallel) and cut their cells."""
    chunks = [
        (seed * 100_003 + i, min(LINES_PER_CHUNK, lines - i * LINES_PER_CHUNK), ocrb_share)
        for i in range(math.ceil(lines / LINES_PER_CHUNK))
    ]
    if workers > 1:
        with process_pool(workers) as pool:
            parts = list(pool.map(_chunk, chunks))
    else:
        parts = [_chunk(c) for c in chunks]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def evaluate(net: GlyphNet, x: npt.NDArray[np.float16], y: npt.NDArray[np.int64]) -> float:
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 2048):
            xb = torch.from_numpy(x[i : i + 2048].astype(np.float32)).unsqueeze(1)
            correct += int((net(xb).argmax(1).numpy() == y[i : i + 2048]).sum())
    return correct / max(1, len(y))


def train_glyphnet(
    config: GlyphTrainConfig = GlyphTrainConfig(), models_dir: Path = DEFAULT_MODELS_DIR
) -> dict[str, object]:
    """Train, evaluate on held-out synthetic lines, save and register the artifact."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    started = time.perf_counter()
    x, y = make_dataset(config.seed, config.train_lines, config.ocrb_share, config.workers)
    x_eval, y_eval = make_dataset(
        config.seed + 1, config.eval_lines, config.ocrb_share, config.workers
    )
    log.info(
        "data: %d train cells, %d eval cells, %.0fs",
        len(y),
        len(y_eval),
        time.perf_counter() - started,
    )
    net = for_training(GlyphNet(config.net))
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    steps = config.epochs * math.ceil(len(y) / config.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    gen = torch.Generator().manual_seed(config.seed)
    xt = torch.from_numpy(x)
    yt = torch.from_numpy(y)
    for epoch in range(config.epochs):
        net.train()
        order = torch.randperm(len(yt), generator=gen)
        total = 0.0
        for i in range(0, len(order), config.batch_size):
            idx = order[i : i + config.batch_size]
            xb = channels_last(xt[idx].float().unsqueeze(1))
            loss = loss_fn(net(xb), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        acc = evaluate(net, x_eval, y_eval)
        log.info(
            "epoch %d/%d loss %.4f eval char accuracy %.4f (%.0fs)",
            epoch + 1,
            config.epochs,
            total / len(yt),
            acc,
            time.perf_counter() - started,
        )
    metrics: dict[str, object] = {
        "synthetic_eval_char_accuracy": round(evaluate(net, x_eval, y_eval), 5),
        "train_cells": len(y),
        "eval_cells": len(y_eval),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    save_state_dict(
        ARTIFACT_NAME,
        config.version,
        net,
        {
            "input": {
                "shape": [1, CELL_H, CELL_W],
                "dtype": "float32",
                "normalisation": (
                    "docfraud.ocr.cells.extract_cells: ink 1, paper 0 by the line's levels, "
                    "a washed-out stretch by its own"
                ),
            },
            "labels": ALPHABET,
            "net": config.net.to_dict(),
            "metrics": metrics,
        },
        {
            **asdict(config),
            "net": config.net.to_dict(),
            "data": "docfraud.synth.mrzlines (OCR-B + monospace stand-ins)",
        },
        models_dir,
    )
    return metrics


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    log.info("metrics: %s", train_glyphnet())
