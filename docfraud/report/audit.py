"""The investigators' audit report: one HTML file over every scan of a batch audit.

``DIR/report.html`` is self-contained (inline CSS, a small inline script, charts drawn here as
inline SVG, no fonts, no CDN) and opens offline from the folder. It links to files under
``DIR/report_files/``, so that a seizure of thousands of pages stays a light page:

- ``thumbs/<sha256>-<page>.jpg``: a 160-px-wide thumbnail of each page, shown in the table;
- ``pages/<sha256>-<page>.jpg``: the annotated page (``draw_overlay``), at most 1600 px wide;
- ``docs/<scan_id>-<page>.html``: one small page per document with its annotated page and its
  findings, MRZ and fields (a single file holding every document would grow to tens of MB).

The main page holds the audit's header (manifest, inputs not analysed), bar charts by verdict,
finding code and issuing state, a sortable and filterable table with one row per page (row id
``<scan_id>-<page>``), the link clusters and the stop-list hits.

Everything read from the documents is untrusted (a forger chose the file names and printed the
text): every value is escaped with ``html.escape``, the script only moves rows and sets
``textContent``, and the Content-Security-Policy allows nothing but inline style and script and
the folder's own images. Output is deterministic for the same inputs (rows sorted by source,
page and scan), and every file is written to a temporary name and moved into place, so a reader
never sees half a report; a rerun overwrites it and removes files it no longer refers to.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import shlex
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.errors import InputError
from docfraud.imaging.load import load_bytes
from docfraud.report.html import (
    CSS as SCAN_CSS,
)
from docfraud.report.html import (
    VERDICTS,
    badge,
    dict_of,
    escape,
    fields_table,
    findings_table,
    list_of,
    meta_list,
    page_head,
    score_text,
    skipped_list,
    text_of,
    verdict_of,
)
from docfraud.report.overlay import draw_overlay
from docfraud.store.db import ScanRecord

logger = logging.getLogger(__name__)

REPORT_NAME = "report.html"
FILES_DIR = "report_files"
THUMBS_DIR = "thumbs"
PAGES_DIR = "pages"
DOCS_DIR = "docs"
THUMB_WIDTH = 160
"""Thumbnail width (px); the height keeps the page's aspect ratio."""
PAGE_MAX_WIDTH = 1600
"""Annotated pages wider than this (px) are downscaled after drawing."""
PAGE_JPEG_QUALITY = 85
THUMB_JPEG_QUALITY = 80
TOP_N = 20
"""Bars in the finding-code and issuing-state charts."""
LABEL_MAX_CHARS = 32
"""Chart labels longer than this are cut (the full text is the bar's tooltip)."""
WATCHLIST_HIT = "WATCHLIST.HIT"
CLUSTER_SEVERITIES = ("critical", "warning", "info")

CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'"
)
DOC_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
"""The per-document pages have no script."""

_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")
_SHA256 = re.compile(r"[0-9a-f]{64}")

Bgr = npt.NDArray[np.uint8]

CSS = (
    SCAN_CSS
    + """
body { max-width: 1400px; }
nav.toc a { margin-right: 1rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.chart h3 { margin-top: .5rem; }
svg.bars text { font: 12px system-ui, sans-serif; fill: #111; }
svg.bars rect { fill: #4a6fa5; }
svg.bars rect.verdict-genuine { fill: #1b7a2f; }
svg.bars rect.verdict-suspicious { fill: #b36b00; }
svg.bars rect.verdict-forged { fill: #b3131b; }
svg.bars rect.verdict-unreadable { fill: #5a5a5a; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: .5rem 0; }
.filters input[type=search] { min-width: 18rem; font: inherit; padding: .2rem .4rem; }
.filters select { font: inherit; }
table.docs td { vertical-align: middle; }
table.docs td.thumb { width: 164px; }
table.docs img { display: block; width: 160px; height: auto; border: 1px solid #999; }
table.docs th button { font: inherit; font-weight: 600; background: none; border: 0;
  padding: 0; cursor: pointer; color: inherit; text-align: left; }
table.docs th[aria-sort=ascending] button::after { content: " \\25B2"; }
table.docs th[aria-sort=descending] button::after { content: " \\25BC"; }
table.docs tr:target { outline: 3px solid #4a6fa5; }
td.codes code { display: inline-block; margin-right: .4rem; }
ul.members { margin: .2rem 0 .6rem; }
"""
)

