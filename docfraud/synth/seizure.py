"""A generated seizure: many unrelated documents plus planted links, with the links' ground truth.

What investigators look for across a seizure (issue 7) is planted here on purpose:

- ``same_portrait``: one photo (the same face seed *and* shot seed, so the same picture) printed on
  two or three documents of different identities (names, birth dates, numbers);
- ``same_number``: one issuing state and document number on two or three documents of different
  people (each with their own face);
- ``same_workshop`` (``workshop_share``, after the others): two or three documents of one
  template and one issuing state, each of its own holder, whose portraits one forger replaced
  the same way (one of the portrait forgery types of :mod:`docfraud.synth.tamper`, drawn per
  group, with a new face on each).

Every other document is unrelated, and generation makes sure of it: no two unrelated documents
share a face seed, a (state, number) pair or an identity (names and birth date). Documents are
drawn in one seeded sequence (the links tie items together, so an item is not a function of its
index alone); rendering and capture then use per-document streams, through the same renderers
and capture simulation as :mod:`docfraud.synth.dataset`.

``manifest.json`` lists every document (its files, template, holder fields, face and shot seeds,
and the portrait's box in each captured image) and the planted ``links`` as groups of files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from docfraud.parallel import process_pool
from docfraud.synth.capture import capture, encode, warp_box
from docfraud.synth.dataset import ADULTS, DOCUMENT_KINDS, _fields, default_holdout
from docfraud.synth.documents import render_document, sides
from docfraud.synth.people import STATES, random_document, random_person, random_state
from docfraud.synth.portraits import render_portrait
from docfraud.synth.records import DocKind, DocumentData, Page, Person
from docfraud.synth.tamper import ForgeryType, forge
from docfraud.synth.templates import TEMPLATES, TemplateSpec

GENERATOR_VERSION = "2"
SCAN_DATE = date(2026, 6, 1)
GROUP_SIZES = (2, 3)
LINK_TYPES = ("same_portrait", "same_number", "same_workshop")
WORKSHOP_FORGERIES = (
    ForgeryType.PORTRAIT_REPHOTO,
    ForgeryType.PORTRAIT_COLOUR_MATCHED,
    ForgeryType.PORTRAIT_BLEND,
)
_MAX_DRAWS = 200


@dataclass(frozen=True, slots=True)
class _Item:
    """One document to render: its data, design and photo, and its planted group (if any)."""

    index: int
    data: DocumentData
    template: TemplateSpec
    shot_seed: int
    link: int | None = None
    forgery: ForgeryType | None = None
    """What the group's forger did to the portrait (``same_workshop``)."""


def portrait_templates(templates: Sequence[TemplateSpec]) -> tuple[TemplateSpec, ...]:
    """Designs whose portrait is on the MRZ's side (a TD1 card's portrait is on its front, the
    MRZ on its back, so one image does not give both the face and the identity)."""
    return tuple(t for t in templates if t.portrait.side is t.mrz_side)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _state(code: str) -> tuple[str, str, str, tuple[str, ...]]:
    return next(s for s in STATES if s[0] == code)


