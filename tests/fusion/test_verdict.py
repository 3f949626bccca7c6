"""The provisional verdict: severities combine as independent evidence."""

from __future__ import annotations

import pytest

from docfraud.fusion.verdict import FORGED_AT, SUSPICIOUS_AT, decide, fraud_score
from docfraud.types import Finding, Severity, Verdict


def _f(severity: Severity, code: str = "MRZ.CHECK_DIGIT.BIRTH_DATE") -> Finding:
    return Finding(code, severity, "test finding")


@pytest.mark.parametrize(
    ("findings", "verdict"),
    [
        ((), Verdict.GENUINE),
        ((_f(Severity.INFO),) * 10, Verdict.GENUINE),
        ((_f(Severity.WARNING),), Verdict.GENUINE),
        ((_f(Severity.WARNING),) * 4, Verdict.SUSPICIOUS),
        ((_f(Severity.CRITICAL),), Verdict.SUSPICIOUS),
        ((_f(Severity.CRITICAL),) * 2, Verdict.FORGED),
        ((_f(Severity.WARNING, "MRZ.NOT_FOUND"),), Verdict.UNREADABLE),
        ((_f(Severity.CRITICAL, "INPUT.TRUNCATED"),), Verdict.UNREADABLE),
        ((_f(Severity.CRITICAL), _f(Severity.WARNING, "MRZ.FORMAT.UNKNOWN")), Verdict.UNREADABLE),
    ],
    ids=[
        "none",
        "info-never-moves",
        "one-warning",
        "warnings-corroborate",
        "one-critical",
        "two-critical",
        "no-mrz",
        "input-error",
        "unknown-format-wins",
    ],
)
def test_decide(findings: tuple[Finding, ...], verdict: Verdict) -> None:
    assert decide(findings)[0] is verdict


def test_score_is_monotone_and_bounded() -> None:
    scores = [fraud_score([_f(Severity.WARNING)] * n) for n in range(12)]
    assert scores == sorted(scores)
    assert scores[0] == 0.0
    assert all(0.0 <= s < 1.0 for s in scores)


def test_thresholds_are_ordered() -> None:
    assert 0.0 < SUSPICIOUS_AT < FORGED_AT < 1.0
