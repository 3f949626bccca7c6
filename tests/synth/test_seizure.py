"""The seizure generator's plan: unique identities and planted groups, whatever the dates drawn;
and the workshop groups' documents: one design, each portrait replaced."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from docfraud.synth.seizure import (
    WORKSHOP_FORGERIES,
    _plan,
    _render,
    default_templates,
    generate_seizure,
)


def test_plan_survives_issue_dates_on_29_february() -> None:
    # seed 7 draws a shared-photo document issued on 29 February, whose holder's birth date
    # was once computed by replacing the year (ValueError in a year without one)
    items, links = _plan(1000, 7, 0.1, default_templates())
    assert len(items) == 1000
    assert Counter(link["type"] for link in links) == {"same_portrait": 20, "same_number": 20}


def test_workshops_come_after_the_others_which_stay_as_they_are() -> None:
    plain, plain_links = _plan(200, 9, 0.1, default_templates())
    items, links = _plan(200, 9, 0.1, default_templates(), workshop_share=0.05)
    assert items[:200] == plain and links[: len(plain_links)] == plain_links
    added = items[200:]
    assert 8 <= len(added) <= 10 and all(it.forgery is not None for it in added)
    assert [it.index for it in added] == list(range(200, 200 + len(added)))


def test_a_workshop_group_is_one_design_with_every_portrait_replaced() -> None:
    items, links = _plan(300, 5, 0.1, default_templates(), workshop_share=0.1)
    groups = [g for g, link in enumerate(links) if link["type"] == "same_workshop"]
    assert groups
    for g in groups:
        members = [it for it in items if it.link == g]
        assert len(members) == links[g]["size"]
        assert len({m.template.name for m in members}) == 1
        assert len({m.data.issuing_state for m in members}) == 1
        assert len({m.data.holder.face_seed for m in members}) == len(members)
        assert len({m.data.document_number for m in members}) == len(members)
        assert {m.forgery for m in members} == {WORKSHOP_FORGERIES_BY_VALUE[links[g]["forgery"]]}
    assert all(it.forgery is None for it in items if it.link not in groups)


WORKSHOP_FORGERIES_BY_VALUE = {f.value: f for f in WORKSHOP_FORGERIES}


def test_a_workshop_page_differs_from_its_genuine_render_at_the_portrait(tmp_path: Path) -> None:
    items, links = _plan(40, 3, 0.0, default_templates(), workshop_share=0.1)
    item = next(it for it in items if it.forgery is not None)
    for run in ("forged", "genuine"):
        (tmp_path / run / "images").mkdir(parents=True)
    forged = _render((item, 3, str(tmp_path / "forged")))
    genuine = _render((replace(item, forgery=None), 3, str(tmp_path / "genuine")))
    assert forged["forgery"] == item.forgery.value and genuine["forgery"] is None
    (page,) = [f for f in forged["files"] if f["portrait_box"]]
    x, y, w, h = page["portrait_box"]
    a, b = (cv2.imread(str(tmp_path / run / page["file"])) for run in ("forged", "genuine"))
    inside = np.abs(a[y : y + h, x : x + w].astype(int) - b[y : y + h, x : x + w]).mean()
    assert inside > 10  # another face (captures are identical streams: only the photo differs)


def test_generated_manifest_names_the_workshop_forgery(tmp_path: Path) -> None:
    manifest = generate_seizure(
        tmp_path, 10, seed=3, planted_share=0.0, workshop_share=0.3, workers=1
    )
    link = next(link for link in manifest["links"] if link["type"] == "same_workshop")
    assert link["forgery"] in {f.value for f in WORKSHOP_FORGERIES}
    assert len(link["files"]) == link["size"]
    members = [d for d in manifest["documents"] if d["id"] in link["documents"]]
    assert all(d["forgery"] == link["forgery"] for d in members)
