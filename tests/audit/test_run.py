"""``docfraud audit``: recording, resuming, duplicates, reports, and a kill -9 at any moment.

The fast tests run the parent's bookkeeping against an in-process executor that returns canned
pages; the slow ones run real worker processes (local, Dask) and the command line.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from docfraud.audit.executors import Outcome, TaskFailed
from docfraud.audit.run import AuditConfig, AuditSummary, ExecutorKind, run_audit
from docfraud.config import AnalysisConfig
from docfraud.errors import DependencyError

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
SYNTH = SAMPLES / "synth" / "images"
SCAN_DATE = date(2026, 6, 1)
MRZ_ONLY = AnalysisConfig(read_text=False, scan_date=SCAN_DATE)


class FakeExecutor:
    """Answers in process: one 'genuine' page with one finding per input (bytes starting with
    b"FAIL" fail; after ``stop_after`` results it raises, as a kill would stop the parent)."""

    workers = 1
    restarts = 0

    def __init__(self, stop_after: int | None = None, code: str = "INTERNAL.ANALYSIS_FAILED"):
        self.calls: list[str] = []
        self.stop_after = stop_after
        self.code = code

    def map_unordered(self, items: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, Outcome]]:
        for source, data in items:
            if self.stop_after is not None and len(self.calls) >= self.stop_after:
                raise KeyboardInterrupt
            self.calls.append(source)
            if data.startswith(b"FAIL"):
                yield source, TaskFailed(self.code, "it failed")
            else:
                yield source, [_page(source, data)]

    def close(self) -> None:
        pass


def _page(source: str, data: bytes) -> dict[str, Any]:
    finding = {
        "code": "TEST.FINDING",
        "severity": "warning",
        "message": "=cmd|' /C calc'!A0",
        "region": [1, 2, 3, 4],
        "regions": [{"source": source, "page": 0, "box": [1, 2, 3, 4]}],
    }
    return {
        "source": source,
        "page": 0,
        "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": "image/png",
        "verdict": "genuine",
        "fraud_score": 0.1,
        "findings": [finding],
        "model_version": "test-1",
    }


def _config(inputs: Path, out: Path, **kw: Any) -> AuditConfig:
    return AuditConfig(
        inputs=(inputs,), out_dir=out, analysis=MRZ_ONLY, command_line=("test",), **kw
    )


def _scans(out: Path) -> list[dict[str, Any]]:
    """Every scan row, read with a plain read-only SQLite connection."""
    db = sqlite3.connect(f"file:{out / 'audit.sqlite3'}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM scans ORDER BY source_name")]
    finally:
        db.close()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Five small files, one under a second name in a subfolder."""
    root = tmp_path / "seized"
    (root / "sub").mkdir(parents=True)
    for i in range(4):
        (root / f"doc{i}.png").write_bytes(b"content %d" % i)
    (root / "sub" / "again.png").write_bytes(b"content 1")
    return root


# --- the parent's bookkeeping (fast) ------------------------------------------------------------


def test_each_source_is_recorded_once_with_reports(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    fake = FakeExecutor()
    summary = run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=fake)
    assert (summary.listed, summary.analysed, summary.copied, summary.skipped) == (5, 4, 1, 0)
    assert len(fake.calls) == 4  # "content 1" once
    scans = _scans(out)
    assert [s["source_name"] for s in scans] == sorted(str(p) for p in folder.rglob("*.png"))
    assert {s["status"] for s in scans} == {"complete"}
    assert {s["station"] for s in scans} == {"audit"}
    # results.jsonl: one line per page, the copy under its own name, pointing at the original
    lines = {line["source"]: line for line in _lines(out / "results.jsonl")}
    assert set(lines) == {s["source_name"] for s in scans}
    copy, original = lines[str(folder / "sub" / "again.png")], lines[str(folder / "doc1.png")]
    assert copy["duplicate_of"] == original["scan_id"]
    assert copy["findings"][0]["regions"][0]["source"] == str(folder / "sub" / "again.png")
    # findings.csv: parseable, a formula-looking cell neutralised
    with open(out / "findings.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5 and rows[0]["message"].startswith("'=")
    assert (rows[0]["x"], rows[0]["h"]) == ("1", "4")
    # manifest: every document with its hash, the command line, versions, times
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    hashes = {d["source"]: d["sha256"] for d in manifest["documents"]}
    assert hashes[str(folder / "doc0.png")] == hashlib.sha256(b"content 0").hexdigest()
    assert manifest["command_line"] == ["test"]
    assert manifest["software"]["docfraud"] and manifest["models"]
    assert manifest["started_at"] <= manifest["ended_at"]
    assert manifest["pages_by_verdict"] == {"genuine": 5}
    # the images are kept in the folder, once per content
    assert len([p for p in (out / "images").rglob("*") if p.is_file()]) == 4


def test_a_rerun_analyses_nothing_and_changes_no_row(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=FakeExecutor())
    before = _scans(out)
    again = FakeExecutor()
    summary = run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=again)
    assert (summary.analysed, summary.copied, summary.skipped) == (0, 0, 5)
    assert again.calls == []
    assert _scans(out) == before
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["runs"]) == 2 and len(_lines(out / "results.jsonl")) == 5


