"""The HTTP API: scans, cases, evidence, reports, keys, health and metrics.

A station submits documents and reads its own scans; an auditor reads every scan; an admin manages
keys. A scan a caller may not read answers exactly as a scan that does not exist (404), so a
station cannot even learn that another station's scan exists.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from docfraud import __version__
from docfraud.errors import INPUT_EMPTY, INPUT_UNSUPPORTED_TYPE
from docfraud.imaging.load import sniff_media_type
from docfraud.serve.deps import ApiError, Key, ServiceState, State, require
from docfraud.serve.schemas import (
    AUTH_ERRORS,
    READ_ERRORS,
    UPLOAD_ERRORS,
    CaseOut,
    KeyCreate,
    KeyCreated,
    KeyOut,
    ScanOut,
    case_view,
    errors,
    key_view,
    overall_verdict,
    scan_view,
)
from docfraud.serve.workers import Job, JobKind, JobTimeout, ServiceBusy, WorkerCrashed
from docfraud.store.db import ApiKey, CaseRecord, Role, ScanRecord
from docfraud.store.watchlist import apply_findings, rejudge_case, watchlist_findings

log = logging.getLogger(__name__)
router = APIRouter()

SCAN_NOT_FOUND = "SCAN.NOT_FOUND"
CASE_NOT_FOUND = "CASE.NOT_FOUND"
KEY_NOT_FOUND = "KEY.NOT_FOUND"
EVIDENCE_NOT_FOUND = "EVIDENCE.NOT_FOUND"
SERVICE_BUSY = "SERVICE.BUSY"
SERVICE_TIMEOUT = "SERVICE.TIMEOUT"
SERVICE_WORKER_CRASHED = "SERVICE.WORKER_CRASHED"
SERVICE_NOT_READY = "SERVICE.NOT_READY"
REQUEST_INVALID = "REQUEST.INVALID"
TEXT_SKIP = "viz.background"
_SCAN_ID = re.compile(r"[0-9a-f]{32}")
_EVIDENCE = re.compile(r"(page|annotated)-(\d{1,3})\.png")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")

File_ = Annotated[UploadFile, File(description="the document: an image or a PDF")]
Files = Annotated[list[UploadFile], File(description="the case's documents")]
OptionalForm = Annotated[str | None, Form()]
ScanDate = Annotated[date | None, Form(description="reference date (default: today)")]


@router.post("/v1/scans", response_model=ScanOut, tags=["scans"], responses=errors(*UPLOAD_ERRORS))
async def create_scan(
    state: State,
    key: Key,
    file: File_,
    case_id: OptionalForm = None,
    metadata: OptionalForm = None,
    scan_date: ScanDate = None,
) -> dict[str, Any]:
    """Analyse one document (image or PDF) and store the scan."""
    require(key, Role.STATION)
    meta = _metadata(metadata)
    name, data, media_type = await _upload(state, file)
    settings = state.settings
    sha256 = hashlib.sha256(data).hexdigest()
    text = settings.text_reading.value
    kind = JobKind.SCAN_FULL if text == "sync" else JobKind.SCAN_QUICK
    documents = await _run(state, Job(kind, ((name, data),), scan_date))
    background = text == "async"
    if background and any(doc.get("mrz") is None for doc in documents):
        # no MRZ: a letter or a card's front, read in full now (its text is all there is)
        documents = await _run(state, Job(JobKind.SCAN_FULL, ((name, data),), scan_date))
        background = False
    record = await _store_scan(
        state, key, name, data, sha256, media_type, case_id, meta, documents, background
    )
    if background:
        done = partial(_complete_scan, state, record.scan_id, documents)
        if not state.pool.submit_background(
            Job(JobKind.SCAN_FULL, ((name, data),), scan_date), done
        ):
            record = await _finish(state, record.scan_id, _with_skip(documents, _BUSY_SKIP))
    state.metrics.observe_documents(documents)
    log.info(
        "scan %s sha256=%s station=%s verdict=%s",
        record.scan_id,
        sha256,
        key.key_id,
        record.verdict,
    )
    view = scan_view(record)
    _raise_if_unreadable(view)
    return view


@router.post("/v1/cases", response_model=CaseOut, tags=["cases"], responses=errors(*UPLOAD_ERRORS))
async def create_case(
    state: State, key: Key, files: Files, scan_date: ScanDate = None, metadata: OptionalForm = None
) -> dict[str, Any]:
    """Analyse documents presented together (passports, ID cards, a consent letter) as a case."""
    require(key, Role.STATION)
    meta = _metadata(metadata)
    if len(files) > state.settings.max_case_files:
        raise ApiError(
            413,
            "REQUEST.TOO_MANY_FILES",
            f"A case holds at most {state.settings.max_case_files} files.",
        )
    uploads: list[tuple[str, bytes, str]] = []
    for upload in files:
        name, data, media_type = await _upload(state, upload)
        uploads.append((_unique(name, {n for n, _, _ in uploads}), data, media_type))
    job = Job(JobKind.CASE, tuple((n, d) for n, d, _ in uploads), scan_date)
    case: dict[str, Any] = (await _run_job(state, job))["case"]
    case["documents"] = await _check_watchlist(state, case["documents"])
    case = rejudge_case(case, state.fusion)
    # the pipeline's case id names the set of files; each submission of it is a case of its own
    case["content_id"], case["case_id"] = case["case_id"], uuid.uuid4().hex
    scan_ids: list[str] = []
    for name, data, media_type in uploads:
        docs = [d for d in case["documents"] if d.get("source") == name]
        sha256 = hashlib.sha256(data).hexdigest()
        record = await _store_scan(
            state, key, name, data, sha256, media_type, case["case_id"], meta, docs, False
        )
        scan_ids.append(record.scan_id)
        for doc in docs:
            doc["scan_id"] = record.scan_id
        state.metrics.observe_documents(docs)
    stored = await run_in_threadpool(
        partial(
            state.store.add_case,
            station=key.name,
            key_id=key.key_id,
            case_id=case["case_id"],
            scan_ids=scan_ids,
            result=case,
        )
    )
    log.info("case %s station=%s verdict=%s", case["case_id"], key.key_id, case["verdict"])
    return case_view(stored)


@router.get(
    "/v1/scans/{scan_id}", response_model=ScanOut, tags=["scans"], responses=errors(*READ_ERRORS)
)
async def get_scan(state: State, key: Key, scan_id: str) -> dict[str, Any]:
    """A stored scan: the station's own, or any for an auditor."""
    return scan_view(await _readable_scan(state, key, scan_id))


