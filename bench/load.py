"""The service under load: simulated scanning stations posting real documents to a local server.

Starts ``python serve.py`` on a free loopback port with a fresh data directory and the default
settings, except a rate limit of 100000 requests per key a minute: a real station sends a document
every few seconds, these send back to back, and the bench measures the analysis queue, not the
rate limiter. One station key per simulated station is created with ``docfraud keys create``
first. For each level of ``--stations`` (default 1, 4 and 16) the stations post for
``--duration`` seconds, each on its own client and key, cycling through the specimens in an order
of its own. A 503 (the bounded queue is full: backpressure) makes a station wait its Retry-After
before the next document, as a real station would. Then a soak of ``--soak`` seconds at 16
stations samples the resident memory of the server and its workers every 5 s.

Reported per level: requests, accepted (200), 503s, other 4xx, other 5xx, transport errors, p50
and p99 latency of accepted requests, p50 of 503 answers, throughput (accepted/s) and its ratio
to the 1-station level of the same run; the background (visual zone) queue depth at the end of
the level. Goals, printed as PASS/FAIL: at 16 stations no 5xx but 503 (and no transport error),
p99 of accepted requests under 2 s, resident memory flat over the soak. Prints Markdown;
``--out`` also writes it, and the raw figures as JSON beside it.

    .venv/bin/python bench/load.py --out bench/results/load.md
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
from common import git_commit

ROOT = Path(__file__).resolve().parents[1]
SPECIMENS = ROOT.parent / "shared" / "data" / "specimens"
SAMPLES = ROOT / "data" / "samples"
RATE_LIMIT_PER_MINUTE = 100_000
RSS_EVERY_S = 5.0
PROGRESS_EVERY_S = 10.0
SOAK_WARMUP_S = 30.0
SOAK_STATIONS = 16
P99_GOAL_S = 2.0
RSS_DRIFT_GOAL = 0.10
RSS_SLOPE_GOAL_MIB_MIN = 1.0
CLIENT_TIMEOUT_S = 90.0
LOG_TAIL_LINES = 40
MIB = 1024 * 1024
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


# --- documents and the server --------------------------------------------------------------------


def documents() -> tuple[list[tuple[str, bytes]], str]:
    """The specimens listed in truth.json (else data/samples/*.jpg|png) and where they came from."""
    truth = SPECIMENS / "truth.json"
    if truth.is_file():
        docs = []
        for item in json.loads(truth.read_text(encoding="utf-8")):
            path = SPECIMENS / str(item["file"])
            if path.is_file():
                docs.append((path.name, path.read_bytes()))
            else:
                print(f"  {path} is listed in truth.json but absent; skipped", file=sys.stderr)
        if docs:
            return docs, f"{len(docs)} specimens in ../shared/data/specimens (truth.json)"
    print(f"no specimens at {SPECIMENS}; using {SAMPLES}/*.jpg|png", file=sys.stderr)
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() in MEDIA_TYPES)
    docs = [(p.name, p.read_bytes()) for p in paths]
    return docs, f"{len(docs)} sample images in data/samples"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    data_dir: Path
    log: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    def tree_rss(self) -> tuple[int, int]:
        """Resident bytes of the server process and all its children (the analysis workers),
        and of the server process alone."""
        if self.process is None:
            return 0, 0
        try:
            parent = psutil.Process(self.process.pid)
            own = parent.memory_info().rss
            children = parent.children(recursive=True)
        except psutil.NoSuchProcess:
            return 0, 0
        total = own
        for proc in children:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass  # a worker being replaced
        return total, own

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> list[str]:
        if not self.log.is_file():
            return []
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]


def server_env(data_dir: Path, port: int, workers: int | None) -> dict[str, str]:
    """The environment without the caller's DOCFRAUD_* settings: defaults, plus the bench's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFRAUD_")}
    env.update(
        DOCFRAUD_DATA_DIR=str(data_dir),
        DOCFRAUD_PORT=str(port),
        DOCFRAUD_RATE_LIMIT_PER_MINUTE=str(RATE_LIMIT_PER_MINUTE),
    )
    if workers is not None:
        env["DOCFRAUD_WORKERS"] = str(workers)
    return env


def resolved_settings(env: dict[str, str]) -> dict[str, Any]:
    """The settings the server will run with, as the service itself reads them."""
    code = "from docfraud.config import Settings; print(Settings().model_dump_json())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    settings: dict[str, Any] = json.loads(out.stdout)
    return settings


def create_keys(env: dict[str, str], count: int) -> list[str]:
    tokens = []
    for i in range(count):
        out = subprocess.run(
            [sys.executable, "-m", "docfraud.cli", "keys", "create"]
            + ["--name", f"load-station-{i:02d}", "--role", "station"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        tokens.append(json.loads(out.stdout)["token"])
    return tokens


def start_server(server: Server) -> None:
    """``python serve.py``; returns once /readyz answers 200."""
    with server.log.open("wb") as out:
        server.process = subprocess.Popen(
            [sys.executable, "serve.py"],
            cwd=ROOT,
            env=server.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("the server exited:\n" + "\n".join(server.log_tail()))
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)  # polling a starting server: nothing to wait on but the socket
    raise RuntimeError("the server did not become ready:\n" + "\n".join(server.log_tail()))


def stop_server(server: Server) -> int | None:
    """SIGTERM (a graceful shutdown: the workers are stopped by the server), then kill what is
    left of the server and the workers it started. Returns the server's exit status."""
    process = server.process
    if process is None or process.poll() is not None:
        return None if process is None else process.returncode
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        print("  the server did not stop in 30 s; killing it", file=sys.stderr)
        process.kill()
        process.wait(timeout=10)
    _, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        print(f"  worker {child.pid} outlived the server; killing it", file=sys.stderr)
        child.kill()
    return process.returncode


def scrape(server: Server) -> dict[str, float]:
    """Unlabelled gauges and counters from GET /metrics (queue depths, workers, restarts)."""
    try:
        text = httpx.get(f"{server.url}/metrics", timeout=10).text
    except httpx.TransportError:
        return {}
    values = {}
    for line in text.splitlines():
        match = re.fullmatch(r"(docfraud_[a-z_]+) ([0-9.eE+-]+)", line)
        if match:
            values[match[1]] = float(match[2])
    return values


# --- stations ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Request:
    at: float
    """Seconds from the start of the level to the request being sent."""
    status: int
    """HTTP status; 0 for a transport error (refused, reset, timed out)."""
    latency: float
    source: str = ""
    scan_status: str = ""
    """For a 200: "partial" (visual zone queued for the background), "complete"."""
    dropped_text: bool = False
    """For a 200: the background queue was full, the visual zone will not be read."""


@dataclass
class Run:
    """One load level: the requests of every station."""

    stations: int
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = 0.0
    ended: float = 0.0
    rss: list[tuple[float, int, int]] = field(default_factory=list)
    """(seconds, bytes of the whole tree, bytes of the server process alone)."""
    metrics: dict[str, float] = field(default_factory=dict)
    load_average: float = 0.0
    """The machine's 1-minute load average at the end (other work on it shows here)."""

    def add(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)

    def snapshot(self) -> list[Request]:
        with self.lock:
            return list(self.requests)


def station(
    server: Server,
    token: str,
    docs: list[tuple[str, bytes]],
    seed: int,
    run: Run,
    deadline: float,
    stop: threading.Event,
) -> None:
    """Post documents back to back until ``deadline``; after a 503 or a 429, wait Retry-After."""
    order = list(docs)
    random.Random(seed).shuffle(order)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=CLIENT_TIMEOUT_S) as client:
        i = 0
        while not stop.is_set() and time.monotonic() < deadline:
            name, data = order[i % len(order)]
            i += 1
            media_type = MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
            sent = time.monotonic()
            try:
                response = client.post("/v1/scans", files={"file": (name, data, media_type)})
            except httpx.TransportError as exc:
                run.add(Request(sent - run.started, 0, time.monotonic() - sent, name))
                print(f"  station {seed}: {type(exc).__name__}: {exc}", file=sys.stderr)
                stop.wait(1.0)  # a real station would not hammer a server that drops it
                continue
            latency = time.monotonic() - sent
            request = Request(sent - run.started, response.status_code, latency, name)
            if response.status_code == 200:
                body = response.json()
                request.scan_status = str(body.get("status", ""))
                request.dropped_text = any(
                    skip.get("check") == "viz.background" and "busy" in skip.get("reason", "")
                    for doc in body.get("documents", [])
                    for skip in doc.get("skipped", [])
                )
            run.add(request)
            if response.status_code in (429, 503):
                try:
                    wait = float(response.headers.get("Retry-After", "1"))
                except ValueError:
                    wait = 1.0
                stop.wait(max(0.0, min(wait, deadline - time.monotonic())))


def run_level(
    server: Server,
    tokens: Sequence[str],
    docs: list[tuple[str, bytes]],
    stations: int,
    duration: float,
    label: str,
    sample_rss: bool = False,
) -> Run:
    run = Run(stations)
    stop = threading.Event()
    run.started = time.monotonic()
    deadline = run.started + duration
    threads = [
        threading.Thread(
            target=station,
            args=(server, tokens[i], docs, i, run, deadline, stop),
            name=f"station-{i}",
            daemon=True,
        )
        for i in range(stations)
    ]
    for thread in threads:
        thread.start()
    next_rss = run.started
    next_progress = run.started + PROGRESS_EVERY_S
    try:
        while any(t.is_alive() for t in threads):
            now = time.monotonic()
            if sample_rss and now >= next_rss and now < deadline:
                run.rss.append((now - run.started, *server.tree_rss()))
                next_rss += RSS_EVERY_S
            if now >= next_progress:
                _progress(label, run, now - run.started)
                next_progress += PROGRESS_EVERY_S
            wake = min(next_progress, next_rss if sample_rss and next_rss < deadline else 1e18)
            time.sleep(min(1.0, max(0.05, wake - time.monotonic())))  # stations run in threads
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=CLIENT_TIMEOUT_S)
    run.ended = time.monotonic()  # no RSS sample now: with the load gone the workers differ
    run.metrics = scrape(server)
    run.load_average = os.getloadavg()[0]
    return run


def _progress(label: str, run: Run, elapsed: float) -> None:
    reqs = run.snapshot()
    ok = [r.latency for r in reqs if r.status == 200]
    busy = sum(r.status == 503 for r in reqs)
    other = sum(r.status not in (200, 503) for r in reqs)
    p50 = f"{statistics.median(ok):.2f}s" if ok else "-"
    rss = f", RSS {run.rss[-1][1] / MIB:.0f} MiB" if run.rss else ""
    print(
        f"  {label}: {elapsed:5.0f}s {len(reqs)} requests, {len(ok)} accepted (p50 {p50}), "
        f"{busy} 503, {other} other{rss}",
        file=sys.stderr,
    )


# --- figures -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def level_stats(run: Run) -> dict[str, Any]:
    reqs = run.requests
    accepted = [r.latency for r in reqs if r.status == 200]
    busy = [r.latency for r in reqs if r.status == 503]
    elapsed = run.ended - run.started
    statuses: dict[str, int] = {}
    for r in reqs:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    per_document: dict[str, list[float]] = {}
    for r in reqs:
        if r.status == 200:
            per_document.setdefault(r.source, []).append(r.latency)
    return {
        "stations": run.stations,
        "seconds": elapsed,
        "requests": len(reqs),
        "accepted": len(accepted),
        "busy_503": len(busy),
        "other_4xx": sum(400 <= r.status < 500 for r in reqs),
        "other_5xx": sum(500 <= r.status < 600 and r.status != 503 for r in reqs),
        "transport_errors": sum(r.status == 0 for r in reqs),
        "statuses": statuses,
        "p50_s": statistics.median(accepted) if accepted else None,
        "p99_s": percentile(accepted, 0.99) if accepted else None,
        "max_s": max(accepted) if accepted else None,
        "p50_503_s": statistics.median(busy) if busy else None,
        "throughput": len(accepted) / elapsed if elapsed > 0 else 0.0,
        "text_queued": sum(r.scan_status == "partial" for r in reqs if r.status == 200),
        "text_dropped": sum(r.dropped_text for r in reqs if r.status == 200),
        "background_queue_depth": run.metrics.get("docfraud_background_queue_depth"),
        "queue_depth": run.metrics.get("docfraud_queue_depth"),
        "worker_restarts": run.metrics.get("docfraud_worker_restarts_total"),
        "load_average_1m_at_end": run.load_average,
        "accepted_by_document": {
            name: {"n": len(v), "p50_s": statistics.median(v), "max_s": max(v)}
            for name, v in sorted(per_document.items())
        },
    }


def slope_per_min(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MiB) points, in MiB per minute."""
    if len(points) < 2:
        return 0.0
    mt = statistics.fmean(t for t, _ in points)
    mm = statistics.fmean(m for _, m in points)
    den = sum((t - mt) ** 2 for t, _ in points)
    return 60 * sum((t - mt) * (m - mm) for t, m in points) / den if den else 0.0


def rss_stats(run: Run, warmup: float) -> dict[str, Any]:
    """Start (first sample after the warm-up), end, max and least-squares slope after warm-up;
    the slope of the server process alone and of its workers alone, to tell where growth is."""
    series = [(t, b / MIB, own / MIB) for t, b, own in run.rss if b > 0]
    samples = [(t, m) for t, m, _ in series]
    after = [(t, m) for t, m in samples if t >= warmup] or samples[-1:]
    if not after:
        return {"samples": 0}
    start, end = after[0][1], after[-1][1]
    slope = slope_per_min(after)
    kept = [x for x in series if x[0] >= warmup] or series[-1:]
    server = [(t, own) for t, _, own in kept]
    workers = [(t, m - own) for t, m, own in kept]
    drift = (end - start) / start if start else 0.0
    return {
        "samples": len(samples),
        "warmup_s": warmup,
        "before_warmup_mib": samples[0][1],
        "start_mib": start,
        "end_mib": end,
        "max_mib": max(m for _, m in samples),
        "slope_mib_per_min": slope,
        "drift": drift,
        "flat": abs(drift) <= RSS_DRIFT_GOAL and slope < RSS_SLOPE_GOAL_MIB_MIN,
        "server_start_mib": server[0][1],
        "server_end_mib": server[-1][1],
        "server_slope_mib_per_min": slope_per_min(server),
        "workers_slope_mib_per_min": slope_per_min(workers),
        "series_mib": [(round(t, 1), round(m, 1), round(own, 1)) for t, m, own in series],
    }


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def goals(
    levels: list[dict[str, Any]], soak: dict[str, Any] | None, rss: dict[str, Any] | None
) -> list[tuple[bool, str]]:
    """The issue's goals, judged on the 16-station level and the soak (also 16 stations)."""
    at16 = [s for s in levels if s["stations"] == SOAK_STATIONS] + ([soak] if soak else [])
    if not at16:
        return []
    where = ", ".join(
        f"{'soak' if s is soak else 'level'} {s['other_5xx']} 5xx, {s['transport_errors']} "
        "transport errors"
        for s in at16
    )
    lines = [
        (
            all(s["other_5xx"] == 0 and s["transport_errors"] == 0 for s in at16),
            f"16 stations: no 5xx other than 503 ({where})",
        )
    ]
    p99s = [s["p99_s"] for s in at16 if s["p99_s"] is not None]
    lines.append(
        (
            bool(p99s) and max(p99s) < P99_GOAL_S,
            f"16 stations: p99 of accepted requests < {P99_GOAL_S:g} s ("
            + ", ".join(f"{'soak' if s is soak else 'level'} {_s(s['p99_s'])} s" for s in at16)
            + ")",
        )
    )
    if rss and rss.get("samples"):
        lines.append(
            (
                bool(rss["flat"]),
                f"RSS flat over the soak (start {rss['start_mib']:.0f} MiB after "
                f"{rss['warmup_s']:g} s, end {rss['end_mib']:.0f} MiB, {rss['drift']:+.1%}, "
                f"slope {rss['slope_mib_per_min']:+.2f} MiB/min)",
            )
        )
    return lines


def report(
    meta: dict[str, Any],
    levels: list[dict[str, Any]],
    soak: dict[str, Any] | None,
    rss: dict[str, Any] | None,
    verdicts: list[tuple[bool, str]],
    log_lines: list[str],
) -> str:
    s = meta["settings"]
    lines = [
        "# The service under load: simulated scanning stations",
        "",
        f"{meta['date']}, {meta['machine']}, {meta['cpus']} CPUs, Python {meta['python']}, "
        f"commit {meta['commit']}. {meta['documents']}; each station cycles through them in "
        "an order of its own, posting back to back (no think time) on its own client and key; "
        "a 503 makes it wait Retry-After. Clients and server share the machine "
        f"(1-minute load average before the run: {meta['load_before']:.2f}).",
        "",
        f"Server: `python serve.py`, default settings: workers {s['workers']}, queue size "
        f"{s['queue_size']}, background queue {s['background_queue_size']}, text reading "
        f"{s['text_reading']}, request timeout {s['request_timeout_s']:g} s, "
        f"{s['database_url'] or 'SQLite'} in a fresh data directory; except the rate limit, "
        f"{s['rate_limit_per_minute']} per key a minute (default 120: real stations send a "
        "document every few seconds, these back to back)"
        + (f"; workers set by --workers {meta['workers_flag']}" if meta["workers_flag"] else "")
        + ".",
        "",
        f"{meta['duration_s']:g} s per level. Latency: request sent to answer read, at the client. "
        "Accepted = 200. Throughput = accepted / s. Background queue = scans waiting for their "
        "visual zone to be read (GET /metrics) at the end of the level; visual zone queued / "
        "dropped = accepted answers whose stored scan is completed later, or never because the "
        "background queue was full. Load 1m = the machine's load average at the end of the level.",
        "",
        "| stations | requests | accepted | 503 | other 4xx | other 5xx | transport errors "
        "| p50 accepted s | p99 accepted s | max accepted s | p50 503 s | accepted/s "
        "| vs 1 station | background queue | visual zone queued / dropped | load 1m |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = next((x for x in levels if x["stations"] == 1), None)
    for x in levels + ([soak] if soak else []):
        name = f"{x['stations']}" if x is not soak else f"{x['stations']} (soak)"
        ratio = (
            f"{x['throughput'] / base['throughput']:.2f}×" if base and base["throughput"] else "—"
        )
        depth = x["background_queue_depth"]
        lines.append(
            f"| {name} | {x['requests']} | {x['accepted']} | {x['busy_503']} | {x['other_4xx']} "
            f"| {x['other_5xx']} | {x['transport_errors']} | {_s(x['p50_s'])} | {_s(x['p99_s'])} "
            f"| {_s(x['max_s'])} | {_s(x['p50_503_s'])} | {x['throughput']:.2f} | {ratio} "
            f"| {'—' if depth is None else f'{depth:.0f}'} "
            f"| {x['text_queued']} / {x['text_dropped']} | {x['load_average_1m_at_end']:.1f} |"
        )
    if rss and rss.get("samples"):
        lines += [
            "",
            f"Soak: {meta['soak_s']:g} s at {SOAK_STATIONS} stations, resident memory of the "
            f"server and its workers (sum of RSS) every {RSS_EVERY_S:g} s, "
            f"{rss['samples']} samples.",
            "",
            "| before warm-up MiB | start MiB (after warm-up) | end MiB | max MiB | end vs start "
            "| slope MiB/min | flat |",
            "|---|---|---|---|---|---|---|",
            f"| {rss['before_warmup_mib']:.0f} | {rss['start_mib']:.0f} ({rss['warmup_s']:g} s) "
            f"| {rss['end_mib']:.0f} | {rss['max_mib']:.0f} | {rss['drift']:+.1%} "
            f"| {rss['slope_mib_per_min']:+.2f} | {'yes' if rss['flat'] else 'no'} |",
            "",
            f"Flat: end within {RSS_DRIFT_GOAL:.0%} of the start and slope under "
            f"{RSS_SLOPE_GOAL_MIB_MIN:g} MiB/min. After the warm-up the server process alone went "
            f"from {rss['server_start_mib']:.0f} to {rss['server_end_mib']:.0f} MiB (slope "
            f"{rss['server_slope_mib_per_min']:+.2f} MiB/min), the workers together "
            f"{rss['workers_slope_mib_per_min']:+.2f} MiB/min. The series is in the JSON sidecar.",
        ]
    if verdicts:
        lines += ["", "Goals:", ""]
        lines += [f"- {'PASS' if ok else 'FAIL'} {text}" for ok, text in verdicts]
    stored = meta["stored_scans"]
    if stored:
        lines += [
            "",
            f"Stored scans after the server stopped: {stored.get('complete', 0)} complete "
            f"({stored['visual_zone_not_read']} of all scans say their visual zone was not read), "
            f"{stored.get('partial', 0)} still partial, {stored.get('failed', 0)} failed.",
        ]
    lines += ["", meta["server_log"]]
    if log_lines:
        lines += ["", "Server log, last lines:", "", "```", *log_lines, "```"]
    return "\n".join(lines) + "\n"


def stored_scans(data_dir: Path) -> dict[str, int]:
    """Scans in the (SQLite) store by status, and how many say their visual zone was not read."""
    path = data_dir / "docfraud.sqlite3"
    if not path.is_file():
        return {}
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        counts = {
            str(k): int(v)
            for k, v in db.execute("SELECT status, count(*) FROM scans GROUP BY status")
        }
        (skipped,) = db.execute(
            "SELECT count(*) FROM scans WHERE result LIKE '%viz.background%'"
        ).fetchone()
    return {**counts, "visual_zone_not_read": int(skipped)}


def log_summary(server: Server) -> tuple[str, bool]:
    """A line on the server log (tracebacks, errors, warnings) and whether it shows trouble."""
    if not server.log.is_file():
        return "Server log: none.", False
    text = server.log.read_text(encoding="utf-8", errors="replace")
    tracebacks = text.count("Traceback")
    errors = len(re.findall(r"\bERROR\b|\bCRITICAL\b", text))
    warnings = len(re.findall(r"\bWARNING\b", text))
    line = f"Server log: {tracebacks} tracebacks, {errors} error lines, {warnings} warnings."
    return line, bool(tracebacks or errors)


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per level")
    parser.add_argument(
        "--soak", type=float, default=300.0, help=f"seconds at {SOAK_STATIONS} stations (0: none)"
    )
    parser.add_argument("--workers", type=int, help="DOCFRAUD_WORKERS (default: one per core)")
    parser.add_argument(
        "--out", type=Path, help="also write the Markdown report here, and its .json beside it"
    )
    args = parser.parse_args(argv)
    if min(args.stations) < 1 or args.duration <= 0 or args.soak < 0:
        parser.error("stations must be 1 or more, duration positive, soak 0 or more")

    load_before = os.getloadavg()[0]
    docs, source = documents()
    if not docs:
        print("no documents to post", file=sys.stderr)
        return 2
    keys_needed = max([*args.stations, SOAK_STATIONS if args.soak else 1])
    tmp = Path(tempfile.mkdtemp(prefix="docfraud-load-"))
    port = free_port()
    env = server_env(tmp / "data", port, args.workers)
    server = Server(f"http://127.0.0.1:{port}", tmp / "data", tmp / "server.log", env)
    levels: list[dict[str, Any]] = []
    soak: dict[str, Any] | None = None
    rss: dict[str, Any] | None = None
    failed = True
    try:
        settings = resolved_settings(env)
        print(f"creating {keys_needed} station keys in {server.data_dir}", file=sys.stderr)
        tokens = create_keys(env, keys_needed)
        print(f"starting the server on {server.url}", file=sys.stderr)
        start_server(server)
        print(f"ready: {httpx.get(f'{server.url}/readyz', timeout=10).json()}", file=sys.stderr)
        for n in args.stations:
            print(f"{n} stations for {args.duration:g} s", file=sys.stderr)
            stats = level_stats(
                run_level(server, tokens, docs, n, args.duration, f"{n:2d} stations")
            )
            levels.append(stats)
            print(f"  {json.dumps(_brief(stats))}", file=sys.stderr)
        if args.soak:
            warmup = min(SOAK_WARMUP_S, args.soak / 2)
            print(f"soak: {SOAK_STATIONS} stations for {args.soak:g} s", file=sys.stderr)
            run = run_level(server, tokens, docs, SOAK_STATIONS, args.soak, "soak", sample_rss=True)
            soak = level_stats(run)
            rss = rss_stats(run, warmup)
            print(f"  {json.dumps(_brief(soak))}", file=sys.stderr)
        failed = False
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    finally:
        exit_status = stop_server(server)
        log_line, trouble = log_summary(server)
        if exit_status not in (None, 0, -signal.SIGTERM):  # uvicorn re-raises the signal
            log_line += f" The server exited with status {exit_status}."
            trouble = True
        tail = server.log_tail()
        stored = stored_scans(server.data_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        if failed:
            print("the bench did not finish; server log, last lines:", file=sys.stderr)
            print("\n".join(tail), file=sys.stderr)
    if failed:
        return 1

    verdicts = goals(levels, soak, rss)
    bad = not all(ok for ok, _ in verdicts)
    for ok, text in verdicts:
        print(f"{'PASS' if ok else 'FAIL'} {text}", file=sys.stderr)
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": load_before,
        "commit": git_commit(),
        "documents": source,
        "duration_s": args.duration,
        "soak_s": args.soak,
        "workers_flag": args.workers,
        "settings": settings,
        "server_log": log_line,
        "stored_scans": stored,
    }
    text = report(meta, levels, soak, rss, verdicts, tail if (bad or trouble) else [])
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        raw = {
            **meta,
            "settings": settings,
            "levels": levels,
            "soak": soak,
            "rss": rss,
            "goals": [{"pass": ok, "goal": g} for ok, g in verdicts],
            "server_log_tail": tail,
        }
        args.out.with_suffix(".json").write_text(
            json.dumps(raw, indent=2, default=str) + "\n", encoding="utf-8"
        )
    return 1 if bad else 0


def _brief(stats: dict[str, Any]) -> dict[str, Any]:
    keys = ("requests", "accepted", "busy_503", "other_4xx", "other_5xx", "transport_errors")
    out = {k: stats[k] for k in keys}
    out.update(
        p50=_s(stats["p50_s"]),
        p99=_s(stats["p99_s"]),
        per_s=round(stats["throughput"], 2),
        background=stats["background_queue_depth"],
    )
    return out


if __name__ == "__main__":
    sys.exit(main())