def test_new_and_changed_files_are_analysed_on_rerun(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=FakeExecutor())
    (folder / "doc0.png").write_bytes(b"changed")
    (folder / "new.png").write_bytes(b"new")
    again = FakeExecutor()
    summary = run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=again)
    assert sorted(again.calls) == [str(folder / "doc0.png"), str(folder / "new.png")]
    assert summary.skipped == 4


def test_other_analysis_settings_redo_each_row_in_place(folder: Path, tmp_path: Path) -> None:
    """An --mrz-only pass, then a full one: everything is analysed again, each source keeps its
    one row (completed in place with the new settings); a third run skips all."""
    out = tmp_path / "out"
    run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=FakeExecutor())
    before = {s["source_name"]: s["scan_id"] for s in _scans(out)}
    full = replace(MRZ_ONLY, read_text=True)
    again = FakeExecutor()
    config = replace(_config(folder, out), analysis=full)
    summary = run_audit(config, stream=open(os.devnull, "w"), executor=again)
    assert (summary.analysed, summary.copied, summary.skipped) == (4, 1, 0)
    after = _scans(out)
    assert {s["source_name"]: s["scan_id"] for s in after} == before
    settings = {json.loads(s["metadata"])["audit"]["settings"]["read_text"] for s in after}
    assert settings == {True}
    third = run_audit(config, stream=open(os.devnull, "w"), executor=FakeExecutor())
    assert (third.analysed, third.skipped) == (0, 5)


def test_a_resumed_run_keeps_the_first_runs_scan_date(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=FakeExecutor())
    undated = replace(_config(folder, out), analysis=replace(MRZ_ONLY, scan_date=None))
    summary = run_audit(undated, stream=open(os.devnull, "w"), executor=FakeExecutor())
    assert summary.skipped == 5  # not redone because today is not 2026-06-01
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["analysis"]["scan_date"] == SCAN_DATE.isoformat()


def test_an_interrupted_run_keeps_what_finished(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=FakeExecutor(2))
    before = _scans(out)
    assert len(before) == 2
    rest = FakeExecutor()
    summary = run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=rest)
    assert summary.analysed == 2 and summary.skipped == 2 and summary.copied == 1
    after = {s["scan_id"]: s for s in _scans(out)}
    assert len(after) == 5
    assert all(after[s["scan_id"]] == s for s in before)


def test_a_failed_analysis_is_listed_and_retried_in_place(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (folder / "bad.png").write_bytes(b"FAIL me")
    summary = run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=FakeExecutor())
    assert summary.failed == 1
    assert [(p.source, p.code) for p in summary.problems] == [
        (str(folder / "bad.png"), "INTERNAL.ANALYSIS_FAILED")
    ]
    failed = [s for s in _scans(out) if s["status"] == "failed"]
    assert len(failed) == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["problems"][0]["code"] == "INTERNAL.ANALYSIS_FAILED"

    class Fixed(FakeExecutor):
        def map_unordered(
            self, items: Iterable[tuple[str, bytes]]
        ) -> Iterator[tuple[str, Outcome]]:
            for source, data in items:
                self.calls.append(source)
                yield source, [_page(source, data)]

    fixed = Fixed()
    summary = run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=fixed)
    assert fixed.calls == [str(folder / "bad.png")] and summary.failed == 0
    row = next(s for s in _scans(out) if s["source_name"] == str(folder / "bad.png"))
    assert (row["scan_id"], row["status"]) == (failed[0]["scan_id"], "complete")


