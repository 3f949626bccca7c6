"""``docfraud scan``: the result contract, exit codes, and the specimens read end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from docfraud.cli import main
from docfraud.errors import DEP_TESSERACT_MISSING, DependencyError
from tests.conftest import SPECIMENS

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
DOCFRAUD = Path(sys.executable).parent / "docfraud"
CONTRACT_KEYS = {
    "source",
    "page",
    "sha256",
    "document",
    "mrz",
    "verdict",
    "fraud_score",
    "findings",
    "model_version",
    "timings_ms",
}
FINDING_KEYS = {"code", "severity", "message", "field", "region"}


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code = main(["scan", "--scan-date", "2026-06-01", *args])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def test_json_result_keeps_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, (result,) = _scan(capsys, str(SAMPLES / "utopia_passport_altered_birth_date.jpg"))
    assert code == 0
    assert CONTRACT_KEYS <= set(result)
    assert set(result["document"]) >= {"kind", "issuing_state", "mrz_format"}
    assert result["document"] | {"kind": "passport", "mrz_format": "TD3"} == result["document"]
    assert result["verdict"] == "forged"
    assert 0.9 <= result["fraud_score"] <= 1.0
    assert result["scan_date"] == "2026-06-01"
    assert result["model_version"].startswith("mrz_glyphnet-")
    for finding in result["findings"]:
        assert FINDING_KEYS <= set(finding)
        assert finding["severity"] in {"info", "warning", "critical"}
        assert finding["region"] is None or len(finding["region"]) == 4
    assert len(result["sha256"]) == 64
    assert result["mrz"]["fields"]["birth_date"] == "1992-03-14"
    assert result["mrz"]["checks"]["birth_date"]["valid"] is False


def test_text_format_is_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--format", "text", str(SAMPLES / "utopia_id_card_back_photo.jpg")]) == 0
    out = capsys.readouterr().out
    assert "[page 1]: GENUINE (score" in out
    assert "IDUTO" in out
    assert "{" not in out


def test_folders_expand_to_documents_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("not a document")
    (tmp_path / "b.png").write_bytes((SAMPLES / "utopia_passport.png").read_bytes())
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    code, results = _scan(capsys, str(tmp_path))
    assert code == 0
    assert [Path(r["source"]).name for r in results] == ["a.png", "b.png"]
    assert [r["verdict"] == "unreadable" for r in results] == [True, False]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "INPUT.EMPTY"),
        (b"GIF89a\x01\x00\x01\x00", "INPUT.UNSUPPORTED_TYPE"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "INPUT.TRUNCATED"),
    ],
    ids=["empty", "gif", "truncated-jpeg"],
)
def test_bad_input_is_processed_with_its_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / "input.jpg"
    path.write_bytes(content)
    exit_code, (result,) = _scan(capsys, str(path))
    assert exit_code == 0
    assert result["verdict"] == "unreadable"
    assert [f["code"] for f in result["findings"]] == [code]


def _fails(*_: object, **__: object) -> None:
    raise np.linalg.LinAlgError("Singular matrix")


def test_a_bug_in_a_reading_stage_costs_that_part_not_the_page(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The visual-zone reader raising (as it did on a degenerate outline) leaves the MRZ's
    findings and says which part is missing; the next input is still analysed."""
    monkeypatch.setattr("docfraud.pipeline.read_viz", _fails)
    passport = str(SAMPLES / "utopia_passport_altered_birth_date.jpg")
    code, (result, again) = _scan(capsys, passport, passport)
    assert code == 0
    assert result == again | {"timings_ms": result["timings_ms"]}
    failed = [f for f in result["findings"] if f["code"] == "INTERNAL.STAGE_FAILED"]
    assert [f["severity"] for f in failed] == ["warning"]
    assert "visual zone" in failed[0]["message"] and "LinAlgError" in failed[0]["message"]
    assert "Singular" not in failed[0]["message"]  # an exception's text may quote the document
    assert result["viz"] is None
    assert result["mrz"]["checks"]["birth_date"]["valid"] is False
    assert "MRZ.CHECK_DIGIT.BIRTH_DATE" in {f["code"] for f in result["findings"]}
    assert {s["reason"] for s in result["skipped"] if s["check"].startswith("viz")} == {
        "no visual zone was read"
    }


