"""`docfraud case` end to end on the committed sample cases (data/samples/synth)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from docfraud.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "synth"
SCAN_DATE = "2026-06-01"  # the sample set's scan date (manifest.json)


def _labels() -> dict[str, list[dict[str, Any]]]:
    by_case: dict[str, list[dict[str, Any]]] = {}
    for line in (SAMPLES / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["case_id"]:
            by_case.setdefault(item["case_id"], []).append(item)
    return by_case


def _run_case(case_id: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    files = [str(SAMPLES / item["file"]) for item in _labels()[case_id]]
    assert main(["case", "--scan-date", SCAN_DATE, *files]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1, "one JSON object"
    result: dict[str, Any] = json.loads(out)
    return result


@pytest.mark.slow
@pytest.mark.tesseract
def test_a_clean_case_has_roles_and_no_critical_finding(capsys: pytest.CaptureFixture[str]) -> None:
    result = _run_case("case000024", capsys)
    assert set(result) >= {"case_id", "sources", "documents", "findings", "verdict", "fraud_score"}
    assert result["case_id"].startswith("case-") and len(result["sources"]) == 3
    roles = sorted(d["role"] for d in result["documents"])
    assert roles == ["adult", "child", "letter"]
    letter = next(d for d in result["documents"] if d["role"] == "letter")
    assert letter["document"]["kind"] == "letter" and letter["letter"]["fields"]
    every = result["findings"] + [f for d in result["documents"] for f in d["findings"]]
    assert not [f for f in every if f["severity"] == "critical"], every
    assert result["verdict"] == "genuine"


@pytest.mark.slow
@pytest.mark.tesseract
def test_a_consent_dated_after_the_scan_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    planted = {p["type"] for p in _labels()["case000026"][0]["planted"]}
    assert planted == {"consent_future"}
    result = _run_case("case000026", capsys)
    letter = next(d for d in result["documents"] if d["role"] == "letter")
    future = [f for f in letter["findings"] if f["code"] == "LETTER.DATED_IN_FUTURE"]
    assert len(future) == 1 and future[0]["severity"] == "critical"
    assert future[0]["regions"][0]["source"] == letter["source"]
    assert result["verdict"] in ("suspicious", "forged")


@pytest.mark.slow
@pytest.mark.tesseract
def test_case_findings_point_into_every_document_involved(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = _run_case("case000025", capsys)  # clean, with a parent's ID card (front and back)
    assert len(result["documents"]) == 5
    assert {d["role"] for d in result["documents"]} >= {"child", "adult"}
    for finding in result["findings"]:
        sources = {r["source"] for r in finding["regions"]}
        assert sources <= set(result["sources"]) and sources, finding
    surnames = [f for f in result["findings"] if f["code"] == "CASE.SURNAMES_DIFFER"]
    assert all(f["severity"] == "info" for f in surnames)
    # the parent's card front is read with its own back's MRZ, not the passports' beside it
    front = next(d for d in result["documents"] if d["source"].endswith("parent_front.jpg"))
    assert front["viz"]["other_side"].endswith("000025_parent_back.jpg page 0")
    birth = next(f for f in front["viz"]["fields"] if f["name"] == "birth_date")
    assert birth["value"] == "1990-11-30"


def test_case_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case"]) == 2
    assert main(["case", "--scan-date", "yesterday", "x.jpg"]) == 2
