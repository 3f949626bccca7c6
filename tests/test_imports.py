"""``import docfraud`` stays light: heavy libraries load only when a stage needs them.

The service, the audit workers and ``docfraud --help`` import the package many times; pulling
torch or tesseract bindings in at import would cost seconds each time.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("torch", "sklearn", "pytesseract", "passporteye", "cv2", "fastapi", "dask")


def _modules_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120
    )
    return set(json.loads(out.stdout))


def test_import_docfraud_loads_no_heavy_library() -> None:
    loaded = _modules_after("import docfraud")
    assert not loaded & set(HEAVY)


def test_cli_parser_loads_no_heavy_library() -> None:
    """``docfraud --help`` and usage errors answer without loading a model."""
    loaded = _modules_after("from docfraud.cli import build_parser; build_parser()")
    assert not loaded & set(HEAVY)


def test_analyze_is_reachable_from_the_package() -> None:
    """The lazy attribute resolves to the real pipeline function (and then loads OpenCV)."""
    loaded = _modules_after(
        "import docfraud\nfrom docfraud.pipeline import analyze\nassert docfraud.analyze is analyze"
    )
    assert "cv2" in loaded
