"""Train TamperNet on a generated data set's forgeries and their exact pixel masks; write it to
``models/``.

Data: a ``docfraud synth`` set (generated here when missing). Only the ``train`` split is learnt
from; held-out templates (``test_template``) and the held-out forgery type (``test_forgery``)
stay for evaluation. From each image a few patches are cut at the net's working scale: around
forged pixels on a forged image, and on a genuine one around its printed zones (text, MRZ,
portrait, seals), so that print itself is the negative the net must not confuse with
tampering. Targets are the share of forged pixels in each 8 × 8 cell.

Evaluation is per image on the held-out splits: the image's score is the map's peak; reported
are ROC AUC and the rate of forged images caught at the thresholds where 5 % and 1 % of genuine
images raise an alarm. The region threshold recorded for :class:`TamperDetector` is the 1 %
one, measured on genuine images of the training templates (a seed the net never saw).

Deterministic for a seed (seeded generation, seeded patch cutting, seeded torch, fixed threads).

    .venv/bin/python -m docfraud.imaging.train_tamper     # also: train.py
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import torch
from sklearn.metrics import roc_auc_score

from docfraud.artifacts import DEFAULT_MODELS_DIR, save_state_dict
from docfraud.imaging.tampernet import (
    ARTIFACT_NAME,
    MAX_SIDE,
    STRIDE,
    TamperNet,
    TamperNetConfig,
    predict,
    working_scale,
)
from docfraud.ocr.glyphnet import channels_last, for_training
from docfraud.parallel import process_pool
from docfraud.synth.dataset import GENERATOR_VERSION, SynthConfig, generate

log = logging.getLogger(__name__)

PATCH = 192
"""Patch side at the working scale (a multiple of STRIDE)."""
FORGED_PATCHES = 2
"""Patches around forged pixels, per forged image."""
PRINT_PATCHES = 2
"""Patches around printed zones, per image."""
KEY_ZONES = ("portrait", "mrz")
"""Zones every genuine image gives a patch of: the portrait and the MRZ are what forgers alter
most, so the net must see them untouched as often as altered, or it learns that a portrait is
a forgery."""
RANDOM_PATCHES = 1
PEAK_TARGET = 0.05
"""A patch counts as forged when one of its cells is at least this share forged."""


@dataclass(frozen=True, slots=True)
class TamperTrainConfig:
    seed: int = 3109
    documents: int = 3000
    """Generated documents to learn from (about 1.5 images each, half of them forged)."""
    eval_documents: int = 600
    """Generated with seed + 1 for evaluation and the threshold."""
    epochs: int = 6
    batch: int = 32
    lr: float = 3e-3
    weight_decay: float = 1e-4
    positive_weight: float = 2.0
    """BCE weight of cells with forged pixels."""
    peak_weight: float = 0.5
    """Weight of the patch-level loss on the map's peak."""
    workers: int = 2
    threads: int = 2
    version: str = "2"
    data_dir: Path = Path("data/generated/tamper")
    net: TamperNetConfig = field(default_factory=TamperNetConfig)


def dataset(
    out: Path,
    documents: int,
    seed: int,
    workers: int,
    *,
    misprint_share: float = 0.0,
    forged_share: float = 0.5,
    templates: tuple[str, ...] = (),
) -> Path:
    """A synth set of ``documents`` in ``out``, generated once and then reused: one written
    with the same seed, count, shares and templates by the same generator version is kept (its
    manifest says so). ``templates``: only these (default: all)."""
    manifest = out / "manifest.json"
    wanted = (seed, documents, GENERATOR_VERSION, misprint_share, forged_share)
    if manifest.is_file():
        made = json.loads(manifest.read_text(encoding="utf-8"))
        same = (
            made.get("seed"),
            made.get("documents"),
            made.get("generator_version"),
            made.get("misprint_share", 0.0),
            made.get("forged_share"),
        )
        if same == wanted and (not templates or tuple(made.get("templates", ())) == templates):
            return out
    generate(
        SynthConfig(
            out=out,
            count=documents,
            seed=seed,
            workers=workers,
            sheet_items=0,
            misprint_share=misprint_share,
            forged_share=forged_share,
            templates=templates,
        )
    )
    return out


def train_and_eval_sets(
    data_dir: Path, seed: int, documents: int, eval_documents: int, workers: int
) -> tuple[Path, Path]:
    """The training set (``train-<seed>``) and the evaluation set of the next seed
    (``eval-<seed + 1>``) in ``data_dir``, each generated once (:func:`dataset`)."""
    train = dataset(data_dir / f"train-{seed}", documents, seed, workers)
    evaluation = dataset(data_dir / f"eval-{seed + 1}", eval_documents, seed + 1, workers)
    return train, evaluation


