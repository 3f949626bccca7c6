"""The scan report page: every finding shown, every value escaped, no script."""

from __future__ import annotations

import base64
import copy
from html.parser import HTMLParser
from typing import Any

import pytest

from docfraud.report.html import render_scan_html

HOSTILE = "<script>alert(1)</script>"
PNG = b"\x89PNG\r\n\x1a\nfake-png-bytes"


def _document() -> dict[str, Any]:
    return {
        "source": "scan.jpg",
        "page": 0,
        "sha256": "ab" * 32,
        "document": {"kind": "passport", "issuing_state": "UTO", "mrz_format": "TD3"},
        "mrz": {
            "lines": [
                "P<UTODOE<PUBLIC<<ALEX<MARIE<<<<<<<<<<<<<<<<<",
                "X4R7215K01UTO9203141F3106028ZE184226B<<<<<18",
            ],
            "region": [46, 560, 882, 67],
        },
        "viz": {
            "fields": [
                {
                    "name": "birth_date",
                    "text": "14 MAR/MARS 1990",
                    "value": "1990-03-14",
                    "confidence": 0.923,
                    "region": [332, 265, 283, 21],
                },
                {"name": "surname", "text": HOSTILE, "value": HOSTILE, "confidence": 0.5},
            ],
            "specimen_marked": False,
        },
        "letter": None,
        "verdict": "forged",
        "fraud_score": 0.973,
        "findings": [
            {
                "code": "MRZ.CHECK_DIGIT.BIRTH_DATE",
                "severity": "critical",
                "message": "Date of birth: check digit reads 1 but the data give 7.",
                "region": [306, 590, 121, 37],
                "page": 0,
                "regions": [{"source": "scan.jpg", "page": 0, "box": [306, 590, 121, 37]}],
                "contribution": 0.4213,
            },
            {
                "code": "VIZ_MRZ.SURNAME",
                "severity": "warning",
                "message": f"The printed surname ({HOSTILE}) differs from the MRZ's.",
                "region": None,
                "regions": [],
            },
            {
                "code": "DOC.SPECIMEN",
                "severity": "info",
                "message": "This is a specimen document.",
                "region": [46, 560, 882, 67],
            },
        ],
        "skipped": [{"check": "dates.order", "reason": "the printed date of issue was not found"}],
    }


def _scan(**changes: Any) -> dict[str, Any]:
    scan = {
        "scan_id": "scan-0001",
        "created_at": "2026-06-01T10:00:00Z",
        "station": "gate-4",
        "status": "complete",
        "verdict": "forged",
        "fraud_score": 0.973,
        "duplicate_of": None,
        "documents": [_document()],
        "model_version": "mrz_glyphnet-1",
        "software_version": "0.1.0",
    }
    scan.update(changes)
    return scan


