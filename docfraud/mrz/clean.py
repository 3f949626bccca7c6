"""Repair OCR confusions in MRZ text, recording every change.

OCR confusion and altered data are different findings, so nothing here changes a character
silently: :func:`repair` returns every :class:`Repair` with its reason. The rules lean on the
structure Doc 9303 gives each position (field tables in Parts 4-7, character set in Part 3
4.3 and Figure 4, check digits in Part 3 4.9, names in Part 3 4.6, fillers in Part 3 4.10):

1. **Length** (only when the shape is clear): pad a short line with ``<`` or cut a long one at
   its end, unless adding or removing fillers inside a run of fillers makes more check digits
   hold (an OCR engine that doubled a filler shifts every later character).
2. **Field class**: a position that admits only digits reads ``O`` as ``0``; one that admits only
   letters reads ``0`` as ``O``. Applied to a field only when most of it already fits, so a field
   that is wholly "wrong" (a nationality printed as digits) is left for the checks to report.
3. **Check digit**: in an alphanumeric field with its own check digit (document number, TD1/TD2
   long-number continuation, TD3 personal number), a failing check is repaired by *one*
   substitution from the confusion table. The swap must be plausible (it never turns a digit
   between digits into a letter, or the reverse), must make the composite hold too where the
   format has one, and must be singled out: either its position has clearly the lowest OCR
   confidence of the field, or it is the only candidate that turns a letter/digit island into
   the class of its neighbours (``L89B902C3`` -> ``L898902C3``). Otherwise nothing changes. The
   check digit itself is never changed, so data that reads cleanly but fails its check (altered
   data, or a document printed wrong) stays as read.
4. **Filler**: a ``<``-lookalike (``K``, ``E``, ``C``, ``S``, ``L``, ``X``, ``Z``), standing alone
   where only fillers can be (after a name's ``<<<``; in an empty TD3 personal-number field whose
   check digit says empty), becomes ``<``.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from docfraud.mrz.checksum import compute_check_digit
from docfraud.mrz.spec import (
    LAYOUTS,
    MRZ_CHARS,
    CharClass,
    CheckSpan,
    FieldSpec,
    MrzFormat,
    check_spans,
)


class RepairReason(StrEnum):
    """Why a character was changed."""

    FIELD_CLASS = "field_class"
    """The position's class admits only one reading (``O`` in a date is ``0``)."""
    FIELD_PRIOR = "field_prior"
    """The recogniser's close second choice preferred for what the field usually holds (a digit
    in a document number), by :mod:`docfraud.mrz.read`."""
    NAME_SEPARATOR = "name_separator"
    """A second ``<<`` inside a name (only one may separate surname and given names, Part 3
    §4.6) where the recogniser's close second choice for one ``<`` is a letter, by
    :mod:`docfraud.mrz.read`."""
    CHECK_DIGIT = "check_digit"
    """A confusion substitution that makes a failing check digit valid."""
    ZEROS_READ_AS_O = "zeros_read_as_O"
    """An ``O`` in a number field read as ``0`` on a page whose zeros the recogniser reads as ``O``
    (its digit-only positions say so), where the field's check digit confirms it, by
    :mod:`docfraud.mrz.read`."""
    FILLER = "filler"
    """A ``<``-lookalike where only fillers can be."""
    LENGTH = "length"
    """A line padded with ``<`` (``old`` empty) or cut (``new`` empty) to the format's length."""


@dataclass(frozen=True, slots=True)
class Repair:
    """One changed character: where, from what, to what, and why.

    Attributes:
        line: 0-based line.
        position: 0-based position on the line (for padding, where the new ``<`` lands).
        old: the character as read ("" when padding).
        new: the character written ("" when cutting).
        reason: why.
    """

    line: int
    position: int
    old: str
    new: str
    reason: RepairReason


_GLYPHS = {
    "«": "<",
    "‹": "<",
    "≪": "<",
    "〈": "<",
    "⟨": "<",
    "＜": "<",
    "ㄑ": "<",
    "く": "<",
}

TO_DIGIT = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "U": "0",
    "I": "1",
    "L": "1",
    "T": "1",
    "Z": "2",
    "S": "5",
    "G": "6",
    "B": "8",
}
"""Letter -> digit, for positions that admit only digits."""

TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}
"""Digit -> letter, for positions that admit only letters and ``<``."""

TO_SEX = {"H": "M", "N": "M", "E": "F", "P": "F"}
"""Misreadings of the sex field (M, F, X, <)."""

CONFUSIONS: dict[str, str] = {
    "0": "OQD",
    "O": "0QD",
    "Q": "0OD",
    "D": "0OQ",
    "1": "I",
    "I": "1",
    "2": "Z",
    "Z": "2",
    "5": "S",
    "S": "5",
    "8": "B",
    "B": "8",
    "6": "G",
    "G": "6",
}
"""Alternatives tried, one at a time, in alphanumeric fields with a failing check digit."""

FILLER_LOOKALIKES = frozenset("KECSLXZ")
"""Characters OCR engines produce for a ``<`` filler."""

CONFIDENCE_MARGIN = 0.1
"""A candidate is 'clearly lowest-confidence' when it beats the next by this much."""

_LENGTH_TOLERANCE = 2


def normalize(raw_lines: Sequence[str]) -> tuple[str, ...]:
    """Bring OCR output into the MRZ alphabet, without positional judgement.

    Upper-cases, folds compatibility forms (full-width letters), maps chevron-like glyphs
    (``«``, ``‹`` ...) to ``<``, drops accents and then every character outside A-Z, 0-9 and
    ``<`` (spaces included). Lines that end up empty are dropped. Idempotent.

    Args:
        raw_lines: OCR lines, top to bottom.

    Returns:
        The normalised lines.

    >>> normalize(["p<uto eriksson«anna", "", "L898 902C3"])
    ('P<UTOERIKSSON<ANNA', 'L898902C3')
    """
    out: list[str] = []
    for raw in raw_lines:
        text = "".join(_GLYPHS.get(c, c) for c in str(raw))
        text = unicodedata.normalize("NFKD", text).upper()
        text = "".join(_GLYPHS.get(c, c) for c in text)
        line = "".join(c for c in text if c in MRZ_CHARS)
        if line:
            out.append(line)
    return tuple(out)


def repair(
    lines: Sequence[str],
    fmt: MrzFormat,
    confidences: Sequence[Sequence[float]] | None = None,
    *,
    confusions: bool = True,
) -> tuple[tuple[str, ...], tuple[Repair, ...]]:
    """Repair likely OCR confusions in MRZ lines of format ``fmt``; never raises.

    Args:
        lines: MRZ lines (ideally passed through :func:`normalize` first).
        fmt: the format the lines are read as.
        confidences: optional per-character OCR confidence (0-1), same shape as ``lines``; used
            to single out check-digit candidates. Ignored when its shape differs from ``lines``
            or a line had to be padded or cut (positions would no longer match).
        confusions: substitute look-alikes where a failing check digit confirms them. A
            recogniser that ranks its own alternatives (:mod:`docfraud.mrz.read`) turns this
            off and confirms from its alternatives instead: a table cannot tell a confidently
            read ``1`` from a doubtful one. Class repairs (a letter where only a digit may
            stand, and back) always apply: the position leaves one reading.

    Returns:
        (repaired lines, every repair in the order applied). When the line count does not
        match the format, or a line is more than two characters off length, the lines come back
        unchanged with no repairs.

    >>> lines, repairs = repair(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    ...                          "L898902C36UTO74O8122F1204159ZE184226B<<<<<10"], MrzFormat.TD3)
    >>> lines[1][13:19], [(r.line, r.position, r.old, r.new, str(r.reason)) for r in repairs]
    ('740812', [(1, 15, 'O', '0', 'field_class')])
    """
    layout = LAYOUTS[fmt]
    rows = [str(line) for line in lines]
    if len(rows) != layout.line_count or any(
        abs(len(row) - layout.line_length) > _LENGTH_TOLERANCE for row in rows
    ):
        return tuple(rows), ()
    repairs: list[Repair] = []
    grid = [list(row) for row in rows]
    conf = _confidence_grid(confidences, rows)

    _fix_length(grid, layout.line_length, fmt, repairs)
    if repairs:
        conf = None
    for spec in layout.fields:
        _fix_class(grid, spec, repairs)
        if spec.check_digit is not None:
            _fix_check_position(grid, spec.line, spec.check_digit, repairs)
    if layout.composite is not None:
        comp = layout.composite
        _fix_check_position(grid, comp.line, comp.position, repairs)
    if confusions:
        _fix_by_checks(grid, fmt, conf, repairs)

    for spec in layout.fields:
        if spec.name == "name":
            _fix_name_filler(grid, spec, repairs)
    for span in check_spans(["".join(row) for row in grid], fmt):
        if span.filler_allowed:
            _fix_empty_field(grid, span, repairs)
    return tuple("".join(row) for row in grid), tuple(repairs)


