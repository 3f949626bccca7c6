"""Prometheus metrics of one service instance, in a registry of its own (tests run several apps)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0)


class _PoolCollector(Collector):
    """Queue depth, busy workers and restarts, read from the worker pool at scrape time."""

    def __init__(self, stats: Callable[[], Mapping[str, int]]) -> None:
        self.stats = stats

    def collect(self) -> Iterator[Any]:
        s = self.stats()
        yield GaugeMetricFamily(
            "docfraud_queue_depth", "Requests waiting for a worker.", value=s.get("queue_depth", 0)
        )
        yield GaugeMetricFamily(
            "docfraud_background_queue_depth",
            "Scans waiting for their visual zone to be read.",
            value=s.get("background_depth", 0),
        )
        yield GaugeMetricFamily(
            "docfraud_workers_busy", "Workers analysing now.", value=s.get("busy", 0)
        )
        yield GaugeMetricFamily(
            "docfraud_workers", "Worker processes.", value=s.get("processes", 0)
        )
        yield CounterMetricFamily(
            "docfraud_worker_restarts",
            "Workers replaced after a crash or a timeout.",
            value=s.get("restarts", 0),
        )


class ServiceMetrics:
    """The counters and histograms the routes update."""

    def __init__(self, pool_stats: Callable[[], Mapping[str, int]]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "docfraud_requests",
            "HTTP requests by route and status.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "docfraud_request_seconds",
            "HTTP request latency by route.",
            ("route",),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.stage = Histogram(
            "docfraud_stage_seconds",
            "Time per pipeline stage per page (ingest, mrz, document, text, checks, total).",
            ("stage",),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.verdicts = Counter(
            "docfraud_verdicts", "Verdicts of analysed pages.", ("verdict",), registry=self.registry
        )
        self.registry.register(_PoolCollector(pool_stats))

    def observe_documents(self, documents: list[dict[str, Any]]) -> None:
        for doc in documents:
            self.verdicts.labels(str(doc.get("verdict"))).inc()
            for stage, ms in (doc.get("timings_ms") or {}).items():
                self.stage.labels(stage).observe(float(ms) / 1000)
