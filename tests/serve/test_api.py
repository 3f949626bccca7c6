"""The service over real HTTP: who may do what, what a scan returns, and every bad upload."""

from __future__ import annotations

import io
import json
import socket
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serve.conftest import SAMPLES, UPLOAD_CAP, Server

pytestmark = [pytest.mark.server, pytest.mark.tesseract]

PASSPORT = SAMPLES / "utopia_passport.png"
ALTERED = SAMPLES / "utopia_passport_altered_birth_date.jpg"


def _post(server: Server, who: str | None, path: Path | None = None, **data: str) -> httpx.Response:
    files = {"file": (path.name, path.read_bytes(), "application/octet-stream")} if path else None
    with server.client(who) as client:
        return client.post("/v1/scans", files=files, data=data)


@pytest.fixture(scope="module")
def scan_a(server: Server) -> dict[str, Any]:
    """A scan of station A (forged: its birth date was altered)."""
    response = _post(server, "station_a", ALTERED)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module")
def case_a(server: Server) -> dict[str, Any]:
    files = [
        ("files", (p.name, p.read_bytes(), "image/jpeg"))
        for p in sorted((SAMPLES / "synth" / "images").glob("000026_*"))
    ]
    with server.client("station_a", timeout=180) as client:
        response = client.post("/v1/cases", files=files, data={"scan_date": "2026-06-01"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_health_and_docs_need_no_key(server: Server) -> None:
    with server.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/readyz").json()["status"] == "ready"
        assert client.get("/docs").status_code == 200
        assert "/v1/scans" in client.get("/openapi.json").json()["paths"]


def test_scan_answers_with_the_mrz_then_completes_with_the_visual_zone(
    server: Server, scan_a: dict[str, Any]
) -> None:
    assert scan_a["station"] == "station-a"
    assert scan_a["verdict"] in ("suspicious", "forged")
    codes = {f["code"] for d in scan_a["documents"] for f in d["findings"]}
    assert "MRZ.CHECK_DIGIT.BIRTH_DATE" in codes
    assert scan_a["documents"][0]["mrz"]["valid"] is False
    final = _wait_complete(server, "station_a", scan_a["scan_id"])
    assert final["documents"][0]["viz"] is not None
    assert final["verdict"] in ("suspicious", "forged")


def _wait_complete(server: Server, who: str, scan_id: str) -> dict[str, Any]:
    """The scan once its background reading is done (the worker finishes it within seconds)."""
    import time

    deadline = time.monotonic() + 120
    with server.client(who) as client:
        while time.monotonic() < deadline:
            body: dict[str, Any] = client.get(f"/v1/scans/{scan_id}").json()
            if body["status"] != "partial":
                return body
            time.sleep(0.25)  # polling the API as a station does
    raise AssertionError("the scan stayed partial")


# --- authorisation: every role against every endpoint -------------------------------------------

CALLERS = ("none", "invalid", "revoked", "station_a", "station_b", "auditor", "admin")


def _request(server: Server, who: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
    with server.client(None if who == "none" else who) as client:
        return client.request(method, url, **kwargs)


READ_EXPECT = {
    "none": 401,
    "invalid": 401,
    "revoked": 401,
    "station_a": 200,
    "station_b": 404,
    "auditor": 200,
    "admin": 403,
}


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize(
    "suffix", ["", "/evidence/original", "/evidence/annotated-0.png", "/report"]
)
def test_scan_reads_by_role(server: Server, scan_a: dict[str, Any], who: str, suffix: str) -> None:
    response = _request(server, who, "GET", f"/v1/scans/{scan_a['scan_id']}{suffix}")
    assert response.status_code == READ_EXPECT[who], response.text
    if response.status_code != 200:
        assert set(response.json()) >= {"code", "message"}


@pytest.mark.parametrize("who", CALLERS)
def test_case_reads_by_role(server: Server, case_a: dict[str, Any], who: str) -> None:
    response = _request(server, who, "GET", f"/v1/cases/{case_a['case_id']}")
    assert response.status_code == READ_EXPECT[who], response.text


def test_another_stations_scan_is_indistinguishable_from_none(
    server: Server, scan_a: dict[str, Any]
) -> None:
    theirs = _request(server, "station_b", "GET", f"/v1/scans/{scan_a['scan_id']}")
    missing = _request(server, "station_b", "GET", f"/v1/scans/{'0' * 32}")
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json())


SUBMIT_EXPECT = {
    "none": 401,
    "invalid": 401,
    "revoked": 401,
    "station_a": 200,
    "station_b": 200,
    "auditor": 403,
    "admin": 403,
}


@pytest.mark.parametrize("who", CALLERS)
def test_submit_by_role(server: Server, who: str) -> None:
    files = {"file": (PASSPORT.name, PASSPORT.read_bytes(), "image/png")}
    response = _request(server, who, "POST", "/v1/scans", files=files)
    assert response.status_code == SUBMIT_EXPECT[who], response.text


@pytest.mark.parametrize("who", [w for w in CALLERS if SUBMIT_EXPECT[w] != 200])
def test_case_submit_by_role(server: Server, who: str) -> None:
    """Refused before any analysis (stations submit in the case fixture)."""
    files = [("files", (PASSPORT.name, PASSPORT.read_bytes(), "image/png"))]
    response = _request(server, who, "POST", "/v1/cases", files=files)
    assert response.status_code == SUBMIT_EXPECT[who], response.text


KEYS_EXPECT = dict.fromkeys(("none", "invalid", "revoked"), 401) | {
    "station_a": 403,
    "station_b": 403,
    "auditor": 403,
    "admin": 200,
}


@pytest.mark.parametrize("who", CALLERS)
def test_key_management_by_role(server: Server, who: str) -> None:
    listed = _request(server, who, "GET", "/v1/keys")
    assert listed.status_code == KEYS_EXPECT[who]
    created = _request(
        server, who, "POST", "/v1/keys", json={"name": f"new-{who}", "role": "station"}
    )
    assert created.status_code == (201 if who == "admin" else KEYS_EXPECT[who])
    revoked = _request(server, who, "DELETE", "/v1/keys/ffffffffffff")
    assert revoked.status_code == (404 if who == "admin" else KEYS_EXPECT[who])
    if who == "admin":
        assert all("token" not in k and "hash" not in json.dumps(k) for k in listed.json())


def test_admin_key_lifecycle(server: Server) -> None:
    with server.client("admin") as admin:
        created = admin.post("/v1/keys", json={"name": "lane-7", "role": "station"}).json()
        token = created["token"]
        with httpx.Client(base_url=server.url, headers={"X-API-Key": token}) as lane:
            assert lane.get(f"/v1/scans/{'0' * 32}").status_code == 404  # authenticated
            assert admin.delete(f"/v1/keys/{created['key_id']}").status_code == 204
            assert lane.get(f"/v1/scans/{'0' * 32}").status_code == 401


# --- results, evidence, resubmission --------------------------------------------------------------


def test_evidence_pages_and_report(server: Server, scan_a: dict[str, Any]) -> None:
    import cv2
    import numpy as np

    base = f"/v1/scans/{scan_a['scan_id']}"
    with server.client("auditor") as client:
        original = client.get(f"{base}/evidence/original")
        assert original.content == ALTERED.read_bytes()
        page = client.get(f"{base}/evidence/page-0.png")
        annotated = client.get(f"{base}/evidence/annotated-0.png")
        assert page.headers["content-type"] == "image/png"
        plain = cv2.imdecode(np.frombuffer(page.content, np.uint8), cv2.IMREAD_COLOR)
        drawn = cv2.imdecode(np.frombuffer(annotated.content, np.uint8), cv2.IMREAD_COLOR)
        assert plain.shape == drawn.shape
        assert [plain.shape[1], plain.shape[0]] == scan_a["documents"][0]["image_size"]
        assert np.any(plain != drawn)
        assert client.get(f"{base}/evidence/page-9.png").status_code == 404
        assert client.get(f"{base}/evidence/..%2F..%2Fetc%2Fpasswd").status_code == 404
        report = client.get(f"{base}/report")
        assert report.headers["content-type"].startswith("text/html")
        assert "MRZ.CHECK_DIGIT.BIRTH_DATE" in report.text


def test_resubmission_is_linked_and_not_stored_twice(server: Server) -> None:
    first = _post(server, "station_b", PASSPORT).json()
    second = _post(server, "station_b", PASSPORT).json()
    assert second["scan_id"] != first["scan_id"]
    assert second["duplicate_of"] in (first["duplicate_of"], first["scan_id"])
    assert second["duplicate_of"] is not None
    stored = [p for p in (server.data_dir / "images").rglob("*") if p.name == first["sha256"]]
    assert len(stored) == 1


def test_case_stores_each_document_as_a_scan(server: Server, case_a: dict[str, Any]) -> None:
    assert len(case_a["scan_ids"]) == len(case_a["sources"]) == 3
    assert {d["role"] for d in case_a["documents"]} >= {"letter"}
    with server.client("station_a") as client:
        for doc in case_a["documents"]:
            scan = client.get(f"/v1/scans/{doc['scan_id']}").json()
            assert scan["case_id"] == case_a["case_id"]
            assert scan["status"] == "complete"


# --- bad uploads ----------------------------------------------------------------------------------


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


BAD_FILES = {
    "text": (b"name,number\nJohn,123\n", 415, "INPUT.UNSUPPORTED_TYPE"),
    "empty": (b"", 422, "INPUT.EMPTY"),
    "truncated_jpeg": (ALTERED.read_bytes()[:3000], 422, "INPUT.TRUNCATED"),
    "pixel_bomb_png": (_png_header(100_000, 100_000), 422, "INPUT.TOO_MANY_PIXELS"),
    "corrupt_pdf": (b"%PDF-1.7\n1 0 obj <<>> garbage" + b"\x00" * 200, 422, None),
    "html": (b"<html><script>alert(1)</script></html>", 415, "INPUT.UNSUPPORTED_TYPE"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_files_get_a_clear_error(server: Server, kind: str) -> None:
    content, status, code = BAD_FILES[kind]
    with server.client("station_a") as client:
        response = client.post("/v1/scans", files={"file": ("upload.jpg", content, "image/jpeg")})
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code if code else body["code"].startswith("INPUT.")
    assert "Traceback" not in response.text


def test_oversize_body_is_refused_from_its_declared_length(server: Server) -> None:
    big = b"\xff\xd8\xff" + b"\0" * (UPLOAD_CAP + 200_000)
    with server.client("station_a") as client:
        response = client.post("/v1/scans", files={"file": ("big.jpg", big, "image/jpeg")})
    assert response.status_code == 413
    assert response.json()["code"] == "REQUEST.TOO_LARGE"


def test_oversize_body_is_refused_while_streaming(server: Server) -> None:
    """Chunked, with no Content-Length: the count stops it, not the declared size."""
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()

    def chunks() -> Any:
        yield head + b"\xff\xd8\xff"
        for _ in range(UPLOAD_CAP // 65536 + 8):
            yield b"\0" * 65536

    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    with server.client("station_a") as client:
        try:
            response = client.post("/v1/scans", content=chunks(), headers=headers)
        except httpx.WriteError:
            return  # the server answered 413 and closed before the client finished sending
    assert response.status_code == 413
    assert response.json()["code"] == "REQUEST.TOO_LARGE"


def test_slow_upload_times_out(server: Server) -> None:
    """A body that never finishes arriving is cut off at the upload deadline with 408."""
    host, port = server.url.removeprefix("http://").split(":")
    token = server.tokens["station_a"]
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            (
                "POST /v1/scans HTTP/1.1\r\nHost: x\r\n"
                f"Authorization: Bearer {token}\r\n"
                "Content-Type: multipart/form-data; boundary=zz\r\n"
                "Content-Length: 100000\r\n\r\n--zz\r\n"
            ).encode()
        )
        answer = io.BytesIO()
        while chunk := sock.recv(4096):
            answer.write(chunk)
    status_line = answer.getvalue().split(b"\r\n", 1)[0]
    assert b" 408 " in status_line
    assert b"REQUEST.TIMEOUT" in answer.getvalue()


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"json": {"file": "x"}}, 415, "REQUEST.NOT_MULTIPART"),
        (
            {"content": b"raw bytes", "headers": {"Content-Type": "image/jpeg"}},
            415,
            "REQUEST.NOT_MULTIPART",
        ),
        ({"files": {"other": ("a.png", b"x", "image/png")}}, 422, "REQUEST.INVALID"),
        (
            {"data": {"metadata": "{not json"}, "files": {"file": ("a.png", b"x", "image/png")}},
            422,
            "REQUEST.INVALID",
        ),
    ],
    ids=["json-body", "raw-body", "missing-file-field", "bad-metadata"],
)
def test_malformed_requests(server: Server, kwargs: dict[str, Any], status: int, code: str) -> None:
    with server.client("station_a") as client:
        response = client.post("/v1/scans", **kwargs)
    assert (response.status_code, response.json()["code"]) == (status, code), response.text


