"""``docfraud synth``: write a labelled synthetic data set (images, labels.jsonl, manifest).

Every item is a pure function of ``(seed, index)``: its own :class:`numpy.random.SeedSequence`
spawns independent streams for the content, the forgery decision and the capture. The capture
stream never depends on whether the item is forged, so genuine and forged images go through
identically distributed scans, light boxes and phone photos and share no file-level cue.

Splits: whole templates are held out (``test_template``) and one forgery type is held out
(``test_forgery``), so evaluation measures generalisation to unseen layouts and manipulations.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from docfraud import __version__
from docfraud.mrz.parse import parse_mrz
from docfraud.mrz.spec import check_spans
from docfraud.parallel import process_pool
from docfraud.progress import Progress
from docfraud.synth.capture import Captured, capture, encode, warp_box, warp_mask
from docfraud.synth.cases import CaseData, random_case
from docfraud.synth.documents import render_document, sides
from docfraud.synth.letters import LETTER_TEMPLATES, render_letter
from docfraud.synth.people import random_document, random_person, random_state
from docfraud.synth.portraits import render_portrait
from docfraud.synth.records import DocKind, DocumentData, Page, Side
from docfraud.synth.tamper import Forgery, ForgeryType, applicable, forge
from docfraud.synth.templates import TEMPLATES, TemplateSpec

GENERATOR_VERSION = "1"
"""Bump when the same seed would produce different data (recorded in every manifest)."""
DOCUMENT_KINDS = (DocKind.PASSPORT, DocKind.ID_CARD, DocKind.VISA, DocKind.RESIDENCE_PERMIT)
DEFAULT_HOLDOUT_FORGERY = ForgeryType.COPY_MOVE
ADULTS = (date(1940, 1, 1), date(2006, 1, 1))


@dataclass(frozen=True, slots=True)
class SynthConfig:
    out: Path
    count: int
    seed: int = 0
    kinds: tuple[DocKind, ...] = DOCUMENT_KINDS
    templates: tuple[str, ...] = ()
    """Restrict to these template names (default: every template of the chosen kinds)."""
    cases: int = 0
    """Case bundles (child passport + adult passport + letter [+ parent ID]) added to ``count``."""
    forged_share: float = 0.5
    misprint_share: float = 0.0
    """Share of genuine documents whose issuer printed one check digit wrong
    (:func:`misprinted_check`); 0 leaves every generated set as it was."""
    planted_share: float = 0.5
    """Share of cases with planted inconsistencies."""
    holdout_templates: tuple[str, ...] | None = None
    """Template names for the ``test_template`` split (default: a fixed few, see the manifest)."""
    holdout_forgery: ForgeryType = DEFAULT_HOLDOUT_FORGERY
    scan_date: date = date(2026, 6, 1)
    """The reference day documents are valid on (fixed, so a seed means the same data forever)."""
    workers: int = 2
    sheet_items: int = 24
    """Items on the contact sheet (0: none)."""


@dataclass(frozen=True, slots=True)
class ImageRecord:
    """One written image and its labels (a line of labels.jsonl)."""

    id: str
    file: str
    document_id: str
    kind: str
    template: str
    side: str
    split: str
    label: str
    forgery: dict[str, Any] | None
    mrz: list[str] | None
    mrz_valid: bool | None
    fields: dict[str, str]
    zones: list[dict[str, Any]]
    capture: dict[str, str]
    case_id: str | None = None
    role: str | None = None
    planted: list[dict[str, str]] = field(default_factory=list)


def select_templates(config: SynthConfig) -> tuple[TemplateSpec, ...]:
    """The document templates of the requested kinds (and names, when given)."""
    return tuple(
        t
        for t in TEMPLATES
        if t.kind in config.kinds and (not config.templates or t.name in config.templates)
    )


def default_holdout() -> tuple[str, ...]:
    """The last passport template, the last card template and the last letter layout."""
    passports = [t.name for t in TEMPLATES if t.kind is DocKind.PASSPORT]
    cards = [t.name for t in TEMPLATES if t.kind in (DocKind.ID_CARD, DocKind.RESIDENCE_PERMIT)]
    return (passports[-1], cards[-1], LETTER_TEMPLATES[-1])


def _streams(seed: int, index: int, n: int) -> list[np.random.Generator]:
    return [np.random.default_rng(s) for s in np.random.SeedSequence([seed, index]).spawn(n)]


def _fields(data: DocumentData) -> dict[str, str]:
    h = data.holder
    return {
        "document_code": data.document_code,
        "issuing_state": data.issuing_state,
        "document_number": data.document_number,
        "surname": h.surname,
        "given_names": h.given_names,
        "sex": h.sex,
        "birth_date": h.birth_date.isoformat(),
        "birth_place": h.birth_place,
        "nationality": h.nationality,
        "issue_date": data.issue_date.isoformat(),
        "expiry_date": data.expiry_date.isoformat(),
        "authority": data.authority,
        "personal_number": data.personal_number,
    } | ({"misprinted_check": data.misprinted_check} if data.misprinted_check else {})


def _zones(page: Page, shot: Captured) -> list[dict[str, Any]]:
    return [
        {"name": z.name, "box": list(warp_box(z.box, shot)), "text": z.text}
        for z in page.zones
        if z.name != "label"
    ]


class _Writer:
    """Capture, encode and write one page; returns its record."""

    def __init__(self, out: Path) -> None:
        self.out = out

    def write(
        self,
        stem: str,
        page: Page,
        capture_rng: np.random.Generator,
        forgery: Forgery | None,
        base: dict[str, Any],
    ) -> ImageRecord:
        shot = capture(capture_rng, page.rgb)
        data, ext = encode(capture_rng, shot.rgb, shot.mode)
        name = f"images/{stem}.{ext}"
        (self.out / name).write_bytes(data)
        forgery_label = None
        if forgery is not None:
            mask = warp_mask(forgery.mask, shot)
            mask_name = f"masks/{stem}.png"
            ok, png = cv2.imencode(
                ".png", mask.astype(np.uint8) * 255, [cv2.IMWRITE_PNG_BILEVEL, 1]
            )
            if not ok:
                raise OSError(f"could not encode mask {mask_name}")
            (self.out / mask_name).write_bytes(png.tobytes())
            forgery_label = {
                "type": forgery.forgery_type.value,
                "fields": list(forgery.fields),
                "boxes": [list(warp_box(b, shot)) for b in forgery.boxes],
                "mask": mask_name,
                "details": dict(forgery.details),
            }
        mrz_zone = page.zone("mrz")
        mrz = mrz_zone.text.split("\n") if mrz_zone is not None else None
        if forgery is not None and forgery.mrz_lines is not None:
            mrz = list(forgery.mrz_lines)
        return ImageRecord(
            id=stem,
            file=name,
            template=page.template,
            side=page.side.value,
            kind=page.kind.value,
            label="forged" if forgery is not None else "genuine",
            forgery=forgery_label,
            mrz=mrz,
            mrz_valid=_mrz_valid(mrz),
            zones=_zones(page, shot),
            capture=dict(shot.params) | {"mode": shot.mode.value, "format": ext},
            **base,
        )


def _mrz_valid(lines: list[str] | None) -> bool | None:
    if lines is None:
        return None
    parsed = parse_mrz(lines)
    return None if parsed is None else bool(parsed.valid)


def holdout_templates(config: SynthConfig) -> tuple[str, ...]:
    """The templates of the ``test_template`` split: the configured ones, else the defaults."""
    return config.holdout_templates if config.holdout_templates is not None else default_holdout()


def _split(template: str, forgery: ForgeryType | None, config: SynthConfig) -> str:
    if template in holdout_templates(config):
        return "test_template"
    if forgery is config.holdout_forgery:
        return "test_forgery"
    return "train"


PORTRAIT_TYPES = frozenset(
    {ForgeryType.PORTRAIT_BLEND, ForgeryType.PORTRAIT_COLOUR_MATCHED, ForgeryType.PORTRAIT_REPHOTO}
)
DONOR_TYPES = frozenset({ForgeryType.CROP_REPLACE, ForgeryType.FOREIGN_BACKGROUND})


def _forge_page(
    rng: np.random.Generator,
    page: Page,
    data: DocumentData,
    donor_templates: Sequence[TemplateSpec],
    scan_date: date,
) -> Forgery | None:
    """One forgery, its type drawn evenly from those that apply to ``page``.

    What a type needs is made only when it is drawn: another person's face for a portrait
    substitution, another document (of another template of the same kind) for crop-and-replace
    and a foreign background.
    """
    types = applicable(page, bool(donor_templates))
    if not types:
        return None
    kind = types[int(rng.integers(0, len(types)))]
    new_face = donor = None
    portrait = page.zone("portrait")
    if kind in PORTRAIT_TYPES and portrait is not None:
        _, _, w, h = portrait.box
        new_face = render_portrait(int(rng.integers(0, 2**31)), int(rng.integers(0, 2**31)), (w, h))
    if kind in DONOR_TYPES:
        other = donor_templates[int(rng.integers(0, len(donor_templates)))]
        other_sides = sides(other)
        side = page.side if page.side in other_sides else other_sides[-1]
        donor_data = _random_document(rng, other, scan_date)
        donor = render_document(rng, donor_data, other, side, int(rng.integers(0, 2**31)))
    return forge(rng, page, kind, data=data, donor=donor, new_face=new_face)


def _random_document(
    rng: np.random.Generator, template: TemplateSpec, scan_date: date
) -> DocumentData:
    """A new person's document of ``template`` (also the donor of crop-and-replace forgeries)."""
    holder = random_person(rng, random_state(rng), born_between=(ADULTS[0], scan_date))
    return random_document(
        rng, template.kind, holder, scan_date=scan_date, mrz_format=template.mrz_format
    )


