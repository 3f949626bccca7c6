"""Visual-zone benchmark: printed fields read exactly, per field, on unseen and seen layouts.

Three sets, each image read as the pipeline reads it (MRZ reader, document outline, then
``read_viz``):

1. held-out synthetic templates (``td3_slate_right``, ``td2_plum_permit``), generated fresh with a
   seed used nowhere else: layouts the reader was never developed on;
2. a development set of the other synthetic templates, for comparison;
3. the shared specimens with ``viz`` fields in truth.json (skipped with a reason where absent).

A field is exact when: names and places, the same text after whitespace normalisation,
case-insensitive, diacritics included (the share exact after ICAO transliteration is reported
separately); dates, the same calendar date; sex, the same M/F/X; codes and numbers, the same text
(spaces ignored for numbers). A field printed but not returned counts as wrong. Seconds are
``read_viz`` per image (median), MRZ reading excluded.

A synthetic document's images (a card's front and back) are presented together, as an officer
presents a card (``docfraud case``, a two-page input): a front without an MRZ is read again with
its back's MRZ where :func:`~docfraud.ocr.viz.read_card_front` takes it, the two readings timed
together. The figure for each image read alone, as before this pairing, is reported beside it.

    .venv/bin/python bench/viz.py --out bench/results/viz.md

For development use another development seed than the default (23, measured only) and
``--dump`` to see each development document's misses; the held-out set is never dumped:

    .venv/bin/python bench/viz.py --parts dev --dev-seed 24 --dump /tmp/viz.jsonl
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docfraud.ocr.viz import FIELDS

ROOT = Path(__file__).resolve().parents[1]
SPECIMENS = ROOT.parent / "shared" / "data" / "specimens"
HELD_OUT = ("td3_slate_right", "td2_plum_permit")
NAMES = ("surname", "given_names", "birth_place", "authority")
DATES = ("birth_date", "issue_date", "expiry_date")
SPECIMEN_KEYS = {
    "surname": "surname",
    "given_names": "given_names",
    "document_number": "document_number",
    "nationality": "nationality",
    "date_of_birth": "birth_date",
    "place_of_birth": "birth_place",
    "sex": "sex",
    "date_of_issue": "issue_date",
    "date_of_expiry": "expiry_date",
    "authority": "authority",
    "personal_number": "personal_number",
}
SCAN_DATE = date(2026, 6, 1)


@dataclass
class Tally:
    exact: Counter[str] = field(default_factory=Counter)
    translit: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)

    def add(self, name: str, good: bool, good_translit: bool) -> None:
        self.total[name] += 1
        self.exact[name] += good
        self.translit[name] += good_translit

    def share(self, name: str | None = None, translit: bool = False) -> str:
        counts = self.translit if translit else self.exact
        got = sum(counts.values()) if name is None else counts[name]
        total = sum(self.total.values()) if name is None else self.total[name]
        return f"{got}/{total} ({100 * got / total:.1f} %)" if total else "–"


def _space(text: str) -> str:
    return " ".join(text.split())


def _compare(name: str, got: Any, truth_text: str, truth_value: str | None) -> tuple[bool, bool]:
    """(exact, exact after ICAO transliteration) for one field; ``got`` a FieldReading."""
    from docfraud.ocr.viz import parse_sex
    from docfraud.text.dates import parse_date
    from docfraud.text.translit import to_mrz

    if got is None:
        return False, False
    if name in DATES:
        expect = date.fromisoformat(truth_value) if truth_value else None
        want = parse_date(truth_text, expect=expect) if expect is None else expect
        ok = want is not None and got.value == want.isoformat()
        return ok, ok
    if name == "sex":
        ok = got.value is not None and got.value == (truth_value or parse_sex(truth_text))
        return ok, ok
    if name in NAMES:
        ok = _space(got.text).casefold() == _space(truth_text).casefold()
        try:
            same = to_mrz(got.text) == to_mrz(truth_text)
        except ValueError:
            same = ok
        return ok, ok or same
    if name in ("document_number", "personal_number"):
        ok = got.text.replace(" ", "") == truth_text.replace(" ", "")
        return ok, ok
    ok = _space(got.text).upper() == _space(truth_text).upper()
    return ok, ok


@dataclass
class Page:
    """One image as the pipeline reads it: what ``read_viz`` needs, and what it read alone."""

    bgr: Any
    outline: Any
    mrz: Any
    """The MRZ's data where one was read, else None."""
    viz: Any
    seconds: float


