"""Links across a seizure: what investigators look for among many documents (issue 7).

:func:`find_links` groups documents into clusters, each a finding of its own:

- ``LINK.SAME_PORTRAIT`` (critical): one photo (portrait embeddings at least
  ``same_portrait_similarity`` alike: the model card's threshold, see
  :func:`same_portrait_similarity`) on documents of different identities;
- ``LINK.SAME_NUMBER`` (critical when the holders differ, info when one holder's document is in
  several files): one issuing state and document number on several documents (O and 0 count as
  one character: :func:`docfraud.store.numbers.number_key`);
- ``LINK.SAME_IDENTITY_DIFFERENT_PORTRAIT`` (warning: renewals take new photos): one identity
  (name and birth date) with portraits far apart;
- ``LINK.SHARED_TAMPERING`` (warning): documents of one design carrying the same trace of
  tampering at the same place (:func:`_shared_tampering`): the batch of one forger, who buys or
  steals blanks of one design and alters each the same way.

A *design* is what docfraud can tell of a template without a reference collection: the issuing
state, the MRZ format, and where the portrait sits on the document (its centre within
:data:`SAME_PLACE` of the document's size; two designs of one state that place the portrait
alike, as ICAO's zones make most passports do, count as one). A *trace* is a strong critical
finding of the image forensics (:data:`TRACE_CODES`: a substituted portrait, a tamper region)
with its region on the document, as a share of the document's width and height, so that the
same place matches across photos and scans. Strong: its probability at least halfway from the
alarm threshold to 1 (:func:`~docfraud.types.is_strong`; the checks make only those critical).
Two borderline alarms on two genuine documents of one design are the commonest coincidence: on
the development seizure every alarm on a genuine portrait scored within 0.1 of its threshold,
substituted portraits 0.89 to 0.99. Data inconsistencies (check digits, the MRZ against the
printed zone) are not traces: an OCR misread makes them too, and they do not show how a
document was altered.

An identity is the normalised surname, given names and birth date; documents whose identity was
not read take part in number links only. Close portrait pairs are found exactly by blocked
matrix products of the embeddings (:func:`close_pairs`: about a second for 10,000 portraits);
members join clusters by union-find, so links are transitive (A~B and B~C put A, B and C in one
cluster).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.artifacts import DEFAULT_MODELS_DIR, artifact_entry
from docfraud.imaging.portrait import PortraitPrint, similarity
from docfraud.imaging.portraitnet import ARTIFACT_NAME as PORTRAIT_NET
from docfraud.store.numbers import normalise_number, number_key
from docfraud.types import Box, Severity, is_strong

TRACE_CODES = frozenset({"PORTRAIT.SUBSTITUTED", "TAMPER.REGION"})
"""The critical findings of the image forensics, traces of how a document was altered."""
SAME_PLACE = 0.05
"""Portrait centres this close (share of the document's width and height) are one design's."""
SAME_TRACE_IOU = 0.3
"""Trace regions overlapping this much (intersection over union, on the document) are one place."""
DIFFERENT_PORTRAIT_SIMILARITY = 0.5
"""One identity's portraits less alike than this are different photos (renewals take new ones):
far below any same-photo pair of the model's evaluation, above most different faces."""


def same_portrait_similarity(models_dir: Path = DEFAULT_MODELS_DIR) -> float:
    """The committed PortraitNet's threshold: a similarity that, with 95 % confidence, at most 1
    in 100,000 pairs of different faces reach (``threshold_at_1e-5`` in its model card, set on
    its evaluation's pairs by :func:`~docfraud.imaging.train_portraits.pairs_allowed_above`)."""
    return float(artifact_entry(PORTRAIT_NET, models_dir)["metrics"]["threshold_at_1e-5"])


_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


class LinkCode(StrEnum):
    SAME_PORTRAIT = "LINK.SAME_PORTRAIT"
    SAME_NUMBER = "LINK.SAME_NUMBER"
    SAME_IDENTITY_DIFFERENT_PORTRAIT = "LINK.SAME_IDENTITY_DIFFERENT_PORTRAIT"
    SHARED_TAMPERING = "LINK.SHARED_TAMPERING"


Unit = tuple[float, float, float, float]
"""(x0, y0, x1, y1) on the document, as shares of its width and height (reading order)."""


@dataclass(frozen=True, slots=True)
class Trace:
    """A critical finding of alteration and where it is."""

    code: str
    place: Unit
    region: Box
    """The finding's region in the page's pixels (for the report)."""


@dataclass(frozen=True, slots=True)
class LinkInput:
    """What link analysis needs from one analysed page."""

    source: str
    page: int
    issuing_state: str | None
    document_number: str | None
    surname: str | None
    given_names: str | None
    birth_date: str | None
    """ISO date as the report gives it."""
    portrait: PortraitPrint | None = None
    number_region: Box | None = None
    """Where the number is (the MRZ), in the page's pixels."""
    portrait_region: Box | None = None
    document_region: Box | None = None
    mrz_format: str | None = None
    portrait_place: tuple[float, float] | None = None
    """The portrait's centre on the document (shares of its width and height)."""
    traces: tuple[Trace, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkMember:
    source: str
    page: int
    region: Box | None
    identity: str
    """``SURNAME, GIVEN NAMES`` as read, or ``?`` when not read."""


@dataclass(frozen=True, slots=True)
class LinkCluster:
    code: LinkCode
    severity: Severity
    message: str
    members: tuple[LinkMember, ...]
    key: str = ""
    """What the members share: ``UTO X4R7215K0``, a portrait's hash in hex, an identity."""

    def to_dict(self) -> dict[str, Any]:
        """The cluster as the report gives it: a finding with a region in every member."""
        return {
            "code": self.code.value,
            "severity": self.severity.label,
            "message": self.message,
            "key": self.key,
            "regions": [
                {"source": m.source, "page": m.page, "box": list(m.region) if m.region else None}
                for m in self.members
            ],
        }


def normalise_name(text: str) -> str:
    """Capitals without diacritics, ``<``, hyphens or apostrophes; words single-spaced.

    >>> normalise_name("Ó Súilleabháin-Müller"), normalise_name("O<SUILLEABHAIN<MULLER")
    ('O SUILLEABHAIN MULLER', 'O SUILLEABHAIN MULLER')
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return " ".join(_NOT_ALNUM.sub(" ", plain).split())


def identity_key(item: LinkInput) -> str | None:
    """Normalised ``surname|given names|birth date``; None when the name or date is missing."""
    if not item.surname or not item.birth_date:
        return None
    return "|".join(
        (normalise_name(item.surname), normalise_name(item.given_names or ""), item.birth_date)
    )


def _box(value: Any) -> Box | None:
    if not value or len(value) != 4:
        return None
    x, y, w, h = (int(v) for v in value)
    return (x, y, w, h)


def link_input(source: str, document: Mapping[str, Any]) -> LinkInput:
    """Build a :class:`LinkInput` from one scan object (:func:`report.json.analysis_to_dict`).

    Args:
        source: the file, as the investigator knows it.
        document: the scan object (``page``, ``document``, ``mrz`` with ``fields``, and
            ``portrait`` with its print where the pipeline found one).
    """
    mrz = document.get("mrz") or {}
    fields = mrz.get("fields") or {}
    doc = document.get("document") or {}
    portrait = document.get("portrait") or {}
    state = fields.get("issuing_state") or doc.get("issuing_state")
    to_unit = _to_unit(doc.get("corners"))
    portrait_box = _box(portrait.get("region"))
    portrait_unit = _unit(to_unit, portrait_box) if to_unit is not None and portrait_box else None
    return LinkInput(
        source=source,
        page=int(document.get("page") or 0),
        issuing_state=str(state) if state else None,
        document_number=fields.get("document_number") or None,
        surname=fields.get("surname") or None,
        given_names=fields.get("given_names") or None,
        birth_date=str(fields["birth_date"]) if fields.get("birth_date") else None,
        portrait=PortraitPrint.from_dict(portrait),
        number_region=_box(mrz.get("region")),
        portrait_region=portrait_box,
        document_region=_box(doc.get("region")),
        mrz_format=str(doc["mrz_format"]) if doc.get("mrz_format") else None,
        portrait_place=(
            ((portrait_unit[0] + portrait_unit[2]) / 2, (portrait_unit[1] + portrait_unit[3]) / 2)
            if portrait_unit
            else None
        ),
        traces=_traces(document.get("findings") or (), to_unit),
    )


def is_strong_trace(finding: Mapping[str, Any]) -> bool:
    """A critical forensic finding (:data:`TRACE_CODES`) whose probability lies at least halfway
    from its alarm threshold to 1 (``probability`` and ``threshold`` in its evidence)."""
    if finding.get("code") not in TRACE_CODES or finding.get("severity") != "critical":
        return False
    evidence = finding.get("evidence")
    if not isinstance(evidence, Mapping):
        return False
    try:
        probability = float(evidence["probability"])
        threshold = float(evidence["threshold"])
    except (TypeError, KeyError, ValueError):
        return False
    return is_strong(probability, threshold)


def _to_unit(corners: Any) -> npt.NDArray[np.float64] | None:
    """The homography from the page to the document's unit square, or None without an outline."""
    try:
        quad = np.array(corners, np.float64).reshape(4, 2)
    except (TypeError, ValueError):
        return None
    if not np.all(np.isfinite(quad)):
        return None
    unit = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float64)
    homography, _ = cv2.findHomography(quad, unit)
    return None if homography is None else np.asarray(homography, np.float64)


def _unit(to_unit: npt.NDArray[np.float64], box: Box) -> Unit | None:
    x, y, w, h = box
    corners = np.array([[[x, y], [x + w, y], [x + w, y + h], [x, y + h]]], np.float64)
    mapped = cv2.perspectiveTransform(corners, to_unit)[0]
    if not np.all(np.isfinite(mapped)):
        return None
    x0, y0 = mapped.min(axis=0)
    x1, y1 = mapped.max(axis=0)
    return (float(x0), float(y0), float(x1), float(y1))


def _traces(findings: Iterable[Any], to_unit: npt.NDArray[np.float64] | None) -> tuple[Trace, ...]:
    if to_unit is None:
        return ()
    out = []
    for f in findings:
        if not isinstance(f, Mapping) or not is_strong_trace(f):
            continue
        code, region = str(f["code"]), _box(f.get("region"))
        if region is None:
            continue
        place = _unit(to_unit, region)
        if place is not None:
            out.append(Trace(code, place, region))
    return tuple(out)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def groups(self, members: Iterable[int]) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in members:
            out[self.find(i)].append(i)
        return [sorted(g) for g in out.values() if len(g) > 1]


def _display(item: LinkInput) -> str:
    if not item.surname:
        return "?"
    return f"{normalise_name(item.surname)}, {normalise_name(item.given_names or '')}".rstrip(", ")


def _named(items: Sequence[LinkInput], with_identity: bool = True) -> str:
    parts = []
    for it in items:
        page = f" p.{it.page + 1}" if it.page else ""
        parts.append(f"{it.source}{page} ({_display(it)})" if with_identity else it.source + page)
    return ", ".join(parts)


def _member(item: LinkInput, region: Box | None) -> LinkMember:
    return LinkMember(item.source, item.page, region or item.document_region, _display(item))


def close_pairs(
    prints: Sequence[PortraitPrint], min_similarity: float, chunk: int = 1024
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, whose embeddings are at least ``min_similarity``
    alike (:func:`~docfraud.imaging.portrait.similarity`), by blocked matrix products."""
    if len(prints) < 2:
        return []
    vectors = np.stack([p.vector for p in prints])
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(vectors), chunk):
        alike = vectors[start : start + chunk] @ vectors.T >= min_similarity
        rows, cols = np.nonzero(alike)
        for r, c in zip((rows + start).tolist(), cols.tolist(), strict=True):
            if r < c:
                pairs.append((r, c))
    return pairs


def _same_number(items: Sequence[LinkInput]) -> list[LinkCluster]:
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.issuing_state and it.document_number:
            key = number_key(it.document_number)
            if key:
                by_key[(normalise_number(it.issuing_state), key)].append(i)
    clusters = []
    for (state, _), idx in sorted(by_key.items()):
        members = [items[i] for i in idx]
        readings = Counter(normalise_number(m.document_number or "") for m in members)
        number = min(readings, key=lambda r: (-readings[r], r))  # as most members read it
        identities = {identity_key(m) or f"?{k}" for k, m in enumerate(members)}
        files = {m.source for m in members}
        if len(identities) < 2 and len(files) < 2:
            continue  # one document's pages
        if len(identities) >= 2:
            severity = Severity.CRITICAL
            message = (
                f"Document number {number} of {state} appears on {len(members)} documents of "
                f"different holders: {_named(members)}."
            )
        else:
            severity = Severity.INFO
            message = (
                f"Document number {number} of {state} appears in {len(files)} files with the "
                f"same holder (copies of one document?): {_named(members)}."
            )
        clusters.append(
            LinkCluster(
                LinkCode.SAME_NUMBER,
                severity,
                message,
                tuple(_member(m, m.number_region) for m in members),
                f"{state} {number}",
            )
        )
    return clusters


def _same_portrait(items: Sequence[LinkInput], min_similarity: float) -> list[LinkCluster]:
    idx = [i for i, it in enumerate(items) if it.portrait is not None and identity_key(it)]
    prints = [p for i in idx if (p := items[i].portrait) is not None]
    uf = _UnionFind(len(idx))
    for a, b in close_pairs(prints, min_similarity):
        uf.union(a, b)
    clusters = []
    for group in uf.groups(range(len(idx))):
        members = [items[idx[k]] for k in group]
        if len({identity_key(m) for m in members}) < 2:
            continue  # one person's documents with one photo: nothing to see
        message = (
            f"The same portrait appears on {len(members)} documents with different identities: "
            f"{_named(members)}."
        )
        clusters.append(
            LinkCluster(
                LinkCode.SAME_PORTRAIT,
                Severity.CRITICAL,
                message,
                tuple(_member(m, m.portrait_region) for m in members),
                prints[group[0]].hash.hex(),
            )
        )
    return clusters


def _same_identity(items: Sequence[LinkInput], max_similarity: float) -> list[LinkCluster]:
    by_identity: dict[str, list[LinkInput]] = defaultdict(list)
    for it in items:
        key = identity_key(it)
        if key and it.portrait is not None:
            by_identity[key].append(it)
    clusters = []
    for key, members in sorted(by_identity.items()):
        far = any(
            similarity(a.portrait, b.portrait) < max_similarity
            for k, a in enumerate(members)
            for b in members[k + 1 :]
            if a.portrait is not None and b.portrait is not None
        )
        if not far:
            continue
        surname, given, born = key.split("|")
        message = (
            f"{surname}, {given} (born {born}) appears with different portraits on "
            f"{len(members)} documents: {_named(members, with_identity=False)}. Renewals take new "
            "photos; compare the faces."
        )
        clusters.append(
            LinkCluster(
                LinkCode.SAME_IDENTITY_DIFFERENT_PORTRAIT,
                Severity.WARNING,
                message,
                tuple(_member(m, m.portrait_region) for m in members),
                key,
            )
        )
    return clusters


def _overlap(a: Unit, b: Unit) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
    return w * h / union if union > 0 else 0.0


def _shared_trace(a: LinkInput, b: LinkInput) -> Trace | None:
    """``a``'s trace that ``b`` has too (same code, same place), or None."""
    for ta in a.traces:
        for tb in b.traces:
            if ta.code == tb.code and _overlap(ta.place, tb.place) >= SAME_TRACE_IOU:
                return ta
    return None


def _one_design(a: LinkInput, b: LinkInput) -> bool:
    if a.portrait_place is None or b.portrait_place is None:
        return False
    return (
        abs(a.portrait_place[0] - b.portrait_place[0]) <= SAME_PLACE
        and abs(a.portrait_place[1] - b.portrait_place[1]) <= SAME_PLACE
    )


def _shared_tampering(items: Sequence[LinkInput]) -> list[LinkCluster]:
    by_design: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.traces and it.issuing_state and it.mrz_format and it.portrait_place:
            by_design[(normalise_number(it.issuing_state), it.mrz_format)].append(i)
    uf = _UnionFind(len(items))
    shared: dict[int, set[str]] = defaultdict(set)
    for idx in by_design.values():
        for k, i in enumerate(idx):
            for j in idx[k + 1 :]:
                a, b = items[i], items[j]
                trace = _shared_trace(a, b) if a.source != b.source else None
                if trace is not None and _one_design(a, b):
                    uf.union(i, j)
                    shared[i].add(trace.code)
                    shared[j].add(trace.code)
    clusters = []
    for group in uf.groups(i for idx in by_design.values() for i in idx):
        members = [items[i] for i in group]
        codes = sorted(set().union(*(shared[i] for i in group)))
        state, mrz_format = normalise_number(members[0].issuing_state or ""), members[0].mrz_format
        message = (
            f"{len(members)} documents of one design ({state}, {mrz_format}, the portrait at the "
            f"same place) carry the same trace of tampering at the same place "
            f"({', '.join(codes)}): {_named(members)}. They may come from one forger; compare "
            "the altered areas."
        )
        regions = [
            next((t.region for t in m.traces if t.code in codes), m.document_region)
            for m in members
        ]
        clusters.append(
            LinkCluster(
                LinkCode.SHARED_TAMPERING,
                Severity.WARNING,
                message,
                tuple(_member(m, r) for m, r in zip(members, regions, strict=True)),
                f"{state} {mrz_format} {' '.join(codes)}",
            )
        )
    return clusters


def find_links(
    documents: Sequence[LinkInput],
    *,
    same_portrait: float,
    different_portrait: float = DIFFERENT_PORTRAIT_SIMILARITY,
) -> list[LinkCluster]:
    """Every link cluster among ``documents``, most severe first.

    Args:
        documents: one entry per analysed page.
        same_portrait: portraits at least this alike are one photo
            (:func:`same_portrait_similarity` for the committed model).
        different_portrait: one identity's portraits less alike than this are different photos.
    """
    clusters = (
        _same_portrait(documents, same_portrait)
        + _same_number(documents)
        + _same_identity(documents, different_portrait)
        + _shared_tampering(documents)
    )
    return sorted(clusters, key=lambda c: (-c.severity, c.code.value, c.key))