def make_document(
    index: int, config: SynthConfig, templates: Sequence[TemplateSpec], writer: _Writer
) -> list[ImageRecord]:
    """Item ``index``: one document (one image per side), genuine or forged."""
    # the fifth stream only draws misprints: the other four, and a set without them, stay as
    # they were before it existed
    content, decision, forgery_rng, capture_rng, misprint_rng = _streams(config.seed, index, 5)
    template = templates[int(content.integers(0, len(templates)))]
    data = _random_document(content, template, config.scan_date)
    shot_seed = int(content.integers(0, 2**31))
    forged = decision.random() < config.forged_share
    if not forged and config.misprint_share and misprint_rng.random() < config.misprint_share:
        data = replace(data, misprinted_check=misprinted_check(misprint_rng, data))
    pages = [render_document(content, data, template, side, shot_seed) for side in sides(template)]
    forged_side = -1
    forgery = None
    if forged:
        forged_side = int(decision.integers(0, len(pages)))
        others = [  # same kind and format, so the same size
            t
            for t in templates
            if (t.kind, t.mrz_format) == (template.kind, template.mrz_format)
            and t.name != template.name
        ]
        forgery = _forge_page(forgery_rng, pages[forged_side], data, others, config.scan_date)
    records = []
    for k, page in enumerate(pages):
        this = forgery if k == forged_side else None
        shown = this.page if this is not None else page
        records.append(
            writer.write(
                f"{index:06d}_{page.side.value}",
                shown,
                capture_rng,
                this,
                {
                    "document_id": f"{index:06d}",
                    "split": _split(template.name, this.forgery_type if this else None, config),
                    "fields": _fields(data),
                },
            )
        )
    return records


