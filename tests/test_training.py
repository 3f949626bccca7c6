"""train.py / docfraud train: the quick run trains every model end to end on a tiny generated
set, writes loadable hash-registered artifacts with model cards, and resumes the tamper model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from docfraud.artifacts import DEFAULT_MODELS_DIR, read_manifest
from docfraud.cli import main
from docfraud.fusion.model import load_fusion
from docfraud.imaging.substitution import SubstitutionModel
from docfraud.imaging.tampernet import TamperDetector


@pytest.mark.slow
def test_quick_training_writes_every_model_with_its_card(tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(DEFAULT_MODELS_DIR, models)
    before = read_manifest(models)["artifacts"]
    code = main(
        ["train", "--quick", "--models-dir", str(models), "--data-dir", str(tmp_path / "data")]
    )
    assert code == 0
    after = read_manifest(models)["artifacts"]
    for name in ("mrz_glyphnet", "portrait_net", "tamper_net", "portrait_substitution", "fusion"):
        assert after[name]["sha256"] != before.get(name, {}).get("sha256")
        card = models / f"{after[name]['version']}.md"
        assert card.is_file() and after[name]["sha256"] in card.read_text(encoding="utf-8")
        assert after[name]["training"]["code"]
    tamper = after["tamper_net"]
    assert {"test_template", "test_forgery"} <= set(tamper["metrics"])
    assert 0.0 <= tamper["thresholds"]["notice"] <= tamper["thresholds"]["alarm"] <= 1.0
    detector = TamperDetector(models)
    found = detector(np.full((120, 160, 3), 200, np.uint8))
    assert found.probability.shape == (15, 20)
    assert found.alarm == tamper["thresholds"]["alarm"]
    fusion = load_fusion(models)
    assert fusion.version == after["fusion"]["version"]
    assert fusion.floor <= fusion.thresholds.suspicious <= fusion.thresholds.forged
    substitution = SubstitutionModel.load(models)
    assert substitution.notice <= substitution.alarm


def test_train_refuses_an_unknown_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--only", "nonsense"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["tamper_net", "portrait_substitution", "fusion"])
def test_the_committed_manifest_lists_the_model_with_its_card(name: str) -> None:
    manifest = json.loads((DEFAULT_MODELS_DIR / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["artifacts"][name]
    assert (DEFAULT_MODELS_DIR / entry["file"]).is_file()
    assert (DEFAULT_MODELS_DIR / f"{entry['version']}.md").is_file()
