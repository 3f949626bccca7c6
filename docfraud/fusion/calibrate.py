"""``docfraud calibrate``: verdict thresholds measured on a site's own genuine documents.

Published detectors lose much of their accuracy on a document population they were not tuned
on: the scores of genuine documents move (other printers, other scanners, worn documents). The
model stays; the thresholds are set again so that at most 5 % (suspicious) and 1 % (forged) of
this site's genuine pages exceed them. Unreadable pages are left out (they get no verdict).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from docfraud import __version__
from docfraud.fusion.model import CALIBRATION_KIND
from docfraud.fusion.train import FORGED_RATE, SUSPICIOUS_RATE, thresholds_from
from docfraud.types import Verdict

if TYPE_CHECKING:
    from docfraud.pipeline import Analyzer

log = logging.getLogger(__name__)
MIN_PAGES_FOR_FORGED = 100
"""Below this many genuine pages the 1 % threshold is the highest score seen, and the file says
so: the false-alarm rate it promises cannot be measured on fewer."""


def calibrate(analyzer: Analyzer, files: Sequence[str], out: Path) -> dict[str, Any]:
    """Analyse ``files`` (genuine documents), write the calibration to ``out``; returns it."""
    scores, unreadable = [], 0
    for k, path in enumerate(files, 1):
        for analysis in analyzer.analyze_path(path):
            if analysis.verdict is Verdict.UNREADABLE:
                unreadable += 1
            else:
                scores.append(analysis.fraud_score)
        if k % 50 == 0:
            log.info("calibrate: %d/%d files", k, len(files))
    fusion = analyzer.fusion
    thresholds = thresholds_from(np.array(scores), fusion.floor, "calibration")
    data = {
        "kind": CALIBRATION_KIND,
        "fusion_version": fusion.version,
        "suspicious": thresholds.suspicious,
        "forged": thresholds.forged,
        "false_alarm_rates": {"suspicious": SUSPICIOUS_RATE, "forged": FORGED_RATE},
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
