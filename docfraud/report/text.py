"""A short, readable summary of a scan result for a person at a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docfraud.analysis import Analysis
from docfraud.types import Finding, Severity

if TYPE_CHECKING:
    from docfraud.case import CaseAnalysis

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
    if a.letter is not None:
        lines.append(f"  {a.letter.kind.replace('_', ' ')} ({a.letter.language})")
    fields = (a.viz.fields if a.viz else ()) + (a.letter.fields if a.letter else ())
    lines.extend(f"  . {f.name}: {f.text}" for f in fields)
    lines.extend(_finding_lines(a.findings))
    for s in a.skipped:
        lines.append(f"  -- skipped {s.check}: {s.reason}")
    total = dict(a.timings_ms).get("total")
    if total is not None:
        lines.append(f"  ({total:.0f} ms)")
    return "\n".join(lines)


def _finding_lines(findings: tuple[Finding, ...]) -> list[str]:
    lines = []
    for f in sorted(findings, key=lambda f: -f.severity):
        where = f" at {list(f.region.box)}" if f.region else ""
        share = f" (+{f.contribution:.2f})" if f.contribution else ""
        lines.append(f"  {MARKS[f.severity]} {f.code}{share}: {f.message}{where}")
    return lines


def render_case_text(case: CaseAnalysis) -> str:
    head = f"{case.case_id}: {case.verdict.value.upper()} (score {case.fraud_score:.2f})"
    lines = [head]
    for a, role in zip(case.documents, case.roles, strict=True):
        lines.append(f"  [{role}] {a.source} page {a.page + 1}: {a.verdict.value}")
    lines.extend(_finding_lines(case.findings))
    lines.extend(f"  -- skipped {s.check}: {s.reason}" for s in case.skipped)
    documents = "\n\n".join(render_text(a) for a in case.documents)
    return "\n".join(lines) + "\n\n" + documents
