"""Configuration: :class:`AnalysisConfig`, one frozen object passed to the pipeline, and
:class:`Settings`, the deployment settings read from the environment (``DOCFRAUD_*``).

Stages never read the environment; only the service, the store and the CLI build a Settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from docfraud.artifacts import DEFAULT_MODELS_DIR
from docfraud.imaging.load import DecodeLimits
from docfraud.ocr.recognizer import RecognizerKind


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    recognizer: RecognizerKind = RecognizerKind.GLYPH
    models_dir: Path = DEFAULT_MODELS_DIR
    limits: DecodeLimits = field(default_factory=DecodeLimits)
    scan_date: date | None = None
    """Reference date for two-digit years and expiry (default: the day of the scan)."""
    read_text: bool = True
    """Read the visual zone and letters with tesseract (off: MRZ-only, ~10× faster)."""
    detect_tampering: bool = False
    """Run TamperNet over the page (about 0.1 s a page on one core). Off by default: the
    committed model does not yet tell forged pages from genuine ones well enough
    (bench/results/detect.md)."""
    check_portraits: bool = True
    """Compare the portrait's print with the page around it (substitution cues, a few ms) and
    its ghost portrait's face with its own (GhostNet, about 15 ms); off only while the portrait
    models themselves are trained."""
    calibration: Path | None = None
    """Verdict thresholds measured on a site's own genuine documents (``docfraud calibrate``);
    default: those measured at training time."""
    strict: bool = False
    """Re-raise exceptions inside checks instead of reporting INTERNAL.CHECK_FAILED (tests)."""


class TextReading(StrEnum):
    """When the service reads the visual zone and letters (tesseract, seconds per page)."""

    SYNC = "sync"
    """In the request: the answer is complete but takes seconds."""
    ASYNC = "async"
    """After the answer: the request gets the MRZ and its checks at once; the stored scan is
    completed in the background (GET /v1/scans/{id} shows ``"status": "complete"``)."""
    OFF = "off"
    """Never: MRZ and its checks only."""


class Settings(BaseSettings):
    """Deployment settings of the service and the store, from the environment (``DOCFRAUD_*``).

    Stages never read these; the service turns them into an :class:`AnalysisConfig`.
    """

    model_config = SettingsConfigDict(env_prefix="DOCFRAUD_", frozen=True, extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    data_dir: Path = Path("docfraud-data")
    """Database (SQLite default), stored images and evidence live here."""
    database_url: str | None = None
    """SQLAlchemy URL, e.g. ``postgresql+psycopg://user:pw@host/db``; default SQLite in data_dir."""
    models_dir: Path = DEFAULT_MODELS_DIR
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    """Analysis worker processes (models load once in each)."""
    queue_size: int = Field(2, ge=0)
    """Requests waiting beyond those being analysed; past it the service answers 503 at once."""
    background_queue_size: int = Field(64, ge=0)
    """Scans waiting for their visual zone to be read (text_reading=async)."""
    text_reading: TextReading = TextReading.ASYNC
    detect_tampering: bool = False
    """Run TamperNet and report TAMPER.* findings (see AnalysisConfig.detect_tampering)."""
    calibration: Path | None = None
    """Verdict thresholds from ``docfraud calibrate`` on this site's genuine documents."""
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1)
    max_pixels: int = Field(50_000_000, ge=1)
    max_pages: int = Field(8, ge=1)
    max_case_files: int = Field(8, ge=1)
    upload_timeout_s: float = Field(15.0, gt=0)
    """The whole request body must arrive within this time (slow uploads get 408)."""
    request_timeout_s: float = Field(30.0, gt=0)
    """Longest analysis of one request; the worker is replaced when it runs over."""
    rate_limit_per_minute: int = Field(120, ge=1)
    """Requests per API key per minute (token bucket)."""
    retention_days: int = Field(90, ge=1)
    watchlist_adapter: str | None = None
    """The stop-list to consult, as ``package.module:factory`` (called with the settings and the
    store, it returns an object with ``lookup(issuing_state, document_number)``); default: the
    entries imported with ``docfraud watchlist import``. See :mod:`docfraud.store.watchlist`."""

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'docfraud.sqlite3'}"
