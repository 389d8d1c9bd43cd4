"""Realisation and the metrics it feeds: overhead, fragmentation and value by hand."""

import numpy as np
import pytest

from sim.model.metrics import (
    blau_index,
    coupled_fragmentation,
    fragmentation_index,
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


def test_fragmentation_index_by_hand():
    assert fragmentation_index([10.0]) == 0.0
    assert fragmentation_index([5.0, 5.0]) == pytest.approx(0.5)
    assert fragmentation_index([6.0, 2.0, 2.0]) == pytest.approx(1 - 0.36 - 0.04 - 0.04)
    assert fragmentation_index([]) == 0.0


def test_coupled_fragmentation_by_hand():
    effort = np.array([6.0, 2.0, 2.0])
    # 0/1 coupling: the cluster formula; 0 and 1 couple fully, 2 stands alone
    hard = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert coupled_fragmentation(effort, hard) == pytest.approx(fragmentation_index([8.0, 2.0]))
    assert coupled_fragmentation(effort, np.eye(3)) == pytest.approx(fragmentation_index(effort))
    # half coupling between 0 and 1: e'Ce = 36 + 4 + 4 + 2 * 0.5 * 12 = 56 of 100
    half = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert coupled_fragmentation(effort, half) == pytest.approx(1 - 56 / 100)
    assert coupled_fragmentation(np.zeros(3), half) == 0.0


def test_weighted_mean_by_hand():
    assert weighted_mean(np.array([1.0, 0.0]), np.array([3.0, 1.0])) == pytest.approx(0.75)
