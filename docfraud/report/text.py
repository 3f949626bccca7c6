"""A short, readable summary of a scan result for a person at a terminal."""

from __future__ import annotations

from docfraud.analysis import Analysis
from docfraud.types import Severity

MARKS = {Severity.CRITICAL: "!!", Severity.WARNING: "! ", Severity.INFO: "  "}


def render_text(a: Analysis) -> str:
    data = a.mrz.data if a.mrz else None
    head = f"{a.source} [page {a.page + 1}]: {a.verdict.value.upper()} (score {a.fraud_score:.2f})"
    lines = [head]
    if data is not None:
        birth = data.birth_date.isoformat() if data.birth_date else "?"
        expiry = data.expiry_date.isoformat() if data.expiry_date else "?"
        lines.append(
            f"  {data.format.value} {data.document_kind} {data.issuing_state or '?'} "
            f"no. {data.document_number or '?'}: {data.surname or '?'}, "
            f"{data.given_names or '?'}; born {birth}, expires {expiry}"
        )
    if a.mrz is not None:
        lines.extend(f"  | {line}" for line in a.mrz.lines)
    for f in sorted(a.findings, key=lambda f: -f.severity):
        where = f" at {list(f.region.box)}" if f.region else ""
        lines.append(f"  {MARKS[f.severity]} {f.code}: {f.message}{where}")
    for s in a.skipped:
        lines.append(f"  -- skipped {s.check}: {s.reason}")
    total = dict(a.timings_ms).get("total")
    if total is not None:
        lines.append(f"  ({total:.0f} ms)")
    return "\n".join(lines)
