"""Where an audit's analyses run: local worker processes (the default) or a Dask cluster.

Both executors take ``(source, content)`` items lazily, keep at most ``max_in_flight`` of them
submitted (so memory stays bounded whatever the size of the seizure), and yield
``(source, outcome)`` in the order the analyses finish. The outcome is the analysis of every page
as plain dicts (:func:`~docfraud.report.json.analysis_to_dict`, so nothing but builtins crosses a
process boundary) or a :class:`TaskFailed` with a stable code. Each worker process builds one
:class:`~docfraud.pipeline.Analyzer` (the recogniser loads once) and reuses it.

The parent never analyses: a crash inside a C decoder takes down a worker, not the audit.
``dask`` is imported only by :class:`DaskExecutor` (the ``[dask]`` extra).
"""

from __future__ import annotations

import importlib
import itertools
import logging
import multiprocessing
import os
import signal
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Protocol

from docfraud.config import AnalysisConfig
from docfraud.errors import CONFIG_INVALID, ConfigError, DocfraudError

if TYPE_CHECKING:
    from docfraud.pipeline import Analyzer

logger = logging.getLogger(__name__)

AUDIT_WORKER_CRASHED = "AUDIT.WORKER_CRASHED"
"""The worker process died while analysing the document, twice (the second time alone)."""
AUDIT_TIMEOUT = "AUDIT.TIMEOUT"
"""The analysis ran past the per-document time limit, twice (the second time alone)."""
DEFAULT_TIMEOUT_S = 600.0
"""Per-document limit of the local executor: a full reading takes seconds a page, so only a
hung decoder or a pathological page gets near it."""
_POLL_S = 1.0
ANALYSIS_FAILED = "INTERNAL.ANALYSIS_FAILED"
"""The analysis raised (a bug); the worker's log has the stack, never the document's text."""

Pages = list[dict[str, Any]]
Outcome = Pages | Exception
Task = Callable[[str, bytes, AnalysisConfig], Pages]


class TaskFailed(Exception):  # noqa: N818 (it is an outcome, not only an error)
    """An analysis that gave no result, with a stable code. Picklable (plain args)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class Executor(Protocol):
    """Runs analyses; ``map_unordered`` pulls items only as slots free up."""

    workers: int
    restarts: int
    """Times the workers were replaced after one died (local) – 0 on Dask, which retries."""

    def map_unordered(self, items: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, Outcome]]:
        """Analyse each ``(source, content)``; yield ``(source, pages or TaskFailed)`` as each
        finishes. Sources must be unique among the items in flight."""
        ...

    def close(self) -> None:
        """Stop the workers (idempotent)."""
        ...


# --- inside a worker process ---------------------------------------------------------------------

_ANALYZERS: dict[AnalysisConfig, Analyzer] = {}
"""One Analyzer per configuration in each worker process (Dask workers outlive one audit)."""


def _analyzer(config: AnalysisConfig) -> Analyzer:
    analyzer = _ANALYZERS.get(config)
    if analyzer is None:
        os.environ.setdefault("OMP_NUM_THREADS", "1")  # processes are the parallelism
        from docfraud.pipeline import Analyzer

        analyzer = _ANALYZERS[config] = Analyzer(config)
    return analyzer


def analyze_document(source: str, data: bytes, config: AnalysisConfig) -> Pages:
    """Analyse one input in a worker: every page as a dict.

    Raises:
        TaskFailed: with the error's code (``DEP.*`` when a dependency is missing, which the
            audit treats as fatal) or :data:`ANALYSIS_FAILED` for a bug. Unreadable input is
            not a failure: it is a page with verdict ``unreadable``.
    """
    from docfraud.report.json import analysis_to_dict

    try:
        return [analysis_to_dict(a) for a in _analyzer(config).analyze_bytes(data, source)]
    except DocfraudError as err:
        raise TaskFailed(err.code, err.message) from None
    except Exception as exc:
        # the stack without the exception's text, which may quote the document
        stack = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("analysis failed: %s\n%s", type(exc).__name__, stack)
        raise TaskFailed(
            ANALYSIS_FAILED, f"The analysis failed ({type(exc).__name__}); see the worker log."
        ) from None


_TASK_STARTS: Any = None
"""The pool's queue on which this worker announces each task it starts (set by
:func:`_start_worker`; None in a Dask worker)."""


def _announced(task: Task, task_id: int, source: str, data: bytes, config: AnalysisConfig) -> Pages:
    """Run ``task`` after telling the parent it started, so that its time limit counts from here
    and not from when the pool queued it (which includes spawning the worker and, with more
    documents queued than workers, another document's analysis)."""
    if _TASK_STARTS is not None:
        # a SimpleQueue writes in this thread, now: a hang that holds the GIL cannot delay it
        _TASK_STARTS.put(task_id)
    return task(source, data, config)


def _start_worker(
    config: AnalysisConfig, log_level: int, warm: bool, task_starts: Any = None
) -> None:
    """Pool initializer: keep the start queue; load the models before the first document arrives.

    A load failure (a missing model) is left for the first task to report with its code: an
    initializer that raises would break the pool over and over.
    """
    global _TASK_STARTS
    _TASK_STARTS = task_starts
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if not logging.getLogger("docfraud").handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("%(processName)s %(levelname)s %(name)s: %(message)s")
        )
        logging.getLogger("docfraud").addHandler(handler)
    logging.getLogger("docfraud").setLevel(log_level)
    if warm:
        try:
            _analyzer(config)
        except DocfraudError:
            pass