SCRIPT = """
(function () {
  'use strict';
  var table = document.getElementById('documents');
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var index = new Map(rows.map(function (r, i) { return [r, i]; }));
  var text = document.getElementById('filter-text');
  var verdict = document.getElementById('filter-verdict');
  var shown = document.getElementById('shown');
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function apply() {
    var q = text.value.trim().toLowerCase();
    var v = verdict.value;
    var n = 0;
    rows.forEach(function (r, i) {
      var ok = (!v || r.getAttribute('data-verdict') === v) &&
        (!q || texts[i].indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n + ' of ' + rows.length + ' pages shown';
  }

  function key(row, col, numeric) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort')
      : cell.textContent.trim();
    if (!numeric) { return raw; }
    var x = parseFloat(raw);
    return isNaN(x) ? -Infinity : x;
  }

  function sortBy(th) {
    var col = heads.indexOf(th);
    var numeric = th.getAttribute('data-type') === 'num';
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var sign = asc ? 1 : -1;
    var sorted = rows.slice().sort(function (a, b) {
      var x = key(a, col, numeric);
      var y = key(b, col, numeric);
      var d = numeric ? (x < y ? -1 : x > y ? 1 : 0)
        : String(x).localeCompare(String(y), undefined, {numeric: true});
      return d !== 0 ? sign * d : index.get(a) - index.get(b);
    });
    var frag = document.createDocumentFragment();
    sorted.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
  }

  heads.forEach(function (th) {
    var button = th.querySelector('button');
    if (button) { button.addEventListener('click', function () { sortBy(th); }); }
  });
  text.addEventListener('input', apply);
  verdict.addEventListener('change', apply);
  apply();
}());
"""


@dataclass(frozen=True, slots=True)
class _Row:
    """One page of one scan, as the table shows it."""

    anchor: str
    """``<scan_id>-<page>``: the row's id in report.html; also names the document's page."""
    scan: ScanRecord
    doc: dict[str, Any]
    page: int
    kind: str
    state: str
    number: str
    verdict: str
    codes: tuple[str, ...]
    thumb: str | None
    """Path of the thumbnail relative to DIR, or None when the page could not be decoded."""
    image: str | None
    """Path of the annotated page relative to DIR, or None."""

    @property
    def detail(self) -> str:
        return f"{FILES_DIR}/{DOCS_DIR}/{self.anchor}.html"


def write_audit_report(
    out_dir: Path,
    scans: Sequence[ScanRecord],
    clusters: Sequence[dict[str, Any]],
    problems: Sequence[dict[str, Any]],
    manifest: dict[str, Any],
    load_image: Callable[[str], bytes | None],
) -> Path:
    """Write ``DIR/report.html`` and its ``report_files/`` for one audit.

    Args:
        out_dir: the audit folder (created if missing).
        scans: every stored scan of the audit; ``result["documents"]`` holds its pages, each as
            ``analysis_to_dict`` gives it. A scan without documents (a failed one) is listed
            with the inputs not analysed.
        clusters: link clusters, ``{"code", "severity", "message", "members": [{"source",
            "page", "region"}]}``; members are matched to rows by source name and page.
        problems: inputs not analysed, ``{"source", "code", "message"}``.
        manifest: what was audited: ``started``/``started_at``, ``finished``/``ended_at``,
            ``command_line`` (a list or a string), ``software_version``, ``model_versions``,
            ``executor``, ``workers``, ``counts``; missing keys are left out.
        load_image: the image bytes for a sha256 (the store's ``read_image``); None when the
            image is not stored, and the page is then shown without an image.

    Returns:
        The path of ``DIR/report.html``.
    """
    out_dir = Path(out_dir)
    files = out_dir / FILES_DIR
    for sub in (THUMBS_DIR, PAGES_DIR, DOCS_DIR):
        (files / sub).mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()

    rows = _build_rows(out_dir, scans, load_image, written)
    by_place: dict[tuple[str, int], str] = {}
    for row in rows:
        by_place.setdefault((row.scan.source_name, row.page), row.anchor)
    for row in rows:
        path = out_dir / row.detail
        _write_if_changed(path, _document_page(row).encode("utf-8"))
        written.add(path)

    report = out_dir / REPORT_NAME
    page = _report_page(rows, scans, clusters, problems, manifest, by_place)
    _write_if_changed(report, page.encode("utf-8"))
    _prune(files, written)
    logger.info("audit report: %d pages, %d clusters -> %s", len(rows), len(clusters), report)
    return report


