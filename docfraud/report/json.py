"""Scan and case results as JSON objects: the contract outside tools rely on (README, docs/).

Scan keys ``source, page, sha256, document{kind, issuing_state, mrz_format}, mrz, viz, letter,
verdict, fraud_score, findings[{code, severity, message, field, region, regions}],
model_version, timings_ms`` and case keys ``case_id, sources, documents, findings, verdict,
fraud_score`` are stable; more keys may be added, none removed or renamed. Regions are
``[x, y, w, h]`` in the input page's pixels; ``regions`` lists every place a finding points at,
each with its ``source`` and ``page`` (a case finding points into several inputs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docfraud.analysis import Analysis
from docfraud.types import FieldReading, Finding, LetterReading, Region, VizReading

if TYPE_CHECKING:
    from docfraud.case import CaseAnalysis

SCHEMA_VERSION = "1"


def _region_to_dict(r: Region, source: str) -> dict[str, Any]:
    return {"source": r.source or source, "page": r.page, "box": list(r.box)}


def finding_to_dict(f: Finding, source: str = "") -> dict[str, Any]:
    """One finding; ``source`` names the input of regions that do not name their own."""
    places = ((f.region,) if f.region else ()) + f.related
    return {
        "code": f.code,
        "severity": f.severity.label,
        "message": f.message,
        "field": f.field,
        "region": list(f.region.box) if f.region else None,
        "page": f.region.page if f.region else None,
        "regions": [_region_to_dict(r, source) for r in places],
        "evidence": dict(f.evidence),
        "contribution": f.contribution,
    }


def _field_to_dict(f: FieldReading) -> dict[str, Any]:
    return {
        "name": f.name,
        "text": f.text,
        "value": f.value,
        "confidence": round(f.confidence, 3),
        "region": list(f.region.box),
        "alternatives": [{"text": t, "value": v} for t, v in f.alternatives],
    }


def _viz_to_dict(viz: VizReading | None) -> dict[str, Any] | None:
    if viz is None:
        return None
    return {
        "fields": [_field_to_dict(f) for f in viz.fields],
        "specimen_marked": viz.specimen_marked,
        "text_lines": viz.text_lines,
        "other_side": viz.other_side,
    }


def _letter_to_dict(letter: LetterReading | None) -> dict[str, Any] | None:
    if letter is None:
        return None
    return {
        "kind": letter.kind,
        "language": letter.language,
        "fields": [_field_to_dict(f) for f in letter.fields],
        "seals": [list(r.box) for r in letter.seals],
        "signatures": [list(r.box) for r in letter.signatures],
    }


def _mrz_to_dict(a: Analysis) -> dict[str, Any] | None:
    reading = a.mrz
    if reading is None or reading.data is None:
        return None
    parsed = reading.data.to_dict()
    w, h = a.image_size or (0, 0)
    return {
        **parsed,
        "lines": list(reading.lines),
        "raw_lines": list(reading.raw_lines),
        "repairs": [
            {
                "line": r.line,
                "position": r.position,
                "from": r.old,
                "to": r.new,
                "reason": r.reason.value,
            }
            for r in reading.repairs
        ],
        "char_confidence": [[round(c, 3) for c in line] for line in reading.confidences],
        "min_confidence": round(min((c for ln in reading.confidences for c in ln), default=0.0), 3),
        "region": list(reading.zone_box(w, h)),
        "angle_deg": round(reading.candidate.angle_deg, 2),
        "recognizer": reading.recognizer,
    }


def _portrait_to_dict(a: Analysis) -> dict[str, Any] | None:
    if a.portrait is None:
        return None
    found, fingerprint = a.portrait
    return {
        "region": list(found.box),
        "corners": [[round(x, 1), round(y, 1)] for x, y in found.quad],
        **fingerprint.to_dict(),
        "substitution": {
            "probability": a.substitution.probability,
            "alarm": a.substitution.alarm,
            "notice": a.substitution.notice,
        }
        if a.substitution is not None
        else None,
        "ghost": _ghost_to_dict(a),
    }


def _ghost_to_dict(a: Analysis) -> dict[str, Any] | None:
    if a.ghost is None:
        return None
    none, same, different = a.ghost.probabilities
    return {
        "region": list(a.ghost.candidate.box),
        "found": a.ghost.found,
        "probabilities": {"none": none, "same": same, "different": different},
        "alarm": a.ghost.alarm,
        "notice": a.ghost.notice,
    }


def _tamper_to_dict(a: Analysis) -> dict[str, Any] | None:
    if a.tamper is None:
        return None
    return {
        "peak": round(a.tamper.peak, 4),
        "alarm": a.tamper.alarm,
        "notice": a.tamper.notice,
        "cell": round(a.tamper.cell, 3),
    }


def analysis_to_dict(a: Analysis) -> dict[str, Any]:
    data = a.mrz.data if a.mrz else None
    return {
        "schema_version": SCHEMA_VERSION,
        "source": a.source,
        "page": a.page,
        "sha256": a.sha256,
        "media_type": a.media_type,
        "image_size": list(a.image_size) if a.image_size else None,
        "document": {
            "kind": data.document_kind if data else "letter" if a.letter else "unknown",
            "issuing_state": data.issuing_state if data else None,
            "mrz_format": data.format.value if data else None,
            "region": list(a.outline.box(*a.image_size)) if a.outline and a.image_size else None,
            "corners": [[round(x, 1), round(y, 1)] for x, y in a.outline.corners]
            if a.outline
            else None,
            "outline_source": a.outline.source if a.outline else None,
            "rotation_deg": round(a.mrz.candidate.angle_deg, 1) if a.mrz else None,
        },
        "mrz": _mrz_to_dict(a),
        "viz": _viz_to_dict(a.viz),
        "letter": _letter_to_dict(a.letter),
        "portrait": _portrait_to_dict(a),
        "tamper": _tamper_to_dict(a),
        "verdict": a.verdict.value,
        "fraud_score": a.fraud_score,
        "findings": [finding_to_dict(f, a.source) for f in a.findings],
        "skipped": [{"check": s.check, "reason": s.reason} for s in a.skipped],
        "model_version": dict(a.versions).get("mrz_recognizer", ""),
        "versions": dict(a.versions),
        "scan_date": a.scan_date.isoformat(),
        "timings_ms": dict(a.timings_ms),
    }


def case_to_dict(case: CaseAnalysis) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "case_id": case.case_id,
        "sources": list(case.sources),
        "documents": [
            {**analysis_to_dict(a), "role": role}
            for a, role in zip(case.documents, case.roles, strict=True)
        ],
        "findings": [finding_to_dict(f) for f in case.findings],
        "skipped": [{"check": s.check, "reason": s.reason} for s in case.skipped],
        "verdict": case.verdict.value,
        "fraud_score": case.fraud_score,
        "scan_date": case.scan_date.isoformat(),
    }