def test_unknown_routes_and_methods_answer_in_the_error_shape(server: Server) -> None:
    with server.client("station_a") as client:
        assert client.get("/v2/nothing").json()["code"] == "REQUEST.NOT_FOUND"
        assert client.put("/v1/scans").json()["code"] == "REQUEST.METHOD_NOT_ALLOWED"


# --- load: backpressure, metrics ------------------------------------------------------------------


def test_a_full_queue_answers_503_at_once_and_nothing_else_fails(server: Server) -> None:
    """One worker and a queue of two: of twelve simultaneous scans some are turned away with
    503 and Retry-After; every one admitted completes."""
    content = PASSPORT.read_bytes()

    def submit(_: int) -> httpx.Response:
        with server.client("station_b") as client:
            return client.post("/v1/scans", files={"file": ("p.png", content, "image/png")})

    with ThreadPoolExecutor(12) as pool:
        responses = list(pool.map(submit, range(12)))
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {200, 503}
    assert 503 in statuses and 200 in statuses
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.headers["retry-after"] == "1"
    assert busy.json()["code"] == "SERVICE.BUSY"


def test_metrics_are_exposed(server: Server, scan_a: dict[str, Any]) -> None:
    with server.client() as client:
        text = client.get("/metrics").text
    for name in (
        "docfraud_requests_total",
        "docfraud_request_seconds_bucket",
        "docfraud_stage_seconds_bucket",
        "docfraud_verdicts_total",
        "docfraud_queue_depth",
        "docfraud_worker_restarts_total",
    ):
        assert name in text
    assert 'route="/v1/scans"' in text


