"""Portrait location and perceptual hash on small seeded synthetic documents."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from docfraud.imaging.portrait import (
    HASH_BYTES,
    NOMINAL,
    PortraitPrint,
    Zone,
    _corners,
    _paper_level,
    _upright,
    document_to_image,
    find_portrait,
    portrait_hash,
    project_points,
    refine_outline,
    similarity,
)
from docfraud.imaging.portraitnet import PortraitEmbedder, portrait_crop
from docfraud.imaging.rectify import PRINTED_SIZES
from docfraud.store.links import same_portrait_similarity
from docfraud.synth.capture import CaptureMode, capture
from docfraud.synth.dataset import ADULTS
from docfraud.synth.documents import render_document
from docfraud.synth.people import STATES, random_document, random_person
from docfraud.synth.records import Side
from docfraud.synth.templates import template
from docfraud.types import Box

SCAN = ADULTS[1].replace(year=2026)


def _find(bgr: npt.NDArray[np.uint8], document: dict[str, Any]) -> Any:
    return find_portrait(bgr, document["corners"], document["mrz_format"])


def _shot(
    name: str, face_seed: int, mode: CaptureMode, seed: int, surname: str = "Doe"
) -> tuple[npt.NDArray[np.uint8], dict[str, Any], Box]:
    """A captured page (BGR), its ``document`` object (corners from the capture's geometry, as
    an oriented outline found from the edges gives them) and the true portrait box."""
    rng = np.random.default_rng(seed)
    t = template(name)
    holder = replace(
        random_person(rng, STATES[0], born_between=(ADULTS[0], ADULTS[1])),
        surname=surname,
        sex="F",
        face_seed=face_seed,
        birth_date=ADULTS[0].replace(year=1980),
    )
    data = random_document(rng, t.kind, holder, scan_date=SCAN, mrz_format=t.mrz_format)
    data = replace(data, issue_date=SCAN.replace(year=2024))
    page = render_document(rng, data, t, Side.PAGE, 77)
    shot = capture(rng, page.rgb, mode)
    h, w = page.rgb.shape[:2]
    pts = np.array([[[0, 0], [w, 0], [w, h], [0, h]]], np.float64)
    corners = cv2.perspectiveTransform(pts, shot.homography)[0].tolist()
    zone = page.zone("portrait")
    assert zone is not None
    x, y, zw, zh = zone.box
    quad = np.array([[[x, y], [x + zw, y], [x + zw, y + zh], [x, y + zh]]], np.float64)
    q = cv2.perspectiveTransform(quad, shot.homography)[0]
    x0, y0 = q.min(axis=0)
    x1, y1 = q.max(axis=0)
    truth = (int(x0), int(y0), int(x1 - x0), int(y1 - y0))
    bgr = np.ascontiguousarray(shot.rgb[:, :, ::-1])
    return bgr, {"corners": corners, "mrz_format": str(t.mrz_format.value)}, truth


def _iou(a: Box, b: Box) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def test_no_oriented_outline_no_portrait() -> None:
    bgr = np.zeros((100, 100, 3), np.uint8)
    corners = [[0, 0], [99, 0], [99, 99], [0, 99]]
    assert find_portrait(bgr, None, "TD3") is None
    assert find_portrait(bgr, corners, None) is None
    # a TD1's MRZ is on its back; the portrait is on the front, another image
    assert find_portrait(bgr, corners, "TD1") is None


def test_print_round_trips_and_rejects_malformed() -> None:
    vector = np.linspace(-1, 1, 64)
    value = PortraitPrint.of(bytes(range(HASH_BYTES)), vector / np.linalg.norm(vector))
    assert PortraitPrint.from_dict(value.to_dict()) == value
    assert similarity(value, value) == pytest.approx(1.0, abs=2e-3)
    assert PortraitPrint.from_dict(None) is None
    assert PortraitPrint.from_dict({"hash": "zz", "embedding": ""}) is None
    assert PortraitPrint.from_dict({**value.to_dict(), "hash": "00"}) is None
    assert PortraitPrint.from_dict({**value.to_dict(), "embedding": "AAD8"}) is None  # inf


@pytest.mark.parametrize("name", ["td3_azure_left", "td3_crimson_right", "mrva_teal_visa"])
def test_locates_the_portrait(name: str) -> None:
    bgr, document, truth = _shot(name, 1234, CaptureMode.PHONE, 3)
    found = _find(bgr, document)
    assert found is not None
    assert _iou(found.box, truth) > 0.7, (found.box, truth)


@pytest.mark.parametrize("seed", [3, 4])
def test_a_predicted_outline_is_moved_onto_the_document_edges(seed: int) -> None:
    """An outline 4 mm off (as predicted from the MRZ) comes back onto the page's edges, within
    2 mm (on a white scanner lid a printed frame line can outdo the paper's own edge)."""
    bgr, document, truth = _shot("td3_azure_left", 1234, CaptureMode.FLATBED, seed)
    corners = np.array(document["corners"])
    px_per_mm = float(np.linalg.norm(corners[1] - corners[0])) / 125.0
    off = corners + np.array([1.5, 4.0]) * px_per_mm  # the page lies 4 mm lower, 1.5 mm right
    moved = np.array(refine_outline(bgr, off.tolist(), "TD3"))
    assert np.abs(moved - corners).max() < 2.0 * px_per_mm, moved - corners
    found = find_portrait(bgr, off.tolist(), "TD3", predicted=True)
    assert found is not None and _iou(found.box, truth) > 0.85


def test_a_predicted_top_far_off_is_moved_onto_the_top_edge() -> None:
    """A phone at an angle shrinks the top of the page against the MRZ's scale: a predicted top
    11 mm off comes back onto the page's edge."""
    bgr, document, _ = _shot("td3_azure_left", 1234, CaptureMode.FLATBED, 3)
    corners = np.array(document["corners"])
    px_per_mm = float(np.linalg.norm(corners[1] - corners[0])) / 125.0
    up = corners.copy()
    up[:2] -= (corners[3] - corners[0]) / 88.0 * 11.0  # top corners 11 mm higher
    moved = np.array(refine_outline(bgr, up.tolist(), "TD3"))
    assert np.abs(moved - corners).max() < 2.0 * px_per_mm, moved - corners


def test_an_even_dark_block_on_the_right_does_not_take_the_portrait_side() -> None:
    """A ghost image or rosette as dark on average as the photo, but without its dark parts
    (hair, eyes), leaves the portrait on the left."""
    bgr, document, truth = _shot("td3_azure_left", 1234, CaptureMode.FLATBED, 3)
    size = PRINTED_SIZES["TD3"]
    to_image = document_to_image(document["corners"], size.width, size.height)
    paper = _paper_level(bgr, to_image, size.width, size.height)
    left = NOMINAL["TD3"]
    mean_dark = float(
        np.mean(
            paper
            - cv2.cvtColor(
                _upright(bgr, project_points(to_image, _corners(left)).tolist()), cv2.COLOR_BGR2GRAY
            )
        )
    )
    right = Zone(size.width - left.x - left.w, left.y, left.w, left.h)
    block = np.int32(project_points(to_image, _corners(right)))
    tone = int(np.clip(paper - 1.25 * mean_dark, 0, 255))
    cv2.fillConvexPoly(bgr, block, (tone, tone, tone))
    found = _find(bgr, document)
    assert found is not None
    assert _iou(found.box, truth) > 0.7, (found.box, truth)


def test_same_photo_embeds_alike_different_faces_apart() -> None:
    """The committed PortraitNet at the committed threshold, on documents of other designs and
    captures than each other (flatbed and phone)."""
    a_bgr, a_doc, _ = _shot("td3_azure_left", 1234, CaptureMode.FLATBED, 5, "Doe")
    b_bgr, b_doc, _ = _shot("td3_amber_numbered", 1234, CaptureMode.PHONE, 6, "Roe")
    c_bgr, c_doc, _ = _shot("td3_azure_left", 98765, CaptureMode.FLATBED, 5, "Doe")
    embedder = PortraitEmbedder()
    prints = []
    for bgr, doc in ((a_bgr, a_doc), (b_bgr, b_doc), (c_bgr, c_doc)):
        found = _find(bgr, doc)
        assert found is not None
        vector = embedder.embed(portrait_crop(bgr, found.quad)[None])[0]
        prints.append(PortraitPrint.of(portrait_hash(bgr, found.quad), vector))
    alike = same_portrait_similarity()
    assert similarity(prints[0], prints[1]) >= alike
    assert similarity(prints[0], prints[2]) < alike
    assert similarity(prints[1], prints[2]) < alike


def test_hash_of_a_box_is_the_hash_of_the_crop() -> None:
    rng = np.random.default_rng(0)
    bgr = rng.integers(0, 256, (120, 100, 3), dtype=np.uint8)
    crop = np.ascontiguousarray(bgr[10:90, 20:80])
    assert portrait_hash(bgr, (20, 10, 60, 80)) == portrait_hash(crop, (0, 0, 60, 80))
    with pytest.raises(ValueError):
        portrait_hash(bgr, (0, 0, 12, 12))