def misprinted_check(rng: np.random.Generator, data: DocumentData) -> str:
    """Which check digit of ``data``'s MRZ an issuer misprints: any over data that is not all
    filler. Genuine documents do carry wrong check digits (issuing errors; specimens, whose
    numbers are made up, often), so a failing check digit alone must not read as forgery."""
    lines = data.mrz_lines()
    spans = [
        s.name
        for s in check_spans(lines, data.mrz_format)
        if any(lines[ln][p] != "<" for ln, p in s.cells)
    ]
    return spans[int(rng.integers(0, len(spans)))]


def make_case(index: int, config: SynthConfig, writer: _Writer) -> list[ImageRecord]:
    """Item ``index``: a case bundle, one image per document side plus the letter.

    The images are genuine documents (label ``genuine``); what the case got wrong is in
    ``planted``, the same on every image of the case.
    """
    content, decision, _, capture_rng = _streams(config.seed, index, 4)
    case: CaseData = random_case(
        content,
        scan_date=config.scan_date,
        case_id=f"case{index:06d}",
        plant=decision.random() < config.planted_share,
    )
    planted = [{"type": kind, "detail": detail} for kind, detail in case.planted]
    pages: list[tuple[str, str, Page, DocumentData | None]] = []
    for role, data in case.documents():
        options = [t for t in TEMPLATES if (t.kind, t.mrz_format) == (data.kind, data.mrz_format)]
        template = options[int(content.integers(0, len(options)))]
        shot_seed = int(content.integers(0, 2**31))
        for side in sides(template):
            page = render_document(content, data, template, side, shot_seed)
            pages.append((f"{index:06d}_{role}", role, page, data))
    pages.append((f"{index:06d}_letter", "letter", render_letter(content, case.letter), None))
    records = []
    for document_id, role, page, shown in pages:
        suffix = f"_{page.side.value}" if page.side is not Side.PAGE else ""
        base = {
            "document_id": document_id,
            "split": _split(page.template, None, config),
            "fields": _fields(shown) if shown else {},
            "case_id": case.case_id,
            "role": role,
            "planted": planted,
        }
        records.append(writer.write(document_id + suffix, page, capture_rng, None, base))
    return records


