"""MRZ against visual zone: every field both hold must say the same thing.

A forger who retypes the printed birth date, or rewrites the MRZ without touching the printed
page, leaves the two zones disagreeing. Names are compared after ICAO transliteration with a
matcher that forgives OCR noise (``BRAN0T`` for ``BRANDT``) but not a changed name; dates as
calendar dates, whatever format and language the page prints them in. A field the visual zone
reader could not find is a skip with its reason, never a silent pass.

A disagreement is critical when the printed field was read with confidence and read the same way
a second time, from a differently prepared image (the reader makes that second reading wherever
the first disagrees with the MRZ); otherwise it is a warning that says the printed text may have
been misread. A printed name that is the MRZ's with a few letters missing is a warning too: both
readings lose a letter with diacritics or under a stamp alike. So are a printed date that is the
MRZ's other date or a printed name that is the MRZ's other name or a country code (read from
beside the field), and a printed number that begins or ends the MRZ's (a reading cut short at a
gap): a forger changes characters, not where a reading stops or which field it is taken from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from docfraud.analysis import Analysis
from docfraud.checks.registry import CannotRun, check
from docfraud.mrz.codes import alnum
from docfraud.mrz.parse import MrzData
from docfraud.mrz.printed import agrees, mrz_value
from docfraud.mrz.spec import LAYOUTS
from docfraud.text.names import same_person_name
from docfraud.text.translit import to_mrz
from docfraud.types import FieldReading, Finding, Region, Severity

SURE = 0.60
"""A printed field read with at least this confidence supports a critical finding."""
LOST_LETTERS = 3
"""Letters a reading may have lost from a printed name (an ``Ø`` is two in the MRZ's ``OE``)
for the difference to stay a warning (:func:`_letters_lost`)."""

CUT_SHORT = 3
"""A printed number of at least this many characters that begins or ends the MRZ's is a reading
cut short, not another number (a changed number differs in its characters, not its length)."""

LABELS = {
    "surname": "surname",
    "given_names": "given names",
    "document_number": "document number",
    "birth_date": "date of birth",
    "expiry_date": "date of expiry",
    "sex": "sex",
    "nationality": "nationality",
    "personal_number": "personal number",
}


def _pair(a: Analysis, name: str) -> tuple[MrzData, FieldReading]:
    """The parsed MRZ and the printed field, or :class:`CannotRun` saying which is missing."""
    if a.mrz is None or a.mrz.data is None:
        raise CannotRun("no MRZ was read")
    if a.viz is None:
        raise CannotRun("the visual zone was not read")
    printed = a.viz.get(name)
    if printed is None or not printed.text.strip():
        raise CannotRun(f"the printed {LABELS[name]} was not found in the visual zone")
    return a.mrz.data, printed


def _mrz_region(a: Analysis, field: str) -> tuple[Region, ...]:
    """The MRZ cells of ``field`` (the whole zone when the layout has no such field)."""
    reading = a.mrz
    if reading is None or reading.format is None:
        return ()
    w, h = a.image_size or (0, 0)
    layout = LAYOUTS[reading.format]
    key = "name" if field in ("surname", "given_names") else field
    if layout.has_field(key):
        spec = layout.field(key)
        return (Region(a.page, reading.cells_box(spec.line, spec.start, spec.end, w, h)),)
    return (Region(a.page, reading.zone_box(w, h)),)


def _mismatch(
    a: Analysis,
    field: str,
    printed: FieldReading,
    mrz_value: str,
    printed_value: str,
    why: str = "",
) -> Finding:
    """The finding for one disagreeing field; ``why`` (a clause) makes it a warning."""
    sure = printed.confidence >= SURE and not why and _read_twice(field, printed)
    label = LABELS[field]
    message = (
        f"{label[0].upper()}{label[1:]} in the MRZ ({mrz_value}) differs from the printed "
        f"{label} ({printed_value})"
    )
    if why:
        message += f"; {why}, so compare by eye"
    elif printed.confidence < SURE:
        message += "; the printed text was read with low confidence, so compare by eye"
    elif not sure:
        message += (
            "; a second reading of the printed text did not confirm the first, so compare by eye"
        )
    return Finding(
        f"VIZ_MRZ.{field.upper()}",
        Severity.CRITICAL if sure else Severity.WARNING,
        message + ".",
        field=field,
        region=printed.region,
        evidence=(
            ("mrz", mrz_value),
            ("printed", printed.text),
            ("printed_confidence", f"{printed.confidence:.2f}"),
        ),
        related=_mrz_region(a, field),
    )


def _read_twice(field: str, printed: FieldReading) -> bool:
    """Another reading of the print (see :attr:`FieldReading.alternatives`) says the same."""
    for text, value in printed.alternatives:
        if field in ("surname", "given_names"):
            if same_person_name(text, printed.text).outcome != "different":
                return True
        elif value is not None and printed.value is not None:
            if value == printed.value or alnum(value) == alnum(printed.value):
                return True
        elif alnum(text) == alnum(printed.text):
            return True
    return False


def _letters_lost(printed: str, mrz_name: str) -> bool:
    """Whether ``printed`` (transliterated) is ``mrz_name`` with up to :data:`LOST_LETTERS`
    letters dropped from its words, at most a third of any word and no word missing: what a
    reading that loses letters gives, where a changed name has other letters.

    >>> _letters_lost("DEGARD", "OEDEGAARD"), _letters_lost("DEGERMAN", "OEDEGAARD")
    (True, False)
    """
    ours = [w for w in re.split(r"<+", to_mrz(printed)) if w]
    theirs = [w for w in re.split(r"[<\s]+", mrz_name) if w]
    if not ours or len(ours) != len(theirs):
        return False
    lost = 0
    for mine, full in zip(ours, theirs, strict=True):
        # a word cut short by more than a third was shortened, not misread
        if len(full) - len(mine) > len(full) // 3 or not _subsequence(mine, full):
            return False
        lost += len(full) - len(mine)
    return 0 < lost <= LOST_LETTERS


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def _name_check(field: str) -> Callable[[Analysis], Iterator[Finding]]:
    def run(a: Analysis) -> Iterator[Finding]:
        data, printed = _pair(a, field)
        if agrees(field, printed.text, printed.value, data) is not False:
            return
        words = printed.text.split()
        within = any(
            agrees(field, " ".join(words[i:j]), None, data)
            for i in range(len(words))
            for j in range(i + 1, len(words) + 1)
            if (i, j) != (0, len(words))
        )
        mrz_name = mrz_value(field, data)
        why = ""
        neighbour = _neighbour_taken(field, printed.text, data)
        if neighbour:
            why = (
                f"the printed text is the MRZ's {neighbour}, which the reader may have taken "
                "from beside the field"
            )
        elif within:
            why = "the printed line holds the MRZ name and other text, often a neighbouring field"
        elif _letters_lost(printed.text, mrz_name):
            why = (
                "the printed name reads as the MRZ's with letters missing, as where a letter with "
                "diacritics or under a stamp is lost to the reading"
            )
        yield _mismatch(a, field, printed, mrz_name, printed.text, why)

    return run


_OTHER_NAME = {"surname": "given_names", "given_names": "surname"}
"""The MRZ's other name, which a printed name read in the wrong place may be."""


def _neighbour_taken(field: str, text: str, data: MrzData) -> str:
    """The label of the MRZ field a printed name reads as instead of its own (the other name,
    the nationality or issuing state code printed beside it), or "".

    >>> from docfraud.mrz.parse import parse_mrz
    >>> data = parse_mrz(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    ...                   "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
    >>> [_neighbour_taken(f, text, data) for f, text in
    ...  [("surname", "ANNA MARIA"), ("given_names", "UTO"), ("surname", "ERIKSEN")]]
    ['given names', 'nationality', '']
    """
    other = _OTHER_NAME[field]
    if agrees(other, text, None, data):
        return LABELS[other]
    code = to_mrz(text).strip("<")
    for name, value in (("nationality", data.nationality), ("issuing state", data.issuing_state)):
        if code and code == value.strip("<"):
            return name
    return ""


def _date_check(field: str) -> Callable[[Analysis], Iterator[Finding]]:
    def run(a: Analysis) -> Iterator[Finding]:
        data, printed = _pair(a, field)
        mrz_date: date | None = getattr(data, field)
        if mrz_date is None:
            raise CannotRun(f"the MRZ {LABELS[field]} is not a date")
        if printed.value is None:
            raise CannotRun(f"the printed {LABELS[field]} ({printed.text!r}) is not a date")
        if not agrees(field, printed.text, printed.value, data):
            why = ""
            other = _OTHER_DATE[field]
            if printed.value == mrz_value(other, data):
                why = (
                    f"the printed date is the MRZ's {LABELS[other]}, which the reader may have "
                    "taken from beside the field"
                )
            yield _mismatch(a, field, printed, mrz_date.isoformat(), printed.value, why)

    return run


_OTHER_DATE = {"birth_date": "expiry_date", "expiry_date": "birth_date"}
"""The MRZ's other date, which a printed date read in the wrong place may be."""


def _number_check(field: str) -> Callable[[Analysis], Iterator[Finding]]:
    def run(a: Analysis) -> Iterator[Finding]:
        data, printed = _pair(a, field)
        if not mrz_value(field, data):
            raise CannotRun(f"the MRZ has no {LABELS[field]}")
        if not agrees(field, printed.text, printed.value, data):
            printed_value = alnum(printed.value or printed.text)
            expected = mrz_value(field, data)
            why = ""
            if len(printed_value) >= CUT_SHORT and alnum(expected).startswith(printed_value):
                why = (
                    f"the printed {LABELS[field]} reads as the start of the MRZ's, as where the "
                    "reading stops at a gap in the print"
                )
            elif len(printed_value) >= CUT_SHORT and alnum(expected).endswith(printed_value):
                why = (
                    f"the printed {LABELS[field]} reads as the end of the MRZ's, as where the "
                    "reading starts past a gap in the print or its first characters are lost"
                )
            yield _mismatch(a, field, printed, expected, printed_value, why)

    return run


def _code_check(field: str) -> Callable[[Analysis], Iterator[Finding]]:
    def run(a: Analysis) -> Iterator[Finding]:
        data, printed = _pair(a, field)
        value = (printed.value or "").upper()
        same = agrees(field, printed.text, printed.value, data)
        if same is None and field == "nationality":
            raise CannotRun(f"the printed nationality ({printed.text!r}) is a word, not a code")
        if same is None:
            raise CannotRun(f"the printed sex ({printed.text!r}) is not M, F or X")
        if not same:
            yield _mismatch(a, field, printed, mrz_value(field, data), value)

    return run


for _field in ("surname", "given_names"):
    check(f"viz_mrz.{_field}", needs=("mrz", "viz"))(_name_check(_field))
for _field in ("birth_date", "expiry_date"):
    check(f"viz_mrz.{_field}", needs=("mrz", "viz"))(_date_check(_field))
for _field in ("document_number", "personal_number"):
    check(f"viz_mrz.{_field}", needs=("mrz", "viz"))(_number_check(_field))
for _field in ("sex", "nationality"):
    check(f"viz_mrz.{_field}", needs=("mrz", "viz"))(_code_check(_field))
