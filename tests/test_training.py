"""train.py / docfraud train: the quick run trains every model end to end on a tiny generated
set (and the fusion on a folder of labelled documents too), writes loadable hash-registered
artifacts with model cards, and resumes the tamper model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from docfraud.artifacts import DEFAULT_MODELS_DIR, read_manifest
from docfraud.cli import main
from docfraud.fusion.model import load_fusion
from docfraud.imaging.ghost import GhostVerifier
from docfraud.imaging.substitution import SubstitutionModel
from docfraud.imaging.tampernet import TamperDetector

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "synth"


def _labelled_folder(root: Path) -> int:
    """The committed generated sample's single pages as if they were confirmed cases."""
    root.mkdir()
    rows = ["file,label,page,scan_date,note"]
    for line in (SAMPLES / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["file"].endswith("_page.jpg"):
            name = Path(record["file"]).name
            shutil.copyfile(SAMPLES / record["file"], root / name)
            rows.append(f"{name},{record['label']},,2026-06-01,sample {record['document_id']}")
    (root / "truncated.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")
    rows.append("truncated.jpg,genuine,,,a file that cannot be loaded: left out, not fatal")
    (root / "labels.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows) - 1


@pytest.mark.slow
def test_quick_training_writes_every_model_with_its_card(tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(DEFAULT_MODELS_DIR, models)
    before = read_manifest(models)["artifacts"]
    labelled = _labelled_folder(tmp_path / "labelled")
    code = main(
        [
            "train",
            "--quick",
            "--models-dir",
            str(models),
            "--data-dir",
            str(tmp_path / "data"),
            "--labelled",
            str(tmp_path / "labelled"),
        ]
    )
    assert code == 0
    after = read_manifest(models)["artifacts"]
    for name in (
        "mrz_glyphnet",
        "portrait_net",
        "tamper_net",
        "portrait_substitution",
        "ghost_net",
        "fusion",
    ):
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
    card = after["fusion"]
    assert card["training"]["labelled"]["documents"] == labelled
    held_out = card["training"]["labelled"]["held_out"]
    assert card["metrics"]["images_not_loaded"] == 1
    assert card["metrics"]["generated_pages_without_mrz"] > 0  # card fronts: not analysed
    # the truncated file's sha256 puts it in the fitted three quarters, where it gives no page
    assert card["metrics"]["labelled_fitted_pages"] == labelled - held_out - 1
    if held_out:
        measured = card["metrics"]["labelled"]
        assert measured["genuine"] + measured["forged"] == held_out
        previous = card["metrics"]["labelled_previous_model"]
        assert previous["version"] == before["fusion"]["version"]
        assert previous["genuine"] + previous["forged"] == held_out
    assert fusion.floor <= fusion.thresholds.suspicious <= fusion.thresholds.forged
    substitution = SubstitutionModel.load(models)
    assert substitution.notice <= substitution.alarm
    ghosts = GhostVerifier(models)
    assert ghosts.notice <= ghosts.alarm == after["ghost_net"]["thresholds"]["alarm"]
    assert {"seen_designs", "held_out_ghost_design"} <= set(after["ghost_net"]["metrics"])


def test_document_pages_without_a_printed_mrz_are_never_judged() -> None:
    """The fusion trainer does not analyse them (``prints_mrz``) because the pipeline calls
    them unreadable, which leaves them out of the fit anyway."""
    from docfraud.config import AnalysisConfig
    from docfraud.fusion.train import UNTRAINED, prints_mrz
    from docfraud.fusion.verdict import is_unreadable
    from docfraud.imaging.train_tamper import read_labels
    from docfraud.pipeline import Analyzer

    analyzer = Analyzer(AnalysisConfig(read_text=False, detect_tampering=True), fusion=UNTRAINED)
    records = read_labels(SAMPLES)
    without = [r for r in records if r["kind"] != "letter" and not prints_mrz(r)]
    assert len(without) >= 5 and any(prints_mrz(r) for r in records)  # card fronts, backs
    for record in without:
        page = analyzer.analyze_path(str(SAMPLES / record["file"]))[0]
        assert is_unreadable(f.code for f in page.findings), record["file"]


def test_train_refuses_an_unknown_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--only", "nonsense"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["tamper_net", "portrait_substitution", "ghost_net", "fusion"])
def test_the_committed_manifest_lists_the_model_with_its_card(name: str) -> None:
    manifest = json.loads((DEFAULT_MODELS_DIR / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["artifacts"][name]
    assert (DEFAULT_MODELS_DIR / entry["file"]).is_file()
    assert (DEFAULT_MODELS_DIR / f"{entry['version']}.md").is_file()
