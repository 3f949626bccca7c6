"""``docfraud audit``: a resumable batch analysis of seized material into an evidence folder.

Everything lands in one folder, ``DIR``:

- ``audit.sqlite3``: the store's schema (the service's), one scan per input source (a file, a zip
  member; a PDF is one source whose pages are its documents), station ``"audit"``. Each result is
  committed in its own transaction the moment it arrives, so a ``kill -9`` loses nothing
  finished; a rerun of the same command skips every source already recorded with the same
  content (sha256) and the same analysis settings (MRZ only or full reading, recogniser, scan
  date), and completes the rest. Sources whose analysis failed (status ``failed``), and sources
  analysed with other settings (an ``--mrz-only`` pass followed by a full one), are analysed
  again and their row is completed in place.
- ``images/``: every input's bytes, content-addressed and stored once (the store's image
  folder), so the folder is a self-contained evidence package: its size is the seizure's.
- ``results.jsonl``, ``findings.csv``, ``manifest.json`` (with the links found across the
  seizure: one number on documents of different people, see :mod:`docfraud.store.links`) and
  ``report.html`` (:mod:`docfraud.report.audit`): regenerated from the database at the end of
  every run (a resumed one too), so they always cover everything finished.

The same content under a second name (or the same file met twice in a seizure) is analysed
once: the later sources get their own scan row with the first one's result, and the store sets
``duplicate_of``. Unreadable files are documents with verdict ``unreadable``; files that cannot
even be read, and analyses that fail, are problems listed in ``manifest.json``: neither stops
the run.

Pages whose document is on the stop-list (``AuditConfig.watchlist``) get a critical
``WATCHLIST.HIT`` before they are recorded.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import json
import logging
import os
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from docfraud import __version__
from docfraud.artifacts import sha256_file
from docfraud.audit.executors import DEFAULT_TIMEOUT_S, Executor, TaskFailed, create_executor
from docfraud.audit.inputs import InputProblem, InputRef, list_inputs, read_input
from docfraud.config import AnalysisConfig
from docfraud.errors import CONFIG_INVALID, ConfigError, DependencyError
from docfraud.fusion.model import load_fusion
from docfraud.progress import Progress
from docfraud.report.audit import write_audit_report
from docfraud.store.db import Role, ScanRow, Store
from docfraud.store.links import LinkInput, find_links, link_input, same_portrait_similarity
from docfraud.store.watchlist import WatchlistSource, apply_findings, watchlist_findings

logger = logging.getLogger(__name__)

DATABASE_NAME = "audit.sqlite3"
IMAGES_DIR = "images"
RESULTS_NAME = "results.jsonl"
FINDINGS_NAME = "findings.csv"
MANIFEST_NAME = "manifest.json"
LOCK_NAME = ".audit.lock"
AUDIT_STATION = "audit"
"""The ``station`` of every audit scan (and the name of the audit's attribution key)."""
MANIFEST_SCHEMA_VERSION = "1"
FINDINGS_COLUMNS = (
    "source",
    "page",
    "sha256",
    "verdict",
    "severity",
    "code",
    "message",
    "x",
    "y",
    "w",
    "h",
)
_VERDICT_RANK = {"genuine": 0, "unreadable": 1, "suspicious": 2, "forged": 3}
"""A source's verdict is its worst page's."""


class ExecutorKind(StrEnum):
    LOCAL = "local"
    """Worker processes on this machine."""
    DASK = "dask"
    """A Dask distributed cluster (``--scheduler``, else a LocalCluster here)."""


@dataclass(frozen=True, slots=True)
class AuditConfig:
    """One audit run.

    Attributes:
        inputs: files, folders and zip archives, as given on the command line.
        out_dir: the evidence folder (created; reused by a rerun).
        workers: analysis processes (local) or LocalCluster workers (dask).
        scheduler: a Dask scheduler address (``tcp://host:8786``); only with ``executor=dask``.
        scan_date: reference date for expiry and ages (default: the day the run starts, fixed
            for the whole run).
        analysis: the pipeline's configuration (``scan_date`` above overrides its own).
        command_line: the command as typed, for the manifest.
        watchlist: the stop-list; a listed document gets a critical ``WATCHLIST.HIT``.
        timeout_s: per-document limit in local workers (``AUDIT.TIMEOUT`` past it; Dask has
            its own worker lifetimes).
    """

    inputs: tuple[Path, ...]
    out_dir: Path
    workers: int = 1
    executor: ExecutorKind = ExecutorKind.LOCAL
    scheduler: str | None = None
    scan_date: date | None = None
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    command_line: tuple[str, ...] = ()
    watchlist: WatchlistSource | None = None
    """The stop-list every page is looked up in (None: no stop-list configured)."""
    timeout_s: float | None = DEFAULT_TIMEOUT_S


@dataclass(frozen=True, slots=True)
class AuditSummary:
    """What one run did. Counts are of sources (files, zip members) unless named pages.

    Attributes:
        listed: sources the walk found (problems of the walk not included).
        analysed: sources analysed in this run.
        copied: sources whose content was analysed already (under another name): recorded with
            that result, not analysed again.
        skipped: sources finished by an earlier run (same name, same content).
        failed: sources whose analysis failed in this run (retried by the next).
        problems: what could not be read or analysed: the walk's and reading's problems, then
            the analyses that failed.
        pages_by_verdict: every finished page in the database, by verdict.
        worker_restarts: times a dead worker was replaced.
    """

    out_dir: Path
    database: Path
    listed: int
    analysed: int
    copied: int
    skipped: int
    failed: int
    problems: tuple[InputProblem, ...]
    pages_by_verdict: dict[str, int]
    worker_restarts: int
    started_at: datetime
    ended_at: datetime

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database}"


