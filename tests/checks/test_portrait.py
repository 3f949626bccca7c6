"""portrait.substitution and portrait.ghost: findings at the alarm and notice thresholds of the
substitution and ghost-portrait models, skips where they cannot run."""

from __future__ import annotations

from dataclasses import replace

from docfraud.checks.registry import run_checks
from docfraud.imaging.ghost import GhostCandidate, GhostVerdict
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


GHOST_BOX = (300, 120, 100, 125)
GHOST_QUAD = ((300.0, 120.0), (400.0, 120.0), (400.0, 245.0), (300.0, 245.0))


def _ghost(
    none: float, different: float, contrast: float = 0.4
) -> tuple[list[Finding], tuple[Skip, ...]]:
    """portrait.ghost's findings and skips for GhostNet's probabilities (alarm 0.6, notice 0.3)
    about a candidate of ``contrast`` (its tonal range over the portrait's)."""
    located = (PortraitLocation(QUAD, BOX, 0.9), PortraitPrint.of(b"\0" * 32, [0.0] * 64))
    candidate = GhostCandidate(GHOST_QUAD, GHOST_BOX, 0.71, 0.5)
    probabilities = (none, 1.0 - none - different, different)
    verdict = GhostVerdict(candidate, probabilities, contrast, 0.6, 0.3)
    a = replace(analysed(), portrait=located, ghost=verdict)
    findings, skipped = run_checks(a, strict=True)
    assert_documented(findings)
    return [f for f in findings if f.code.startswith("PORTRAIT.GHOST")], skipped


def test_a_ghost_of_another_face_is_a_warning_pointing_at_both_portraits() -> None:
    (finding,) = _ghost(0.02, 0.95)[0]
    assert (finding.code, finding.severity.label) == ("PORTRAIT.GHOST.MISMATCH", "warning")
    assert finding.region is not None and finding.region.box == GHOST_BOX
    assert [r.box for r in finding.related] == [BOX]
    assert "0.95" in finding.message and "99 in 100" in finding.message
    assert "by eye" in finding.message
    assert dict(finding.evidence)["threshold"] == "0.600"


def test_a_ghost_between_notice_and_alarm_is_the_weak_warning() -> None:
    (weak,) = _ghost(0.3, 0.4)[0]
    assert (weak.code, weak.severity.label) == ("PORTRAIT.GHOST.MISMATCH.WEAK", "warning")
    assert "19 in 20" in weak.message and "0.300" in dict(weak.evidence)["threshold"]


def test_a_ghost_of_the_same_face_is_silent() -> None:
    found, skipped = _ghost(0.05, 0.1)
    assert found == [] and not any(s.check == "portrait.ghost" for s in skipped)


def test_no_ghost_on_the_page_is_a_skip_with_its_reason() -> None:
    found, skipped = _ghost(0.9, 0.05)
    assert found == []
    assert any(s.check == "portrait.ghost" and "no ghost portrait" in s.reason for s in skipped)
    _, without = _run(0.1)  # no search was possible: a skip too
    assert any(s.check == "portrait.ghost" and "too small" in s.reason for s in without)


def test_a_candidate_as_dark_as_the_photo_is_no_ghost_whatever_the_net_says() -> None:
    found, skipped = _ghost(0.02, 0.9, contrast=0.9)
    assert found == []
    assert any(s.check == "portrait.ghost" and "as dark as the photo" in s.reason for s in skipped)
