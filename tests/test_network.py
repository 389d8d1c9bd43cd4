"""The social network: initial ties, tie dynamics, measures and export."""

import numpy as np
import pytest
import scipy.sparse as sp

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