# --- rows and images ----------------------------------------------------------------------------


def _build_rows(
    out_dir: Path,
    scans: Sequence[ScanRecord],
    load_image: Callable[[str], bytes | None],
    written: set[Path],
) -> list[_Row]:
    rows: list[_Row] = []
    for scan in sorted(scans, key=lambda s: (s.source_name, s.scan_id)):
        documents = [d for d in list_of(scan.result.get("documents")) if isinstance(d, dict)]
        if not documents:
            continue
        pages = _decode(scan, load_image)
        sha = _file_stem(scan.image_sha256)
        scan_name = _file_stem(scan.scan_id)
        for position, doc in enumerate(documents):
            page = doc.get("page")
            page = page if isinstance(page, int) and not isinstance(page, bool) else position
            thumb = image = None
            bgr = pages.get(page)
            if bgr is not None:
                thumb = f"{FILES_DIR}/{THUMBS_DIR}/{sha}-{page}.jpg"
                image = f"{FILES_DIR}/{PAGES_DIR}/{sha}-{page}.jpg"
                if out_dir / image not in written:  # a duplicate scan of the same image
                    _write_images(out_dir / thumb, out_dir / image, bgr, doc)
                    written.update((out_dir / thumb, out_dir / image))
            info = dict_of(doc.get("document"))
            rows.append(
                _Row(
                    anchor=f"{scan_name}-{page}",
                    scan=scan,
                    doc=doc,
                    page=page,
                    kind=text_of(info.get("kind")),
                    state=text_of(info.get("issuing_state")),
                    number=_document_number(doc),
                    verdict=verdict_of(doc.get("verdict")),
                    codes=tuple(
                        sorted(
                            {
                                text_of(f.get("code"))
                                for f in list_of(doc.get("findings"))
                                if isinstance(f, dict) and f.get("code")
                            }
                        )
                    ),
                    thumb=thumb,
                    image=image,
                )
            )
    rows.sort(key=lambda r: (r.scan.source_name, r.page, r.scan.scan_id))
    return rows


def _decode(scan: ScanRecord, load_image: Callable[[str], bytes | None]) -> dict[int, Bgr]:
    """The scan's pages by index; empty when the image is missing or cannot be decoded."""
    try:
        data = load_image(scan.image_sha256)
    except OSError:
        logger.warning("audit report: image %s could not be read", scan.image_sha256)
        return {}
    if not data:
        return {}
    try:
        loaded = load_bytes(data)
    except InputError as err:
        logger.debug("audit report: sha256=%s not decoded (%s)", scan.image_sha256, err.code)
        return {}
    return {p.index: p.bgr for p in loaded.pages}


def _write_images(thumb: Path, image: Path, bgr: Bgr, doc: dict[str, Any]) -> None:
    # draw_overlay works in input pixels: draw on the full page first, then downscale.
    annotated = _fit_width(draw_overlay(bgr, doc), PAGE_MAX_WIDTH)
    _write_if_changed(image, _encode_jpeg(annotated, PAGE_JPEG_QUALITY))
    _write_if_changed(thumb, _encode_jpeg(_fit_width(bgr, THUMB_WIDTH), THUMB_JPEG_QUALITY))


def _fit_width(bgr: Bgr, width: int) -> Bgr:
    h, w = bgr.shape[:2]
    if w <= width or w == 0:
        return bgr
    height = max(1, round(h * width / w))
    resized = cv2.resize(bgr, (width, height), interpolation=cv2.INTER_AREA)
    return np.asarray(resized, dtype=np.uint8)