@router.get(
    "/v1/cases/{case_id}", response_model=CaseOut, tags=["cases"], responses=errors(*READ_ERRORS)
)
async def get_case(state: State, key: Key, case_id: str) -> dict[str, Any]:
    """A stored case: the station's own, or any for an auditor."""
    require(key, Role.STATION, Role.AUDITOR)
    record: CaseRecord | None = await run_in_threadpool(state.store.get_case, case_id[:80])
    if record is None or (key.role is Role.STATION and record.station != key.name):
        raise ApiError(404, CASE_NOT_FOUND, "No such case.")
    return case_view(record)


@router.get(
    "/v1/scans/{scan_id}/evidence/{name}",
    tags=["scans"],
    responses={
        200: {"content": {"image/png": {}, "application/octet-stream": {}}},
        **errors(*READ_ERRORS, json_route=False),
    },
)
async def get_evidence(state: State, key: Key, scan_id: str, name: str) -> Response:
    """The uploaded file (``original``), a page (``page-N.png``) or it annotated
    (``annotated-N.png``: the document outline, the MRZ and every finding's region)."""
    record = await _readable_scan(state, key, scan_id)
    data = await run_in_threadpool(state.store.read_image, record.image_sha256)
    if data is None:
        raise ApiError(404, EVIDENCE_NOT_FOUND, "The image of this scan is no longer kept.")
    if name == "original":
        return Response(data, media_type=record.media_type or "application/octet-stream")
    match = _EVIDENCE.fullmatch(name)
    if match is None:
        raise ApiError(404, EVIDENCE_NOT_FOUND, f"No evidence named {name[:40]!r}.")
    png = await run_in_threadpool(
        _render_page, state, data, record, int(match[2]), match[1] == "annotated"
    )
    if png is None:
        raise ApiError(404, EVIDENCE_NOT_FOUND, f"This scan has no page {match[2]}.")
    return Response(png, media_type="image/png")


@router.get(
    "/v1/scans/{scan_id}/report",
    response_class=HTMLResponse,
    tags=["scans"],
    responses=errors(*READ_ERRORS, json_route=False),
)
async def get_report(state: State, key: Key, scan_id: str) -> HTMLResponse:
    """A self-contained HTML report: verdict, annotated pages, findings, visual-zone fields."""
    from docfraud.report.html import render_scan_html

    record = await _readable_scan(state, key, scan_id)
    data = await run_in_threadpool(state.store.read_image, record.image_sha256)
    pages: list[bytes] = []
    if data is not None:
        for doc in record.result.get("documents", []):
            png = await run_in_threadpool(
                _render_page, state, data, record, int(doc.get("page", 0)), True
            )
            pages.append(png or b"")  # pages[i] belongs to documents[i]
    return HTMLResponse(render_scan_html(scan_view(record), pages))


