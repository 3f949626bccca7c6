"""Train the fusion model: run the whole pipeline over generated genuine and forged documents,
fit a non-negative logistic model (scikit-learn) over their findings, evaluate it on held-out
templates and the held-out forgery type, and set the verdict thresholds on genuine pages it was
not fitted on.

Every image is analysed with the MRZ and the models (TamperNet on); the first
``text_documents`` documents are analysed a second time with the visual zone read, so the
checks that need it (MRZ against the printed fields) get weights too. Pages are the unit:
a card's front and back are two pages, each with its own findings and label. Pages the pipeline
calls unreadable (no MRZ read, e.g. a card's front) are left out of the fit, the thresholds and
the evaluation: they never get a verdict from the score, and their findings (``MRZ.NOT_FOUND``)
say nothing about forgery; kept, they let a labelled set whose forged pages are more often
fronts than its genuine ones teach the model that an unread MRZ is evidence. Generated pages
the generator printed no MRZ on are therefore not analysed at all (:func:`prints_mrz`): a third
of the pages, three minutes of the training, and none of them was ever judged (checked on the
default sets: 675 such analyses, all unreadable).

Confirmed real cases (``labelled_dir``, see :mod:`docfraud.fusion.labelled`) are analysed as
``docfraud scan`` does (visual zone read); three quarters join the fit, each page weighing
``labelled_weight`` generated pages, and the rest are evaluated apart (``labelled`` in the
metrics). The thresholds stay those of generated genuine pages: a site's own are set by
``docfraud calibrate``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from docfraud.artifacts import save_json_artifact
from docfraud.fusion.labelled import LabelledSet, read_labelled
from docfraud.fusion.model import ARTIFACT_NAME, Fusion, Thresholds, feature_counts
from docfraud.fusion.verdict import is_unreadable
from docfraud.parallel import process_pool
from docfraud.types import Finding, Severity

log = logging.getLogger(__name__)

SUSPICIOUS_RATE = 0.05
FORGED_RATE = 0.01
CALIBRATION_EVERY = 4
"""Every fourth training-split document is kept out of the fit: its genuine pages set the
thresholds (scores of pages the model was fitted on would be optimistic), with those of the
genuine-only calibration set (``calibration_documents``)."""
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
    version: str = "5"
    seed: int = 3121
    documents: int = 900
    text_documents: int = 120
    calibration_documents: int = 400
    """Genuine documents of the training templates (seed + 1), never fitted on: with the
    calibration quarter's about 480 genuine pages, where 130 would put the 1 % threshold at
    the second-highest score."""
    misprint_share: float = 0.02
    """Genuine documents printed with one wrong check digit (see
    :func:`docfraud.synth.dataset.misprinted_check`): without any, a check digit that fails
    as read is, to the model, proof of forgery, and real specimens that misprint them score
    as forged."""
    workers: int = 2
    regularisation: float = 1.0
    """scikit-learn's C: the inverse strength of the L2 penalty."""
    scan_date: date = date(2026, 6, 1)
    data_dir: Path = Path("data/generated/fusion")
    models_dir: Path = field(default=Path("models"))
    labelled_dir: Path | None = None
    """A folder of confirmed real cases with its labels.csv (:mod:`docfraud.fusion.labelled`)."""
    labelled_weight: float = 4.0
    """How many generated pages one labelled page counts as in the fit."""
    analysis_models_dir: Path | None = None
    """The models the pipeline analyses with (default: ``models_dir``; ``--quick`` uses the
    committed ones, since its one-epoch MRZ reader leaves most pages unread)."""
    ignored: tuple[str, ...] = ("PORTRAIT.GHOST.",)
    """Codes (prefixes) the model neither learns from nor weighs. The ghost check: GhostNet
    alarms on about 1 genuine page in 10 of the designs it never saw (its model card), against
    1 in 100 of those it learnt from, so a weight learnt on the training designs raises genuine
    pages of new designs (weighed, the fusion's AUC on held-out templates fell from 0.61 to 0.55
    and a second genuine specimen turned forged)."""


Job = tuple[str, bool, int | None, date | None]
"""Path, visual zone read or not, the page (None: every page) and its scan date (None: the
training's)."""
_WORKER: dict[Any, Any] = {}


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
    _WORKER["scan_date"] = scan_date