class _Drawer:
    """Draws documents whose faces, numbers and identities are unique in the seizure."""

    def __init__(self, rng: np.random.Generator, templates: Sequence[TemplateSpec]) -> None:
        self.rng = rng
        self.templates = tuple(templates)
        self.faces: set[int] = set()
        self.numbers: set[tuple[str, str]] = set()
        self.identities: set[tuple[str, str, date]] = set()

    def _fresh(self, data: DocumentData, *, face: bool = True, number: bool = True) -> bool:
        h = data.holder
        return (
            (not face or h.face_seed not in self.faces)
            and (not number or (data.issuing_state, data.document_number) not in self.numbers)
            and (h.surname, h.given_names, h.birth_date) not in self.identities
        )

    def _keep(self, data: DocumentData) -> DocumentData:
        h = data.holder
        self.faces.add(h.face_seed)
        self.numbers.add((data.issuing_state, data.document_number))
        self.identities.add((h.surname, h.given_names, h.birth_date))
        return data

    def template(self, options: Sequence[TemplateSpec] | None = None) -> TemplateSpec:
        pool = tuple(options) if options else self.templates
        return pool[int(self.rng.integers(0, len(pool)))]

    def _person(self, state: tuple[str, str, str, tuple[str, ...]] | None = None) -> Person:
        return random_person(
            self.rng, state or random_state(self.rng), born_between=(ADULTS[0], ADULTS[1])
        )

    def _document(self, template: TemplateSpec, holder: Person) -> DocumentData:
        return random_document(
            self.rng, template.kind, holder, scan_date=SCAN_DATE, mrz_format=template.mrz_format
        )

    def unrelated(self, template: TemplateSpec) -> DocumentData:
        for _ in range(_MAX_DRAWS):
            data = self._document(template, self._person())
            if self._fresh(data):
                return self._keep(data)
        raise RuntimeError("could not draw a unique document")

    def same_photo(self, template: TemplateSpec, base: DocumentData) -> DocumentData:
        """Another identity (names, birth date, number) printed with ``base``'s photo: same
        face seed, same sex and the same age at issue, so the renderer draws the same face."""
        age = _age(base.holder.birth_date, base.issue_date)
        for _ in range(_MAX_DRAWS):
            holder = replace(self._person(), sex=base.holder.sex, face_seed=base.holder.face_seed)
            data = self._document(template, holder)
            if (data.issue_date.month, data.issue_date.day) == (2, 29):
                continue  # no 29 February in most years before
            year_before = data.issue_date.replace(year=data.issue_date.year - age - 1)
            birth = year_before + timedelta(days=int(self.rng.integers(1, 365)))
            if _age(birth, data.issue_date) != age:
                continue
            data = replace(data, holder=replace(data.holder, birth_date=birth))
            if self._fresh(data, face=False) and data.holder.surname != base.holder.surname:
                return self._keep(data)
        raise RuntimeError("could not draw a document for a shared photo")

    def same_design(self, template: TemplateSpec, state: str) -> DocumentData:
        """A document of its own holder on ``template``, issued by ``state``."""
        for _ in range(_MAX_DRAWS):
            data = self._document(template, self._person(_state(state)))
            data = replace(data, issuing_state=state)
            if self._fresh(data):
                return self._keep(data)
        raise RuntimeError("could not draw a document of one design")

    def same_number(self, base: DocumentData) -> tuple[TemplateSpec, DocumentData]:
        """A document of another person (own face) with ``base``'s state and number, on a
        design of the same kind."""
        options = [t for t in self.templates if t.kind is base.kind]
        for _ in range(_MAX_DRAWS):
            template = self.template(options)
            if base.kind in (DocKind.PASSPORT, DocKind.ID_CARD):
                state = _state(base.issuing_state)
            else:  # visas and permits go to foreigners
                others = [s for s in STATES if s[0] != base.issuing_state]
                state = others[int(self.rng.integers(0, len(others)))]
            data = self._document(template, self._person(state))
            data = replace(
                data, issuing_state=base.issuing_state, document_number=base.document_number
            )
            if self._fresh(data, number=False):
                return template, self._keep(data)
        raise RuntimeError("could not draw a document for a shared number")


