"""Portrait substitution: the located portrait's print against the page around it
(:mod:`docfraud.imaging.substitution`).

Two levels, like the tamper detector's: ``PORTRAIT.SUBSTITUTED`` where at most 1 in 100 genuine
portraits of the training templates score as high, ``PORTRAIT.SUBSTITUTED.WEAK`` at 1 in 20,
which needs corroboration like any warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from docfraud.analysis import Analysis
from docfraud.checks.registry import CannotRun, check
from docfraud.types import Finding, Region, Severity


@check("portrait.substitution", needs=("portrait",))
def substitution(a: Analysis) -> Iterator[Finding]:
    score = a.substitution
    if score is None:
        raise CannotRun("the portrait is too small to compare its print with the page's")
    if score.probability < score.notice:
        return
    alarm = score.probability >= score.alarm
    level = score.alarm if alarm else score.notice
    share = "99 in 100" if alarm else "19 in 20"
    assert a.portrait is not None  # the runner checks ``needs``
    yield Finding(
        "PORTRAIT.SUBSTITUTED" if alarm else "PORTRAIT.SUBSTITUTED.WEAK",
        Severity.CRITICAL if alarm else Severity.WARNING,
        f"The portrait's print differs from the page around it (noise, sharpness, colour, "
        f"outline): the substitution model gives {score.probability:.2f}, where {share} genuine "
        f"portraits stay below {level:.2f}. The photo may have been replaced.",
        field="portrait",
        region=Region(a.page, a.portrait[0].box),
        evidence=(("probability", f"{score.probability:.3f}"), ("threshold", f"{level:.3f}")),
    )
