"""One stored scan as a self-contained HTML page: what an officer prints or files with a case.

Everything in a result is untrusted: the visual-zone text, the MRZ and even the finding messages
quote what a forger printed. Every value is escaped with ``html.escape``; the page has no
script, and its Content-Security-Policy forbids scripts and loading anything but its own
``data:`` images, so it opens offline and safely from an archive.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Iterable, Sequence
from typing import Any

VERDICTS = ("genuine", "suspicious", "forged", "unreadable")
SEVERITIES = ("critical", "warning", "info")

CSS = """
:root { color-scheme: light; }
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
  background: #fff; margin: 0 auto; padding: 1.5rem; max-width: 1200px; }
h1 { font-size: 1.6rem; margin: 0 0 .75rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-top: 2px solid #ccc; padding-top: 1rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
.head { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin-bottom: 1rem; }
.badge { display: inline-block; padding: .35rem .9rem; border-radius: .4rem; font-weight: 700;
  letter-spacing: .05em; color: #fff; background: #555; }
.badge.big { font-size: 1.6rem; }
.verdict-genuine { background: #1b7a2f; }
.verdict-suspicious { background: #b36b00; }
.verdict-forged { background: #b3131b; }
.verdict-unreadable { background: #5a5a5a; }
.score { font-size: 1.2rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.meta dt { font-weight: 600; color: #333; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.notice { background: #fff4d6; border-left: 4px solid #b36b00; padding: .5rem .75rem; }
figure { margin: .75rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #999; }
pre.mrz { font: 15px/1.4 "OCR-B", "DejaVu Sans Mono", Consolas, monospace; background: #f3f3f3;
  padding: .5rem .75rem; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .75rem; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
td.sev { white-space: nowrap; }
th { background: #eee; }
td.num, code { font-family: "DejaVu Sans Mono", Consolas, monospace; }
.sev { font-weight: 700; }
.sev-critical { color: #b3131b; }
.sev-warning { color: #a35a00; }
.sev-info { color: #1d4f91; }
.empty { color: #555; font-style: italic; }
footer { margin-top: 2rem; color: #555; font-size: .9rem; }
@media print { body { max-width: none; } h2 { break-before: auto; } }
"""

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def page_head(title: str, csp: str, css: str, *, blank_icon: bool = False) -> list[str]:
    """The lines of a report page up to and including ``<body>``: its security policy, title
    (escaped here) and inline style; ``blank_icon`` stops a browser asking for a favicon."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        *(['<link rel="icon" href="data:,">'] if blank_icon else []),
        f"<title>{escape(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
    ]


def render_scan_html(scan: dict[str, Any], pages: Sequence[bytes]) -> str:
    """A self-contained HTML report of one stored scan.

    Args:
        scan: the stored scan: ``scan_id, created_at, station, status, verdict, fraud_score,
            duplicate_of, documents`` (each as ``analysis_to_dict`` gives it), ``model_version``
            and ``software_version``. Missing keys are shown as absent, never raise.
        pages: PNG bytes of the annotated page of each document, ``pages[i]`` for
            ``documents[i]``; a document without one is shown without an image.

    Returns:
        The page as a string (UTF-8 when written out).
    """
    scan_id = text_of(scan.get("scan_id"))
    verdict = verdict_of(scan.get("verdict"))
    documents = [d for d in list_of(scan.get("documents")) if isinstance(d, dict)]
    parts = [
        *page_head(f"docfraud scan {scan_id}", CSP, CSS),
        f"<h1>Scan {escape(scan_id)}</h1>",
        '<div class="head">',
        badge(verdict, big=True),
        f'<span class="score">fraud score {escape(score_text(scan.get("fraud_score")))}</span>',
        "</div>",
        meta_list(
            [
                ("Scan", scan_id),
                ("Time", scan.get("created_at")),
                ("Station", scan.get("station")),
                ("Status", scan.get("status")),
                ("Duplicate of", scan.get("duplicate_of")),
                ("Documents", str(len(documents))),
            ]
        ),
    ]
    status = scan.get("status")
    if status == "partial":
        parts.append(
            '<p class="notice">The visual zone was still being read when this report was made; '
            "visual-zone checks may be missing.</p>"
        )
    elif status == "failed":
        parts.append(
            '<p class="notice">Reading the visual zone failed; only the MRZ and image checks '
            "ran.</p>"
        )
    for i, doc in enumerate(documents):
        png = pages[i] if i < len(pages) else None
        parts.append(_document(i, doc, png))
    if not documents:
        parts.append('<p class="empty">No document was analysed.</p>')
    parts.append(
        "<footer>"
        + escape(
            f"docfraud {text_of(scan.get('software_version')) or '?'}, "
            f"model {text_of(scan.get('model_version')) or '?'}. Regions are [x, y, w, h] in the "
            "pixels of the page as presented."
        )
        + "</footer>"
    )
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


# --- pieces shared with the audit report (docfraud.report.audit) ---------------------------------


def escape(value: object) -> str:
    """Any value as text safe in HTML content and attributes (None is empty)."""
    return html.escape(text_of(value), quote=True)


def text_of(value: object) -> str:
    return "" if value is None else str(value)


def list_of(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def dict_of(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def verdict_of(value: object) -> str:
    v = text_of(value).lower()
    return v if v in VERDICTS else "unreadable"


def score_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "—"
    return f"{value:.2f}"


def badge(verdict: str, big: bool = False) -> str:
    size = " big" if big else ""
    return f'<span class="badge{size} verdict-{verdict}">{escape(verdict.upper())}</span>'


def meta_list(rows: Iterable[tuple[str, object]]) -> str:
    items = [
        f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>"
        for k, v in rows
        if v is not None and text_of(v) != ""
    ]
    return '<dl class="meta">' + "".join(items) + "</dl>"


def _box(value: object) -> str:
    if isinstance(value, list | tuple) and len(value) == 4:
        return "[" + ", ".join(text_of(v) for v in value) + "]"
    return ""


def _regions(finding: dict[str, Any], own_source: str) -> str:
    """Where the finding points, one place a line; the document's own source is not repeated."""
    places = []
    for r in list_of(finding.get("regions")):
        if not isinstance(r, dict):
            continue
        box = _box(r.get("box"))
        if not box:
            continue
        page = r.get("page")
        where = f"page {int(page) + 1} " if isinstance(page, int) else ""
        source = text_of(r.get("source"))
        source = "" if source == own_source else source
        places.append((f"{source} " if source else "") + where + box)
    if not places and _box(finding.get("region")):
        places.append(_box(finding.get("region")))
    return "<br>".join(escape(p) for p in dict.fromkeys(places)) or '<span class="empty">—</span>'


def _document(index: int, doc: dict[str, Any], png: bytes | None) -> str:
    info = dict_of(doc.get("document"))
    mrz = dict_of(doc.get("mrz"))
    page = doc.get("page")
    title = f"Document {index + 1}"
    source = text_of(doc.get("source"))
    if source:
        title += f": {source}"
    if isinstance(page, int):
        title += f", page {page + 1}"
    parts = [
        '<section class="document">',
        f"<h2>{escape(title)}</h2>",
        '<div class="head">',
        badge(verdict_of(doc.get("verdict"))),
        f'<span class="score">fraud score {escape(score_text(doc.get("fraud_score")))}</span>',
        "</div>",
        meta_list(
            [
                ("Kind", info.get("kind")),
                ("State", info.get("issuing_state")),
                ("MRZ format", info.get("mrz_format")),
                ("Role", doc.get("role")),
                ("Scan ID", doc.get("scan_id")),
                ("SHA-256", doc.get("sha256")),
            ]
        ),
    ]
    if png:
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure><img src="{escape(uri)}" alt="{escape(title)}: annotated page"></figure>'
        )
    lines = [text_of(line) for line in list_of(mrz.get("lines"))]
    parts.append("<h3>MRZ</h3>")
    if lines:
        parts.append('<pre class="mrz">' + escape("\n".join(lines)) + "</pre>")
    else:
        parts.append('<p class="empty">No MRZ was read.</p>')
    parts.append(findings_table(list_of(doc.get("findings")), source))
    parts.append(skipped_list(list_of(doc.get("skipped"))))
    parts.append(fields_table("Visual zone", dict_of(doc.get("viz")).get("fields")))
    letter = doc.get("letter")
    if isinstance(letter, dict):
        parts.append(fields_table("Letter", letter.get("fields")))
    parts.append("</section>")
    return "\n".join(parts)


def findings_table(findings: list[Any], own_source: str) -> str:
    rows = []
    items = [f for f in findings if isinstance(f, dict)]
    # Most severe first; the stored order within a severity is kept.
    items.sort(key=lambda f: _severity_rank(f.get("severity")))
    for f in items:
        sev = text_of(f.get("severity")).lower()
        cls = f" sev-{sev}" if sev in SEVERITIES else ""
        rows.append(
            "<tr>"
            f'<td class="sev{cls}">{escape(sev)}</td>'
            f"<td><code>{escape(f.get('code'))}</code></td>"
            f"<td>{escape(f.get('message'))}</td>"
            f'<td class="num">{_share(f.get("contribution"))}</td>'
            f'<td class="num">{_regions(f, own_source)}</td>'
            "</tr>"
        )
    head = f"<h3>Findings ({len(rows)})</h3>"
    if not rows:
        return head + '\n<p class="empty">No findings.</p>'
    return (
        head
        + '\n<table class="findings"><thead><tr><th>Severity</th><th>Code</th><th>Message</th>'
        + '<th title="what the finding adds to the fraud score">Score</th><th>Region</th>'
        + "</tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def _share(contribution: object) -> str:
    """A finding's share of the fraud score (``+0.42``), or a dash where it adds nothing."""
    if isinstance(contribution, (int, float)) and not isinstance(contribution, bool):
        if contribution > 0.0005:
            return f"+{contribution:.3f}"
    return "–"


def _severity_rank(value: object) -> int:
    sev = text_of(value).lower()
    return SEVERITIES.index(sev) if sev in SEVERITIES else len(SEVERITIES)


def skipped_list(skipped: list[Any]) -> str:
    items = [
        f"<li><code>{escape(s.get('check'))}</code>: {escape(s.get('reason'))}</li>"
        for s in skipped
        if isinstance(s, dict)
    ]
    head = f"<h3>Checks not run ({len(items)})</h3>"
    if not items:
        return head + '\n<p class="empty">Every check ran.</p>'
    return head + '\n<ul class="skipped">' + "".join(items) + "</ul>"


def fields_table(title: str, fields: object) -> str:
    rows = []
    for f in list_of(fields):
        if not isinstance(f, dict):
            continue
        confidence = f.get("confidence")
        conf = score_text(confidence) if confidence is not None else ""
        rows.append(
            "<tr>"
            f"<td><code>{escape(f.get('name'))}</code></td>"
            f"<td>{escape(f.get('text'))}</td>"
            f"<td>{escape(f.get('value'))}</td>"
            f'<td class="num">{escape(conf)}</td>'
            "</tr>"
        )
    head = f"<h3>{escape(title)} fields ({len(rows)})</h3>"
    if not rows:
        return head + f'\n<p class="empty">No {escape(title.lower())} fields were read.</p>'
    return (
        head
        + '\n<table class="fields"><thead><tr><th>Field</th><th>Text read</th><th>Value</th>'
        + "<th>Confidence</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>"
    )
