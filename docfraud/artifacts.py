"""Trained artifacts in ``models/``: the manifest, sha256 verification and safe loading.

``models/manifest.json`` lists each artifact with its file, version, sha256, labels, metrics and
training configuration. A file is hash-checked before it is loaded, torch files are loaded with
``weights_only=True``, and nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docfraud.errors import DependencyError

DEFAULT_MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
MANIFEST = "manifest.json"
DEP_MODEL_MISSING = "DEP.MODEL_MISSING"
DEP_MODEL_HASH_MISMATCH = "DEP.MODEL_HASH_MISMATCH"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(models_dir: Path = DEFAULT_MODELS_DIR) -> dict[str, Any]:
    path = models_dir / MANIFEST
    if not path.is_file():
        return {"artifacts": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("artifacts"), dict):
        raise DependencyError(DEP_MODEL_MISSING, f"{path} is not a valid artifact manifest.")
    return data


def artifact_entry(name: str, models_dir: Path = DEFAULT_MODELS_DIR) -> dict[str, Any]:
    entry = read_manifest(models_dir)["artifacts"].get(name)
    if not isinstance(entry, dict):
        raise DependencyError(
            DEP_MODEL_MISSING,
            f"Artifact {name!r} is not in {models_dir / MANIFEST}; train it with train.py.",
        )
    return entry


def verified_path(name: str, models_dir: Path = DEFAULT_MODELS_DIR) -> tuple[Path, dict[str, Any]]:
    """The artifact's file after checking its sha256 against the manifest."""
    entry = artifact_entry(name, models_dir)
    path = models_dir / str(entry["file"])
    if not path.is_file():
        raise DependencyError(DEP_MODEL_MISSING, f"Artifact file {path} is missing.")
    actual = sha256_file(path)
    if actual != entry.get("sha256"):
        raise DependencyError(
            DEP_MODEL_HASH_MISMATCH,
            f"Artifact {path.name} has sha256 {actual[:12]}…, the manifest says "
            f"{str(entry.get('sha256'))[:12]}…; refusing to load it.",
        )
    return path, entry


def register_artifact(name: str, path: Path, entry: dict[str, Any], models_dir: Path) -> None:
    """Add or replace ``name`` in the manifest with the file's sha256 (used by training)."""
    manifest = read_manifest(models_dir)
    manifest["artifacts"][name] = {**entry, "file": path.name, "sha256": sha256_file(path)}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (models_dir / MANIFEST).write_text(text, encoding="utf-8")


def save_state_dict(
    name: str,
    version: str,
    module: Any,
    entry: dict[str, Any],
    training: dict[str, Any],
    models_dir: Path,
) -> Path:
    """Save a trained torch ``module`` as ``models_dir/<name>-<version>.pt`` and register it with
    ``entry`` (input, net, metrics…), its training record (configuration plus the docfraud
    version) and the date; returns the file."""
    import torch

    from docfraud import __version__

    models_dir.mkdir(parents=True, exist_ok=True)
    path = models_dir / f"{name}-{version}.pt"
    module.eval()
    # contiguous: a net trained channels-last is stored in the layout every loader expects
    torch.save({k: v.contiguous() for k, v in module.state_dict().items()}, path)
    register_artifact(
        name,
        path,
        {
            "version": f"{name}-{version}",
            "kind": "torch_state_dict",
            **entry,
            "training": {**training, "docfraud_version": __version__, "code": code_version()},
            "created": datetime.now(UTC).date().isoformat(),
        },
        models_dir,
    )
    return path


def save_json_artifact(
    name: str,
    version: str,
    data: dict[str, Any],
    entry: dict[str, Any],
    training: dict[str, Any],
    models_dir: Path,
) -> Path:
    """Save a model that is a table of numbers (no pickle, no torch) as
    ``models_dir/<name>-<version>.json`` and register it like :func:`save_state_dict`."""
    from docfraud import __version__

    models_dir.mkdir(parents=True, exist_ok=True)
    path = models_dir / f"{name}-{version}.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    register_artifact(
        name,
        path,
        {
            "version": f"{name}-{version}",
            "kind": "json_logistic",
            **entry,
            "training": {**training, "docfraud_version": __version__, "code": code_version()},
            "created": datetime.now(UTC).date().isoformat(),
        },
        models_dir,
    )
    return path


def code_version() -> str:
    """The git commit the code was trained from (``-dirty`` with uncommitted changes), or
    ``unknown`` outside a git checkout."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if head.returncode != 0:
        return "unknown"
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def write_model_card(name: str, entry: dict[str, Any], models_dir: Path) -> Path:
    """``models_dir/<version>.md``: the manifest entry of ``name`` for a reader (what it is,
    trained from what, how it measured, its thresholds); the JSON card is the entry itself."""
    training = entry.get("training", {})
    lines = [
        f"# Model card: {entry.get('version', name)}",
        "",
        f"- artifact: `{entry.get('file')}` (sha256 `{entry.get('sha256')}`)",
        f"- created: {entry.get('created')}",
        f"- docfraud {training.get('docfraud_version')}, code {training.get('code', 'unknown')}",
        f"- seed: {training.get('seed')}",
        f"- data: {training.get('data', '')}",
    ]
    if training.get("labelled"):
        lines.append(
            f"- labelled real documents: {json.dumps(training['labelled'], sort_keys=True)}"
        )
    lines += [
        f"- kind: {entry.get('kind', '')}",
        f"- input: {json.dumps(entry.get('input', {}), sort_keys=True)}",
    ]
    if entry.get("net"):
        lines.append(f"- network: {json.dumps(entry['net'], sort_keys=True)}")
    lines += [
        "",
        "## Metrics (data the model never saw)",
        "",
        "```json",
        json.dumps(entry.get("metrics", {}), indent=2, sort_keys=True),
        "```",
    ]
    if entry.get("thresholds"):
        lines += [
            "",
            "## Thresholds",
            "",
            "```json",
            json.dumps(entry["thresholds"], indent=2, sort_keys=True),
            "```",
        ]
    lines += [
        "",
        "## Training configuration",
        "",
        "```json",
        json.dumps(training, indent=2, sort_keys=True, default=str),
        "```",
        "",
    ]
    path = models_dir / f"{entry.get('version', name)}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