@router.post(
    "/v1/keys",
    response_model=KeyCreated,
    status_code=201,
    tags=["keys"],
    responses=errors(*AUTH_ERRORS, 400, 422),
)
async def create_key(state: State, key: Key, body: KeyCreate) -> dict[str, Any]:
    """Create a key (admin). The token is shown once, in this answer."""
    require(key, Role.ADMIN)
    created, token = await run_in_threadpool(state.store.create_key, body.name, body.role)
    log.info("key %s created by %s", created.key_id, key.key_id)
    return {**key_view(created), "token": token}


@router.get("/v1/keys", response_model=list[KeyOut], tags=["keys"], responses=errors(*AUTH_ERRORS))
async def list_keys(state: State, key: Key) -> list[dict[str, Any]]:
    """Every key with its role and state (admin); never a secret."""
    require(key, Role.ADMIN)
    return [key_view(k) for k in await run_in_threadpool(state.store.list_keys)]


@router.delete(
    "/v1/keys/{key_id}", status_code=204, tags=["keys"], responses=errors(*READ_ERRORS, 422)
)
async def revoke_key(state: State, key: Key, key_id: str) -> Response:
    """Revoke a key (admin); it stops working at once."""
    require(key, Role.ADMIN)
    if not await run_in_threadpool(state.store.revoke_key, key_id[:40]):
        raise ApiError(404, KEY_NOT_FOUND, "No such active key.")
    log.info("key %s revoked by %s", key_id[:40], key.key_id)
    return Response(status_code=204)


@router.get("/healthz", tags=["health"])
async def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", tags=["health"], responses=errors(503))
async def readyz(state: State) -> dict[str, Any]:
    """Models loaded in every worker and the database reachable."""
    database = await run_in_threadpool(state.store.ping)
    if not (state.pool.ready and database):
        what = "the analysis workers are not ready" if database else "the database is unreachable"
        raise ApiError(503, SERVICE_NOT_READY, f"Not ready: {what}.", {"Retry-After": "1"})
    return {"status": "ready", "workers": state.pool.stats()["processes"], "version": __version__}


@router.get(
    "/metrics",
    tags=["health"],
    response_class=PlainTextResponse,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}},
)
async def metrics(state: State) -> Response:
    """Prometheus metrics: requests, latency per route and stage, verdicts, queue, restarts."""
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)


# --- helpers -------------------------------------------------------------------------------------

_BUSY_SKIP = {
    "check": TEXT_SKIP,
    "reason": "the service was too busy to read the visual zone; these results use the MRZ only",
}


async def _upload(state: ServiceState, upload: UploadFile) -> tuple[str, bytes, str]:
    """The upload's safe name, bytes and sniffed media type; refuses empty, oversize, wrong type."""
    limit = state.settings.max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise ApiError(
            413, "INPUT.TOO_LARGE", f"The file is larger than {limit // (1024 * 1024)} MiB."
        )
    if not data:
        raise ApiError(422, INPUT_EMPTY, "The file is empty.")
    media_type = sniff_media_type(data[:1024])
    if media_type is None:
        raise ApiError(
            415,
            INPUT_UNSUPPORTED_TYPE,
            "The file is not a JPEG, PNG, TIFF, WebP, BMP image or a PDF.",
        )
    name = _UNSAFE_NAME.sub("_", (upload.filename or "upload").rsplit("/", 1)[-1])[:200]
    return name or "upload", data, media_type


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}#{n}"
    return candidate


