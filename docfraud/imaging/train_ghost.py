"""Train GhostNet, the ghost-portrait verifier, on generated documents; write it to ``models/``.

Data: two ``docfraud synth`` sets per seed, one of every design with its portrait on the MRZ's
side (most have no ghost: what GhostNet must call "no ghost") and one of the designs that print a
ghost beside the portrait. Every page goes through the pipeline as a scan does (MRZ, outline,
portrait) and :func:`~docfraud.imaging.ghost.find_ghost`; the candidate's label comes from the
generator's truth: not on the true ghost (IoU below :data:`ON_GHOST_IOU`) is
:attr:`~GhostClass.NONE`; on it, :attr:`~GhostClass.DIFFERENT` when the forgery replaced the
portrait, else :attr:`~GhostClass.SAME`. Substitutions are few, so training also pairs a ghost
with another page's portrait (:data:`SWAPPED_SHARE` of each epoch's same-face pairs), which is
what a substitution shows.

Every page also gives a decoy: its portrait paired with another place on the document
(:func:`_decoy`), labelled "no ghost", so that rosettes, seals and text of every kind are seen as
such. Held out: the generator's held-out templates (none prints a ghost beside the portrait)
and one of the three ghost designs, :data:`HELD_OUT_GHOST`, so the figures include a ghost
layout GhostNet never saw (as every real document's is). Evaluation and thresholds use the sets
of the next seed: the alarm is the probability of another face that 1 in 100 genuine pages of
the training designs reach, the notice 1 in 20.

Deterministic for a seed (seeded generation, seeded torch, fixed threads).

    .venv/bin/python -m docfraud.imaging.train_ghost     # also: train.py --only ghost
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import torch

from docfraud.artifacts import DEFAULT_MODELS_DIR, save_state_dict
from docfraud.imaging.geometry import box_iou
from docfraud.imaging.ghost import (
    ARTIFACT_NAME,
    MAX_CONTRAST,
    GhostClass,
    GhostNet,
    GhostNetConfig,
    classify,
    contrast_ratio,
    find_ghost,
    pair_crops,
    to_input,
)
from docfraud.imaging.train_substitution import init_locator, located, substituted
from docfraud.imaging.train_tamper import dataset, read_labels, roc_auc, threshold_at
from docfraud.ocr.glyphnet import channels_last, for_training
from docfraud.parallel import process_pool
from docfraud.synth.seizure import portrait_templates
from docfraud.synth.templates import TEMPLATES

log = logging.getLogger(__name__)

ON_GHOST_IOU = 0.4
"""A candidate this much overlapping the generator's ghost box is the ghost."""
SWAPPED_SHARE = 0.5
HELD_OUT_GHOST = "td3_violet_poly"
DECOY_TRIES = 20
DECOY_MAX_IOU = 0.05
JITTER_PX = 3
"""Training crops are shifted by up to this (of 80 × 100), as a search lands a little off."""


def ghost_templates() -> tuple[str, ...]:
    """Designs that print a ghost on the side of the MRZ and the main portrait."""
    return tuple(
        t.name
        for t in portrait_templates(TEMPLATES)
        if t.ghost is not None and t.ghost.side is t.portrait.side
    )


@dataclass(frozen=True, slots=True)
class GhostTrainConfig:
    version: str = "1"
    seed: int = 3151
    documents: int = 2000
    """Documents of every design with the portrait on the MRZ's side."""
    ghost_documents: int = 1000
    """Documents of the ghost designs in addition."""
    eval_documents: int = 800
    eval_ghost_documents: int = 400
    epochs: int = 12
    batch: int = 64
    lr: float = 2e-3
    weight_decay: float = 1e-4
    workers: int = 2
    data_dir: Path = Path("data/generated/ghost")
    locator_dir: Path | None = None
    """The models that read the MRZ and locate the portrait; None: the output folder's."""
    net: GhostNetConfig = field(default_factory=GhostNetConfig)


