"""The worker processes the service runs analyses in.

The pipeline is CPU-bound and holds the GIL, so the service runs it in worker processes that load
the models once each. The pool admits at most ``processes + queue_size`` foreground jobs and
refuses the next one at once (:class:`ServiceBusy`, a 503): a bounded queue keeps latency bounded
instead of letting it grow under load. A job that runs past its timeout, or whose worker dies,
fails alone: its worker is killed and replaced, and the other jobs carry on.

Background jobs (reading the visual zone after a quick answer) run only when no foreground job
waits, and on at most ``processes - 1`` workers, so that with two or more workers one is always
left for foreground requests.

The parent side lives on the event loop and never blocks it: each worker's pipe is watched with
``loop.add_reader``, its death reads as EOF on that pipe, and timeouts are loop timers. Workers
are started with the ``spawn`` method, never forked from the (threaded) server process.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import enum
import hashlib
import logging
import multiprocessing
import os
import signal
import traceback
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

from docfraud.config import AnalysisConfig
from docfraud.errors import CONFIG_INVALID, ConfigError, DependencyError, DocfraudError, InputError

if TYPE_CHECKING:
    from docfraud.pipeline import Analyzer

logger = logging.getLogger(__name__)

ANALYSIS_FAILED = "INTERNAL.ANALYSIS_FAILED"
BACKGROUND_TIMEOUT_S = 120.0
"""Longest background job (a full read of a scan's visual zone takes seconds)."""
STOP_GRACE_S = 5.0
"""How long :meth:`WorkerPool.close` lets running jobs finish before terminating workers."""

OnDone = Callable[[dict[str, Any] | None, BaseException | None], Awaitable[None]]


class JobKind(StrEnum):
    SCAN_QUICK = "scan_quick"
    """One input, MRZ and its checks only (no tesseract): a fraction of a second a page."""
    SCAN_FULL = "scan_full"
    """One input with the visual zone and letters read (seconds a page)."""
    CASE = "case"
    """Several inputs analysed together (full reading, then the case checks)."""


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker analyses: ``files`` are ``(source name, content)``, one for a scan."""

    kind: JobKind
    files: tuple[tuple[str, bytes], ...]
    scan_date: date | None = None
    """Reference date of the analysis (default: the worker's configuration, else today)."""

    def __post_init__(self) -> None:
        if not self.files or (self.kind is not JobKind.CASE and len(self.files) != 1):
            raise ValueError(f"a {self.kind.value} job takes one file, not {len(self.files)}")


class ServiceBusy(Exception):  # noqa: N818 (the name the app codes against)
    """Every worker is busy and the queue is full, or the pool is not running: answer 503."""


class JobTimeout(Exception):  # noqa: N818
    """The job ran over its timeout; its worker was killed and replaced."""


class WorkerCrashed(Exception):  # noqa: N818
    """The worker died during the job; it was replaced."""


class _State(enum.Enum):
    STARTING = enum.auto()
    IDLE = enum.auto()
    BUSY = enum.auto()
    DEAD = enum.auto()


@dataclass(eq=False)
class _Task:
    """A job in the pool: a foreground one has the caller's future, a background one a callback."""

    job: Job
    timeout: float
    future: asyncio.Future[dict[str, Any]] | None = None
    on_done: OnDone | None = None


@dataclass(eq=False)
class _Worker:
    slot: int
    process: BaseProcess
    conn: Connection[Any, Any]
    started: asyncio.Future[None]
    """Done when the worker has loaded its models (or failed to)."""
    failures: int = 0
    """Failed starts in a row in this slot: replacements back off while a model is missing."""
    state: _State = _State.STARTING
    task: _Task | None = None
    timer: asyncio.TimerHandle | None = None


class WorkerPool:
    """Worker processes with models loaded once each, a bounded foreground queue and a
    low-priority background queue. Use from one event loop: :meth:`start` it there first."""

    def __init__(
        self,
        config: AnalysisConfig,
        processes: int,
        queue_size: int,
        background_queue_size: int,
        background_timeout: float = BACKGROUND_TIMEOUT_S,
    ) -> None:
        if processes < 1 or queue_size < 0 or background_queue_size < 0:
            raise ConfigError(CONFIG_INVALID, "The pool needs a worker and no negative queue.")
        self._config = config
        self._processes = processes
        self._queue_size = queue_size
        self._background_queue_size = background_queue_size
        self._background_timeout = background_timeout
        self._context = multiprocessing.get_context("spawn")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: list[_Worker] = []
        self._foreground: deque[_Task] = deque()
        self._background: deque[_Task] = deque()
        self._replacing: set[asyncio.Task[None]] = set()
        self._callbacks: set[asyncio.Task[None]] = set()
        self._restarts = 0
        self._started = False
        self._closed = False

    async def start(self) -> None:
        """Spawn the workers and wait until each has loaded its models.

        Raises:
            DocfraudError: a worker could not load its models (e.g. ``DEP.MODEL_MISSING``); the
                error is the worker's, with its code.
            WorkerCrashed: a worker died while starting.
        """
        if self._loop is not None:
            raise RuntimeError("the pool was started already")
        self._loop = asyncio.get_running_loop()
        self._workers = [self._spawn(slot) for slot in range(self._processes)]
        try:
            await asyncio.gather(*(w.started for w in self._workers))
        except BaseException:
            await self.close()
            raise
        self._started = True

    @property
    def ready(self) -> bool:
        """Every worker is alive with its models loaded (False while one is being replaced)."""
        return (
            self._started
            and not self._closed
            and all(
                w.state in (_State.IDLE, _State.BUSY) and w.process.is_alive()
                for w in self._workers
            )
        )

    async def run(self, job: Job, timeout: float) -> dict[str, Any]:
        """Run ``job`` on the next free worker (first come, first served) and return its result.

        ``timeout`` (seconds) counts from the moment a worker takes the job. If the caller is
        cancelled, a waiting job is dropped and a running one finishes with its result discarded.

        Raises:
            ServiceBusy: at once, when ``processes + queue_size`` jobs are running or waiting
                already, or the pool is not running.
            JobTimeout: the job ran over ``timeout``; its worker was replaced.
            WorkerCrashed: the worker died during the job; it was replaced.
        """
        if not self._started or self._closed:
            raise ServiceBusy("The analysis workers are not running.")
        if self._admitted() >= self._processes + self._queue_size:
            raise ServiceBusy("Every analysis worker is busy and the queue is full.")
        future: asyncio.Future[dict[str, Any]] = self._running_loop().create_future()
        task = _Task(job, timeout, future=future)
        self._foreground.append(task)
        self._dispatch()
        try:
            return await future
        except asyncio.CancelledError:
            if task in self._foreground:
                self._foreground.remove(task)
            raise

    def submit_background(self, job: Job, on_done: OnDone) -> bool:
        """Queue a low-priority job; ``on_done(result, None)`` or ``on_done(None, error)`` is
        awaited when it ends (also with :class:`ServiceBusy` when the pool closes first).

        Returns:
            False, and ``on_done`` is never called, when ``background_queue_size`` jobs wait
            already or the pool is not running.
        """
        if not self._started or self._closed:
            return False
        self._background.append(_Task(job, self._background_timeout, on_done=on_done))
        self._dispatch()
        if len(self._background) > self._background_queue_size:
            self._background.pop()  # still waiting, so it is the one just added
            return False
        return True

    def stats(self) -> dict[str, int]:
        """Gauges for /metrics: workers, busy ones, jobs waiting, workers replaced so far."""
        return {
            "processes": self._processes,
            "busy": sum(1 for w in self._workers if w.state is _State.BUSY),
            "queue_depth": len(self._foreground),
            "background_depth": len(self._background),
            "restarts": self._restarts,
        }

    async def close(self) -> None:
        """Stop the workers: running jobs get :data:`STOP_GRACE_S` to finish, then the workers
        are terminated (killed if need be). Waiting jobs, and running ones cut short, fail with
        :class:`ServiceBusy`."""
        if self._closed:
            return
        self._closed = True
        stopping = ServiceBusy("The analysis service is shutting down.")
        for queue in (self._foreground, self._background):
            while queue:
                self._finish(queue.popleft(), None, stopping)
        for replacement in self._replacing:
            replacement.cancel()
        await asyncio.gather(*self._replacing, return_exceptions=True)
        for worker in self._workers:
            if worker.state is not _State.DEAD:
                try:
                    worker.conn.send(None)  # read once the current job (or model load) is done
                except OSError:
                    pass  # it died; _stop reaps it
        await asyncio.gather(*(self._stop(w, stopping) for w in self._workers))
        if self._callbacks:
            await asyncio.wait(self._callbacks, timeout=STOP_GRACE_S)

    # --- inside the pool: everything below runs on the event loop, never blocking it ---

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("the pool is not started")
        return self._loop

    def _admitted(self) -> int:
        """Foreground jobs running (abandoned ones too: they hold a worker) or waiting."""
        running = sum(1 for w in self._workers if w.task is not None and w.task.future is not None)
        return running + len(self._foreground)

    def _spawn(self, slot: int, failures: int = 0) -> _Worker:
        loop = self._running_loop()
        conn, child_conn = self._context.Pipe()
        level = logging.getLogger("docfraud").getEffectiveLevel()
        process = self._context.Process(
            target=_serve,
            args=(child_conn, self._config, level),
            name=f"docfraud-worker-{slot}",
            daemon=True,
        )
        process.start()
        child_conn.close()  # the worker holds the only other end: its death reads as EOF here
        started: asyncio.Future[None] = loop.create_future()
        started.add_done_callback(_mark_retrieved)
        worker = _Worker(slot, process, conn, started, failures)
        loop.add_reader(conn.fileno(), self._on_message, worker)
        return worker

    def _on_message(self, worker: _Worker) -> None:
        """The worker's pipe is readable: a message, or EOF because the worker died.

        A message is written whole by a worker that is waiting for us to read it, so ``recv``
        takes as long as copying it.
        """
        try:
            message = worker.conn.recv()
        except Exception:  # EOF (it died), or a message it could not finish: replace it
            self._lose(worker, self._died(worker))
            return
        if message[0] == "ready":
            worker.state = _State.IDLE
            if not worker.started.done():
                worker.started.set_result(None)
        elif message[0] == "failed":
            name, code, text = message[1:]
            self._lose(worker, _ERRORS.get(name, DocfraudError)(code, text))
            return
        else:  # ("result", dict)
            task = worker.task
            if worker.timer is not None:
                worker.timer.cancel()
            worker.state, worker.task, worker.timer = _State.IDLE, None, None
            if task is not None:
                self._finish(task, message[1], None)
        self._dispatch()

    def _dispatch(self) -> None:
        """Give waiting jobs to idle workers: foreground first, background within its share."""
        for worker in self._workers:
            if worker.state is not _State.IDLE:
                continue
            task = self._next_task()
            if task is None:
                return
            try:
                worker.conn.send(task.job)
            except OSError:  # it died while idle; the job has not started and waits on
                (self._background if task.on_done else self._foreground).appendleft(task)
                self._lose(worker, self._died(worker))
                continue
            worker.state, worker.task = _State.BUSY, task
            worker.timer = self._running_loop().call_later(task.timeout, self._on_timeout, worker)

    def _next_task(self) -> _Task | None:
        if self._foreground:
            return self._foreground.popleft()
        background = sum(1 for w in self._workers if w.task is not None and w.task.on_done)
        if self._background and background < max(1, self._processes - 1):
            return self._background.popleft()
        return None

    def _died(self, worker: _Worker) -> Exception:
        """What a job whose worker died fails with: terminated by :meth:`close`, the service
        is going away (503); otherwise the worker crashed."""
        if self._closed:
            return ServiceBusy("The analysis service is shutting down.")
        return WorkerCrashed(f"Analysis worker {worker.process.pid} died.")

    def _on_timeout(self, worker: _Worker) -> None:
        worker.timer = None
        limit = worker.task.timeout if worker.task else 0.0
        self._lose(worker, JobTimeout(f"The analysis ran over {limit:g} s."))

    def _lose(self, worker: _Worker, error: BaseException) -> None:
        """Kill a worker that died, failed to start or ran over; fail its job with ``error``;
        replace it unless the pool is starting or closing."""
        if worker.state is _State.DEAD:
            return
        loaded = worker.state is not _State.STARTING
        worker.state = _State.DEAD
        self._running_loop().remove_reader(worker.conn.fileno())
        worker.conn.close()
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        worker.process.kill()
        if not worker.started.done():
            worker.started.set_exception(error)
        task, worker.task = worker.task, None
        if task is not None:
            self._finish(task, None, error)
        if self._closed or not self._started:
            return
        self._restarts += 1
        logger.warning(
            "Replacing analysis worker %d (pid %s): %s", worker.slot, worker.process.pid, error
        )
        failures = 0 if loaded else worker.failures + 1
        self._keep(self._replacing, self._replace(worker, failures))

    async def _replace(self, old: _Worker, failures: int) -> None:
        await _wait_exit(old.process, None)
        if failures:  # it could not load its models: retry ever more slowly, up to 30 s apart
            await asyncio.sleep(min(30.0, 2.0 ** (failures - 1)))
        self._workers[old.slot] = self._spawn(old.slot, failures)

    async def _stop(self, worker: _Worker, error: BaseException) -> None:
        """Wait for a worker told to stop, terminate then kill it if it will not, and reap it."""
        process = worker.process
        if not await _wait_exit(process, STOP_GRACE_S):
            process.terminate()
            if not await _wait_exit(process, 1.0):
                process.kill()
                await _wait_exit(process, None)
        self._lose(worker, error)

    def _finish(
        self, task: _Task, result: dict[str, Any] | None, error: BaseException | None
    ) -> None:
        if task.on_done is not None:
            self._keep(self._callbacks, _call(task.on_done, result, error))
        elif task.future is not None and not task.future.done():  # done: the caller has gone
            if error is not None:
                task.future.set_exception(error)
            else:
                task.future.set_result(result or {})

    def _keep(self, tasks: set[asyncio.Task[None]], work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` as a task the pool holds on to (the loop keeps only weak references)."""
        running = self._running_loop().create_task(work)
        tasks.add(running)

        def forget(done: asyncio.Task[None]) -> None:
            tasks.discard(done)
            if not done.cancelled() and done.exception() is not None:
                logger.error("Analysis pool task failed", exc_info=done.exception())

        running.add_done_callback(forget)


async def _call(
    on_done: OnDone, result: dict[str, Any] | None, error: BaseException | None
) -> None:
    await on_done(result, error)


def _mark_retrieved(future: asyncio.Future[None]) -> None:
    """Mark a start failure seen: nobody awaits a replacement's start, and its failure is logged
    by the pool, so asyncio need not report it again."""
    if not future.cancelled():
        future.exception()


async def _wait_exit(process: BaseProcess, timeout: float | None) -> bool:
    """Wait (on the loop) until ``process`` has ended and reap it; False if ``timeout`` passes."""
    if process.exitcode is None:
        loop = asyncio.get_running_loop()
        ended: asyncio.Future[None] = loop.create_future()

        def on_end() -> None:
            if not ended.done():
                ended.set_result(None)

        loop.add_reader(process.sentinel, on_end)
        try:
            await asyncio.wait_for(ended, timeout)
        except TimeoutError:
            return False
        finally:
            loop.remove_reader(process.sentinel)
    process.join()  # at once: it has ended
    return True


_ERRORS: dict[str, type[DocfraudError]] = {
    cls.__name__: cls for cls in (DocfraudError, InputError, DependencyError, ConfigError)
}
"""The errors a worker reports by name (they cannot be pickled: their constructor differs)."""


# --- inside a worker process ---


def _serve(conn: Connection[Any, Any], config: AnalysisConfig, log_level: int) -> None:
    """Worker entry point: load the models once, say ``ready``, then run jobs until told to stop
    (``None``) or the parent goes away (EOF)."""
    # Ctrl-C reaches the whole process group: the parent decides when workers stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # processes are the parallelism; before torch
    _log_to_stderr(log_level)
    try:
        full, quick = _load(config)
    except DocfraudError as err:
        conn.send(("failed", type(err).__name__, err.code, err.message))
        return
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        conn.send(("result", _execute(job, full, quick)))


def _load(config: AnalysisConfig) -> tuple[Analyzer, Analyzer]:
    """The full analyzer and the MRZ-only one (sharing the recogniser: one model load)."""
    from docfraud.pipeline import Analyzer

    full = Analyzer(config)
    return full, _with_config(full, dataclasses.replace(config, read_text=False))


def _with_config(analyzer: Analyzer, config: AnalysisConfig) -> Analyzer:
    """The same loaded models under another configuration (read_text, scan_date)."""
    other = copy.copy(analyzer)
    other.config = config
    return other


def _execute(job: Job, full: Analyzer, quick: Analyzer) -> dict[str, Any]:
    """Run one job; never raises, so that a bug costs one answer and not the worker."""
    from docfraud.case import analyze_case_bytes
    from docfraud.report.json import analysis_to_dict, case_to_dict

    analyzer = quick if job.kind is JobKind.SCAN_QUICK else full
    if job.scan_date is not None:
        analyzer = _with_config(
            analyzer, dataclasses.replace(analyzer.config, scan_date=job.scan_date)
        )
    try:
        if job.kind is JobKind.CASE:
            return {"case": case_to_dict(analyze_case_bytes(analyzer, job.files))}
        name, data = job.files[0]
        return {"documents": [analysis_to_dict(a) for a in analyzer.analyze_bytes(data, name)]}
    except DocfraudError as err:  # e.g. tesseract missing: its stable code tells the caller why
        logger.error("%s job on %s failed: %s", job.kind.value, _digests(job), err.code)
        return {"error": {"code": err.code, "message": err.message}}
    except Exception as exc:
        # the stack without the exception's text, which may quote the document (names, numbers)
        stack = "".join(traceback.format_tb(exc.__traceback__))
        logger.error(
            "%s job on %s failed: %s\n%s", job.kind.value, _digests(job), type(exc).__name__, stack
        )
        logger.debug("The failure in full", exc_info=True)
        message = f"The analysis failed ({type(exc).__name__}); the service log has the details."
        return {"error": {"code": ANALYSIS_FAILED, "message": message}}


def _digests(job: Job) -> str:
    """The inputs' sha256, for logs: never their names or content."""
    return ", ".join(hashlib.sha256(data).hexdigest() for _, data in job.files)


def _log_to_stderr(level: int) -> None:
    """A spawned worker starts with no logging set up: docfraud's records go to stderr at the
    parent's level, tagged with the worker's name."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(processName)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger("docfraud")
    root.addHandler(handler)
    root.setLevel(level)
