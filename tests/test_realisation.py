"""Realisation and the metrics it feeds: overhead, fragmentation and value by hand."""

import numpy as np
import pytest

from sim.model.metrics import (
    blau_index,
    unintegrated_share,
    weighted_mean,
)
from sim.model.realisation import coordination_overhead


def test_coordination_overhead_by_hand():
    out = coordination_overhead(
        np.array([1, 4, 100]), np.array([0.0, 0.5, 0.75]), np.array([0, 2, 0]), 0.1, 0.2, 0.05, 0.6
    )
    assert out == pytest.approx([0.0, 0.1 * np.log(4) + 0.1 + 0.1, 0.6])


def test_blau_index_by_hand():
    assert blau_index(np.array([[2, 2, 0], [3, 0, 0], [0, 0, 0]])) == pytest.approx([0.5, 0.0, 0.0])


def test_unintegrated_share_by_hand():
    effort = np.array([6.0, 2.0, 2.0])
    # three pieces integrated with 0.5, 0.25 and 1.0 of the challenge:
    # (6 · 0.5 + 2 · 0.75 + 2 · 0) / 10 = 0.45
    assert unintegrated_share(effort, np.array([0.5, 0.25, 1.0])) == pytest.approx(0.45)
    # parallel approaches that each hold the whole challenge are not fragmented
    assert unintegrated_share(effort, np.ones(3)) == 0.0
    assert unintegrated_share(np.zeros(3), np.zeros(3)) == 0.0


def test_weighted_mean_by_hand():
    assert weighted_mean(np.array([1.0, 0.0]), np.array([3.0, 1.0])) == pytest.approx(0.75)
