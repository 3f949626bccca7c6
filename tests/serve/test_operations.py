"""Operating the service: a killed worker, PostgreSQL, keys and retention from the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from docfraud.fusion.model import CALIBRATION_KIND, load_fusion
from tests.serve.conftest import (
    ROOT,
    SAMPLES,
    Server,
    create_key,
    service_env,
    start_server,
    stop_server,
)

PASSPORT = SAMPLES / "utopia_passport.png"
POSTGRES_URL = os.environ.get("DOCFRAUD_TEST_POSTGRES_URL", "")


def _scan(server: Server, token: str) -> httpx.Response:
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as client:
        return client.post("/v1/scans", files={"file": ("p.png", PASSPORT.read_bytes())})


def _workers(server: Server) -> list[psutil.Process]:
    children = psutil.Process(server.process.pid).children()
    return [p for p in children if "resource_tracker" not in " ".join(p.cmdline())]


def _metric(server: Server, name: str) -> float:
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    line = next(x for x in text.splitlines() if x.startswith(name + " "))
    return float(line.split()[1])


@pytest.mark.server
@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_the_service_keeps_answering(server: Server) -> None:
    before = _metric(server, "docfraud_worker_restarts_total")
    victim = _workers(server)[0]
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready = httpx.get(f"{server.url}/readyz", timeout=5).status_code == 200
        if ready and victim.pid not in {p.pid for p in _workers(server)}:
            break
        time.sleep(0.2)  # the replacement loads its model
    assert _metric(server, "docfraud_worker_restarts_total") == before + 1
    response = _scan(server, server.tokens["station_a"])
    assert response.status_code == 200, response.text


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL database, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("DOCFRAUD_TEST_POSTGRES_URL is unset: run `make postgres` (make test does)")
    import sqlalchemy as sa

    schema = f"serve_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            sa.make_url(POSTGRES_URL)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.server
@pytest.mark.postgres
@pytest.mark.slow
def test_the_service_runs_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    """A fresh PostgreSQL schema is migrated at start; scans are stored there and read back."""
    env = service_env(tmp_path, 0, database_url=postgres_url)
    token = create_key(env, "pg-lane", "station")["token"]
    server = start_server(tmp_path, database_url=postgres_url)
    try:
        first = _scan(server, token).json()
        second = _scan(server, token).json()
        assert second["duplicate_of"] == first["scan_id"]
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            stored = client.get(f"/v1/scans/{first['scan_id']}").json()
        assert stored["sha256"] == first["sha256"]
        assert stored["documents"][0]["mrz"]["lines"] == first["documents"][0]["mrz"]["lines"]
    finally:
        stop_server(server)
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM scans")).scalar_one() == 2
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docfraud.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_keys_from_the_command_line(tmp_path: Path) -> None:
    env = service_env(tmp_path, 0)
    created = json.loads(
        _cli(env, "keys", "create", "--name", "lane 3", "--role", "auditor").stdout
    )
    assert created["token"].startswith(f"dfk_{created['key_id']}_")
    listed = _cli(env, "keys", "list").stdout
    assert created["key_id"] in listed and "auditor" in listed and "active" in listed
    assert created["token"] not in listed
    assert _cli(env, "keys", "revoke", created["key_id"]).returncode == 0
    assert "revoked" in _cli(env, "keys", "list").stdout
    assert _cli(env, "keys", "revoke", created["key_id"]).returncode == 1
    assert _cli(env, "keys", "create", "--name", "x", "--role", "root").returncode == 2


def test_purge_from_the_command_line(tmp_path: Path) -> None:
    """The default retention (90 days) and a short one both keep a fresh scan and its image;
    ageing records is tested on the store with a clock (tests/store)."""
    from docfraud.config import Settings
    from docfraud.store.db import Role, Store

    env = service_env(tmp_path, 0)
    store = Store.from_settings(Settings(data_dir=tmp_path))
    store.migrate()
    key, _ = store.create_key("lane", Role.STATION)
    data = PASSPORT.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    store.put_image(data, sha, "image/png")
    store.add_scan(
        station="lane",
        key_id=key.key_id,
        image_sha256=sha,
        media_type="image/png",
        size_bytes=len(data),
        source_name="p.png",
        case_id=None,
        metadata={},
        status="complete",
        result={"documents": []},
        software_version="test",
        model_version="test",
        verdict="genuine",
        fraud_score=0.0,
    )
    store.close()
    kept = json.loads(_cli(env, "purge").stdout)
    assert (kept["scans"], kept["images"], kept["older_than_days"]) == (0, 0, 90)
    assert _cli(env, "purge", "--older-than", "soon").returncode == 2
    gone = json.loads(_cli(env, "purge", "--older-than", "1m").stdout)
    assert gone["scans"] == 0  # a minute has not passed yet
    assert any((tmp_path / "images").rglob(sha))


@pytest.mark.server
@pytest.mark.slow
def test_a_document_on_the_stop_list_is_a_critical_finding(tmp_path: Path) -> None:
    """Imported with `docfraud watchlist import`, hit by the very next scan."""
    env = service_env(tmp_path, 0)
    token = create_key(env, "lane-9", "station")["token"]
    listed = tmp_path / "stolen.csv"
    listed.write_text(
        "issuing_state,document_number,status,listed_on\nUTO,X4R 7215K0,stolen,2026-03-01\n"
    )
    imported = _cli(env, "watchlist", "import", str(listed), "--source", "national-list")
    assert imported.returncode == 0, imported.stderr
    server = start_server(tmp_path)
    try:
        scan = _scan(server, token).json()
    finally:
        stop_server(server)
    hits = [f for f in scan["documents"][0]["findings"] if f["code"] == "WATCHLIST.HIT"]
    assert len(hits) == 1 and hits[0]["severity"] == "critical"
    assert "national-list" in hits[0]["message"] and "stolen" in hits[0]["message"]
    assert scan["verdict"] in ("suspicious", "forged")


def _calibration_file(tmp_path: Path, version: str, suspicious: float, forged: float) -> Path:
    path = tmp_path / "site-calibration.json"
    data = {"kind": CALIBRATION_KIND, "fusion_version": version}
    path.write_text(json.dumps(data | {"suspicious": suspicious, "forged": forged}))
    return path


def test_the_service_decides_with_a_sites_calibration(tmp_path: Path) -> None:
    """Thresholds from ``docfraud calibrate`` replace the training ones in every answer; at 0
    every readable page scores above them, so the fixture passport turns forged."""
    calibration = _calibration_file(tmp_path, load_fusion().version, 0.0, 0.0)
    token = create_key(service_env(tmp_path, 0), "lane-3", "station")["token"]
    server = start_server(tmp_path, calibration=str(calibration))
    try:
        scan = _scan(server, token).json()
    finally:
        stop_server(server)
    document = scan["documents"][0]
    assert document["versions"]["thresholds"] == "calibration site-calibration.json"
    assert document["verdict"] == "forged" and scan["verdict"] == "forged"


def test_a_calibration_for_another_model_stops_the_service_with_its_code(tmp_path: Path) -> None:
    calibration = _calibration_file(tmp_path, "fusion-0", 0.3, 0.6)
    with pytest.raises(RuntimeError, match="CONFIG.CALIBRATION_INVALID.*fusion-0"):
        start_server(tmp_path, calibration=str(calibration))
