"""Case bundles: clean cases agree everywhere; each planted inconsistency is what it says."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from docfraud.synth.cases import _PLANTERS, CaseData, Planted, random_case

SCAN = date(2026, 6, 1)


def _age(born: date, on: date = SCAN) -> float:
    return (on - born).days / 365.25


def _clean(seed: int) -> CaseData:
    return random_case(np.random.default_rng(seed), scan_date=SCAN, case_id="c", plant=False)


@pytest.mark.parametrize("seed", range(20))
def test_clean_case_is_consistent(seed: int) -> None:
    case = _clean(seed)
    letter = case.letter
    assert case.planted == ()
    assert letter.child == case.child_passport.holder
    assert letter.adult == case.adult_passport.holder
    assert letter.child_document_number == case.child_passport.document_number
    assert letter.adult_document_number == case.adult_passport.document_number
    assert _age(letter.child.birth_date) < 18 <= _age(letter.adult.birth_date)
    assert letter.issue_date <= SCAN <= letter.valid_until
    assert letter.has_seal and letter.has_signature
    roles = [role for role, _ in case.documents()]
    assert roles[:2] == ["child", "adult"]


@pytest.mark.parametrize("kind", list(Planted))
def test_each_planter_changes_what_it_names(kind: Planted) -> None:
    case = _clean(3)
    child, adult, letter, detail = _PLANTERS[kind](
        np.random.default_rng(1), case.child_passport, case.adult_passport, case.letter, SCAN
    )
    assert detail
    differs = {
        "child": letter.child != child.holder,
        "adult": letter.adult != adult.holder,
        "child_number": letter.child_document_number != child.document_number,
        "adult_number": letter.adult_document_number != adult.document_number,
        "expired": letter.valid_until < SCAN,
        "future": letter.issue_date > SCAN,
        "child_adult": _age(child.holder.birth_date) >= 18,
        "adult_minor": _age(adult.holder.birth_date) < 18,
        "authority": letter.authority != case.letter.authority,
        "no_seal": not letter.has_seal,
        "no_signature": not letter.has_signature,
    }
    expected = {
        Planted.CHILD_NAME: "child",
        Planted.CHILD_BIRTH_DATE: "child",
        Planted.CHILD_DOCUMENT_NUMBER: "child_number",
        Planted.ADULT_NAME: "adult",
        Planted.ADULT_DOCUMENT_NUMBER: "adult_number",
        Planted.CONSENT_EXPIRED: "expired",
        Planted.CONSENT_FUTURE: "future",
        Planted.CHILD_NOT_MINOR: "child_adult",
        Planted.ADULT_IS_MINOR: "adult_minor",
        Planted.AUTHORITY: "authority",
        Planted.NO_SEAL: "no_seal",
        Planted.NO_SIGNATURE: "no_signature",
    }[kind]
    assert {k for k, v in differs.items() if v} == {expected}


def test_planted_cases_are_labelled() -> None:
    planted = [
        random_case(np.random.default_rng(s), scan_date=SCAN, case_id="c", plant=True).planted
        for s in range(30)
    ]
    assert all(1 <= len(p) <= 2 for p in planted)
    assert {kind for p in planted for kind, _ in p} <= {k.value for k in Planted}


def test_two_planted_inconsistencies_never_undo_each_other() -> None:
    """A second planting must not take back the first: an adult "child" given the passport's
    new birth date in the letter too, or a future consent's date moved back by an expiry."""
    for seed in range(1500):
        case = random_case(np.random.default_rng(seed), scan_date=SCAN, case_id="c", plant=True)
        kinds = {kind for kind, _ in case.planted}
        letter = case.letter
        if Planted.CHILD_BIRTH_DATE.value in kinds:
            assert letter.child.birth_date != case.child_passport.holder.birth_date, seed
        if Planted.CONSENT_FUTURE.value in kinds:
            assert letter.issue_date > SCAN, seed
        if Planted.CONSENT_EXPIRED.value in kinds:
            assert letter.valid_until < SCAN, seed
