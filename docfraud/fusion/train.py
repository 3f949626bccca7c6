"""Train the fusion model: run the whole pipeline over generated genuine and forged documents,
fit a non-negative logistic model (scikit-learn) over their findings, evaluate it on held-out
templates and the held-out forgery type, and set the verdict thresholds on genuine pages it was
not fitted on.

Every image is analysed with the MRZ and the models (TamperNet on); the first
``text_documents`` documents are analysed a second time with the visual zone read, so the
checks that need it (MRZ against the printed fields) get weights too. Pages are the unit:
a card's front and back are two pages, each with its own findings and label.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from docfraud.artifacts import save_json_artifact
from docfraud.fusion.model import ARTIFACT_NAME, Fusion, Thresholds, feature_counts
from docfraud.parallel import process_pool
from docfraud.types import Finding, Severity

log = logging.getLogger(__name__)

SUSPICIOUS_RATE = 0.05
FORGED_RATE = 0.01
CALIBRATION_EVERY = 4
"""Every fourth training-split document is kept out of the fit: its genuine pages set the
thresholds (scores of pages the model was fitted on would be optimistic)."""
UNTRAINED = Fusion(
    "untrained",
    intercept=-2.0,
    weights={"severity:warning": 0.8, "severity:critical": 3.0},
    thresholds=Thresholds(0.5, 0.9, "untrained"),
)
"""What the pipeline decides with while the fusion is being trained (the analyses need some
verdict; training reads only their findings). Never saved or loaded."""


@dataclass(frozen=True, slots=True)
class FusionTrainConfig:
    version: str = "1"
    seed: int = 3121
    documents: int = 900
    text_documents: int = 200
    workers: int = 2
    regularisation: float = 1.0
    """scikit-learn's C: the inverse strength of the L2 penalty."""
    scan_date: date = date(2026, 6, 1)
    data_dir: Path = Path("data/generated/fusion")
    models_dir: Path = field(default=Path("models"))


_WORKER: dict[bool, Any] = {}


def _init_worker(models_dir: str, scan_date: date) -> None:
    import cv2
    import torch

    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer

    cv2.setNumThreads(1)
    torch.set_num_threads(1)
    for read_text in (False, True):
        config = AnalysisConfig(
            models_dir=Path(models_dir),
            scan_date=scan_date,
            read_text=read_text,
            detect_tampering=True,
        )
        _WORKER[read_text] = Analyzer(config, fusion=UNTRAINED)


def _findings_of(job: tuple[str, bool]) -> list[tuple[str, int]]:
    """(code, severity) of every finding on the image's first page."""
    path, read_text = job
    analysis = _WORKER[read_text].analyze_path(path)[0]
    return [(f.code, int(f.severity)) for f in analysis.findings]


def analyse(
    jobs: Sequence[tuple[str, bool]], models_dir: Path, scan_date: date, workers: int
) -> list[list[tuple[str, int]]]:
    with process_pool(
        workers, initializer=_init_worker, initargs=(str(models_dir), scan_date)
    ) as pool:
        out = []
        for k, found in enumerate(pool.map(_findings_of, jobs, chunksize=4), 1):
            out.append(found)
            if k % 200 == 0 or k == len(jobs):
                log.info("analysed %d/%d pages", k, len(jobs))
        return out


def as_findings(found: Sequence[tuple[str, int]]) -> tuple[Finding, ...]:
    return tuple(Finding(code, Severity(sev), "") for code, sev in found)


