"""The seizure generator's plan: unique identities and planted groups, whatever the dates drawn."""

from __future__ import annotations

from collections import Counter

from docfraud.synth.seizure import _plan, default_templates


def test_plan_survives_issue_dates_on_29_february() -> None:
    # seed 7 draws a shared-photo document issued on 29 February, whose holder's birth date
    # was once computed by replacing the year (ValueError in a year without one)
    items, links = _plan(1000, 7, 0.1, default_templates())
    assert len(items) == 1000
    assert Counter(link["type"] for link in links) == {"same_portrait": 20, "same_number": 20}
