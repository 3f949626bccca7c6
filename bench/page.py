"""Time to analyse one page on one core, with every model the scan loads: issue 5 asks for a
median under 150 ms for a passport page.

Each image is analysed the way ``docfraud scan --mrz-only`` does (MRZ with GlyphNet, document
outline, portrait located and embedded by PortraitNet, its print scored by the substitution
model, every check, the fusion's score), then with TamperNet on as well (``--tamper``), and read
by PassportEye's ``read_mrz`` (the baseline: the open-source MRZ reader, which does far less)
in the same run. One torch thread, one OpenCV thread, models loaded before timing; each image is
timed ``--repeat`` times and its median kept. Images: the 22 real specimens of
``../shared/data/specimens`` and the committed generated sample (``data/samples/synth``, scans,
reader images and phone photos). Prints Markdown; ``--out`` also writes it and the raw figures
as JSON beside it.

    .venv/bin/python bench/page.py --out bench/results/page.md
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from common import ROOT, run_meta

SPECIMENS = ROOT.parent / "shared" / "data" / "specimens"
SAMPLES = ROOT / "data" / "samples" / "synth" / "images"
GOAL_MS = 150.0
STAGES = ("mrz", "document", "portrait", "tamper", "checks")


def images() -> dict[str, list[Path]]:
    """The benchmark's images by set (the specimens' only where ../shared is present)."""
    sets = {"generated sample": sorted(SAMPLES.glob("*.*"))}
    if (SPECIMENS / "truth.json").is_file():
        truth = json.loads((SPECIMENS / "truth.json").read_text(encoding="utf-8"))
        sets = {"real specimens": [SPECIMENS / str(t["file"]) for t in truth], **sets}
    else:
        print(f"no specimens at {SPECIMENS}: generated sample only", file=sys.stderr)
    return sets


def timed(
    analyse: Callable[[Path], Any], paths: Sequence[Path], repeat: int
) -> tuple[list[float], list[Any]]:
    """Per image, the median seconds of ``repeat`` runs, and the last run's result."""
    analyse(paths[0])  # warm-up: first-call costs are not per image
    seconds, results = [], []
    for path in paths:
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = analyse(path)
            runs.append(time.perf_counter() - t0)
        seconds.append(statistics.median(runs))
        results.append(result)
    return seconds, results


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="write Markdown here (+ .json beside it)")
    args = parser.parse_args(argv)

    import cv2
    import torch

    warnings.filterwarnings("ignore", category=FutureWarning)  # PassportEye's skimage calls
    from passporteye import read_mrz

    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer

    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    readers: dict[str, Callable[[Path], Any]] = {
        "docfraud (scan --mrz-only)": Analyzer(AnalysisConfig(read_text=False)).analyze_path,
        "docfraud + TamperNet (--tamper)": Analyzer(
            AnalysisConfig(read_text=False, detect_tampering=True)
        ).analyze_path,
        "PassportEye read_mrz (baseline)": lambda p: read_mrz(str(p)),
    }
    figures: dict[str, dict[str, Any]] = {}
    for set_name, paths in images().items():
        for reader, analyse in readers.items():
            seconds, results = timed(analyse, paths, args.repeat)
            stages = {}
            if reader.startswith("docfraud"):
                pages = [page for result in results for page in result]
                stages = {
                    s: statistics.median(dict(p.timings_ms).get(s, 0.0) for p in pages)
                    for s in STAGES
                }
            figures[f"{set_name}|{reader}"] = {
                "set": set_name,
                "reader": reader,
                "images": len(paths),
                "median_ms": 1000 * statistics.median(seconds),
                "p95_ms": 1000 * percentile(seconds, 0.95),
                "stage_median_ms": stages,
            }
    meta = {
        **run_meta(),
        "torch_threads": torch.get_num_threads(),
        "repeat": args.repeat,
    }
    text = report(meta, figures)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        args.out.with_suffix(".json").write_text(
            json.dumps({"meta": meta, "figures": list(figures.values())}, indent=2) + "\n"
        )
    return 0


def report(meta: dict[str, Any], figures: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# One page on one core",
        "",
        f"{meta['date']}, {meta['machine']}, {meta['cpus']} CPUs, Python {meta['python']}, "
        f"commit {meta['commit']}; {meta['torch_threads']} torch thread, 1 OpenCV thread, "
        f"models loaded before timing, each image timed {meta['repeat']} times (its median "
        "kept); seconds from the file to the result.",
        "",
        "| images | reader | n | median ms | p95 ms | vs baseline | "
        + " | ".join(f"{s} ms" for s in STAGES)
        + " |",
        "|---|---|---|---|---|---|" + "---|" * len(STAGES),
    ]
    verdicts = []
    for f in figures.values():
        baseline = next(
            g for g in figures.values() if g["set"] == f["set"] and "baseline" in g["reader"]
        )
        ratio = f["median_ms"] / baseline["median_ms"]
        stages = " | ".join(
            f"{f['stage_median_ms'][s]:.1f}" if f["stage_median_ms"] else "–" for s in STAGES
        )
        lines.append(
            f"| {f['set']} | {f['reader']} | {f['images']} | {f['median_ms']:.1f} | "
            f"{f['p95_ms']:.1f} | {ratio:.2f}× | {stages} |"
        )
        if f["reader"].startswith("docfraud (scan"):
            ok = f["median_ms"] < GOAL_MS
            verdicts.append(
                f"- {'PASS' if ok else 'FAIL'} median under {GOAL_MS:.0f} ms on one core "
                f"({f['set']}: {f['median_ms']:.1f} ms)"
            )
    lines += ["", *verdicts]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
