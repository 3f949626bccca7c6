"""The audit report: files written, every value escaped, one row per page, and the page working
in a real headless chromium (Debian's) with no console errors."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from docfraud.report.audit import write_audit_report
from docfraud.store.db import ScanRecord

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HOSTILE = "<script>alert(1)</script>"
HOSTILE_NAME = '<img src=x onerror="alert(2)">.jpg'
JUNK = b"not an image"
WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

MANIFEST = {
    "started": "2024-05-01T12:00:00+00:00",
    "finished": "2024-05-01T12:05:00+00:00",
    "command_line": ["docfraud", "audit", "seizure/", "--out", "evidence"],
    "software_version": "0.1.0",
    "model_versions": {"mrz_recognizer": {"version": "1", "sha256": "ab" * 8}},
    "executor": "process",
    "workers": 4,
    "counts": {"listed": 8, "analysed": 6, "failed": 1, "problems": 1},
}


# --- building the inputs ------------------------------------------------------------------------


def _scan(
    n: int,
    source: str,
    data: bytes,
    documents: list[dict[str, Any]],
    *,
    status: str = "complete",
    duplicate_of: str | None = None,
    error: dict[str, str] | None = None,
) -> ScanRecord:
    result: dict[str, Any] = {"documents": documents}
    if error:
        result["error"] = error
    verdicts = [d["verdict"] for d in documents]
    scores = [d["fraud_score"] for d in documents if d.get("fraud_score") is not None]
    return ScanRecord(
        scan_id=f"{n:032x}",
        created_at=WHEN,
        station="audit",
        key_id="k",
        image_sha256=hashlib.sha256(data).hexdigest(),
        media_type=None,
        size_bytes=len(data),
        source_name=source,
        case_id=None,
        metadata={},
        status=status,
        verdict=verdicts[0] if verdicts else None,
        fraud_score=max(scores) if scores else None,
        software_version="0.1.0",
        model_version="m",
        result=result,
        duplicate_of=duplicate_of,
    )


def _renamed(documents: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    out = copy.deepcopy(documents)
    for d in out:
        d["source"] = source
        for f in d.get("findings", []):
            for r in f.get("regions", []):
                r["source"] = source
    return out


@pytest.fixture(scope="module")
def audit_inputs() -> dict[str, Any]:
    """Real analyses of four sample images and one unreadable input, stored as an audit would:
    one scan per source, a duplicate, a failed analysis; plus clusters and problems."""
    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer
    from docfraud.report.json import analysis_to_dict

    analyzer = Analyzer(AnalysisConfig(read_text=False))
    files = {
        "passport.png": SAMPLES / "utopia_passport.png",
        HOSTILE_NAME: SAMPLES / "utopia_passport_altered_birth_date.jpg",
        "id_card_back.jpg": SAMPLES / "utopia_id_card_back_photo.jpg",
        "visa/000001_page.jpg": SAMPLES / "synth" / "images" / "000001_page.jpg",
    }
    images: dict[str, bytes] = {}
    scans: list[ScanRecord] = []
    for n, (source, path) in enumerate(files.items(), start=1):
        data = path.read_bytes()
        images[hashlib.sha256(data).hexdigest()] = data
        docs = _renamed([analysis_to_dict(a) for a in analyzer.analyze_path(path)], source)
        scans.append(_scan(n, source, data, docs))
    forged = scans[1].result["documents"][0]
    assert forged["verdict"] == "forged"
    forged["findings"] += [
        {
            "code": "VIZ_MRZ.SURNAME",
            "severity": "warning",
            "message": f"The printed surname ({HOSTILE}) differs from the MRZ's.",
            "region": None,
            "page": None,
            "regions": [],
            "evidence": {},
        },
        {
            "code": "WATCHLIST.HIT",
            "severity": "critical",
            "message": f"UTO {HOSTILE} is on the stop-list test (stolen, 2024-01-02).",
            "region": forged["mrz"]["region"],
            "page": 0,
            "regions": [{"source": HOSTILE_NAME, "page": 0, "box": forged["mrz"]["region"]}],
            "evidence": {},
        },
    ]
    junk = [analysis_to_dict(a) for a in analyzer.analyze_bytes(JUNK, "junk.txt")]
    images[hashlib.sha256(JUNK).hexdigest()] = JUNK
    scans.append(_scan(5, "junk.txt", JUNK, junk))
    passport = files["passport.png"].read_bytes()
    scans.append(
        _scan(
            6,
            "copy/passport.png",
            passport,
            _renamed(scans[0].result["documents"], "copy/passport.png"),
            duplicate_of=scans[0].scan_id,
        )
    )
    scans.append(
        _scan(
            7,
            "crashed.jpg",
            b"crash",
            [],
            status="failed",
            error={"code": "INTERNAL.ANALYSIS_FAILED", "message": "The analysis failed."},
        )
    )
    clusters = [
        {
            "code": "LINK.SAME_NUMBER",
            "severity": "warning",
            "message": f"Two documents carry the same number ({HOSTILE}).",
            "members": [
                {"source": HOSTILE_NAME, "page": 0, "region": [1, 2, 3, 4]},
                {"source": "passport.png", "page": 0, "region": None},
                {"source": "not-in-report.jpg", "page": 2, "region": None},
            ],
        }
    ]
    problems = [{"source": "broken.zip", "code": "INPUT.UNREADABLE", "message": f"zip {HOSTILE}"}]
    return {"scans": scans, "images": images, "clusters": clusters, "problems": problems}


def _write(out: Path, inputs: dict[str, Any], **changes: Any) -> Path:
    args = {
        "scans": inputs["scans"],
        "clusters": inputs["clusters"],
        "problems": inputs["problems"],
        "manifest": MANIFEST,
        "load_image": inputs["images"].get,
        **changes,
    }
    return write_audit_report(out, **args)


class _Parser(HTMLParser):
    """Start tags with their attributes, and <script> bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _parse(path: Path) -> _Parser:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def report(audit_inputs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("audit"), audit_inputs)


