"""Tests for docfraud.ocr.train_glyphs: a tiny training run is reproducible and loadable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from docfraud.artifacts import sha256_file
from docfraud.ocr.cells import CELL_H, CELL_W
from docfraud.ocr.glyph import GlyphRecognizer
from docfraud.ocr.train_glyphs import ARTIFACT_NAME, GlyphTrainConfig, train_glyphnet
from docfraud.synth.mrzlines import ALPHABET, available_fonts, random_mrz_text, render_line

pytestmark = pytest.mark.slow

TINY = GlyphTrainConfig(
    seed=7, train_lines=60, eval_lines=20, epochs=1, workers=1, threads=1, version="test"
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Two trainings with the same config into two folders (about 10 s each on one core).

    Training sets torch's global thread count; it is restored so later tests run as before.
    """
    if not any(available_fonts()):
        pytest.skip("no OCR-B or monospace font installed")
    threads = torch.get_num_threads()
    first, second = tmp_path_factory.mktemp("run1"), tmp_path_factory.mktemp("run2")
    try:
        train_glyphnet(TINY, first)
        train_glyphnet(TINY, second)
        yield first, second
    finally:
        torch.set_num_threads(threads)


def _entry(models_dir: Path) -> dict[str, Any]:
    manifest = json.loads((models_dir / "manifest.json").read_text(encoding="utf-8"))
    entry: dict[str, Any] = manifest["artifacts"][ARTIFACT_NAME]
    return entry


def test_same_seed_gives_identical_artifact(runs: tuple[Path, Path]) -> None:
    """A seed fixes the weights bit for bit, so a published sha256 can be reproduced."""
    first, second = (_entry(d) for d in runs)
    assert first["sha256"] == second["sha256"]
    assert first["file"] == second["file"] == f"{ARTIFACT_NAME}-test.pt"
    assert sha256_file(runs[0] / first["file"]) == first["sha256"]
    drop = {"train_seconds"}
    assert {k: v for k, v in first["metrics"].items() if k not in drop} == {
        k: v for k, v in second["metrics"].items() if k not in drop
    }


def test_manifest_entry_describes_the_artifact(runs: tuple[Path, Path]) -> None:
    """The entry says what was trained, on what, how, and how well (STYLE.md §6)."""
    entry = _entry(runs[0])
    assert entry["version"] == f"{ARTIFACT_NAME}-test"
    assert entry["labels"] == ALPHABET
    assert entry["input"]["shape"] == [1, CELL_H, CELL_W]
    assert entry["net"]["classes"] == len(ALPHABET)
    assert entry["training"]["seed"] == TINY.seed
    assert entry["training"]["train_lines"] == TINY.train_lines
    metrics = entry["metrics"]
    assert metrics["train_cells"] >= 30 * TINY.train_lines
    assert metrics["eval_cells"] >= 30 * TINY.eval_lines
    # One epoch on 60 lines is far from good, but it is well above chance (1/37).
    assert 0.1 < metrics["synthetic_eval_char_accuracy"] <= 1.0


def test_trained_artifact_loads_and_reads(runs: tuple[Path, Path]) -> None:
    """The hash-checked loader accepts the new artifact and it reads a line cell by cell."""
    recognizer = GlyphRecognizer.load(runs[0])
    assert recognizer.version == f"{ARTIFACT_NAME}-test"
    ocrb, other = available_fonts()
    rng = np.random.default_rng(3)
    text = random_mrz_text(rng, 30)
    sample = render_line(rng, text, (ocrb or other)[0], jitter=False)
    (reading,) = recognizer.read_lines(sample.gray, [sample.line], 30)
    assert len(reading.text) == 30 and set(reading.text) <= set(ALPHABET)
    assert all(0.0 <= c <= 1.0 for c in reading.confidences)
    assert len(reading.alternatives) == 30