def test_a_missing_dependency_in_a_stage_is_still_fatal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*_: object, **__: object) -> None:
        raise DependencyError(DEP_TESSERACT_MISSING, "tesseract is not installed")

    monkeypatch.setattr("docfraud.pipeline.read_viz", missing)
    assert main(["scan", str(SAMPLES / "utopia_passport.png")]) == 3
    assert capsys.readouterr().out == ""


def test_strict_analysis_raises_a_stage_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer

    monkeypatch.setattr("docfraud.pipeline.read_viz", _fails)
    with pytest.raises(np.linalg.LinAlgError):
        Analyzer(AnalysisConfig(strict=True)).analyze_path(SAMPLES / "utopia_passport.png")


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["scan"],
        ["scan", "--format", "xml", "x.png"],
        ["scan", "--scan-date", "01/02/2026", "x"],
    ],
    ids=["no-command", "no-path", "bad-format", "bad-date"],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_console_script_is_installed() -> None:
    out = subprocess.run(
        [str(DOCFRAUD), "--version"], check=True, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.startswith("docfraud ")


@pytest.mark.slow
@pytest.mark.specimens
def test_scan_reads_the_specimens(specimen_truth: list[dict[str, Any]]) -> None:
    """The issue's bar, through the installed command: ≥ 20 of the 22 MRZs read exactly."""
    out = subprocess.run(
        [str(DOCFRAUD), "scan", str(SPECIMENS)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    results = {Path(r["source"]).name: r for r in map(json.loads, out.stdout.splitlines())}
    assert set(results) == {t["file"] for t in specimen_truth}
    exact = 0
    for truth in specimen_truth:
        result = results[truth["file"]]
        assert result["verdict"] != "unreadable", truth["file"]
        # the scan contract writes MRVA/MRVB; truth.json writes ICAO's MRV-A/MRV-B
        assert result["document"]["mrz_format"] == truth["mrz_format"].replace("-", ""), truth[
            "file"
        ]
        if result["mrz"]["lines"] != truth["mrz"]:
            continue
        exact += 1
        failed_checks = any(f["code"].startswith("MRZ.CHECK_DIGIT.") for f in result["findings"])
        assert failed_checks == (not truth["check_digits_valid"]), truth["file"]
    assert exact >= 20


def test_calibrate_writes_thresholds_that_scan_then_uses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Calibrating on a site's genuine documents: the thresholds are the highest genuine score
    with so few pages (none may exceed them), and a scan with the file names it as its source."""
    site = tmp_path / "site"
    site.mkdir()
    for name in ("utopia_passport.png", "utopia_id_card_back_photo.jpg"):
        (site / name).write_bytes((SAMPLES / name).read_bytes())
    out = tmp_path / "calibration.json"
    assert main(["calibrate", str(site), "--out", str(out), "--mrz-only"]) == 0
    summary = json.loads(capsys.readouterr().out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert summary == saved
    assert saved["kind"] == "docfraud-calibration" and saved["pages"] == 2
    assert saved["fusion_version"].startswith("fusion-")
    assert saved["enough_pages_for_forged"] is False
    assert 0.0 <= saved["suspicious"] <= saved["forged"] <= 1.0
    portraits = saved["models"]["portrait_substitution"]  # two pages: thresholds only rise
    assert portraits["enough_pages_to_lower"] is False and portraits["pages"] <= 2
    assert portraits["alarm"] >= portraits["training"]["alarm"]
    assert "tamper_net" not in saved["models"]  # TamperNet was not run

    code, (result,) = _scan(capsys, "--calibration", str(out), str(SAMPLES / "utopia_passport.png"))
    assert code == 0
    assert result["versions"]["thresholds"] == "calibration calibration.json"
    assert result["verdict"] == "genuine"


def test_a_bad_calibration_file_is_a_configuration_error(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    bad = tmp_path / "calibration.json"
    bad.write_text('{"kind": "docfraud-calibration", "fusion_version": "fusion-0"}')
    assert main(["scan", "--calibration", str(bad), str(SAMPLES / "utopia_passport.png")]) == 4
    assert "CONFIG.CALIBRATION_INVALID" in caplog.text


def test_calibrate_on_an_empty_folder_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["calibrate", str(tmp_path), "--out", str(tmp_path / "c.json")]) == 2
    assert not (tmp_path / "c.json").exists()
