"""docfraud: document fraud detection for travel documents.

Importing this package stays light: no torch, scikit-learn, pytesseract or passporteye.
"""

from docfraud.types import Finding, Region, Severity, Skip, Verdict

__version__ = "0.1.0"

__all__ = ["Finding", "Region", "Severity", "Skip", "Verdict", "__version__"]
