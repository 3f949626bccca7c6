"""Forgery detection benchmark: generated documents of held-out templates and of the held-out
forgery type, through the whole pipeline.

Generates a ``docfraud synth`` set with a seed no model or rule was tuned on, analyses every
image with the committed models (in worker processes), and reports for each held-out set:

- ROC AUC of the fraud score (with TamperNet on), of the same score without the ``TAMPER.*``
  findings (the consistency checks alone: the baseline, in the same run) and of TamperNet's
  peak alone. Genuine images of the same set are the negatives: those of the held-out templates
  for ``test_template``; those of the training templates for ``test_forgery``, whose forgeries
  are on training templates;
- the rate of forged images caught at the score thresholds where 5 % and 1 % of those genuine
  images raise an alarm (thresholds measured in this run, so the figures are the ranking's);
- localisation: the share of caught forgeries (at 5 %) with a finding whose region overlaps the
  forged pixels (the synthetic masks);
- per forgery type, the catch rate at 5 %; and the verdicts on genuine images;
- the ghost-portrait check on the designs that print a ghost beside the portrait: portrait
  substitutions it flags (beside the print check's), and genuine pages it flags.

``--read-text`` adds the visual zone and letters (tesseract; ~2 s an image instead of ~0.3 s),
which the MRZ-against-visual-zone checks need to see MRZ edits with recomputed check digits.

    .venv/bin/python bench/detect.py --out bench/results/detect.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SPECIMENS = ROOT.parent / "shared" / "data" / "specimens"
SPECIMEN_FORGED_GOAL = 1
"""Issue 5: on the real specimens (all genuine) ``forged`` fires on at most 1 of 22."""
DEFAULT_SEED = 8803
FORBIDDEN_SEEDS = {90417, 4321, 2031, 5151, 6007, 7, 3109, 3110, 1, 11, 3151, 3152, 4151, 4152}
"""Other benches' seeds, development sets' and the tamper and ghost models' training seeds."""
SCAN_DATE = date(2026, 6, 1)
GOALS = {"test_template": 0.98, "test_forgery": 0.95}
LOCALISATION_GOAL = 0.80
DETECTORS = {
    "score": "fraud score",
    "score_checks": "fraud score without TAMPER.*",
    "tamper": "TamperNet peak",
}

_ANALYZER: Any = None


def _init(read_text: bool) -> None:
    global _ANALYZER
    import cv2
    import torch

    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer

    cv2.setNumThreads(1)
    torch.set_num_threads(1)
    _ANALYZER = Analyzer(
        AnalysisConfig(scan_date=SCAN_DATE, read_text=read_text, detect_tampering=True)
    )


def _analyse(job: tuple[str, str, str | None]) -> dict[str, Any]:
    """One image: its score, verdict, TamperNet peak, findings, and which of them lie on the
    forged pixels."""
    import cv2

    from docfraud.fusion.verdict import fraud_score

    image_path, record_id, mask_path = job
    t0 = time.perf_counter()
    analysis = _ANALYZER.analyze_path(image_path)[0]
    seconds = time.perf_counter() - t0
    mask = cv2.imread(mask_path, cv2.IMREAD_GRAYSCALE) if mask_path else None
    on_mask = []
    for f in analysis.findings:
        regions = ([f.region] if f.region is not None else []) + list(f.related)
        if mask is not None and any(_touches(mask, r.box) for r in regions):
            on_mask.append(f.code)
    return {
        "id": record_id,
        "score": analysis.fraud_score,
        "score_checks": fraud_score(
            f for f in analysis.findings if not f.code.startswith("TAMPER.")
        ),
        "verdict": analysis.verdict.value,
        "tamper": analysis.tamper.peak if analysis.tamper is not None else 0.0,
        "ghost": analysis.ghost.different if analysis.ghost is not None else None,
        "codes": sorted({f.code for f in analysis.findings if f.severity.value != "info"}),
        "on_mask": sorted(set(on_mask)),
        "seconds": round(seconds, 3),
    }


