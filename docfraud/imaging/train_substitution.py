"""Train the portrait substitution model: locate the portrait of every generated MRZ page as the
pipeline does, compute its cues (:mod:`docfraud.imaging.substitution`), fit a logistic model
(scikit-learn) on the training split, and set the thresholds on genuine portraits of a set of
another seed.

A page is a positive when its forgery replaced the portrait (``portrait_*`` operations); every
other page, genuine or forged elsewhere, shows its own printed portrait and is a negative.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from docfraud.artifacts import save_json_artifact
from docfraud.imaging.substitution import ARTIFACT_NAME, FEATURES, substitution_features
from docfraud.parallel import process_pool

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SubstitutionTrainConfig:
    version: str = "2"
    seed: int = 3131
    documents: int = 4000
    eval_documents: int = 1500
    """Generated with seed + 1: evaluation and the thresholds."""
    regularisation: float = 0.1
    """scikit-learn's C (inverse L2 strength): 0.1 beat 1 and 10 on development sets."""
    workers: int = 2
    data_dir: Path = Path("data/generated/substitution")
    models_dir: Path = Path("models")
    locator_dir: Path | None = None
    """The models that locate the portraits (PortraitNet, the MRZ reader); None: ``models_dir``.
    ``--quick`` takes the committed ones: a PortraitNet of one epoch finds too few to learn from."""


_ANALYZER: Any = None


def init_locator(models_dir: str) -> None:
    """Worker initialiser: an analyzer that locates as a scan does (MRZ, outline, portrait) and
    skips what training does not need (text, model findings, the fusion)."""
    import cv2
    import torch

    from docfraud.config import AnalysisConfig
    from docfraud.fusion.train import UNTRAINED
    from docfraud.pipeline import Analyzer

    global _ANALYZER
    cv2.setNumThreads(1)
    torch.set_num_threads(1)
    config = AnalysisConfig(models_dir=Path(models_dir), read_text=False, check_portraits=False)
    _ANALYZER = Analyzer(config, fusion=UNTRAINED)


def located(path: str) -> Any:
    """The first page's analysis by the worker's locating analyzer (:func:`init_locator`)."""
    return _ANALYZER.analyze_path(path)[0]


def _cues(path: str) -> list[float] | None:
    """The cues of the portrait the pipeline locates on the image, or None (no portrait)."""
    import cv2

    analysis = located(path)
    if analysis.portrait is None:
        return None
    bgr = np.asarray(cv2.imread(path, cv2.IMREAD_COLOR), np.uint8)
    found = substitution_features(bgr, analysis.portrait[0].quad)
    return None if found is None else [float(v) for v in found]


def cues_of(
    root: Path, records: list[dict[str, Any]], models_dir: Path, workers: int
) -> tuple[npt.NDArray[np.float64], list[dict[str, Any]]]:
    """Cues and records of the images whose portrait was located."""
    paths = [str(root / r["file"]) for r in records]
    with process_pool(workers, initializer=init_locator, initargs=(str(models_dir),)) as pool:
        found = list(pool.map(_cues, paths, chunksize=8))
    kept = [(f, r) for f, r in zip(found, records, strict=True) if f is not None]
    log.info("%s: portraits located on %d of %d images", root.name, len(kept), len(records))
    return np.array([f for f, _ in kept], np.float64).reshape(-1, len(FEATURES)), [
        r for _, r in kept
    ]


def substituted(record: dict[str, Any]) -> bool:
    forgery = record.get("forgery") or {}
    return str(forgery.get("type", "")).startswith("portrait") and "portrait" in forgery.get(
        "fields", []
    )


def train_substitution(
    config: SubstitutionTrainConfig = SubstitutionTrainConfig(),
) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from docfraud.imaging.train_tamper import (
        read_labels,
        roc_auc,
        threshold_at,
        train_and_eval_sets,
    )

    started = time.perf_counter()
    train_root, eval_root = train_and_eval_sets(
        config.data_dir, config.seed, config.documents, config.eval_documents, config.workers
    )
    train_records = [r for r in read_labels(train_root) if r["split"] == "train"]
    locator = config.locator_dir or config.models_dir
    x, kept = cues_of(train_root, train_records, locator, config.workers)
    y = np.array([substituted(r) for r in kept])
    if y.all() or not y.any():
        raise ValueError(
            f"{train_root}: the located portraits are all of one kind (substituted or not); "
            "generate more documents"
        )
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=config.regularisation, max_iter=2000).fit(scaler.transform(x), y)

    def probability(features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(model.predict_proba(scaler.transform(features))[:, 1], np.float64)

    eval_x, eval_kept = cues_of(eval_root, read_labels(eval_root), locator, config.workers)
    p = probability(eval_x)
    positive = np.array([substituted(r) for r in eval_kept])
    split = np.array([r["split"] for r in eval_kept])
    genuine = np.array([r["label"] == "genuine" for r in eval_kept])
    alarm = threshold_at(p[genuine & (split == "train")], 0.01)
    notice = min(alarm, threshold_at(p[genuine & (split == "train")], 0.05))
    metrics: dict[str, Any] = {}
    for name, negatives in (
        ("train_templates", genuine & (split == "train")),
        ("test_template", genuine & (split == "test_template")),
    ):
        pos = positive & (split == ("train" if name == "train_templates" else name))
        metrics[name] = {
            "roc_auc": round(roc_auc(p[negatives], p[pos]), 4),
            "caught_at_alarm": round(float(np.mean(p[pos] >= alarm)), 4) if pos.any() else None,
            "caught_at_notice": round(float(np.mean(p[pos] >= notice)), 4) if pos.any() else None,
            "genuine": int(negatives.sum()),
            "substituted": int(pos.sum()),
        }
    by_type: dict[str, list[int]] = {}
    for r, prob in zip(eval_kept, p, strict=True):
        if substituted(r):
            hit = by_type.setdefault(r["forgery"]["type"], [0, 0])
            hit[0] += int(prob >= notice)
            hit[1] += 1
    metrics["caught_at_notice_by_type"] = by_type
    metrics["train_images"] = len(kept)
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    thresholds = {"alarm": round(alarm, 4), "notice": round(notice, 4)}
    log.info("substitution metrics %s thresholds %s", metrics, thresholds)
    save(
        config,
        scaler.mean_,
        scaler.scale_,
        model.coef_[0],
        float(model.intercept_[0]),
        thresholds,
        metrics,
    )
    return {**metrics, "thresholds": thresholds}


def save(
    config: SubstitutionTrainConfig,
    mean: npt.NDArray[np.float64],
    scale: npt.NDArray[np.float64],
    coef: npt.NDArray[np.float64],
    intercept: float,
    thresholds: dict[str, float],
    metrics: dict[str, Any],
) -> Path:
    data = {
        "version": f"{ARTIFACT_NAME}-{config.version}",
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef],
        "intercept": round(intercept, 6),
        **thresholds,
    }
    return save_json_artifact(
        ARTIFACT_NAME,
        config.version,
        data,
        {
            "input": {"features": "docfraud.imaging.substitution.substitution_features"},
            "metrics": metrics,
            "thresholds": thresholds,
        },
        {
            **{k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
            "data": "docfraud.synth documents (training split); portraits located by the "
            "pipeline; positives: portrait_* forgeries",
        },
        config.models_dir,
    )
