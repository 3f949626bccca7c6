"""Executors: results as they finish, bounded submission, a dead worker replaced, Dask.

The tasks here are module-level functions (spawned workers import this module by name); they
stand in for the pipeline so that only the executor's behaviour is measured.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from docfraud.audit.executors import (
    AUDIT_TIMEOUT,
    AUDIT_WORKER_CRASHED,
    DaskExecutor,
    LocalExecutor,
    TaskFailed,
    analyze_document,
    create_executor,
)
from docfraud.config import AnalysisConfig
from docfraud.errors import ConfigError
from docfraud.pipeline import Analyzer

CONFIG = AnalysisConfig(read_text=False)
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def echo(source: str, data: bytes, config: AnalysisConfig) -> list[dict[str, Any]]:
    """Crashes its worker on b"crash", fails on b"fail", sleeps on b"nap" (0.8 s), b"slow" (3 s)
    and b"hang" (an hour), else echoes."""
    if data == b"crash":
        os._exit(13)
    if data == b"fail":
        raise TaskFailed("TEST.FAILED", "asked to fail")
    if data == b"nap":
        time.sleep(0.8)
    if data == b"slow":
        time.sleep(3)
    if data == b"hang":
        time.sleep(3600)
    return [{"source": source, "size": len(data), "pid": os.getpid()}]


def test_create_executor_checks_its_arguments() -> None:
    with pytest.raises(ConfigError):
        create_executor("local", 1, CONFIG, scheduler="tcp://nowhere:8786")
    with pytest.raises(ConfigError):
        LocalExecutor(0, CONFIG)
    assert isinstance(create_executor("local", 2, CONFIG), LocalExecutor)


def test_nothing_to_do_starts_no_worker() -> None:
    executor = LocalExecutor(2, CONFIG, task=echo)
    assert list(executor.map_unordered([])) == []
    assert executor._pool is None
    executor.close()


def test_local_results_and_failures_come_back() -> None:
    pulled: list[str] = []

    def items() -> Any:
        for i in range(6):
            pulled.append(f"s{i}")
            yield f"s{i}", b"fail" if i == 3 else b"x" * i

    executor = LocalExecutor(2, CONFIG, task=echo, max_in_flight=2)
    try:
        results = dict(executor.map_unordered(items()))
    finally:
        executor.close()
    assert set(results) == {f"s{i}" for i in range(6)}
    error = results.pop("s3")
    assert isinstance(error, TaskFailed) and error.code == "TEST.FAILED"
    assert all(isinstance(r, list) and r[0]["size"] == int(s[1:]) for s, r in results.items())
    assert executor.restarts == 0


def test_the_document_that_kills_its_worker_fails_alone() -> None:
    items = [("a", b"a"), ("crash", b"crash"), ("b", b"b"), ("c", b"c"), ("d", b"dd")]
    executor = LocalExecutor(2, CONFIG, task=echo)
    try:
        results = dict(executor.map_unordered(iter(items)))
    finally:
        executor.close()
    assert set(results) == {s for s, _ in items}
    crashed = results.pop("crash")
    assert isinstance(crashed, TaskFailed) and crashed.code == AUDIT_WORKER_CRASHED
    assert all(isinstance(r, list) for r in results.values())  # retried, not lost
    assert executor.restarts >= 2  # with others, then alone


def test_a_document_past_the_time_limit_fails_alone_and_the_others_complete() -> None:
    items = [("a", b"a"), ("hang", b"hang"), ("b", b"b"), ("c", b"cc")]
    # the limit is shorter than spawning a worker that imports this module: it must not count
    executor = LocalExecutor(2, CONFIG, task=echo, timeout_s=1.5)
    started = time.monotonic()
    try:
        results = dict(executor.map_unordered(iter(items)))
    finally:
        executor.close()
    assert time.monotonic() - started < 120
    hung = results.pop("hang")
    assert isinstance(hung, TaskFailed) and hung.code == AUDIT_TIMEOUT
    assert "1.5 s" in hung.message
    assert all(isinstance(r, list) for r in results.values())


def test_a_document_queued_behind_another_is_timed_from_its_own_start() -> None:
    # One worker, three documents in flight: the pool queues the second while the first runs.
    # Each takes 0.8 s of a 1.5 s limit; counted from the queueing, the second would be over.
    items = [(f"nap{i}", b"nap") for i in range(3)]
    executor = LocalExecutor(1, CONFIG, task=echo, max_in_flight=3, timeout_s=1.5)
    try:
        results = dict(executor.map_unordered(iter(items)))
    finally:
        executor.close()
    assert all(isinstance(r, list) for r in results.values()), results
    assert set(results) == {s for s, _ in items} and executor.restarts == 0


@pytest.mark.slow
def test_a_worker_killed_from_outside_is_replaced_and_nothing_is_lost() -> None:
    psutil = pytest.importorskip("psutil")
    items = [("slow", b"slow"), ("a", b"a"), ("b", b"b")]
    executor = LocalExecutor(1, CONFIG, task=echo)
    killed: list[int] = []

    def kill_the_worker() -> None:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            for child in psutil.Process().children(recursive=True):
                if child.cmdline() and "multiprocessing" in " ".join(child.cmdline()):
                    if "resource_tracker" in " ".join(child.cmdline()):
                        continue
                    time.sleep(1.0)  # it is busy with "slow" (3 s)
                    child.kill()
                    killed.append(child.pid)
                    return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_the_worker)
    killer.start()
    try:
        results = dict(executor.map_unordered(iter(items)))
    finally:
        killer.join()
        executor.close()
    assert killed
    assert all(isinstance(r, list) for r in results.values()), results
    assert set(results) == {"slow", "a", "b"} and executor.restarts == 1


@pytest.mark.slow
def test_analyze_document_runs_the_pipeline_in_a_worker() -> None:
    data = (SAMPLES / "utopia_passport.png").read_bytes()
    executor = LocalExecutor(1, CONFIG)
    try:
        ((source, pages),) = list(executor.map_unordered([("p.png", data)]))
    finally:
        executor.close()
    assert source == "p.png" and isinstance(pages, list)
    # the page as the pipeline judges it in this process (the drawn portrait decides the verdict)
    here = Analyzer(CONFIG).analyze_bytes(data, "p.png")[0]
    assert pages[0]["source"] == "p.png"
    assert (pages[0]["verdict"], pages[0]["fraud_score"]) == (here.verdict.value, here.fraud_score)
    assert analyze_document.__module__ == "docfraud.audit.executors"


@pytest.mark.slow
def test_dask_local_cluster_runs_the_same_tasks() -> None:
    pytest.importorskip("distributed")
    executor = DaskExecutor(2, CONFIG, task=echo)
    try:
        items = [(f"s{i}", b"x" * i) for i in range(5)] + [("f", b"fail")]
        results = dict(executor.map_unordered(iter(items)))
    finally:
        executor.close()
    assert set(results) == {f"s{i}" for i in range(5)} | {"f"}
    failed = results.pop("f")
    assert isinstance(failed, TaskFailed) and failed.code == "TEST.FAILED"
    assert {r[0]["size"] for r in results.values() if isinstance(r, list)} == set(range(5))
    assert len({r[0]["pid"] for r in results.values() if isinstance(r, list)}) >= 1
