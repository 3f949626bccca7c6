"""Portrait substitution: the located portrait's print against the page around it
(:mod:`docfraud.imaging.substitution`), and the ghost portrait's face against the main one's
(:mod:`docfraud.imaging.ghost`).

Two codes, like the tamper detector's: ``PORTRAIT.SUBSTITUTED`` where at most 1 in 100 genuine
portraits of the training templates score as high, ``PORTRAIT.SUBSTITUTED.WEAK`` at 1 in 20.
The first is critical only when strong (halfway from its threshold to 1,
:func:`~docfraud.types.is_strong`); just past its threshold it is a warning: the thresholds come
from generated portraits, and real genuine portraits (other printers, cameras, wear) reach a
little further.
"""

from __future__ import annotations

from collections.abc import Iterator

from docfraud.analysis import Analysis
from docfraud.checks.registry import CannotRun, check
from docfraud.types import Finding, Region, Severity, is_strong


@check("portrait.substitution", needs=("portrait",))
def substitution(a: Analysis) -> Iterator[Finding]:
    score = a.substitution
    if score is None:
        raise CannotRun("the portrait is too small to compare its print with the page's")
    if score.probability < score.notice:
        return
    alarm = score.probability >= score.alarm
    strong = is_strong(score.probability, score.alarm)
    level = score.alarm if alarm else score.notice
    share = "99 in 100" if alarm else "19 in 20"
    if strong:
        advice = "The photo has very likely been replaced."
    else:
        advice = (
            f"The photo may have been replaced, but genuine portraits from other printers and "
            f"cameras can score this high (a clear substitution scores "
            f"{(1 + score.alarm) / 2:.2f} or more): examine its edges and print by eye."
        )
    assert a.portrait is not None  # the runner checks ``needs``
    yield Finding(
        "PORTRAIT.SUBSTITUTED" if alarm else "PORTRAIT.SUBSTITUTED.WEAK",
        Severity.CRITICAL if strong else Severity.WARNING,
        f"The portrait's print differs from the page around it (noise, sharpness, colour, "
        f"outline): the substitution model gives {score.probability:.2f}, where {share} genuine "
        f"portraits stay below {level:.2f}. {advice}",
        field="portrait",
        region=Region(a.page, a.portrait[0].box),
        evidence=(("probability", f"{score.probability:.3f}"), ("threshold", f"{level:.3f}")),
    )


@check("portrait.ghost", needs=("portrait",))
def ghost(a: Analysis) -> Iterator[Finding]:
    """Always a warning, never critical: on generated designs it never saw GhostNet reaches its
    alarm on about 1 genuine page in 10 (its model card), ten times its rate on the designs it
    learnt from, so it asks for the eye rather than deciding (the fusion gives it no weight of
    its own until it is retrained with it)."""
    found = a.ghost
    if found is None:
        raise CannotRun("the portrait is too small, or the document's outline unknown, to search")
    if not found.faint:
        raise CannotRun(
            "no ghost portrait: the place most like the photo is printed as dark as the photo "
            "itself, which a ghost is not"
        )
    if found.different < found.notice:
        if not found.found:
            raise CannotRun("no ghost portrait (a smaller copy of the photo) beside the portrait")
        return
    alarm = found.different >= found.alarm
    level = found.alarm if alarm else found.notice
    share = "99 in 100" if alarm else "19 in 20"
    assert a.portrait is not None  # the runner checks ``needs``
    yield Finding(
        "PORTRAIT.GHOST.MISMATCH" if alarm else "PORTRAIT.GHOST.MISMATCH.WEAK",
        Severity.WARNING,
        f"The ghost portrait (the smaller copy of the photo printed in one ink) may show another "
        f"face than the main portrait: the ghost model gives {found.different:.2f} that it does, "
        f"where {share} genuine pages of the designs it learnt from stay below {level:.2f}. "
        f"Compare the two faces by eye: on designs it has not seen, a faint or heavily screened "
        f"ghost, or a rosette, can score this high.",
        field="portrait",
        region=Region(a.page, found.candidate.box),
        evidence=(
            ("probability", f"{found.different:.3f}"),
            ("threshold", f"{level:.3f}"),
            ("match", f"{found.candidate.match:.3f}"),
        ),
        related=(Region(a.page, a.portrait[0].box),),
    )
