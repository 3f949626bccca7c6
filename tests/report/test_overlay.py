"""The annotated page: boxes where findings are, in severity colours, never outside the image."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from docfraud.report.overlay import SEVERITY_BGR, draw_overlay, encode_png

Bgr = npt.NDArray[np.uint8]


def _white(width: int = 200, height: int = 100) -> Bgr:
    return np.full((height, width, 3), 255, dtype=np.uint8)


def _finding(severity: str, box: list[float], code: str = "MRZ.CHECK_DIGIT.BIRTH_DATE") -> Any:
    return {
        "code": code,
        "severity": severity,
        "message": "m",
        "region": box,
        "page": 0,
        "regions": [{"source": "a.jpg", "page": 0, "box": box}],
    }


def _doc(*findings: Any, **extra: Any) -> dict[str, Any]:
    return {"source": "a.jpg", "page": 0, "findings": list(findings), **extra}


def _is(pixel: Bgr, colour: tuple[int, int, int]) -> bool:
    return bool(np.abs(pixel.astype(int) - np.array(colour)).max() <= 10)


def test_critical_box_border_is_red_and_inside_untouched() -> None:
    page = _white()
    out = draw_overlay(page, _doc(_finding("critical", [60, 40, 80, 40])))
    red = SEVERITY_BGR["critical"]
    assert red[2] > 200 and red[0] < 100  # BGR: red-ish
    # Left, right and bottom borders (the label sits above the box, over its top edge).
    assert _is(out[60, 60], red)
    assert _is(out[60, 139], red)
    assert _is(out[79, 100], red)
    # The inside of the box and a far corner are still white.
    assert (out[60, 100] == 255).all()
    assert (out[95, 5] == 255).all()


@pytest.mark.parametrize("severity", ["critical", "warning", "info"])
def test_severity_colours(severity: str) -> None:
    out = draw_overlay(_white(), _doc(_finding(severity, [60, 40, 80, 40])))
    assert _is(out[60, 60], SEVERITY_BGR[severity])


def test_label_drawn_next_to_box() -> None:
    out = draw_overlay(_white(), _doc(_finding("critical", [60, 50, 80, 40])))
    # A filled label background (red) above the box, holding the code in white ink.
    above = out[30:50, 60:140]
    assert (np.abs(above.astype(int) - np.array(SEVERITY_BGR["critical"])).max(axis=2) <= 10).any()
    assert (above.min(axis=2) > 240).any()  # white text on it (or the page beside it)


def test_input_not_mutated_and_read_only_input_accepted() -> None:
    page = _white()
    page.flags.writeable = False
    before = page.copy()
    out = draw_overlay(page, _doc(_finding("critical", [10, 10, 50, 30])))
    assert np.array_equal(page, before)
    assert out is not page and out.shape == page.shape and out.dtype == np.uint8
    assert out.flags.writeable


def test_out_of_image_regions_are_clipped() -> None:
    findings = [
        _finding("critical", [-50, -50, 100, 80]),  # over the top-left corner
        _finding("warning", [150, 60, 500, 500]),  # over the bottom-right corner
        _finding("info", [1000, 1000, 10, 10]),  # entirely outside
        _finding("critical", [1e12, -1e12, 1e12, 1e12]),  # absurd
    ]
    out = draw_overlay(_white(), _doc(*findings))
    assert out.shape == (100, 200, 3)
    # The clipped box keeps its sides along the image edge.
    assert _is(out[20, 0], SEVERITY_BGR["critical"])
    assert _is(out[99, 180], SEVERITY_BGR["warning"])


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"findings": None, "mrz": None, "viz": None, "document": None},
        {"findings": [{}], "document": {"corners": None}},
        {"findings": [{"code": "X", "severity": "critical", "region": None, "regions": []}]},
        {"findings": [{"code": "X", "severity": "bogus", "region": [1, 2, "a", 4]}]},
        {"findings": ["not a dict"], "viz": {"fields": [{"name": "x"}, None]}},
        {"document": {"corners": [[0, 0], [1]]}, "mrz": {"region": [0, 0, -5, 3]}},
        {"document": {"corners": [[0, 0], [float("nan"), 1], [3, 3]]}},
    ],
)
def test_missing_or_malformed_keys_are_tolerated(document: dict[str, Any]) -> None:
    page = _white()
    out = draw_overlay(page, document)
    assert out.shape == page.shape


def test_outline_mrz_and_fields_are_drawn() -> None:
    document = _doc(
        document={"corners": [[5, 5], [195, 5], [195, 95], [5, 95]]},
        mrz={"region": [20, 70, 160, 20]},
        viz={"fields": [{"name": "surname", "region": [100, 10, 60, 15]}]},
    )
    out = draw_overlay(_white(), document)
    assert not (out[5, 100] == 255).all()  # outline
    assert not (out[70, 100] == 255).all()  # MRZ box
    field = out[10, 130]
    assert not (field == 255).all() and field.min() > 100  # faint grey, not a finding colour


def test_only_this_pages_regions_are_drawn() -> None:
    other = {
        "code": "CASE.CHILD.NAME_MISMATCH",
        "severity": "critical",
        "regions": [
            {"source": "b.jpg", "page": 0, "box": [10, 10, 50, 50]},
            {"source": "a.jpg", "page": 1, "box": [10, 10, 50, 50]},
        ],
    }
    out = draw_overlay(_white(), _doc(other))
    assert (out == 255).all()


def test_every_region_of_a_finding_is_drawn() -> None:
    finding = _finding("critical", [10, 60, 30, 20])
    finding["regions"].append({"source": "a.jpg", "page": 0, "box": [150, 60, 30, 20]})
    out = draw_overlay(_white(), _doc(finding))
    assert _is(out[70, 10], SEVERITY_BGR["critical"])
    assert _is(out[70, 150], SEVERITY_BGR["critical"])


def test_grey_input_and_large_image() -> None:
    gray = np.full((3000, 2000), 200, dtype=np.uint8)
    out = draw_overlay(gray, _doc(_finding("critical", [100, 100, 400, 200])))
    assert out.shape == (3000, 2000, 3)
    # Lines thicken with the image: at 3000 px the border is several pixels wide.
    assert _is(out[200, 102], SEVERITY_BGR["critical"])


def test_heatmap_key_is_ignored() -> None:
    page = _white()
    assert (draw_overlay(page, {"heatmap": [[1.0]]}) == 255).all()


def test_encode_png_round_trips() -> None:
    page = _white(7, 5)
    page[1, 2] = (1, 2, 3)
    data = encode_png(page)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    back = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert np.array_equal(back, page)


@pytest.mark.parametrize(
    "image", [np.zeros((0, 0, 3), dtype=np.uint8), np.zeros((4, 4, 3), dtype=np.float64)]
)
def test_encode_png_rejects_what_it_cannot_encode(image: npt.NDArray[Any]) -> None:
    with pytest.raises(ValueError):
        encode_png(image)
