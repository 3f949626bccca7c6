"""Request-body limits applied while the body streams in, before anything parses or decodes it.

FastAPI's multipart parsing reads the whole body first; a station that sends 2 GB, or sends 10 bytes
a minute, must be stopped before that. This ASGI middleware reads the body of the upload routes
itself, counting bytes against a cap and the clock against a deadline, then replays it to the app.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_TOO_LARGE = "REQUEST.TOO_LARGE"
REQUEST_TIMEOUT = "REQUEST.TIMEOUT"
REQUEST_NOT_MULTIPART = "REQUEST.NOT_MULTIPART"


class UploadLimitMiddleware:
    """Caps the size and arrival time of POST bodies on upload routes.

    Args:
        app: The wrapped ASGI app.
        max_body_bytes: Maps a path to the largest body accepted there (routes not in it pass
            through untouched).
        timeout_s: The whole body must arrive within this many seconds of the request start.
    """

    def __init__(
        self, app: ASGIApp, max_body_bytes: Callable[[str], int | None], timeout_s: float
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_body_bytes(scope["path"]) if scope["type"] == "http" else None
        if limit is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not headers.get("content-type", "").lower().startswith("multipart/form-data"):
            await _error(
                send, 415, REQUEST_NOT_MULTIPART, "Send the document as multipart/form-data."
            )
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _error(send, 413, REQUEST_TOO_LARGE, _too_large(limit))
            return
        body = await _read_body(receive, limit, time.monotonic() + self.timeout_s)
        if isinstance(body, tuple):
            await _error(send, *body)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read_body(receive: Receive, limit: int, deadline: float) -> bytes | tuple[int, str, str]:
    """The body, or (status, code, message) once it runs over the cap or the deadline."""
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError
            message = await asyncio.wait_for(receive(), remaining)
        except TimeoutError:
            return 408, REQUEST_TIMEOUT, "The upload did not arrive in time; send it again."
        if message["type"] == "http.disconnect":
            return 400, REQUEST_TIMEOUT, "The client went away during the upload."
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return 413, REQUEST_TOO_LARGE, _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body in one message, then the server's own messages (a disconnect, when it comes)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _too_large(limit: int) -> str:
    return f"The upload is larger than this service accepts ({limit // (1024 * 1024)} MiB)."


async def _error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"code": code, "message": message}).encode()
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    start: dict[str, Any] = {"type": "http.response.start", "status": status, "headers": headers}
    await send(start)
    await send({"type": "http.response.body", "body": body})
