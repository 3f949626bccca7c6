"""Is a data set leaking its labels through the files? A lazy classifier must stay at chance.

A detector trained on synthetic forgeries learns whatever separates the classes most cheaply. If
forged images were, say, recompressed once more or a little smaller, it would learn that instead
of the forgery, and fail on real documents. This check trains a logistic regression on file-level
cues only (size, bytes per pixel, dimensions, format, noise, blur, brightness) and reports its
cross-validated ROC AUC; about 0.5 means the files say nothing about the label.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

CUES = (
    "bytes_per_pixel",
    "bytes",
    "width",
    "height",
    "aspect",
    "is_jpeg",
    "laplacian_var",
    "residual_median",
    "mean",
    "std",
)


def file_cues(path: Path) -> list[float]:
    """The :data:`CUES` of one image file."""
    data = path.read_bytes()
    gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise ValueError(f"{path} is not a readable image")
    g = gray.astype(np.float32)
    h, w = g.shape
    residual = g - cv2.GaussianBlur(g, (0, 0), 1.0)
    return [
        len(data) / (h * w),
        float(len(data)),
        float(w),
        float(h),
        w / h,
        float(path.suffix.lower() in (".jpg", ".jpeg")),
        float(cv2.Laplacian(g, cv2.CV_32F).var()),
        float(np.median(np.abs(residual))),
        float(g.mean()),
        float(g.std()),
    ]


def cue_auc(dataset: Path, folds: int = 5) -> tuple[float, int]:
    """Cross-validated ROC AUC of forged-vs-genuine from file cues, and the images used.

    Args:
        dataset: a folder written by ``docfraud synth`` (labels.jsonl and images/).
        folds: cross-validation folds.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    lines = (dataset / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    x = np.array([file_cues(dataset / r["file"]) for r in records])
    y: npt.NDArray[np.bool_] = np.array([r["forgery"] is not None for r in records])
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    scores = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    return float(roc_auc_score(y, scores)), len(records)
