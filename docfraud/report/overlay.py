"""Annotated pages: a scan result drawn over a copy of the input page, for a person to look at.

The overlay is drawn from the JSON result (``analysis_to_dict``), not from the ``Analysis``, so
that a stored scan can be drawn again later. Every region in it is ``[x, y, w, h]`` in the input
page's pixels, the frame of the page given here. Stored results are read tolerantly: a missing
key, a malformed box or a box outside the page draws nothing and raises nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Bgr = npt.NDArray[np.uint8]
Rect = tuple[int, int, int, int]
"""(x0, y0, x1, y1), exclusive ends, inside the image."""

SEVERITY_BGR: dict[str, tuple[int, int, int]] = {
    "critical": (40, 40, 220),  # red
    "warning": (0, 140, 255),  # orange
    "info": (200, 120, 20),  # blue
}
"""Finding colours by severity (BGR); an unknown severity is drawn as ``info``."""
SEVERITY_ORDER = {"info": 0, "warning": 1, "critical": 2}
OUTLINE_BGR = (60, 170, 60)  # green: where the document is
MRZ_BGR = (170, 60, 150)  # violet: the machine-readable zone
FIELD_BGR = (120, 120, 120)  # grey, blended: fields that were read
FIELD_ALPHA = 0.45
"""Opacity of the visual-zone field boxes: visible, but quieter than the findings."""
FONT = cv2.FONT_HERSHEY_SIMPLEX


@dataclass(frozen=True, slots=True)
class _Style:
    """Line widths and type size for one image, so labels read the same at any resolution."""

    thin: int
    thick: int
    font_scale: float
    font_thickness: int
    pad: int

    @classmethod
    def for_size(cls, width: int, height: int) -> _Style:
        unit = max(width, height) / 1000.0  # 1.0 for a typical 1000-px document scan
        return cls(
            thin=max(1, round(1.0 * unit)),
            thick=max(2, round(3.0 * unit)),
            font_scale=max(0.35, 0.55 * unit),
            font_thickness=max(1, round(1.4 * unit)),
            pad=max(2, round(4.0 * unit)),
        )


def draw_overlay(bgr: Bgr, document: dict[str, Any]) -> Bgr:
    """Draw one page's result over a copy of the page.

    Draws the document outline (``document.corners``, thin), the MRZ region, the visual-zone and
    letter field boxes (faint, thin) and each finding's regions on this page, boxed in its
    severity's colour (critical red, warning orange, info blue) and labelled with its code.
    Critical findings are drawn last, so they stay on top. A ``heatmap`` key is not drawn yet.

    Args:
        bgr: the input page, (H, W, 3) uint8 BGR; (H, W) grey and (H, W, 4) BGRA are converted.
            It is not modified.
        document: one page's result as ``analysis_to_dict`` gives it.

    Returns:
        A new (H, W, 3) uint8 BGR image.
    """
    out = _to_bgr(bgr)
    height, width = out.shape[:2]
    if height == 0 or width == 0:
        return out
    style = _Style.for_size(width, height)

    fields = _field_boxes(document)
    if fields:
        layer = out.copy()
        for box in fields:
            _rectangle(layer, box, FIELD_BGR, style.thin)
        cv2.addWeighted(layer, FIELD_ALPHA, out, 1.0 - FIELD_ALPHA, 0.0, dst=out)

    doc = document.get("document")
    corners = _corners(doc.get("corners") if isinstance(doc, dict) else None, width, height)
    if corners is not None:
        cv2.polylines(out, [corners], True, OUTLINE_BGR, style.thin, cv2.LINE_AA)

    mrz = document.get("mrz")
    mrz_box = _box(mrz.get("region")) if isinstance(mrz, dict) else None
    if mrz_box is not None:
        _rectangle(out, mrz_box, MRZ_BGR, style.thin)

    marks = list(_finding_marks(document))
    marks.sort(key=lambda m: SEVERITY_ORDER.get(m[0], 0))
    drawn: list[tuple[str, str, Rect]] = []
    for severity, code, box in marks:
        rect = _rectangle(out, box, SEVERITY_BGR.get(severity, SEVERITY_BGR["info"]), style.thick)
        if rect is not None:
            drawn.append((severity, code, rect))
    taken: list[Rect] = []
    for severity, code, rect in drawn:
        colour = SEVERITY_BGR.get(severity, SEVERITY_BGR["info"])
        _label(out, code, rect, colour, style, taken)
    return out


def encode_png(bgr: Bgr) -> bytes:
    """The image as PNG bytes.

    Args:
        bgr: (H, W, 3) uint8 BGR, or (H, W) grey.

    Raises:
        ValueError: the array is not uint8, or OpenCV cannot encode it (empty, wrong shape).
    """
    arr = np.ascontiguousarray(bgr)
    if arr.dtype != np.uint8:
        raise ValueError(f"expected a uint8 image, got {arr.dtype}")
    try:
        ok, buf = cv2.imencode(".png", arr) if arr.size else (False, None)
    except cv2.error as e:
        raise ValueError(f"the image could not be encoded as PNG: {e}") from e
    if not ok or buf is None:
        raise ValueError("the image could not be encoded as PNG")
    return bytes(buf.tobytes())


def _to_bgr(image: Bgr) -> Bgr:
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        raise ValueError(f"expected a uint8 image, got {arr.dtype}")
    if arr.ndim == 2:
        return np.ascontiguousarray(cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR))
    if arr.ndim == 3 and arr.shape[2] == 4:
        return np.ascontiguousarray(cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR))
    if arr.ndim == 3 and arr.shape[2] == 3:
        return np.array(arr, dtype=np.uint8, copy=True, order="C")
    raise ValueError(f"expected an (H, W, 3) BGR image, got shape {arr.shape}")


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _box(v: Any) -> tuple[float, float, float, float] | None:
    """``[x, y, w, h]`` as four finite numbers with positive size, else None."""
    if not isinstance(v, Sequence) or isinstance(v, str) or len(v) != 4:
        return None
    nums = [_number(x) for x in v]
    if any(n is None for n in nums):
        return None
    x, y, w, h = (n for n in nums if n is not None)
    if w <= 0 or h <= 0:
        return None
    return x, y, w, h


def _clip(box: tuple[float, float, float, float], width: int, height: int) -> Rect | None:
    x, y, w, h = box
    x0 = max(0, min(width, math.floor(x)))
    y0 = max(0, min(height, math.floor(y)))
    x1 = max(0, min(width, math.ceil(x + w)))
    y1 = max(0, min(height, math.ceil(y + h)))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def _rectangle(
    out: Bgr, box: tuple[float, float, float, float], colour: tuple[int, int, int], width: int
) -> Rect | None:
    """Draw the box's border inside the image (clipped); returns the clipped rectangle."""
    height, w_img = out.shape[:2]
    rect = _clip(box, w_img, height)
    if rect is None:
        return None
    x0, y0, x1, y1 = rect
    # The border is drawn inside the clipped rectangle, so a box at the edge keeps all four sides.
    t = max(1, min(width, (x1 - x0 + 1) // 2, (y1 - y0 + 1) // 2))
    out[y0 : y0 + t, x0:x1] = colour
    out[y1 - t : y1, x0:x1] = colour
    out[y0:y1, x0 : x0 + t] = colour
    out[y0:y1, x1 - t : x1] = colour
    return rect


def _corners(v: Any, width: int, height: int) -> npt.NDArray[np.int32] | None:
    if not isinstance(v, Sequence) or isinstance(v, str) or len(v) < 3:
        return None
    points = []
    # Far-off corners are clamped so int32 drawing cannot overflow; OpenCV clips the rest.
    limit = 4 * max(width, height)
    for p in v:
        if not isinstance(p, Sequence) or isinstance(p, str) or len(p) != 2:
            return None
        x, y = _number(p[0]), _number(p[1])
        if x is None or y is None:
            return None
        points.append([min(limit, max(-limit, round(x))), min(limit, max(-limit, round(y)))])
    return np.array(points, dtype=np.int32).reshape(-1, 1, 2)


def _field_boxes(document: dict[str, Any]) -> list[tuple[float, float, float, float]]:
    boxes = []
    for part in ("viz", "letter"):
        reading = document.get(part)
        if not isinstance(reading, dict) or not isinstance(reading.get("fields"), list):
            continue
        for f in reading["fields"]:
            box = _box(f.get("region")) if isinstance(f, dict) else None
            if box is not None:
                boxes.append(box)
    return boxes


def _finding_marks(
    document: dict[str, Any],
) -> Iterator[tuple[str, str, tuple[float, float, float, float]]]:
    """(severity, code, box) for every place a finding points at on this page."""
    findings = document.get("findings")
    if not isinstance(findings, list):
        return
    page, source = document.get("page"), document.get("source")
    for f in findings:
        if not isinstance(f, dict):
            continue
        severity = str(f.get("severity", "info"))
        code = str(f.get("code", ""))
        boxes = []
        regions = f.get("regions")
        if isinstance(regions, list) and regions:
            for r in regions:
                if not isinstance(r, dict):
                    continue
                if page is not None and r.get("page", page) != page:
                    continue
                if source and r.get("source") and r.get("source") != source:
                    continue
                boxes.append(_box(r.get("box")))
        else:
            on_page = f.get("page") is None or page is None or f.get("page") == page
            boxes.append(_box(f.get("region")) if on_page else None)
        seen = set()
        for box in boxes:
            if box is not None and box not in seen:
                seen.add(box)
                yield severity, code, box


def _label(
    out: Bgr, text: str, rect: Rect, colour: tuple[int, int, int], style: _Style, taken: list[Rect]
) -> None:
    """Write ``text`` on a filled background by the box, inside the image, avoiding other labels."""
    text = "".join(c if " " <= c <= "~" else "?" for c in text) or "?"  # Hershey fonts are ASCII
    height, width = out.shape[:2]
    (tw, th), base = cv2.getTextSize(text, FONT, style.font_scale, style.font_thickness)
    lw, lh = min(width, tw + 2 * style.pad), min(height, th + base + 2 * style.pad)
    x0, y0, x1, y1 = rect
    lx = max(0, min(x0, width - lw))
    # Above the box where there is room, else below it, else inside its top edge; then step
    # down (or up) past labels already placed so that two codes never cover each other.
    starts = [y0 - lh, y1, y0]
    candidates = [y for y in starts if 0 <= y <= height - lh] or [max(0, min(y0, height - lh))]
    ly = candidates[0]
    for start in candidates:
        y = start
        step = lh if start >= y0 else -lh
        while 0 <= y <= height - lh and any(_overlaps((lx, y, lx + lw, y + lh), t) for t in taken):
            y += step
        if 0 <= y <= height - lh:
            ly = y
            break
    box = (lx, ly, lx + lw, ly + lh)
    taken.append(box)
    cv2.rectangle(out, (box[0], box[1]), (box[2] - 1, box[3] - 1), colour, cv2.FILLED)
    ink = (255, 255, 255) if sum(colour) < 3 * 170 else (0, 0, 0)
    origin = (lx + style.pad, ly + style.pad + th)
    cv2.putText(out, text, origin, FONT, style.font_scale, ink, style.font_thickness, cv2.LINE_AA)


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
