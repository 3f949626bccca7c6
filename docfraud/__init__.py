"""docfraud: document fraud detection for travel documents.

``import docfraud`` stays light: no torch, scikit-learn, pytesseract, passporteye or OpenCV until
:func:`analyze` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docfraud.types import Finding, Region, Severity, Skip, Verdict

if TYPE_CHECKING:
    from docfraud.analysis import Analysis
    from docfraud.pipeline import analyze

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Finding",
    "Region",
    "Severity",
    "Skip",
    "Verdict",
    "__version__",
    "analyze",
]


def __getattr__(name: str) -> Any:
    """Load the pipeline on first use of :func:`analyze` or :class:`Analysis`."""
    if name == "analyze":
        from docfraud.pipeline import analyze

        return analyze
    if name == "Analysis":
        from docfraud.analysis import Analysis

        return Analysis
    raise AttributeError(f"module 'docfraud' has no attribute {name!r}")
