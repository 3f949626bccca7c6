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
``read_viz`` alone per image (median), MRZ reading excluded.

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


class Reader:
    """The pipeline's MRZ reader and outline, then read_viz, on one image file."""

    def __init__(self) -> None:
        from docfraud.ocr.recognizer import RecognizerKind, create_recognizer

        self.recognizer = create_recognizer(RecognizerKind.GLYPH)

    def __call__(self, path: Path) -> tuple[Any, float]:
        import cv2
        import numpy as np

        from docfraud.imaging.rectify import locate_document
        from docfraud.mrz.read import read_mrz
        from docfraud.ocr.viz import read_viz

        loaded = cv2.imread(str(path))
        if loaded is None:
            raise SystemExit(f"cannot read {path}")
        bgr = np.asarray(loaded, np.uint8)
        gray = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), np.uint8)
        mrz = read_mrz(gray, self.recognizer, SCAN_DATE)
        outline = locate_document(
            gray,
            mrz.candidate if mrz else None,
            mrz.format.value if mrz and mrz.format else None,
            faint_edges=True,  # as the pipeline locates identity documents
        )
        t0 = time.perf_counter()
        viz = read_viz(bgr, outline, mrz.data if mrz else None)
        return viz, time.perf_counter() - t0


def run_synthetic(read: Reader, folder: Path, dump: list[dict[str, Any]] | None = None) -> Tally:
    """Tally every printed field; with ``dump``, append each document's misses to it."""
    tally = Tally()
    for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        viz, seconds = read(folder / item["file"])
        tally.seconds.append(seconds)
        misses = {}
        for zone in item["zones"]:
            name = zone["name"]
            if name not in FIELDS or not zone["text"]:
                continue
            truth_value = item["fields"].get(name) if name in DATES or name == "sex" else None
            got = viz.get(name)
            exact, translit = _compare(name, got, zone["text"], truth_value)
            tally.add(name, exact, translit)
            if not exact:
                misses[name] = {"truth": zone["text"], "read": got.text if got else None}
        if dump is not None:
            dump.append({"file": item["file"], "template": item.get("template"), "misses": misses})
    return tally


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


def table(title: str, tally: Tally) -> list[str]:
    rows = [f"### {title}", "", "| field | exact | exact after ICAO transliteration |"]
    rows.append("|---|---|---|")
    for name in FIELDS:
        if tally.total[name]:
            rows.append(f"| {name} | {tally.share(name)} | {tally.share(name, True)} |")
    rows.append(f"| **all fields** | **{tally.share()}** | {tally.share(None, True)} |")
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
                run_synthetic(read, held),
            )
        if "dev" in args.parts:
            dev = Path(tmp) / "dev"
            generate(dev, args.dev_count, args.dev_seed, dev_templates)
            lines += table(
                f"Development templates ({args.dev_count} documents, seed {args.dev_seed})",
                run_synthetic(read, dev, dumped),
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
