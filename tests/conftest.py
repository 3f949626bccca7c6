"""Shared fixtures: specimens from ../shared, a loaded analyzer, the --run-slow switch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

SPECIMENS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "specimens"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run tests marked slow (CI)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_slow = pytest.mark.skip(reason="slow: run with --run-slow (CI does)")
    no_tesseract = pytest.mark.skip(reason="tesseract is not installed (make setup installs it)")
    for item in items:
        if "slow" in item.keywords and not config.getoption("--run-slow"):
            item.add_marker(skip_slow)
        if "tesseract" in item.keywords and shutil.which("tesseract") is None:
            item.add_marker(no_tesseract)


@pytest.fixture(scope="session")
def specimen_truth() -> list[dict[str, Any]]:
    """The shared specimens' ground truth (skips where ../shared is absent)."""
    path = SPECIMENS / "truth.json"
    if not path.is_file():
        pytest.skip(f"shared specimens not found at {SPECIMENS}")
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def analyzer() -> Any:
    """One Analyzer (recogniser loaded once) for the whole run."""
    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer

    return Analyzer(AnalysisConfig(strict=True))