def test_a_missing_dependency_stops_the_audit(folder: Path, tmp_path: Path) -> None:
    (folder / "a.png").write_bytes(b"FAIL")
    with pytest.raises(DependencyError):
        run_audit(
            _config(folder, tmp_path / "out"),
            stream=open(os.devnull, "w"),
            executor=FakeExecutor(code="DEP.MODEL_MISSING"),
        )


def test_one_audit_at_a_time_per_folder(folder: Path, tmp_path: Path) -> None:
    from docfraud.audit.run import LOCK_NAME, _exclusive
    from docfraud.errors import ConfigError

    out = tmp_path / "out"
    out.mkdir()
    with _exclusive(out / LOCK_NAME), pytest.raises(ConfigError):
        run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=FakeExecutor())


def test_the_attribution_key_is_made_once_and_revoked(folder: Path, tmp_path: Path) -> None:
    from docfraud.audit.run import open_audit_store

    out = tmp_path / "out"
    for _ in range(2):
        run_audit(_config(folder, out), stream=open(os.devnull, "w"), executor=FakeExecutor())
    store = open_audit_store(out)
    try:
        (key,) = store.list_keys()
    finally:
        store.close()
    assert key.name == "audit" and key.revoked_at is not None


# --- real processes (slow) ----------------------------------------------------------------------


@pytest.fixture
def seizure(tmp_path: Path) -> Path:
    """Samples, a text file, a corrupt PDF, a zip of two synthetic pages, a renamed copy."""
    root = tmp_path / "seizure"
    root.mkdir()
    shutil.copy(SAMPLES / "utopia_passport.png", root / "passport.png")
    shutil.copy(SAMPLES / "utopia_passport_altered_birth_date.jpg", root / "altered.jpg")
    shutil.copy(SYNTH / "000001_page.jpg", root / "visa.jpg")
    shutil.copy(SAMPLES / "utopia_passport.png", root / "passport_copy.png")
    (root / "notes.txt").write_text("not a document\n")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\ngarbage")
    with zipfile.ZipFile(root / "bundle.zip", "w") as archive:
        archive.write(SYNTH / "000003_page.jpg", "000003_page.jpg")
        archive.write(SYNTH / "000005_page.jpg", "000005_page.jpg")
    return root


def _verdicts(out: Path) -> dict[tuple[str, int], tuple[str, tuple[str, ...]]]:
    """(file name or member, page) → (verdict, sorted finding codes), paths left out."""
    return {
        (Path(line["source"].replace("!", "/")).name, line["page"]): (
            line["verdict"],
            tuple(sorted(f["code"] for f in line["findings"])),
        )
        for line in _lines(out / "results.jsonl")
    }