slow = pytest.mark.slow  # real analyses: loads the recogniser and analyses five inputs (~6 s)


# --- files and content --------------------------------------------------------------------------


@slow
def test_report_files_are_written(report: Path, audit_inputs: dict[str, Any]) -> None:
    out = report.parent
    assert report == out / "report.html"
    files = out / "report_files"
    thumbs = sorted(p.name for p in (files / "thumbs").iterdir())
    pages = sorted(p.name for p in (files / "pages").iterdir())
    docs = sorted(p.name for p in (files / "docs").iterdir())
    decodable = {s.image_sha256 for s in audit_inputs["scans"]} - {
        hashlib.sha256(JUNK).hexdigest(),
        hashlib.sha256(b"crash").hexdigest(),
    }
    assert thumbs == pages == sorted(f"{sha}-0.jpg" for sha in decodable)
    assert len(docs) == 6  # one page per scan with documents; the failed scan has none
    assert not [p for p in out.rglob(".*") if p.is_file()], "a temporary file was left behind"
    import cv2

    for name in thumbs:
        thumb = cv2.imread(str(files / "thumbs" / name))
        page = cv2.imread(str(files / "pages" / name))
        assert thumb is not None and thumb.shape[1] == 160
        assert page is not None and 160 < page.shape[1] <= 1600