class Reader:
    """The pipeline's MRZ reader and outline, then read_viz, on one image file."""

    def __init__(self) -> None:
        from docfraud.ocr.recognizer import RecognizerKind, create_recognizer

        self.recognizer = create_recognizer(RecognizerKind.GLYPH)

    def __call__(self, path: Path) -> tuple[Any, float]:
        page = self.page(path)
        return page.viz, page.seconds

    def page(self, path: Path) -> Page:
        import cv2
        import numpy as np

        from docfraud.imaging.rectify import locate_document
        from docfraud.mrz.read import read_mrz
        from docfraud.ocr.viz import read_viz
        from docfraud.pipeline import document_mrz

        loaded = cv2.imread(str(path))
        if loaded is None:
            raise SystemExit(f"cannot read {path}")
        bgr = np.asarray(loaded, np.uint8)
        gray = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), np.uint8)
        mrz = document_mrz(gray, read_mrz(gray, self.recognizer, SCAN_DATE))
        outline = locate_document(
            gray,
            mrz.candidate if mrz else None,
            mrz.format.value if mrz and mrz.format else None,
            faint_edges=True,  # as the pipeline locates identity documents
        )
        data = mrz.data if mrz else None
        t0 = time.perf_counter()
        viz = read_viz(bgr, outline, data)
        return Page(bgr, outline, data, viz, time.perf_counter() - t0)

    def document(self, paths: list[Path]) -> list[tuple[Page, Any]]:
        """Each side of one document presented together, as ``docfraud case`` and a multi-page
        input present them: a side without an MRZ (a card's front) is read again with the MRZ
        of the other side where the pipeline would (:func:`~docfraud.ocr.viz.read_card_front`),
        the second reading timed with the first. (page, reading) per path."""
        from docfraud.ocr.viz import read_card_front
        from docfraud.pipeline import plausible_mrz

        pages = [self.page(path) for path in paths]
        backs = [p.mrz for p in pages if p.mrz is not None and plausible_mrz(p.mrz)]
        out = []
        for page in pages:
            viz = page.viz
            if page.mrz is None and backs:
                t0 = time.perf_counter()
                viz, _ = read_card_front(page.bgr, page.outline, page.viz, backs)
                page.seconds += time.perf_counter() - t0
            out.append((page, viz))
        return out


def run_synthetic(
    read: Reader, folder: Path, dump: list[dict[str, Any]] | None = None
) -> tuple[Tally, Tally]:
    """Tally every printed field, each document's sides presented together, and each image read
    alone (the card fronts without their back's MRZ); with ``dump``, append each image's misses
    (sides together) to it."""
    together, alone = Tally(), Tally()
    items = [json.loads(x) for x in (folder / "labels.jsonl").read_text("utf-8").splitlines()]
    documents: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        documents.setdefault(item["document_id"], []).append(item)
    for sides in documents.values():
        readings = read.document([folder / item["file"] for item in sides])
        for item, (page, viz) in zip(sides, readings, strict=True):
            together.seconds.append(page.seconds)
            misses = {}
            for zone in item["zones"]:
                name = zone["name"]
                if name not in FIELDS or not zone["text"]:
                    continue
                truth_value = item["fields"].get(name) if name in DATES or name == "sex" else None
                got = viz.get(name)
                exact, translit = _compare(name, got, zone["text"], truth_value)
                together.add(name, exact, translit)
                alone.add(name, *_compare(name, page.viz.get(name), zone["text"], truth_value))
                if not exact:
                    misses[name] = {"truth": zone["text"], "read": got.text if got else None}
            if dump is not None:
                dump.append(
                    {"file": item["file"], "template": item.get("template"), "misses": misses}
                )
    return together, alone


def run_specimens(read: Reader) -> tuple[Tally, list[tuple[str, Tally]]] | str:
    truth_path = SPECIMENS / "truth.json"
    if not truth_path.is_file():
        return f"skipped: shared specimens not found at {SPECIMENS}"
    overall, per_file = Tally(), []
    for item in json.loads(truth_path.read_text(encoding="utf-8")):
        fields = {
            SPECIMEN_KEYS[k]: str(v) for k, v in item.get("viz", {}).items() if k in SPECIMEN_KEYS
        }
        if not fields:
            continue
        viz, seconds = read(SPECIMENS / item["file"])
        tally = Tally(seconds=[seconds])
        overall.seconds.append(seconds)
        mrz_dates = _specimen_mrz_dates(item)
        for name, text in fields.items():
            truth_value = mrz_dates.get(name) if name in DATES else None
            if name in DATES:
                from docfraud.text.dates import parse_date

                expect = date.fromisoformat(truth_value) if truth_value else None
                parsed = parse_date(text, expect=expect)
                truth_value = parsed.isoformat() if parsed else None
                if truth_value is None:
                    continue  # a printed date the parser cannot read is no test of the reader
            result = _compare(name, viz.get(name), text, truth_value)
            tally.add(name, *result)
            overall.add(name, *result)
        per_file.append((str(item["file"]), tally))
    return overall, per_file


