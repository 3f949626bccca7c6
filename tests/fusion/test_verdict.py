"""The verdict from findings: the fusion model's score against its thresholds."""

from __future__ import annotations

import pytest

from docfraud.fusion.model import Fusion, Thresholds
from docfraud.fusion.verdict import decide, default_fusion, explained, fraud_score
from docfraud.types import Finding, Severity, Verdict

FUSION = Fusion(
    "fusion-test",
    intercept=-3.0,
    weights={
        "code:MRZ.CHECK_DIGIT.BIRTH_DATE": 2.0,
        "severity:warning": 0.5,
        "severity:critical": 1.0,
    },
    thresholds=Thresholds(suspicious=0.3, forged=0.8, source="test"),
)


def _f(severity: Severity, code: str = "MRZ.CHECK_DIGIT.BIRTH_DATE") -> Finding:
    return Finding(code, severity, "test finding")


@pytest.mark.parametrize(
    ("findings", "verdict"),
    [
        ((), Verdict.GENUINE),
        ((_f(Severity.INFO),) * 10, Verdict.GENUINE),
        ((_f(Severity.WARNING, "VIZ.X"),), Verdict.GENUINE),
        ((_f(Severity.CRITICAL),), Verdict.SUSPICIOUS),
        ((_f(Severity.CRITICAL), _f(Severity.CRITICAL, "CODE.Y")), Verdict.SUSPICIOUS),
        ((_f(Severity.CRITICAL),) * 3 + (_f(Severity.WARNING, "VIZ.X"),), Verdict.FORGED),
        ((_f(Severity.WARNING, "MRZ.NOT_FOUND"),), Verdict.UNREADABLE),
        ((_f(Severity.CRITICAL, "INPUT.TRUNCATED"),), Verdict.UNREADABLE),
        ((_f(Severity.CRITICAL), _f(Severity.WARNING, "MRZ.FORMAT.UNKNOWN")), Verdict.UNREADABLE),
    ],
    ids=[
        "none",
        "info-never-moves",
        "one-unknown-warning",
        "one-critical",
        "two-critical",
        "corroborated",
        "no-mrz",
        "input-error",
        "unknown-format-wins",
    ],
)
def test_decide_compares_the_score_with_the_thresholds(
    findings: tuple[Finding, ...], verdict: Verdict
) -> None:
    assert decide(findings, FUSION)[0] is verdict


def test_contributions_say_what_each_finding_adds() -> None:
    """Information adds nothing; removing the weighted code drops the score by its share."""
    findings = (_f(Severity.INFO, "DOC.SPECIMEN"), _f(Severity.CRITICAL))
    info, critical = explained(findings, FUSION)
    assert info.contribution == 0.0
    assert critical.contribution == pytest.approx(
        fraud_score(findings, FUSION) - FUSION.floor, abs=1e-3
    )


def test_committed_model_keeps_a_clean_page_genuine() -> None:
    """The shipped model: no findings is genuine, and its thresholds are ordered scores."""
    fusion = default_fusion()
    assert decide((), fusion) == (Verdict.GENUINE, round(fusion.floor, 4))
    assert fusion.floor <= fusion.thresholds.suspicious <= fusion.thresholds.forged < 1.0
    assert all(w >= 0 for w in fusion.weights.values())


@pytest.mark.parametrize("code", ["WATCHLIST.HIT", "CASE.CHILD.NOT_A_MINOR"])
def test_committed_model_counts_an_unseen_critical_code_by_its_severity(code: str) -> None:
    """Findings the model never saw in training (stop-list hits, case checks) still move the
    verdict: one critical finding alone makes a page at least suspicious."""
    verdict, _ = decide((_f(Severity.CRITICAL, code),), default_fusion())
    assert verdict in {Verdict.SUSPICIOUS, Verdict.FORGED}


def test_a_critical_finding_is_at_least_suspicious_whatever_its_weight() -> None:
    """Critical means inconsistent with a genuine document on its own: a model that learnt
    little weight for a code (an unseen one, or a check digit issuers misprint) still cannot
    call the page genuine; a warning alone can stay genuine, and the score is unchanged."""
    weak = Fusion("weak", intercept=-4.0, weights={}, thresholds=Thresholds(0.5, 0.9, "test"))
    critical, warning = _f(Severity.CRITICAL, "CASE.NEW"), _f(Severity.WARNING, "CASE.NEW")
    assert fraud_score((critical,), weak) == fraud_score((), weak) < 0.5
    assert decide((critical,), weak)[0] is Verdict.SUSPICIOUS
    assert decide((warning,), weak)[0] is Verdict.GENUINE
    assert decide((critical, _f(Severity.WARNING, "MRZ.NOT_FOUND")), weak)[0] is Verdict.UNREADABLE