def open_audit_store(out_dir: Path) -> Store:
    """The audit's store in ``out_dir`` (migrated): what later stages open to read it."""
    store = Store(f"sqlite:///{out_dir / DATABASE_NAME}", out_dir / IMAGES_DIR)
    store.migrate()
    return store


def run_audit(
    config: AuditConfig, stream: TextIO | None = None, *, executor: Executor | None = None
) -> AuditSummary:
    """Analyse every input not finished yet, record each result at once, write the reports.

    Args:
        config: what to audit and where.
        stream: where the progress line goes (default stderr).
        executor: where analyses run (default: the one ``config`` names); it is closed here.

    Returns:
        The run's summary; the database in ``config.out_dir`` holds every result.

    Raises:
        ConfigError: bad configuration, or another audit is running in the same folder.
        DependencyError: a model or tesseract is missing (no analysis can succeed).
    """
    if config.workers < 1:
        raise ConfigError(CONFIG_INVALID, "an audit needs at least one worker")
    if not config.inputs:
        raise ConfigError(CONFIG_INVALID, "an audit needs at least one input")
    if config.out_dir.exists() and not config.out_dir.is_dir():
        raise ConfigError(CONFIG_INVALID, f"--out {config.out_dir} is not a folder")
    started = datetime.now(UTC)
    out_dir = config.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    scan_date = (
        config.scan_date
        or config.analysis.scan_date
        or _recorded_scan_date(out_dir / MANIFEST_NAME)
        or date.today()
    )
    analysis = replace(config.analysis, scan_date=scan_date)
    with _exclusive(out_dir / LOCK_NAME):
        store = open_audit_store(out_dir)
        try:
            run = _Run(store, _audit_key(store), analysis, config.watchlist)
            listing = list_inputs(config.inputs, analysis.limits)
            refs = _unique(x for x in listing if isinstance(x, InputRef))
            run.problems.extend(x for x in listing if isinstance(x, InputProblem))
            if executor is None:
                executor = create_executor(
                    config.executor.value,
                    config.workers,
                    analysis,
                    config.scheduler,
                    timeout_s=config.timeout_s,
                )
            run.progress = Progress(len(refs), "audit", stream or sys.stderr)
            try:
                for source, outcome in executor.map_unordered(run.pending(refs)):
                    run.finish(source, outcome)
            finally:
                executor.close()
                run.progress.close()
            ended = datetime.now(UTC)
            pages = write_reports(store, out_dir)
            summary = AuditSummary(
                out_dir=out_dir,
                database=out_dir / DATABASE_NAME,
                listed=len(refs),
                analysed=run.analysed,
                copied=run.copied,
                skipped=run.skipped,
                failed=run.failed,
                problems=tuple(run.problems),
                pages_by_verdict=dict(sorted(pages.items())),
                worker_restarts=executor.restarts,
                started_at=started,
                ended_at=ended,
            )
            threshold = same_portrait_similarity(analysis.models_dir)
            links = find_links(list(_link_inputs(store)), same_portrait=threshold)
            clusters = [c.to_dict() for c in links]
            manifest = write_manifest(
                out_dir, config, analysis, summary, run.documents, executor, clusters
            )
            write_audit_report(
                out_dir,
                store.list_scans(station=AUDIT_STATION, limit=sys.maxsize),
                clusters,
                [asdict(p) for p in summary.problems],
                manifest,
                store.read_image,
            )
        finally:
            store.close()
    return summary


