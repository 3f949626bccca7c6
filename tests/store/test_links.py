"""Link analysis across a seizure: literal inputs with exact clusters, then a generated seizure."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from docfraud.imaging.portrait import HASH_BYTES, PortraitPrint, similarity
from docfraud.store.links import (
    LinkCode,
    LinkInput,
    close_pairs,
    find_links,
    identity_key,
    link_input,
    same_portrait_similarity,
)
from docfraud.store.numbers import normalise_number
from docfraud.types import Severity

ALIKE = 0.9
"""The same-photo threshold of these tests."""
FACE, FAR = 0.0, 90.0
"""Portraits are unit vectors at an angle in one plane: cos(angle) is their similarity."""


def _print(degrees: float) -> PortraitPrint:
    angle = np.radians(degrees)
    vector = np.zeros(64, np.float32)
    vector[:2] = np.cos(angle), np.sin(angle)
    return PortraitPrint.of(bytes(HASH_BYTES), vector)


def _links(docs: list[LinkInput]) -> list[Any]:
    return find_links(docs, same_portrait=ALIKE)


def _doc(
    source: str,
    surname: str = "DOE",
    given: str = "ALEX",
    born: str = "1990-01-01",
    *,
    state: str | None = "UTO",
    number: str | None = None,
    portrait: float | None = None,
    page: int = 0,
) -> LinkInput:
    return LinkInput(
        source=source,
        page=page,
        issuing_state=state,
        document_number=number,
        surname=surname,
        given_names=given,
        birth_date=born,
        portrait=_print(portrait) if portrait is not None else None,
        number_region=(10, 200, 300, 40),
        portrait_region=(10, 20, 80, 100),
    )


def test_same_portrait_is_transitive() -> None:
    a = _doc("a.jpg", "DOE", portrait=FACE)
    b = _doc("b.jpg", "ROE", "SAM", portrait=20.0)  # a~b 0.94, b~c 0.94, a~c 0.77
    c = _doc("c.jpg", "POE", "KIM", portrait=40.0)
    far = _doc("d.jpg", "LOE", "MAX", portrait=FAR)
    clusters = _links([a, b, c, far])
    assert [cl.code for cl in clusters] == [LinkCode.SAME_PORTRAIT]
    cluster = clusters[0]
    assert cluster.severity is Severity.CRITICAL
    assert [m.source for m in cluster.members] == ["a.jpg", "b.jpg", "c.jpg"]
    assert cluster.members[0].region == (10, 20, 80, 100)
    assert cluster.message == (
        "The same portrait appears on 3 documents with different identities: a.jpg (DOE, ALEX), "
        "b.jpg (ROE, SAM), c.jpg (POE, KIM)."
    )


def test_one_person_with_one_photo_is_not_a_link() -> None:
    docs = [_doc("a.jpg", portrait=FACE), _doc("b.jpg", portrait=5.0)]
    assert _links(docs) == []


def test_identity_ignores_case_diacritics_and_fillers() -> None:
    assert identity_key(_doc("a", "Müller", "Jörg Ana")) == identity_key(
        _doc("b", "MULLER", "JORG<ANA")
    )
    assert identity_key(_doc("c", "MULLER", "JORG", "1990-01-02")) != identity_key(
        _doc("d", "MULLER", "JORG")
    )


def test_number_normalisation() -> None:
    assert normalise_number("X4R 7215K0") == normalise_number("X4R7215K0") == "X4R7215K0"
    docs = [
        _doc("a.jpg", "DOE", number="X4R 7215K0"),
        _doc("b.jpg", "ROE", "SAM", number="x4r7215k0"),
    ]
    (cluster,) = _links(docs)
    assert cluster.code is LinkCode.SAME_NUMBER
    assert cluster.severity is Severity.CRITICAL
    assert cluster.key == "UTO X4R7215K0"
    assert [m.region for m in cluster.members] == [(10, 200, 300, 40)] * 2
    assert "X4R7215K0 of UTO appears on 2 documents of different holders" in cluster.message


def test_same_number_of_different_states_is_not_a_link() -> None:
    docs = [_doc("a.jpg", number="X4R7215K0"), _doc("b.jpg", "ROE", state="D", number="X4R7215K0")]
    assert _links(docs) == []


def test_one_files_two_pages_of_one_identity_are_not_a_link() -> None:
    docs = [_doc("a.pdf", number="X4R7215K0"), _doc("a.pdf", number="X4R7215K0", page=1)]
    assert _links(docs) == []


def test_one_holder_in_two_files_is_information_only() -> None:
    docs = [_doc("a.jpg", number="X4R7215K0"), _doc("copy.jpg", number="X4R7215K0")]
    (cluster,) = _links(docs)
    assert cluster.code is LinkCode.SAME_NUMBER and cluster.severity is Severity.INFO


def test_same_identity_with_different_portraits_is_a_warning() -> None:
    docs = [
        _doc("old.jpg", number="A1", portrait=FACE),
        _doc("new.jpg", number="B2", portrait=FAR),
    ]
    (cluster,) = _links(docs)
    assert cluster.code is LinkCode.SAME_IDENTITY_DIFFERENT_PORTRAIT
    assert cluster.severity is Severity.WARNING
    assert cluster.message.startswith("DOE, ALEX (born 1990-01-01) appears with different")


def test_clusters_sort_most_severe_first() -> None:
    docs = [
        _doc("a.jpg", number="A1", portrait=FACE),
        _doc("b.jpg", number="B2", portrait=FAR),
        _doc("c.jpg", "ROE", number="A1"),
    ]
    assert [c.severity for c in _links(docs)] == [Severity.CRITICAL, Severity.WARNING]


def test_close_pairs_is_exact() -> None:
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(60, 64))
    vectors[30:] = vectors[:30] + rng.normal(scale=rng.uniform(0.1, 1.5, (30, 1)), size=(30, 64))
    prints = [PortraitPrint.of(bytes(HASH_BYTES), v / np.linalg.norm(v)) for v in vectors]
    brute = [
        (i, j)
        for i, j in itertools.combinations(range(len(prints)), 2)
        if similarity(prints[i], prints[j]) >= 0.6
    ]
    assert len(brute) >= 10
    assert close_pairs(prints, 0.6, chunk=7) == brute


def test_link_input_reads_the_scan_object() -> None:
    scan: dict[str, Any] = {
        "page": 1,
        "document": {"issuing_state": "UTO", "region": [0, 0, 900, 600]},
        "mrz": {
            "region": [40, 500, 820, 60],
            "fields": {
                "issuing_state": "UTO",
                "document_number": "X4R7215K0",
                "surname": "DOE PUBLIC",
                "given_names": "ALEX MARIE",
                "birth_date": "1992-03-14",
            },
        },
    }
    scan["portrait"] = {"region": [30, 60, 200, 260], **_print(FACE).to_dict()}
    item = link_input("scan.jpg", scan)
    assert item == LinkInput(
        "scan.jpg", 1, "UTO", "X4R7215K0", "DOE PUBLIC", "ALEX MARIE", "1992-03-14",
        _print(FACE), (40, 500, 820, 60), (30, 60, 200, 260), (0, 0, 900, 600),
    )  # fmt: skip
    scan["portrait"]["embedding"] = "not base64!"
    assert link_input("scan.jpg", scan).portrait is None
    bare = link_input("letter.jpg", {"page": 0, "document": {}, "mrz": None})
    assert bare.document_number is None and identity_key(bare) is None


@pytest.mark.slow
def test_generated_seizure_links_are_recovered(tmp_path: Path) -> None:
    """The real pipeline (MRZ only, with its portrait prints) + find_links on 30 generated
    documents."""
    from docfraud.config import AnalysisConfig
    from docfraud.pipeline import Analyzer
    from docfraud.report.json import analysis_to_dict
    from docfraud.synth.seizure import generate_seizure

    manifest = generate_seizure(
        tmp_path, 30, seed=11, planted_share=0.34, workshop_share=0.2, workers=1
    )
    analyzer = Analyzer(AnalysisConfig(read_text=False))
    inputs = []
    for document in manifest["documents"]:
        for f in document["files"]:
            for a in analyzer.analyze_path(tmp_path / f["file"]):
                inputs.append(link_input(f["file"], analysis_to_dict(a)))
    clusters = find_links(inputs, same_portrait=same_portrait_similarity())
    planted = {frozenset(link["files"]): link["type"] for link in manifest["links"]}
    assert set(planted.values()) == {"same_portrait", "same_number", "same_workshop"}
    codes = {"same_portrait": LinkCode.SAME_PORTRAIT, "same_number": LinkCode.SAME_NUMBER}
    members = {(c.code, frozenset(m.source for m in c.members)) for c in clusters}
    number_groups = [files for files, kind in planted.items() if kind == "same_number"]
    assert all((codes["same_number"], files) in members for files in number_groups)
    # no cluster joins documents that were not planted together
    for code, files in members:
        if code is not LinkCode.SAME_IDENTITY_DIFFERENT_PORTRAIT:
            assert any(files <= group for group in planted), (code, sorted(files))


def test_numbers_read_with_o_for_0_are_one_number() -> None:
    docs = [
        _doc("a.jpg", "DOE", number="15SK03075"),
        _doc("b.jpg", "ROE", "SAM", number="15SKO3O75"),
        _doc("c.jpg", "POE", "ANN", number="15SK03075"),
    ]
    (cluster,) = _links(docs)
    assert cluster.code is LinkCode.SAME_NUMBER
    assert cluster.key == "UTO 15SK03075"  # as most members read it
    assert len(cluster.members) == 3


def test_numbers_differing_in_other_characters_stay_apart() -> None:
    docs = [_doc("a.jpg", "DOE", number="15SK03075"), _doc("b.jpg", "ROE", number="15SK03076")]
    assert _links(docs) == []


# --- shared tampering: one design, the same trace at the same place ------------------------------

PORTRAIT_UNIT = (0.05, 0.2, 0.3, 0.75)
"""Where the portrait sits on these tests' design (shares of the document)."""


