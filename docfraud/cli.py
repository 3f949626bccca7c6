"""The ``docfraud`` command line: ``docfraud scan`` to analyse documents, ``docfraud case`` to
analyse documents presented together, ``docfraud synth`` to generate labelled synthetic data,
``docfraud audit`` to audit seized folders and archives into a resumable evidence folder,
``docfraud serve`` to run the scanning-station service, ``docfraud keys`` to manage its API keys
and ``docfraud purge`` to apply the retention period.

Data go to stdout (``scan``: JSON Lines, one object per input page; ``case``: one JSON object),
logs to stderr. Exit codes: 0 when
every input was processed (an unreadable file is a processed input with verdict ``unreadable``),
2 on usage errors, 3 when a dependency (model artifact, tesseract) is missing.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docfraud import __version__
from docfraud.errors import CONFIG_OUTPUT_UNWRITABLE, ConfigError, DocfraudError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from docfraud.analysis import Analysis
    from docfraud.pipeline import Analyzer

log = logging.getLogger("docfraud")

TAMPER_HELP = (
    "run the tamper detector (TamperNet) and report TAMPER.* findings; off by default until "
    "it meets bench/detect.py's goals"
)
CALIBRATION_HELP = (
    "model and verdict thresholds measured on this site's genuine documents by "
    "`docfraud calibrate` "
    "(default: those measured at training)"
)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".pdf"}


def _expand(paths: Sequence[str]) -> list[str]:
    """Files as given; directories expand to the documents inside them, sorted."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(
                str(f)
                for f in sorted(path.iterdir())
                if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES
            )
        else:
            out.append(p)
    return out


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="docfraud", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"docfraud {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    scan = sub.add_parser("scan", help="analyse document images or PDFs")
    scan.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    scan.add_argument("--format", choices=("json", "text"), default="json")
    scan.add_argument(
        "--recognizer",
        choices=("glyph", "tesseract"),
        default="glyph",
        help="MRZ recogniser (default: the trained glyph model)",
    )
    scan.add_argument(
        "--scan-date",
        type=_parse_date,
        default=None,
        help="reference date YYYY-MM-DD (default: today)",
    )
    scan.add_argument("--tamper", action="store_true", help=TAMPER_HELP)
    scan.add_argument(
        "--calibration", type=Path, default=None, metavar="FILE", help=CALIBRATION_HELP
    )
    scan.add_argument(
        "--evidence",
        type=Path,
        default=None,
        metavar="DIR",
        help="write each page's annotated image (findings boxed, tampering heatmap) and its "
        "report into DIR",
    )
    case = sub.add_parser(
        "case", help="analyse documents presented together (passports, ID cards, a letter)"
    )
    case.add_argument("paths", nargs="+", metavar="FILE", help="the case's files or folders")
    case.add_argument("--format", choices=("json", "text"), default="json")
    case.add_argument(
        "--scan-date",
        type=_parse_date,
        default=None,
        help="reference date YYYY-MM-DD for ages and validity (default: today)",
    )
    case.add_argument("--tamper", action="store_true", help=TAMPER_HELP)
    case.add_argument(
        "--calibration", type=Path, default=None, metavar="FILE", help=CALIBRATION_HELP
    )
    audit = sub.add_parser(
        "audit",
        help="audit folders, zip archives and PDFs into an evidence folder (resumable)",
        description="Analyse every document found in the inputs in parallel and record each "
        "result at once in DIR/audit.sqlite3; rerunning the same command skips what is "
        "finished. Writes DIR/results.jsonl, findings.csv and manifest.json.",
    )
    audit.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, zip archives")
    audit.add_argument("--out", type=Path, required=True, metavar="DIR", help="evidence folder")
    audit.add_argument("--workers", type=_positive, default=None, help="processes (default: cores)")
    audit.add_argument("--executor", choices=("local", "dask"), default="local")
    audit.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786 (dask only)"
    )
    audit.add_argument(
        "--scan-date",
        type=_parse_date,
        default=None,
        help="reference date YYYY-MM-DD for expiry and ages (default: the first run's into "
        "DIR, else the day the run starts)",
    )
    audit.add_argument(
        "--mrz-only",
        action="store_true",
        help="read the MRZ and check it, not the visual zone or letters (~10x faster)",
    )
    audit.add_argument("--tamper", action="store_true", help=TAMPER_HELP)
    audit.add_argument(
        "--calibration", type=Path, default=None, metavar="FILE", help=CALIBRATION_HELP
    )
    audit.add_argument(
        "--timeout",
        type=_positive,
        default=None,
        metavar="SECONDS",
        help="per-document limit in local workers; past it the document fails with "
        "AUDIT.TIMEOUT (default 600)",
    )
    synth = sub.add_parser("synth", help="generate a labelled synthetic data set")
    synth.add_argument("--out", type=Path, help="output folder (required unless --list-templates)")
    synth.add_argument("--count", type=_non_negative, help="documents (required with --out)")
    synth.add_argument("--cases", type=_non_negative, default=0, help="case bundles in addition")
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument(
        "--kinds",
        nargs="+",
        choices=("passport", "id_card", "visa", "residence_permit"),
        default=None,
        help="document kinds (default: all)",
    )
    synth.add_argument("--templates", nargs="+", default=None, help="template names")
    synth.add_argument("--forged-share", type=_share, default=0.5, help="0..1 (default 0.5)")
    synth.add_argument(
        "--misprint-share",
        type=_share,
        default=0.0,
        help="0..1: genuine documents printed with one wrong check digit (default 0)",
    )
    synth.add_argument("--workers", type=_non_negative, default=2)
    synth.add_argument("--list-templates", action="store_true", help="print template names")
    train = sub.add_parser("train", help="retrain the models from generated data (also: train.py)")
    train.add_argument(
        "--only",
        nargs="+",
        choices=("glyphs", "portraits", "tamper", "substitution", "ghost", "fusion"),
        default=None,
        help="models to train (default: all, in this order)",
    )
    train.add_argument(
        "--quick",
        action="store_true",
        help="a few hundred samples each, under a minute: proves the workflow (written to "
        "data/generated/quick-models unless --models-dir is given)",
    )
    train.add_argument("--seed", type=int, default=None, help="replaces every model's seed")
    train.add_argument("--models-dir", type=Path, default=None, help="default: models/")
    train.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="generated training sets (default: data/generated/tamper)",
    )
    train.add_argument(
        "--labelled",
        type=Path,
        default=None,
        metavar="DIR",
        help="confirmed real cases: DIR/labels.csv (file,label[,page,scan_date,note]) lists "
        "documents in DIR as genuine or forged; the fusion learns from three quarters of them "
        "and is evaluated on the rest",
    )
    calibrate = sub.add_parser(
        "calibrate",
        help="measure model and verdict thresholds on this site's genuine documents",
        description="Analyse every document in DIR (all genuine: this site's own population) "
        "and write the model probabilities that at most 1 % (alarm) and 5 % (notice) of them "
        "reach (portrait substitution; TamperNet with --tamper), then the fraud scores that at "
        "most 5 % (suspicious) and 1 % (forged) of them exceed under those. Use the file with "
        "--calibration (scan, case, audit) or DOCFRAUD_CALIBRATION (serve).",
    )
    calibrate.add_argument("dir", type=Path, metavar="DIR", help="folder of genuine documents")
    calibrate.add_argument("--out", type=Path, required=True, metavar="FILE")
    calibrate.add_argument(
        "--mrz-only", action="store_true", help="calibrate for MRZ-only analysis (audit --mrz-only)"
    )
    calibrate.add_argument("--tamper", action="store_true", help=TAMPER_HELP)
    calibrate.add_argument("--scan-date", type=_parse_date, default=None)
    serve = sub.add_parser(
        "serve", help="run the scanning-station HTTP service (settings: DOCFRAUD_* variables)"
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8080)")
    serve.add_argument("--workers", type=_positive, help="analysis processes (default: cores)")
    serve.add_argument(
        "--data-dir", type=Path, help="database and stored images (default ./docfraud-data)"
    )
    keys = sub.add_parser("keys", help="manage the service's API keys")
    keys.add_argument("--data-dir", type=Path, help="as for serve")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help="create a key; prints its token once")
    create.add_argument("--name", required=True, help="the station's (or person's) name")
    create.add_argument("--role", choices=("station", "auditor", "admin"), default="station")
    keys_sub.add_parser("list", help="list keys (never their secrets)")
    revoke = keys_sub.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("key_id")
    purge = sub.add_parser("purge", help="delete stored scans and images past the retention period")
    purge.add_argument(
        "--older-than",
        type=_duration,
        default=None,
        help="age such as 90d, 12h or 30m (default: DOCFRAUD_RETENTION_DAYS, 90 days)",
    )
    purge.add_argument("--data-dir", type=Path, help="as for serve")
    _add_watchlist_parser(sub)
    return parser