def _encode_jpeg(bgr: Bgr, quality: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(bgr), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the page could not be encoded as JPEG")
    return bytes(buf.tobytes())


def _document_number(doc: dict[str, Any]) -> str:
    """The MRZ's document number; else the printed one (visual zone or letter)."""
    fields = dict_of(dict_of(doc.get("mrz")).get("fields"))
    number = text_of(fields.get("document_number")).strip("<")
    if number:
        return number
    for part in ("viz", "letter"):
        for f in list_of(dict_of(doc.get(part)).get("fields")):
            if isinstance(f, dict) and f.get("name") == "document_number":
                value = text_of(f.get("value") or f.get("text"))
                if value:
                    return value
    return ""


def _file_stem(value: str) -> str:
    """A name safe in a path and an id: the value itself when it is plain, else its hash."""
    if _SHA256.fullmatch(value) or _SAFE_NAME.fullmatch(value):
        return value
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


# --- files --------------------------------------------------------------------------------------


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and move it over ``path``; a file that
    already holds exactly these bytes is left alone."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune(files: Path, written: set[Path]) -> None:
    """Remove what an earlier report wrote under report_files/ and this one no longer uses."""
    for sub in (THUMBS_DIR, PAGES_DIR, DOCS_DIR):
        for path in sorted((files / sub).iterdir()):
            if path.is_file() and not path.is_symlink() and path not in written:
                path.unlink(missing_ok=True)


# --- the main page ------------------------------------------------------------------------------


def _report_page(
    rows: list[_Row],
    scans: Sequence[ScanRecord],
    clusters: Sequence[dict[str, Any]],
    problems: Sequence[dict[str, Any]],
    manifest: dict[str, Any],
    by_place: dict[tuple[str, int], str],
) -> str:
    parts = [
        *page_head("docfraud audit report", CSP, CSS, blank_icon=True),
        "<h1>Audit report</h1>",
        '<nav class="toc">'
        '<a href="#summary">Summary</a><a href="#problems">Not analysed</a>'
        '<a href="#charts">Charts</a><a href="#table">Documents</a>'
        '<a href="#clusters">Clusters</a><a href="#stoplist">Stop-list hits</a></nav>',
        _header(manifest, rows, scans),
        _problems(problems, scans),
        _charts(rows),
        _table(rows),
        _clusters(clusters, by_place),
        _stoplist(rows),
        "<footer>Regions are [x, y, w, h] in the pixels of the page as presented; pages are "
        "numbered from 1. Each row opens the document's annotated page and findings.</footer>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _header(manifest: dict[str, Any], rows: list[_Row], scans: Sequence[ScanRecord]) -> str:
    command = manifest.get("command_line")
    if isinstance(command, list | tuple):
        command = shlex.join(text_of(c) for c in command)
    models = manifest.get("model_versions", manifest.get("models"))
    software = manifest.get("software_version")
    if software is None:
        software = dict_of(manifest.get("software")).get("docfraud")
    items: list[tuple[str, object]] = [
        ("Started", manifest.get("started", manifest.get("started_at"))),
        ("Finished", manifest.get("finished", manifest.get("ended_at"))),
        ("Command line", command),
        ("docfraud", software),
        ("Models", _pairs(models)),
        ("Executor", manifest.get("executor")),
        ("Workers", manifest.get("workers")),
        ("Counts", _pairs(manifest.get("counts"))),
        ("Sources in the report", str(len(scans))),
        ("Pages in the report", str(len(rows))),
    ]
    return '<section id="summary"><h2>What was audited</h2>' + meta_list(items) + "</section>"


def _pairs(value: object) -> str:
    """A mapping as ``key: value`` pairs (nested mappings flattened one level), sorted."""
    if not isinstance(value, dict):
        return text_of(value)
    out = []
    for k in sorted(value, key=str):
        v = value[k]
        if isinstance(v, dict):
            v = " ".join(
                f"{ik}={text_of(iv)}" for ik, iv in sorted(v.items(), key=lambda p: str(p[0]))
            )
        out.append(f"{k}: {text_of(v)}")
    return "; ".join(out)


def _problems(problems: Sequence[dict[str, Any]], scans: Sequence[ScanRecord]) -> str:
    items = {
        (text_of(p.get("source")), text_of(p.get("code")), text_of(p.get("message")))
        for p in problems
        if isinstance(p, dict)
    }
    listed = {(source, code) for source, code, _ in items}
    for scan in scans:
        if list_of(scan.result.get("documents")):
            continue
        error = dict_of(scan.result.get("error"))
        code = text_of(error.get("code")) or f"SCAN.{scan.status.upper()}"
        if (scan.source_name, code) not in listed:
            items.add((scan.source_name, code, text_of(error.get("message"))))
    head = f'<section id="problems"><h2>Inputs not analysed ({len(items)})</h2>'
    if not items:
        return head + '<p class="empty">Every input was analysed.</p></section>'
    lines = [
        f"<li><strong>{escape(s)}</strong>: <code>{escape(c)}</code> {escape(m)}</li>"
        for s, c, m in sorted(items)
    ]
    return head + '<ul class="problems">' + "".join(lines) + "</ul></section>"


# --- charts -------------------------------------------------------------------------------------


def _charts(rows: list[_Row]) -> str:
    verdicts = Counter(r.verdict for r in rows)
    by_verdict = [(v, verdicts[v], f"verdict-{v}") for v in VERDICTS if verdicts[v]]
    codes = Counter(c for r in rows for c in r.codes)
    states = Counter(r.state or "(none)" for r in rows)
    return (
        '<section id="charts"><h2>Charts</h2><div class="charts">'
        + _bar_chart("chart-verdict", "Documents by verdict", by_verdict)
        + _bar_chart("chart-codes", f"Documents by finding code (top {TOP_N})", _top(codes))
        + _bar_chart("chart-states", f"Documents by issuing state (top {TOP_N})", _top(states))
        + "</div></section>"
    )


def _top(counts: Counter[str]) -> list[tuple[str, int, str]]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_N]
    return [(label, n, "") for label, n in ranked]


def _bar_chart(chart_id: str, title: str, items: list[tuple[str, int, str]]) -> str:
    """A horizontal bar chart as inline SVG: one (label, count, css class) a bar."""
    head = f'<div class="chart" id="{chart_id}"><h3>{escape(title)}</h3>'
    if not items:
        return head + '<p class="empty">Nothing to count.</p></div>'
    bar_h, gap, bar_w = 18, 6, 320
    labels = [_cut(label) for label, _, _ in items]
    label_w = 16 + 7 * max(len(label) for label in labels)
    count_w = 12 + 8 * max(len(str(n)) for _, n, _ in items)
    width = label_w + bar_w + count_w
    height = len(items) * (bar_h + gap) + gap
    top = max(n for _, n, _ in items) or 1
    parts = [
        f'<svg class="bars" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">'
    ]
    for i, ((label, n, cls), short) in enumerate(zip(items, labels, strict=True)):
        y = gap + i * (bar_h + gap)
        w = max(1, round(bar_w * n / top))
        css = f' class="{escape(cls)}"' if cls else ""
        parts.append(
            f"<g><title>{escape(label)}: {n}</title>"
            f'<text x="{label_w - 8}" y="{y + bar_h - 5}" text-anchor="end">{escape(short)}</text>'
            f'<rect{css} x="{label_w}" y="{y}" width="{w}" height="{bar_h}"></rect>'
            f'<text x="{label_w + w + 6}" y="{y + bar_h - 5}">{n}</text></g>'
        )
    parts.append("</svg></div>")
    return head + "".join(parts)


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


# --- the table ----------------------------------------------------------------------------------


def _table(rows: list[_Row]) -> str:
    counts = Counter(r.verdict for r in rows)
    options = ['<option value="">All verdicts</option>'] + [
        f'<option value="{v}">{v} ({counts[v]})</option>' for v in VERDICTS
    ]
    heads = [
        ("Page image", None),
        ("Source", "text"),
        ("Page", "num"),
        ("Kind", "text"),
        ("State", "text"),
        ("Number", "text"),
        ("Verdict", "text"),
        ("Score", "num"),
        ("Findings", "text"),
    ]
    cells = []
    for label, kind in heads:
        if kind is None:
            cells.append(f'<th scope="col">{escape(label)}</th>')
        else:
            cells.append(
                f'<th scope="col" data-type="{kind}">'
                f'<button type="button">{escape(label)}</button></th>'
            )
    body = [_table_row(r) for r in rows]
    return (
        f'<section id="table"><h2>Documents ({len(rows)} pages)</h2>'
        '<div class="filters">'
        '<label>Filter <input type="search" id="filter-text" '
        'placeholder="any text in a row" autocomplete="off"></label>'
        '<label>Verdict <select id="filter-verdict">' + "".join(options) + "</select></label>"
        f'<span id="shown" aria-live="polite">{len(rows)} of {len(rows)} pages shown</span>'
        "</div>"
        '<table class="docs" id="documents"><thead><tr>' + "".join(cells) + "</tr></thead>"
        "<tbody>\n" + "\n".join(body) + "\n</tbody></table></section>"
    )


def _table_row(row: _Row) -> str:
    score = _number(row.doc.get("fraud_score"))
    detail = escape(row.detail)
    label = f"{row.scan.source_name}, page {row.page + 1}"
    if row.thumb:
        thumb = (
            f'<a href="{detail}"><img src="{escape(row.thumb)}" alt="{escape(label)}" width="160" '
            'loading="lazy" decoding="async"></a>'
        )
    else:
        thumb = '<span class="empty">no image</span>'
    codes = "".join(f"<code>{escape(c)}</code>" for c in row.codes)
    duplicate = (
        f'<br><span class="empty">duplicate of {escape(row.scan.duplicate_of)}</span>'
        if row.scan.duplicate_of
        else ""
    )
    return (
        f'<tr id="{escape(row.anchor)}" data-verdict="{row.verdict}">'
        f'<td class="thumb">{thumb}</td>'
        f'<td><a href="{detail}">{escape(row.scan.source_name)}</a>{duplicate}</td>'
        f'<td class="num" data-sort="{row.page + 1}">{row.page + 1}</td>'
        f"<td>{escape(row.kind)}</td>"
        f"<td>{escape(row.state)}</td>"
        f"<td>{escape(row.number)}</td>"
        f'<td data-sort="{VERDICTS.index(row.verdict)}-{row.verdict}">'
        f"{badge(row.verdict)}</td>"
        f'<td class="num" data-sort="{"" if score is None else f"{score:.6f}"}">'
        f"{escape(score_text(score))}</td>"
        f'<td class="codes">{codes}</td>'
        "</tr>"
    )


# --- clusters and stop-list hits ----------------------------------------------------------------


def _clusters(clusters: Sequence[dict[str, Any]], by_place: dict[tuple[str, int], str]) -> str:
    items = []
    for c in clusters:
        if not isinstance(c, dict):
            continue
        members = []
        for m in list_of(c.get("members")):
            if not isinstance(m, dict):
                continue
            source = text_of(m.get("source"))
            page = m.get("page")
            page = page if isinstance(page, int) and not isinstance(page, bool) else 0
            members.append((source, page, _region(m.get("region"))))
        members.sort()
        sev = text_of(c.get("severity")).lower()
        rank = CLUSTER_SEVERITIES.index(sev) if sev in CLUSTER_SEVERITIES else 3
        items.append((rank, text_of(c.get("code")), text_of(c.get("message")), sev, members))
    items.sort(key=lambda t: (t[0], t[1], t[2], t[4]))
    head = f'<section id="clusters"><h2>Clusters ({len(items)})</h2>'
    if not items:
        return head + '<p class="empty">No documents were linked.</p></section>'
    parts = [head]
    for _, code, message, sev, members in items:
        cls = f" sev-{sev}" if sev in CLUSTER_SEVERITIES else ""
        lines = []
        for source, page, region in members:
            text = escape(f"{source}, page {page + 1}" + (f" {region}" if region else ""))
            anchor = by_place.get((source, page))
            lines.append(
                f'<li><a href="#{escape(anchor)}">{text}</a></li>' if anchor else f"<li>{text}</li>"
            )
        parts.append(
            '<div class="cluster">'
            f'<h3><span class="sev{cls}">{escape(sev)}</span> <code>{escape(code)}</code> '
            f"({len(members)} documents)</h3>"
            f"<p>{escape(message)}</p>"
            '<ul class="members">' + "".join(lines) + "</ul></div>"
        )
    parts.append("</section>")
    return "".join(parts)


def _stoplist(rows: list[_Row]) -> str:
    lines = []
    for row in rows:
        for f in list_of(row.doc.get("findings")):
            if isinstance(f, dict) and f.get("code") == WATCHLIST_HIT:
                lines.append(
                    "<tr>"
                    f'<td><a href="#{escape(row.anchor)}">{escape(row.scan.source_name)}</a></td>'
                    f'<td class="num">{row.page + 1}</td>'
                    f"<td>{escape(row.state)}</td><td>{escape(row.number)}</td>"
                    f"<td>{escape(f.get('message'))}</td>"
                    "</tr>"
                )
    head = f'<section id="stoplist"><h2>Stop-list hits ({len(lines)})</h2>'
    if not lines:
        return head + '<p class="empty">No document is on a stop-list.</p></section>'
    return (
        head
        + '<table class="findings" id="stoplist-hits"><thead><tr><th>Source</th><th>Page</th>'
        + "<th>State</th><th>Number</th><th>Message</th></tr></thead><tbody>"
        + "".join(lines)
        + "</tbody></table></section>"
    )


# --- one document's page ------------------------------------------------------------------------


def _document_page(row: _Row) -> str:
    doc, scan = row.doc, row.scan
    info = dict_of(doc.get("document"))
    title = f"{scan.source_name}, page {row.page + 1}"
    parts = [
        *page_head(title, DOC_CSP, SCAN_CSS, blank_icon=True),
        f'<p><a href="../../{REPORT_NAME}#{escape(row.anchor)}">Back to the audit report</a></p>',
        f"<h1>{escape(title)}</h1>",
        '<div class="head">',
        badge(row.verdict, big=True),
        f'<span class="score">fraud score {escape(score_text(doc.get("fraud_score")))}</span>',
        "</div>",
        meta_list(
            [
                ("Source", scan.source_name),
                ("Page", str(row.page + 1)),
                ("Kind", row.kind),
                ("State", row.state),
                ("Number", row.number),
                ("MRZ format", info.get("mrz_format")),
                ("Role", doc.get("role")),
                ("Scan ID", scan.scan_id),
                ("SHA-256", scan.image_sha256),
                ("Duplicate of", scan.duplicate_of),
                ("Status", scan.status),
                ("Scanned", scan.created_at.isoformat()),
            ]
        ),
    ]
    if row.image:
        parts.append(
            f'<figure><img src="../{PAGES_DIR}/{escape(Path(row.image).name)}" '
            f'alt="{escape(title)}: annotated page"></figure>'
        )
    else:
        parts.append('<p class="empty">The page image could not be shown.</p>')
    lines = [text_of(line) for line in list_of(dict_of(doc.get("mrz")).get("lines"))]
    parts.append("<h3>MRZ</h3>")
    if lines:
        parts.append('<pre class="mrz">' + escape("\n".join(lines)) + "</pre>")
    else:
        parts.append('<p class="empty">No MRZ was read.</p>')
    parts.append(findings_table(list_of(doc.get("findings")), text_of(doc.get("source"))))
    parts.append(skipped_list(list_of(doc.get("skipped"))))
    parts.append(fields_table("Visual zone", dict_of(doc.get("viz")).get("fields")))
    letter = doc.get("letter")
    if isinstance(letter, dict):
        parts.append(fields_table("Letter", letter.get("fields")))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


# --- small helpers ------------------------------------------------------------------------------


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _region(value: object) -> str:
    if isinstance(value, list | tuple) and len(value) == 4:
        return "[" + ", ".join(text_of(v) for v in value) + "]"
    return ""
