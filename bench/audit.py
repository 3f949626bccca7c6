"""Audit throughput and resumability: ``docfraud audit`` on a generated seizure.

Generates a seizure with ``docfraud synth --out TMP --count N --seed S`` (default 2,000 documents,
seed 5151; id cards and permits have a front and a back, so there are more images than documents)
or reuses ``--data DIR`` (a synth output folder, or a folder of images). Then runs
``python -m docfraud.cli audit IMAGES --out OUT --workers W [--executor dask] [--mrz-only]`` as a
subprocess, with a fresh OUT each time, for: local 1 worker, local 2 workers, and dask on a
2-worker LocalCluster. Reported per configuration: wall time (process start to exit, median of
``--repeat`` runs), sources/s (sources = what the audit listed: images), the ratio to local 1
worker measured in the same run, and the summary the command printed.

``--mode mrz-only`` (default) reads the MRZ and checks it; ``--mode full`` also reads the visual
zone and letters, about 0.17 documents/s on 2 cores, so 2,000 documents would take hours per
configuration: ``--sample K`` runs on the first K images only.

Kill -9 test: the local 2-worker audit is started in a new session; when a random number (seeded)
of complete scans between 20 % and 80 % of the sources is in OUT/audit.sqlite3 (polled on a
read-only connection), the whole process group is killed with SIGKILL, the rows then in the
database are read (scan_id, source_name, created_at, status), and the same command is rerun to
completion. Goals, printed as PASS/FAIL: every source has exactly one scan row; every row complete
before the kill is unchanged; the rerun's summary says analysed + copied == sources not finished
before the kill and skipped == those finished; no failures. Prints Markdown; ``--out`` also writes
it, and the raw figures as JSON beside it.

    .venv/bin/python bench/audit.py --out bench/results/audit.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from common import git_commit

ROOT = Path(__file__).resolve().parents[1]
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".pdf", ".zip"}
FORBIDDEN_SEEDS = {90417, 4321, 2031}
KILL_LOW, KILL_HIGH = 0.20, 0.80
POLL_S = 0.05
CONFIGS = (("local", 1), ("local", 2), ("dask", 2))


def _env() -> dict[str, str]:
    """The environment without the caller's DOCFRAUD_* settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith("DOCFRAUD_")}


# --- the seizure ---------------------------------------------------------------------------------


def generate(out: Path, count: int, seed: int) -> float:
    command = [sys.executable, "-m", "docfraud.cli", "synth", "--out", str(out)]
    command += ["--count", str(count), "--seed", str(seed)]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=_env(), check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def images_dir(data: Path) -> Path:
    return data / "images" if (data / "images").is_dir() else data


def sample(images: Path, k: int, tmp: Path) -> Path:
    """A folder of the first ``k`` images (by name), hard-linked (copied where links fail)."""
    out = tmp / f"sample_{k}"
    out.mkdir()
    names = sorted(p.name for p in images.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    for name in names[:k]:
        try:
            os.link(images / name, out / name)
        except OSError:
            shutil.copy(images / name, out / name)
    return out


# --- one audit -----------------------------------------------------------------------------------


def audit_command(
    images: Path, out: Path, executor: str, workers: int, mode: str, scan_date: str
) -> list[str]:
    command = [sys.executable, "-m", "docfraud.cli", "audit", str(images), "--out", str(out)]
    command += ["--workers", str(workers), "--executor", executor, "--scan-date", scan_date]
    if mode == "mrz-only":
        command.append("--mrz-only")
    return command


def run_once(command: list[str], log: Path) -> dict[str, Any]:
    """Run one audit to completion: wall time and its printed summary."""
    started = time.monotonic()
    with log.open("w") as err:
        done = subprocess.run(command, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=err)
    wall = time.monotonic() - started
    if done.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-30:]
        raise RuntimeError(f"audit exited {done.returncode}:\n" + "\n".join(tail))
    summary: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return {"wall_s": wall, "summary": summary, "tracebacks": _tracebacks(log)}


def _tracebacks(log: Path) -> int:
    return log.read_text(errors="replace").count("Traceback (most recent call last)")


