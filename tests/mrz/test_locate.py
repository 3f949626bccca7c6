"""Grouping located text lines into an MRZ: geometry of the chains."""

from __future__ import annotations

import math

import numpy as np
import pytest

from docfraud.mrz.locate import LONGER_OCCUPANCY, _best_window, _Chain, _spacing


def _chain(y_at_middle: float, slope: float, x0: float = 100.0, x1: float = 900.0) -> _Chain:
    """A text line from x0 to x1 through (middle, y_at_middle) with the given slope."""
    direction = np.array([1.0, slope]) / math.hypot(1.0, slope)
    normal = np.array([-direction[1], direction[0]])
    middle = np.array([(x0 + x1) / 2, y_at_middle])
    offset = float(np.dot(middle, normal))
    along = float(np.dot(middle, direction))
    half = (x1 - x0) / 2 * direction[0]
    return _Chain(np.arange(30), direction, normal, offset, along - half, along + half, 20.0)


@pytest.mark.parametrize("slope", [0.0, 0.02, -0.03])
def test_spacing_is_measured_between_the_lines_middles(slope: float) -> None:
    """Two lines 30 px apart at their middles, the lower one a degree steeper: their offsets
    along their own normals differ by more than 30 px, the spacing is 30."""
    upper, lower = _chain(400.0, slope), _chain(430.0, slope + 0.018)
    assert _spacing(upper, lower) == pytest.approx(30.0, abs=0.5)
    assert abs((lower.offset - upper.offset) - 30.0) > 5.0


def _glyphs(cells: range, pitch: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """Glyph centres and widths of a line whose glyphs fill ``cells`` of a lattice from 0."""
    centres = np.array([(k + 0.5) * pitch for k in cells])
    return centres, np.full(centres.size, 0.6 * pitch)


def test_two_lines_short_of_44_glyphs_fill_36_cells_best_and_44_from_their_start() -> None:
    """A TD3 whose last glyphs glare hid (36 and 35 of 44 found): 36 cells are filled best, and
    of the equally filled 44-cell runs the one starting at the first glyph is offered."""
    glyphs = [_glyphs(range(0, 36)), _glyphs(range(0, 35))]
    assert _best_window(glyphs, 0.0, 10.0, (44, 36)) == (0, 36, 1.0)
    assert _best_window(glyphs, 0.0, 10.0, (44,)) is None
    first, count, occupancy = _best_window(glyphs, 0.0, 10.0, (44,), least=LONGER_OCCUPANCY)
    assert (first, count) == (0, 44) and LONGER_OCCUPANCY <= occupancy < 0.85
