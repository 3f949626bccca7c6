"""Invented identities and document data: valid MRZs, plausible dates, deterministic."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docfraud.mrz.parse import parse_mrz
from docfraud.synth.people import (
    STATES,
    random_document,
    random_person,
    random_state,
)
from docfraud.synth.records import DocKind

SCAN = date(2026, 6, 1)
KINDS = (DocKind.PASSPORT, DocKind.ID_CARD, DocKind.VISA, DocKind.RESIDENCE_PERMIT)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(KINDS))
def test_documents_have_a_valid_mrz_and_are_valid_on_the_scan_date(
    seed: int, kind: DocKind
) -> None:
    rng = np.random.default_rng(seed)
    holder = random_person(rng, random_state(rng), born_between=(date(1940, 1, 1), SCAN))
    data = random_document(rng, kind, holder, scan_date=SCAN)
    parsed = parse_mrz(data.mrz_lines(), today=SCAN)
    assert parsed is not None and parsed.valid
    assert parsed.birth_date == holder.birth_date
    assert parsed.document_number == data.document_number
    assert holder.birth_date < data.issue_date <= SCAN < data.expiry_date
    if kind in (DocKind.VISA, DocKind.RESIDENCE_PERMIT):
        assert data.issuing_state != holder.nationality
    else:
        assert data.issuing_state == holder.nationality


def test_minors_get_the_short_validity() -> None:
    rng = np.random.default_rng(4)
    state = next(s for s in STATES if s[0] == "UTO")
    for _ in range(50):
        child = random_person(rng, state, born_between=(date(2015, 1, 1), date(2020, 1, 1)))
        data = random_document(rng, DocKind.PASSPORT, child, scan_date=SCAN)
        assert (data.expiry_date - data.issue_date).days <= 5 * 366


def test_names_keep_their_diacritics_and_transliterate_in_the_mrz() -> None:
    rng = np.random.default_rng(0)
    people = [
        random_person(rng, s, born_between=(date(1970, 1, 1), date(1990, 1, 1)))
        for s in STATES
        for _ in range(6)
    ]
    printed = "".join(p.surname + p.given_names for p in people)
    assert any(ord(c) > 127 for c in printed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_seed_same_person(seed: int) -> None:
    def make() -> object:
        rng = np.random.default_rng(seed)
        return random_person(rng, random_state(rng), born_between=(date(1950, 1, 1), SCAN))

    assert make() == make()


def test_a_one_year_document_issued_364_days_before_the_scan_is_still_valid() -> None:
    """Seed 805 draws a one-year residence permit issued 364 days before the scan, in a year
    without 29 February: its last day was the scan date (found by hypothesis)."""
    rng = np.random.default_rng(805)
    holder = random_person(rng, random_state(rng), born_between=(date(1940, 1, 1), SCAN))
    data = random_document(rng, DocKind.RESIDENCE_PERMIT, holder, scan_date=SCAN)
    assert data.issue_date <= SCAN < data.expiry_date


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(KINDS))
def test_a_misprinted_check_digit_fails_alone(seed: int, kind: DocKind) -> None:
    from dataclasses import replace

    from docfraud.synth.dataset import misprinted_check

    rng = np.random.default_rng(seed)
    holder = random_person(rng, random_state(rng), born_between=(date(1940, 1, 1), SCAN))
    data = random_document(rng, kind, holder, scan_date=SCAN)
    name = misprinted_check(rng, data)
    parsed = parse_mrz(replace(data, misprinted_check=name).mrz_lines(), today=SCAN)
    assert parsed is not None and not parsed.valid
    failed = {c.name for c in parsed.checks if not c.valid}
    # the composite covers the other check digits, so it may fail with the one misprinted
    assert name in failed and failed <= {name, "composite"}
    assert parsed.document_number == data.document_number  # the data as issued
    assert parsed.birth_date == holder.birth_date