def _scan(
    source: str,
    surname: str,
    *,
    traces: Sequence[tuple[str, tuple[float, float, float, float], str, float]] = (),
    origin: tuple[float, float] = (40.0, 30.0),
    scale: float = 800.0,
    state: str = "UTO",
    mrz_format: str = "TD3",
    portrait: tuple[float, float, float, float] = PORTRAIT_UNIT,
) -> LinkInput:
    """A scan object of a document lying at ``origin`` with width ``scale`` pixels (0.7 of it
    high); portrait and trace places in shares of the document, as the design has them."""
    ox, oy = origin

    def box(unit: tuple[float, float, float, float]) -> list[int]:
        x0, y0, x1, y1 = unit
        return [
            round(ox + x0 * scale),
            round(oy + y0 * 0.7 * scale),
            round((x1 - x0) * scale),
            round((y1 - y0) * 0.7 * scale),
        ]

    w, h = scale, 0.7 * scale
    document = {
        "page": 0,
        "document": {
            "issuing_state": state,
            "mrz_format": mrz_format,
            "corners": [[ox, oy], [ox + w, oy], [ox + w, oy + h], [ox, oy + h]],
            "region": [round(ox), round(oy), round(w), round(h)],
        },
        "mrz": {"fields": {"issuing_state": state, "surname": surname, "birth_date": "1990-01-01"}},
        "portrait": {"region": box(portrait)},
        "findings": [
            {
                "code": code,
                "severity": severity,
                "region": box(unit),
                "page": 0,
                "evidence": {"probability": f"{probability:.3f}", "threshold": "0.410"},
            }
            for code, unit, severity, probability in traces
        ],
    }
    return link_input(source, document)


