"""MRZ reading on the real specimens: exact lines, orientation, skew, regions in input pixels."""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np
import pytest

from docfraud.synth.capture import CaptureMode, capture
from docfraud.synth.dataset import ADULTS
from docfraud.synth.documents import render_document
from docfraud.synth.people import STATES, random_document, random_person
from docfraud.synth.records import Side
from docfraud.synth.templates import template
from tests.conftest import SPECIMENS

ORIENTATION_SET = (
    "pe_100_pass-uto.jpg",
    "pe_passport-td2.png",
    "pe_100_id-mac.jpg",
    "pe_100_pass-cze.jpg",
    "pe_100_visa-polx.jpg",
)


def _truth(specimen_truth: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(t for t in specimen_truth if t["file"] == name)


def _read(analyzer: Any, bgr: np.ndarray) -> Any:
    ok, buf = cv2.imencode(".png", bgr)
    assert ok
    return analyzer.analyze_bytes(buf.tobytes(), "test.png")[0]


def _reads_exactly(analyzer: Any, bgr: np.ndarray, expected: list[str]) -> Any:
    """The analysis of ``bgr``, after asserting its MRZ lines are ``expected``."""
    result = _read(analyzer, bgr)
    assert result.mrz is not None
    assert list(result.mrz.lines) == expected
    return result


def _rotate(bgr: np.ndarray, degrees: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate clockwise by ``degrees`` on an enlarged white canvas; returns image and 2x3 map."""
    h, w = bgr.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    out = cv2.warpAffine(bgr, m, (nw, nh), borderValue=(255, 255, 255))
    return out, m


def _box_centre(box: list[int]) -> np.ndarray:
    return np.array([box[0] + box[2] / 2, box[1] + box[3] / 2])


@pytest.mark.slow
def test_every_specimen_reads_as_expected(
    analyzer: Any, specimen_truth: list[dict[str, Any]]
) -> None:
    """At least 20 of the 22 specimens read exactly (the foundation issue's bar)."""
    exact = []
    for item in specimen_truth:
        result = analyzer.analyze_path(SPECIMENS / item["file"])[0]
        if result.mrz is not None and list(result.mrz.lines) == item["mrz"]:
            exact.append(item["file"])
    assert len(exact) >= 20, f"only {len(exact)} exact: {exact}"


@pytest.mark.parametrize("name", ORIENTATION_SET)
@pytest.mark.parametrize("degrees", [90, 180, 270, 12, -17])
def test_rotated_and_skewed_specimens_read_the_same(
    analyzer: Any, specimen_truth: list[dict[str, Any]], name: str, degrees: float
) -> None:
    item = _truth(specimen_truth, name)
    upright = cv2.imread(str(SPECIMENS / name))
    turned, m = _rotate(upright, degrees)
    result = _reads_exactly(analyzer, turned, item["mrz"])
    # the MRZ region is reported in the turned image's pixels: map the upright zone there
    base = _read(analyzer, upright)
    expected_centre = m[:, :2] @ _box_centre(base.mrz.zone_box(*base.image_size)) + m[:, 2]
    got = _box_centre(list(result.mrz.zone_box(*result.image_size)))
    assert np.linalg.norm(got - expected_centre) < 0.05 * math.hypot(*turned.shape[:2])


@pytest.mark.parametrize("degrees", [-14, 14])
def test_tilted_card_with_close_lines_reads(
    analyzer: Any, specimen_truth: list[dict[str, Any]], degrees: float
) -> None:
    """A TD1 whose three lines lie close: tilted by 14 degrees, glyph chaining alone zigzags
    between the lines, and the page is searched again turned level."""
    name = "pe_0_id-esp.png"
    turned, _ = _rotate(cv2.imread(str(SPECIMENS / name)), degrees)
    _reads_exactly(analyzer, turned, _truth(specimen_truth, name)["mrz"])


def test_marks_two_cells_before_the_zone_do_not_shift_the_reading(
    analyzer: Any, specimen_truth: list[dict[str, Any]]
) -> None:
    """Print just left of each line ('1<', as a neighbouring field can leave) pulls the cell
    grid two cells off the zone; the reading moves it back a cell at a time."""
    name = "pe_0_id-esp.png"
    bgr = cv2.imread(str(SPECIMENS / name))
    lines = _read(analyzer, bgr).mrz.candidate.lines
    for line in lines:
        for cell, mark in ((-2, "1"), (-1, "<")):
            x, y = line.cell_centre(cell)
            h = line.height
            corner = (int(x - 0.3 * h), int(y + 0.45 * h))
            font = cv2.FONT_HERSHEY_SIMPLEX
            cv2.putText(bgr, mark, corner, font, h / 30, (20, 20, 20), max(1, int(h / 10)))
    _reads_exactly(analyzer, bgr, _truth(specimen_truth, name)["mrz"])


def test_a_card_whose_third_line_is_hidden_reads_as_a_card(
    analyzer: Any, specimen_truth: list[dict[str, Any]]
) -> None:
    """Glare over a TD1's last line leaves two lines of 30: read as a TD1 with its number, not
    as a two-line zone of 36 (which made up a number and a forgery)."""
    name = "pe_0_id-esp.png"
    bgr = cv2.imread(str(SPECIMENS / name))
    line = _read(analyzer, bgr).mrz.candidate.lines[2]
    (x0, y0), (x1, y1) = line.cell_centre(-1), line.cell_centre(30)
    half = int(0.6 * line.height)
    corners = [(x0, y0 - half), (x1, y1 - half), (x1, y1 + half), (x0, y0 + half)]
    cv2.fillConvexPoly(bgr, np.int32(corners), (250, 250, 250))
    result = _read(analyzer, bgr)
    assert result.mrz is not None and result.mrz.data is not None
    assert result.mrz.data.format.value == "TD1"
    assert list(result.mrz.lines[:2]) == _truth(specimen_truth, name)["mrz"][:2]


def test_a_passport_whose_line_ends_are_under_glare_reads_as_a_passport(
    analyzer: Any, specimen_truth: list[dict[str, Any]]
) -> None:
    """Glare over the last eight cells of a TD3's lines hides their glyphs from the zone
    finder (36 cells filled better than 44) but leaves them readable: the reading chooses the
    44-character zone, rather than the first 36 read as a TD2 whose composite check fails."""
    name = "pe_passport-td3.png"
    bgr = cv2.imread(str(SPECIMENS / name))
    mask = np.zeros(bgr.shape[:2], np.uint8)
    for line in _read(analyzer, bgr).mrz.candidate.lines:
        (x0, y0), (x1, y1) = line.cell_centre(35.5), line.cell_centre(45)
        half = int(0.8 * line.height)
        corners = [(x0, y0 - half), (x1, y1 - half), (x1, y1 + half), (x0, y0 + half)]
        cv2.fillConvexPoly(mask, np.int32(corners), 255)
    glare = bgr.astype(np.float32)
    glare[mask > 0] = 255 - (255 - glare[mask > 0]) * 0.2
    result = _reads_exactly(
        analyzer, np.round(glare).astype(np.uint8), _truth(specimen_truth, name)["mrz"]
    )
    assert result.mrz.data.format.value == "TD3"


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_visa_with_dark_guilloche_reads(analyzer: Any, seed: int) -> None:
    """A generated visa whose guilloche is dark enough to join the MRZ's glyphs at Otsu's
    threshold (seed 4) reads through the strict second mask."""
    rng = np.random.default_rng(seed)
    design = template("mrvb_ochre_visa")
    holder = random_person(rng, STATES[0], born_between=(ADULTS[0], ADULTS[1]))
    scan_date = ADULTS[1].replace(year=2026)
    data = random_document(
        rng, design.kind, holder, scan_date=scan_date, mrz_format=design.mrz_format
    )
    page = render_document(rng, data, design, Side.PAGE, 77)
    shot = capture(rng, page.rgb, CaptureMode.FLATBED)
    result = _read(analyzer, np.ascontiguousarray(shot.rgb[:, :, ::-1]))
    assert result.mrz is not None and result.mrz.data is not None
    assert result.mrz.data.document_number == data.document_number


def test_blank_page_has_no_mrz(analyzer: Any) -> None:
    result = _read(analyzer, np.full((400, 600, 3), 255, np.uint8))
    assert result.mrz is None
    assert result.verdict.value == "unreadable"
    assert [f.code for f in result.findings] == ["MRZ.NOT_FOUND"]


def _tilt(bgr: np.ndarray, far_side_shrink: float, left_far: bool) -> np.ndarray:
    """A photo taken at an angle: one side of the page farther away (smaller) than the other."""
    h, w = bgr.shape[:2]
    pad = int(w * far_side_shrink / 2) + 10
    canvas = cv2.copyMakeBorder(bgr, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255,) * 3)
    src = np.float32([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]])
    inset = h * far_side_shrink / 2
    dst = src.copy()
    far = (0, 3) if left_far else (1, 2)
    dst[far[0], 1] += inset
    dst[far[1], 1] -= inset
    homography = cv2.getPerspectiveTransform(src, dst)
    size = (canvas.shape[1], canvas.shape[0])
    return cv2.warpPerspective(canvas, homography, size, borderValue=(255, 255, 255))


@pytest.mark.parametrize(
    "name", ["pe_passport-td3.png", "pe_100_pass-cze.jpg", "pe_100_id-mac.jpg"]
)
@pytest.mark.parametrize("left_far", [True, False], ids=["left-far", "right-far"])
def test_foreshortened_specimens_read_the_same(
    analyzer: Any, specimen_truth: list[dict[str, Any]], name: str, left_far: bool
) -> None:
    """The far side 25 % smaller: cell pitch changes along the line, and the reader follows it."""
    truth = _truth(specimen_truth, name)
    bgr = cv2.imread(str(SPECIMENS / name), cv2.IMREAD_COLOR)
    result = _read(analyzer, _tilt(bgr, 0.25, left_far))
    assert result.mrz is not None
    assert list(result.mrz.lines) == truth["mrz"]
    assert any(line.bend != (0.0, 0.0) for line in result.mrz.candidate.lines)


class _CountingRecognizer:
    """The analyzer's recogniser, counting its calls; ``reads_cells`` may be switched off to
    take the path of a recogniser that reads whole lines (tesseract)."""

    def __init__(self, inner: Any, reads_cells: bool) -> None:
        self.inner = inner
        self.reads_cells = reads_cells
        self.calls = 0

    @property
    def version(self) -> str:
        return str(self.inner.version)

    def read_lines(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.inner.read_lines(*args, **kwargs)


@pytest.mark.parametrize("turns", [0, 2])
@pytest.mark.parametrize("name", ["pe_passport-td2.png", "pe_100_pass-cze.jpg"])
def test_one_reading_settles_a_page_and_line_readers_agree(
    analyzer: Any, specimen_truth: list[dict[str, Any]], name: str, turns: int
) -> None:
    """An upright page whose raw reading already satisfies every check digit is read once
    (shifts are windows of that reading); upside down, twice. A recogniser that cannot read
    past the line's ends is asked for each shift instead, and the reading is the same."""
    from docfraud.mrz.read import read_mrz

    gray = cv2.cvtColor(cv2.imread(str(SPECIMENS / name)), cv2.COLOR_BGR2GRAY)
    gray = np.ascontiguousarray(np.rot90(gray, turns))
    expected = _truth(specimen_truth, name)["mrz"]
    by_cells = _CountingRecognizer(analyzer.recognizer, reads_cells=True)
    by_lines = _CountingRecognizer(analyzer.recognizer, reads_cells=False)

    cells_reading = read_mrz(gray, by_cells)
    lines_reading = read_mrz(gray, by_lines)

    assert cells_reading is not None and lines_reading is not None
    assert list(cells_reading.lines) == expected
    assert list(lines_reading.lines) == expected
    assert by_cells.calls == 1 + turns // 2
    assert by_lines.calls > by_cells.calls
