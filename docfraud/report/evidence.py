"""Evidence images: a page with TamperNet's heatmap laid over it and every finding's region
boxed and labelled with its code (``docfraud scan --evidence DIR``), beside the page's report.

Colours follow severity: red critical, orange warning, blue information. The heatmap shows only
where the map reaches half the notice threshold, so a clean page stays readable.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.analysis import Analysis
from docfraud.report.json import analysis_to_dict
from docfraud.types import Severity

Bgr = npt.NDArray[np.uint8]
COLOURS = {
    Severity.CRITICAL: (0, 0, 220),
    Severity.WARNING: (0, 140, 255),
    Severity.INFO: (200, 120, 0),
}
HEAT_OPACITY = 0.45


def annotate(bgr: Bgr, analysis: Analysis) -> Bgr:
    """A copy of the page with the heatmap and the findings' boxes drawn on it."""
    out = bgr.copy()
    h, w = out.shape[:2]
    if analysis.tamper is not None:
        heat = analysis.tamper.heatmap(w, h)
        shown = heat >= int(analysis.tamper.notice * 0.5 * 255)
        if shown.any():
            coloured = cv2.applyColorMap(heat, cv2.COLORMAP_JET)
            blend = cv2.addWeighted(out, 1.0 - HEAT_OPACITY, coloured, HEAT_OPACITY, 0)
            out[shown] = blend[shown]
    thickness = max(2, round(max(h, w) / 500))
    scale = max(0.45, max(h, w) / 2000)
    for finding in sorted(analysis.findings, key=lambda f: f.severity):
        if finding.region is None or finding.region.page != analysis.page:
            continue
        x, y, bw, bh = finding.region.box
        colour = COLOURS[finding.severity]
        cv2.rectangle(out, (x, y), (x + bw, y + bh), colour, thickness)
        _label(out, finding.code, (x, y), colour, scale)
    return out


def _label(
    out: Bgr, text: str, at: tuple[int, int], colour: tuple[int, int, int], scale: float
) -> None:
    """``text`` on a filled tab above the box (below its top edge when there is no room)."""
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)
    x, y = at
    top = y - th - base - 4 if y - th - base - 4 >= 0 else y
    cv2.rectangle(out, (x, top), (x + tw + 4, top + th + base + 4), colour, cv2.FILLED)
    cv2.putText(
        out,
        text,
        (x + 2, top + th + 2),
        cv2.FONT_HERSHEY_SIMPLEX,
        scale,
        (255, 255, 255),
        1,
        cv2.LINE_AA,
    )


def evidence_stem(analysis: Analysis) -> str:
    """A file name for the page: the input's name (safe characters only), page and hash prefix,
    so two inputs with one name in different folders do not overwrite each other."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(analysis.source).name).strip("._") or "input"
    return f"{name[:80]}-p{analysis.page}-{analysis.sha256[:8] or 'nohash'}"


def write_evidence(out_dir: Path, analysis: Analysis, bgr: Bgr | None) -> list[Path]:
    """``<stem>.jpg`` (the annotated page, when there is an image) and ``<stem>.json`` (the
    report) in ``out_dir``; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = evidence_stem(analysis)
    written = []
    if bgr is not None:
        ok, jpeg = cv2.imencode(".jpg", annotate(bgr, analysis), [cv2.IMWRITE_JPEG_QUALITY, 88])
        if not ok:
            raise OSError(f"could not encode the evidence image of {analysis.source}")
        image = out_dir / f"{stem}.jpg"
        image.write_bytes(jpeg.tobytes())
        written.append(image)
    report = out_dir / f"{stem}.json"
    text = json.dumps(analysis_to_dict(analysis), ensure_ascii=False, indent=2)
    report.write_text(text + "\n", encoding="utf-8")
    written.append(report)
    return written
