"""The social network: initial ties, tie dynamics, measures and export."""

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import OpgaveModel
from sim.model import network
from sim.model.world import symmetric_ties
from tests.conftest import run_model, small_config


def test_initial_ties_are_symmetric_and_homophilous():
    model = OpgaveModel(small_config("actors.citizen.count=300", "dynamics.network.homophily=0.9"))
    T = model.ties
    assert (abs(T - T.T)).max() == 0
    assert T.diagonal().max() == 0
    upper = sp.triu(T, k=1, format="coo")
    same = (model.actors.primary[upper.row] == model.actors.primary[upper.col]) & (
        model.actors.region[upper.row] == model.actors.region[upper.col]
    )
    assert same.mean() > 0.5  # most ties within domain and region


def test_symmetric_ties_add_duplicates_and_drop_self_pairs():
    T = symmetric_ties(np.array([0, 0, 1]), np.array([1, 1, 1]), 0.5, 3).toarray()
    assert T[0, 1] == T[1, 0] == pytest.approx(1.0)
    assert T[1, 1] == 0


def test_ties_decay_and_fall_away_without_work():
    cfg = small_config(
        "opgaven.initial=0",
        "opgaven.arrival_rate=0",
        "dynamics.network.tie_decay=0.5",
        "dynamics.network.tie_min=0.2",
    )
    model = OpgaveModel(cfg)
    w0 = model.ties.data.copy()
    network.update_ties(model)
    assert model.ties.data == pytest.approx(w0 * 0.5)  # weights 1 -> 0.5, still above 0.2
    network.update_ties(model)
    network.update_ties(model)  # 0.125 < 0.2: dropped
    assert model.ties.nnz == 0


def a_network(ties, pairs, decay, gain, tie_min):
    """A stand-in model holding ``ties``, whose members worked together in ``pairs``."""
    params = SimpleNamespace(tie_decay=decay, tie_gain=gain, tie_min=tie_min)
    model = SimpleNamespace(
        config=SimpleNamespace(dynamics=SimpleNamespace(network=params)),
        actors=SimpleNamespace(n=ties.shape[0]),
        ties=ties,
    )
    i, j = (
        (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
        if pairs
        else (
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
        )
    )
    return model, (i, j)


def test_ties_decay_gain_per_pair_met_and_the_weakest_drop(monkeypatch):
    ties = symmetric_ties(np.array([0, 2]), np.array([1, 3]), np.array([0.5, 0.25]), 4)
    # 0 and 1 met three times (once seen from 1), 1 and 2 twice, 2 with itself
    model, pairs = a_network(ties, [(0, 1), (0, 1), (1, 0), (1, 2), (2, 1), (2, 2)], 0.5, 0.2, 0.15)
    monkeypatch.setattr(network, "collaboration_pairs", lambda model: pairs)
    network.update_ties(model)
    T = model.ties.toarray()
    assert T[0, 1] == T[1, 0] == pytest.approx(0.5 * 0.5 + 3 * 0.1)
    assert T[1, 2] == T[2, 1] == pytest.approx(2 * 0.1)  # a new tie
    assert T[2, 3] == T[3, 2] == 0  # 0.125 < 0.15: dropped
    assert np.count_nonzero(T) == 4 and model.ties.has_canonical_format


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(2, 9),
    old=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8), st.floats(0.01, 3)), max_size=30),
    met=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=30),
    decay=st.sampled_from([0.0, 1.0]) | st.floats(0, 1),
    gain=st.sampled_from([0.0]) | st.floats(0, 1),
    tie_min=st.sampled_from([0.0]) | st.floats(0, 1),
)
def test_updated_ties_are_the_sparse_sums_to_the_last_bit(n, old, met, decay, gain, tie_min):
    # the same as decaying the matrix, adding the pairs' symmetric gains and dropping what
    # falls below the minimum with sparse-matrix operations (the way it was first written)
    old = [(a % n, b % n, w) for a, b, w in old]
    met = [(a % n, b % n) for a, b in met]
    i, j, w = (np.array(side) for side in zip(*old, strict=True)) if old else ([], [], [])
    ties = symmetric_ties(np.asarray(i, int), np.asarray(j, int), np.asarray(w, float), n)
    model, pairs = a_network(ties, met, decay, gain, tie_min)
    expected = ties * (1.0 - decay)
    if pairs[0].size:
        expected = expected + symmetric_ties(*pairs, gain / 2.0, n)
    expected = sp.csr_array(expected)
    expected.data[expected.data < tie_min] = 0.0
    expected.eliminate_zeros()
    network.collaboration_pairs, saved = (lambda model: pairs), network.collaboration_pairs
    try:
        network.update_ties(model)
    finally:
        network.collaboration_pairs = saved
    got = model.ties
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)  # bit for bit


def test_working_together_creates_ties():
    model = run_model(
        small_config("strategy.preset=opgave_centred", "steps=30", "dynamics.network.tie_decay=0")
    )
    M = model.coalitions.memberships
    assert M.n > 0
    fresh = OpgaveModel(model.config)
    assert model.ties.sum() > fresh.ties.sum()


def test_measures_and_graphml(tmp_path):
    import networkx as nx

    model = run_model(small_config("steps=10"))
    network.measure(model)
    n = model.actors.n
    assert model.network_stats["density"] == pytest.approx(
        sp.triu(model.ties, k=1).nnz / (n * (n - 1) / 2)
    )
    G = network.to_networkx(model)
    nx.write_graphml(G, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_nodes() == n
    assert {d["type"] for _, d in back.nodes(data=True)} <= {
        "citizen",
        "institution",
        "company",
        "boundary_spanner",
    }
    s = network.summary(model)
    assert 0 <= s["spanner_betweenness"] <= 1