SWAPPED = ("PORTRAIT.SUBSTITUTED", PORTRAIT_UNIT, "critical", 0.95)


def test_one_design_with_the_same_trace_is_a_workshop_cluster() -> None:
    docs = [
        _scan("a.jpg", "DOE", traces=[SWAPPED]),
        _scan("b.jpg", "ROE", traces=[SWAPPED], origin=(300.0, 120.0), scale=1200.0),
        _scan("c.jpg", "POE", traces=[SWAPPED], scale=500.0),
        _scan("d.jpg", "LOE"),  # same design, no trace
    ]
    (cluster,) = _links(docs)
    assert cluster.code is LinkCode.SHARED_TAMPERING and cluster.severity is Severity.WARNING
    assert [m.source for m in cluster.members] == ["a.jpg", "b.jpg", "c.jpg"]
    assert cluster.key == "UTO TD3 PORTRAIT.SUBSTITUTED"
    assert "one forger" in cluster.message and "PORTRAIT.SUBSTITUTED" in cluster.message
    assert cluster.members[1].region == (360, 288, 300, 462)  # b's portrait, in b's pixels


@pytest.mark.parametrize(
    ("other", "why"),
    [
        ({"state": "ATL"}, "another issuing state"),
        ({"mrz_format": "TD2"}, "another MRZ format"),
        ({"portrait": (0.6, 0.2, 0.85, 0.75)}, "the portrait elsewhere: another design"),
        ({"traces": [("PORTRAIT.SUBSTITUTED.WEAK", PORTRAIT_UNIT, "warning", 0.95)]}, "a warning"),
        ({"traces": [("PORTRAIT.SUBSTITUTED", PORTRAIT_UNIT, "critical", 0.7)]}, "borderline"),
        ({"traces": [("TAMPER.REGION", (0.5, 0.1, 0.6, 0.2), "critical", 0.95)]}, "another"),
        ({"traces": [("PORTRAIT.SUBSTITUTED", (0.6, 0.1, 0.9, 0.4), "critical", 0.95)]}, "apart"),
        ({"traces": [("MRZ.CHECK_DIGIT.BIRTH_DATE", PORTRAIT_UNIT, "critical", 1.0)]}, "data"),
    ],
)
def test_no_workshop_cluster_without_one_design_and_one_trace(
    other: dict[str, Any], why: str
) -> None:
    kwargs: dict[str, Any] = {"traces": [SWAPPED], **other}
    docs = [_scan("a.jpg", "DOE", traces=[SWAPPED]), _scan("b.jpg", "ROE", **kwargs)]
    assert _links(docs) == [], why