def _confidence_grid(
    confidences: Sequence[Sequence[float]] | None, rows: Sequence[str]
) -> list[list[float]] | None:
    if confidences is None or len(confidences) != len(rows):
        return None
    grid: list[list[float]] = []
    for row, values in zip(rows, confidences, strict=True):
        if len(values) != len(row):
            return None
        try:
            grid.append([float(v) for v in values])
        except (TypeError, ValueError):
            return None
    return grid


def _count_valid(rows: Sequence[str], fmt: MrzFormat) -> int:
    """How many check digits hold (empty ``<`` check allowed where ICAO allows it)."""
    count = 0
    for span in check_spans(rows, fmt):
        observed = rows[span.line][span.position]
        data = [rows[ln][p] for ln, p in span.cells]
        if span.filler_allowed and observed == "<" and set(data) <= {"<"}:
            count += 1
        elif _check_of(data) == observed:
            count += 1
    return count


def _filler_runs(row: Sequence[str]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    p = 0
    while p < len(row):
        if row[p] == "<":
            q = p
            while q < len(row) and row[q] == "<":
                q += 1
            runs.append((p, q))
            p = q
        else:
            p += 1
    return runs


def _length_options(row: list[str], i: int, length: int) -> list[tuple[list[str], list[Repair]]]:
    """Ways to bring one line to ``length``: at its end first, then inside each filler run."""
    k = len(row) - length
    options: list[tuple[list[str], list[Repair]]] = []
    if k > 0:
        cut = [
            Repair(i, p, row[p], "", RepairReason.LENGTH)
            for p in range(len(row) - 1, length - 1, -1)
        ]
        options.append((row[:length], cut))
        for start, end in _filler_runs(row):
            if end - start > k and end < len(row):
                gone = range(end - 1, end - 1 - k, -1)
                options.append(
                    (
                        row[: end - k] + row[end:],
                        [Repair(i, p, "<", "", RepairReason.LENGTH) for p in gone],
                    )
                )
    else:
        k = -k
        pad = [Repair(i, p, "", "<", RepairReason.LENGTH) for p in range(len(row), length)]
        options.append((row + ["<"] * k, pad))
        for _start, end in _filler_runs(row):
            if end < len(row):
                added = [Repair(i, p, "", "<", RepairReason.LENGTH) for p in range(end, end + k)]
                options.append((row[:end] + ["<"] * k + row[end:], added))
    return options


def _fix_length(grid: list[list[str]], length: int, fmt: MrzFormat, repairs: list[Repair]) -> None:
    """Pad or cut each line; where a filler run can absorb the difference, choose by checks.

    Cutting or padding at the line's end is the default; removing (or adding) fillers inside a
    run of fillers is chosen only when it makes strictly more check digits hold (an OCR engine
    that doubled one filler shifts every later character).
    """
    for i in range(len(grid)):
        if len(grid[i]) == length:
            continue
        best: tuple[list[str], list[Repair]] | None = None
        best_score = -1
        for row, changes in _length_options(grid[i], i, length):
            trial = [
                "".join(row) if j == i else "".join(r[:length]).ljust(length, "<")
                for j, r in enumerate(grid)
            ]
            score = _count_valid(trial, fmt)
            if score > best_score:
                best, best_score = (row, changes), score
        if best is not None:
            grid[i] = best[0]
            repairs.extend(best[1])


def _class_map(char_class: CharClass) -> dict[str, str]:
    if char_class in (CharClass.NUMERIC, CharClass.CHECK):
        return TO_DIGIT
    if char_class is CharClass.ALPHA:
        return TO_LETTER
    if char_class is CharClass.SEX:
        return TO_SEX
    return {}


def _fix_class(grid: list[list[str]], spec: FieldSpec, repairs: list[Repair]) -> None:
    """Class repairs in one field, when most of the field already fits its class."""
    mapping = _class_map(spec.char_class)
    if not mapping:
        return
    allowed = spec.char_class.chars
    row = grid[spec.line]
    cells = range(spec.start, spec.end)
    offending = [p for p in cells if row[p] not in allowed]
    meaningful = [p for p in cells if row[p] != "<"]
    if not offending or (spec.length >= 3 and 2 * len(offending) > len(meaningful)):
        return
    for p in offending:
        new = mapping.get(row[p])
        if new is not None:
            repairs.append(Repair(spec.line, p, row[p], new, RepairReason.FIELD_CLASS))
            row[p] = new


def _fix_check_position(grid: list[list[str]], line: int, pos: int, repairs: list[Repair]) -> None:
    """A letter in a check-digit position read as the digit it resembles."""
    old = grid[line][pos]
    new = TO_DIGIT.get(old)
    if new is not None:
        repairs.append(Repair(line, pos, old, new, RepairReason.FIELD_CLASS))
        grid[line][pos] = new


def _alnum_cells(span: CheckSpan, fields: Sequence[FieldSpec]) -> list[int]:
    """Indexes into ``span.cells`` that lie in alphanumeric fields (candidates for swaps)."""
    out: list[int] = []
    for k, (line, pos) in enumerate(span.cells):
        for spec in fields:
            if spec.line == line and spec.start <= pos < spec.end:
                if spec.char_class is CharClass.ALNUM:
                    out.append(k)
                break
    return out


def _check_of(values: Sequence[str]) -> str | None:
    try:
        return compute_check_digit("".join(values))
    except ValueError:
        return None


Swap = tuple[int, int, str]
"""(line, position, new character)."""

Candidate = tuple[Swap, int, bool]
"""A swap; its plausibility (1: makes the character agree with its neighbours, else 0); and
whether OCR confidence singles it out (its confidence is clearly the lowest of its field)."""


def _plausibility(data: Sequence[str], k: int, new: str) -> int | None:
    """How well a swap at ``data[k]`` fits the characters around it.

    A letter between digits read for a digit (``L89B902C3``) is the classic confusion: turning it
    into a digit scores 1. Turning a digit whose neighbours are all digits into a letter would
    *create* such an island, so that swap is implausible (None). Mixed or absent neighbours,
    and letter-for-letter swaps, score 0.
    """
    old = data[k]
    if old.isdigit() == new.isdigit():
        return 0
    around = [data[j] for j in (k - 1, k + 1) if 0 <= j < len(data) and data[j] != "<"]
    if not around:
        return 0
    if all(c.isdigit() == old.isdigit() for c in around):
        return None
    if all(c.isdigit() == new.isdigit() for c in around):
        return 1
    return 0


def _candidates(
    grid: list[list[str]], span: CheckSpan, at: Sequence[int], conf: list[list[float]] | None
) -> list[Candidate] | None:
    """Plausible single swaps that make a failing check hold; None when it holds already."""
    observed = grid[span.line][span.position]
    data = [grid[line][pos] for line, pos in span.cells]
    if _check_of(data) in (observed, None) or not observed.isascii() or not observed.isdigit():
        return None
    found: list[Candidate] = []
    for k in at:
        old = data[k]
        for alt in CONFUSIONS.get(old, ""):
            data[k] = alt
            holds = _check_of(data) == observed
            data[k] = old
            fit = _plausibility(data, k, alt) if holds else None
            if fit is not None:
                line, pos = span.cells[k]
                found.append(((line, pos, alt), fit, _stands_out(conf, span, data, k)))
    return found


def _stands_out(
    conf: list[list[float]] | None, span: CheckSpan, data: Sequence[str], k: int
) -> bool:
    """Whether cell ``k`` has clearly the lowest OCR confidence of the field's characters."""
    if conf is None:
        return False
    others = [conf[ln][p] for j, (ln, p) in enumerate(span.cells) if j != k and data[j] != "<"]
    line, pos = span.cells[k]
    return not others or conf[line][pos] + CONFIDENCE_MARGIN <= min(others)


def _fix_by_checks(
    grid: list[list[str]],
    fmt: MrzFormat,
    conf: list[list[float]] | None,
    repairs: list[Repair],
) -> None:
    """Confusion swaps in alphanumeric fields whose check digit fails (rule 3 above).

    Each failing field needs one plausible swap (:func:`_plausibility`) that makes its own check
    hold; where the format has a composite check digit, the swaps together must make it hold too.
    Check digits themselves are never changed here.
    """
    layout = LAYOUTS[fmt]
    options: list[list[Candidate]] = []
    composite: CheckSpan | None = None
    for span in check_spans(["".join(row) for row in grid], fmt):
        if span.name == "composite":
            composite = span
            continue
        if span.long_number:
            _fix_check_position(grid, span.line, span.position, repairs)
        at = _alnum_cells(span, layout.fields)
        found = _candidates(grid, span, at, conf) if at else None
        if found is not None:
            options.append(found)
    if not options or any(not found for found in options):
        return
    combos = [
        (
            tuple(swap for swap, _, _ in combo),
            sum(fit for _, fit, _ in combo),
            all(clear for _, _, clear in combo),
        )
        for combo in itertools.product(*options)
    ]
    if composite is not None:
        combos = [c for c in combos if _composite_holds(grid, composite, c[0])]
    picked = _choose_combo(combos)
    if picked is None:
        return
    for line, pos, alt in picked:
        repairs.append(Repair(line, pos, grid[line][pos], alt, RepairReason.CHECK_DIGIT))
        grid[line][pos] = alt


def _composite_holds(grid: list[list[str]], span: CheckSpan, combo: Sequence[Swap]) -> bool:
    swaps = {(line, pos): alt for line, pos, alt in combo}
    data = [swaps.get((line, pos), grid[line][pos]) for line, pos in span.cells]
    return _check_of(data) == grid[span.line][span.position]


def _choose_combo(combos: Sequence[tuple[tuple[Swap, ...], int, bool]]) -> tuple[Swap, ...] | None:
    """The one combination OCR confidence singles out, else the one best-fitting combination.

    A lone candidate is not enough on its own: with no confidence to point at it, it must also
    resolve a letter/digit island (fit > 0), since altered data often admits one swap by chance.
    """
    clear = [swaps for swaps, _, is_clear in combos if is_clear]
    if len(clear) == 1:
        return clear[0]
    if not combos:
        return None
    best = max(fit for _, fit, _ in combos)
    top = [swaps for swaps, fit, _ in combos if fit == best]
    return top[0] if best > 0 and len(top) == 1 else None


def _fix_lone_lookalikes(
    grid: list[list[str]], line: int, start: int, end: int, repairs: list[Repair]
) -> None:
    """Turn each lookalike in [start, end) whose neighbours (inside the range) are ``<``."""
    row = grid[line]
    for p in range(start, end):
        if row[p] not in FILLER_LOOKALIKES:
            continue
        left = row[p - 1] if p > start else "<"
        right = row[p + 1] if p + 1 < end else "<"
        if left == "<" and right == "<":
            repairs.append(Repair(line, p, row[p], "<", RepairReason.FILLER))
            row[p] = "<"


def _fix_name_filler(grid: list[list[str]], spec: FieldSpec, repairs: list[Repair]) -> None:
    """After the first ``<<<`` of a name field only fillers may follow (Part 3, 4.6)."""
    text = "".join(grid[spec.line][spec.start : spec.end])
    cut = text.find("<<<")
    if cut < 0:
        return
    _fix_lone_lookalikes(grid, spec.line, spec.start + cut + 3, spec.end, repairs)


def _fix_empty_field(grid: list[list[str]], span: CheckSpan, repairs: list[Repair]) -> None:
    """An optional field whose check digit says 'empty' (``<`` or ``0``) holding lone lookalikes."""
    observed = grid[span.line][span.position]
    if observed not in ("<", "0"):
        return
    line, start = span.line, span.span[0]
    end = span.span[1]
    text = grid[line][start:end]
    marks = [c for c in text if c != "<"]
    if not marks or len(marks) > 2 or any(c not in FILLER_LOOKALIKES for c in marks):
        return
    if observed == "0" and text[0] != "<" and _check_of(text) == "0":
        return  # may be a real one-letter value (K, like <, counts 0): only '<' proves empty
    _fix_lone_lookalikes(grid, line, start, end, repairs)
