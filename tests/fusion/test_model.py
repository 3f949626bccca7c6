"""The fusion model: features, monotone scores, contributions, calibration files, fitting."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docfraud.errors import CONFIG_CALIBRATION_INVALID, ConfigError
from docfraud.fusion.model import (
    CALIBRATION_KIND,
    SEVERITY_CAP,
    Fusion,
    Thresholds,
    feature_counts,
    read_calibration,
)
from docfraud.fusion.train import fit, thresholds_from
from docfraud.types import Finding, Severity

CODES = ("MRZ.CHECK_DIGIT.BIRTH_DATE", "VIZ_MRZ.SURNAME", "DATE.EXPIRED", "NEW.CODE")


def _f(code: str, severity: Severity = Severity.CRITICAL) -> Finding:
    return Finding(code, severity, "")


findings_strategy = st.lists(
    st.builds(_f, st.sampled_from(CODES), st.sampled_from(list(Severity))), max_size=8
)
fusion_strategy = st.builds(
    lambda b, w: Fusion(
        "f",
        b,
        dict(zip([f"code:{c}" for c in CODES[:3]], w, strict=False)),
        Thresholds(0.5, 0.9, "t"),
    ),
    st.floats(-5, 2),
    st.lists(st.floats(0, 4), min_size=3, max_size=3),
)


def test_features_ignore_information_and_cap_severity_counts() -> None:
    found = [_f("A", Severity.INFO)] + [_f("B")] * 5 + [_f("C", Severity.WARNING)]
    assert feature_counts(found) == {
        "code:B": 1.0,
        "code:C": 1.0,
        "severity:critical": float(SEVERITY_CAP),
        "severity:warning": 1.0,
    }


@given(fusion_strategy, findings_strategy, st.builds(_f, st.sampled_from(CODES)))
@settings(max_examples=200, deadline=None)
def test_a_finding_never_lowers_the_score(
    fusion: Fusion, findings: list[Finding], extra: Finding
) -> None:
    before = fusion.score(findings)
    after = fusion.score([*findings, extra])
    assert after >= before - 1e-12
    assert 0.0 <= after <= 1.0
    assert all(c >= -1e-9 for c in fusion.contributions([*findings, extra]))


def test_ignored_codes_neither_score_nor_contribute_and_survive_saving() -> None:
    weights = {"code:B": 1.0, "code:GHOST.X": 2.0, "severity:warning": 0.5}
    fusion = Fusion("f", -2.0, weights, Thresholds(0.5, 0.9, "t"), ignored=("GHOST.",))
    ghost = _f("GHOST.X", Severity.WARNING)
    assert feature_counts([ghost, _f("B")], ("GHOST.",)) == {
        "code:B": 1.0,
        "severity:critical": 1.0,
    }
    assert fusion.score([ghost]) == fusion.floor
    assert fusion.score([ghost, _f("B")]) == fusion.score([_f("B")]) > fusion.floor
    assert fusion.contributions([ghost, _f("B")])[0] == 0.0
    loaded = Fusion.from_dict(json.loads(json.dumps(fusion.to_dict())))
    assert loaded == fusion
    older = fusion.to_dict()
    del older["ignored"]  # a model saved before models could ignore codes weighs every code
    assert Fusion.from_dict(older).score([ghost]) > fusion.floor


def test_fit_leaves_ignored_codes_out() -> None:
    pages = [(_f("B"), _f("GHOST.X")), (_f("GHOST.X"),), (), (_f("B"),)] * 5
    forged = np.array([True, True, False, False] * 5)  # only the ghost code tells them apart
    _, weighed_all = fit(pages, forged, regularisation=1.0)
    _, weights = fit(pages, forged, regularisation=1.0, ignored=("GHOST.",))
    assert weighed_all["code:GHOST.X"] > 0
    assert not any("GHOST" in name for name in weights)


def test_negative_weights_are_refused() -> None:
    data = Fusion("f", 0.0, {"code:X": 1.0}, Thresholds(0.5, 0.9, "t")).to_dict()
    data["weights"]["code:X"] = -0.1
    with pytest.raises(ValueError, match="non-negative"):
        Fusion.from_dict(data)


def _calibration(tmp_path: Path, **changes: object) -> Path:
    data = {"kind": CALIBRATION_KIND, "fusion_version": "fusion-1", "suspicious": 0.3}
    data |= {"forged": 0.6, **changes}
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_calibration_file_sets_the_thresholds(tmp_path: Path) -> None:
    got = read_calibration(_calibration(tmp_path), "fusion-1")
    assert (got.suspicious, got.forged) == (0.3, 0.6)
    assert got.source == "calibration calibration.json"


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "something else"},
        {"fusion_version": "fusion-0"},
        {"suspicious": 0.7},
        {"forged": "high"},
        {"forged": 1.5},
    ],
    ids=["not-a-calibration", "other-model", "out-of-order", "not-a-number", "above-one"],
)
def test_bad_calibration_files_are_refused(tmp_path: Path, changes: dict[str, object]) -> None:
    with pytest.raises(ConfigError) as err:
        read_calibration(_calibration(tmp_path, **changes), "fusion-1")
    assert err.value.code == CONFIG_CALIBRATION_INVALID


def test_unreadable_calibration_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(b"\xff\x00{")
    with pytest.raises(ConfigError):
        read_calibration(path, "fusion-1")
    with pytest.raises(ConfigError):
        read_calibration(tmp_path / "absent.json", "fusion-1")


@given(st.lists(st.floats(0, 1), min_size=1, max_size=400), st.floats(0, 0.5))
@settings(max_examples=200, deadline=None)
def test_thresholds_let_through_at_most_the_stated_rates(scores: list[float], floor: float) -> None:
    t = thresholds_from(np.array(scores), floor, "test")
    values = np.array(scores)
    assert floor - 1e-4 <= t.suspicious <= t.forged
    assert np.mean(values > t.suspicious + 1e-4) <= 0.05
    assert np.mean(values > t.forged + 1e-4) <= 0.01


def test_fit_weighs_forgery_evidence_and_drops_what_goes_with_genuine_pages() -> None:
    """A code only forged pages carry gets a large weight; one genuine pages carry more often
    than forged ones gets none (never negative)."""
    rng = np.random.default_rng(0)
    pages, forged = [], []
    for k in range(400):
        is_forged = k % 2 == 0
        found = []
        if is_forged and rng.random() < 0.6:
            found.append(_f("MRZ.CHECK_DIGIT.BIRTH_DATE"))
        if rng.random() < (0.1 if is_forged else 0.3):
            found.append(_f("DATE.EXPIRED", Severity.WARNING))
        pages.append(tuple(found))
        forged.append(is_forged)
    intercept, weights = fit(pages, np.array(forged), regularisation=1.0)
    assert weights["code:MRZ.CHECK_DIGIT.BIRTH_DATE"] > 1.0
    assert "code:DATE.EXPIRED" not in weights
    assert all(w > 0 for w in weights.values())
    assert intercept < 0
