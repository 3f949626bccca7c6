"""A real docfraud service on a loopback port, with keys for every role, once per test run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
UPLOAD_CAP = 3 * 1024 * 1024
UPLOAD_TIMEOUT_S = 2.0


@dataclass
class Server:
    """A running service: its URL, one token per caller and where its data live."""

    url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen[bytes]
    tokens: dict[str, str] = field(default_factory=dict)
    key_ids: dict[str, str] = field(default_factory=dict)

    def client(self, who: str | None = None, timeout: float = 60.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def service_env(data_dir: Path, port: int, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFRAUD_")}
    env.update(
        DOCFRAUD_DATA_DIR=str(data_dir),
        DOCFRAUD_PORT=str(port),
        DOCFRAUD_WORKERS="1",
        DOCFRAUD_MAX_UPLOAD_BYTES=str(UPLOAD_CAP),
        DOCFRAUD_UPLOAD_TIMEOUT_S=str(UPLOAD_TIMEOUT_S),
        DOCFRAUD_RATE_LIMIT_PER_MINUTE="100000",
    )
    env.update({f"DOCFRAUD_{k.upper()}": v for k, v in settings.items()})
    return env


def create_key(env: dict[str, str], name: str, role: str) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "docfraud.cli", "keys", "create", "--name", name, "--role", role],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    created: dict[str, str] = json.loads(out.stdout)
    return created


def start_server(data_dir: Path, **settings: str) -> Server:
    """``python serve.py`` with settings from the environment; returns once /readyz says ready."""
    port = free_port()
    env = service_env(data_dir, port, **settings)
    log = data_dir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "serve.py"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", data_dir, log, process)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)  # polling a starting server; nothing to wait on but the socket
    stop_server(server)
    raise RuntimeError(
        f"the server did not become ready: {log.read_text(errors='replace')[-2000:]}"
    )


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


CALLERS = {
    "station_a": ("station-a", "station"),
    "station_b": ("station-b", "station"),
    "auditor": ("auditor-1", "auditor"),
    "admin": ("admin-1", "admin"),
    "revoked": ("station-old", "station"),
}


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One service (one worker, async visual-zone reading) with a key per caller."""
    data_dir = tmp_path_factory.mktemp("service")
    env = service_env(data_dir, 0)
    created = {who: create_key(env, name, role) for who, (name, role) in CALLERS.items()}
    subprocess.run(
        [sys.executable, "-m", "docfraud.cli", "keys", "revoke", created["revoked"]["key_id"]],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    server = start_server(data_dir)
    server.tokens = {who: c["token"] for who, c in created.items()}
    server.tokens["invalid"] = "dfk_000000000000_not-a-real-secret"
    server.key_ids = {who: c["key_id"] for who, c in created.items()}
    yield server
    stop_server(server)
    assert "Traceback" not in server.log.read_text(errors="replace")
