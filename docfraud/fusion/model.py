"""The calibrated fusion: findings -> fraud score in [0, 1], with each finding's share of it.

A logistic model over two kinds of evidence, trained by :mod:`docfraud.fusion.train` on pages
the pipeline analysed (genuine and forged synthetic documents):

- one feature per finding code seen in training (present or not on the page), so a code that
  also fires on genuine documents (a worn MRZ, an expired passport) weighs little and one that
  never does weighs much;
- per severity, the number of warning and critical findings (at most :data:`SEVERITY_CAP`), so
  a code the model never saw (a new check, a case-level finding) still counts by its severity.

Information findings are not features: information never moves the verdict; neither are the
codes a model was trained to ignore (:attr:`Fusion.ignored`: a check whose alarms do not carry
over to designs it never saw). Weights are kept
non-negative (a finding never makes a page look more genuine), so a page without findings gets
the lowest score the model can give. The model is a JSON artefact (no pickle), hash-checked like
the networks. Verdict thresholds are scores that at most 5 % (suspicious) and 1 % (forged) of
genuine pages exceed, measured on genuine pages at training time or on a site's own documents
(``docfraud calibrate``).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docfraud.artifacts import DEFAULT_MODELS_DIR, verified_path
from docfraud.errors import CONFIG_CALIBRATION_INVALID, ConfigError
from docfraud.types import Finding, Severity

ARTIFACT_NAME = "fusion"
SEVERITY_CAP = 3
SEVERITY_FEATURES = {Severity.WARNING: "severity:warning", Severity.CRITICAL: "severity:critical"}
CALIBRATION_KIND = "docfraud-calibration"


def feature_counts(findings: Iterable[Finding], ignored: tuple[str, ...] = ()) -> dict[str, float]:
    """The page's features: ``code:<CODE>`` = 1 for each code present, ``severity:<level>`` =
    the number of findings of that severity (capped); findings whose code starts with one of
    ``ignored`` count for nothing."""
    out: dict[str, float] = {}
    for f in findings:
        if not weighed(f, ignored):
            continue
        out[f"code:{f.code}"] = 1.0
        key = SEVERITY_FEATURES[f.severity]
        out[key] = min(SEVERITY_CAP, out.get(key, 0.0) + 1.0)
    return out


@dataclass(frozen=True, slots=True)
class Thresholds:
    """A page is suspicious when its score exceeds ``suspicious``, forged when it exceeds
    ``forged``; ``source`` says where they were measured."""

    suspicious: float
    forged: float
    source: str


def weighed(finding: Finding, ignored: tuple[str, ...] = ()) -> bool:
    """Whether ``finding`` is a feature: not information, and not of an ignored code."""
    return finding.severity is not Severity.INFO and not finding.code.startswith(ignored)


@dataclass(frozen=True, slots=True)
class Fusion:
    version: str
    intercept: float
    weights: dict[str, float]
    thresholds: Thresholds
    ignored: tuple[str, ...] = ()
    """Code prefixes the model neither learnt from nor weighs (their findings still show, with
    no contribution): set in training (:class:`~docfraud.fusion.train.FusionTrainConfig`)."""

    def logit(self, findings: Iterable[Finding]) -> float:
        features = feature_counts(findings, self.ignored)
        return self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in features.items())

    def score(self, findings: Iterable[Finding]) -> float:
        return _sigmoid(self.logit(findings))

    @property
    def floor(self) -> float:
        """The score of a page without findings."""
        return _sigmoid(self.intercept)

    def contributions(self, findings: Sequence[Finding]) -> tuple[float, ...]:
        """Per finding, its share of the score above :attr:`floor`: the score's rise split in
        proportion to each finding's part of the logit (its code's weight, shared among the
        findings with that code, plus its share of its severity's). The shares add up to
        ``score - floor``; information findings and ignored codes get 0."""
        findings = tuple(findings)
        counted = [f for f in findings if weighed(f, self.ignored)]
        per_code = Counter(f.code for f in counted)
        per_severity = Counter(f.severity for f in counted)
        parts = []
        for f in findings:
            if not weighed(f, self.ignored):
                parts.append(0.0)
                continue
            n = per_severity[f.severity]
            severity = self.weights.get(SEVERITY_FEATURES[f.severity], 0.0)
            parts.append(
                self.weights.get(f"code:{f.code}", 0.0) / per_code[f.code]
                + severity * min(n, SEVERITY_CAP) / n
            )
        total = sum(parts)
        rise = self.score(findings) - self.floor
        return tuple(round(rise * p / total, 4) if total > 0 else 0.0 for p in parts)

    def with_thresholds(self, thresholds: Thresholds) -> Fusion:
        return replace(self, thresholds=thresholds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "intercept": self.intercept,
            "weights": dict(sorted(self.weights.items())),
            "thresholds": {
                "suspicious": self.thresholds.suspicious,
                "forged": self.thresholds.forged,
                "source": self.thresholds.source,
            },
            "ignored": list(self.ignored),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fusion:
        t = data["thresholds"]
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        if any(w < 0 or not math.isfinite(w) for w in weights.values()):
            raise ValueError("fusion weights must be finite and non-negative")
        return cls(
            str(data["version"]),
            float(data["intercept"]),
            weights,
            Thresholds(float(t["suspicious"]), float(t["forged"]), str(t["source"])),
            tuple(str(prefix) for prefix in data.get("ignored", ())),
        )


def load_fusion(models_dir: Path = DEFAULT_MODELS_DIR, calibration: Path | None = None) -> Fusion:
    """The committed fusion model (hash-checked), with a site's thresholds when ``calibration``
    names a file written by ``docfraud calibrate`` for this model version."""
    path, _ = verified_path(ARTIFACT_NAME, models_dir)
    fusion = Fusion.from_dict(json.loads(path.read_text(encoding="utf-8")))
    if calibration is None:
        return fusion
    return fusion.with_thresholds(read_calibration(calibration, fusion.version))


def read_calibration(path: Path, version: str) -> Thresholds:
    """Thresholds from a calibration file; refuses one made for another fusion version (its
    scores mean something else) or one that is not a calibration file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("kind") != CALIBRATION_KIND:
            raise ValueError("not a docfraud calibration file")
        made_for = str(data["fusion_version"])
        suspicious, forged = float(data["suspicious"]), float(data["forged"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ConfigError(
            CONFIG_CALIBRATION_INVALID, f"Cannot use calibration {path}: {err}"
        ) from err
    if made_for != version:
        raise ConfigError(
            CONFIG_CALIBRATION_INVALID,
            f"Calibration {path} was made for {made_for}, the model is {version}; run "
            "`docfraud calibrate` again.",
        )
    if not 0.0 <= suspicious <= forged <= 1.0:
        raise ConfigError(
            CONFIG_CALIBRATION_INVALID,
            f"Calibration {path}: thresholds must satisfy 0 <= suspicious <= forged <= 1.",
        )
    return Thresholds(suspicious, forged, f"calibration {path.name}")


@dataclass(frozen=True, slots=True)
class ModelThresholds:
    """A model's finding thresholds (``alarm`` at 1 in 100 genuine, ``notice`` at 1 in 20),
    measured by ``docfraud calibrate`` on a site's genuine documents for model ``version``."""

    version: str
    alarm: float
    notice: float


def read_model_thresholds(path: Path) -> dict[str, ModelThresholds]:
    """The site thresholds of the models in a calibration file, by artefact name
    (``portrait_substitution``, ``ghost_net``, ``tamper_net``); none in a file that has no
    ``models`` part."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = {
            str(name): ModelThresholds(str(m["version"]), float(m["alarm"]), float(m["notice"]))
            for name, m in data.get("models", {}).items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ConfigError(
            CONFIG_CALIBRATION_INVALID, f"Cannot use calibration {path}: {err}"
        ) from err
    for name, m in models.items():
        if not 0.0 <= m.notice <= m.alarm <= 1.0:
            raise ConfigError(
                CONFIG_CALIBRATION_INVALID,
                f"Calibration {path}: {name} thresholds must satisfy 0 <= notice <= alarm <= 1.",
            )
    return models


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