# --- local processes -----------------------------------------------------------------------------


class LocalExecutor:
    """A pool of ``workers`` spawned processes on this machine.

    When a worker dies (a decoder crash, the OOM killer), the pool breaks and every document in
    flight loses its result. The pool is recreated and those documents are retried one at a
    time, so the one that kills its worker is found: it fails alone with
    :data:`AUDIT_WORKER_CRASHED` and the others complete. A document still running
    ``timeout_s`` after a worker took it gets the same treatment: the pool's processes are
    killed (a process pool cannot stop one task), and if it runs out of time again alone it
    fails with :data:`AUDIT_TIMEOUT`.

    Args:
        workers: processes (each holds its own models: ~0.5 GB).
        config: the analysis configuration.
        task: what runs in a worker (a module-level function; tests pass their own).
        max_in_flight: documents submitted at once (default ``2 * workers``: a worker never
            waits for the parent to read the next file).
        timeout_s: per-document limit, from when a worker starts it (None: no limit). The
            worker announces each start on a queue the parent reads every poll, so a document
            gets at least ``timeout_s`` of its worker's time, and at most one poll more.
    """

    def __init__(
        self,
        workers: int,
        config: AnalysisConfig,
        *,
        task: Task = analyze_document,
        max_in_flight: int | None = None,
        timeout_s: float | None = DEFAULT_TIMEOUT_S,
    ) -> None:
        if workers < 1:
            raise ConfigError(CONFIG_INVALID, "an audit needs at least one worker")
        if timeout_s is not None and timeout_s <= 0:
            raise ConfigError(CONFIG_INVALID, "the per-document timeout must be positive")
        self.workers = workers
        self.config = config
        self.restarts = 0
        self._task = task
        self._max_in_flight = max_in_flight or 2 * workers
        self._timeout_s = timeout_s
        self._pool: ProcessPoolExecutor | None = None
        self._task_starts: Any = None
        self._task_ids = itertools.count()
        self._unstarted: dict[int, Future[Pages]] = {}

    def _submit(self, source: str, data: bytes) -> Future[Pages]:
        for attempt in range(2):
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                # a new queue with each pool: a worker killed while writing may hold its lock
                self._task_starts = context.SimpleQueue()
                self._unstarted.clear()
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=context,
                    initializer=_start_worker,
                    initargs=(
                        self.config,
                        logging.getLogger("docfraud").getEffectiveLevel(),
                        self._task is analyze_document,
                        self._task_starts,
                    ),
                )
            try:
                task_id = next(self._task_ids)
                future = self._pool.submit(
                    _announced, self._task, task_id, source, data, self.config
                )
                self._unstarted[task_id] = future
                return future
            except BrokenProcessPool:  # it broke between two documents
                if attempt:
                    raise
                self._replace_pool()
        raise AssertionError("unreachable")  # pragma: no cover

    def _replace_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self.restarts += 1
        logger.warning("an audit worker died; the pool was restarted (%d so far)", self.restarts)

    def _note_starts(self, started: dict[Future[Pages], float]) -> None:
        """Stamp, with the parent's clock, each task a worker announced since the last call."""
        now = time.monotonic()
        while self._task_starts is not None and not self._task_starts.empty():
            future = self._unstarted.pop(self._task_starts.get(), None)
            if future is not None and not future.done():
                started[future] = now

    def _overdue(self, started: dict[Future[Pages], float]) -> list[Future[Pages]]:
        """The unfinished futures whose worker started them more than the limit ago."""
        if self._timeout_s is None:
            return []
        now = time.monotonic()
        return [f for f, t in started.items() if not f.done() and now - t > self._timeout_s]

    def _kill_workers(self) -> None:
        """Break the pool by killing its processes (the only way to stop a running task)."""
        processes = getattr(self._pool, "_processes", None) or {}
        for process in list(processes.values()):
            process.kill()

    def map_unordered(self, items: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, Outcome]]:
        pending = iter(items)
        exhausted = False
        suspects: deque[tuple[str, bytes]] = deque()
        in_flight: dict[Future[Pages], tuple[str, bytes, bool]] = {}  # … alone (a suspect)
        started: dict[Future[Pages], float] = {}
        timed_out: set[str] = set()
        poll = None if self._timeout_s is None else min(_POLL_S, self._timeout_s / 4)
        try:
            while True:
                if suspects:
                    if not in_flight:
                        source, data = suspects.popleft()
                        in_flight[self._submit(source, data)] = (source, data, True)
                else:
                    while not exhausted and len(in_flight) < self._max_in_flight:
                        try:
                            source, data = next(pending)
                        except StopIteration:
                            exhausted = True
                            break
                        in_flight[self._submit(source, data)] = (source, data, False)
                if not in_flight:
                    return
                done, _ = wait(in_flight, timeout=poll, return_when=FIRST_COMPLETED)
                self._note_starts(started)
                overdue = [] if done else self._overdue(started)
                if overdue:
                    timed_out.update(in_flight[f][0] for f in overdue)
                    self._kill_workers()
                    done, _ = wait(in_flight)
                if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                    done, _ = wait(in_flight)  # every future of a broken pool fails at once
                    self._replace_pool()
                for future in done:
                    source, data, alone = in_flight.pop(future)
                    started.pop(future, None)
                    error = future.exception()
                    if isinstance(error, BrokenProcessPool):
                        if alone:
                            yield source, _lost(source in timed_out, self._timeout_s)
                        else:
                            suspects.append((source, data))
                    elif isinstance(error, Exception):
                        yield source, error
                    elif error is not None:  # KeyboardInterrupt and the like
                        raise error
                    else:
                        yield source, future.result()
        finally:
            for future in in_flight:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _lost(timed_out: bool, timeout_s: float | None) -> TaskFailed:
    """The outcome of a document that lost its worker twice, the second time alone."""
    if timed_out:
        return TaskFailed(
            AUDIT_TIMEOUT,
            f"The analysis ran past the limit of {timeout_s:g} s per document (twice; the "
            "second time alone).",
        )
    return TaskFailed(
        AUDIT_WORKER_CRASHED,
        "The worker process died while analysing this document (twice; the second time alone).",
    )


