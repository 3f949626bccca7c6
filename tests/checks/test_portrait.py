"""portrait.substitution: findings at the alarm and notice thresholds of the substitution model."""

from __future__ import annotations

from dataclasses import replace

from docfraud.checks.registry import run_checks
from docfraud.imaging.portrait import PortraitLocation, PortraitPrint
from docfraud.imaging.substitution import SubstitutionScore
from docfraud.types import Finding, Skip

from .conftest import analysed, assert_documented

BOX = (40, 90, 200, 250)
QUAD = ((40.0, 90.0), (240.0, 90.0), (240.0, 340.0), (40.0, 340.0))


def _run(probability: float | None) -> tuple[list[Finding], tuple[Skip, ...]]:
    located = (PortraitLocation(QUAD, BOX, 0.9), PortraitPrint.of(b"\0" * 32, [0.0] * 64))
    score = None if probability is None else SubstitutionScore(probability, 0.8, 0.5)
    a = replace(analysed(), portrait=located, substitution=score)
    findings, skipped = run_checks(a, strict=True)
    assert_documented(findings)
    return [f for f in findings if f.code.startswith("PORTRAIT.")], skipped


def test_a_portrait_above_the_alarm_is_critical_with_its_box() -> None:
    (finding,) = _run(0.93)[0]
    assert finding.code == "PORTRAIT.SUBSTITUTED"
    assert finding.severity.label == "critical"
    assert finding.region is not None and finding.region.box == BOX
    assert "0.93" in finding.message and "99 in 100" in finding.message
    assert dict(finding.evidence) == {"probability": "0.930", "threshold": "0.800"}


def test_just_past_the_alarm_is_a_warning_that_asks_for_the_eye() -> None:
    (finding,) = _run(0.85)[0]  # alarm 0.8: strong from 0.9
    assert (finding.code, finding.severity.label) == ("PORTRAIT.SUBSTITUTED", "warning")
    assert "0.90 or more" in finding.message and "by eye" in finding.message
    assert _run(0.9)[0][0].severity.label == "critical"


def test_between_the_thresholds_is_a_warning_and_below_is_silent() -> None:
    (weak,) = _run(0.6)[0]
    assert (weak.code, weak.severity.label) == ("PORTRAIT.SUBSTITUTED.WEAK", "warning")
    assert _run(0.49)[0] == []


def test_no_score_is_a_skip_with_its_reason() -> None:
    found, skipped = _run(None)
    assert found == []
    assert any(s.check == "portrait.substitution" and "too small" in s.reason for s in skipped)


def test_a_page_without_portrait_skips_it() -> None:
    _, skipped = run_checks(analysed(), strict=True)
    assert any(s.check == "portrait.substitution" for s in skipped)