def read_labels(root: Path) -> list[dict[str, Any]]:
    with (root / "labels.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def load_pair(
    root: Path, record: dict[str, Any]
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float32]]:
    """The image (BGR) and its forged-pixel mask (float 0/1, zeros for a genuine image)."""
    image = cv2.imread(str(root / record["file"]), cv2.IMREAD_COLOR)
    if image is None:
        raise OSError(f"cannot read {record['file']}")
    mask = np.zeros(image.shape[:2], np.float32)
    if record["forgery"]:
        drawn = cv2.imread(str(root / record["forgery"]["mask"]), cv2.IMREAD_GRAYSCALE)
        if drawn is None:
            raise OSError(f"cannot read {record['forgery']['mask']}")
        mask = (drawn > 127).astype(np.float32)
    return np.asarray(image, np.uint8), mask


def cell_targets(mask: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The share of forged pixels in each STRIDE × STRIDE cell (ceil-sized, like the net)."""
    h, w = mask.shape
    ph, pw = -h % STRIDE, -w % STRIDE
    padded = np.pad(mask, ((0, ph), (0, pw)))
    cells = padded.reshape(padded.shape[0] // STRIDE, STRIDE, padded.shape[1] // STRIDE, STRIDE)
    return np.asarray(cells.mean(axis=(1, 3)), np.float32)


def _scaled(
    image: npt.NDArray[np.uint8], mask: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float32], float]:
    scale = working_scale(image.shape[1], image.shape[0])
    if scale < 1.0:
        size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
        image = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
        mask = np.asarray(cv2.resize(mask, size, interpolation=cv2.INTER_AREA), np.float32)
    return image, mask, scale


def _corner(
    rng: np.random.Generator, centre: tuple[float, float], shape: Sequence[int]
) -> tuple[int, int]:
    """A patch corner (x, y) near ``centre``, on the STRIDE grid, inside the image."""
    h, w = shape[:2]
    cx = centre[0] + rng.uniform(-PATCH / 3, PATCH / 3)
    cy = centre[1] + rng.uniform(-PATCH / 3, PATCH / 3)
    x = int(np.clip(cx - PATCH / 2, 0, max(0, w - PATCH))) // STRIDE * STRIDE
    y = int(np.clip(cy - PATCH / 2, 0, max(0, h - PATCH))) // STRIDE * STRIDE
    return x, y


def _patch(array: npt.NDArray[Any], x: int, y: int) -> npt.NDArray[Any]:
    """The PATCH × PATCH window at (x, y), padded with edge values where the image is smaller."""
    cut = array[y : y + PATCH, x : x + PATCH]
    pad = ((0, PATCH - cut.shape[0]), (0, PATCH - cut.shape[1])) + ((0, 0),) * (array.ndim - 2)
    return np.pad(cut, pad, mode="edge") if any(p[1] for p in pad) else cut


def cut_patches(
    args: tuple[str, dict[str, Any], int],
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
    """(n, PATCH, PATCH, 3) BGR patches and (n, PATCH/8, PATCH/8) targets (× 255) of one image."""
    root, record, seed = args
    cv2.setNumThreads(1)
    rng = np.random.default_rng(seed)
    image, mask, scale = _scaled(*load_pair(Path(root), record))
    zones = {z["name"]: z["box"] for z in record["zones"] if z["box"][2] > 0 and z["box"][3] > 0}
    boxes = list(zones.values())
    picked = [boxes[k] for k in rng.integers(0, len(boxes), PRINT_PATCHES)] if boxes else []
    if record["forgery"]:
        ys, xs = np.nonzero(mask > 0.5)
        drawn = rng.integers(0, len(xs), FORGED_PATCHES) if len(xs) else np.zeros(0, np.int64)
        centres = [(float(xs[k]), float(ys[k])) for k in drawn]
    else:
        picked += [zones[name] for name in KEY_ZONES if name in zones]
        centres = []
    for x, y, w, h in picked:
        centres.append(((x + w / 2) * scale, (y + h / 2) * scale))
    for _ in range(RANDOM_PATCHES):
        centres.append((rng.uniform(0, image.shape[1]), rng.uniform(0, image.shape[0])))
    images, targets = [], []
    for centre in centres:
        x, y = _corner(rng, centre, image.shape)
        images.append(_patch(image, x, y))
        targets.append(cell_targets(_patch(mask, x, y)))
    return (
        np.stack(images).astype(np.uint8),
        np.round(np.stack(targets) * 255.0).astype(np.uint8),
    )


def make_patches(
    root: Path, records: Sequence[dict[str, Any]], seed: int, workers: int
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
    jobs = [(str(root), r, seed * 1_000_003 + i) for i, r in enumerate(records)]
    if workers > 1:
        with process_pool(workers) as pool:
            parts = list(pool.map(cut_patches, jobs, chunksize=16))
    else:
        parts = [cut_patches(j) for j in jobs]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _batch(images: npt.NDArray[np.uint8], idx: Iterable[int]) -> torch.Tensor:
    rgb = images[np.asarray(list(idx))][..., ::-1].transpose(0, 3, 1, 2)
    return torch.from_numpy(np.ascontiguousarray(rgb, np.float32) / 255.0)


def image_scores(
    net: TamperNet, root: Path, records: Sequence[dict[str, Any]]
) -> npt.NDArray[np.float64]:
    """Each image's peak tampering probability."""
    net.eval()
    scores = []
    for record in records:
        image, _ = load_pair(root, record)
        scores.append(predict(net, image).peak)
    return np.asarray(scores, np.float64)


def roc_auc(genuine: npt.NDArray[np.float64], forged: npt.NDArray[np.float64]) -> float:
    """The probability that a forged image outscores a genuine one (ties count half)."""
    if not len(genuine) or not len(forged):
        return float("nan")
    labels = np.concatenate([np.zeros(len(genuine)), np.ones(len(forged))])
    return float(roc_auc_score(labels, np.concatenate([genuine, forged])))


def threshold_at(genuine: npt.NDArray[np.float64], false_alarm_rate: float) -> float:
    """The lowest score that at most ``false_alarm_rate`` of genuine images reach."""
    if not len(genuine):
        return 1.0
    ordered = np.sort(genuine)[::-1]
    allowed = int(math.floor(false_alarm_rate * len(ordered)))
    return float(np.nextafter(ordered[allowed], np.inf)) if allowed < len(ordered) else 0.0


def evaluate(
    net: TamperNet, root: Path, records: Sequence[dict[str, Any]]
) -> dict[str, dict[str, float]]:
    """Per held-out split: ROC AUC and the catch rates at 5 % and 1 % false alarms. Genuine
    images of each split are its negatives (held-out templates), or the training templates'
    genuine images for the held-out forgery type."""
    scores = image_scores(net, root, records)
    split = np.array([r["split"] for r in records])
    forged = np.array([r["label"] == "forged" for r in records])
    results: dict[str, dict[str, float]] = {}
    negatives = {"test_template": split == "test_template", "test_forgery": split == "train"}
    for name, genuine_of in negatives.items():
        genuine = scores[genuine_of & ~forged]
        positives = scores[(split == name) & forged]
        if not len(genuine) or not len(positives):
            continue
        results[name] = {
            "roc_auc": round(roc_auc(genuine, positives), 4),
            "tpr_at_5pct_fpr": round(float(np.mean(positives >= threshold_at(genuine, 0.05))), 4),
            "tpr_at_1pct_fpr": round(float(np.mean(positives >= threshold_at(genuine, 0.01))), 4),
            "genuine": int(len(genuine)),
            "forged": int(len(positives)),
        }
    train_genuine = scores[(split == "train") & ~forged]
    results["thresholds"] = {
        "alarm": round(threshold_at(train_genuine, 0.01), 4),
        "notice": round(threshold_at(train_genuine, 0.05), 4),
        "genuine_images": int(len(train_genuine)),
    }
    return results


def _fingerprint(config: TamperTrainConfig) -> str:
    """What a checkpoint must have been trained with to be resumed (everything but resources)."""
    fields = asdict(config)
    for key in ("workers", "threads", "data_dir"):
        fields.pop(key)
    return json.dumps(fields, sort_keys=True, default=str)


class Checkpoint:
    """The training state after each epoch, so an interrupted run resumes where it stopped
    (written to a temporary file and renamed, so a kill leaves the last whole one)."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.fingerprint = fingerprint

    def restore(
        self,
        net: torch.nn.Module,
        opt: torch.optim.Optimizer,
        sched: torch.optim.lr_scheduler.LRScheduler,
        gen: torch.Generator,
    ) -> int:
        """The number of epochs already done (0 without a matching checkpoint)."""
        if not self.path.is_file():
            return 0
        state = torch.load(self.path, map_location="cpu", weights_only=True)
        if state.get("fingerprint") != self.fingerprint:
            log.info("ignoring %s: trained with another configuration", self.path)
            return 0
        net.load_state_dict(state["net"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        gen.set_state(state["gen"])
        return int(state["epoch"])

    def save(
        self,
        epoch: int,
        net: torch.nn.Module,
        opt: torch.optim.Optimizer,
        sched: torch.optim.lr_scheduler.LRScheduler,
        gen: torch.Generator,
    ) -> None:
        state = {
            "fingerprint": self.fingerprint,
            "epoch": epoch,
            "net": net.state_dict(),
            "opt": opt.state_dict(),
            "sched": sched.state_dict(),
            "gen": gen.get_state(),
        }
        partial = self.path.with_suffix(".partial")
        torch.save(state, partial)
        partial.replace(self.path)


def train_tampernet(
    config: TamperTrainConfig = TamperTrainConfig(), models_dir: Path = DEFAULT_MODELS_DIR
) -> dict[str, object]:
    """Generate (or reuse) the data, train, evaluate on held-out splits, save and register."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    started = time.perf_counter()
    train_root, eval_root = train_and_eval_sets(
        config.data_dir, config.seed, config.documents, config.eval_documents, config.workers
    )
    train_records = [r for r in read_labels(train_root) if r["split"] == "train"]
    images, targets = make_patches(train_root, train_records, config.seed, config.workers)
    log.info(
        "data: %d patches from %d images, %.0fs",
        len(images),
        len(train_records),
        time.perf_counter() - started,
    )
    net = for_training(TamperNet(config.net))
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    steps = config.epochs * math.ceil(len(images) / config.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)
    gen = torch.Generator().manual_seed(config.seed)
    y_all = torch.from_numpy(targets.astype(np.float32) / 255.0).unsqueeze(1)
    checkpoint = Checkpoint(config.data_dir / f"checkpoint-{config.seed}.pt", _fingerprint(config))
    first_epoch = checkpoint.restore(net, opt, sched, gen)
    if first_epoch:
        log.info("resuming after epoch %d from %s", first_epoch, checkpoint.path)
    for epoch in range(first_epoch, config.epochs):
        net.train()
        order = torch.randperm(len(images), generator=gen).numpy()
        total = 0.0
        for i in range(0, len(order), config.batch):
            idx = order[i : i + config.batch]
            logits = net(channels_last(_batch(images, idx)))
            y = y_all[idx]
            weight = 1.0 + (config.positive_weight - 1.0) * (y > 0).float()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, weight=weight)
            # and the patch's peak against whether it holds a forgery: the image's score is its
            # map's peak, so one hot cell on a genuine portrait costs what it costs at inference
            peak = logits.amax(dim=(1, 2, 3))
            forged = (y.amax(dim=(1, 2, 3)) > PEAK_TARGET).float()
            bce = torch.nn.functional.binary_cross_entropy_with_logits(peak, forged)
            loss = loss + config.peak_weight * bce
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        log.info(
            "epoch %d/%d loss %.4f (%.0fs)",
            epoch + 1,
            config.epochs,
            total / len(images),
            time.perf_counter() - started,
        )
        checkpoint.save(epoch + 1, net, opt, sched, gen)
    results = evaluate(net, eval_root, read_labels(eval_root))
    thresholds = results.pop("thresholds")
    metrics: dict[str, object] = {
        **results,
        "train_patches": len(images),
        "train_images": len(train_records),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    log.info("metrics %s thresholds %s", metrics, thresholds)
    checkpoint.path.unlink(missing_ok=True)
    save_state_dict(
        ARTIFACT_NAME,
        config.version,
        net,
        {
            "input": {
                "shape": [3, "H", "W"],
                "dtype": "float32",
                "scale": f"longer side at most {MAX_SIDE} px",
                "normalisation": "RGB / 255 (docfraud.imaging.tampernet.to_input)",
                "output": f"tampering logit per {STRIDE} x {STRIDE} cell",
            },
            "net": config.net.to_dict(),
            "metrics": metrics,
            "thresholds": thresholds,
        },
        {
            **asdict(config),
            "data_dir": str(config.data_dir),
            "net": config.net.to_dict(),
            "data": "docfraud.synth documents (all templates but the held-out ones), "
            "simulated captures, exact forgery masks",
        },
        models_dir,
    )
    return {**metrics, "thresholds": thresholds}


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    log.info("metrics: %s", train_tampernet())