def _touches(mask: Any, box: tuple[int, int, int, int] | list[int]) -> bool:
    x, y, w, h = (int(v) for v in box)
    return bool((mask[max(0, y) : y + h, max(0, x) : x + w] > 127).any())


def evaluate(records: list[dict[str, Any]], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from docfraud.imaging.train_tamper import roc_auc, threshold_at

    sets: dict[str, Any] = {}
    for name in GOALS:
        negatives = "test_template" if name == "test_template" else "train"
        genuine = [r for r in records if r["split"] == negatives and r["label"] == "genuine"]
        forged = [r for r in records if r["split"] == name and r["label"] == "forged"]
        if not genuine or not forged:
            continue
        entry: dict[str, Any] = {"genuine": len(genuine), "forged": len(forged)}
        for key in DETECTORS:
            g = np.array([results[r["id"]][key] for r in genuine], float)
            f = np.array([results[r["id"]][key] for r in forged], float)
            at5, at1 = threshold_at(g, 0.05), threshold_at(g, 0.01)
            entry[key] = {
                "roc_auc": round(roc_auc(g, f), 4),
                "tpr_at_5pct_fpr": round(float(np.mean([v >= at5 for v in f])), 4),
                "tpr_at_1pct_fpr": round(float(np.mean([v >= at1 for v in f])), 4),
                "threshold_5pct": round(at5, 4),
            }
        at5 = threshold_at(np.array([results[r["id"]]["score"] for r in genuine], float), 0.05)
        caught = [r for r in forged if results[r["id"]]["score"] >= at5]
        located = [r for r in caught if results[r["id"]]["on_mask"]]
        entry["caught_at_5pct"] = len(caught)
        entry["localised"] = len(located)
        entry["localisation"] = round(len(located) / len(caught), 4) if caught else float("nan")
        by_type: dict[str, list[bool]] = defaultdict(list)
        for r in forged:
            by_type[r["forgery"]["type"]].append(results[r["id"]]["score"] >= at5)
        entry["by_type"] = {t: [sum(v), len(v)] for t, v in sorted(by_type.items())}
        sets[name] = entry
    verdicts = Counter(results[r["id"]]["verdict"] for r in records if r["label"] == "genuine")
    seconds = [results[r["id"]]["seconds"] for r in records]
    return {
        "sets": sets,
        "ghost": ghost_check(records, results),
        "genuine_verdicts": dict(verdicts),
        "median_s": round(statistics.median(seconds), 3),
        "p95_s": round(float(np.quantile(seconds, 0.95)), 3),
    }


def ghost_check(
    records: list[dict[str, Any]], results: dict[str, dict[str, Any]]
) -> dict[str, list[int]]:
    """The ghost-portrait check on every page of the designs that print a ghost beside the
    portrait (all splits: GhostNet learnt from other seeds): portrait substitutions flagged by
    it, by the substitution model, by either; genuine pages flagged; and genuine pages of the
    other designs flagged (a ghost seen where there is none)."""
    from docfraud.imaging.train_ghost import HELD_OUT_GHOST, ghost_templates
    from docfraud.imaging.train_substitution import substituted

    def flagged(r: dict[str, Any], prefix: str) -> bool:
        return any(c.startswith(prefix) for c in results[r["id"]]["codes"])

    designs = set(ghost_templates())
    pages = [r for r in records if r["template"] in designs and r["side"] == "page"]
    swapped = [r for r in pages if substituted(r)]
    learnt = [r for r in pages if r["label"] == "genuine" and r["template"] != HELD_OUT_GHOST]
    unseen = [r for r in pages if r["label"] == "genuine" and r["template"] == HELD_OUT_GHOST]
    others = [
        r
        for r in records
        if r["template"] not in designs
        and r["label"] == "genuine"
        and results[r["id"]]["ghost"] is not None
    ]
    ghost, print_ = "PORTRAIT.GHOST", "PORTRAIT.SUBSTITUTED"
    alarm = "PORTRAIT.GHOST.MISMATCH"

    def at_alarm(r: dict[str, Any]) -> bool:
        return alarm in results[r["id"]]["codes"]

    return {
        "substituted_ghost_check": [sum(flagged(r, ghost) for r in swapped), len(swapped)],
        "substituted_print_check": [sum(flagged(r, print_) for r in swapped), len(swapped)],
        "substituted_either": [
            sum(flagged(r, ghost) or flagged(r, print_) for r in swapped),
            len(swapped),
        ],
        "genuine_learnt_alarm": [sum(at_alarm(r) for r in learnt), len(learnt)],
        "genuine_learnt_flagged": [sum(flagged(r, ghost) for r in learnt), len(learnt)],
        "genuine_unseen_alarm": [sum(at_alarm(r) for r in unseen), len(unseen)],
        "genuine_unseen_flagged": [sum(flagged(r, ghost) for r in unseen), len(unseen)],
        "other_designs_alarm": [sum(at_alarm(r) for r in others), len(others)],
        "other_designs_flagged": [sum(flagged(r, ghost) for r in others), len(others)],
    }


def _ghost_lines(ghost: dict[str, list[int]]) -> list[str]:
    def share(key: str) -> str:
        hit, n = ghost[key]
        return f"{hit}/{n}" + (f" ({hit / n:.0%})" if n else "")

    return [
        "",
        "Ghost portrait check (`PORTRAIT.GHOST.*`) on the pages of the designs that print a ghost "
        "beside the portrait, every split of this seed:",
        "",
        f"- portrait substitutions flagged: {share('substituted_ghost_check')} by the ghost check, "
        f"{share('substituted_print_check')} by the print check (`PORTRAIT.SUBSTITUTED*`), "
        f"{share('substituted_either')} by either;",
        "- genuine pages at the alarm (`MISMATCH`) / at the alarm or notice (`.WEAK` too): "
        f"designs GhostNet learnt from {share('genuine_learnt_alarm')} / "
        f"{share('genuine_learnt_flagged')}; its held-out ghost design "
        f"{share('genuine_unseen_alarm')} / {share('genuine_unseen_flagged')}; the designs "
        f"without a ghost {share('other_designs_alarm')} / {share('other_designs_flagged')}.",
    ]


def _specimen_files() -> list[str]:
    truth = SPECIMENS / "truth.json"
    if not truth.is_file():
        print(f"no specimens at {SPECIMENS}: their verdicts are not measured", file=sys.stderr)
        return []
    return sorted(str(t["file"]) for t in json.loads(truth.read_text(encoding="utf-8")))


def _specimen_lines(specimens: dict[str, dict[str, Any]]) -> list[str]:
    if not specimens:
        return []
    verdicts = Counter(s["verdict"] for s in specimens.values())
    forged = verdicts.get("forged", 0)
    ok = "PASS" if forged <= SPECIMEN_FORGED_GOAL else "FAIL"
    lines = [
        "",
        f"Real specimens (../shared/data/specimens, all genuine, {len(specimens)}): "
        + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))
        + f"; `forged` on {forged} (goal ≤ {SPECIMEN_FORGED_GOAL}: {ok}).",
        "",
        "| specimen | verdict | score | warning and critical findings |",
        "|---|---|---|---|",
    ]
    for name, s in specimens.items():
        if s["verdict"] != "genuine":
            codes = ", ".join(s["codes"]) or "–"
            lines.append(f"| {name} | {s['verdict']} | {s['score']:.3f} | {codes} |")
    return lines