def fit(
    pages: Sequence[tuple[Finding, ...]], forged: npt.NDArray[np.bool_], regularisation: float
) -> tuple[float, dict[str, float]]:
    """Intercept and weights of a logistic model whose weights are all ≥ 0: fit, drop the
    features that came out negative (evidence that, given the rest, goes with genuine pages: a
    finding must never lower the score), fit again, until none is."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if forged.all() or not forged.any():
        raise ValueError("the fitted pages are all genuine or all forged; generate more documents")
    rows = [feature_counts(p) for p in pages]
    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform(rows)
    names = list(vectorizer.get_feature_names_out())
    kept = np.ones(len(names), bool)
    while True:
        model = LogisticRegression(C=regularisation, max_iter=2000)
        model.fit(x[:, kept], forged)
        coef = np.zeros(len(names))
        coef[kept] = model.coef_[0]
        negative = kept & (coef < 0)
        if not negative.any():
            break
        kept &= ~negative
    weights = {n: round(float(c), 4) for n, c in zip(names, coef, strict=True) if c > 0}
    return round(float(model.intercept_[0]), 4), weights


def thresholds_from(scores: npt.NDArray[np.float64], floor: float, source: str) -> Thresholds:
    """The scores that at most 5 % and 1 % of ``scores`` (genuine pages) exceed, never below
    ``floor`` (a page without findings stays genuine)."""
    ordered = np.sort(np.asarray(scores, float))[::-1]

    def at(rate: float) -> float:
        if not len(ordered):
            return 1.0
        allowed = int(np.floor(rate * len(ordered)))
        return float(ordered[allowed]) if allowed < len(ordered) else floor

    suspicious = max(floor, at(SUSPICIOUS_RATE))
    forged = max(suspicious, at(FORGED_RATE))
    return Thresholds(round(suspicious, 4), round(forged, 4), source)


def evaluate(
    fusion: Fusion, pages: Sequence[tuple[Finding, ...]], records: Sequence[dict[str, Any]]
) -> dict[str, dict[str, float]]:
    """Per held-out split, ROC AUC and catch rates at the model's thresholds (genuine pages of
    the held-out templates, or of the calibration documents for the held-out forgery type)."""
    from docfraud.imaging.train_tamper import roc_auc

    scores = np.array([fusion.score(p) for p in pages])
    split = np.array([r["split"] for r in records])
    forged = np.array([r["label"] == "forged" for r in records])
    calibration = np.array([bool(r["calibration"]) for r in records])
    negatives = {
        "test_template": (split == "test_template") & ~forged,
        "test_forgery": calibration & ~forged,
    }
    out: dict[str, dict[str, float]] = {}
    for name, genuine_of in negatives.items():
        genuine, positives = scores[genuine_of], scores[(split == name) & forged]
        if not len(genuine) or not len(positives):
            continue
        out[name] = {
            "roc_auc": round(roc_auc(genuine, positives), 4),
            "forged_caught_suspicious": round(
                float(np.mean(positives > fusion.thresholds.suspicious)), 4
            ),
            "forged_caught_forged": round(float(np.mean(positives > fusion.thresholds.forged)), 4),
            "genuine_suspicious_or_worse": round(
                float(np.mean(genuine > fusion.thresholds.suspicious)), 4
            ),
            "genuine": int(len(genuine)),
            "forged": int(len(positives)),
        }
    return out


def train_fusion(config: FusionTrainConfig = FusionTrainConfig()) -> dict[str, Any]:
    from docfraud.imaging.train_tamper import dataset, read_labels

    started = time.perf_counter()
    root = dataset(
        config.data_dir / f"set-{config.seed}", config.documents, config.seed, config.workers
    )
    labels = read_labels(root)
    documents = sorted({str(r["document_id"]) for r in labels})
    with_text = set(documents[: config.text_documents])
    calibration = set(documents[::CALIBRATION_EVERY])
    records, jobs = [], []
    for r in labels:
        for read_text in (False, True) if r["document_id"] in with_text else (False,):
            records.append({**r, "calibration": r["document_id"] in calibration})
            jobs.append((str(root / r["file"]), read_text))
    log.info("analysing %d pages of %d documents", len(jobs), len(documents))
    pages = [
        as_findings(f) for f in analyse(jobs, config.models_dir, config.scan_date, config.workers)
    ]
    forged = np.array([r["label"] == "forged" for r in records])
    fitted = np.array([r["split"] == "train" and not r["calibration"] for r in records])
    intercept, weights = fit(
        [p for p, f in zip(pages, fitted, strict=True) if f], forged[fitted], config.regularisation
    )
    fusion = Fusion(f"{ARTIFACT_NAME}-{config.version}", intercept, weights, UNTRAINED.thresholds)
    genuine_calibration = np.array(
        [
            fusion.score(p)
            for p, r in zip(pages, records, strict=True)
            if r["calibration"] and r["split"] == "train" and r["label"] == "genuine"
        ]
    )
    fusion = fusion.with_thresholds(thresholds_from(genuine_calibration, fusion.floor, "training"))
    metrics: dict[str, Any] = {
        **evaluate(fusion, pages, records),
        "fitted_pages": int(fitted.sum()),
        "calibration_genuine_pages": int(len(genuine_calibration)),
        "features": len(weights),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    log.info("fusion metrics %s thresholds %s", metrics, fusion.thresholds)
    save(fusion, config, metrics)
    return {**metrics, "thresholds": asdict(fusion.thresholds)}


def save(fusion: Fusion, config: FusionTrainConfig, metrics: dict[str, Any]) -> Path:
    return save_json_artifact(
        ARTIFACT_NAME,
        config.version,
        fusion.to_dict(),
        {
            "input": {
                "features": "docfraud.fusion.model.feature_counts (finding codes present; "
                "warning and critical counts)",
            },
            "metrics": metrics,
            "thresholds": asdict(fusion.thresholds),
        },
        {
            **{k: str(v) if isinstance(v, (Path, date)) else v for k, v in asdict(config).items()},
            "data": "docfraud.synth documents through the whole pipeline (TamperNet on; "
            "visual zone read for the first text_documents)",
        },
        config.models_dir,
    )