def _add_watchlist_parser(sub: Any) -> None:
    watchlist = sub.add_parser(
        "watchlist", help="the stop-list of lost, stolen and known-fraudulent documents"
    )
    watchlist_sub = watchlist.add_subparsers(dest="watchlist_command", required=True)
    load = watchlist_sub.add_parser(
        "import",
        help="import a stop-list CSV into the store",
        description="Import a stop-list CSV (header: issuing_state,document_number,status "
        "[,portrait_hash,note,listed_on]) into the store; entries of the same list are updated, "
        "so importing a file twice changes nothing. Prints a JSON summary to stdout and each "
        "skipped row as 'line N: reason' to stderr. Exit 0 when the file was read, even if "
        "rows were skipped (see bad_rows); 2 when it cannot be read or is not a stop-list.",
    )
    load.add_argument("file", type=Path, metavar="FILE.csv")
    load.add_argument("--source", help="the list's name (default: the file name without suffix)")
    load.add_argument("--data-dir", type=Path, help="as for serve")
    counts = watchlist_sub.add_parser("list", help="entries by list and status (JSON Lines)")
    counts.add_argument("--data-dir", type=Path, help="as for serve")


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _duration(text: str) -> timedelta:
    units = {"d": "days", "h": "hours", "m": "minutes"}
    number, unit = text[:-1], text[-1:].lower()
    if unit not in units or not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"not a duration such as 90d, 12h or 30m: {text!r}")
    return timedelta(**{units[unit]: int(number)})


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from exc
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value}")
    return value


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {value}")
    return value