def _metadata(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or len(text) > 4096:
        raise ApiError(
            422, REQUEST_INVALID, "metadata must be a JSON object of at most 4096 characters."
        )
    return value


async def _run_job(state: ServiceState, job: Job) -> dict[str, Any]:
    try:
        result = await state.pool.run(job, state.settings.request_timeout_s)
    except ServiceBusy as exc:
        raise ApiError(
            503,
            SERVICE_BUSY,
            "Every analysis worker is busy; send the document again in a moment.",
            {"Retry-After": "1"},
        ) from exc
    except JobTimeout as exc:
        raise ApiError(504, SERVICE_TIMEOUT, "The analysis took too long and was stopped.") from exc
    except WorkerCrashed as exc:
        raise ApiError(
            500, SERVICE_WORKER_CRASHED, "The analysis worker failed; send the document again."
        ) from exc
    if "error" in result:
        raise ApiError(500, result["error"]["code"], result["error"]["message"])
    return result


async def _run(state: ServiceState, job: Job) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = (await _run_job(state, job))["documents"]
    return await _check_watchlist(state, documents)


async def _check_watchlist(
    state: ServiceState, documents: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The pages with a critical WATCHLIST.HIT added where the document is on the stop-list."""
    return await run_in_threadpool(
        lambda: [
            apply_findings(doc, watchlist_findings(doc, state.watchlist), state.fusion)
            for doc in documents
        ]
    )


async def _store_scan(
    state: ServiceState,
    key: ApiKey,
    name: str,
    data: bytes,
    sha256: str,
    media_type: str,
    case_id: str | None,
    meta: dict[str, Any],
    documents: list[dict[str, Any]],
    partial_result: bool,
) -> ScanRecord:
    await run_in_threadpool(state.store.put_image, data, sha256, media_type)
    verdict, score = overall_verdict(documents)
    record: ScanRecord = await run_in_threadpool(
        partial(
            state.store.add_scan,
            station=key.name,
            key_id=key.key_id,
            image_sha256=sha256,
            media_type=media_type,
            size_bytes=len(data),
            source_name=name,
            case_id=case_id[:80] if case_id else None,
            metadata=meta,
            status="partial" if partial_result else "complete",
            result={"documents": documents},
            software_version=__version__,
            model_version=str(documents[0].get("model_version", "")) if documents else "",
            verdict=verdict,
            fraud_score=score,
        )
    )
    return record


async def _finish(state: ServiceState, scan_id: str, documents: list[dict[str, Any]]) -> ScanRecord:
    verdict, score = overall_verdict(documents)
    await run_in_threadpool(
        partial(
            state.store.set_scan_result,
            scan_id,
            result={"documents": documents},
            status="complete",
            verdict=verdict,
            fraud_score=score,
        )
    )
    record = await run_in_threadpool(state.store.get_scan, scan_id)
    assert record is not None
    return record


async def _complete_scan(
    state: ServiceState,
    scan_id: str,
    quick: list[dict[str, Any]],
    result: dict[str, Any] | None,
    error: BaseException | None,
) -> None:
    """The background reading of the visual zone is done: store the full result."""
    if result is not None and "documents" in result:
        documents = await _check_watchlist(state, result["documents"])
        state.metrics.observe_documents(documents)
    else:
        if isinstance(error, JobTimeout):
            why = "it took too long"
        elif isinstance(error, ServiceBusy):
            why = "the service stopped first"
        else:
            why = "the worker failed"
        skip = {"check": TEXT_SKIP, "reason": f"the visual zone could not be read: {why}"}
        documents = _with_skip(quick, skip)
        log.warning("scan %s: visual zone not read (%s)", scan_id, why)
    await _finish(state, scan_id, documents)


def _with_skip(documents: list[dict[str, Any]], skip: dict[str, str]) -> list[dict[str, Any]]:
    return [{**doc, "skipped": [*doc.get("skipped", []), skip]} for doc in documents]


async def _readable_scan(state: ServiceState, key: ApiKey, scan_id: str) -> ScanRecord:
    require(key, Role.STATION, Role.AUDITOR)
    record = None
    if _SCAN_ID.fullmatch(scan_id):
        record = await run_in_threadpool(state.store.get_scan, scan_id)
    if record is None or (key.role is Role.STATION and record.station != key.name):
        raise ApiError(404, SCAN_NOT_FOUND, "No such scan.")
    return record


def _raise_if_unreadable(view: dict[str, Any]) -> None:
    """A file nothing could be read from answers 422 with its INPUT.* code (the scan is kept)."""
    docs = view["documents"]
    if not docs or any(d.get("verdict") != "unreadable" for d in docs):
        return
    for finding in docs[0].get("findings", []):
        if str(finding.get("code", "")).startswith("INPUT."):
            raise ApiError(
                422, finding["code"], finding["message"], extra={"scan_id": view["scan_id"]}
            )


def _render_page(
    state: ServiceState, data: bytes, record: ScanRecord, index: int, annotated: bool
) -> bytes | None:
    """Page ``index`` of the stored upload as PNG, annotated with its findings if asked; None
    when there is no such page or the upload cannot be decoded (an unreadable scan)."""
    from docfraud.errors import InputError
    from docfraud.imaging.load import DecodeLimits, load_bytes
    from docfraud.report.overlay import draw_overlay, encode_png

    s = state.settings
    limits = DecodeLimits(
        max_bytes=s.max_upload_bytes, max_pixels=s.max_pixels, max_pages=s.max_pages
    )
    try:
        pages = load_bytes(data, limits).pages
    except InputError:
        return None
    if index >= len(pages):
        return None
    bgr = pages[index].bgr
    if annotated:
        documents: list[dict[str, Any]] = record.result.get("documents", [])
        doc = next((d for d in documents if d.get("page") == index), {})
        bgr = draw_overlay(bgr, doc)
    return encode_png(bgr)