def _work(args: tuple[int, SynthConfig]) -> list[dict[str, Any]]:
    index, config = args
    cv2.setNumThreads(1)  # parallelism comes from the worker processes
    writer = _Writer(config.out)
    if index < config.count:
        records = make_document(index, config, select_templates(config), writer)
    else:
        records = make_case(index, config, writer)
    return [asdict(r) for r in records]


def generate(config: SynthConfig) -> dict[str, Any]:
    """Write the data set into ``config.out``; returns the manifest (also written)."""
    for sub in ("images", "masks"):
        (config.out / sub).mkdir(parents=True, exist_ok=True)
    templates = select_templates(config)
    if config.count and not templates:
        raise ValueError("no template matches the requested kinds and template names")
    total = config.count + config.cases
    progress = Progress(total, "synth")
    counts: dict[str, Counter[str]] = {
        k: Counter() for k in ("kind", "template", "split", "forgery")
    }
    labels_path = config.out / "labels.jsonl"
    with labels_path.open("w", encoding="utf-8") as labels:
        for records in _run(config, total):
            for record in records:
                labels.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                counts["kind"][record["kind"]] += 1
                counts["template"][record["template"]] += 1
                counts["split"][record["split"]] += 1
                forgery = record["forgery"]
                counts["forgery"][forgery["type"] if forgery else "genuine"] += 1
            progress.update(key="case" if records and records[0]["case_id"] else "document")
    progress.close()
    manifest = {
        "generator": "docfraud.synth",
        "generator_version": GENERATOR_VERSION,
        "docfraud_version": __version__,
        "seed": config.seed,
        "documents": config.count,
        "cases": config.cases,
        "images": sum(counts["kind"].values()),
        "scan_date": config.scan_date.isoformat(),
        "forged_share": config.forged_share,
        "misprint_share": config.misprint_share,
        "templates": [t.name for t in templates],
        "holdout_templates": list(holdout_templates(config)),
        "holdout_forgery": config.holdout_forgery.value,
        "counts": {k: dict(sorted(v.items())) for k, v in counts.items()},
        "items_per_second": round(progress.rate, 2),
    }
    (config.out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    if config.sheet_items:
        write_contact_sheet(config.out, config.sheet_items)
    return manifest


def _run(config: SynthConfig, total: int) -> Iterator[list[dict[str, Any]]]:
    """Items in index order (so labels.jsonl is the same whatever the worker count)."""
    jobs = ((i, config) for i in range(total))
    if config.workers <= 1:
        yield from map(_work, jobs)
        return
    with process_pool(config.workers) as pool:
        yield from pool.map(_work, jobs, chunksize=4)


def write_contact_sheet(out: Path, items: int, thumb_w: int = 240, columns: int = 6) -> Path:
    """A PNG grid of the first ``items`` images with forged regions outlined in red."""
    records = []
    with (out / "labels.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            records.append(json.loads(line))
            if len(records) >= items:
                break
    thumbs = []
    for record in records:
        image = cv2.imread(str(out / record["file"]), cv2.IMREAD_COLOR)
        if image is None:
            raise OSError(f"cannot read back {record['file']}")
        scale = thumb_w / image.shape[1]
        thumb = cv2.resize(image, (thumb_w, max(1, round(image.shape[0] * scale))))
        for x, y, w, h in (record["forgery"] or {}).get("boxes", []):
            p0 = (round(x * scale), round(y * scale))
            p1 = (round((x + w) * scale), round((y + h) * scale))
            cv2.rectangle(thumb, p0, p1, (0, 0, 255), 2)
        caption = f"case {record['role']}" if record["case_id"] else record["label"]
        if record["forgery"]:
            caption = record["forgery"]["type"]
        cv2.putText(thumb, caption, (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 255), 1)
        thumbs.append(thumb)
    rows = math.ceil(len(thumbs) / columns)
    cell_h = max((t.shape[0] for t in thumbs), default=1)
    sheet: npt.NDArray[np.uint8] = np.full(
        (rows * (cell_h + 8), columns * (thumb_w + 8), 3), 255, np.uint8
    )
    for k, thumb in enumerate(thumbs):
        r, c = divmod(k, columns)
        y, x = r * (cell_h + 8), c * (thumb_w + 8)
        sheet[y : y + thumb.shape[0], x : x + thumb.shape[1]] = thumb
    path = out / "contact_sheet.png"
    cv2.imwrite(str(path), sheet)
    return path