def _synth(args: argparse.Namespace) -> int:
    from docfraud.synth.dataset import DOCUMENT_KINDS, SynthConfig, generate, select_templates
    from docfraud.synth.records import DocKind
    from docfraud.synth.templates import TEMPLATES

    if args.list_templates:
        for t in TEMPLATES:
            sys.stdout.write(f"{t.name}\t{t.kind.value}\t{t.mrz_format.value}\n")
        return 0
    if args.out is None or args.count is None:
        log.error("docfraud synth needs --out DIR and --count N")
        return 2
    if args.out.exists() and not args.out.is_dir():
        log.error("--out %s exists and is not a folder", args.out)
        return 2
    known = {t.name for t in TEMPLATES}
    unknown = sorted(set(args.templates or ()) - known)
    if unknown:
        log.error("unknown template(s): %s (see --list-templates)", ", ".join(unknown))
        return 2
    config = SynthConfig(
        out=args.out,
        count=args.count,
        cases=args.cases,
        seed=args.seed,
        kinds=tuple(DocKind(k) for k in args.kinds) if args.kinds else DOCUMENT_KINDS,
        templates=tuple(args.templates or ()),
        forged_share=args.forged_share,
        misprint_share=args.misprint_share,
        workers=args.workers,
    )
    if args.count and not select_templates(config):
        log.error("no template is of the requested kinds (see --list-templates)")
        return 2
    try:
        manifest = generate(config)
    except OSError as exc:
        raise ConfigError(
            CONFIG_OUTPUT_UNWRITABLE, f"cannot write the data set to {args.out}: {exc}"
        ) from exc
    sys.stdout.write(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return 0


def _scan(args: argparse.Namespace) -> int:
    from docfraud.config import AnalysisConfig
    from docfraud.ocr.recognizer import RecognizerKind
    from docfraud.pipeline import Analyzer
    from docfraud.report.json import analysis_to_dict
    from docfraud.report.text import render_text

    analyzer = Analyzer(
        AnalysisConfig(
            recognizer=RecognizerKind(args.recognizer),
            scan_date=args.scan_date,
            detect_tampering=args.tamper,
            calibration=args.calibration,
        )
    )
    for path in _expand(args.paths):
        if args.evidence is None:
            analyses = analyzer.analyze_path(path)
        else:
            analyses = _with_evidence(args.evidence, analyzer, path)
        for analysis in analyses:
            if args.format == "json":
                sys.stdout.write(json.dumps(analysis_to_dict(analysis), ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(render_text(analysis) + "\n\n")
            sys.stdout.flush()
    return 0


def _with_evidence(out: Path, analyzer: Analyzer, path: str) -> tuple[Analysis, ...]:
    """``path``'s analyses, each page's evidence image and report written as it is analysed
    (the input decoded once); an input that could not be decoded gets its report."""
    from docfraud.report.evidence import write_evidence

    decoded: list[Analysis] = []

    def write(analysis: Analysis, bgr: npt.NDArray[np.uint8]) -> None:
        write_evidence(out, analysis, bgr)
        decoded.append(analysis)

    try:
        analyses = analyzer.analyze_path(path, on_page=write)
        if not decoded:  # nothing to draw on: the report alone
            for analysis in analyses:
                write_evidence(out, analysis, None)
    except OSError as exc:
        raise ConfigError(
            CONFIG_OUTPUT_UNWRITABLE, f"cannot write evidence to {out}: {exc}"
        ) from exc
    return analyses


def _case(args: argparse.Namespace) -> int:
    from docfraud.case import analyze_case
    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer
    from docfraud.report.json import case_to_dict
    from docfraud.report.text import render_case_text

    analyzer = Analyzer(
        AnalysisConfig(
            scan_date=args.scan_date, detect_tampering=args.tamper, calibration=args.calibration
        )
    )
    case = analyze_case(analyzer, _expand(args.paths))
    if args.format == "json":
        sys.stdout.write(json.dumps(case_to_dict(case), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_case_text(case) + "\n")
    return 0


def _audit(args: argparse.Namespace) -> int:
    import os

    from docfraud.audit.executors import DEFAULT_TIMEOUT_S
    from docfraud.audit.run import AuditConfig, ExecutorKind, run_audit
    from docfraud.config import AnalysisConfig

    if args.scheduler and args.executor != "dask":
        log.error("--scheduler needs --executor dask")
        return 2
    config = AuditConfig(
        inputs=tuple(Path(p) for p in args.inputs),
        out_dir=args.out,
        workers=args.workers or os.cpu_count() or 1,
        executor=ExecutorKind(args.executor),
        scheduler=args.scheduler,
        scan_date=args.scan_date,
        analysis=AnalysisConfig(
            read_text=not args.mrz_only,
            detect_tampering=args.tamper,
            calibration=args.calibration,
        ),
        command_line=("docfraud", *args.argv),
        timeout_s=float(args.timeout or DEFAULT_TIMEOUT_S),
    )
    watchlist_store = _watchlist_store(args)
    try:
        if watchlist_store is not None:
            from docfraud.store.watchlist import load_watchlist

            config = replace(config, watchlist=load_watchlist(_settings(args), watchlist_store))
        summary = run_audit(config, stream=sys.stderr)
    finally:
        if watchlist_store is not None:
            watchlist_store.close()
    sys.stdout.write(
        json.dumps(
            {
                "out": str(summary.out_dir),
                "database": str(summary.database),
                "listed": summary.listed,
                "analysed": summary.analysed,
                "copied": summary.copied,
                "skipped": summary.skipped,
                "failed": summary.failed,
                "problems": len(summary.problems),
                "pages_by_verdict": summary.pages_by_verdict,
                "worker_restarts": summary.worker_restarts,
                "seconds": round((summary.ended_at - summary.started_at).total_seconds(), 1),
            }
        )
        + "\n"
    )
    return 0


def _watchlist_store(args: argparse.Namespace) -> Any:
    """The store holding the stop-list (``docfraud watchlist import`` writes it), or None when
    none is configured: no DOCFRAUD_DATABASE_URL, no adapter and no database in the data dir."""
    settings = _settings(args)
    default = settings.data_dir / "docfraud.sqlite3"
    if not (settings.database_url or settings.watchlist_adapter or default.is_file()):
        return None
    return _open_store(args)


def _settings(args: argparse.Namespace, **overrides: object) -> Any:
    """The deployment settings from DOCFRAUD_* variables, with the command line's overrides."""
    from docfraud.config import Settings

    given = {k: v for k, v in overrides.items() if v is not None}
    if getattr(args, "data_dir", None) is not None:
        given["data_dir"] = args.data_dir
    return Settings.model_validate(given)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from docfraud.serve.app import create_app

    settings = _settings(args, host=args.host, port=args.port, workers=args.workers)
    log.setLevel(logging.INFO)  # a service logs each scan (by sha256, never its content)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        timeout_graceful_shutdown=10,
    )
    return 0


def _open_store(args: argparse.Namespace) -> Any:
    from docfraud.store.db import Store

    settings = _settings(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.from_settings(settings)
    store.migrate()
    return store


def _keys(args: argparse.Namespace) -> int:
    from docfraud.store.db import Role

    store = _open_store(args)
    try:
        if args.keys_command == "create":
            key, token = store.create_key(args.name, Role(args.role))
            sys.stdout.write(
                json.dumps(
                    {"key_id": key.key_id, "name": key.name, "role": key.role.value, "token": token}
                )
                + "\n"
            )
            log.warning("the token is shown once; only its hash is stored")
        elif args.keys_command == "list":
            for key in store.list_keys():
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                sys.stdout.write(
                    f"{key.key_id}\t{key.role.value}\t{state}\t{key.created_at:%Y-%m-%d}\t{key.name}\n"
                )
        elif not store.revoke_key(args.key_id):
            log.error("no active key %s", args.key_id)
            return 1
    finally:
        store.close()
    return 0


def _purge(args: argparse.Namespace) -> int:
    store = _open_store(args)
    older_than = args.older_than or timedelta(days=_settings(args).retention_days)
    try:
        report = store.purge(older_than)
    finally:
        store.close()
    sys.stdout.write(
        json.dumps(
            {
                "older_than_days": older_than.total_seconds() / 86400,
                "scans": report.scans,
                "cases": report.cases,
                "images": report.images,
                "bytes_freed": report.bytes_freed,
            }
        )
        + "\n"
    )
    return 0


def _watchlist(args: argparse.Namespace) -> int:
    from docfraud.store.watchlist import import_csv

    store = _open_store(args)
    try:
        if args.watchlist_command == "list":
            for source, status, entries in store.count_watchlist():
                row = {"source": source, "status": status, "entries": entries}
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            return 0
        report = import_csv(store, args.file, source=args.source)
    finally:
        store.close()
    for bad in report.bad_rows:
        sys.stderr.write(f"line {bad.line}: {bad.reason}\n")
    if report.bad > len(report.bad_rows):
        sys.stderr.write(f"… and {report.bad - len(report.bad_rows)} more bad rows\n")
    if report.ignored_columns:
        sys.stderr.write(f"ignored columns: {', '.join(report.ignored_columns)}\n")
    summary = {
        "source": report.source,
        "rows": report.rows,
        "imported": report.imported,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "bad_rows": report.bad,
    }
    sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from docfraud.config import AnalysisConfig
    from docfraud.fusion.calibrate import calibrate
    from docfraud.pipeline import Analyzer

    analyzer = Analyzer(
        AnalysisConfig(
            scan_date=args.scan_date, read_text=not args.mrz_only, detect_tampering=args.tamper
        )
    )
    files = _expand([str(args.dir)])
    if not files:
        log.error("no documents in %s", args.dir)
        return 2
    try:
        summary = calibrate(analyzer, files, args.out)
    except OSError as exc:
        raise ConfigError(
            CONFIG_OUTPUT_UNWRITABLE, f"cannot write the calibration to {args.out}: {exc}"
        ) from exc
    sys.stdout.write(json.dumps(summary, sort_keys=True) + "\n")
    return 0


def _train(args: argparse.Namespace) -> int:
    from docfraud.training import MODELS, train_models

    logging.getLogger("docfraud").setLevel(logging.INFO)
    metrics = train_models(
        args.only or MODELS,
        quick=args.quick,
        seed=args.seed,
        models_dir=args.models_dir,
        data_dir=args.data_dir,
        labelled_dir=args.labelled,
    )
    sys.stdout.write(json.dumps(metrics, sort_keys=True, default=str) + "\n")
    return 0


COMMANDS = {
    "scan": _scan,
    "case": _case,
    "audit": _audit,
    "synth": _synth,
    "train": _train,
    "calibrate": _calibrate,
    "serve": _serve,
    "keys": _keys,
    "purge": _purge,
    "watchlist": _watchlist,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # as typed, for audit manifests
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return COMMANDS[args.command](args)
    except DocfraudError as err:
        log.error("%s: %s", err.code, err.message)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
