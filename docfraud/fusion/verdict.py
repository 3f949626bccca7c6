"""Verdict and fraud score of a page or a case, from its findings, by the calibrated fusion
model (:mod:`docfraud.fusion.model`).

The score is the model's probability that the page is forged; the verdict compares it with the
thresholds that at most 5 % (suspicious) and 1 % (forged) of genuine pages exceed, and is at
least ``suspicious`` where a critical finding stands (critical means inconsistent with a genuine
document on its own, whatever weight the model learnt for it: a stop-list hit, a case check the
model never saw, a check digit a genuine issuer may have misprinted). A page without
a readable MRZ (nor a letter to read instead) is ``unreadable`` whatever its score. A case
(documents presented together) is scored over its own findings and those of every readable
document in it: a forged passport makes the whole case suspect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from docfraud.artifacts import DEFAULT_MODELS_DIR
from docfraud.fusion.model import Fusion, load_fusion
from docfraud.types import Finding, Severity, Verdict

if TYPE_CHECKING:
    from docfraud.analysis import Analysis

UNREADABLE_CODES = frozenset({"MRZ.NOT_FOUND", "MRZ.FORMAT.UNKNOWN"})


@lru_cache(maxsize=4)
def default_fusion(models_dir: Path = DEFAULT_MODELS_DIR) -> Fusion:
    """The committed model with its training thresholds, loaded once per process."""
    return load_fusion(models_dir)


def fraud_score(findings: Iterable[Finding], fusion: Fusion | None = None) -> float:
    return round((fusion or default_fusion()).score(tuple(findings)), 4)


def is_unreadable(codes: Iterable[str]) -> bool:
    """The page has nothing to judge: no readable MRZ, or an input that could not be loaded."""
    return any(c in UNREADABLE_CODES or c.startswith("INPUT.") for c in codes)


def decide(findings: tuple[Finding, ...], fusion: Fusion | None = None) -> tuple[Verdict, float]:
    """(verdict, score). Without a readable MRZ there is nothing to judge: ``unreadable``."""
    fusion = fusion or default_fusion()
    score = fraud_score(findings, fusion)
    if is_unreadable(f.code for f in findings):
        return Verdict.UNREADABLE, score
    return by_score(score, fusion, findings), score


def by_score(score: float, fusion: Fusion, findings: Iterable[Finding]) -> Verdict:
    """The verdict of ``score`` under the thresholds, at least suspicious with a critical
    finding among ``findings``."""
    if score > fusion.thresholds.forged:
        return Verdict.FORGED
    if score > fusion.thresholds.suspicious or any(
        f.severity is Severity.CRITICAL for f in findings
    ):
        return Verdict.SUSPICIOUS
    return Verdict.GENUINE


def explained(findings: Sequence[Finding], fusion: Fusion | None = None) -> tuple[Finding, ...]:
    """``findings`` with each one's contribution to the score (:meth:`Fusion.contributions`)."""
    shares = (fusion or default_fusion()).contributions(tuple(findings))
    return tuple(replace(f, contribution=c) for f, c in zip(findings, shares, strict=True))


def decide_case(
    documents: Sequence[Analysis], case_findings: tuple[Finding, ...], fusion: Fusion | None = None
) -> tuple[Verdict, float, tuple[Finding, ...]]:
    """(verdict, score, the case findings with their contributions) of a case: unreadable only
    when no document could be read. Contributions are to the case's score, over every finding
    of the case and of its readable documents."""
    fusion = fusion or default_fusion()
    readable = [a for a in documents if a.verdict is not Verdict.UNREADABLE]
    together = case_findings + tuple(f for a in readable for f in a.findings)
    case_findings = explained(together, fusion)[: len(case_findings)]
    if not readable:
        return Verdict.UNREADABLE, fraud_score(case_findings, fusion), case_findings
    score = fraud_score(together, fusion)
    return by_score(score, fusion, together), score, case_findings
