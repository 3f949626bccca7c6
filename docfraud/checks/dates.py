"""Date logic: birth before issue before expiry, a plausible validity, expired or future.

The MRZ gives birth and expiry dates (check-digit protected); the date of issue is only printed,
so the checks that need it run only when the visual zone reader found it. Validity limits are the
longest that issuing practice produces for each kind of document (``MAX_VALIDITY_YEARS``), plus
``GRACE_DAYS`` because some States add the unused months of a previous document.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from docfraud.analysis import Analysis
from docfraud.checks.registry import CannotRun, check
from docfraud.checks.viz_mrz import SURE
from docfraud.types import Finding, Region, Severity

MAX_VALIDITY_YEARS = {
    "passport": 10,
    "id_card": 15,
    "residence_permit": 10,
    "visa": 10,
    "travel_document": 10,
}
"""Longest validity issued in practice, by document kind (Doc 9303 leaves it to States)."""
MINOR_MAX_VALIDITY_YEARS = 10
"""Children's documents are issued for shorter terms (usually 5 years); none run past 10."""
MAX_AGE_YEARS = 120
"""Oldest holder the date checks consider when the MRZ's two-digit birth year is in doubt."""
GRACE_DAYS = 300
"""Tolerance above the limit: States may carry over up to 9 months of an old passport."""
UNSURE_ISSUE_DATE = (
    "; the printed date of issue was read with low confidence (a stamp or blur over it may "
    "have changed a digit), so compare by eye."
)
"""How a finding on an unsurely read date of issue ends: a warning, not a critical finding."""
ISSUE_IS_EXPIRY = (
    "; it is the document's date of expiry, which the reader may have taken for the date of "
    "issue printed beside it, so compare by eye."
)
"""How a finding ends where the date read as the date of issue is the date of expiry."""


def _issue_date(a: Analysis) -> tuple[date, Region | None, str]:
    """(printed date of issue, its region, why it cannot support a critical finding or "").

    A date of issue is in doubt when read with low confidence, or when it is the document's
    date of expiry (the MRZ's or the printed one): a layout that prints the two side by side
    leads the reader to take one for the other, and no State issues a document on the day it
    expires.
    """
    printed = a.viz.get("issue_date") if a.viz else None
    if printed is None:
        raise CannotRun("the printed date of issue was not found in the visual zone")
    if printed.value is None:
        raise CannotRun(f"the printed date of issue ({printed.text!r}) is not a readable date")
    issue = date.fromisoformat(printed.value)
    if printed.value in _expiries(a):
        return issue, printed.region, ISSUE_IS_EXPIRY
    return issue, printed.region, "" if printed.confidence >= SURE else UNSURE_ISSUE_DATE


def _expiries(a: Analysis) -> set[str]:
    """The document's date of expiry as the MRZ and the visual zone give it (ISO dates): another
    printed date that reads as one of them was most likely read from the expiry's place."""
    printed = a.viz.get("expiry_date") if a.viz else None
    mrz = a.mrz.data.expiry_date if a.mrz is not None and a.mrz.data is not None else None
    return {d for d in (printed.value if printed else None, mrz.isoformat() if mrz else None) if d}


def _mrz_dates(a: Analysis) -> tuple[date | None, date | None]:
    """Birth and expiry from the MRZ; the birth century from the printed date of birth where
    the two agree but for it (the MRZ writes two digits of the year, and its century rule puts
    a holder born in 1911 in 2011)."""
    data = a.mrz.data if a.mrz else None
    if data is None:
        raise CannotRun("no MRZ was read")
    birth = data.birth_date
    printed = a.viz.get("birth_date") if a.viz else None
    if birth is not None and printed is not None and printed.value is not None:
        century_earlier = _add_years(birth, -100)
        if printed.value == century_earlier.isoformat():
            birth = century_earlier
    return birth, data.expiry_date


def _zone(a: Analysis) -> Region | None:
    if a.mrz is None:
        return None
    w, h = a.image_size or (0, 0)
    return Region(a.page, a.mrz.zone_box(w, h))