def _specimen_mrz_dates(item: dict[str, Any]) -> dict[str, str]:
    """Birth and expiry dates from the truth MRZ (only to pick the century of 2-digit years)."""
    from docfraud.mrz.parse import parse_mrz

    try:
        data = parse_mrz([str(x) for x in item["mrz"]], SCAN_DATE)
    except (TypeError, ValueError):
        return {}
    out = {}
    if data is not None and data.birth_date:
        out["birth_date"] = data.birth_date.isoformat()
    if data is not None and data.expiry_date:
        out["expiry_date"] = data.expiry_date.isoformat()
    return out


def generate(folder: Path, count: int, seed: int, templates: list[str]) -> None:
    """``docfraud synth`` in a child process (a worker pool forked from this process, which
    holds OpenCV and torch threads, can hang)."""
    cli = Path(sys.executable).parent / "docfraud"
    argv = [str(cli), "synth", "--out", str(folder), "--count", str(count), "--seed", str(seed)]
    argv += ["--forged-share", "0", "--templates", *templates]
    if subprocess.run(argv, stdout=subprocess.DEVNULL, check=False).returncode != 0:
        raise SystemExit(f"docfraud synth failed for {templates}")


def table(title: str, tally: Tally, alone: Tally | None = None) -> list[str]:
    """The field table; with ``alone``, a column for each image read without the others."""
    head = "| field | exact | exact after ICAO transliteration |"
    rows = [f"### {title}", ""]
    if alone is not None:
        rows += [
            "Each document's sides presented together (a card's front read with its back's MRZ "
            "where the pipeline pairs them); the last column, each image read alone.",
            "",
        ]
        head += " exact, each image alone |"
    rows += [head, "|---|---|---|" + ("---|" if alone is not None else "")]
    for name in FIELDS:
        if tally.total[name]:
            row = f"| {name} | {tally.share(name)} | {tally.share(name, True)} |"
            rows.append(row + (f" {alone.share(name)} |" if alone is not None else ""))
    row = f"| **all fields** | **{tally.share()}** | {tally.share(None, True)} |"
    rows.append(row + (f" {alone.share()} |" if alone is not None else ""))
    if tally.seconds:
        rows.append("")
        rows.append(
            f"{len(tally.seconds)} images; read_viz median {statistics.median(tally.seconds):.2f} s"
            f", p95 {sorted(tally.seconds)[int(0.95 * (len(tally.seconds) - 1))]:.2f} s per image."
        )
    return rows + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="held-out documents")
    parser.add_argument("--dev-count", type=int, default=60, help="development documents")
    parser.add_argument("--seed", type=int, default=90417, help="held-out seed (never tuned on)")
    parser.add_argument("--dev-seed", type=int, default=23)
    parser.add_argument("--out", type=Path, help="also write the Markdown here")
    parser.add_argument(
        "--dump", type=Path, help="per development document: the fields missed (JSON lines)"
    )
    parser.add_argument(
        "--parts",
        nargs="+",
        default=["held_out", "dev", "specimens"],
        choices=["held_out", "dev", "specimens"],
        help="which sets to measure",
    )
    args = parser.parse_args(argv)

    from docfraud.synth.templates import TEMPLATES

    dev_templates = [t.name for t in TEMPLATES if t.name not in HELD_OUT]
    read = Reader()
    dumped: list[dict[str, Any]] = []
    lines = ["# Visual-zone reading (read_viz)", ""]
    lines.append(
        f"{platform.processor() or platform.machine()}, {platform.python_version()}; "
        f"scan date {SCAN_DATE}. Fields as printed; see bench/viz.py for the rules."
    )
    lines.append("")
    with tempfile.TemporaryDirectory() as tmp:
        if "held_out" in args.parts:
            held = Path(tmp) / "held_out"
            generate(held, args.count, args.seed, list(HELD_OUT))
            lines += table(
                f"Held-out templates {', '.join(HELD_OUT)} "
                f"({args.count} documents, seed {args.seed})",
                *run_synthetic(read, held),
            )
        if "dev" in args.parts:
            dev = Path(tmp) / "dev"
            generate(dev, args.dev_count, args.dev_seed, dev_templates)
            lines += table(
                f"Development templates ({args.dev_count} documents, seed {args.dev_seed})",
                *run_synthetic(read, dev, dumped),
            )
            if args.dump:
                args.dump.write_text("".join(json.dumps(d) + "\n" for d in dumped), "utf-8")
    specimens = run_specimens(read) if "specimens" in args.parts else "not measured in this run"
    if isinstance(specimens, str):
        lines += ["### Shared specimens", "", specimens, ""]
    else:
        overall, per_file = specimens
        lines += table("Shared specimens (truth.json `viz`)", overall)
        lines += ["| specimen | exact | missed or wrong |", "|---|---|---|"]
        for name, tally in per_file:
            wrong = [f for f in FIELDS if tally.total[f] > tally.exact[f]]
            lines.append(f"| {name} | {tally.share()} | {', '.join(wrong) or '–'} |")
        lines.append("")
    text = "\n".join(lines)
    sys.stdout.write(text + "\n")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