def test_logs_name_documents_by_hash_never_by_content(
    server: Server, scan_a: dict[str, Any]
) -> None:
    log = server.log.read_text(errors="replace")
    mrz = scan_a["documents"][0]["mrz"]
    assert scan_a["sha256"] in log
    for secret in (*mrz["lines"], mrz["fields"]["document_number"], mrz["fields"]["surname"]):
        assert secret not in log
    assert server.tokens["station_a"] not in log


def test_the_openapi_page_documents_every_error_answer(server: Server) -> None:
    """Clients generated from /openapi.json know the {code, message} shape of each error."""
    with server.client() as client:
        spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            answers = operation["responses"]
            for status in ("401", "403", "429"):
                assert answers[status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorOut"
                }, (method, path, status)
    uploads = spec["paths"]["/v1/scans"]["post"]["responses"]
    assert {"408", "413", "415", "422", "503"} <= set(uploads)


@pytest.mark.slow
def test_the_same_case_sent_twice_is_two_cases_of_one_content(server: Server) -> None:
    files = [
        ("files", (p.name, p.read_bytes(), "application/octet-stream"))
        for p in (PASSPORT, SAMPLES / "utopia_id_card_back_photo.jpg")
    ]
    with server.client("station_b", timeout=180) as client:
        first = client.post("/v1/cases", files=files)
        second = client.post("/v1/cases", files=files)
        assert (first.status_code, second.status_code) == (200, 200), second.text
        one, two = first.json(), second.json()
        assert one["case_id"] != two["case_id"]
        assert one["content_id"] == two["content_id"]
        assert client.get(f"/v1/cases/{two['case_id']}").json()["scan_ids"] == two["scan_ids"]
