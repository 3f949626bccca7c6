"""The ``docfraud`` command line: ``docfraud scan [--format json|text] PATH...``.

Data go to stdout (JSON Lines, one object per input page), logs to stderr. Exit codes: 0 when
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
from docfraud.errors import DocfraudError

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
    return parser


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
        return _scan(args)
    except DocfraudError as err:
        log.error("%s: %s", err.code, err.message)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
