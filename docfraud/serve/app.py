"""The scanning-station service: ``create_app(settings)`` builds the FastAPI app.

The lifespan opens the store (migrating it) and starts the analysis workers, each loading the
models once; requests only queue work for them. Every error answers ``{"code", "message"}`` with
its HTTP status, never a stack trace.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docfraud import __version__
from docfraud.config import AnalysisConfig, Settings
from docfraud.errors import DocfraudError
from docfraud.fusion.model import load_fusion
from docfraud.imaging.load import DecodeLimits
from docfraud.serve.deps import ApiError, RateLimiter, ServiceState
from docfraud.serve.limits import UploadLimitMiddleware
from docfraud.serve.metrics import ServiceMetrics
from docfraud.serve.routes import REQUEST_INVALID, router
from docfraud.serve.workers import WorkerPool
from docfraud.store.db import Store
from docfraud.store.watchlist import load_watchlist

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).with_name("static")
MULTIPART_OVERHEAD = 64 * 1024
"""Bytes a multipart body may carry beyond its files (boundaries, headers, form fields)."""


def analysis_config(settings: Settings) -> AnalysisConfig:
    """The pipeline configuration the workers run with, from the deployment settings."""
    return AnalysisConfig(
        models_dir=settings.models_dir,
        detect_tampering=settings.detect_tampering,
        calibration=settings.calibration,
        limits=DecodeLimits(
            max_bytes=settings.max_upload_bytes,
            max_pixels=settings.max_pixels,
            max_pages=settings.max_pages,
        ),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; nothing starts until the server runs its lifespan."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = Store.from_settings(settings)
        await run_in_threadpool(store.migrate)
        pool = WorkerPool(
            analysis_config(settings),
            processes=settings.workers,
            queue_size=settings.queue_size,
            background_queue_size=settings.background_queue_size,
        )
        try:
            await pool.start()
            app.state.service = ServiceState(
                settings=settings,
                store=store,
                pool=pool,
                metrics=ServiceMetrics(pool.stats),
                limiter=RateLimiter(settings.rate_limit_per_minute),
                watchlist=load_watchlist(settings, store),
                fusion=load_fusion(settings.models_dir, settings.calibration),
            )
            log.info(
                "docfraud %s serving with %d workers, data in %s",
                __version__,
                settings.workers,
                settings.data_dir,
            )
            yield
        finally:
            await pool.close()
            store.close()

    app = FastAPI(
        title="docfraud",
        version=__version__,
        summary="Document fraud detection for scanning stations.",
        lifespan=lifespan,
    )
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def console() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    _add_error_handlers(app)
    scan_cap = settings.max_upload_bytes + MULTIPART_OVERHEAD
    case_cap = settings.max_upload_bytes * settings.max_case_files + MULTIPART_OVERHEAD
    caps = {"/v1/scans": scan_cap, "/v1/cases": case_cap}
    app.add_middleware(
        UploadLimitMiddleware, max_body_bytes=caps.get, timeout_s=settings.upload_timeout_s
    )
    app.add_middleware(_MetricsMiddleware)
    return app


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, **extra}, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        response = _error(exc.status, exc.code, exc.message, **exc.extra)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(DocfraudError)
    async def docfraud_error(request: Request, exc: DocfraudError) -> JSONResponse:
        return _error(exc.http_status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
        return _error(422, REQUEST_INVALID, f"Missing or invalid: {', '.join(fields) or 'body'}.")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        codes = {
            400: REQUEST_INVALID,  # a body the multipart parser cannot read
            404: "REQUEST.NOT_FOUND",
            405: "REQUEST.METHOD_NOT_ALLOWED",
        }
        response = _error(exc.status_code, codes.get(exc.status_code, "REQUEST.ERROR"), exc.detail)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _error(500, "INTERNAL.ERROR", "The service failed on this request; it was logged.")


class _MetricsMiddleware:
    """Counts every request by route template and status and times it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            service: ServiceState | None = getattr(scope["app"].state, "service", None)
            if service is not None:
                route = getattr(scope.get("route"), "path", "unmatched")
                service.metrics.requests.labels(scope["method"], route, str(status)).inc()
                service.metrics.latency.labels(route).observe(time.perf_counter() - start)
