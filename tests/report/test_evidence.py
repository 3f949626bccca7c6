"""Evidence images: findings boxed in their severity's colour, the heatmap only where the map
is high, safe file names, and ``docfraud scan --evidence`` writing image and report per page."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest

from docfraud.analysis import Analysis
from docfraud.cli import main
from docfraud.imaging.load import DecodeLimits, LoadedDocument
from docfraud.imaging.tampernet import TamperMap
from docfraud.report.evidence import COLOURS, annotate, evidence_stem, write_evidence
from docfraud.types import Finding, Region, Severity

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def _page(**parts: object) -> Analysis:
    base = Analysis(
        source="/seized/box 3/pass?port.jpg",
        page=0,
        sha256="ab" * 32,
        media_type="image/jpeg",
        image_size=(200, 100),
        scan_date=date(2026, 6, 1),
    )
    return Analysis(**{**{f: getattr(base, f) for f in base.__slots__}, **parts})  # type: ignore[arg-type]


def test_findings_are_boxed_in_their_severity_colour() -> None:
    finding = Finding("TAMPER.REGION", Severity.CRITICAL, "x", region=Region(0, (50, 40, 60, 30)))
    out = annotate(np.full((100, 200, 3), 255, np.uint8), _page(findings=(finding,)))
    assert tuple(int(v) for v in out[55, 50]) == COLOURS[Severity.CRITICAL]  # left edge
    assert tuple(int(v) for v in out[55, 80]) == (255, 255, 255)  # inside stays as it was


def test_the_heatmap_covers_only_where_the_map_is_high() -> None:
    p = np.zeros((13, 25), np.float32)
    p[2:5, 2:5] = 0.95
    tamper = TamperMap(p, cell=8.0, alarm=0.9, notice=0.6)
    out = annotate(np.full((100, 200, 3), 255, np.uint8), _page(tamper=tamper))
    assert not np.array_equal(out[28, 28], [255, 255, 255])
    assert np.array_equal(out[90, 180], [255, 255, 255])


def test_evidence_names_are_safe_and_distinct_per_page_and_input(tmp_path: Path) -> None:
    page = _page()
    assert evidence_stem(page) == "pass_port.jpg-p0-abababab"
    written = write_evidence(tmp_path, page, np.zeros((100, 200, 3), np.uint8))
    assert [p.name for p in written] == [
        "pass_port.jpg-p0-abababab.jpg",
        "pass_port.jpg-p0-abababab.json",
    ]
    assert json.loads(written[1].read_text(encoding="utf-8"))["source"] == page.source
    assert write_evidence(tmp_path, page, None) == [written[1]]  # no image: the report alone


def test_scan_writes_an_annotated_image_and_report_per_page(tmp_path: Path) -> None:
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really")
    sample = SAMPLES / "utopia_passport_altered_birth_date.jpg"
    out = tmp_path / "evidence"
    assert main(["scan", "--evidence", str(out), str(sample), str(bad)]) == 0
    images = sorted(out.glob("*.jpg"))
    reports = sorted(out.glob("*.json"))
    assert [p.name.split("-p0-")[0] for p in images] == [sample.name]
    assert len(reports) == 2  # the broken input gets its report, without an image
    drawn = cv2.imread(str(images[0]))
    assert drawn is not None and drawn.shape[:2] == cv2.imread(str(sample)).shape[:2]
    report = json.loads((out / (images[0].stem + ".json")).read_text(encoding="utf-8"))
    assert any(f["code"].startswith("MRZ.CHECK_DIGIT") for f in report["findings"])


def test_scan_with_evidence_decodes_each_input_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docfraud.imaging.load
    import docfraud.pipeline

    decoded: list[str] = []
    real = docfraud.imaging.load.load_path

    def counting(path: str | Path, limits: DecodeLimits) -> LoadedDocument:
        decoded.append(str(path))
        return real(path, limits)

    for module in (docfraud.pipeline, docfraud.imaging.load):
        monkeypatch.setattr(module, "load_path", counting)
    sample = SAMPLES / "utopia_passport.png"
    assert main(["scan", "--evidence", str(tmp_path), str(sample)]) == 0
    assert decoded == [str(sample)]
    assert len(list(tmp_path.glob("*.jpg"))) == 1