@slow
def test_report_is_self_contained_with_a_strict_csp(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    parser = _parse(report)
    csp = [a["content"] for t, a in parser.tags if t == "meta" and a.get("http-equiv")]
    assert csp == [
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'"
    ]
    assert not any(t == "script" and a.get("src") for t, a in parser.tags)
    assert not any(t == "link" and a.get("rel") == "stylesheet" for t, a in parser.tags)
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text
    assert "innerHTML" not in "".join(parser.scripts)
    for tag, attrs in parser.tags:
        for key in ("src", "href"):
            value = attrs.get(key)
            if value and tag != "link":
                assert value.startswith(("#", "report_files/")), (tag, value)


@slow
def test_every_untrusted_value_is_escaped(report: Path) -> None:
    out = report.parent
    pages = [report, *sorted((out / "report_files" / "docs").iterdir())]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert HOSTILE not in text, path
        assert "<img src=x" not in text, path
        parser = _parse(path)
        # the only script is the report's own
        assert [t for t, _ in parser.tags].count("script") == (1 if path == report else 0)
        assert not any(k.startswith("on") for _, a in parser.tags for k in a), path
    text = report.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # stop-list, cluster, problem
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;.jpg" in text
    forged = next(
        p for p in (out / "report_files" / "docs").iterdir() if "VIZ_MRZ.SURNAME" in p.read_text()
    )
    assert "The printed surname (&lt;script&gt;alert(1)&lt;/script&gt;)" in forged.read_text()


@slow
def _page_verdicts(audit_inputs: dict[str, Any]) -> list[str]:
    """The verdict of every stored page, sorted: what the table's rows must show."""
    return sorted(d["verdict"] for s in audit_inputs["scans"] for d in s.result["documents"])


def test_the_table_has_one_row_per_page_and_links_exist(
    report: Path, audit_inputs: dict[str, Any]
) -> None:
    out = report.parent
    parser = _parse(report)
    rows = [a for t, a in parser.tags if t == "tr" and a.get("data-verdict")]
    assert len(rows) == 6
    ids = [a["id"] for a in rows]
    assert len(set(ids)) == 6
    assert all(re.fullmatch(r"[0-9a-f]{32}-0", i or "") for i in ids)
    verdicts = sorted(a["data-verdict"] or "" for a in rows)
    assert verdicts == _page_verdicts(audit_inputs)
    assert {"forged", "genuine", "unreadable"} <= set(verdicts)
    images = [a["src"] or "" for t, a in parser.tags if t == "img"]
    assert len(images) == 5  # junk.txt has no image
    assert all(src.startswith("report_files/thumbs/") for src in images)
    for tag, attrs in parser.tags:
        target = attrs.get("src") if tag == "img" else attrs.get("href") if tag == "a" else None
        if not target or tag == "link":
            continue
        if target.startswith("#"):
            assert target[1:] in ids or target[1:] in {
                "summary",
                "problems",
                "charts",
                "table",
                "clusters",
                "stoplist",
            }, target
        else:
            assert (out / target).is_file(), target
    # a document page's image and back link resolve from its own folder
    for doc in (out / "report_files" / "docs").iterdir():
        for tag, attrs in _parse(doc).tags:
            if tag == "img":
                assert (doc.parent / (attrs["src"] or "")).resolve().is_file()
            if tag == "a":
                link = (attrs["href"] or "").split("#")[0]
                assert (doc.parent / link).resolve() == report.resolve()


@slow
def test_header_charts_clusters_and_stoplist(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert "docfraud audit seizure/ --out evidence" in text
    assert "2024-05-01T12:00:00+00:00" in text and "2024-05-01T12:05:00+00:00" in text
    assert "broken.zip" in text and "INPUT.UNREADABLE" in text
    assert "crashed.jpg" in text and "INTERNAL.ANALYSIS_FAILED" in text
    for chart in ("chart-verdict", "chart-codes", "chart-states"):
        section = text.split(f'id="{chart}"', 1)[1].split("</div>", 1)[0]
        assert "<svg" in section and "<rect" in section, chart
    states = text.split('id="chart-states"', 1)[1].split("</svg>", 1)[0]
    assert ">UTO<" in states and ">POL<" in states
    clusters = text.split('id="clusters"', 1)[1].split("</section>", 1)[0]
    assert "LINK.SAME_NUMBER" in clusters
    assert clusters.count('<a href="#') == 2  # the third member is not in the report
    assert "not-in-report.jpg, page 3" in clusters
    hits = text.split('id="stoplist"', 1)[1].split("</section>", 1)[0]
    assert hits.count("<tr>") == 2  # header and one hit


@slow
def test_output_is_deterministic_and_rerun_overwrites(
    audit_inputs: dict[str, Any], tmp_path: Path
) -> None:
    first = _write(tmp_path, audit_inputs)
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    second = _write(tmp_path, audit_inputs, scans=list(reversed(audit_inputs["scans"])))
    after = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert first == second
    assert before == after
    # fewer scans: the report shrinks and the files it no longer uses are removed
    _write(tmp_path, audit_inputs, scans=audit_inputs["scans"][:1], clusters=[], problems=[])
    parser = _parse(first)
    assert len([a for t, a in parser.tags if t == "tr" and a.get("data-verdict")]) == 1
    assert len(list((tmp_path / "report_files" / "thumbs").iterdir())) == 1
    assert len(list((tmp_path / "report_files" / "docs").iterdir())) == 1


def test_a_large_page_is_drawn_then_downscaled(tmp_path: Path) -> None:
    import cv2
    import numpy as np

    page = np.full((1000, 3200, 3), 255, dtype=np.uint8)
    data = cv2.imencode(".png", page)[1].tobytes()
    doc = {
        "source": "big.png",
        "page": 0,
        "verdict": "suspicious",
        "fraud_score": 0.5,
        "document": {"kind": "passport", "issuing_state": "UTO"},
        "mrz": {"fields": {"document_number": "X1<<"}},
        "findings": [
            {
                "code": "IMAGE.EDGE",
                "severity": "critical",
                "message": "Near the right edge.",
                "region": [3000, 400, 200, 200],
                "page": 0,
                "regions": [{"source": "big.png", "page": 0, "box": [3000, 400, 200, 200]}],
            }
        ],
    }
    scan = _scan(1, "big.png", data, [doc])
    report = write_audit_report(tmp_path, [scan], [], [], {}, {scan.image_sha256: data}.get)
    name = f"{scan.image_sha256}-0.jpg"
    annotated = cv2.imread(str(tmp_path / "report_files" / "pages" / name))
    thumb = cv2.imread(str(tmp_path / "report_files" / "thumbs" / name))
    assert annotated.shape[:2] == (500, 1600) and thumb.shape[:2] == (50, 160)
    # the finding's box, drawn in input pixels, lands at x = 1500..1600 once downscaled (red)
    b, g, r = annotated[250, 1502].astype(int)
    assert r > 150 and g < 100 and b < 100
    assert (annotated[250, 800] > 240).all()
    assert ">X1<" in report.read_text(encoding="utf-8")  # the MRZ number without its fillers


def test_an_empty_audit_still_gives_a_report(tmp_path: Path) -> None:
    path = write_audit_report(tmp_path, [], [], [], {}, lambda _sha: None)
    text = path.read_text(encoding="utf-8")
    assert "Documents (0 pages)" in text
    assert "Every input was analysed." in text


# --- in a real browser --------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
    reason=f"needs Debian's chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER}); "
    "`make test` installs them",
)

ROWS_JS = """
return Array.from(document.querySelectorAll('#documents tbody tr')).map((r) => ({
  id: r.id, hidden: r.hidden, verdict: r.getAttribute('data-verdict'),
  score: r.cells[7].getAttribute('data-sort'), text: r.textContent}));
"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless chromium for the module."""
    from tests.serve.test_console import headless_chromium

    with headless_chromium(tmp_path_factory.mktemp("chromium-profile")) as chrome:
        yield chrome


def _open(driver: Any, path: Path) -> None:
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.resolve().as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def _problems(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def _all_images_loaded(driver: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    count = driver.execute_script("return document.images.length")
    for i in range(count):
        driver.execute_script("document.images[arguments[0]].scrollIntoView({block: 'center'})", i)
        WebDriverWait(driver, 20).until(
            lambda d, i=i: d.execute_script(
                "const im = document.images[arguments[0]]; return im.complete", i
            ),
            message=f"image {i} did not finish loading",
        )
    widths = driver.execute_script(
        "return Array.from(document.images).map((im) => [im.getAttribute('src'), im.naturalWidth])"
    )
    assert [w for w in widths if w[1] <= 0] == []


@slow
@pytest.mark.browser
@needs_chromium
def test_report_in_chromium_sorts_filters_and_loads_images(
    driver: Any, report: Path, audit_inputs: dict[str, Any]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(driver, report)
    assert driver.title == "docfraud audit report"
    _all_images_loaded(driver)
    rows = driver.execute_script(ROWS_JS)
    assert len(rows) == 6 and not any(r["hidden"] for r in rows)
    assert driver.find_element(By.ID, "shown").text == "6 of 6 pages shown"

    # the filter box hides the rows that do not contain its text
    box = driver.find_element(By.ID, "filter-text")
    box.send_keys("POL")
    rows = driver.execute_script(ROWS_JS)
    assert [r["hidden"] for r in rows].count(False) == 1
    assert all(("POL" in r["text"]) != r["hidden"] for r in rows)
    assert driver.find_element(By.ID, "shown").text == "1 of 6 pages shown"
    box.clear()
    box.send_keys("passport.png")
    assert [r["hidden"] for r in driver.execute_script(ROWS_JS)].count(False) == 2
    box.clear()
    box.send_keys("x")  # clear() fires no input event; typing and deleting does
    box.send_keys("\b")
    assert not any(r["hidden"] for r in driver.execute_script(ROWS_JS))

    # clicking a header sorts by that column, a second click reverses
    before = [r["id"] for r in driver.execute_script(ROWS_JS)]
    score = driver.find_element(By.XPATH, "//table[@id='documents']//th[.//button='Score']")
    score.find_element(By.TAG_NAME, "button").click()
    rows = driver.execute_script(ROWS_JS)
    ascending = [r["id"] for r in rows]
    assert ascending != before
    assert score.get_attribute("aria-sort") == "ascending"
    keys = [float(r["score"]) if r["score"] else float("-inf") for r in rows]
    assert keys == sorted(keys)
    score.find_element(By.TAG_NAME, "button").click()
    rows = driver.execute_script(ROWS_JS)
    keys = [float(r["score"]) if r["score"] else float("-inf") for r in rows]
    assert keys == sorted(keys, reverse=True)
    assert score.get_attribute("aria-sort") == "descending"

    # the verdict select shows one verdict's rows only
    visa = next(
        d["verdict"]
        for s in audit_inputs["scans"]
        for d in s.result["documents"]
        if d["source"] == "visa/000001_page.jpg"
    )
    Select(driver.find_element(By.ID, "filter-verdict")).select_by_value(visa)
    rows = driver.execute_script(ROWS_JS)
    shown = [v for v in _page_verdicts(audit_inputs) if v == visa]
    assert sorted(r["verdict"] for r in rows if not r["hidden"]) == shown
    assert all(r["hidden"] for r in rows if r["verdict"] != visa)
    box.send_keys("visa/")
    assert [r["hidden"] for r in driver.execute_script(ROWS_JS)].count(False) == 1
    Select(driver.find_element(By.ID, "filter-verdict")).select_by_value("")

    # nothing escaped into markup: no element the untrusted text could have made
    assert driver.execute_script("return document.querySelectorAll('script').length") == 1
    assert driver.execute_script("return document.querySelectorAll('img[onerror]').length") == 0
    assert _problems(driver) == []


@slow
@pytest.mark.browser
@needs_chromium
def test_document_pages_in_chromium(driver: Any, report: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(driver, report)
    link = driver.find_element(By.CSS_SELECTOR, "#documents tbody tr td:nth-child(2) a")
    link.click()
    assert driver.current_url.startswith(report.parent.resolve().as_uri() + "/report_files/docs/")
    _all_images_loaded(driver)
    assert driver.execute_script("return document.images.length") == 1
    assert driver.find_element(By.TAG_NAME, "h1").text.endswith("page 1")
    assert _problems(driver) == []
    for doc in sorted((report.parent / "report_files" / "docs").iterdir()):
        _open(driver, doc)
        _all_images_loaded(driver)
        assert driver.execute_script("return document.querySelectorAll('script').length") == 0
        assert _problems(driver) == [], doc.name