@dataclass(frozen=True, slots=True)
class Samples:
    pairs: npt.NDArray[np.uint8]
    """(N, 2, CROP_H, CROP_W) portrait and candidate crops."""
    labels: npt.NDArray[np.int64]
    genuine: npt.NDArray[np.bool_]
    templates: tuple[str, ...]
    splits: tuple[str, ...]


def _sample(job: tuple[str, dict[str, Any], bool]) -> list[tuple[npt.NDArray[np.uint8], int]]:
    """The page's (portrait, candidate) crops with their label, and with ``decoy`` a second pair
    whose candidate is another place on the document (:func:`_decoy`); none without a portrait."""
    path, record, decoy = job
    analysis = located(path)
    if analysis.portrait is None or analysis.mrz is None or analysis.mrz.data is None:
        return []
    bgr = np.asarray(cv2.imread(path, cv2.IMREAD_COLOR), np.uint8)
    portrait = analysis.portrait[0]
    candidate = find_ghost(bgr, portrait, analysis.mrz.data.format.value)
    if candidate is None:
        return []
    truth = [tuple(z["box"]) for z in record["zones"] if z["name"] == "ghost_portrait"]
    on_ghost = any(box_iou(candidate.box, box) >= ON_GHOST_IOU for box in truth)
    if not on_ghost:
        label = GhostClass.NONE
    else:
        label = GhostClass.DIFFERENT if substituted(record) else GhostClass.SAME
    found = [(pair_crops(bgr, portrait.quad, candidate.quad), int(label))]
    elsewhere = (
        _decoy(path, candidate.quad, [portrait.box, *truth], portrait.outline) if decoy else None
    )
    if elsewhere is not None:
        found.append((pair_crops(bgr, portrait.quad, elsewhere), int(GhostClass.NONE)))
    return found


def _decoy(
    path: str,
    quad: Sequence[Sequence[float]],
    avoid: Sequence[tuple[int, ...]],
    outline: Sequence[Sequence[float]] | None,
) -> list[tuple[float, float]] | None:
    """The candidate's quad moved to another place inside the document that overlaps neither
    the portrait nor the ghost: more kinds of print (rosettes, seals, text) to call no ghost
    than the search's misses alone give. Seeded by the file's name."""
    if outline is None:
        return None
    rng = np.random.default_rng(zlib.crc32(Path(path).name.encode()))
    corners = np.array(quad, np.float64)
    doc = np.array(outline, np.float64)
    x0, y0 = doc.min(axis=0)
    x1, y1 = doc.max(axis=0)
    w, h = np.ptp(corners[:, 0]), np.ptp(corners[:, 1])
    for _ in range(DECOY_TRIES):
        moved = corners + rng.uniform((x0, y0), (x1 - w, y1 - h)) - corners.min(axis=0)
        box = (int(moved[:, 0].min()), int(moved[:, 1].min()), int(w), int(h))
        if all(box_iou(box, other) < DECOY_MAX_IOU for other in avoid):
            return [(float(x), float(y)) for x, y in moved]
    return None


def samples_of(roots: list[Path], locator: Path, workers: int, *, decoys: bool = False) -> Samples:
    """Every located page's pair; with ``decoys`` also a pair of no ghost per page."""
    jobs, records = [], []
    for root in roots:
        for record in read_labels(root):
            jobs.append((str(root / record["file"]), record, decoys))
            records.append(record)
    with process_pool(workers, initializer=init_locator, initargs=(str(locator),)) as pool:
        found = list(pool.map(_sample, jobs, chunksize=8))
    kept = [(f, r) for pairs, r in zip(found, records, strict=True) for f in pairs]
    log.info("ghost pairs: %d from %d pages", len(kept), len(records))
    return Samples(
        np.stack([f[0] for f, _ in kept]) if kept else np.zeros((0, 2, 1, 1), np.uint8),
        np.array([f[1] for f, _ in kept], np.int64),
        np.array([r["label"] == "genuine" for _, r in kept]),
        tuple(r["template"] for _, r in kept),
        tuple(r["split"] for _, r in kept),
    )


