"""Provisional verdict from findings alone, until the calibrated fusion model (issue 5) lands.

Each finding is treated as independent evidence with a weight by severity, combined as
``score = 1 - Π(1 - weight)``: one critical finding makes a document suspicious, two make it
forged; warnings need corroboration; information never moves the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable

from docfraud.types import Finding, Severity, Verdict

WEIGHTS = {Severity.INFO: 0.0, Severity.WARNING: 0.2, Severity.CRITICAL: 0.7}
SUSPICIOUS_AT = 0.5
FORGED_AT = 0.9
UNREADABLE_CODES = frozenset({"MRZ.NOT_FOUND", "MRZ.FORMAT.UNKNOWN"})


def fraud_score(findings: Iterable[Finding]) -> float:
    clean = 1.0
    for f in findings:
        clean *= 1.0 - WEIGHTS[f.severity]
    return round(1.0 - clean, 4)


def decide(findings: tuple[Finding, ...]) -> tuple[Verdict, float]:
    """(verdict, score). Without a readable MRZ there is nothing to judge: ``unreadable``."""
    score = fraud_score(findings)
    if any(f.code in UNREADABLE_CODES or f.code.startswith("INPUT.") for f in findings):
        return Verdict.UNREADABLE, score
    if score >= FORGED_AT:
        return Verdict.FORGED, score
    if score >= SUSPICIOUS_AT:
        return Verdict.SUSPICIOUS, score
    return Verdict.GENUINE, score
