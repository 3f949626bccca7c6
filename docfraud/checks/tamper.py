"""Tampering traces: the areas where TamperNet's map (:mod:`docfraud.imaging.tampernet`) rises
above the thresholds chosen on genuine documents, each a finding with its box and the printed
parts it covers (the portrait, a visual-zone field, the MRZ), so an officer knows where to look.

Two codes: ``TAMPER.REGION`` at the alarm threshold (at most 1 in 100 genuine documents of the
training templates reach it anywhere) and ``TAMPER.REGION.WEAK`` at the notice threshold (1 in
20), which needs corroboration like any warning. ``TAMPER.REGION`` is critical only when strong
(halfway from its threshold to 1, :func:`~docfraud.types.is_strong`), a warning just past it,
as the portrait check's (:mod:`docfraud.checks.portrait`).
"""

from __future__ import annotations

from collections.abc import Iterator

from docfraud.analysis import Analysis
from docfraud.checks.registry import check
from docfraud.imaging.geometry import boxes_overlap
from docfraud.types import Box, Finding, Region, Severity, is_strong

MAX_REGIONS = 5
"""Findings per page at most; the rest are counted in the last one's evidence."""
FIELD_WORDS = {
    "surname": "surname",
    "given_names": "given names",
    "document_number": "document number",
    "nationality": "nationality",
    "birth_date": "date of birth",
    "birth_place": "place of birth",
    "sex": "sex",
    "issue_date": "date of issue",
    "expiry_date": "date of expiry",
    "authority": "issuing authority",
    "personal_number": "personal number",
}


@check("tamper.regions", needs=("tamper",))
def tampered_regions(a: Analysis) -> Iterator[Finding]:
    tamper = a.tamper
    assert tamper is not None  # the runner checks ``needs``
    regions = tamper.regions(tamper.notice)
    for rank, (box, peak) in enumerate(regions[:MAX_REGIONS]):
        alarm = peak >= tamper.alarm
        strong = is_strong(peak, tamper.alarm)
        covered = _covered(a, box)
        where = f" over {_join([words for _, words in covered])}" if covered else ""
        level = tamper.alarm if alarm else tamper.notice
        share = "99 in 100" if alarm else "19 in 20"
        evidence = [
            ("probability", f"{peak:.3f}"),
            ("threshold", f"{level:.3f}"),
            ("covers", ",".join(key for key, _ in covered)),
        ]
        if rank == MAX_REGIONS - 1 and len(regions) > MAX_REGIONS:
            evidence.append(("further_regions", str(len(regions) - MAX_REGIONS)))
        yield Finding(
            "TAMPER.REGION" if alarm else "TAMPER.REGION.WEAK",
            Severity.CRITICAL if strong else Severity.WARNING,
            f"The image shows traces of alteration{where}: the tamper detector gives "
            f"{peak:.2f} here, where {share} genuine documents stay below {level:.2f}"
            + ("." if strong or not alarm else "; compare this area with the rest by eye."),
            region=Region(a.page, box),
            evidence=tuple(evidence),
        )


def _covered(a: Analysis, box: Box) -> list[tuple[str, str]]:
    """The printed parts the box overlaps, as (key, words): ``portrait``, ``viz.<field>``,
    ``mrz``."""
    parts = []
    if a.portrait is not None and boxes_overlap(box, a.portrait[0].box):
        parts.append(("portrait", "the portrait"))
    if a.viz is not None:
        for f in a.viz.fields:
            if f.name in FIELD_WORDS and boxes_overlap(box, f.region.box):
                parts.append((f"viz.{f.name}", f"the printed {FIELD_WORDS[f.name]}"))
    if a.mrz is not None and a.image_size is not None:
        if boxes_overlap(box, a.mrz.zone_box(*a.image_size)):
            parts.append(("mrz", "the MRZ"))
    return parts


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
