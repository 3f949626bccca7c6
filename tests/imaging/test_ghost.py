"""Ghost portrait: the search finds the generator's ghost on designs that print one, and the
committed GhostNet tells the page's own ghost from another face's portrait pasted over the photo."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import torch

from docfraud.analysis import Analysis
from docfraud.config import AnalysisConfig
from docfraud.imaging.geometry import box_iou
from docfraud.imaging.ghost import (
    GhostClass,
    GhostNet,
    GhostVerifier,
    classify,
    find_ghost,
    pair_crops,
)
from docfraud.imaging.train_ghost import ghost_templates
from docfraud.pipeline import Analyzer

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples" / "synth"


@cache
def _records() -> dict[str, dict[str, Any]]:
    lines = (SAMPLES / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["file"]: r for r in map(json.loads, lines)}


@cache
def _analyzer() -> Analyzer:
    return Analyzer(AnalysisConfig(read_text=False, scan_date=None))


def _ghost_pages() -> list[str]:
    """Genuine sample pages of designs with a ghost beside the portrait."""
    return [
        f
        for f, r in _records().items()
        if r["template"] in ghost_templates() and r["side"] == "page" and r["label"] == "genuine"
    ]


def _analysed(bgr: np.ndarray) -> Analysis:
    ok, png = cv2.imencode(".png", bgr)
    assert ok
    return _analyzer().analyze_bytes(png.tobytes(), "page.png")[0]


def _load(name: str) -> np.ndarray:
    return np.asarray(cv2.imread(str(SAMPLES / name), cv2.IMREAD_COLOR), np.uint8)


def test_the_ghost_designs_are_those_with_a_ghost_beside_an_mrz_portrait() -> None:
    assert set(ghost_templates()) == {"td3_azure_left", "td3_jade_compact", "td3_violet_poly"}
    assert len(_ghost_pages()) >= 3


@pytest.mark.parametrize("name", _ghost_pages()[:3])
def test_the_search_lands_on_the_printed_ghost(name: str) -> None:
    bgr = _load(name)
    a = _analysed(bgr)
    assert a.portrait is not None and a.mrz is not None and a.mrz.data is not None
    found = find_ghost(bgr, a.portrait[0], a.mrz.data.format.value)
    assert found is not None
    truth = [z["box"] for z in _records()[name]["zones"] if z["name"] == "ghost_portrait"]
    assert max(box_iou(found.box, tuple(box)) for box in truth) >= 0.4
    assert found.match > 0.5


def test_no_outline_means_no_search() -> None:
    bgr = _load(_ghost_pages()[0])
    a = _analysed(bgr)
    assert a.portrait is not None
    assert find_ghost(bgr, replace(a.portrait[0], outline=None), "TD3") is None


def _pasted(bgr: np.ndarray, quad: Any, donor: np.ndarray, donor_quad: Any) -> np.ndarray:
    """``bgr`` with the donor's portrait warped over its own: a substitution that leaves the
    ghost as it was."""
    h, w = bgr.shape[:2]
    m = cv2.getPerspectiveTransform(
        np.asarray(donor_quad, np.float32), np.asarray(quad, np.float32)
    )
    warped = cv2.warpPerspective(donor, m, (w, h))
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, np.asarray(quad, np.int32), 255)
    out = bgr.copy()
    out[mask > 0] = warped[mask > 0]
    return out


def test_another_face_over_the_portrait_raises_the_odds_of_another_face() -> None:
    """Each committed ghost page, and the same page with the next one's photo pasted over its
    portrait. GhostNet is weak (its card: about half the substitutions on learnt designs reach
    the alarm), so this holds it to what it does on the samples as a whole: genuine pages stay
    low, and pasted faces reach the alarm several times."""
    pages = _ghost_pages()
    verifier = GhostVerifier()
    analysed = {name: _analysed(_load(name)) for name in pages}
    genuine, swapped = [], []
    for own, donor in zip(pages, pages[1:] + pages[:1], strict=True):
        a, b = analysed[own], analysed[donor]
        assert a.ghost is not None and a.portrait is not None and b.portrait is not None
        genuine.append(a.ghost.different)
        pasted = _analysed(
            _pasted(_load(own), a.portrait[0].quad, _load(donor), b.portrait[0].quad)
        )
        assert pasted.ghost is not None
        swapped.append(pasted.ghost.different)
        if pasted.ghost.different >= verifier.alarm:
            assert "PORTRAIT.GHOST.MISMATCH" in {f.code for f in pasted.findings}
    assert sum(p >= verifier.alarm for p in genuine) <= 1
    assert float(np.median(genuine)) < verifier.notice
    assert sum(p >= verifier.alarm for p in swapped) >= 3
    assert float(np.median(swapped)) > 2 * float(np.median(genuine))


def test_the_net_gives_three_probabilities_per_pair() -> None:
    torch.manual_seed(0)
    net = GhostNet().eval()
    pairs = np.random.default_rng(0).integers(0, 256, (3, 2, 100, 80), dtype=np.uint8)
    p = classify(net, pairs)
    assert p.shape == (3, len(GhostClass))
    assert np.allclose(p.sum(axis=1), 1.0, atol=1e-5)


def test_pair_crops_are_the_portrait_then_the_candidate() -> None:
    page = np.full((300, 400, 3), 230, np.uint8)
    page[50:150, 20:100] = 20  # a dark "portrait"
    crops = pair_crops(
        page,
        ((20.0, 50.0), (100.0, 50.0), (100.0, 150.0), (20.0, 150.0)),
        ((250.0, 50.0), (330.0, 50.0), (330.0, 150.0), (250.0, 150.0)),
    )
    assert crops.shape == (2, 100, 80)
    assert crops[0].mean() < 100 < crops[1].mean()