# --- Dask ----------------------------------------------------------------------------------------

KEEP_MALLOC_TRIM = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
"""Dask starts workers with glibc's ``MALLOC_TRIM_THRESHOLD_`` at 64 KiB, so the image buffers
of every page go back to the kernel and are faulted in again: two thirds of a worker's CPU went
to the kernel and an audit ran at half the local executor's speed. The local cluster's workers
keep glibc's default (None unsets the variable); a remote cluster's are the operator's to set."""


class DaskExecutor:
    """The same work on a Dask distributed cluster.

    With ``scheduler`` (``tcp://host:8786``) the audit connects to a running cluster, whose
    workers need docfraud and its models installed; without it a :class:`LocalCluster` of
    ``workers`` single-threaded processes starts here. Dask reschedules a task whose worker died;
    after ``distributed.scheduler.allowed-failures`` deaths it gives up (``KilledWorker``), which
    is reported as :data:`AUDIT_WORKER_CRASHED`. The cluster starts on the first document, so an
    audit with nothing left to do starts none.

    Raises:
        ConfigError: ``CONFIG.INVALID`` when dask is not installed (``pip install docfraud[dask]``).
    """

    def __init__(
        self,
        workers: int,
        config: AnalysisConfig,
        scheduler: str | None = None,
        *,
        task: Task = analyze_document,
        max_in_flight: int | None = None,
    ) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise ConfigError(
                CONFIG_INVALID, "--executor dask needs the dask extra: pip install 'docfraud[dask]'"
            ) from None
        if workers < 1:
            raise ConfigError(CONFIG_INVALID, "an audit needs at least one worker")
        self.workers = workers
        self.config = config
        self.scheduler = scheduler
        self.restarts = 0
        self._task = task
        self._max_in_flight = max_in_flight
        self._client: Any = None
        self._cluster: Any = None

    def _connect(self) -> Any:
        if self._client is None:
            dd: Any = importlib.import_module("distributed")  # untyped: keep it Any
            # dask sets its loggers to INFO: a line per worker event would bury the progress line
            for name in ("distributed", "dask"):
                if logging.getLogger(name).getEffectiveLevel() < logging.WARNING:
                    logging.getLogger(name).setLevel(logging.WARNING)
            if self.scheduler:
                self._client = dd.Client(self.scheduler)
            else:
                dask: Any = importlib.import_module("dask")
                with dask.config.set({KEEP_MALLOC_TRIM: None}):
                    self._cluster = dd.LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                    )
                self._client = dd.Client(self._cluster)
        return self._client

    def map_unordered(self, items: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, Outcome]]:
        dd: Any = importlib.import_module("distributed")
        killed_worker: type[Exception] = importlib.import_module(
            "distributed.scheduler"
        ).KilledWorker

        pending = iter(items)
        first = next(pending, None)
        if first is None:
            return
        client = self._connect()
        threads = sum(client.nthreads().values()) or self.workers
        limit = self._max_in_flight or 2 * threads
        sources: dict[str, str] = {}
        running = dd.as_completed()

        def submit(item: tuple[str, bytes]) -> None:
            key = f"docfraud-analyze-{uuid.uuid4().hex}"
            sources[key] = item[0]
            running.add(client.submit(self._task, item[0], item[1], self.config, key=key))

        submit(first)
        for item in pending:
            submit(item)
            if len(sources) >= limit:
                break
        try:
            for future in running:
                source = sources.pop(future.key)
                outcome: Outcome
                try:
                    outcome = future.result()
                except killed_worker:
                    outcome = TaskFailed(
                        AUDIT_WORKER_CRASHED,
                        "Dask workers died while analysing this document, every time it ran.",
                    )
                except Exception as error:
                    outcome = error
                future.release()
                next_item = next(pending, None)
                if next_item is not None:
                    submit(next_item)
                yield source, outcome
        finally:
            running.clear()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def create_executor(
    kind: str,
    workers: int,
    config: AnalysisConfig,
    scheduler: str | None = None,
    *,
    timeout_s: float | None = DEFAULT_TIMEOUT_S,
) -> Executor:
    """``"local"`` (processes, with a per-document ``timeout_s``) or ``"dask"``."""
    if kind == "dask":
        return DaskExecutor(workers, config, scheduler)
    if scheduler:
        raise ConfigError(CONFIG_INVALID, "--scheduler needs --executor dask")
    return LocalExecutor(workers, config, timeout_s=timeout_s)
