"""Site calibration of the models' finding thresholds: measured on the site's genuine pages,
only raised on too few of them, applied before the verdict thresholds, and loaded by the
analyzer for the model version they were measured on."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from docfraud.analysis import Analysis
from docfraud.config import AnalysisConfig
from docfraud.errors import CONFIG_CALIBRATION_INVALID, ConfigError
from docfraud.fusion.calibrate import (
    MIN_PAGES_FOR_FORGED,
    model_thresholds,
    site_threshold,
    under_site_thresholds,
)
from docfraud.pipeline import Analyzer

PASSPORT = Path(__file__).resolve().parents[2] / "data" / "samples" / "utopia_passport.png"


@pytest.fixture(scope="module")
def page(analyzer: Analyzer) -> Analysis:
    (analysis,) = analyzer.analyze_path(PASSPORT)
    assert analysis.substitution is not None, "the sample passport's portrait is scored"
    return analysis


def _scored(page: Analysis, probabilities: Any) -> list[Analysis]:
    assert page.substitution is not None
    return [
        replace(page, substitution=replace(page.substitution, probability=float(p)))
        for p in probabilities
    ]


def _codes(analysis: Analysis) -> set[str]:
    return {f.code for f in analysis.findings}


def test_enough_pages_set_the_thresholds_at_the_sites_quantiles(
    analyzer: Analyzer, page: Analysis
) -> None:
    """A site whose genuine portraits all score low gets lower thresholds than training's."""
    assert analyzer.substitution is not None
    values = np.linspace(0.0, 0.2, 2 * MIN_PAGES_FOR_FORGED)
    site = model_thresholds(analyzer, _scored(page, values))["portrait_substitution"]
    assert site["version"] == analyzer.substitution.version
    assert site["enough_pages_to_lower"] is True and site["pages"] == len(values)
    # 200 pages: 2 may reach the alarm, 10 the notice; the next four-decimal value above
    assert site["alarm"] == math.ceil(values[-3] * 10_000) / 10_000
    assert site["notice"] == math.ceil(values[-11] * 10_000) / 10_000 < site["alarm"]
    assert site["alarm"] < analyzer.substitution.alarm
    assert site["training"] == {
        "alarm": analyzer.substitution.alarm,
        "notice": analyzer.substitution.notice,
    }


def test_too_few_pages_only_ever_raise_the_thresholds(analyzer: Analyzer, page: Analysis) -> None:
    assert analyzer.substitution is not None
    training = analyzer.substitution.alarm, analyzer.substitution.notice
    low = model_thresholds(analyzer, _scored(page, [0.01] * 10))["portrait_substitution"]
    assert (low["alarm"], low["notice"]) == training
    assert low["enough_pages_to_lower"] is False
    high = model_thresholds(analyzer, _scored(page, [0.01] * 9 + [0.97]))["portrait_substitution"]
    assert high["alarm"] == 0.9701  # the genuine 0.97 must not reach it
    none = model_thresholds(analyzer, [])["portrait_substitution"]
    assert (none["alarm"], none["notice"], none["pages"]) == (*training, 0)


def test_a_page_is_concluded_again_under_the_sites_thresholds(
    analyzer: Analyzer, page: Analysis
) -> None:
    """The same portrait score is a finding under low thresholds and none under high ones."""
    assert page.substitution is not None
    p = page.substitution.probability
    models: dict[str, dict[str, Any]] = {
        "portrait_substitution": {"alarm": p / 2, "notice": p / 4},
    }
    flagged = analyzer.conclude(under_site_thresholds(page, models))
    assert "PORTRAIT.SUBSTITUTED" in _codes(flagged)
    models["portrait_substitution"] = {"alarm": 1.0, "notice": 1.0}
    quiet = analyzer.conclude(under_site_thresholds(page, models))
    assert not {"PORTRAIT.SUBSTITUTED", "PORTRAIT.SUBSTITUTED.WEAK"} & _codes(quiet)


def _calibration(tmp_path: Path, analyzer: Analyzer, **model: object) -> Path:
    assert analyzer.substitution is not None
    entry = {"version": analyzer.substitution.version, "alarm": 0.9, "notice": 0.8, **model}
    path = tmp_path / "calibration.json"
    path.write_text(
        json.dumps(
            {
                "kind": "docfraud-calibration",
                "fusion_version": analyzer.fusion.version,
                "suspicious": 0.5,
                "forged": 0.9,
                "models": {"portrait_substitution": entry},
            }
        )
    )
    return path


def test_the_analyzer_judges_with_the_sites_model_thresholds(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    site = Analyzer(AnalysisConfig(calibration=_calibration(tmp_path, analyzer)))
    assert site.substitution is not None
    assert (site.substitution.alarm, site.substitution.notice) == (0.9, 0.8)


@pytest.mark.parametrize(
    "model",
    [{"version": "portrait_substitution-0"}, {"notice": 0.95}, {"alarm": "high"}],
    ids=["other-version", "notice-above-alarm", "not-a-number"],
)
def test_bad_model_thresholds_are_refused(
    analyzer: Analyzer, tmp_path: Path, model: dict[str, object]
) -> None:
    with pytest.raises(ConfigError) as err:
        Analyzer(AnalysisConfig(calibration=_calibration(tmp_path, analyzer, **model)))
    assert err.value.code == CONFIG_CALIBRATION_INVALID


@pytest.mark.parametrize(
    ("genuine", "rate", "expected"),
    [([0.5, 0.25, 0.125], 0.01, 0.5001), ([0.12345], 0.01, 0.1235), ([0.3] * 10, 0.5, 0.3001)],
)
def test_a_site_threshold_is_just_above_what_may_not_reach_it(
    genuine: list[float], rate: float, expected: float
) -> None:
    assert site_threshold(genuine, rate, 0.7) == expected
