"""Case benchmark: are planted inconsistencies reported with the right code, and only them?

1. Generates case bundles (child passport, adult passport, a consent letter or guardianship
   order, sometimes a parent's ID card) with ``docfraud synth``'s case generator, most with one
   or two planted inconsistencies (never two where the second would take back the first), and
   runs ``docfraud case`` logic on each bundle.
   For each planted type: the share of cases where the expected code is reported (in the case
   findings or on the letter). For clean cases: the share with no critical finding, and which
   codes fire on them.
2. Scans the shared real specimens (all genuine) and lists every critical finding, next to
   whether the specimen itself is inconsistent (``truth.json``: check digits invalid as printed,
   the notes).

    .venv/bin/python bench/cases.py --out bench/results/cases.md

For development use another seed than the default (which must stay untuned), and ``--dump`` to
see, per case, the planted types against the codes found:

    .venv/bin/python bench/cases.py --cases 40 --seed 777 --workers 1 --dump /tmp/cases.jsonl \
        --out /tmp/cases.md
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from docfraud.synth.dataset import SynthConfig, generate
from docfraud.types import Severity

ROOT = Path(__file__).resolve().parents[1]
SPECIMENS = ROOT.parent / "shared" / "data" / "specimens"
EXPECTED = {
    "child_name": "CASE.CHILD.NAME_MISMATCH",
    "child_birth_date": "CASE.CHILD.BIRTH_DATE_MISMATCH",
    "child_document_number": "CASE.CHILD.DOCUMENT_NUMBER_MISMATCH",
    "adult_name": "CASE.ADULT.NAME_MISMATCH",
    "adult_document_number": "CASE.ADULT.DOCUMENT_NUMBER_MISMATCH",
    "consent_expired": "LETTER.EXPIRED",
    "consent_future": "LETTER.DATED_IN_FUTURE",
    "child_not_minor": "CASE.CHILD.NOT_MINOR",
    "adult_is_minor": "CASE.ADULT.IS_MINOR",
    "authority": "LETTER.AUTHORITY.IMPLAUSIBLE",
    "no_seal": "LETTER.SEAL.MISSING",
    "no_signature": "LETTER.SIGNATURE.MISSING",
}
"""The code each planted inconsistency must be reported with."""

_analyzer: Any = None


def _init(scan_date: date) -> None:
    global _analyzer
    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer

    _analyzer = Analyzer(AnalysisConfig(scan_date=scan_date))


def _run_case(files: list[str]) -> dict[str, Any]:
    from docfraud.case import analyze_case

    t0 = time.perf_counter()
    case = analyze_case(_analyzer, files)
    findings = list(case.findings) + [f for a in case.documents for f in a.findings]
    return {
        "codes": sorted({f.code for f in findings if f.severity >= Severity.WARNING}),
        "critical": sorted({f.code for f in findings if f.severity is Severity.CRITICAL}),
        "verdict": case.verdict.value,
        "seconds": time.perf_counter() - t0,
    }


def _scan(path: str) -> dict[str, Any]:
    a = _analyzer.analyze_path(path)[0]
    return {
        "critical": [(f.code, f.message) for f in a.findings if f.severity is Severity.CRITICAL],
        "verdict": a.verdict.value,
        "fields": len(a.viz.fields) if a.viz else 0,
    }


def bench_cases(
    out_dir: Path, count: int, seed: int, workers: int, dump: Path | None = None
) -> dict[str, Any]:
    config = SynthConfig(out=out_dir, count=0, cases=count, seed=seed, planted_share=0.8)
    manifest = generate(config)
    scan_date = date.fromisoformat(manifest["scan_date"])
    bundles: dict[str, list[str]] = defaultdict(list)
    planted: dict[str, list[str]] = {}
    for line in (out_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        bundles[item["case_id"]].append(str(out_dir / item["file"]))
        planted[item["case_id"]] = [p["type"] for p in item["planted"]]
    ids = sorted(bundles)
    with ProcessPoolExecutor(workers, initializer=_init, initargs=(scan_date,)) as pool:
        results = dict(zip(ids, pool.map(_run_case, [bundles[i] for i in ids]), strict=True))
    if dump is not None:
        with dump.open("w", encoding="utf-8") as f:
            for case_id, result in results.items():
                expected = sorted(EXPECTED[t] for t in planted[case_id])
                row = {"case_id": case_id, "planted": planted[case_id], "expected": expected}
                row |= {k: result[k] for k in ("codes", "critical", "verdict")}
                row["missed"] = [c for c in expected if c not in result["codes"]]
                f.write(json.dumps(row) + "\n")
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    clean_ok = clean_total = 0
    clean_codes: Counter[str] = Counter()
    planted_extra: Counter[str] = Counter()
    for case_id, result in results.items():
        types = planted[case_id]
        if not types:
            clean_total += 1
            clean_ok += not result["critical"]
            clean_codes.update(result["codes"])
            continue
        wanted = {EXPECTED[t] for t in types}
        for t in types:
            totals[t] += 1
            hits[t] += EXPECTED[t] in result["codes"]
        planted_extra.update(c for c in result["critical"] if c not in wanted)
    return {
        "cases": len(ids),
        "hits": hits,
        "totals": totals,
        "clean_ok": clean_ok,
        "clean_total": clean_total,
        "clean_codes": clean_codes,
        "planted_extra": planted_extra,
        "median_s": statistics.median(r["seconds"] for r in results.values()),
        "scan_date": scan_date,
    }


def bench_specimens(workers: int) -> list[dict[str, Any]] | None:
    truth_path = SPECIMENS / "truth.json"
    if not truth_path.is_file():
        return None
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    paths = [str(SPECIMENS / t["file"]) for t in truth]
    with ProcessPoolExecutor(workers, initializer=_init, initargs=(date.today(),)) as pool:
        scans = list(pool.map(_scan, paths))
    return [{**t, **s} for t, s in zip(truth, scans, strict=True)]


def render(cases: dict[str, Any], specimens: list[dict[str, Any]] | None, seed: int) -> str:
    out = [
        "# Cases and consistency checks",
        "",
        f"`bench/cases.py`, {date.today()}, Python {platform.python_version()}, "
        f"{platform.machine()}; {cases['cases']} generated cases (seed {seed}, scan date "
        f"{cases['scan_date']}), median {cases['median_s']:.1f} s per case.",
        "",
        "## Planted inconsistencies reported with the right code",
        "",
        "| planted type | expected code | reported | rate |",
        "|---|---|---|---|",
    ]
    for kind, code in EXPECTED.items():
        n, k = cases["totals"][kind], cases["hits"][kind]
        rate = f"{k / n:.0%}" if n else "–"
        out.append(f"| {kind} | `{code}` | {k}/{n} | {rate} |")
    n_all, k_all = sum(cases["totals"].values()), sum(cases["hits"].values())
    out += [
        f"| **all** | | {k_all}/{n_all} | {k_all / max(n_all, 1):.0%} |",
        "",
        f"Clean cases with no critical finding: {cases['clean_ok']}/{cases['clean_total']} "
        f"({cases['clean_ok'] / max(cases['clean_total'], 1):.0%}).",
        "",
        "Codes (warning or critical) on clean cases: "
        + (", ".join(f"`{c}` ×{n}" for c, n in cases["clean_codes"].most_common()) or "none")
        + ".",
        "",
        "Critical codes on planted cases other than the planted ones: "
        + (", ".join(f"`{c}` ×{n}" for c, n in cases["planted_extra"].most_common()) or "none")
        + ".",
        "",
        "## Shared specimens (genuine): critical findings",
        "",
    ]
    if specimens is None:
        out.append(f"Skipped: no specimens at {SPECIMENS}.")
        return "\n".join(out) + "\n"
    clean = sum(not s["critical"] for s in specimens)
    out += [
        f"{clean}/{len(specimens)} specimens raise no critical finding.",
        "",
        "| specimen | verdict | check digits valid as printed | critical findings |",
        "|---|---|---|---|",
    ]
    for s in specimens:
        crit = "; ".join(f"`{c}`: {m}" for c, m in s["critical"]) or "–"
        out.append(f"| {s['file']} | {s['verdict']} | {s['check_digits_valid']} | {crit} |")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=240)
    parser.add_argument("--seed", type=int, default=4321)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "cases.md")
    parser.add_argument(
        "--dump", type=Path, help="write one JSON line per case: planted types, codes, misses"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = bench_cases(Path(tmp), args.cases, args.seed, args.workers, args.dump)
    specimens = bench_specimens(args.workers)
    report = render(cases, specimens, args.seed)
    args.out.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