def _rows(db: Path) -> list[dict[str, Any]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    con.row_factory = sqlite3.Row
    try:
        query = "SELECT scan_id, source_name, created_at, status FROM scans ORDER BY scan_id"
        return [dict(r) for r in con.execute(query)]
    finally:
        con.close()


def _complete(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            query = "SELECT count(*) FROM scans WHERE status = 'complete'"
            return int(con.execute(query).fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created or migrated yet
        return 0


# --- kill -9 -------------------------------------------------------------------------------------


def kill_test(
    images: Path, tmp: Path, sources: int, mode: str, scan_date: str, seed: int
) -> dict[str, Any]:
    out = tmp / "kill"
    command = audit_command(images, out, "local", 2, mode, scan_date)
    rng = random.Random(seed)
    target = rng.randint(max(1, round(sources * KILL_LOW)), max(1, round(sources * KILL_HIGH)))
    db = out / "audit.sqlite3"
    log = tmp / "kill_first.log"
    started = time.monotonic()
    with log.open("w") as err:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=_env(),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    ended_early = False
    try:
        while _complete(db) < target:
            if process.poll() is not None:
                ended_early = True
                break
            time.sleep(POLL_S)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the parent and its workers, at once
        process.wait()
    killed_after = time.monotonic() - started
    # read after the kill: a row committed between a read and the kill would count as finished
    before = _rows(db)
    finished_before = [r for r in before if r["status"] == "complete"]
    rerun = run_once(command, tmp / "kill_rerun.log")
    after = _rows(db)
    summary = rerun["summary"]

    by_source: dict[str, int] = {}
    for row in after:
        by_source[row["source_name"]] = by_source.get(row["source_name"], 0) + 1
    duplicates = {s: n for s, n in by_source.items() if n > 1}
    after_by_id = {r["scan_id"]: r for r in after}
    changed = [r["scan_id"] for r in finished_before if after_by_id.get(r["scan_id"]) != r]
    not_finished = sources - len(finished_before)
    redone = summary["analysed"] + summary["copied"]
    goals = [
        (
            not ended_early,
            f"the kill landed mid-run (target {target} complete scans of {sources}; "
            f"{'the audit ended first' if ended_early else f'killed after {killed_after:.1f} s'})",
        ),
        (
            len(after) == sources and len(by_source) == sources and not duplicates,
            f"every source has exactly one scan row ({len(after)} rows, {len(by_source)} sources "
            f"with a row of {sources} listed, {len(duplicates)} with more than one)",
        ),
        (
            not changed,
            f"every row complete before the kill is unchanged: same scan_id, source, created_at "
            f"({len(finished_before)} rows, {len(changed)} changed or missing)",
        ),
        (
            redone == not_finished and summary["skipped"] == len(finished_before),
            f"nothing finished redone: rerun analysed {summary['analysed']} + copied "
            f"{summary['copied']} = {redone}, sources not finished before the kill "
            f"{not_finished}; skipped {summary['skipped']} of {len(finished_before)} finished",
        ),
        (
            summary["failed"] == 0 and all(r["status"] == "complete" for r in after),
            f"no failures (rerun failed {summary['failed']}, "
            f"{sum(r['status'] != 'complete' for r in after)} rows not complete after the rerun)",
        ),
    ]
    return {
        "command": " ".join(["docfraud", *command[3:]])
        .replace(str(images), "IMAGES")
        .replace(str(out), "OUT"),
        "target": target,
        "killed_after_s": killed_after,
        "ended_early": ended_early,
        "rows_before": len(before),
        "complete_before": len(finished_before),
        "rerun_wall_s": rerun["wall_s"],
        "rerun_summary": summary,
        "rerun_tracebacks": rerun["tracebacks"],
        "rows_after": len(after),
        "duplicates": duplicates,
        "changed": changed,
        "goals": [{"pass": ok, "goal": text} for ok, text in goals],
    }


# --- the report ----------------------------------------------------------------------------------


def report(meta: dict[str, Any], runs: list[dict[str, Any]], kill: dict[str, Any]) -> str:
    lines = ["# Audit throughput and kill -9", ""]
    lines.append(
        f"{meta['date']}, {meta['machine']}, {meta['cpus']} CPUs, Python {meta['python']}, "
        f"commit {meta['commit']}. {meta['data']}"
    )
    lines.append("")
    if meta["count"] != 2000 and not meta["reused"]:
        lines.append(
            f"**{meta['count']} documents, not the issue's 2,000**: {meta['why_count']}. "
            f"The script's default is still --count 2000."
        )
        lines.append("")
    lines.append(
        f"Mode {meta['mode']}: "
        + (
            "`--mrz-only` (MRZ read and checked; no visual zone, no letters). Full reading runs "
            "about 0.17 documents/s on 2 cores, so 2,000 documents would take hours per "
            "configuration; `--mode full --sample K` runs it on the first K images."
            if meta["mode"] == "mrz-only"
            else "full reading (visual zone and letters)."
        )
    )
    lines.append("")
    lines.append(
        f"Each configuration: `docfraud audit IMAGES --out OUT --workers W [--executor dask]"
        f"{' --mrz-only' if meta['mode'] == 'mrz-only' else ''} --scan-date {meta['scan_date']}` "
        f"as a subprocess with a fresh OUT, {meta['repeat']} run(s), median wall time (process "
        f"start to exit, so imports, the Dask cluster's start and the reports are in it). "
        f"Sources = what the audit listed (images: id cards and permits have two sides). "
        f"Ratio against local 1 worker in the same run. 1-minute load average before: "
        f"{meta['load_before']:.2f}."
    )
    lines.append("")
    lines.append(
        "| executor | workers | sources | wall s (median) | audit s (printed) | sources/s | "
        "vs local 1 | analysed | copied | skipped | failed | problems | restarts | verdicts |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        s = r["summary"]
        verdicts = ", ".join(f"{k} {v}" for k, v in s["pages_by_verdict"].items())
        lines.append(
            f"| {r['executor']} | {r['workers']} | {s['listed']} | {r['wall_s']:.1f} | "
            f"{s['seconds']:.1f} | {r['per_s']:.2f} | {r['ratio']:.2f}× | {s['analysed']} | "
            f"{s['copied']} | {s['skipped']} | {s['failed']} | {s['problems']} | "
            f"{s['worker_restarts']} | {verdicts} |"
        )
    lines.append("")
    tracebacks = sum(r["tracebacks"] for r in runs)
    lines.append(f"Tracebacks in the audits' stderr: {tracebacks}.")
    lines.append("")
    rerun = {k: v for k, v in kill["rerun_summary"].items() if k not in ("out", "database")}
    lines.append("## kill -9 and rerun")
    lines.append("")
    lines.append(
        f"`{kill['command']}` started in a new session; killed (SIGKILL to the process group) "
        f"when {kill['target']} scans were complete (a seeded draw between 20 % and 80 % of the "
        f"sources), {kill['killed_after_s']:.1f} s in. Rows in the database after the kill: "
        f"{kill['rows_before']} ({kill['complete_before']} complete). The same command rerun to "
        f"completion in {kill['rerun_wall_s']:.1f} s: "
        f"`{json.dumps(rerun)}`."
    )
    lines.append("")
    for g in kill["goals"]:
        lines.append(f"- {'PASS' if g['pass'] else 'FAIL'} {g['goal']}")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="documents to generate")
    parser.add_argument("--seed", type=int, default=5151, help="synth seed (also the kill point)")
    parser.add_argument("--data", type=Path, help="reuse a synth output folder or image folder")
    parser.add_argument("--mode", choices=("mrz-only", "full"), default="mrz-only")
    parser.add_argument("--sample", type=int, help="only the first K images (by name)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration (median)")
    parser.add_argument("--why-count", default="session time", help="reason for a smaller count")
    parser.add_argument("--out", type=Path, help="write Markdown here (+ .json beside it)")
    args = parser.parse_args(argv)
    if args.seed in FORBIDDEN_SEEDS:
        parser.error(f"seed {args.seed} is reserved; pick another")

    tmp = Path(tempfile.mkdtemp(prefix="docfraud_bench_audit_"))
    try:
        load_before = os.getloadavg()[0]
        if args.data:
            images = images_dir(args.data)
            data_line = f"Seizure reused from {args.data}."
        else:
            print(f"generating {args.count} documents (seed {args.seed})...", file=sys.stderr)
            took = generate(tmp / "seizure", args.count, args.seed)
            print(f"  generated in {took:.1f} s", file=sys.stderr)
            images = images_dir(tmp / "seizure")
            data_line = (
                f"Seizure: `docfraud synth --count {args.count} --seed {args.seed}` "
                f"(generated in {took:.0f} s)."
            )
        if args.sample:
            images = sample(images, args.sample, tmp)
            data_line += f" First {args.sample} images only (--sample)."
        scan_date = date.today().isoformat()

        runs: list[dict[str, Any]] = []
        for executor, workers in CONFIGS:
            walls = []
            result: dict[str, Any] = {}
            for i in range(args.repeat):
                out = tmp / f"out_{executor}_{workers}_{i}"
                command = audit_command(images, out, executor, workers, args.mode, scan_date)
                print(f"audit {executor} {workers} worker(s), run {i + 1}...", file=sys.stderr)
                result = run_once(command, tmp / f"{executor}_{workers}_{i}.log")
                walls.append(result["wall_s"])
                print(f"  {result['wall_s']:.1f} s {result['summary']}", file=sys.stderr)
                shutil.rmtree(out, ignore_errors=True)
            wall = statistics.median(walls)
            listed = result["summary"]["listed"]
            runs.append(
                {
                    "executor": executor,
                    "workers": workers,
                    "walls_s": walls,
                    "wall_s": wall,
                    "per_s": listed / wall,
                    "summary": result["summary"],
                    "tracebacks": result["tracebacks"],
                }
            )
        for r in runs:
            r["ratio"] = r["per_s"] / runs[0]["per_s"]
        sources = runs[0]["summary"]["listed"]

        print("kill -9 test...", file=sys.stderr)
        kill = kill_test(images, tmp, sources, args.mode, scan_date, args.seed)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "commit": git_commit(),
        "load_before": load_before,
        "count": args.count,
        "seed": args.seed,
        "reused": bool(args.data),
        "why_count": args.why_count,
        "data": data_line,
        "mode": args.mode,
        "sample": args.sample,
        "repeat": args.repeat,
        "scan_date": scan_date,
    }
    text = report(meta, runs, kill)
    print(text)
    bad = not all(g["pass"] for g in kill["goals"])
    for g in kill["goals"]:
        print(f"{'PASS' if g['pass'] else 'FAIL'} {g['goal']}", file=sys.stderr)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        raw = {**meta, "runs": runs, "kill": kill}
        args.out.with_suffix(".json").write_text(
            json.dumps(raw, indent=2, default=str) + "\n", encoding="utf-8"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