# --- the run -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Pending:
    ref: InputRef
    sha256: str
    size: int
    data: bytes
    retry_of: str | None
    """The scan_id of this source's row to complete in place (it failed, or was analysed with
    other settings)."""


@dataclass(frozen=True, slots=True)
class _Known:
    scan_id: str
    source: str
    sha256: str
    status: str
    settings: dict[str, Any] | None
    """What the row was analysed with (:func:`analysis_settings`); None in rows of old audits."""


def analysis_settings(analysis: AnalysisConfig) -> dict[str, Any]:
    """The settings a recorded result depends on: a row analysed with others is redone.
    ``detect_tampering`` is recorded only when on, so rows of audits from before it existed
    still count as analysed without it."""
    settings: dict[str, Any] = {
        "read_text": analysis.read_text,
        "recognizer": str(analysis.recognizer),
        "scan_date": analysis.scan_date.isoformat() if analysis.scan_date else None,
    }
    if analysis.detect_tampering:
        settings["detect_tampering"] = True
    if analysis.calibration is not None:
        settings["calibration"] = sha256_file(analysis.calibration)
    return settings


class _Run:
    """The parent's bookkeeping: what is finished, in flight or waiting, and the recording."""

    def __init__(
        self,
        store: Store,
        key_id: str,
        analysis: AnalysisConfig,
        watchlist: WatchlistSource | None = None,
    ) -> None:
        self.store = store
        self.watchlist = watchlist
        self.fusion = load_fusion(analysis.models_dir, analysis.calibration)
        self.key_id = key_id
        self.analysis = analysis
        self.progress: Progress | None = None
        self.analysed = self.copied = self.skipped = self.failed = 0
        self.problems: list[InputProblem] = []
        self.documents: list[dict[str, Any]] = []
        """Each source read in this run: source, sha256, size (for the manifest)."""
        self.settings = analysis_settings(analysis)
        self.finished: set[tuple[str, str]] = set()
        self.redo_rows: dict[tuple[str, str], str] = {}
        """Rows a rerun completes in place: failed, or analysed with other settings."""
        self.by_sha: dict[str, str] = {}
        """A complete scan of each content (the first), whose result a duplicate copies."""
        for known in _known_scans(store):
            if known.status == "complete" and known.settings == self.settings:
                self.finished.add((known.source, known.sha256))
                self.by_sha.setdefault(known.sha256, known.scan_id)
            else:
                self.redo_rows[(known.source, known.sha256)] = known.scan_id
        self.in_flight: dict[str, _Pending] = {}
        self.waiting: defaultdict[str, list[_Pending]] = defaultdict(list)
        """Sources whose content is being analysed under another name right now."""

    def _tick(self, key: str) -> None:
        if self.progress is not None:
            self.progress.update(1, key)

    def pending(self, refs: list[InputRef]) -> Iterator[tuple[str, bytes]]:
        """Read each source (lazily: the executor pulls as slots free) and yield those that
        need an analysis; finished ones are skipped and known content is copied on the way."""
        in_flight_sha: set[str] = set()
        for ref in refs:
            doc = read_input(ref, self.analysis.limits)
            if isinstance(doc, InputProblem):
                self.problems.append(doc)
                self._tick("problem")
                continue
            self.documents.append(
                {"source": doc.source, "sha256": doc.sha256, "size": len(doc.data)}
            )
            if (doc.source, doc.sha256) in self.finished:
                self.skipped += 1
                self._tick("skipped")
                continue
            item = _Pending(
                ref,
                doc.sha256,
                len(doc.data),
                doc.data,
                self.redo_rows.get((doc.source, doc.sha256)),
            )
            if doc.sha256 in self.by_sha:
                self._copy(item, self.by_sha[doc.sha256])
            elif doc.sha256 in in_flight_sha:
                item.data = b""  # the first one's bytes are stored for both
                self.waiting[doc.sha256].append(item)
            else:
                in_flight_sha.add(doc.sha256)
                self.in_flight[doc.source] = item
                yield doc.source, doc.data

    def finish(self, source: str, outcome: list[dict[str, Any]] | Exception) -> None:
        """Record one analysis as it arrives (one transaction), then the sources waiting on it."""
        item = self.in_flight.pop(source)
        waiting = self.waiting.pop(item.sha256, [])
        media_type = None
        if not isinstance(outcome, Exception) and outcome:
            media_type = outcome[0].get("media_type")
        # the bytes first: a kill between the two leaves an unreferenced image, rewritten by a rerun
        self.store.put_image(item.data, item.sha256, media_type)
        if isinstance(outcome, Exception):
            error = outcome if isinstance(outcome, TaskFailed) else _as_failure(outcome)
            if error.code.startswith("DEP."):
                raise DependencyError(error.code, error.message)
            for each in (item, *waiting):
                self._record_failure(each, error)
            return
        if self.watchlist is not None:
            outcome = [
                apply_findings(d, watchlist_findings(d, self.watchlist), self.fusion)
                for d in outcome
            ]
        scan_id = self._record(item, outcome, media_type)
        self.analysed += 1
        self.by_sha.setdefault(item.sha256, scan_id)
        self._tick(_worst(outcome))
        for each in waiting:
            self._copy(each, scan_id)

    def _copy(self, item: _Pending, original: str) -> None:
        record = self.store.get_scan(original)
        if record is None:  # pragma: no cover (audit scans are never purged mid-run)
            raise RuntimeError(f"scan {original} vanished")
        old = record.source_name
        documents = [_renamed(d, old, item.ref.source) for d in record.result.get("documents", [])]
        self._record(item, documents, record.media_type)
        self.copied += 1
        self._tick(_worst(documents))

    def _record(
        self, item: _Pending, documents: list[dict[str, Any]], media_type: str | None
    ) -> str:
        scores = [d["fraud_score"] for d in documents if d.get("fraud_score") is not None]
        scan_id = self._write(
            item,
            result={"documents": documents},
            status="complete",
            verdict=_worst(documents),
            fraud_score=max(scores) if scores else None,
            media_type=media_type,
            model_version=documents[0].get("model_version", "") if documents else "",
        )
        self.finished.add((item.ref.source, item.sha256))
        return scan_id

    def _record_failure(self, item: _Pending, error: TaskFailed) -> None:
        item.retry_of = self._write(
            item,
            result={"documents": [], "error": {"code": error.code, "message": error.message}},
            status="failed",
            verdict=None,
            fraud_score=None,
            media_type=None,
            model_version="",
        )
        self.failed += 1
        self.problems.append(InputProblem(item.ref.source, error.code, error.message))
        self._tick("failed")

    def _write(
        self,
        item: _Pending,
        *,
        result: dict[str, Any],
        status: str,
        verdict: str | None,
        fraud_score: float | None,
        media_type: str | None,
        model_version: str,
    ) -> str:
        """Complete the row an earlier failed attempt left for this source, or add its row."""
        if item.retry_of is not None:
            self.store.set_scan_result(
                item.retry_of,
                result=result,
                status=status,
                verdict=verdict,
                fraud_score=fraud_score,
                metadata=_metadata(item.ref, self.settings),
                model_version=model_version,
            )
            return item.retry_of
        return self.store.add_scan(
            station=AUDIT_STATION,
            key_id=self.key_id,
            image_sha256=item.sha256,
            media_type=media_type,
            size_bytes=item.size,
            source_name=item.ref.source,
            case_id=None,
            metadata=_metadata(item.ref, self.settings),
            status=status,
            result=result,
            software_version=__version__,
            model_version=model_version,
            verdict=verdict,
            fraud_score=fraud_score,
        ).scan_id


