"""The worker pool with real worker processes: results, backpressure, timeouts, crashes,
background jobs and shutdown.

The pools live on one event loop for the module, so that their workers (a model load each)
start once; each test drives the loop with ``run_until_complete``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import signal
from collections.abc import Coroutine, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import psutil
import pytest

from docfraud.config import AnalysisConfig
from docfraud.errors import DependencyError
from docfraud.serve.workers import (
    Job,
    JobKind,
    JobTimeout,
    ServiceBusy,
    WorkerCrashed,
    WorkerPool,
)

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
PASSPORT = (SAMPLES / "utopia_passport.png").read_bytes()
ID_BACK = (SAMPLES / "utopia_id_card_back_photo.jpg").read_bytes()
TIMEOUT = 60.0

T = TypeVar("T")


def quick(data: bytes = PASSPORT, name: str = "passport.png") -> Job:
    return Job(JobKind.SCAN_QUICK, ((name, data),))


def full(data: bytes = PASSPORT, name: str = "passport.png") -> Job:
    return Job(JobKind.SCAN_FULL, ((name, data),))


def only_document(result: dict[str, Any]) -> dict[str, Any]:
    assert "error" not in result, result
    documents: list[dict[str, Any]] = result["documents"]
    assert len(documents) == 1
    return documents[0]


def children() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


def busy_pid(pool: WorkerPool) -> int:
    """The pid of the one worker running a job (the pool does not publish pids)."""
    pids = [w.process.pid for w in pool._workers if w.task is not None]
    assert len(pids) == 1 and pids[0] is not None
    return pids[0]


async def until_ready(pool: WorkerPool) -> None:
    """Wait for a replacement worker to load its models (nothing to await but the pool's state)."""
    while not pool.ready:
        await asyncio.sleep(0.05)


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def drive(loop: asyncio.AbstractEventLoop) -> Any:
    def run(coro: Coroutine[Any, Any, T]) -> T:
        return loop.run_until_complete(asyncio.wait_for(coro, 120))

    return run


@pytest.fixture(scope="module")
def pool(drive: Any) -> Iterator[WorkerPool]:
    """Two workers, one waiting place in each queue."""
    pool = WorkerPool(AnalysisConfig(), processes=2, queue_size=1, background_queue_size=1)
    drive(pool.start())
    yield pool
    drive(pool.close())


@pytest.fixture(scope="module")
def solo(drive: Any) -> Iterator[WorkerPool]:
    """One worker, one waiting place."""
    pool = WorkerPool(AnalysisConfig(), processes=1, queue_size=1, background_queue_size=1)
    drive(pool.start())
    yield pool
    drive(pool.close())


def test_a_quick_scan_reads_the_mrz_only(pool: WorkerPool, drive: Any) -> None:
    assert pool.ready
    doc = only_document(drive(pool.run(quick(), TIMEOUT)))
    assert doc["mrz"] is not None and doc["mrz"]["format"] == "TD3"
    assert doc["viz"] is None
    assert doc["source"] == "passport.png"


def test_a_job_carries_its_scan_date(pool: WorkerPool, drive: Any) -> None:
    job = Job(JobKind.SCAN_QUICK, (("passport.png", PASSPORT),), date(2031, 5, 4))
    assert only_document(drive(pool.run(job, TIMEOUT)))["scan_date"] == "2031-05-04"


@pytest.mark.tesseract
def test_a_full_scan_reads_the_visual_zone(pool: WorkerPool, drive: Any) -> None:
    doc = only_document(drive(pool.run(full(), TIMEOUT)))
    assert doc["mrz"] is not None and doc["viz"] is not None


def test_garbage_is_reported_unreadable(pool: WorkerPool, drive: Any) -> None:
    doc = only_document(drive(pool.run(quick(b"not an image at all", "junk.bin"), TIMEOUT)))
    assert doc["verdict"] == "unreadable"


def test_a_scan_takes_exactly_one_file() -> None:
    with pytest.raises(ValueError):
        Job(JobKind.SCAN_QUICK, (("a.png", PASSPORT), ("b.png", PASSPORT)))
    with pytest.raises(ValueError):
        Job(JobKind.CASE, ())


class Broken:
    """An analyzer with a bug."""

    def analyze_bytes(self, data: bytes, source: str) -> Any:
        raise KeyError(source)


def test_a_bug_costs_one_answer_and_logs_no_name(caplog: pytest.LogCaptureFixture) -> None:
    from docfraud.serve.workers import _execute

    job = quick(b"content", "MUSTERMANN ERIKA.png")
    with caplog.at_level(logging.ERROR, logger="docfraud"):
        result = _execute(job, Broken(), Broken())  # type: ignore[arg-type]
    assert result["error"]["code"] == "INTERNAL.ANALYSIS_FAILED"
    assert "MUSTERMANN" not in result["error"]["message"]
    assert hashlib.sha256(b"content").hexdigest() in caplog.text
    assert "KeyError" in caplog.text and "in analyze_bytes" in caplog.text  # where it failed
    assert "MUSTERMANN" not in caplog.text


@pytest.mark.slow
@pytest.mark.tesseract
def test_a_case_is_analysed_together(pool: WorkerPool, drive: Any) -> None:
    job = Job(JobKind.CASE, (("passport.png", PASSPORT), ("id-back.jpg", ID_BACK)))
    case = drive(pool.run(job, TIMEOUT))["case"]
    assert case["case_id"].startswith("case-")
    assert case["sources"] == ["passport.png", "id-back.jpg"]
    assert len(case["documents"]) >= 2


def test_a_full_queue_answers_busy_at_once(solo: WorkerPool, drive: Any) -> None:
    async def scenario() -> None:
        running = asyncio.create_task(solo.run(quick(), TIMEOUT))
        waiting = asyncio.create_task(solo.run(quick(), TIMEOUT))
        await asyncio.sleep(0)  # both calls reach the pool
        assert solo.stats()["busy"] == 1 and solo.stats()["queue_depth"] == 1
        with pytest.raises(ServiceBusy):
            await solo.run(quick(), TIMEOUT)
        assert not running.done()
        only_document(await running)
        only_document(await waiting)
        assert solo.stats()["busy"] == 0 and solo.stats()["queue_depth"] == 0

    drive(scenario())


def test_a_caller_that_goes_away_does_not_wedge_the_pool(solo: WorkerPool, drive: Any) -> None:
    async def scenario() -> None:
        running = asyncio.create_task(solo.run(quick(), TIMEOUT))
        waiting = asyncio.create_task(solo.run(quick(), TIMEOUT))
        await asyncio.sleep(0)
        running.cancel()
        waiting.cancel()
        await asyncio.gather(running, waiting, return_exceptions=True)
        assert solo.stats()["queue_depth"] == 0  # the waiting job was dropped
        only_document(await solo.run(quick(), TIMEOUT))  # after the abandoned one finished
        assert solo.stats()["restarts"] == 0 and solo.ready

    drive(scenario())


async def serves_again(pool: WorkerPool, restarts: int) -> None:
    """Once its replacement has loaded, the pool runs jobs on both workers, with no new restart."""
    await until_ready(pool)
    results = await asyncio.gather(pool.run(quick(), TIMEOUT), pool.run(quick(), TIMEOUT))
    for result in results:
        only_document(result)
    assert pool.stats()["restarts"] == restarts


@pytest.mark.slow
def test_a_job_over_its_timeout_is_killed_and_its_worker_replaced(
    pool: WorkerPool, drive: Any
) -> None:
    restarts = pool.stats()["restarts"]

    async def scenario() -> None:
        with pytest.raises(JobTimeout):
            await pool.run(full(), 0.05)
        assert pool.stats()["restarts"] == restarts + 1
        await serves_again(pool, restarts + 1)

    drive(scenario())


@pytest.mark.slow
def test_a_crashed_worker_fails_its_job_only_and_is_replaced(pool: WorkerPool, drive: Any) -> None:
    restarts = pool.stats()["restarts"]

    async def scenario() -> None:
        doomed = asyncio.create_task(pool.run(full(), TIMEOUT))
        await asyncio.sleep(0)
        os.kill(busy_pid(pool), signal.SIGKILL)
        other = asyncio.create_task(pool.run(quick(), TIMEOUT))
        with pytest.raises(WorkerCrashed):
            await doomed
        only_document(await other)
        assert pool.stats()["restarts"] == restarts + 1
        await serves_again(pool, restarts + 1)

    drive(scenario())


@pytest.mark.tesseract
def test_background_jobs_leave_a_worker_for_the_foreground(pool: WorkerPool, drive: Any) -> None:
    async def scenario() -> None:
        done: list[tuple[dict[str, Any] | None, BaseException | None]] = []
        finished = asyncio.Event()

        async def on_done(result: dict[str, Any] | None, error: BaseException | None) -> None:
            done.append((result, error))
            if len(done) == 2:
                finished.set()

        assert pool.submit_background(full(), on_done)  # runs
        assert pool.submit_background(quick(), on_done)  # waits: one worker stays free
        assert not pool.submit_background(quick(), on_done)  # the queue is full
        assert pool.stats()["busy"] == 1 and pool.stats()["background_depth"] == 1
        foreground = asyncio.create_task(pool.run(quick(), TIMEOUT))
        await asyncio.sleep(0)
        assert pool.stats()["busy"] == 2  # taken at once, beside the background job
        only_document(await foreground)
        await finished.wait()
        assert [error for _, error in done] == [None, None]
        assert {only_document(r)["viz"] is None for r, _ in done if r is not None} == {True, False}
        assert pool.stats()["background_depth"] == 0

    drive(scenario())


@pytest.mark.slow
def test_close_stops_every_worker_and_fails_waiting_jobs(drive: Any) -> None:
    before = children()
    pool = WorkerPool(AnalysisConfig(), processes=1, queue_size=1, background_queue_size=1)

    async def scenario() -> None:
        await pool.start()
        assert pool.ready and len(children() - before) == 1
        errors: list[BaseException | None] = []

        async def on_done(result: dict[str, Any] | None, error: BaseException | None) -> None:
            errors.append(error)

        running = asyncio.create_task(pool.run(quick(), TIMEOUT))
        waiting = asyncio.create_task(pool.run(quick(), TIMEOUT))
        await asyncio.sleep(0)
        assert pool.submit_background(quick(), on_done)
        await pool.close()
        with pytest.raises(ServiceBusy):
            await waiting
        only_document(await running)  # let finish within the grace period
        assert len(errors) == 1 and isinstance(errors[0], ServiceBusy)
        assert not pool.ready
        with pytest.raises(ServiceBusy):
            await pool.run(quick(), TIMEOUT)

    drive(scenario())
    assert children() - before == set()


@pytest.mark.slow
def test_a_worker_that_cannot_load_its_models_fails_the_start(drive: Any, tmp_path: Path) -> None:
    before = children()
    pool = WorkerPool(AnalysisConfig(models_dir=tmp_path), 1, 0, 0)
    with pytest.raises(DependencyError) as caught:
        drive(pool.start())
    assert caught.value.code == "DEP.MODEL_MISSING"
    assert children() - before == set()
