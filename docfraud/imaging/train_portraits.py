"""Train PortraitNet, the same-photo embedding of link analysis, on generated documents; write it
to ``models/``.

Data: for each face, one photo (face and shot seeds) printed on two designs drawn from the
seizure's templates with the portrait on the MRZ's side, each captured by its own simulated
scanner or camera (:mod:`docfraud.synth.capture`). The crop is the true portrait quad moved by up
to ±:data:`JITTER` of the photo and scaled by up to ±:data:`JITTER`, as a located portrait is off
(:func:`docfraud.imaging.portrait.find_portrait`). Training uses the NT-Xent loss: in a batch of
pairs, each crop must pick its partner among all the others. Evaluation: faces of another seed,
the rate at which the partner is the nearest of all the evaluation crops (``top1``), and the
share of pairs above the threshold at which at most 1 in 100,000 different-face pairs is.

Deterministic for a seed (seeded chunks, seeded torch, fixed threads).

    .venv/bin/python -m docfraud.imaging.train_portraits   # make portrait-model
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import torch

from docfraud.artifacts import DEFAULT_MODELS_DIR, save_state_dict
from docfraud.imaging.portraitnet import (
    ARTIFACT_NAME,
    CROP_H,
    CROP_MARGIN,
    CROP_W,
    PortraitNet,
    PortraitNetConfig,
    portrait_crop,
    standardise,
)
from docfraud.ocr.glyphnet import channels_last, for_training
from docfraud.parallel import process_pool
from docfraud.synth.capture import capture
from docfraud.synth.dataset import ADULTS
from docfraud.synth.documents import render_document
from docfraud.synth.people import random_document, random_person, random_state
from docfraud.synth.seizure import SCAN_DATE, default_templates, portrait_templates

log = logging.getLogger(__name__)

FACES_PER_CHUNK = 50
JITTER = 0.06
FALSE_PAIR_RATE = 1e-5
"""The evaluation threshold: at most this share of different-face pairs above it."""
CONFIDENCE = 0.95
"""How sure the threshold is to keep :data:`FALSE_PAIR_RATE`: the evaluation's negative pairs
are a sample, and the rate is so small that only a handful lie above any candidate."""


@dataclass(frozen=True, slots=True)
class PortraitTrainConfig:
    seed: int = 2207
    train_faces: int = 4000
    eval_faces: int = 1000
    """2 million different-face pairs: about 20 above the threshold, enough to place it."""
    epochs: int = 16
    batch_pairs: int = 128
    lr: float = 2e-3
    weight_decay: float = 1e-4
    temperature: float = 0.1
    workers: int = 2
    threads: int = 2
    version: str = "3"
    net: PortraitNetConfig = field(default_factory=PortraitNetConfig)


def _jittered(rng: np.random.Generator, quad: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The quad shifted and scaled by up to ±JITTER of its size (a located portrait's error)."""
    centre = quad.mean(axis=0)
    across, down = quad[1] - quad[0], quad[3] - quad[0]
    shift = rng.uniform(-JITTER, JITTER, 2)
    scale = 1.0 + rng.uniform(-JITTER, JITTER)
    moved = centre + shift[0] * across + shift[1] * down
    return np.asarray(moved + (quad - centre) * scale, np.float64)


def _chunk(args: tuple[int, int]) -> npt.NDArray[np.uint8]:
    """(count, 2, CROP_H, CROP_W): each face's photo on two designs, captured apart."""
    seed, count = args
    rng = np.random.default_rng(seed)
    cv2.setNumThreads(1)
    templates = portrait_templates(default_templates())
    out = np.zeros((count, 2, CROP_H, CROP_W), np.uint8)
    for k in range(count):
        holder = random_person(rng, random_state(rng), born_between=(ADULTS[0], ADULTS[1]))
        shot = int(rng.integers(0, 2**31))
        first = None
        for j in range(2):
            template = templates[int(rng.integers(0, len(templates)))]
            data = random_document(
                rng, template.kind, holder, scan_date=SCAN_DATE, mrz_format=template.mrz_format
            )
            if first is None:
                first = data
            else:  # the same age at issue: the renderer draws the same photo
                data = replace(data, issue_date=first.issue_date)
            page = render_document(rng, data, template, template.portrait.side, shot)
            zone = page.zone("portrait")
            if zone is None:  # pragma: no cover (portrait templates have one)
                raise RuntimeError(f"{template.name} has no portrait")
            shot_image = capture(rng, page.rgb)
            x, y, w, h = zone.box
            corners = np.array([[[x, y], [x + w, y], [x + w, y + h], [x, y + h]]], np.float64)
            quad = cv2.perspectiveTransform(corners, shot_image.homography)[0]
            bgr = np.ascontiguousarray(shot_image.rgb[:, :, ::-1])
            out[k, j] = portrait_crop(bgr, _jittered(rng, quad).tolist())
    return out


def make_pairs(seed: int, faces: int, workers: int) -> npt.NDArray[np.uint8]:
    """(faces, 2, CROP_H, CROP_W) crops, rendered in seeded chunks (in parallel)."""
    chunks = [
        (seed * 100_019 + i, min(FACES_PER_CHUNK, faces - i * FACES_PER_CHUNK))
        for i in range(math.ceil(faces / FACES_PER_CHUNK))
    ]
    if workers > 1:
        with process_pool(workers) as pool:
            parts = list(pool.map(_chunk, chunks))
    else:
        parts = [_chunk(c) for c in chunks]
    return np.concatenate(parts)