def _sets(config: GhostTrainConfig, seed: int, documents: int, ghosts: int) -> list[Path]:
    everything = tuple(t.name for t in portrait_templates(TEMPLATES))
    return [
        dataset(
            config.data_dir / f"all-{seed}", documents, seed, config.workers, templates=everything
        ),
        dataset(
            config.data_dir / f"ghost-{seed}",
            ghosts,
            seed + 1000,
            config.workers,
            templates=ghost_templates(),
        ),
    ]


def _batch(
    x: npt.NDArray[np.uint8],
    y: npt.NDArray[np.int64],
    idx: npt.NDArray[np.int64],
    same_pool: npt.NDArray[np.int64],
    rng: np.random.Generator,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Pairs ``idx`` of ``x``, some same-face pairs made different by the portrait of another
    page with a ghost (``same_pool``), each augmented (:func:`_augment`)."""
    pairs = x[idx].copy()
    labels = y[idx].copy()
    for i in range(len(pairs)):
        if labels[i] == GhostClass.SAME and rng.random() < SWAPPED_SHARE:
            pairs[i, 0] = x[int(rng.choice(same_pool))][0]
            labels[i] = GhostClass.DIFFERENT
        pairs[i] = _augment(pairs[i], rng)
    return to_input(pairs), torch.from_numpy(labels)


def _augment(pair: npt.NDArray[np.uint8], rng: np.random.Generator) -> npt.NDArray[np.uint8]:
    """Both crops mirrored together (a mirrored pair is still the same face or not); each
    shifted a little, its tones bent, sometimes blurred and noisier: ghosts of other designs
    are fainter, coarser or sharper than the training designs' and searches land a little off."""
    if rng.random() < 0.5:
        pair = pair[:, :, ::-1]
    out = np.empty_like(pair)
    for c in range(2):
        crop = pair[c].astype(np.float32) / 255.0
        dy, dx = (int(v) for v in rng.integers(-JITTER_PX, JITTER_PX + 1, 2))
        crop = np.roll(crop, (dy, dx), axis=(0, 1))
        crop = crop ** float(rng.uniform(0.6, 1.6))
        if rng.random() < 0.4:
            crop = cv2.GaussianBlur(crop, (0, 0), float(rng.uniform(0.5, 1.5)))
        if rng.random() < 0.4:
            crop = crop + rng.normal(0.0, rng.uniform(0.01, 0.04), crop.shape).astype(np.float32)
        out[c] = np.clip(crop * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return out


def fit(
    config: GhostTrainConfig, train: Samples, held_out: str | None = None
) -> tuple[GhostNet, npt.NDArray[np.int64]]:
    """GhostNet trained on the training split's pairs but the design ``held_out``'s, in eval
    mode; and the count of pairs of each class."""
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    keep = np.array(
        [s == "train" and t != held_out for s, t in zip(train.splits, train.templates, strict=True)]
    )
    x, y = train.pairs[keep], train.labels[keep]
    counts = np.bincount(y, minlength=len(GhostClass))
    log.info("ghost training pairs: none %d, same %d, different %d", *counts)
    if counts[GhostClass.SAME] < 2:
        raise ValueError("too few ghost portraits found to learn from; generate more documents")
    same_pool = np.flatnonzero(y == GhostClass.SAME)
    # the classes as the batches see them (half the same-face pairs become different ones)
    seen = counts.astype(np.float64)
    seen[GhostClass.DIFFERENT] += SWAPPED_SHARE * seen[GhostClass.SAME]
    seen[GhostClass.SAME] *= 1 - SWAPPED_SHARE
    weights = torch.tensor(seen.sum() / (len(seen) * np.maximum(seen, 1.0)), dtype=torch.float32)
    net = for_training(GhostNet(config.net))
    optimiser = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    per_epoch = max(1, len(x) // config.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, config.lr, total_steps=config.epochs * per_epoch
    )
    loss_of = torch.nn.CrossEntropyLoss(weight=weights)
    for epoch in range(config.epochs):
        net.train()
        order = rng.permutation(len(x))
        total = 0.0
        for k in range(per_epoch):
            idx = order[k * config.batch : (k + 1) * config.batch]
            batch, target = _batch(x, y, idx, same_pool, rng)
            loss = loss_of(net(channels_last(batch)), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach())
        log.info("ghost epoch %d/%d loss %.4f", epoch + 1, config.epochs, total / per_epoch)
    return net.eval(), counts


def train_ghostnet(
    config: GhostTrainConfig = GhostTrainConfig(), models_dir: Path = DEFAULT_MODELS_DIR
) -> dict[str, Any]:
    started = time.perf_counter()
    torch.set_num_threads(config.workers)
    locator = config.locator_dir or models_dir
    train = samples_of(
        _sets(config, config.seed, config.documents, config.ghost_documents),
        locator,
        config.workers,
        decoys=True,
    )
    evaluation = samples_of(
        _sets(config, config.seed + 1, config.eval_documents, config.eval_ghost_documents),
        locator,
        config.workers,
    )
    net, counts = fit(config, train, HELD_OUT_GHOST)
    metrics, thresholds = evaluate(net, evaluation, HELD_OUT_GHOST)
    metrics["train_pairs"] = {
        c.name.lower(): int(n) for c, n in zip(GhostClass, counts, strict=True)
    }
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    log.info("ghost metrics %s thresholds %s", metrics, thresholds)
    save_state_dict(
        ARTIFACT_NAME,
        config.version,
        net,
        {
            "input": {
                "shape": [2, "CROP_H", "CROP_W"],
                "crops": "docfraud.imaging.ghost.pair_crops (main portrait, ghost candidate)",
                "normalisation": "each crop standardised (docfraud.imaging.ghost.to_input)",
                "output": "logits: none, same, different",
            },
            "net": config.net.to_dict(),
            "metrics": metrics,
            "thresholds": thresholds,
        },
        {
            **{k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
            "data": "docfraud.synth documents with the portrait on the MRZ's side (training "
            f"split, without {HELD_OUT_GHOST}); candidates found as the pipeline finds them, "
            "one decoy place a page",
        },
        models_dir,
    )
    return {**metrics, "thresholds": thresholds}


def evaluate(
    net: GhostNet, s: Samples, held_out: str | None = None
) -> tuple[dict[str, Any], dict[str, float]]:
    """Thresholds on P(another face) from genuine pages of the designs trained on; per group of
    pages, the false alarms on genuine ones and the substitutions caught."""
    p = classify(net, s.pairs)[:, GhostClass.DIFFERENT] if len(s.pairs) else np.zeros(0)
    p[contrast_ratio(s.pairs) > MAX_CONTRAST] = 0.0  # as the verifier judges: not a ghost
    split = np.array(s.splits)
    template = np.array(s.templates)
    seen = (split == "train") & (template != held_out)
    alarm = threshold_at(p[seen & s.genuine], 0.01)
    notice = min(alarm, threshold_at(p[seen & s.genuine], 0.05))
    on_ghost = s.labels != GhostClass.NONE
    substitutions = s.labels == GhostClass.DIFFERENT
    metrics: dict[str, Any] = {}
    groups = [("seen_designs", seen), ("held_out_templates", split == "test_template")]
    if held_out is not None:
        groups.append(("held_out_ghost_design", template == held_out))
    for name, group in groups:
        genuine = group & s.genuine
        caught = group & substitutions
        metrics[name] = {
            "genuine_pages": int(genuine.sum()),
            "ghosts_found": int((group & on_ghost).sum()),
            "genuine_alarms": round(float(np.mean(p[genuine] >= alarm)), 4)
            if genuine.any()
            else None,
            "substituted_with_ghost": int(caught.sum()),
            "caught_at_alarm": round(float(np.mean(p[caught] >= alarm)), 4)
            if caught.any()
            else None,
            "caught_at_notice": round(float(np.mean(p[caught] >= notice)), 4)
            if caught.any()
            else None,
            "roc_auc": round(roc_auc(p[genuine & on_ghost], p[caught]), 4)
            if caught.any()
            else None,
        }
    return metrics, {"alarm": round(alarm, 4), "notice": round(notice, 4)}


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train_ghostnet()


if __name__ == "__main__":
    main()
