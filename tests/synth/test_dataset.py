"""The written data set: labels agree with images, runs are deterministic, no file-level cue."""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from docfraud.cli import main
from docfraud.mrz.parse import parse_mrz
from docfraud.synth.dataset import SynthConfig, generate
from docfraud.synth.leakage import cue_auc
from docfraud.synth.portraits import render_portrait

ROOT = Path(__file__).resolve().parents[2]


def _labels(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "labels.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(SynthConfig(out=out, count=24, cases=2, seed=11, workers=1, sheet_items=8))
    return out


def test_manifest_counts_what_was_written(small_set: Path) -> None:
    manifest = json.loads((small_set / "manifest.json").read_text())
    labels = _labels(small_set)
    assert manifest["seed"] == 11
    assert manifest["images"] == len(labels)
    assert sum(manifest["counts"]["split"].values()) == len(labels)
    assert manifest["holdout_forgery"]
    assert len(manifest["holdout_templates"]) == 3
    assert (small_set / "contact_sheet.png").stat().st_size > 10_000


def test_labels_match_images(small_set: Path) -> None:
    for record in _labels(small_set):
        image = cv2.imread(str(small_set / record["file"]), cv2.IMREAD_COLOR)
        assert image is not None, record["file"]
        h, w = image.shape[:2]
        for zone in record["zones"]:
            x, y, zw, zh = zone["box"]
            assert 0 <= x <= w and 0 <= y <= h and x + zw <= w and y + zh <= h, zone
        if record["mrz"] is not None:
            parsed = parse_mrz(record["mrz"])
            assert parsed is not None, record["mrz"]
            assert parsed.valid == record["mrz_valid"]
            kind = (record["forgery"] or {}).get("type")
            if kind in (None, "mrz_edit_recomputed", "mrz_viz_consistent"):
                assert record["mrz_valid"] is True, record["id"]
            if kind == "mrz_edit_raw":
                assert record["mrz_valid"] is False, record["id"]
        if record["forgery"] is None:
            assert record["label"] == "genuine"
            continue
        mask = cv2.imread(str(small_set / record["forgery"]["mask"]), cv2.IMREAD_GRAYSCALE)
        assert mask.shape == (h, w)
        assert mask.any(), record["id"]
        ys, xs = np.nonzero(mask)
        boxes = record["forgery"]["boxes"]
        assert boxes
        covered = np.zeros_like(mask, dtype=bool)
        for x, y, bw, bh in boxes:
            covered[y : y + bh + 1, x : x + bw + 1] = True
        assert covered[ys, xs].mean() > 0.95, record["id"]


def test_cases_carry_their_documents_and_plants(small_set: Path) -> None:
    cases: dict[str, list[dict[str, Any]]] = {}
    for record in _labels(small_set):
        if record["case_id"]:
            cases.setdefault(record["case_id"], []).append(record)
    assert len(cases) == 2
    for records in cases.values():
        roles = {r["role"] for r in records}
        assert {"child", "adult", "letter"} <= roles
        assert len({json.dumps(r["planted"]) for r in records}) == 1


def _digest(out: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.name not in {"manifest.json", "contact_sheet.png"}:
            digest.update(path.relative_to(out).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_seed_same_bytes_whatever_the_worker_count(tmp_path: Path) -> None:
    generate(SynthConfig(out=tmp_path / "a", count=6, seed=3, workers=1, sheet_items=0))
    generate(SynthConfig(out=tmp_path / "b", count=6, seed=3, workers=2, sheet_items=0))
    generate(SynthConfig(out=tmp_path / "c", count=6, seed=4, workers=1, sheet_items=0))
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


@pytest.mark.slow
def test_no_file_level_cue_separates_forged_from_genuine(tmp_path: Path) -> None:
    """A classifier on size, compression, dimensions, noise and blur must be near chance."""
    generate(SynthConfig(out=tmp_path, count=300, seed=5, workers=2, sheet_items=0))
    forged = [r["forgery"] is not None for r in _labels(tmp_path)]
    assert 0.3 < np.mean(forged) < 0.7
    auc, _ = cue_auc(tmp_path)
    assert auc <= 0.6


def _dhash(gray: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    small = cv2.resize(gray, (9, 8), interpolation=cv2.INTER_AREA).astype(np.int16)
    return np.asarray(small[:, 1:] > small[:, :-1])


def test_no_generated_portrait_reproduces_a_committed_image() -> None:
    """Faces are procedural: none matches any image in the repository, whole or in tiles."""
    files = subprocess.run(
        ["git", "ls-files", "*.png", "*.jpg", "*.jpeg"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    committed = []
    for name in files:
        gray = cv2.imread(str(ROOT / name), cv2.IMREAD_GRAYSCALE)
        if gray is None:
            continue
        h, w = gray.shape
        committed.append(_dhash(gray))
        for i in range(3):
            for j in range(3):
                tile = gray[i * h // 3 : (i + 1) * h // 3, j * w // 3 : (j + 1) * w // 3]
                if tile.size:
                    committed.append(_dhash(tile))
    assert committed
    reference = np.stack(committed)
    for seed in range(60):
        face = cv2.cvtColor(render_portrait(seed, seed + 1, (140, 180)), cv2.COLOR_RGB2GRAY)
        distances = (reference != _dhash(face)).sum(axis=(1, 2))
        assert distances.min() > 6, seed


def test_cli_writes_a_data_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["synth", "--out", str(tmp_path), "--count", "2", "--seed", "1", "--workers", "1"]
    assert main(argv) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["documents"] == 2
    assert len(_labels(tmp_path)) == manifest["images"] >= 2


@pytest.mark.parametrize(
    "argv",
    [
        ["synth", "--count", "2"],
        ["synth", "--out", "x", "--count", "-1"],
        ["synth", "--out", "x", "--count", "1", "--forged-share", "2"],
        ["synth", "--out", "x", "--count", "1", "--templates", "no_such_template"],
        ["synth", "--out", "x", "--count", "1", "--kinds", "visa", "--templates", "td1_sky_id"],
        ["synth", "--out", "/dev/null", "--count", "1"],
    ],
    ids=["no-out", "negative", "share", "unknown-template", "kind-mismatch", "out-is-a-file"],
)
def test_cli_usage_errors(argv: list[str]) -> None:
    assert main(argv) == 2


def test_cli_lists_templates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synth", "--list-templates"]) == 0
    assert len(capsys.readouterr().out.splitlines()) >= 12


def test_unwritable_output_is_a_config_error(tmp_path: Path) -> None:
    """An --out that cannot be created gives CONFIG.OUTPUT_UNWRITABLE (exit 4), not a traceback."""
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    argv = ["synth", "--out", str(blocker / "set"), "--count", "1", "--workers", "1"]
    assert main(argv) == 4


def test_misprints_go_to_genuine_documents_only(tmp_path: Path) -> None:
    generate(
        SynthConfig(out=tmp_path, count=16, seed=3, workers=1, sheet_items=0, misprint_share=1.0)
    )
    records = _labels(tmp_path)
    forged_documents = {r["document_id"] for r in records if r["label"] == "forged"}
    genuine = [r for r in records if r["mrz"] and r["document_id"] not in forged_documents]
    forged = [r for r in records if r["document_id"] in forged_documents]
    assert genuine and forged
    assert all(r["fields"]["misprinted_check"] and r["mrz_valid"] is False for r in genuine)
    assert not any("misprinted_check" in r["fields"] for r in forged)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["misprint_share"] == 1.0


def test_misprints_leave_every_other_document_as_it_was(tmp_path: Path) -> None:
    """The misprint stream is drawn apart: forged documents come out byte for byte the same,
    so a set without misprints is the one the generator always wrote."""
    for name, share in (("none", 0.0), ("all", 1.0)):
        config = SynthConfig(out=tmp_path / name, count=12, seed=3, workers=1, sheet_items=0)
        generate(replace(config, misprint_share=share))
    none, every = _labels(tmp_path / "none"), _labels(tmp_path / "all")
    assert [r["label"] for r in none] == [r["label"] for r in every]
    forged_documents = {r["document_id"] for r in none if r["label"] == "forged"}
    for before, after in zip(none, every, strict=True):
        same = (tmp_path / "none" / before["file"]).read_bytes() == (
            tmp_path / "all" / after["file"]
        ).read_bytes()
        untouched = before["document_id"] in forged_documents or not before["mrz"]
        assert same == untouched, before["file"]