def test_one_files_pages_are_not_a_workshop() -> None:
    docs = [_scan("a.pdf", "DOE", traces=[SWAPPED]), _scan("a.pdf", "ROE", traces=[SWAPPED])]
    assert _links(docs) == []


def test_a_scan_without_an_outline_has_no_traces() -> None:
    document = {
        "document": {"issuing_state": "UTO", "mrz_format": "TD3", "corners": None},
        "findings": [
            {"code": "PORTRAIT.SUBSTITUTED", "severity": "critical", "region": [1, 2, 3, 4]}
        ],
    }
    assert link_input("a.jpg", document).traces == ()


def test_a_tamper_region_at_the_same_place_links_too() -> None:
    birth_date = ("TAMPER.REGION", (0.5, 0.42, 0.7, 0.47), "critical", 0.9)
    shifted = ("TAMPER.REGION", (0.51, 0.425, 0.71, 0.475), "critical", 0.8)
    docs = [
        _scan("a.jpg", "DOE", traces=[birth_date]),
        _scan("b.png", "ROE", traces=[shifted], origin=(0.0, 0.0), scale=1500.0),
    ]
    (cluster,) = _links(docs)
    assert cluster.code is LinkCode.SHARED_TAMPERING and cluster.key == "UTO TD3 TAMPER.REGION"
