"""Realisation and the metrics it feeds: overhead, clusters, fragmentation and value by hand."""

import numpy as np
import pytest

from sim.model.metrics import (
    blau_index,
    fragmentation_by_group,
    fragmentation_index,
    weighted_mean,
)
from sim.model.realisation import clusters, coordination_overhead


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


def test_fragmentation_by_group_matches_the_single_index():
    efforts = np.array([6.0, 2.0, 2.0, 4.0, 4.0])
    labels = np.array([0, 1, 2, 3, 3])  # challenge 0: three clusters; challenge 1: one
    group = np.array([0, 0, 0, 1, 1])
    out = fragmentation_by_group(efforts, labels, group)
    assert out[0] == pytest.approx(fragmentation_index([6.0, 2.0, 2.0]))
    assert out[1] == 0.0


def test_clusters_from_links_and_shared_members():
    # initiatives 0,1,2 on challenge 0; 3 on challenge 1. Actor 7 is in 0 and 2; link 0-1.
    actors = np.array([7, 7, 8, 7])
    inits = np.array([0, 2, 1, 3])
    opgaven = np.array([0, 0, 0, 1])
    labels = clusters(4, [(0, 1)], actors, inits, opgaven)
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] != labels[0]  # same actor, other challenge: no coordination


def test_weighted_mean_by_hand():
    assert weighted_mean(np.array([1.0, 0.0]), np.array([3.0, 1.0])) == pytest.approx(0.75)
