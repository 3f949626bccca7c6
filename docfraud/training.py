"""Retrain docfraud's models (``train.py`` and ``docfraud train``): the MRZ recogniser
(GlyphNet), the portrait embedding of link analysis (PortraitNet), the tamper detector
(TamperNet), the portrait substitution model, the ghost-portrait verifier (GhostNet) and the
fusion of all findings into the fraud score (last: it runs the pipeline with the others), each
from the project's own generated data, each evaluated on data it never saw, written to
``models/`` with its manifest entry and a Markdown model card.

``quick`` trains every model on a few hundred samples in under a minute: the CI's proof that
the whole workflow runs, not models to ship (it writes to ``data/generated/quick-models`` unless
told otherwise, so the committed models are never replaced by accident).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from docfraud.artifacts import DEFAULT_MODELS_DIR, read_manifest, write_model_card

log = logging.getLogger(__name__)

MODELS = ("glyphs", "portraits", "tamper", "substitution", "ghost", "fusion")
ARTIFACTS = {
    "glyphs": "mrz_glyphnet",
    "portraits": "portrait_net",
    "tamper": "tamper_net",
    "substitution": "portrait_substitution",
    "ghost": "ghost_net",
    "fusion": "fusion",
}
QUICK_MODELS_DIR = Path("data/generated/quick-models")
QUICK_DATA_DIR = Path("data/generated/quick-tamper")
QUICK_FUSION_DIR = Path("data/generated/quick-fusion")
QUICK_SUBSTITUTION_DIR = Path("data/generated/quick-substitution")
QUICK_GHOST_DIR = Path("data/generated/quick-ghost")


def train_models(
    models: Sequence[str] = MODELS,
    *,
    quick: bool = False,
    seed: int | None = None,
    models_dir: Path | None = None,
    data_dir: Path | None = None,
    labelled_dir: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Train ``models`` in order; returns each one's metrics. ``seed`` replaces every model's
    default seed (each model offsets it, so no two share a stream). ``labelled_dir``: confirmed
    real cases for the fusion (:mod:`docfraud.fusion.labelled`), checked before anything is
    trained."""
    from docfraud.fusion.labelled import read_labelled
    from docfraud.fusion.train import FusionTrainConfig, train_fusion
    from docfraud.imaging.train_ghost import GhostTrainConfig, train_ghostnet
    from docfraud.imaging.train_portraits import PortraitTrainConfig, train_portraitnet
    from docfraud.imaging.train_substitution import (
        SubstitutionTrainConfig,
        train_substitution,
    )
    from docfraud.imaging.train_tamper import TamperTrainConfig, train_tampernet
    from docfraud.ocr.train_glyphs import GlyphTrainConfig, train_glyphnet

    unknown = sorted(set(models) - set(MODELS))
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; choose from {list(MODELS)}")
    if labelled_dir is not None:
        read_labelled(labelled_dir)  # a bad labels.csv must not cost an hour of training first
        if "fusion" not in models:
            log.warning("labelled documents train only the fusion, which is not being trained")
    out = models_dir or (QUICK_MODELS_DIR if quick else DEFAULT_MODELS_DIR)
    out.mkdir(parents=True, exist_ok=True)
    glyphs, portraits, tamper = GlyphTrainConfig(), PortraitTrainConfig(), TamperTrainConfig()
    substitution = SubstitutionTrainConfig(models_dir=out)
    ghost = GhostTrainConfig()
    fusion = FusionTrainConfig(models_dir=out, labelled_dir=labelled_dir)
    if quick:
        glyphs = replace(glyphs, train_lines=200, eval_lines=40, epochs=1)
        portraits = replace(portraits, train_faces=100, eval_faces=40, epochs=1)
        tamper = replace(tamper, documents=60, eval_documents=60, epochs=1, data_dir=QUICK_DATA_DIR)
        substitution = replace(
            substitution,
            documents=160,
            eval_documents=60,
            data_dir=QUICK_SUBSTITUTION_DIR,
            locator_dir=DEFAULT_MODELS_DIR,
        )
        ghost = replace(
            ghost,
            documents=80,
            ghost_documents=60,
            eval_documents=40,
            eval_ghost_documents=30,
            epochs=1,
            data_dir=QUICK_GHOST_DIR,
            locator_dir=DEFAULT_MODELS_DIR,
        )
        fusion = replace(
            fusion,
            documents=40,
            text_documents=4,
            calibration_documents=20,
            data_dir=QUICK_FUSION_DIR,
            analysis_models_dir=DEFAULT_MODELS_DIR,
        )
    if seed is not None:
        glyphs = replace(glyphs, seed=seed)
        portraits = replace(portraits, seed=seed + 10)
        tamper = replace(tamper, seed=seed + 20)
        substitution = replace(substitution, seed=seed + 30)
        ghost = replace(ghost, seed=seed + 50)
        fusion = replace(fusion, seed=seed + 40)
    if data_dir is not None:
        tamper = replace(tamper, data_dir=data_dir)
        substitution = replace(substitution, data_dir=data_dir)
        ghost = replace(ghost, data_dir=data_dir)
        fusion = replace(fusion, data_dir=data_dir)
    runs: dict[str, Callable[[], Mapping[str, Any]]] = {
        "glyphs": lambda: train_glyphnet(glyphs, out),
        "portraits": lambda: train_portraitnet(portraits, out),
        "tamper": lambda: train_tampernet(tamper, out),
        "substitution": lambda: train_substitution(substitution),
        "ghost": lambda: train_ghostnet(ghost, out),
        "fusion": lambda: train_fusion(fusion),
    }
    metrics: dict[str, dict[str, Any]] = {}
    for name in MODELS:
        if name not in models:
            continue
        started = time.perf_counter()
        log.info("training %s%s into %s", name, " (quick)" if quick else "", out)
        metrics[name] = dict(runs[name]())
        entry = read_manifest(out)["artifacts"][ARTIFACTS[name]]
        write_model_card(ARTIFACTS[name], entry, out)
        log.info("%s done in %.0fs: %s", name, time.perf_counter() - started, metrics[name])
    return metrics
