"""Compare a printed name with the MRZ name, telling OCR noise from a changed name.

Both sides become MRZ text (:mod:`docfraud.text.translit`; every allowed transliteration of the
printed name is tried) and are aligned with an edit distance whose costs follow OCR: visually
confusable characters (O/0/D/Q, I/1/L/T, B/8, S/5, E/F, F/L (a small ł read as f), M/N/H, C/G,
U/V, Z/2, G/6, rn/m, cl/d, vv/w, ß/B, and a printed P where the other name has TH: a Þ read as P)
cost :data:`CONFUSION_COST`, a dropped diacritic (MRZ ``UE``/``AA``/``NXX`` against a plain
``U``/``A``/``N``) costs :data:`DIACRITIC_COST`, a split or merged word :data:`FILLER_COST`, a
stray letter at a word's edge :data:`STRAY_COST`, anything else 1. A changed, missing or swapped
word costs several units and one unexplained letter (KOWALSKI against KOWALSKA) costs 1, so both
are "different"; a few misread characters are "ocr_noise".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from docfraud.text.translit import LATIN, mrz_variants, to_mrz

CONFUSION_COST = 0.25
"""One visually confusable character (or rn/m-like pair) read in place of another."""

DIACRITIC_COST = 0.1
"""A diacritic the OCR dropped or added: MRZ ``UE`` against printed ``U``."""

FILLER_COST = 0.5
"""A word break the OCR lost or invented (``MARIEELISE`` against ``MARIE<ELISE``)."""

DIGIT_COST = 0.25
"""Extra cost of a digit in a printed name: names hold no digits, so it is always misread."""

STRAY_COST = 0.7
"""A letter OCR added or lost at the edge of a word (a neighbouring mark, a clipped field)."""

NOISE_MAX_COST = 0.75
NOISE_MAX_SHARE = 0.15
""""ocr_noise" needs cost <= NOISE_MAX_COST and cost <= NOISE_MAX_SHARE x the MRZ name length."""

_CONFUSABLE = ("O0DQ", "I1LT", "B8", "S5", "EF", "FL", "MNH", "CG", "UV", "Z2", "G6")
_PAIRS = frozenset((a, b) for group in _CONFUSABLE for a in group for b in group if a != b)
_MULTI = (
    ("RN", "M", CONFUSION_COST),
    ("CL", "D", CONFUSION_COST),
    ("VV", "W", CONFUSION_COST),
    ("SS", "B", CONFUSION_COST),
    ("UE", "U", DIACRITIC_COST),
    ("AE", "A", DIACRITIC_COST),
    ("OE", "O", DIACRITIC_COST),
    ("AA", "A", DIACRITIC_COST),
    ("UXX", "U", DIACRITIC_COST),
    ("NXX", "N", DIACRITIC_COST),
)
_MULTI_BOTH = tuple((a, b, c) for x, y, c in _MULTI for a, b in ((x, y), (y, x))) + (
    ("P", "TH", CONFUSION_COST),  # a printed Þ read as P (its bowl and stem are a P's)
)
_DIGIT_LOOKALIKES = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}


@dataclass(frozen=True, slots=True)
class NameMatch:
    """How a printed name compares with the MRZ (or another printed) name.

    Attributes:
        outcome: ``"same"``, ``"ocr_noise"`` (differences a misread explains) or
            ``"different"``.
        cost: the OCR-weighted edit distance of the best alignment; 0 for "same".
        detail: one sentence an officer understands.
    """

    outcome: str
    cost: float
    detail: str


def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if (a, b) in _PAIRS:
        return CONFUSION_COST
    return 1.0


def _indel_cost(text: str, i: int) -> float:
    if text[i] == "<":
        return FILLER_COST
    at_edge = i in (0, len(text) - 1) or "<" in (text[i - 1], text[i + 1])
    return STRAY_COST if at_edge else 1.0


@lru_cache(maxsize=4096)
def distance(a: str, b: str, *, truncated: bool = False) -> float:
    """OCR-weighted edit distance from MRZ-like text ``a`` to ``b``.

    Args:
        a: the printed side, A-Z, digits and single ``<`` between words.
        b: the MRZ side, in the same alphabet.
        truncated: ``b`` was cut at the field length, so the rest of ``a`` is free.

    >>> distance("BRANDT", "BRAN0T"), distance("MULLER", "MUELLER"), distance("KARI", "LINNEA")
    (0.25, 0.1, 5.4)
    """
    n, m = len(a), len(b)
    inf = float("inf")
    dp = [[inf] * (m + 1) for _ in range(n + 1)]
    dp[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = dp[i][j]
            if here == inf:
                continue
            if i < n:
                dp[i + 1][j] = min(dp[i + 1][j], here + _indel_cost(a, i))
            if j < m:
                dp[i][j + 1] = min(dp[i][j + 1], here + _indel_cost(b, j))
            if i < n and j < m:
                dp[i + 1][j + 1] = min(dp[i + 1][j + 1], here + _sub_cost(a[i], b[j]))
            for x, y, cost in _MULTI_BOTH:
                if a.startswith(x, i) and b.startswith(y, j):
                    di, dj = i + len(x), j + len(y)
                    dp[di][dj] = min(dp[di][dj], here + cost)
    if truncated:
        return min(row[m] for row in dp)
    return dp[n][m]


def _mrz_text(mrz: str) -> str:
    """MRZ name part as one run of words: upper case, any filler/space run is one ``<``."""
    text = re.sub(r"[^A-Z0-9<]", "", re.sub(r"\s+", "<", mrz.strip().upper()))
    return re.sub(r"<+", "<", text).strip("<")


def _digits_as_letters(printed: str) -> str:
    return "".join(_DIGIT_LOOKALIKES.get(ch, ch) for ch in printed)


def _recommended(printed: str) -> str:
    return _mrz_text(to_mrz(_digits_as_letters(printed)))


def _printed_forms(printed: str) -> tuple[frozenset[str], int]:
    """Every MRZ spelling of a printed name, and how many digits OCR put into it."""
    digits = sum(ch in _DIGIT_LOOKALIKES for ch in printed)
    return frozenset(_mrz_text(v) for v in mrz_variants(_digits_as_letters(printed))), digits


def _outcome(cost: float, length: int) -> str:
    if cost == 0:
        return "same"
    if cost <= NOISE_MAX_COST and cost <= NOISE_MAX_SHARE * max(length, 1):
        return "ocr_noise"
    return "different"


def _word_gap(printed: str, mrz: str) -> str:
    """Which words differ, for the detail sentence."""
    pw, mw = printed.split("<"), mrz.split("<")
    if len(pw) != len(mw):
        return f"{len(pw)} name words against {len(mw)} ({printed} / {mrz})"
    pairs = [f"{p} / {q}" for p, q in zip(pw, mw, strict=True) if p != q]
    return ", ".join(pairs) or "digits read in place of letters"


def compare_names(printed: str, mrz: str, *, field_length: int | None = None) -> NameMatch:
    """Compare a visual-zone (or letter) name with the MRZ name, word order included.

    Args:
        printed: the name as OCR read it from the visual zone or a letter (diacritics,
            lower case and misread characters allowed).
        mrz: the MRZ name part, words separated by ``<`` or spaces.
        field_length: length of the MRZ name field; when the MRZ name fills it, the MRZ was
            truncated (Doc 9303 Parts 4-6) and only the printed name's beginning must match.

    Returns:
        The best match over every allowed transliteration of ``printed``.

    >>> compare_names("Fernández", "FERNANDEZ").outcome, compare_names("Müller", "MUELLER").outcome
    ('same', 'same')
    >>> compare_names("BRAN0T", "BRANDT").outcome, compare_names("NOWAK", "KOWALSKA").outcome
    ('ocr_noise', 'different')
    >>> compare_names("ANNA MARIA", "ANNA<MA", field_length=7).outcome
    'same'
    """
    target = _mrz_text(mrz)
    forms, digits = _printed_forms(printed)
    if not target or not any(forms):
        return NameMatch("different", float(len(target) or 1), "One of the names is empty.")
    filled = field_length is not None and len(mrz.replace(" ", "<").rstrip("<")) >= field_length
    penalty = DIGIT_COST * digits
    best, best_form = min(
        (distance(f, target, truncated=filled) + penalty, f) for f in sorted(forms)
    )
    outcome = _outcome(best, len(target))
    shown = best_form[: len(target)] if filled else best_form
    if outcome == "same":
        cut = " up to the MRZ truncation" if filled and best_form != target else ""
        detail = f"The printed name matches the MRZ name {target}{cut}."
    elif outcome == "ocr_noise":
        gap = _word_gap(shown, target)
        detail = f"The printed name differs from the MRZ name only by likely misreads: {gap}."
    else:
        detail = f"The printed name does not match the MRZ name: {_word_gap(shown, target)}."
    return NameMatch(outcome, round(best, 3), detail)


def _rotations(form: str) -> list[str]:
    words = form.split("<")
    return ["<".join(words[k:] + words[:k]) for k in range(len(words))]


def same_person_name(a: str, b: str) -> NameMatch:
    """Compare two printed names, either of them surname first or given names first.

    ``a`` and ``b`` may be a letter's "Kari Sørensen-Sørensen", a visual-zone "SØRENSEN-SØRENSEN
    KARI" or MRZ-style "SORENSEN<SORENSEN<<KARI". Surname and given names may swap places
    (a rotation of the words); any other reordering, or a changed or missing word, is different.

    >>> same_person_name("Kari Sørensen-Sørensen", "SØRENSEN-SØRENSEN<<KARI").outcome
    'same'
    >>> same_person_name("Kari Sørensen", "Linnea Sørensen").outcome
    'different'
    """
    forms_a, digits_a = _printed_forms(a)
    forms_b, digits_b = _printed_forms(b)
    first_a, first_b = _recommended(a), _recommended(b)
    if not first_a or not first_b:
        return NameMatch("different", 1.0, "One of the names is empty.")
    penalty = DIGIT_COST * (digits_a + digits_b)
    # every spelling of one name against the recommended spelling of the other, both ways
    pairs = {(x, first_b) for x in forms_a} | {(first_a, y) for y in forms_b}
    cost, x, y = min(
        (distance(x, rotated) + penalty, x, rotated)
        for x, y in sorted(pairs)
        for rotated in _rotations(y)
    )
    outcome = _outcome(cost, max(len(x), len(y)))
    if outcome == "same":
        detail = f"Both documents give the name {y}."
    elif outcome == "ocr_noise":
        detail = f"The two names differ only by likely misreads: {_word_gap(x, y)}."
    else:
        detail = f"The two names do not match: {_word_gap(x, y)}."
    return NameMatch(outcome, round(cost, 3), detail)


_LOST_MARKS: dict[str, str] = {
    "Ä": "AÀÁÂÃÅ",
    "Å": "AÀÁÂÃÄ",
    "Ö": "OÒÓÔÕØ0",
    "Ø": "OÒÓÔÕÖ0@",
    "Ü": "UÙÚÛ",
    "Þ": "P",
    "ß": "B8R",
}
"""Letters whose MRZ spelling is not their base letter (Part 3, 6.A: Ä -> AE, Þ -> TH …), with
what OCR reads when their mark is lost to blur or taken for another (Ö for Å, @ for Ø, R for
a ß whose bowl blurred)."""

_SLASHED_O_STATES = frozenset({"DNK", "NOR", "FRO", "GRL"})
"""States whose alphabet has Ø and no Ö: an O the MRZ spells OE is Ø there, Ö elsewhere."""


def restore_marks(read: str, mrz: str, *, state: str = "", truncated: bool = False) -> str:
    """``read`` with the marked letters its MRZ spelling proves (OCR often loses a diacritic).

    Only letters whose MRZ spelling differs from their base are restored: a plain ``A`` read
    where the MRZ has ``AE`` was an ``Ä``; an ``E`` where the MRZ has ``E`` stays, as É and E
    are spelled alike. Every other character must already agree with the MRZ, so a misread or
    changed name comes back unchanged and is left to :func:`compare_names`.

    Args:
        read: the name as OCR read it.
        mrz: the MRZ name part (``<`` or spaces between words).
        state: the issuing State's code, which tells Ø from Ö.
        truncated: the MRZ name filled its field; printed letters past its end are kept.

    >>> restore_marks("SCHAFER", "SCHAEFER")
    'SCHÄFER'
    >>> restore_marks("SOREN ABERG", "SOEREN<AABERG", state="NOR")
    'SØREN ÅBERG'
    >>> restore_marks("PORSSON", "THORSSON"), restore_marks("SCHAFER", "SCHAFFER")
    ('ÞORSSON', 'SCHAFER')
    >>> restore_marks("MULLER-LUDENSCHEIDT", "MUELLER<LUE", truncated=True)
    'MÜLLER-LÜDENSCHEIDT'
    >>> restore_marks("GRÖRMANN", "GROESSMANN"), restore_marks("WEIR", "WEIR")
    ('GRÖßMANN', 'WEIR')
    """
    target = _mrz_text(mrz)
    n, m = len(read), len(target)
    inf = float("inf")
    # best[i][j]: cost of printing read[:i] as target[:j]; step[i][j]: (i', j', printed char)
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n):
        ch = read[i]
        for j in range(m + 1):
            if best[i][j] == inf:
                continue
            for printed, spelling, cost in _spellings(ch, state):
                k = j + len(spelling)
                if target[j:k] == spelling and best[i][j] + cost < best[i + 1][k]:
                    best[i + 1][k] = best[i][j] + cost
                    step[i + 1][k] = (i, j, printed)
    stop = n  # with a truncated MRZ, the longest beginning of ``read`` it spells
    if truncated:
        stop = next((i for i in range(n, -1, -1) if best[i][m] < inf), n)
    if best[stop][m] in (0.0, inf):
        return read
    out: list[str] = []
    i, j = stop, m
    while i > 0:
        back = step[i][j]
        assert back is not None
        i, j, printed = back
        out.append(printed)
    return "".join(reversed(out)) + read[stop:]


def _spellings(ch: str, state: str) -> list[tuple[str, str, float]]:
    """(printed character, its MRZ spelling, cost) for one character OCR read."""
    upper = ch.upper()
    if ch in " -‐–":  # a filler, or nothing at the ends of the MRZ name or a split word
        return [(ch, "<", 0.0), (ch, "", 0.0)]
    if ch in "'’`":
        return [(ch, "", 0.0)]
    own = LATIN.get(upper, (upper,) if "A" <= upper <= "Z" else ())
    options = [(ch, s, 0.0) for s in own]
    for marked, lookalikes in _LOST_MARKS.items():
        if upper in lookalikes:
            cost = 1.0
            if marked in "ÖØ" and (marked == "Ø") != (state in _SLASHED_O_STATES):
                cost = 1.5
            shown = marked if ch.isupper() or not ch.isalpha() else marked.lower()
            spellings = LATIN["ẞ"] if marked == "ß" else LATIN[marked]  # table A: capital ẞ
            options.extend((shown, s, cost) for s in spellings)
    return options