def _plan(
    count: int,
    seed: int,
    planted_share: float,
    templates: Sequence[TemplateSpec],
    workshop_share: float = 0.0,
) -> tuple[list[_Item], list[dict[str, Any]]]:
    """The documents in order, planted groups spread among the unrelated ones; then the
    workshops' batches, drawn from a stream of their own so that the first ``count`` documents
    are the same with or without them."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5E12]))
    drawer = _Drawer(rng, templates)
    with_portrait = portrait_templates(templates)
    budget = int(round(count * planted_share))
    groups: list[tuple[str, int]] = []
    while budget >= GROUP_SIZES[0]:
        size = min(int(rng.choice(GROUP_SIZES)), budget)
        kind = LINK_TYPES[len(groups) % 2]
        if kind == "same_portrait" and not with_portrait:
            kind = "same_number"
        groups.append((kind, size))
        budget -= size
    slots = [-1] * (count - sum(size for _, size in groups))
    for g, (_, size) in enumerate(groups):
        slots += [g] * size
    order = rng.permutation(len(slots))
    slots = [slots[k] for k in order]
    bases: dict[int, tuple[DocumentData, int]] = {}
    items: list[_Item] = []
    for index, g in enumerate(slots):
        if g < 0:
            template = drawer.template()
            data, shot = drawer.unrelated(template), int(rng.integers(0, 2**31))
        elif g not in bases:
            kind = groups[g][0]
            template = drawer.template(with_portrait if kind == "same_portrait" else None)
            data, shot = drawer.unrelated(template), int(rng.integers(0, 2**31))
            bases[g] = (data, shot)
        elif groups[g][0] == "same_portrait":
            template = drawer.template(with_portrait)
            base, shot = bases[g]
            data = drawer.same_photo(template, base)
        else:
            base, _ = bases[g]
            template, data = drawer.same_number(base)
            shot = int(rng.integers(0, 2**31))
        items.append(_Item(index, data, template, shot, None if g < 0 else g))
    links: list[dict[str, Any]] = [{"type": kind, "size": size} for kind, size in groups]
    if with_portrait:
        drawer.rng = np.random.default_rng(np.random.SeedSequence([seed, 0x3057]))
        _plan_workshops(drawer, with_portrait, int(round(count * workshop_share)), items, links)
    return items, links


def _plan_workshops(
    drawer: _Drawer,
    designs: Sequence[TemplateSpec],
    budget: int,
    items: list[_Item],
    links: list[dict[str, Any]],
) -> None:
    """Append ``same_workshop`` batches of about ``budget`` documents to ``items``: each of one
    design and issuing state, its portraits replaced with one forgery type."""
    rng = drawer.rng
    while budget >= GROUP_SIZES[0]:
        size = min(int(rng.choice(GROUP_SIZES)), budget)
        budget -= size
        g = len(links)
        forgery = WORKSHOP_FORGERIES[int(rng.integers(0, len(WORKSHOP_FORGERIES)))]
        template = drawer.template(designs)
        first = drawer.unrelated(template)
        for k in range(size):
            data = first if k == 0 else drawer.same_design(template, first.issuing_state)
            shot = int(rng.integers(0, 2**31))
            items.append(_Item(len(items), data, template, shot, g, forgery))
        links.append({"type": "same_workshop", "size": size, "forgery": forgery.value})


def _warp_corners(box: tuple[int, int, int, int], homography: Any) -> list[list[float]]:
    """The box's corners (top-left, top-right, bottom-right, bottom-left) in the capture."""
    x, y, w, h = box
    pts = np.array([[[x, y], [x + w, y], [x + w, y + h], [x, y + h]]], np.float64)
    warped = cv2.perspectiveTransform(pts, np.asarray(homography, np.float64))[0]
    return [[round(float(px), 1), round(float(py), 1)] for px, py in warped]


def _render(args: tuple[_Item, int, str]) -> dict[str, Any]:
    """Render, capture and write one document; returns its manifest entry."""
    item, seed, out = args
    cv2.setNumThreads(1)
    render_rng, capture_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence([seed, item.index, 1]).spawn(2)
    )
    stem = f"{item.index:06d}"
    files: list[dict[str, Any]] = []
    for side in sides(item.template):
        page = render_document(render_rng, item.data, item.template, side, item.shot_seed)
        if item.forgery is not None and side is item.template.portrait.side:
            page = _replace_portrait(page, item, seed)
        shot = capture(capture_rng, page.rgb)
        data, ext = encode(capture_rng, shot.rgb, shot.mode)
        name = f"images/{stem}_{side.value}.{ext}"
        (Path(out) / name).write_bytes(data)
        portrait = page.zone("portrait")
        mrz = page.zone("mrz")
        files.append(
            {
                "file": name,
                "side": side.value,
                "capture": shot.mode.value,
                "portrait_box": list(warp_box(portrait.box, shot)) if portrait else None,
                "portrait_quad": _warp_corners(portrait.box, shot.homography) if portrait else None,
                "mrz": mrz.text.split("\n") if mrz else None,
            }
        )
    return {
        "id": stem,
        "template": item.template.name,
        "kind": item.data.kind.value,
        "files": files,
        "fields": _fields(item.data),
        "face_seed": item.data.holder.face_seed,
        "shot_seed": item.shot_seed,
        "link": item.link,
        "forgery": item.forgery.value if item.forgery else None,
    }


