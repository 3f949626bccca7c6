"""MRZ reading benchmark: docfraud against PassportEye, in the same run, on the shared specimens.

For each reader: documents read exactly (every line equal to truth.json), character accuracy
(1 - edit distance / length over all MRZ text), MRZ found, and median / p95 seconds per image
(file read to parsed MRZ, models already loaded), and for docfraud's recognisers the median
time spent in the recogniser alone per MRZ (every candidate, orientation and cell shift the
reader tries on the image). Prints Markdown; ``--out`` also writes it.

    .venv/bin/python bench/mrz.py --out bench/results/mrz.md
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
SPECIMENS = ROOT.parent / "shared" / "data" / "specimens"


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class TimedRecognizer:
    """The analyzer's recogniser, with the seconds spent in it (all of an image's MRZ lines,
    every candidate, orientation and cell shift the reader tries) added up."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0

    @property
    def version(self) -> str:
        return str(self.inner.version)

    @property
    def reads_cells(self) -> bool:
        return bool(self.inner.reads_cells)

    def read_lines(self, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return self.inner.read_lines(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - t0


class DocfraudReader:
    """docfraud's MRZ path with one recogniser; ``recognizer_s`` is the last image's time in
    the recogniser alone."""

    def __init__(self, recognizer: str) -> None:
        from docfraud.config import AnalysisConfig
        from docfraud.ocr.recognizer import RecognizerKind
        from docfraud.pipeline import Analyzer

        self.analyzer = Analyzer(
            AnalysisConfig(recognizer=RecognizerKind(recognizer), read_text=False)
        )
        self.timed = TimedRecognizer(self.analyzer.recognizer)
        self.analyzer.recognizer = self.timed
        self.recognizer_s: float | None = None

    def __call__(self, path: Path) -> list[str] | None:
        self.timed.seconds = 0.0
        result = self.analyzer.analyze_path(path)[0]
        self.recognizer_s = self.timed.seconds
        return list(result.mrz.lines) if result.mrz is not None else None


def passporteye_reader() -> Callable[[Path], list[str] | None]:
    from passporteye import read_mrz
    from passporteye.mrz.text import MRZOCRCleaner

    def read(path: Path) -> list[str] | None:
        mrz = read_mrz(str(path))
        if mrz is None:
            return None
        return list(MRZOCRCleaner.apply(mrz.aux["raw_text"]))

    return read


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run(
    name: str, read: Callable[[Path], list[str] | None], truth: list[dict[str, object]]
) -> dict[str, object]:
    read(SPECIMENS / str(truth[0]["file"]))  # warm-up: first-call costs are not per image
    times, recognizer_times, exact, found, errors, total = [], [], 0, 0, 0, 0
    per_file: dict[str, bool] = {}
    for item in truth:
        expected = [str(x) for x in cast("list[object]", item["mrz"])]
        t0 = time.perf_counter()
        got = read(SPECIMENS / str(item["file"]))
        times.append(time.perf_counter() - t0)
        recognizer_s = getattr(read, "recognizer_s", None)
        if recognizer_s is not None:
            recognizer_times.append(recognizer_s)
        found += got is not None
        ok = got == expected
        exact += ok
        per_file[str(item["file"])] = ok
        errors += edit_distance("\n".join(got or []), "\n".join(expected))
        total += len("\n".join(expected))
        print(
            f"  {name:12s} {item['file']:24s} {'exact' if ok else 'DIFF '} {times[-1]:.3f}s {got}",
            file=sys.stderr,
        )
    return {
        "name": name,
        "exact": exact,
        "found": found,
        "n": len(truth),
        "char_accuracy": max(0.0, 1 - errors / total),
        "median_s": statistics.median(times),
        "p95_s": percentile(times, 0.95),
        "recognizer_median_ms": statistics.median(recognizer_times) * 1000
        if recognizer_times
        else None,
        "per_file": per_file,
    }


def _ms(value: object) -> str:
    return "–" if value is None else f"{float(value):.1f}"  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    parser.add_argument("--skip-passporteye", action="store_true")
    parser.add_argument(
        "--threads", type=int, help="torch threads for docfraud's recogniser (default: torch's)"
    )
    args = parser.parse_args(argv)
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    truth_path = SPECIMENS / "truth.json"
    if not truth_path.is_file():
        print(f"no specimens at {SPECIMENS}", file=sys.stderr)
        return 2
    truth = [t for t in json.loads(truth_path.read_text()) if t.get("mrz")]
    results = [
        run("docfraud", DocfraudReader("glyph"), truth),
        run("docfraud-tesseract", DocfraudReader("tesseract"), truth),
    ]
    if not args.skip_passporteye:
        results.append(run("passporteye", passporteye_reader(), truth))
    base = results[0]
    lines = [
        "# MRZ reading: docfraud vs PassportEye",
        "",
        f"{date.today().isoformat()}, {platform.machine()}, Python {platform.python_version()}, "
        f"{len(truth)} specimens in ../shared/data/specimens (truth.json); all readers in one run, "
        f"one process, models loaded before timing, {torch.get_num_threads()} torch thread(s); "
        "time per image = file to parsed MRZ.",
        "",
        "| reader | read exactly | char accuracy | MRZ found | median s/image | p95 s/image "
        "| median vs docfraud | median ms in the recogniser per MRZ |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = float(r["median_s"]) / float(base["median_s"])  # type: ignore[arg-type]
        lines.append(
            f"| {r['name']} | {r['exact']}/{r['n']} | {float(r['char_accuracy']):.4f} "  # type: ignore[arg-type]
            f"| {r['found']}/{r['n']} | {float(r['median_s']):.3f} | {float(r['p95_s']):.3f} "  # type: ignore[arg-type]
            f"| {ratio:.1f}× | {_ms(r['recognizer_median_ms'])} |"
        )
    lines += [
        "",
        "Per file (exact = all lines equal to truth):",
        "",
        "| file | " + " | ".join(str(r["name"]) for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    for item in truth:
        f = str(item["file"])
        cells = ["exact" if r["per_file"][f] else "—" for r in results]  # type: ignore[index]
        lines.append(f"| {f} | " + " | ".join(cells) + " |")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
