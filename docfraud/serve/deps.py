"""Request dependencies: the service state, the caller's API key and role, the rate limit."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from docfraud.config import Settings
from docfraud.store.db import ApiKey, Role, Store

if TYPE_CHECKING:
    from docfraud.fusion.model import Fusion
    from docfraud.serve.metrics import ServiceMetrics
    from docfraud.serve.workers import WorkerPool
    from docfraud.store.watchlist import WatchlistSource

AUTH_MISSING = "AUTH.MISSING"
AUTH_INVALID = "AUTH.INVALID"
AUTH_FORBIDDEN = "AUTH.FORBIDDEN"
RATE_LIMITED = "REQUEST.RATE_LIMITED"


class ApiError(Exception):
    """An error answered as ``{"code", "message"}`` with ``status`` (and optional headers)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}


@dataclass
class RateLimiter:
    """A token bucket per API key: ``per_minute`` requests a minute, bursts of a sixth of that."""

    per_minute: int
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key_id: str, now: float | None = None) -> float:
        """Spend one token; 0.0 when allowed, else the seconds until the next token."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        capacity = max(1.0, self.per_minute / 6.0)
        with self._lock:
            tokens, last = self._buckets.get(key_id, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[key_id] = (tokens - 1.0, now)
            return 0.0


@dataclass
class ServiceState:
    """What the lifespan builds once and every request shares."""

    settings: Settings
    store: Store
    pool: WorkerPool
    metrics: ServiceMetrics
    limiter: RateLimiter
    watchlist: WatchlistSource
    fusion: Fusion
    """The verdict model and thresholds the workers use (stop-list hits re-judge with it)."""


def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


State = Annotated[ServiceState, Depends(get_state)]


def _token_of(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("x-api-key") or None


async def get_key(request: Request, state: State) -> ApiKey:
    """The caller's key, after authentication and the rate limit."""
    token = _token_of(request)
    if token is None:
        raise ApiError(
            401,
            AUTH_MISSING,
            "An API key is required (header 'Authorization: Bearer <key>').",
            {"WWW-Authenticate": "Bearer"},
        )
    key = await run_in_threadpool(state.store.authenticate, token)
    if key is None:
        raise ApiError(
            401, AUTH_INVALID, "The API key is unknown or revoked.", {"WWW-Authenticate": "Bearer"}
        )
    wait = state.limiter.take(key.key_id)
    if wait > 0:
        raise ApiError(
            429,
            RATE_LIMITED,
            "Too many requests with this key; wait a moment and send again.",
            {"Retry-After": str(max(1, round(wait)))},
        )
    return key


Key = Annotated[ApiKey, Depends(get_key)]


def require(key: ApiKey, *roles: Role) -> None:
    if key.role not in roles:
        raise ApiError(403, AUTH_FORBIDDEN, f"A {key.role.value} key may not do this.")