def _replace_portrait(page: Page, item: _Item, seed: int) -> Page:
    """The page with its portrait replaced by a new face, the way ``item.forgery`` says."""
    assert item.forgery is not None
    rng = np.random.default_rng(np.random.SeedSequence([seed, item.index, 2]))
    portrait = page.zone("portrait")
    assert portrait is not None  # workshop designs carry the portrait on this side
    _, _, w, h = portrait.box
    face = render_portrait(int(rng.integers(0, 2**31)), int(rng.integers(0, 2**31)), (w, h))
    return forge(rng, page, item.forgery, data=item.data, new_face=face).page


def default_templates() -> tuple[TemplateSpec, ...]:
    """Every document template except the held-out ones (:func:`dataset.default_holdout`)."""
    held = set(default_holdout())
    return tuple(t for t in TEMPLATES if t.kind in DOCUMENT_KINDS and t.name not in held)


def generate_seizure(
    out: Path | str,
    count: int,
    seed: int,
    planted_share: float = 0.1,
    *,
    workshop_share: float = 0.0,
    templates: Sequence[str] | None = None,
    workers: int = 2,
) -> dict[str, Any]:
    """Write a seizure of ``count`` documents into ``out``; returns the manifest (also written).

    Args:
        out: folder; images go to ``out/images``, the manifest to ``out/manifest.json``.
        count: documents (a card gives two images, front and back).
        seed: the whole seizure is a function of it.
        planted_share: share of the documents that are members of planted link groups (groups of
            2 or 3, alternately ``same_portrait`` and ``same_number``).
        workshop_share: ``same_workshop`` batches (groups of 2 or 3) of about this share of
            ``count`` documents, added after the ``count`` others (which stay as they are).
        templates: template names (default: :func:`default_templates`, held-out ones excluded).
        workers: processes rendering and capturing (1: in this process).

    Returns:
        The manifest: ``documents`` (one entry per document with its ``files``) and ``links``
        (``type``, ``documents``, ``files``: the images that show the link, i.e. the portrait's
        image for ``same_portrait`` and ``same_workshop``, the MRZ's image for ``same_number``;
        ``forgery`` for ``same_workshop``).
    """
    out = Path(out)
    (out / "images").mkdir(parents=True, exist_ok=True)
    chosen = (
        tuple(t for t in TEMPLATES if t.name in set(templates))
        if templates
        else default_templates()
    )
    if not chosen:
        raise ValueError("no template matches the requested names")
    items, links = _plan(count, seed, planted_share, chosen, workshop_share)
    documents = list(_run(((item, seed, str(out)) for item in items), workers))
    for g, link in enumerate(links):
        members = [d for d in documents if d["link"] == g]
        key = "mrz" if link["type"] == "same_number" else "portrait_box"
        link["documents"] = [d["id"] for d in members]
        link["files"] = [f["file"] for d in members for f in d["files"] if f[key] is not None]
    manifest = {
        "generator": "docfraud.synth.seizure",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "count": count,
        "planted_share": planted_share,
        "workshop_share": workshop_share,
        "scan_date": SCAN_DATE.isoformat(),
        "templates": [t.name for t in chosen],
        "images": sum(len(d["files"]) for d in documents),
        "links": links,
        "documents": documents,
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def _run(jobs: Iterator[tuple[_Item, int, str]], workers: int) -> Iterator[dict[str, Any]]:
    if workers <= 1:
        yield from map(_render, jobs)
        return
    with process_pool(workers) as pool:
        yield from pool.map(_render, jobs, chunksize=4)