def _add_years(day: date, years: int) -> date:
    """``day`` ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _years(start: date, end: date) -> float:
    return (end - start).days / 365.25


@check("dates.order", needs=("mrz",))
def dates_order(a: Analysis) -> Iterator[Finding]:
    birth, expiry = _mrz_dates(a)
    if birth is not None and expiry is not None and expiry <= birth:
        yield Finding(
            "DATE.ORDER",
            Severity.CRITICAL,
            f"The date of expiry ({expiry}) is not after the date of birth ({birth}).",
            field="expiry_date",
            region=_zone(a),
        )
    issue, where, unsure = _issue_date(a)
    sure = not unsure
    if birth is not None and issue < birth:
        # a century earlier the order holds and the holder would be alive: only the MRZ's
        # two-digit year says otherwise
        earlier = _add_years(birth, -100)
        century = issue >= earlier and _years(earlier, a.scan_date) <= MAX_AGE_YEARS
        yield Finding(
            "DATE.ORDER",
            Severity.CRITICAL if sure and not century else Severity.WARNING,
            f"The printed date of issue ({issue}) is before the date of birth ({birth})"
            + (
                "; the MRZ gives two digits of the birth year, so the holder may be a century "
                "older: check the printed date of birth."
                if century
                else unsure or "."
            ),
            field="issue_date",
            region=where,
            related=tuple(r for r in (_zone(a),) if r),
        )
    if expiry is not None and expiry <= issue:
        yield Finding(
            "DATE.ORDER",
            Severity.CRITICAL if sure else Severity.WARNING,
            f"The date of expiry ({expiry}) is not after the printed date of issue ({issue})"
            + (unsure or "."),
            field="issue_date",
            region=where,
            related=tuple(r for r in (_zone(a),) if r),
        )


@check("dates.validity", needs=("mrz",))
def dates_validity(a: Analysis) -> Iterator[Finding]:
    birth, expiry = _mrz_dates(a)
    if expiry is None:
        raise CannotRun("the MRZ date of expiry is not a date")
    issue, where, _ = _issue_date(a)
    if expiry <= issue:
        return  # dates.order reports it
    kind = a.mrz.data.document_kind if a.mrz and a.mrz.data else "passport"
    limit = MAX_VALIDITY_YEARS.get(kind, 10)
    minor = birth is not None and _years(birth, issue) < 18
    if minor:
        limit = min(limit, MINOR_MAX_VALIDITY_YEARS)
    longest = _add_years(issue, limit) + timedelta(days=GRACE_DAYS)
    if expiry > longest:
        holder = "a minor's " if minor else ""
        yield Finding(
            "DATE.VALIDITY_TOO_LONG",
            Severity.WARNING,
            f"Valid for {_years(issue, expiry):.1f} years (issued {issue}, expires {expiry}); "
            f"{holder}{kind.replace('_', ' ')}s are not issued for more than {limit} years.",
            field="expiry_date",
            region=where,
            related=tuple(r for r in (_zone(a),) if r),
            evidence=(("issue_date", issue.isoformat()), ("expiry_date", expiry.isoformat())),
        )


@check("dates.expired", needs=("mrz",))
def dates_expired(a: Analysis) -> Iterator[Finding]:
    _, expiry = _mrz_dates(a)
    if expiry is None:
        raise CannotRun("the MRZ date of expiry is not a date")
    if expiry < a.scan_date:
        yield Finding(
            "DATE.EXPIRED",
            Severity.WARNING,
            f"The document expired on {expiry}, before the scan date ({a.scan_date}); "
            "an expired document is not valid for travel, though this alone does not mean it "
            "is forged.",
            field="expiry_date",
            region=_zone(a),
        )


@check("dates.future", needs=("viz",))
def dates_future(a: Analysis) -> Iterator[Finding]:
    """Printed dates only: the MRZ's two-digit years are read as past by construction."""
    printed_birth = a.viz.get("birth_date") if a.viz else None
    if printed_birth is not None and printed_birth.value is not None:
        birth = date.fromisoformat(printed_birth.value)
        if birth > a.scan_date:
            doubt = ""
            if printed_birth.value in _expiries(a):
                doubt = (
                    "; it is the document's date of expiry, which the reader may have taken for "
                    "the date of birth printed near it, so compare by eye."
                )
            elif printed_birth.confidence < SURE:
                doubt = (
                    "; it was read or placed with low confidence and may be another date "
                    "of the page (the expiry) taken for it, so compare by eye."
                )
            yield Finding(
                "DATE.BIRTH_IN_FUTURE",
                Severity.WARNING if doubt else Severity.CRITICAL,
                f"The printed date of birth ({birth}) is after the scan date ({a.scan_date})"
                + (doubt or "."),
                field="birth_date",
                region=printed_birth.region,
            )
    issue, where, unsure = _issue_date(a)
    if issue > a.scan_date:
        yield Finding(
            "DATE.ISSUED_IN_FUTURE",
            Severity.WARNING if unsure else Severity.CRITICAL,
            f"The printed date of issue ({issue}) is after the scan date ({a.scan_date})"
            + (unsure or ": no genuine document carries a future issue date."),
            field="issue_date",
            region=where,
        )
