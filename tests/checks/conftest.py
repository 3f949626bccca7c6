"""Fixtures for the check tests: real MRZ readings of rendered pages, hand-set printed fields.

The MRZ is read by the real reader from a synthetic page, so regions and confidences are real;
the visual zone is given as the reader would return it, so each check is tested on its own.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from docfraud.analysis import Analysis
from docfraud.artifacts import DEFAULT_MODELS_DIR
from docfraud.checks.registry import run_checks
from docfraud.mrz.read import MrzReading, read_mrz
from docfraud.ocr.recognizer import RecognizerKind, create_recognizer
from docfraud.synth.documents import render_document
from docfraud.synth.records import DocKind, DocumentData, Person, Side
from docfraud.synth.templates import template
from docfraud.types import FieldReading, Finding, LetterReading, Region, VizReading

FINDINGS_DOC = (Path(__file__).resolve().parents[2] / "docs" / "findings.md").read_text("utf-8")
SCAN_DATE = date(2026, 6, 1)
HOLDER = Person(
    surname="Müller-Sørensen",
    given_names="Anna Maria",
    sex="F",
    birth_date=date(1974, 8, 12),
    birth_place="Århus",
    nationality="DEU",
    face_seed=7,
)
PASSPORT = DocumentData(
    kind=DocKind.PASSPORT,
    mrz_format=template("td3_azure_left").mrz_format,
    document_code="P",
    issuing_state="DEU",
    document_number="C01X00T47",
    holder=HOLDER,
    issue_date=date(2020, 3, 2),
    expiry_date=date(2030, 3, 1),
    authority="Stadt Köln",
)


@lru_cache(maxsize=16)
def mrz_of(data: DocumentData, template_name: str = "td3_azure_left") -> MrzReading:
    """The real reader's MRZ reading of ``data`` rendered on ``template_name``."""
    t = template(template_name)
    side = Side.BACK if t.kind in (DocKind.ID_CARD, DocKind.RESIDENCE_PERMIT) else Side.PAGE
    page = render_document(np.random.default_rng(1), data, t, side, face_shot_seed=3)
    gray = np.asarray(cv2.cvtColor(page.rgb, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    recognizer = create_recognizer(RecognizerKind.GLYPH, DEFAULT_MODELS_DIR)
    reading = read_mrz(gray, recognizer, SCAN_DATE)
    assert reading is not None and reading.data is not None
    assert reading.lines == data.mrz_lines(), "the fixture page must read exactly"
    return reading


def printed(
    name: str,
    text: str,
    value: str | None = None,
    confidence: float = 0.9,
    alternatives: tuple[tuple[str, str | None], ...] | None = None,
) -> FieldReading:
    """A printed field; by default read a second time with the same result (as the reader
    does wherever a field disagrees with the MRZ)."""
    again = ((text, value),) if alternatives is None else alternatives
    return FieldReading(name, text, confidence, Region(0, (10, 10, 80, 20)), value, again)


def viz_of(data: DocumentData, **overrides: FieldReading | None) -> VizReading:
    """The visual zone as printed for ``data``; ``overrides`` replace (or with None drop) fields."""
    h = data.holder
    fields = {
        "surname": printed("surname", h.surname.upper()),
        "given_names": printed("given_names", h.given_names.upper()),
        "document_number": printed("document_number", data.document_number),
        "nationality": printed("nationality", h.nationality, h.nationality),
        "birth_date": printed("birth_date", f"{h.birth_date:%d.%m.%Y}", h.birth_date.isoformat()),
        "sex": printed("sex", h.sex, h.sex),
        "issue_date": printed(
            "issue_date", f"{data.issue_date:%d.%m.%Y}", data.issue_date.isoformat()
        ),
        "expiry_date": printed(
            "expiry_date", f"{data.expiry_date:%d.%m.%Y}", data.expiry_date.isoformat()
        ),
    }
    for name, field in overrides.items():
        if field is None:
            fields.pop(name, None)
        else:
            fields[name] = field
    return VizReading(tuple(fields.values()), text_lines=len(fields))


def analysed(
    data: DocumentData = PASSPORT,
    *,
    viz: VizReading | None = None,
    letter: LetterReading | None = None,
    template_name: str = "td3_azure_left",
    scan_date: date = SCAN_DATE,
    with_mrz: bool = True,
) -> Analysis:
    """An analysis of ``data`` with every registered check run (strict: a bug raises)."""
    t = template(template_name)
    w, h = 125 * 8, 88 * 8
    analysis = Analysis(
        source=f"{template_name}.png",
        page=0,
        sha256="0" * 64,
        media_type="image/png",
        image_size=(w, h) if t else None,
        scan_date=scan_date,
        mrz=mrz_of(data, template_name) if with_mrz else None,
        viz=viz,
        letter=letter,
    )
    findings, skipped = run_checks(analysis, strict=True)
    assert_documented(findings)
    return replace(analysis, findings=findings, skipped=skipped)


def assert_documented(findings: tuple[Finding, ...]) -> None:
    """Every code a check emits, however it is built, has its row in docs/findings.md."""
    for f in findings:
        assert f"`{f.code}`" in FINDINGS_DOC, f.code


def codes(a: Analysis) -> set[str]:
    return {f.code for f in a.findings}


def only(a: Analysis, code: str) -> Finding:
    matches = [f for f in a.findings if f.code == code]
    assert len(matches) == 1, (code, [f.code for f in a.findings])
    return matches[0]