def _augment(batch: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Small translations and contrast changes on top of the renders' own variation."""
    n = batch.shape[0]
    shifts = torch.randint(-3, 4, (n, 2), generator=gen)
    out = torch.empty_like(batch)
    for i in range(n):
        out[i] = torch.roll(batch[i], shifts=(int(shifts[i, 0]), int(shifts[i, 1])), dims=(1, 2))
    gain = 1.0 + 0.2 * (torch.rand((n, 1, 1, 1), generator=gen) - 0.5)
    return out * gain


def nt_xent(a: torch.Tensor, b: torch.Tensor, temperature: float) -> torch.Tensor:
    """Each of the 2N embeddings must pick its partner among the other 2N - 1."""
    z = torch.cat([a, b])
    sim = z @ z.T / temperature
    n = a.shape[0]
    sim.fill_diagonal_(float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return torch.nn.functional.cross_entropy(sim, target)


def embed_all(net: PortraitNet, crops: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    net.eval()
    with torch.no_grad():
        parts = [net(standardise(crops[i : i + 512])).numpy() for i in range(0, len(crops), 512)]
    return np.concatenate(parts).astype(np.float32)


def evaluate(net: PortraitNet, pairs: npt.NDArray[np.uint8]) -> dict[str, float]:
    """top1 (the partner is the nearest crop), the similarity threshold at the false-pair rate,
    and the share of same-photo pairs above it."""
    n = len(pairs)
    emb = embed_all(net, pairs.reshape(2 * n, CROP_H, CROP_W)).reshape(n, 2, -1)
    a, b = emb[:, 0], emb[:, 1]
    cross = a @ b.T
    positives = np.diag(cross)
    top1 = float(np.mean(np.argmax(cross, axis=1) == np.arange(n)))
    everything = np.concatenate([a, b])
    sims = everything @ everything.T
    different = np.ones_like(sims, bool)
    np.fill_diagonal(different, False)
    idx = np.arange(n)
    different[idx, idx + n] = different[idx + n, idx] = False
    negatives = sims[np.triu(different, 1)]
    above = pairs_allowed_above(negatives.size)
    threshold = float(np.sort(negatives)[::-1][above])
    return {
        "top1": round(top1, 4),
        "threshold_at_1e-5": round(threshold, 4),
        "recall_at_1e-5": round(float(np.mean(positives > threshold)), 4),
        "negative_pairs": int(negatives.size),
        "negative_pairs_above": above,
    }


def pairs_allowed_above(negatives: int) -> int:
    """How many of ``negatives`` different-face pairs may lie above the threshold: the most
    that a true rate of :data:`FALSE_PAIR_RATE` would give no more often than 1 - CONFIDENCE
    (a one-sided bound on the quantile; 0, the highest pair, when the sample is too small).
    The count above is binomial; at these rates its Poisson limit is exact to the digit."""
    expected = negatives * FALSE_PAIR_RATE
    cumulative = 0.0
    for count in range(negatives):
        # each term in logs: exp(-expected) alone underflows for large samples
        cumulative += math.exp(count * math.log(expected) - expected - math.lgamma(count + 1))
        if cumulative > 1.0 - CONFIDENCE:
            return max(0, count - 1)
    return negatives - 1


def train_portraitnet(
    config: PortraitTrainConfig = PortraitTrainConfig(), models_dir: Path = DEFAULT_MODELS_DIR
) -> dict[str, object]:
    """Render the pairs, train, evaluate on faces of another seed, save and register."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    started = time.perf_counter()
    train = make_pairs(config.seed, config.train_faces, config.workers)
    held = make_pairs(config.seed + 1, config.eval_faces, config.workers)
    log.info("data: %d + %d faces, %.0fs", len(train), len(held), time.perf_counter() - started)
    net = for_training(PortraitNet(config.net))
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    steps = config.epochs * math.ceil(len(train) / config.batch_pairs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)
    gen = torch.Generator().manual_seed(config.seed)
    x = standardise(train.reshape(-1, CROP_H, CROP_W)).reshape(len(train), 2, 1, CROP_H, CROP_W)
    for epoch in range(config.epochs):
        net.train()
        order = torch.randperm(len(train), generator=gen)
        total = 0.0
        for i in range(0, len(order), config.batch_pairs):
            idx = order[i : i + config.batch_pairs]
            if len(idx) < 2:
                continue
            a = net(channels_last(_augment(x[idx, 0], gen)))
            b = net(channels_last(_augment(x[idx, 1], gen)))
            loss = nt_xent(a, b, config.temperature)
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        if epoch % 5 == 4 or epoch == config.epochs - 1:
            log.info(
                "epoch %d/%d loss %.4f eval %s (%.0fs)",
                epoch + 1,
                config.epochs,
                total / len(train),
                evaluate(net, held),
                time.perf_counter() - started,
            )
    metrics: dict[str, object] = {
        **evaluate(net, held),
        "train_faces": len(train),
        "eval_faces": len(held),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    save_state_dict(
        ARTIFACT_NAME,
        config.version,
        net,
        {
            "input": {
                "shape": [1, CROP_H, CROP_W],
                "dtype": "float32",
                "crop": f"portrait quad x {CROP_MARGIN}, upright, grey",
                "normalisation": "docfraud.imaging.portraitnet.standardise",
            },
            "net": config.net.to_dict(),
            "metrics": metrics,
        },
        {
            **asdict(config),
            "net": config.net.to_dict(),
            "data": "docfraud.synth documents (seizure templates), simulated captures",
        },
        models_dir,
    )
    return metrics


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    log.info("metrics: %s", train_portraitnet())