@pytest.mark.slow
def test_a_real_audit_of_a_seizure(seizure: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run_audit(_config(seizure, out, workers=2), stream=open(os.devnull, "w"))
    assert (summary.listed, summary.analysed, summary.copied, summary.failed) == (8, 7, 1, 0)
    scans = {Path(s["source_name"].replace("!", "/")).name: s for s in _scans(out)}
    assert set(scans) == {
        "passport.png",
        "passport_copy.png",
        "altered.jpg",
        "visa.jpg",
        "notes.txt",
        "broken.pdf",
        "000003_page.jpg",
        "000005_page.jpg",
    }
    verdicts = _verdicts(out)
    for name in ("notes.txt", "broken.pdf"):
        verdict, codes = verdicts[(name, 0)]
        assert verdict == "unreadable" and codes and all(c.startswith("INPUT.") for c in codes)
    assert verdicts[("altered.jpg", 0)][0] == "forged"
    assert verdicts[("000003_page.jpg", 0)][0] in ("genuine", "suspicious", "forged")
    # the same content under two names: analysed once (the first listed), copied to the second
    assert scans["passport.png"]["duplicate_of"] is None
    assert scans["passport_copy.png"]["duplicate_of"] == scans["passport.png"]["scan_id"]
    assert len(_lines(out / "results.jsonl")) == 8


def _scan_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT count(*) FROM scans").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:  # not migrated yet
        return 0


@pytest.mark.slow
def test_kill_9_loses_nothing_finished(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in sorted(p.name for p in SYNTH.glob("*_page.jpg"))[:8]:
        shutil.copy(SYNTH / name, inputs / name)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "docfraud.cli",
        "audit",
        str(inputs),
        "--out",
        str(out),
        "--workers",
        "1",
        "--mrz-only",
        "--scan-date",
        "2026-06-01",
    ]
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    try:
        while _scan_count(out / "audit.sqlite3") < 2:
            assert process.poll() is None, "the audit ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the parent and its workers, at once
        process.wait()
    before = _scans(out)
    assert 2 <= len(before) < 8
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    summary = json.loads(done.stdout)
    assert summary["analysed"] == 8 - len(before) and summary["skipped"] == len(before)
    after = _scans(out)
    assert sorted(s["source_name"] for s in after) == sorted(str(p) for p in inputs.iterdir())
    by_id = {s["scan_id"]: s for s in after}
    for row in before:  # the same row: id, time, result
        assert by_id[row["scan_id"]] == row
    assert len(_lines(out / "results.jsonl")) == 8


@pytest.mark.slow
def test_dask_gives_the_local_results(seizure: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    for name in ("notes.txt", "bundle.zip", "passport_copy.png"):  # 4 documents left
        (seizure / name).unlink()
    local, dask = tmp_path / "local", tmp_path / "dask"
    run_audit(_config(seizure, local, workers=2), stream=open(os.devnull, "w"))
    summary: AuditSummary = run_audit(
        _config(seizure, dask, workers=2, executor=ExecutorKind.DASK),
        stream=open(os.devnull, "w"),
    )
    assert summary.analysed == 4 and summary.failed == 0
    assert _verdicts(dask) == _verdicts(local)


@pytest.mark.slow
def test_stop_list_hits_links_and_the_report(tmp_path: Path) -> None:
    """A listed number is a WATCHLIST.HIT on its page; an altered copy (another birth date, so
    another holder) shares the number and the photo: a LINK.SAME_NUMBER and a LINK.SAME_PORTRAIT
    cluster; and since the substitution model strongly flags this hand-drawn portrait on both
    (one design, one trace at one place), a LINK.SHARED_TAMPERING; report.html shows them."""
    from docfraud.audit.executors import LocalExecutor
    from docfraud.store.watchlist import WatchlistEntry

    class StolenUtopian:
        def lookup(self, issuing_state: str, document_number: str) -> list[WatchlistEntry]:
            if (issuing_state, document_number) != ("UTO", "X4R7215K0"):
                return []
            return [WatchlistEntry("UTO", "X4R7215K0", "stolen", "test-list")]

    root = tmp_path / "seized"
    root.mkdir()
    for name in ("utopia_passport.png", "utopia_passport_altered_birth_date.jpg"):
        shutil.copy(SAMPLES / name, root / name)
    out = tmp_path / "out"
    config = _config(root, out, watchlist=StolenUtopian())
    with open(os.devnull, "w") as quiet:
        run_audit(config, stream=quiet, executor=LocalExecutor(1, MRZ_ONLY))
    pages = _lines(out / "results.jsonl")
    assert all("WATCHLIST.HIT" in {f["code"] for f in p["findings"]} for p in pages)
    links = json.loads((out / "manifest.json").read_text())["links"]
    assert [c["code"] for c in links] == [
        "LINK.SAME_NUMBER",
        "LINK.SAME_PORTRAIT",
        "LINK.SHARED_TAMPERING",
    ]
    for cluster in links:
        assert {r["source"] for r in cluster["regions"]} == {
            str(root / "utopia_passport.png"),
            str(root / "utopia_passport_altered_birth_date.jpg"),
        }
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "LINK.SAME_NUMBER" in report and "WATCHLIST.HIT" in report
    assert "LINK.SAME_PORTRAIT" in report and "LINK.SHARED_TAMPERING" in report
