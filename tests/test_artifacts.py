"""Model artifacts are hash-checked against models/manifest.json before anything loads them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from docfraud.artifacts import (
    DEFAULT_MODELS_DIR,
    DEP_MODEL_HASH_MISMATCH,
    DEP_MODEL_MISSING,
    read_manifest,
    register_artifact,
    sha256_file,
    verified_path,
)
from docfraud.errors import DependencyError
from docfraud.ocr.glyph import ARTIFACT_NAME, GlyphRecognizer


@pytest.fixture()
def models_copy(tmp_path: Path) -> Path:
    """A private copy of the committed models/ to tamper with."""
    return Path(shutil.copytree(DEFAULT_MODELS_DIR, tmp_path / "models"))


def test_committed_artifacts_match_their_manifest() -> None:
    for name in read_manifest()["artifacts"]:
        path, entry = verified_path(name)
        assert sha256_file(path) == entry["sha256"]


def test_register_then_verify_round_trip(tmp_path: Path) -> None:
    artifact = tmp_path / "thing-1.bin"
    artifact.write_bytes(b"weights")
    register_artifact("thing", artifact, {"version": "thing-1"}, tmp_path)
    path, entry = verified_path("thing", tmp_path)
    assert path == artifact
    assert entry["version"] == "thing-1"
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["artifacts"]["thing"]["sha256"] == sha256_file(artifact)


def test_modified_weights_are_refused(models_copy: Path) -> None:
    path, _ = verified_path(ARTIFACT_NAME, models_copy)
    with path.open("ab") as fh:
        fh.write(b"\0")
    with pytest.raises(DependencyError) as info:
        GlyphRecognizer.load(models_copy)
    assert info.value.code == DEP_MODEL_HASH_MISMATCH


def test_missing_file_is_reported(models_copy: Path) -> None:
    path, _ = verified_path(ARTIFACT_NAME, models_copy)
    path.unlink()
    with pytest.raises(DependencyError) as info:
        GlyphRecognizer.load(models_copy)
    assert info.value.code == DEP_MODEL_MISSING


def test_artifact_absent_from_manifest_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DependencyError) as info:
        verified_path(ARTIFACT_NAME, tmp_path)
    assert info.value.code == DEP_MODEL_MISSING
    assert "train" in info.value.message


def test_malformed_manifest_is_reported(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('["not", "a", "manifest"]')
    with pytest.raises(DependencyError) as info:
        read_manifest(tmp_path)
    assert info.value.code == DEP_MODEL_MISSING