class _Collect(HTMLParser):
    """Tags, attributes and text as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    parser.close()
    return parser


def test_hostile_text_is_escaped() -> None:
    page = render_scan_html(_scan(), [PNG])
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = _parse(page)
    assert "script" not in parsed.tags
    assert any(HOSTILE in t for t in parsed.text)  # shown to the reader as text


@pytest.mark.parametrize(
    "key", ["scan_id", "station", "created_at", "status", "software_version", "model_version"]
)
def test_hostile_scan_fields_are_escaped(key: str) -> None:
    page = render_scan_html(_scan(**{key: HOSTILE + '"onload="x'}), [])
    assert HOSTILE not in page
    assert "script" not in _parse(page).tags
    assert all(name != "onload" for name, _ in _parse(page).attrs)


def test_hostile_values_everywhere_are_escaped() -> None:
    doc = _document()
    doc["source"] = HOSTILE
    doc["document"] = {"kind": HOSTILE, "issuing_state": HOSTILE, "mrz_format": HOSTILE}
    doc["mrz"]["lines"] = [HOSTILE, HOSTILE]
    doc["findings"][0]["code"] = HOSTILE
    doc["findings"][0]["severity"] = HOSTILE
    doc["findings"][0]["regions"][0]["source"] = HOSTILE
    doc["skipped"] = [{"check": HOSTILE, "reason": HOSTILE}]
    doc["verdict"] = HOSTILE
    doc["letter"] = {"fields": [{"name": HOSTILE, "text": HOSTILE, "value": HOSTILE}]}
    page = render_scan_html(_scan(documents=[doc], verdict=HOSTILE, fraud_score=HOSTILE), [PNG])
    assert HOSTILE not in page
    assert "script" not in _parse(page).tags


def test_every_finding_code_and_skip_is_shown() -> None:
    scan = _scan()
    page = render_scan_html(scan, [PNG])
    for f in scan["documents"][0]["findings"]:
        assert f["code"] in page
    assert "dates.order" in page and "the printed date of issue was not found" in page
    assert "[306, 590, 121, 37]" in page


def test_each_finding_shows_its_share_of_the_score() -> None:
    page = render_scan_html(_scan(), [PNG])
    assert ">Score</th>" in page
    assert '<td class="num">+0.421</td>' in page  # the check digit's share
    assert '<td class="num">–</td>' in page  # a finding without one


def test_verdict_score_and_scan_details() -> None:
    page = render_scan_html(_scan(), [PNG])
    assert "FORGED" in page and "verdict-forged" in page
    assert "0.97" in page
    for text in ("scan-0001", "2026-06-01T10:00:00Z", "gate-4", "complete", "0.1.0"):
        assert text in page


def test_mrz_lines_and_viz_fields() -> None:
    page = render_scan_html(_scan(), [PNG])
    assert '<pre class="mrz">P&lt;UTODOE&lt;PUBLIC' in page
    assert "X4R7215K01UTO9203141F3106028ZE184226B&lt;&lt;&lt;&lt;&lt;18" in page
    for text in ("birth_date", "14 MAR/MARS 1990", "1990-03-14", "0.92"):
        assert text in page


def test_page_image_is_a_data_uri() -> None:
    page = render_scan_html(_scan(), [PNG])
    assert "data:image/png;base64," + base64.b64encode(PNG).decode("ascii") in page
    assert "<img " in page


def test_self_contained_and_script_free() -> None:
    page = render_scan_html(_scan(), [PNG])
    parsed = _parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert "script" not in parsed.tags and "link" not in parsed.tags
    assert "Content-Security-Policy" in page
    srcs = [v for k, v in parsed.attrs if k in ("src", "href")]
    assert srcs and all(v is not None and v.startswith("data:") for v in srcs)


def test_unreadable_document_without_mrz_or_viz() -> None:
    doc = {
        "source": "blank.png",
        "page": 0,
        "document": {"kind": "unknown", "issuing_state": None, "mrz_format": None},
        "mrz": None,
        "viz": None,
        "letter": None,
        "verdict": "unreadable",
        "fraud_score": 0.0,
        "findings": [
            {"code": "MRZ.NOT_FOUND", "severity": "warning", "message": "No MRZ.", "region": None}
        ],
        "skipped": [],
    }
    page = render_scan_html(_scan(documents=[doc], verdict="unreadable", fraud_score=0.0), [])
    assert "UNREADABLE" in page and "verdict-unreadable" in page
    assert "MRZ.NOT_FOUND" in page
    assert "No MRZ was read." in page
    assert "<img" not in page


@pytest.mark.parametrize(
    "scan",
    [
        {},
        {"documents": None, "fraud_score": None},
        {"documents": [{}], "status": "partial"},
        {"documents": ["x", {"findings": [None, "x"], "skipped": [None], "viz": {"fields": 3}}]},
    ],
)
def test_sparse_scans_render(scan: dict[str, Any]) -> None:
    page = render_scan_html(scan, [])
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_partial_status_is_announced() -> None:
    page = render_scan_html(_scan(status="partial"), [PNG])
    assert "still being read" in page


def test_pages_pair_with_documents_and_input_is_not_mutated() -> None:
    scan = _scan(documents=[_document(), _document()])
    before = copy.deepcopy(scan)
    page = render_scan_html(scan, [PNG])  # the second document has no image
    assert scan == before
    assert page.count("<img ") == 1
    assert "Document 2" in page


def test_regions_name_other_sources_only() -> None:
    doc = _document()
    doc["findings"][0]["regions"].append({"source": "letter.jpg", "page": 1, "box": [1, 2, 3, 4]})
    page = render_scan_html(_scan(documents=[doc]), [PNG])
    assert "page 1 [306, 590, 121, 37]" in page
    assert "scan.jpg page 1 [306" not in page
    assert "letter.jpg page 2 [1, 2, 3, 4]" in page