def _findings_of(job: Job) -> list[list[tuple[str, int]]]:
    """Per page asked for, (code, severity) of every finding on it; none for a file that
    cannot be loaded (the caller leaves out the pages the pipeline calls unreadable)."""
    path, read_text, page, scan_date = job
    analyzer = _WORKER[read_text]
    analyzer.config = replace(analyzer.config, scan_date=scan_date or _WORKER["scan_date"])
    analyses = analyzer.analyze_path(path)
    chosen = analyses if page is None else analyses[page : page + 1]
    return [
        [(f.code, int(f.severity)) for f in a.findings] for a in chosen if a.image_size is not None
    ]


def analyse(
    jobs: Sequence[Job], models_dir: Path, scan_date: date, workers: int
) -> list[list[list[tuple[str, int]]]]:
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
    pages: Sequence[tuple[Finding, ...]],
    forged: npt.NDArray[np.bool_],
    regularisation: float,
    sample_weight: npt.NDArray[np.float64] | None = None,
    ignored: tuple[str, ...] = (),
) -> tuple[float, dict[str, float]]:
    """Intercept and weights of a logistic model whose weights are all ≥ 0: fit, drop the
    features that came out negative (evidence that, given the rest, goes with genuine pages: a
    finding must never lower the score), fit again, until none is. ``sample_weight``: how much
    each page counts (default: all alike); ``ignored``: code prefixes left out of the features."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if forged.all() or not forged.any():
        raise ValueError("the fitted pages are all genuine or all forged; generate more documents")
    rows = [feature_counts(p, ignored) for p in pages]
    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform(rows)
    names = list(vectorizer.get_feature_names_out())
    kept = np.ones(len(names), bool)
    while True:
        model = LogisticRegression(C=regularisation, max_iter=2000)
        model.fit(x[:, kept], forged, sample_weight=sample_weight)
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
    return Thresholds(_round_up(suspicious), _round_up(forged), source)


def _round_up(score: float) -> float:
    """Four decimals, rounded up: a threshold rounded down could fall below the floor (a page
    without findings would then be suspicious) or let more genuine pages exceed it."""
    return math.ceil(score * 10_000) / 10_000


def evaluate(
    fusion: Fusion, pages: Sequence[tuple[Finding, ...]], records: Sequence[dict[str, Any]]
) -> dict[str, dict[str, float]]:
    """Per held-out split, ROC AUC and catch rates at the model's thresholds (genuine pages of
    the held-out templates, or of the calibration documents for the held-out forgery type; the
    held-out labelled documents on their own). A split without both kinds of page gives its
    counts and what it can measure."""
    from docfraud.imaging.train_tamper import roc_auc

    scores = np.array([fusion.score(p) for p in pages])
    split = np.array([r["split"] for r in records])
    forged = np.array([r["label"] == "forged" for r in records])
    calibration = np.array([bool(r["calibration"]) for r in records])
    negatives = {
        "test_template": (split == "test_template") & ~forged,
        "test_forgery": calibration & ~forged,
        "labelled": (split == "labelled_test") & ~forged,
    }
    positives_of = {"labelled": (split == "labelled_test") & forged}
    out: dict[str, dict[str, float]] = {}
    for name, genuine_of in negatives.items():
        genuine = scores[genuine_of]
        positives = scores[positives_of.get(name, (split == name) & forged)]
        if name != "labelled" and (not len(genuine) or not len(positives)):
            continue
        if name == "labelled" and not len(genuine) and not len(positives):
            continue
        rates: dict[str, float] = {"genuine": int(len(genuine)), "forged": int(len(positives))}
        if len(genuine) and len(positives):
            rates["roc_auc"] = round(roc_auc(genuine, positives), 4)
        if len(positives):
            rates["forged_caught_suspicious"] = _share(positives > fusion.thresholds.suspicious)
            rates["forged_caught_forged"] = _share(positives > fusion.thresholds.forged)
        if len(genuine):
            rates["genuine_suspicious_or_worse"] = _share(genuine > fusion.thresholds.suspicious)
        out[name] = rates
    return out


def _previous_on_labelled(
    models_dir: Path, pages: Sequence[tuple[Finding, ...]], records: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """The model being replaced, measured on the same held-out labelled pages: whether feeding
    back the confirmed cases helped."""
    from docfraud.errors import DependencyError
    from docfraud.fusion.model import load_fusion

    if not any(r["split"] == "labelled_test" for r in records):
        return {}
    try:
        previous = load_fusion(models_dir)
    except DependencyError:
        return {}
    measured = evaluate(previous, pages, records).get("labelled")
    return (
        {"labelled_previous_model": {"version": previous.version, **measured}} if measured else {}
    )


def _share(flags: npt.NDArray[np.bool_]) -> float:
    return round(float(np.mean(flags)), 4)


def train_fusion(config: FusionTrainConfig = FusionTrainConfig()) -> dict[str, Any]:
    from docfraud.imaging.train_tamper import dataset, read_labels
    from docfraud.synth.seizure import default_templates

    started = time.perf_counter()
    labelled = read_labelled(config.labelled_dir) if config.labelled_dir else None
    root = dataset(
        config.data_dir / f"set-{config.seed}",
        config.documents,
        config.seed,
        config.workers,
        misprint_share=config.misprint_share,
    )
    labels = read_labels(root)
    documents = sorted({str(r["document_id"]) for r in labels})
    with_text = set(documents[: config.text_documents])
    calibration = set(documents[::CALIBRATION_EVERY])
    asked: list[dict[str, Any]] = []
    jobs: list[Job] = []
    without_mrz = 0
    for r in labels:
        if not prints_mrz(r):
            without_mrz += 1
            continue
        for read_text in (False, True) if r["document_id"] in with_text else (False,):
            asked.append({**r, "calibration": r["document_id"] in calibration, "weight": 1.0})
            jobs.append((str(root / r["file"]), read_text, 0, None))
    if config.calibration_documents:
        genuine_root = dataset(
            config.data_dir / f"calibration-{config.seed + 1}",
            config.calibration_documents,
            config.seed + 1,
            config.workers,
            misprint_share=config.misprint_share,
            forged_share=0.0,
            templates=tuple(t.name for t in default_templates()),
        )
        for r in read_labels(genuine_root):
            if not prints_mrz(r):
                without_mrz += 1
                continue
            asked.append({**r, "calibration": True, "weight": 1.0})
            jobs.append((str(genuine_root / r["file"]), False, 0, None))
    for d in labelled.documents if labelled else ():
        split = "labelled_test" if d.held_out else "labelled_train"
        asked.append(
            {
                "split": split,
                "label": d.label,
                "calibration": False,
                "weight": config.labelled_weight,
                "line": d.line,
            }
        )
        jobs.append((str(d.path), True, d.page, d.scan_date))
    log.info("analysing %d images (%d documents generated)", len(jobs), len(documents))
    records: list[dict[str, Any]] = []
    pages: list[tuple[Finding, ...]] = []
    not_loaded = 0
    unreadable = 0
    for record, found in zip(
        asked,
        analyse(
            jobs, config.analysis_models_dir or config.models_dir, config.scan_date, config.workers
        ),
        strict=True,
    ):
        judged = [f for f in found if not is_unreadable(code for code, _ in f)]
        unreadable += len(found) - len(judged)
        not_loaded += not found
        if not found and "line" in record:
            log.warning(
                "labels.csv line %d: no page analysed (the file cannot be loaded, or has no "
                "such page); left out",
                record["line"],
            )
        records.extend(record for _ in judged)
        pages.extend(as_findings(f) for f in judged)
    forged = np.array([r["label"] == "forged" for r in records])
    fitted = np.array(
        [
            (r["split"] == "train" and not r["calibration"]) or r["split"] == "labelled_train"
            for r in records
        ]
    )
    intercept, weights = fit(
        [p for p, f in zip(pages, fitted, strict=True) if f],
        forged[fitted],
        config.regularisation,
        np.array([r["weight"] for r in records])[fitted],
        config.ignored,
    )
    fusion = Fusion(
        f"{ARTIFACT_NAME}-{config.version}",
        intercept,
        weights,
        UNTRAINED.thresholds,
        config.ignored,
    )
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
        **_previous_on_labelled(config.models_dir, pages, records),
        "fitted_pages": int(fitted.sum()),
        "labelled_fitted_pages": sum(r["split"] == "labelled_train" for r in records),
        "images_not_loaded": not_loaded,
        "unreadable_pages_left_out": unreadable,
        "generated_pages_without_mrz": without_mrz,
        "calibration_genuine_pages": int(len(genuine_calibration)),
        "features": len(weights),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    log.info("fusion metrics %s thresholds %s", metrics, fusion.thresholds)
    save(fusion, config, metrics, labelled)
    return {**metrics, "thresholds": asdict(fusion.thresholds)}


def prints_mrz(record: dict[str, Any]) -> bool:
    """The generator printed an MRZ on this page (its truth has an ``mrz`` zone). A page
    without one is unreadable to the pipeline, so analysing it would be wasted."""
    return any(zone["name"] == "mrz" for zone in record["zones"])


def save(
    fusion: Fusion,
    config: FusionTrainConfig,
    metrics: dict[str, Any],
    labelled: LabelledSet | None = None,
) -> Path:
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
            "labelled": labelled.summary() if labelled else None,
        },
        config.models_dir,
    )
