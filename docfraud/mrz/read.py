"""Read the MRZ of a page: locate, pick the reading orientation, recognise, repair, parse.

What was read and what was changed are both kept: ``raw_lines`` is the recogniser's own best
reading, ``lines`` the text after repairs, and every repair is recorded with its reason, because
an OCR confusion and altered data are different findings.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from docfraud.imaging.geometry import box_of_points
from docfraud.mrz.checksum import compute_check_digit
from docfraud.mrz.clean import Repair, RepairReason, repair
from docfraud.mrz.locate import MrzCandidate, locate_mrz
from docfraud.mrz.parse import MrzData, parse_mrz
from docfraud.mrz.spec import (
    CLASS_CHARS,
    LAYOUTS,
    CheckSpan,
    MrzFormat,
    check_spans,
    detect_format,
    position_classes,
)
from docfraud.ocr.recognizer import LineReading, LineRecognizer
from docfraud.types import Box

DOCUMENT_CODE_FIRST = "PIACV"
"""First character of every MRZ (Doc 9303 Part 4–7: P, I/A/C, V)."""
MAX_CANDIDATES = 3
MAX_SHIFT = 3
"""Cells the grid may be moved along the lines when the reading improves with each."""
MIN_ALTERNATIVE_P = 0.05
"""A recogniser alternative below this probability is never put in place of what it read."""
MAX_ODDS = 4.0
"""A check digit may only confirm an alternative the recogniser found at least 1/4 as likely as
its first choice: the character was genuinely ambiguous. With looser odds, some combination of
alternatives satisfies a check digit by chance (1 in 10), and altered data would be "repaired"."""
MAX_SEARCHED = 8
"""Per failing check digit, the most plausible substitutions tried (singly and in pairs)."""
MIN_ZEROS_AS_O = 2
"""Digit-only positions (dates, check digits) read ``O`` before a page counts as one whose zeros
the recogniser reads as ``O``: one could be a blot, two of the same confusion are the print."""


@dataclass(frozen=True, slots=True)
class MrzReading:
    candidate: MrzCandidate
    """Geometry of the zone in input-page pixels, in reading orientation."""
    raw_lines: tuple[str, ...]
    lines: tuple[str, ...]
    confidences: tuple[tuple[float, ...], ...]
    repairs: tuple[Repair, ...]
    format: MrzFormat | None
    data: MrzData | None
    recognizer: str

    def cells_box(self, line: int, start: int, end: int, width: int, height: int) -> Box:
        """Input-page box around characters ``start..end-1`` of ``line`` (0-based)."""
        geo = self.candidate.lines[line]
        half_h = np.array(geo.normal) * geo.height * 0.8
        pts = []
        for k in (start, max(start, end - 1)):
            half_step = np.array(geo.step_at(k)) / 2
            c = np.array(geo.cell_centre(k))
            pts.extend(
                [
                    c - half_step - half_h,
                    c + half_step + half_h,
                    c - half_step + half_h,
                    c + half_step - half_h,
                ]
            )
        return box_of_points(np.array(pts), width, height)

    def zone_box(self, width: int, height: int) -> Box:
        boxes = [
            self.cells_box(i, 0, self.candidate.char_count, width, height)
            for i in range(len(self.lines))
        ]
        x0 = min(b[0] for b in boxes)
        y0 = min(b[1] for b in boxes)
        x1 = max(b[0] + b[2] for b in boxes)
        y1 = max(b[1] + b[3] for b in boxes)
        return (x0, y0, x1 - x0, y1 - y0)


def _reading_score(readings: Sequence[LineReading]) -> float:
    """How plausible a reading is as an MRZ, to choose orientation and cell alignment.

    Mean log-confidence, plus a bonus when the first character can start an MRZ and one for
    the share of check digits that hold, reading ``O`` as ``0`` where only that makes one hold
    (:func:`_holds_with_zeros`): a grid shifted by one cell still reads confidently, but its
    first character and its check digits fall apart.
    """
    conf = np.concatenate([np.asarray(r.confidences, dtype=np.float64) for r in readings])
    score = float(np.mean(np.log(np.clip(conf, 1e-4, 1.0))))
    texts = [r.text for r in readings]
    if texts and texts[0][:1] in DOCUMENT_CODE_FIRST:
        score += 0.5
    fmt = detect_format(texts)
    if fmt is not None and all(len(t) == len(texts[0]) for t in texts):
        spans = check_spans(texts, fmt)
        grid = [list(t) for t in texts]
        score += sum(_holds_with_zeros(grid, span) for span in spans) / max(1, len(spans))
    return score


def _holds_with_zeros(grid: list[list[str]], span: CheckSpan) -> bool:
    """Whether a check digit holds as read, or with every ``O`` of its cells read as ``0``.

    A print whose zeros the recogniser reads as O (:func:`_read_o_as_zero` mends it later)
    would otherwise fail as many check digits in the right reading as in a wrong one: a TD3's
    44-character lines then lose to their first 36 read as a TD2's.
    """
    if _check_holds(grid, span):
        return True
    cells = (*span.cells, (span.line, span.position))
    if all(grid[line][pos] != "O" for line, pos in cells):
        return False
    zeroed = [row[:] for row in grid]
    for line, pos in cells:
        if zeroed[line][pos] == "O":
            zeroed[line][pos] = "0"
    return _check_holds(zeroed, span)


def _settled(readings: Sequence[LineReading]) -> bool:
    """Whether a reading is beyond doubt the MRZ the right way up: a known layout that starts
    like an MRZ with every check digit holding. Any other orientation or candidate would only
    be read to lose, so the reader stops looking."""
    texts = [r.text for r in readings]
    fmt = detect_format(texts)
    if fmt is None or texts[0][:1] not in DOCUMENT_CODE_FIRST:
        return False
    if any(len(t) != len(texts[0]) for t in texts):
        return False
    grid = [list(t) for t in texts]
    return all(_check_holds(grid, span) for span in check_spans(texts, fmt))


class _GridReading:
    """The readings of one candidate's cell grid at each shift up to :data:`MAX_SHIFT` cells.

    A recogniser that reads cells on their own (``reads_cells``) reads ``MAX_SHIFT`` cells past
    each end of the lines once, and every shift is a window of that reading; any other reads each
    shifted grid when it is asked for.
    """

    def __init__(
        self, gray: npt.NDArray[np.uint8], recognizer: LineRecognizer, candidate: MrzCandidate
    ) -> None:
        self.candidate = candidate
        self._gray = gray
        self._recognizer = recognizer
        self._by_shift: dict[int, tuple[LineReading, ...]] = {}
        self._wide: tuple[LineReading, ...] | None = None
        if recognizer.reads_cells:
            self._wide = recognizer.read_lines(
                gray, candidate.lines, candidate.char_count, margin=MAX_SHIFT
            )

    def at(self, shift: int) -> tuple[LineReading, ...]:
        count = self.candidate.char_count
        if self._wide is not None:
            return tuple(r.window(MAX_SHIFT + shift, count) for r in self._wide)
        if shift not in self._by_shift:
            moved = self.candidate.shifted(shift)
            self._by_shift[shift] = self._recognizer.read_lines(self._gray, moved.lines, count)
        return self._by_shift[shift]


NUMBER_FIELDS = frozenset(
    {"document_number", "optional_data", "optional_data_2", "personal_number"}
)
"""Alphanumeric fields that hold numbers: issuers fill them mostly with digits."""
DIGIT_PRIOR = 6.0
"""How much likelier a digit is than a letter in a :data:`NUMBER_FIELDS` position, relative to
the recogniser's training mix (a third digits, two fifths letters, a quarter fillers). It settles
the OCR-B ``0``/``O`` ambiguity of low-resolution captures towards the digit, unless the
recogniser is several times surer of the letter."""


def _field_names(fmt: MrzFormat) -> dict[tuple[int, int], str]:
    return {
        (spec.line, pos): spec.name
        for spec in LAYOUTS[fmt].fields
        for pos in range(spec.start, spec.end)
    }


def _apply_field_knowledge(
    readings: Sequence[LineReading], fmt: MrzFormat
) -> tuple[tuple[LineReading, ...], tuple[Repair, ...]]:
    """Re-rank each character's alternatives by what its position may and usually holds.

    Characters the position cannot hold are dropped (``field_class``), and digits are favoured in
    number fields (``field_prior``). A character is only replaced when the recogniser gave the
    replacement some weight; otherwise it stays as read and the parser reports the field.
    """
    classes = position_classes(fmt)
    fields = _field_names(fmt)
    out, repairs = [], []
    for li, (reading, cls) in enumerate(zip(readings, classes, strict=False)):
        chars, confs, alts = list(reading.text), list(reading.confidences), []
        for pos, options in enumerate(reading.alternatives):
            allowed = CLASS_CHARS.get(cls[pos], "") if pos < len(cls) else ""
            boost = fields.get((li, pos)) in NUMBER_FIELDS
            weighted = [
                (c, p * (DIGIT_PRIOR if boost and c.isdigit() else 1.0))
                for c, p in options
                if c in allowed and p >= MIN_ALTERNATIVE_P
            ]
            total = sum(w for _, w in weighted)
            if not weighted or total <= 0:
                alts.append(options)
                continue
            ranked = tuple(
                sorted(((c, round(w / total, 4)) for c, w in weighted), key=lambda cw: -cw[1])
            )
            alts.append(ranked)
            if ranked[0][0] != chars[pos]:
                reason = (
                    RepairReason.FIELD_CLASS
                    if chars[pos] not in allowed
                    else RepairReason.FIELD_PRIOR
                )
                repairs.append(Repair(li, pos, chars[pos], ranked[0][0], reason))
            chars[pos], confs[pos] = ranked[0]
        out.append(LineReading("".join(chars), tuple(confs), tuple(alts)))
    return tuple(out), tuple(repairs)


def _check_holds(grid: list[list[str]], span: CheckSpan) -> bool:
    data = "".join(grid[line][pos] for line, pos in span.cells)
    digit = grid[span.line][span.position]
    if span.filler_allowed and set(data) <= {"<"} and digit in "<0":
        return True
    return compute_check_digit(data) == digit


def _confirm_by_check_digits(
    lines: Sequence[str], readings: Sequence[LineReading], fmt: MrzFormat
) -> tuple[tuple[str, ...], tuple[Repair, ...]]:
    """Fix a failing check digit with the recogniser's own second choices, where they confirm it.

    For each failing check (field checks first, the composite last) the most plausible
    admissible alternatives among the characters it covers are tried one and two at a time; the
    most probable combination that makes the check hold, without breaking one that held, is
    applied. A cleanly read altered field has no plausible alternative and stays as read.
    """
    grid = [list(line) for line in lines]
    classes = position_classes(fmt)
    repairs: list[Repair] = []
    spans = check_spans(lines, fmt)
    for span in spans:
        if _check_holds(grid, span):
            continue
        held = [s for s in spans if s is not span and _check_holds(grid, s)]
        options = []
        for line, pos in (*span.cells, (span.line, span.position)):
            if line >= len(readings) or pos >= len(readings[line].alternatives):
                continue
            alts = readings[line].alternatives[pos]
            current = dict(alts).get(grid[line][pos], 1e-4)
            for char, p in alts:
                plausible = p >= MIN_ALTERNATIVE_P and current / p <= MAX_ODDS
                if (
                    char != grid[line][pos]
                    and plausible
                    and char in CLASS_CHARS[classes[line][pos]]
                ):
                    options.append((math.log(current) - math.log(p), line, pos, char))
        options = sorted(options)[:MAX_SEARCHED]
        best: tuple[float, tuple[tuple[float, int, int, str], ...]] | None = None
        for size in (1, 2):
            for combo in itertools.combinations(options, size):
                if len({(o[1], o[2]) for o in combo}) < size:
                    continue
                saved = [(o[1], o[2], grid[o[1]][o[2]]) for o in combo]
                for _, line, pos, char in combo:
                    grid[line][pos] = char
                if _check_holds(grid, span) and all(_check_holds(grid, s) for s in held):
                    cost = sum(o[0] for o in combo)
                    if best is None or cost < best[0]:
                        best = (cost, combo)
                for line, pos, char in saved:
                    grid[line][pos] = char
        if best is not None:
            for _, line, pos, char in best[1]:
                repairs.append(Repair(line, pos, grid[line][pos], char, RepairReason.CHECK_DIGIT))
                grid[line][pos] = char
    return tuple("".join(row) for row in grid), tuple(repairs)


def _reads_zeros_as_o(raw: Sequence[str], fmt: MrzFormat) -> bool:
    """Whether the recogniser read this print's 0 as O: in the positions that only a digit may
    hold, ``O`` at least :data:`MIN_ZEROS_AS_O` times and at least as often as ``0``."""
    as_o = as_zero = 0
    for line, classes in zip(raw, position_classes(fmt), strict=False):
        for char, cls in zip(line, classes, strict=False):
            if cls in "NC":
                as_o += char == "O"
                as_zero += char == "0"
    return as_o >= MIN_ZEROS_AS_O and as_o >= as_zero


def _read_o_as_zero(
    lines: Sequence[str], raw: Sequence[str], fmt: MrzFormat
) -> tuple[tuple[str, ...], tuple[Repair, ...]]:
    """On a page whose zeros the recogniser reads as ``O`` (:func:`_reads_zeros_as_o`), the
    ``O`` of a number field are all zeros where the field's check digit says so.

    OCR-B's 0 is a narrower O, and a blurred or low-resolution capture loses the difference for
    the whole page; the recogniser is then sure of the wrong one, so its alternatives cannot
    settle it (:func:`_confirm_by_check_digits`), nor can the confusion table's one substitution
    when a number holds several zeros. All of a field's ``O`` or none: the all-zero reading is
    what is printed when the number holds no letter O, so an altered number still fails its
    check, while a chosen subset would satisfy a check by chance one time in ten. A check that
    held as read is taken over too (two swaps at weights 7 and 3 cancel); none that held may
    break.
    """
    if not _reads_zeros_as_o(raw, fmt):
        return tuple(lines), ()
    grid = [list(line) for line in lines]
    fields = _field_names(fmt)
    repairs: list[Repair] = []
    spans = check_spans(lines, fmt)
    for span in spans:
        letters = [
            (line, pos)
            for line, pos in span.cells
            if grid[line][pos] == "O" and fields.get((line, pos)) in NUMBER_FIELDS
        ]
        if not letters or span.name == "composite":
            continue
        held = [s for s in spans if s is not span and _check_holds(grid, s)]
        for line, pos in letters:
            grid[line][pos] = "0"
        if _check_holds(grid, span) and all(_check_holds(grid, s) for s in held):
            repairs.extend(
                Repair(ln, p, "O", "0", RepairReason.ZEROS_READ_AS_O) for ln, p in letters
            )
        else:
            for line, pos in letters:
                grid[line][pos] = "O"
    return tuple("".join(row) for row in grid), tuple(repairs)


def _fix_name_separators(
    lines: Sequence[str], readings: Sequence[LineReading], fmt: MrzFormat
) -> tuple[tuple[str, ...], tuple[Repair, ...]]:
    """Resolve a name with two inner ``<<`` separators, which ICAO does not allow.

    The separator whose fillers look least like letters is kept; in every other ``<<`` the filler
    that the recogniser found most letter-like becomes that letter. Nothing changes when some
    extra separator has no plausible letter reading.
    """
    spec = LAYOUTS[fmt].field("name")
    row = list(lines[spec.line])
    field = "".join(row[spec.start : spec.end])
    letters = [i for i, ch in enumerate(field) if ch != "<"]
    if not letters:
        return tuple(lines), ()
    runs = []
    i = letters[0]
    while i < letters[-1]:
        if field[i] == "<":
            j = i
            while field[j] == "<":
                j += 1
            if j - i == 2:
                runs.append((spec.start + i, spec.start + j))
            i = j
        else:
            i += 1
    if len(runs) < 2:
        return tuple(lines), ()
    alternatives = readings[spec.line].alternatives
    best_letter: list[tuple[float, int, str]] = []
    for start, end in runs:
        options = [
            (p, pos, ch)
            for pos in range(start, end)
            if pos < len(alternatives)
            for ch, p in alternatives[pos]
            if ch.isalpha() and p >= MIN_ALTERNATIVE_P
        ]
        best_letter.append(max(options, default=(0.0, start, "<")))
    keep = min(range(len(runs)), key=lambda k: best_letter[k][0])
    fixes = [best_letter[k] for k in range(len(runs)) if k != keep]
    if any(p < MIN_ALTERNATIVE_P for p, _, _ in fixes):
        return tuple(lines), ()
    repairs = []
    for _, pos, ch in fixes:
        repairs.append(Repair(spec.line, pos, row[pos], ch, RepairReason.NAME_SEPARATOR))
        row[pos] = ch
    out = list(lines)
    out[spec.line] = "".join(row)
    return tuple(out), tuple(repairs)


def read_mrz(
    gray: npt.NDArray[np.uint8], recognizer: LineRecognizer, today: date | None = None
) -> MrzReading | None:
    """Find and read the MRZ of a page; None when no MRZ-like zone is found.

    Args:
        gray: (H, W) uint8 page in input orientation.
        recognizer: reads located lines.
        today: reference date for the two-digit-year rule (default: today).
    """
    best: tuple[float, _GridReading, int] | None = None
    candidates = locate_mrz(gray, max_candidates=MAX_CANDIDATES)
    for oriented in (o for cand in candidates for o in (cand, cand.flipped())):
        grid = _GridReading(gray, recognizer, oriented)
        score, shift = _reading_score(grid.at(0)), 0
        if recognizer.reads_cells:  # shifted grids are windows of one reading: compare them all
            score, shift = _best_shift(grid, score)
        if best is None or score > best[0]:
            best = (score, grid, shift)
        if _settled(grid.at(shift)):
            break
    if best is None:
        return None
    score, grid, shift = best
    if not recognizer.reads_cells:
        score, shift = _best_shift(grid, score)
    cand, readings = grid.candidate.shifted(shift), grid.at(shift)
    raw = tuple(r.text for r in readings)
    fmt = detect_format(raw)
    confidences = tuple(r.confidences for r in readings)
    if fmt is None:
        return MrzReading(cand, raw, raw, confidences, (), None, None, recognizer.version)
    readings, class_repairs = _apply_field_knowledge(readings, fmt)
    confidences = tuple(r.confidences for r in readings)
    lines = tuple(r.text for r in readings)
    lines, check_repairs = _confirm_by_check_digits(lines, readings, fmt)
    lines, zero_repairs = _read_o_as_zero(lines, raw, fmt)
    lines, name_repairs = _fix_name_separators(lines, readings, fmt)
    lines, table_repairs = repair(lines, fmt, confidences, confusions=False)
    return MrzReading(
        cand,
        raw,
        tuple(lines),
        confidences,
        class_repairs + check_repairs + zero_repairs + name_repairs + table_repairs,
        fmt,
        parse_mrz(lines, today=today),
        recognizer.version,
    )


def _best_shift(grid: _GridReading, score: float) -> tuple[float, int]:
    """(score, cells) of the best shift of a grid read at 0 with ``score``.

    Stray marks beside the zone, or glyphs at its ends lost to glare, can shift the cell grid
    by a cell or a few: the reading decides, one cell at a time while it improves.
    """
    shift = 0
    for step in (-1, 1):
        for moved in range(step, step * (MAX_SHIFT + 1), step):
            moved_score = _reading_score(grid.at(moved))
            if moved_score <= score:
                break
            score, shift = moved_score, moved
    return score, shift


def mean_confidence(reading: MrzReading) -> float:
    values = [c for line in reading.confidences for c in line]
    return math.fsum(values) / len(values) if values else 0.0