def _as_failure(error: Exception) -> TaskFailed:
    """An executor error that is not a TaskFailed (a Dask transport error, say)."""
    return TaskFailed("INTERNAL.ANALYSIS_FAILED", f"The analysis failed ({type(error).__name__}).")


def _metadata(ref: InputRef, settings: dict[str, Any]) -> dict[str, Any]:
    return {"audit": {"path": str(ref.path), "member": ref.member, "settings": settings}}


def _worst(documents: list[dict[str, Any]]) -> str:
    verdicts = [str(d.get("verdict")) for d in documents if d.get("verdict")]
    return max(verdicts, key=lambda v: _VERDICT_RANK.get(v, -1), default="unreadable")


def _renamed(document: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """A page result copied to another source: the source names changed, nothing else."""
    out = {**document, "source": new}
    out["findings"] = [
        {
            **f,
            "regions": [
                {**r, "source": new} if r.get("source") == old else r for r in f.get("regions", [])
            ],
        }
        for f in document.get("findings", [])
    ]
    return out


def _unique(refs: Iterator[InputRef]) -> list[InputRef]:
    """One ref per source (overlapping inputs such as ``DIR DIR/sub`` list some twice)."""
    seen: dict[str, InputRef] = {}
    for ref in refs:
        seen.setdefault(ref.source, ref)
    return list(seen.values())


def _known_scans(store: Store) -> list[_Known]:
    """The audit's scans without their results (a read-only query on the store's table)."""
    query = select(
        ScanRow.scan_id, ScanRow.source_name, ScanRow.image_sha256, ScanRow.status, ScanRow.meta
    )
    query = query.where(ScanRow.station == AUDIT_STATION).order_by(
        ScanRow.created_at, ScanRow.scan_id
    )
    with Session(store.engine) as session:
        return [
            _Known(scan_id, source, sha, status, (meta or {}).get("audit", {}).get("settings"))
            for scan_id, source, sha, status, meta in session.execute(query)
        ]


def _audit_key(store: Store) -> str:
    """The attribution key of the audit's scans: created once per folder and revoked at once
    (scans need a key row; no token is ever shown, so none can be used)."""
    for key in store.list_keys():
        if key.name == AUDIT_STATION and key.role is Role.AUDITOR:
            return key.key_id
    key, _token = store.create_key(AUDIT_STATION, Role.AUDITOR)
    store.revoke_key(key.key_id)
    return key.key_id


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """One audit at a time in a folder (two would analyse the same sources twice). The lock
    goes with the process, so a killed run never leaves it held."""
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                CONFIG_INVALID, f"another audit is running in {path.parent}"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# --- reports -------------------------------------------------------------------------------------


def _audit_rows(store: Store) -> Iterator[ScanRow]:
    query = (
        select(ScanRow)
        .where(ScanRow.station == AUDIT_STATION)
        .order_by(ScanRow.source_name, ScanRow.created_at, ScanRow.scan_id)
        .execution_options(yield_per=200)
    )
    with Session(store.engine) as session:
        yield from session.scalars(query)


def write_reports(store: Store, out_dir: Path) -> Counter[str]:
    """``results.jsonl`` (one line per finished page) and ``findings.csv`` (one row per
    finding), from every complete scan in the database, sorted by source.

    Returns:
        Pages by verdict.
    """
    pages: Counter[str] = Counter()
    with (
        _atomic(out_dir / RESULTS_NAME) as results,
        _atomic(out_dir / FINDINGS_NAME, newline="") as findings,
    ):
        table = csv.writer(findings)
        table.writerow(FINDINGS_COLUMNS)
        for row in _audit_rows(store):
            if row.status != "complete":
                continue
            for doc in row.result.get("documents", []):
                pages[str(doc.get("verdict"))] += 1
                line = {
                    **doc,
                    "source": row.source_name,
                    "scan_id": row.scan_id,
                    "duplicate_of": row.duplicate_of,
                }
                results.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
                for f in doc.get("findings", []):
                    box = f.get("region") or [None] * 4
                    table.writerow(
                        [
                            _cell(row.source_name),
                            doc.get("page"),
                            doc.get("sha256") or row.image_sha256,
                            doc.get("verdict"),
                            f.get("severity"),
                            f.get("code"),
                            _cell(f.get("message") or ""),
                            *box,
                        ]
                    )
    return pages


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (file names come from the seizure)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_manifest(
    out_dir: Path,
    config: AuditConfig,
    analysis: AnalysisConfig,
    summary: AuditSummary,
    documents: list[dict[str, Any]],
    executor: Executor,
    clusters: list[dict[str, Any]],
) -> dict[str, Any]:
    """``manifest.json``: what was audited, with what, when and by which command, and the links
    found across the seizure; earlier runs into the same folder are kept under ``runs``."""
    path = out_dir / MANIFEST_NAME
    runs: list[dict[str, Any]] = []
    with contextlib.suppress(OSError, ValueError, AttributeError):
        runs = list(json.loads(path.read_text(encoding="utf-8")).get("runs", []))
    this_run = {
        "started_at": summary.started_at.isoformat(),
        "ended_at": summary.ended_at.isoformat(),
        "command_line": list(config.command_line),
        "executor": config.executor.value,
        "scheduler": config.scheduler,
        "workers": config.workers,
        "worker_restarts": summary.worker_restarts,
        "counts": {
            "listed": summary.listed,
            "analysed": summary.analysed,
            "copied": summary.copied,
            "skipped": summary.skipped,
            "failed": summary.failed,
            "problems": len(summary.problems),
        },
    }
    manifest = {
        "schema_version": MANIFEST_SCHEMA_VERSION,
        **this_run,
        "inputs": [str(p) for p in config.inputs],
        "documents": documents,
        "problems": [asdict(p) for p in summary.problems],
        "pages_by_verdict": summary.pages_by_verdict,
        "software": {"docfraud": __version__, "python": sys.version.split()[0]},
        "models": _model_versions(analysis),
        "analysis": {
            "recognizer": str(analysis.recognizer),
            "read_text": analysis.read_text,
            "detect_tampering": analysis.detect_tampering,
            "scan_date": analysis.scan_date.isoformat() if analysis.scan_date else None,
            "limits": asdict(analysis.limits),
        },
        "database": DATABASE_NAME,
        "links": clusters,
        "runs": [*runs, this_run],
    }
    with _atomic(path) as out:
        out.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def _recorded_scan_date(path: Path) -> date | None:
    """The scan date an earlier run into the folder used (so that resuming another day does
    not redo everything), or None."""
    with contextlib.suppress(OSError, ValueError, AttributeError, TypeError, KeyError):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        return date.fromisoformat(manifest["analysis"]["scan_date"])
    return None


def _link_inputs(store: Store) -> Iterator[LinkInput]:
    """Every finished page, for link analysis."""
    for row in _audit_rows(store):
        if row.status == "complete":
            for doc in row.result.get("documents", []):
                yield link_input(row.source_name, doc)


def _model_versions(analysis: AnalysisConfig) -> dict[str, Any]:
    """Each artifact of the models folder: file, sha256 and date (from its manifest)."""
    from docfraud.artifacts import read_manifest

    try:
        artifacts = read_manifest(analysis.models_dir).get("artifacts", {})
    except (OSError, ValueError, DependencyError):
        return {}
    return {
        name: {k: entry.get(k) for k in ("file", "sha256", "created", "version") if k in entry}
        for name, entry in sorted(artifacts.items())
    }


@contextlib.contextmanager
def _atomic(path: Path, newline: str | None = None) -> Iterator[IO[str]]:
    """A text file written beside ``path`` and moved over it once complete (never half a
    report, even after a kill)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
