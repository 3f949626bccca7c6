"""The API's request and response shapes (for validation and the OpenAPI page at /docs), and the
one converter from stored records to them.

A scan's ``documents`` are exactly the objects ``docfraud scan`` writes, one per page, so they are
typed loosely here and documented in the README; the envelope around them is typed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from docfraud.store.db import ApiKey, CaseRecord, Role, ScanRecord
from docfraud.types import Verdict

_VERDICT_RANK = {
    Verdict.UNREADABLE.value: 0,
    Verdict.GENUINE.value: 1,
    Verdict.SUSPICIOUS.value: 2,
    Verdict.FORGED.value: 3,
}


class ErrorOut(BaseModel):
    """Every error answer: a stable code (docs/findings.md) and a sentence for a person."""

    code: str
    message: str


def errors(*statuses: int, json_route: bool = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses a route can answer.

    FastAPI files a ``model`` under the route's own media type; a route that answers HTML or
    images still answers its errors in JSON, so those name the JSON schema themselves.
    """
    if json_route:
        return {status: {"model": ErrorOut} for status in statuses}
    schema = {"$ref": "#/components/schemas/ErrorOut"}
    return {
        status: {"description": "Error", "content": {"application/json": {"schema": schema}}}
        for status in statuses
    }


AUTH_ERRORS = (401, 403, 429)
UPLOAD_ERRORS = (*AUTH_ERRORS, 400, 408, 413, 415, 422, 500, 503, 504)
READ_ERRORS = (*AUTH_ERRORS, 404)


class ScanOut(BaseModel):
    scan_id: str
    created_at: str
    station: str
    case_id: str | None
    status: str = Field(
        description="'partial' while the visual zone is read in the background, then 'complete'"
    )
    verdict: str | None
    fraud_score: float | None
    duplicate_of: str | None = Field(
        description="this station's earlier scan of the very same file, if any"
    )
    sha256: str
    media_type: str | None
    size_bytes: int
    source: str
    metadata: dict[str, Any]
    software_version: str
    model_version: str
    documents: list[dict[str, Any]] = Field(description="one docfraud scan object per page")
    evidence: list[str] = Field(description="names for /v1/scans/{id}/evidence/{name}")


class CaseOut(BaseModel):
    case_id: str = Field(description="this submission's id")
    content_id: str = Field(description="names the set of files: equal for the same files")
    sources: list[str]
    documents: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    verdict: str
    fraud_score: float
    scan_date: str
    scan_ids: list[str]
    created_at: str
    station: str


class KeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._\-]*$")
    role: Role


class KeyOut(BaseModel):
    key_id: str
    name: str
    role: Role
    created_at: str
    revoked_at: str | None


class KeyCreated(KeyOut):
    token: str = Field(description="shown once; only its hash is stored")


def overall_verdict(documents: list[dict[str, Any]]) -> tuple[str | None, float | None]:
    """The worst verdict of the pages and the highest score (unreadable only if all are)."""
    if not documents:
        return None, None
    worst = max(documents, key=lambda d: _VERDICT_RANK.get(str(d.get("verdict")), 0))
    return str(worst.get("verdict")), max(float(d.get("fraud_score") or 0.0) for d in documents)


def scan_view(record: ScanRecord) -> dict[str, Any]:
    documents: list[dict[str, Any]] = record.result.get("documents", [])
    evidence = ["original"]
    for doc in documents:
        page = int(doc.get("page", 0))
        evidence += [f"page-{page}.png", f"annotated-{page}.png"]
    return {
        "scan_id": record.scan_id,
        "created_at": record.created_at.isoformat(),
        "station": record.station,
        "case_id": record.case_id,
        "status": record.status,
        "verdict": record.verdict,
        "fraud_score": record.fraud_score,
        "duplicate_of": record.duplicate_of,
        "sha256": record.image_sha256,
        "media_type": record.media_type,
        "size_bytes": record.size_bytes,
        "source": record.source_name,
        "metadata": record.metadata,
        "software_version": record.software_version,
        "model_version": record.model_version,
        "documents": documents,
        "evidence": evidence,
    }


def case_view(record: CaseRecord) -> dict[str, Any]:
    return {
        **record.result,
        "scan_ids": list(record.scan_ids),
        "created_at": record.created_at.isoformat(),
        "station": record.station,
    }


def key_view(key: ApiKey) -> dict[str, Any]:
    return {
        "key_id": key.key_id,
        "name": key.name,
        "role": key.role,
        "created_at": key.created_at.isoformat(),
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
    }