def report(meta: dict[str, Any], result: dict[str, Any]) -> str:
    lines = [
        "# Forgery detection on held-out templates and a held-out forgery type",
        "",
        f"`bench/detect.py`, {meta['date']}, commit {meta['commit']}, Python {meta['python']}, "
        f"{meta['machine']} ({meta['cpus']} CPUs); {meta['documents']} generated documents "
        f"(seed {meta['seed']}, {meta['images']} images), scan date {SCAN_DATE}, "
        f"visual zone {'read' if meta['read_text'] else 'not read (MRZ and models only)'}; "
        f"{meta['workers']} worker processes, {meta['wall_s']:.0f} s.",
        "",
        "| set | genuine | forged | detector | ROC AUC | TPR @ 5 % FPR | TPR @ 1 % FPR | goal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in result["sets"].items():
        for key, label in DETECTORS.items():
            m = entry[key]
            goal = GOALS[name]
            verdict = ("PASS" if m["roc_auc"] >= goal else "FAIL") if key == "score" else ""
            lines.append(
                f"| {name} | {entry['genuine']} | {entry['forged']} | {label} | {m['roc_auc']:.4f} "
                f"| {m['tpr_at_5pct_fpr']:.1%} | {m['tpr_at_1pct_fpr']:.1%} | "
                f"≥ {goal} {verdict} |"
            )
    lines += ["", "Localisation (caught at 5 % FPR with a finding on the forged pixels):", ""]
    for name, entry in result["sets"].items():
        ok = "PASS" if entry["localisation"] >= LOCALISATION_GOAL else "FAIL"
        lines.append(
            f"- {name}: {entry['localised']}/{entry['caught_at_5pct']} "
            f"({entry['localisation']:.1%}; goal ≥ {LOCALISATION_GOAL:.0%} {ok})"
        )
    lines += [
        "",
        "Caught at 5 % FPR, by forgery type:",
        "",
        "| forgery | " + " | ".join(result["sets"]) + " |",
        "|---|" + "---|" * len(result["sets"]),
    ]
    types = sorted({t for e in result["sets"].values() for t in e["by_type"]})
    for t in types:
        cells = []
        for entry in result["sets"].values():
            hit, n = entry["by_type"].get(t, [0, 0])
            cells.append(f"{hit}/{n}" if n else "–")
        lines.append(f"| {t} | " + " | ".join(cells) + " |")
    verdicts = ", ".join(f"{k} {v}" for k, v in sorted(result["genuine_verdicts"].items()))
    lines += [
        "",
        f"Verdicts on all genuine images: {verdicts}. Seconds per image (analysis in a worker, "
        f"one thread): median {result['median_s']}, p95 {result['p95_s']}.",
    ]
    lines += _ghost_lines(result["ghost"])
    lines += _specimen_lines(result.get("specimens", {}))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=800, help="documents to generate")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--data", type=Path, help="reuse a synth folder (with labels.jsonl)")
    parser.add_argument("--read-text", action="store_true", help="read the visual zone too")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write Markdown here (+ .json beside it)")
    args = parser.parse_args(argv)
    if args.data is None and args.seed in FORBIDDEN_SEEDS:
        parser.error(f"seed {args.seed} belongs to another bench, to development or to training")
    from docfraud.artifacts import code_version
    from docfraud.synth.dataset import SynthConfig, generate

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="docfraud-detect-") as tmp:
        data = args.data or Path(tmp)
        if args.data is None:
            generate(
                SynthConfig(
                    out=data, count=args.count, seed=args.seed, workers=args.workers, sheet_items=0
                )
            )
        manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
        with (data / "labels.jsonl").open(encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh]
        jobs = [
            (
                str(data / r["file"]),
                r["id"],
                str(data / r["forgery"]["mask"]) if r["forgery"] else None,
            )
            for r in records
        ]
        specimens = _specimen_files()
        jobs += [(str(SPECIMENS / name), f"specimen:{name}", None) for name in specimens]
        with ProcessPoolExecutor(
            args.workers, initializer=_init, initargs=(args.read_text,)
        ) as pool:
            results = {r["id"]: r for r in pool.map(_analyse, jobs, chunksize=4)}
    result = evaluate(records, results)
    result["specimens"] = {
        name: {k: results[f"specimen:{name}"][k] for k in ("verdict", "score", "codes")}
        for name in specimens
    }
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "commit": code_version(),
        "documents": manifest["documents"],
        "images": len(records),
        "seed": manifest["seed"],
        "read_text": args.read_text,
        "workers": args.workers,
        "wall_s": time.perf_counter() - started,
    }
    text = report(meta, result)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        raw = {"meta": meta, "result": result, "images": results}
        args.out.with_suffix(".json").write_text(json.dumps(raw, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
