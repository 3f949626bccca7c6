"""The ``docfraud`` command line: ``docfraud scan`` to analyse documents, ``docfraud case`` to
analyse documents presented together, ``docfraud synth`` to generate labelled synthetic data.

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
from datetime import date
from pathlib import Path

from docfraud import __version__
from docfraud.errors import CONFIG_OUTPUT_UNWRITABLE, ConfigError, DocfraudError

log = logging.getLogger("docfraud")

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
    synth.add_argument("--workers", type=_non_negative, default=2)
    synth.add_argument("--list-templates", action="store_true", help="print template names")
    return parser


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
        AnalysisConfig(recognizer=RecognizerKind(args.recognizer), scan_date=args.scan_date)
    )
    for path in _expand(args.paths):
        for analysis in analyzer.analyze_path(path):
            if args.format == "json":
                sys.stdout.write(json.dumps(analysis_to_dict(analysis), ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(render_text(analysis) + "\n\n")
            sys.stdout.flush()
    return 0


def _case(args: argparse.Namespace) -> int:
    from docfraud.case import analyze_case
    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer
    from docfraud.report.json import case_to_dict
    from docfraud.report.text import render_case_text

    analyzer = Analyzer(AnalysisConfig(scan_date=args.scan_date))
    case = analyze_case(analyzer, _expand(args.paths))
    if args.format == "json":
        sys.stdout.write(json.dumps(case_to_dict(case), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_case_text(case) + "\n")
    return 0


COMMANDS = {"scan": _scan, "case": _case, "synth": _synth}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exc.code or 0)
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
