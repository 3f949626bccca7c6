"""``docfraud calibrate``: thresholds measured on a site's own genuine documents.

Published detectors lose much of their accuracy on a document population they were not tuned
on: the scores of genuine documents move (other printers, other scanners, worn documents). The
models stay; their thresholds are set again, in two steps:

1. the models' finding thresholds: the portrait substitution model's, the ghost portrait
   model's and (with ``--tamper``) TamperNet's ``alarm`` and ``notice``, at the probabilities
   1 in 100 and 1 in 20 of this site's genuine pages reach, as at training. With fewer than
   :data:`MIN_PAGES_FOR_FORGED` pages such a quantile is the highest value seen, which says
   nothing about how low the threshold may go: a site threshold is then only ever *higher*
   than the training's;
2. the verdict thresholds: every page is concluded again under the site's model thresholds
   (the findings are a pure function of what was read) and the fused scores that at most 5 %
   (suspicious) and 1 % (forged) of the pages exceed are the new thresholds.

Unreadable pages are left out (they get no verdict).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from docfraud import __version__
from docfraud.analysis import Analysis
from docfraud.fusion.model import CALIBRATION_KIND
from docfraud.fusion.train import FORGED_RATE, SUSPICIOUS_RATE, thresholds_from
from docfraud.types import Verdict

if TYPE_CHECKING:
    from docfraud.pipeline import Analyzer

log = logging.getLogger(__name__)
MIN_PAGES_FOR_FORGED = 100
"""Below this many genuine pages the 1 % threshold is the highest score seen, and the file says
so: the false-alarm rate it promises cannot be measured on fewer."""


MODEL_ALARM_RATE, MODEL_NOTICE_RATE = 0.01, 0.05
"""The shares of genuine pages a model's alarm and notice thresholds let through (training's)."""


def calibrate(analyzer: Analyzer, files: Sequence[str], out: Path) -> dict[str, Any]:
    """Analyse ``files`` (genuine documents), write the calibration to ``out``; returns it."""
    readable: list[Analysis] = []
    unreadable = 0
    for k, path in enumerate(files, 1):
        for analysis in analyzer.analyze_path(path):
            if analysis.verdict is Verdict.UNREADABLE:
                unreadable += 1
            else:
                readable.append(analysis)
        if k % 50 == 0:
            log.info("calibrate: %d/%d files", k, len(files))
    models = model_thresholds(analyzer, readable)
    scores = [analyzer.conclude(under_site_thresholds(a, models)).fraud_score for a in readable]
    fusion = analyzer.fusion
    thresholds = thresholds_from(np.array(scores), fusion.floor, "calibration")
    data = {
        "kind": CALIBRATION_KIND,
        "fusion_version": fusion.version,
        "suspicious": thresholds.suspicious,
        "forged": thresholds.forged,
        "false_alarm_rates": {"suspicious": SUSPICIOUS_RATE, "forged": FORGED_RATE},
        "models": models,
        "pages": len(scores),
        "unreadable_pages": unreadable,
        "files": len(files),
        "read_text": analyzer.config.read_text,
        "detect_tampering": analyzer.config.detect_tampering,
        "enough_pages_for_forged": len(scores) >= MIN_PAGES_FOR_FORGED,
        "training_thresholds": {
            "suspicious": fusion.thresholds.suspicious,
            "forged": fusion.thresholds.forged,
        },
        "docfraud_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return data


def model_thresholds(analyzer: Analyzer, pages: Sequence[Analysis]) -> dict[str, dict[str, Any]]:
    """Each model's site thresholds, by artefact name, for the models ``analyzer`` runs."""
    measured: list[tuple[str, str, float, float, list[float]]] = []
    if analyzer.substitution is not None:
        model = analyzer.substitution
        values = [a.substitution.probability for a in pages if a.substitution is not None]
        measured.append(("portrait_substitution", model.version, model.alarm, model.notice, values))
    if analyzer.ghosts is not None:
        ghosts = analyzer.ghosts
        odds = [a.ghost.different for a in pages if a.ghost is not None]
        measured.append(("ghost_net", ghosts.version, ghosts.alarm, ghosts.notice, odds))
    if analyzer.tamper is not None:
        tamper = analyzer.tamper
        peaks = [a.tamper.peak for a in pages if a.tamper is not None]
        measured.append(("tamper_net", tamper.version, tamper.alarm, tamper.notice, peaks))
    models = {}
    for name, version, alarm, notice, values in measured:
        site_alarm = site_threshold(values, MODEL_ALARM_RATE, alarm)
        site_notice = site_threshold(values, MODEL_NOTICE_RATE, notice)
        enough = len(values) >= MIN_PAGES_FOR_FORGED
        if not enough:  # too few pages to show that a lower threshold is safe
            site_alarm, site_notice = max(site_alarm, alarm), max(site_notice, notice)
        models[name] = {
            "version": version,
            "alarm": site_alarm,
            "notice": min(site_notice, site_alarm),
            "pages": len(values),
            "enough_pages_to_lower": enough,
            "training": {"alarm": alarm, "notice": notice},
        }
    return models


def site_threshold(genuine: Sequence[float], rate: float, training: float) -> float:
    """The lowest four-decimal probability that at most ``rate`` of ``genuine`` reach (a score
    reaches a threshold it equals); ``training`` when there are none."""
    if not genuine:
        return training
    ordered = sorted(genuine, reverse=True)
    allowed = math.floor(rate * len(ordered))
    if allowed >= len(ordered):
        return 0.0
    highest = ordered[allowed]
    above = math.ceil(highest * 10_000) / 10_000
    return above if above > highest else round(above + 0.0001, 4)


def under_site_thresholds(analysis: Analysis, models: dict[str, dict[str, Any]]) -> Analysis:
    """``analysis`` with its model scores judged by the site's thresholds in ``models``."""
    substitution, ghost, tamper = analysis.substitution, analysis.ghost, analysis.tamper
    if substitution is not None and "portrait_substitution" in models:
        site = models["portrait_substitution"]
        substitution = replace(substitution, alarm=site["alarm"], notice=site["notice"])
    if ghost is not None and "ghost_net" in models:
        site = models["ghost_net"]
        ghost = replace(ghost, alarm=site["alarm"], notice=site["notice"])
    if tamper is not None and "tamper_net" in models:
        site = models["tamper_net"]
        tamper = replace(tamper, alarm=site["alarm"], notice=site["notice"])
    return replace(analysis, substitution=substitution, ghost=ghost, tamper=tamper)
