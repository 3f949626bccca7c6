"""tamper.regions: findings at the alarm and notice thresholds, with what they cover."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from docfraud.analysis import Analysis
from docfraud.checks.registry import run_checks
from docfraud.imaging.tampernet import TamperMap
from docfraud.types import Finding, Region, Severity, Skip

from .conftest import PASSPORT, analysed, assert_documented, printed, viz_of

BIRTH_BOX = (400, 300, 120, 24)


def _with_map(probability: np.ndarray) -> tuple[Analysis, list[Finding], tuple[Skip, ...]]:
    """The fixture passport, its printed date of birth at BIRTH_BOX, with a map of 8-px cells."""
    birth = replace(printed("birth_date", "12.08.1974", "1974-08-12"), region=Region(0, BIRTH_BOX))
    a = analysed(viz=viz_of(PASSPORT, birth_date=birth))
    tamper = TamperMap(probability.astype(np.float32), 8.0, alarm=0.9, notice=0.6)
    a = replace(a, tamper=tamper)
    findings, skipped = run_checks(a, strict=True)
    assert_documented(findings)
    return a, [f for f in findings if f.code.startswith("TAMPER.")], skipped


def test_a_high_area_is_a_critical_finding_with_its_box_and_what_it_covers() -> None:
    x, y, w, h = BIRTH_BOX
    p = np.zeros((88, 125))
    p[y // 8 : (y + h) // 8 + 1, x // 8 : (x + w) // 8 + 1] = 0.97
    _, found, _ = _with_map(p)
    assert [f.code for f in found] == ["TAMPER.REGION"]
    finding = found[0]
    assert finding.severity is Severity.CRITICAL
    assert "over the printed date of birth:" in finding.message
    assert "0.97" in finding.message
    assert "viz.birth_date" in dict(finding.evidence)["covers"]
    fx, fy, fw, fh = finding.region.box if finding.region else (0, 0, 0, 0)
    assert fx <= x and fy <= y and fx + fw >= x + w and fy + fh >= y + h


def test_an_area_just_past_the_alarm_is_a_warning() -> None:
    p = np.zeros((88, 125))
    p[10:13, 10:14] = 0.93  # alarm 0.9: strong from 0.95
    _, found, _ = _with_map(p)
    assert [(f.code, f.severity) for f in found] == [("TAMPER.REGION", Severity.WARNING)]
    assert found[0].message.endswith("by eye.")


def test_a_middling_area_is_a_warning_and_a_low_map_says_nothing() -> None:
    p = np.zeros((88, 125))
    p[10:13, 10:14] = 0.7
    _, found, _ = _with_map(p)
    assert [(f.code, f.severity) for f in found] == [("TAMPER.REGION.WEAK", Severity.WARNING)]
    _, quiet, _ = _with_map(np.full((88, 125), 0.5))
    assert quiet == []


def test_findings_per_page_are_capped_and_the_rest_counted() -> None:
    p = np.zeros((88, 125))
    for k in range(8):
        p[5 + 10 * k : 7 + 10 * k, 5:8] = 0.95
    _, found, _ = _with_map(p)
    assert len(found) == 5
    assert dict(found[-1].evidence)["further_regions"] == "3"


def test_without_a_map_the_check_says_it_could_not_run() -> None:
    a = analysed(viz=viz_of(PASSPORT))
    assert a.tamper is None
    assert any(s.check == "tamper.regions" and "detection is off" in s.reason for s in a.skipped)
