"""The scan result as a JSON object: the contract outside tools rely on (README, docs/).

Keys ``source, page, sha256, document{kind, issuing_state, mrz_format}, mrz, verdict,
fraud_score, findings[{code, severity, message, field, region}], model_version, timings_ms``
are stable; more keys may be added, none removed or renamed. Regions are ``[x, y, w, h]`` in the
input page's pixels.
"""

from __future__ import annotations

from typing import Any

from docfraud.analysis import Analysis
from docfraud.types import Finding

SCHEMA_VERSION = "1"


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "severity": f.severity.label,
        "message": f.message,
        "field": f.field,
        "region": list(f.region.box) if f.region else None,
        "page": f.region.page if f.region else None,
        "evidence": dict(f.evidence),
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
            "kind": data.document_kind if data else "unknown",
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
        "verdict": a.verdict.value,
        "fraud_score": a.fraud_score,
        "findings": [finding_to_dict(f) for f in a.findings],
        "skipped": [{"check": s.check, "reason": s.reason} for s in a.skipped],
        "model_version": dict(a.versions).get("mrz_recognizer", ""),
        "versions": dict(a.versions),
        "scan_date": a.scan_date.isoformat(),
        "timings_ms": dict(a.timings_ms),
    }
