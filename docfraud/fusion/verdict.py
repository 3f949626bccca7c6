"""Provisional verdict from findings alone, until the calibrated fusion model (issue 5) lands.

Each finding is treated as independent evidence with a weight by severity, combined as
``score = 1 - Π(1 - weight)``: one critical finding makes a document suspicious, two make it
forged; warnings need corroboration; information never moves the verdict.

A case (documents presented together) applies the same rule to its own findings and those of
every readable document in it: a forged passport makes the whole case forged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from docfraud.types import Finding, Severity, Verdict

if TYPE_CHECKING:
    from docfraud.analysis import Analysis

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
    return _by_score(score), score


def _by_score(score: float) -> Verdict:
    if score >= FORGED_AT:
        return Verdict.FORGED
    if score >= SUSPICIOUS_AT:
        return Verdict.SUSPICIOUS
    return Verdict.GENUINE


def decide_case(
    documents: Iterable[Analysis], case_findings: tuple[Finding, ...]
) -> tuple[Verdict, float]:
    """(verdict, score) of a case: unreadable only when no document could be read."""
    readable = [a for a in documents if a.verdict is not Verdict.UNREADABLE]
    if not readable:
        return Verdict.UNREADABLE, fraud_score(case_findings)
    score = fraud_score(case_findings + tuple(f for a in readable for f in a.findings))
    return _by_score(score), score
