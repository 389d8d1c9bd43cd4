"""Coordination as chosen, costly work: couplings by hand, bilateral agreements, upkeep, and what
switching the regie's convening off does (sim/model/coordination.py)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components
from scipy.stats import wilcoxon

from sim import OpgaveModel
from sim.model import agenda, coordination, decomposition, perception
from sim.model.actors import INSTITUTION
from sim.model.coordination import BILATERAL
from sim.model.regie import REGIE
from tests.conftest import add_challenge, run_model, small_config


def test_shared_pairs_by_hand():
    # actor 7: initiatives 0 (effort 2) and 2 (effort 1) on challenge 0, and 3 on challenge 1;
    # actor 8: initiatives 1 and 2 (effort 3 each) on challenge 0; actor 9 only in 0.
    actors = np.array([7, 7, 7, 8, 8, 9])
    inits = np.array([0, 2, 3, 1, 2, 0])
    opgaven = np.array([0, 0, 1, 0, 0, 0])
    effort = np.array([2.0, 1.0, 5.0, 3.0, 3.0, 4.0])
    lo, hi, both = coordination.shared_pairs(actors, inits, opgaven, effort)
    got = {(int(a), int(b)): float(e) for a, b, e in zip(lo, hi, both, strict=True)}
    assert got == {(0, 2): 2.0 * 1.0, (1, 2): 2.0 * 3.0}  # nothing across challenges


def test_shared_pairs_of_an_actor_in_three_initiatives():
    actors = np.array([1, 1, 1])
    inits = np.array([4, 5, 6])
    effort = np.array([1.0, 2.0, 3.0])
    lo, hi, both = coordination.shared_pairs(actors, inits, np.zeros(3, dtype=int), effort)
    got = {(int(a), int(b)): float(e) for a, b, e in zip(lo, hi, both, strict=True)}
    assert got == {(4, 5): 2.0, (4, 6): 2.0, (5, 6): 4.0}


def test_closure_is_as_strong_as_the_weakest_step():
    c = np.zeros((3, 3))
    c[0, 1] = c[1, 0] = 1.0  # linked
    c[1, 2] = c[2, 1] = 0.4  # a loose shared member
    closed = coordination.closure(c)
    assert closed[0, 2] == closed[2, 0] == pytest.approx(0.4)
    assert np.diag(closed) == pytest.approx([1.0, 1.0, 1.0])
    assert closed[0, 1] == 1.0


def test_cover_takes_the_strongest_partner_per_aspect():
    coupling = np.array([[1.0, 0.5], [0.5, 1.0]])
    scopes = np.array([[True, False, False], [False, True, False]])
    expected = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.0]])
    assert np.allclose(coordination.cover(coupling, scopes), expected)


def test_link_components_by_hand():
    # 0-1-2 joined in a chain (linked the long way round), 4-5 a pair, 3 and 6 alone
    labels = coordination.link_components(7, [(2, 1), (5, 4), (0, 1)])
    same = labels[:, None] == labels[None, :]
    groups = {frozenset(np.flatnonzero(row).tolist()) for row in same}
    assert groups == {frozenset({0, 1, 2}), frozenset({3}), frozenset({4, 5}), frozenset({6})}
    assert (coordination.link_components(3, []) == np.arange(3)).all()


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)))
        )
    )
)
def test_link_components_partition_as_a_graph_search_does(case):
    n, links = case
    labels = coordination.link_components(n, links)
    graph = sp.coo_array(
        (np.ones(len(links)), tuple(np.array(links, dtype=int).reshape(-1, 2).T)), shape=(n, n)
    )
    expected = connected_components(graph, directed=False)[1]
    assert ((labels[:, None] == labels[None, :]) == (expected[:, None] == expected[None, :])).all()
    assert labels.min() >= 0 and labels.max() < n


def test_link_gain_by_hand():
    need = np.array([2.0, 1.0, 1.0])
    own = np.array([True, False, False])
    partner = np.array([False, True, False])
    # integration 0.5 alone, 0.75 together: the link saves 0.6 * 0.25 of the work
    assert coordination.link_gain(0.6, need, own, partner) == pytest.approx(0.15)
    assert coordination.link_gain(0.0, need, own, partner) == 0.0


def two_pieces(*overrides: str):
    """A model with one challenge worked in two one-domain pieces, each led by an institution
    holding its domain: the setting of a bilateral agreement."""
    model = OpgaveModel(small_config("opgaven.initial=0", "opgaven.arrival_rate=0", *overrides))
    op = add_challenge(model, [100.0, 100.0, 0, 0, 0, 0], sigma=0.8, urgency=0.9)
    view = agenda.talk(model, perception.perceive(model, model.active_opgaven))
    inst = np.flatnonzero(model.actors.type == INSTITUTION)
    pieces = []
    for d in (0, 1):
        lead = int(inst[model.actors.home[inst, d]][0])
        j = decomposition.new_initiative(model, op, decomposition.one_domain(model, d), lead)
        model.coalitions.join(lead, j, 1, 1.0, model.steps)
        model.coalitions.initiatives.effort[j] = 1.0  # both at work (leads agree on those only)
        pieces.append(j)
    return model, view, op, pieces


def test_leads_agree_when_their_stake_covers_the_cost_and_end_it_when_not():
    model, view, op, (a, b) = two_pieces("dynamics.realisation.coordination_link=0.0001")
    leads = model.coalitions.initiatives.lead[[a, b]]
    stake = coordination.stakes(model, view, op, leads)
    gain = op.sigma * 0.5  # each piece holds half the need; linked, all of it
    assert (stake * gain >= 0.0001).all()  # the hand-made setting pays off for both leads
    coordination.agree(model, view, op)
    assert model.coalitions.link_kind(op.uid, a, b) == BILATERAL
    # the cost rises beyond what either lead's stake covers: the agreement ends
    model.config.dynamics.realisation.coordination_link = 1.0
    coordination.agree(model, view, op)
    assert model.coalitions.link_kind(op.uid, a, b) is None


def test_without_bilateral_agreements_leads_make_no_links():
    model, view, op, (a, b) = two_pieces(
        "dynamics.realisation.coordination_link=0.0001", "dynamics.regie.bilateral=false"
    )
    coordination.agree(model, view, op)
    assert model.coalitions.link_kind(op.uid, a, b) is None


def test_a_link_one_side_does_not_pay_for_lapses():
    model, _, op, (a, b) = two_pieces()
    model.coalitions.link(op.uid, a, b, REGIE)
    effort = np.zeros(model.coalitions.initiatives.n)
    effort[a] = 1.0
    coordination.upkeep(model, effort)
    assert not model.coalitions.links_of(op.uid)
    model.coalitions.link(op.uid, a, b, REGIE)
    effort[b] = 0.5
    coordination.upkeep(model, effort)
    assert model.coalitions.links_of(op.uid) == {(min(a, b), max(a, b))}


@pytest.mark.parametrize("preset", ["opgave_centred", "hybrid"])
def test_nothing_is_linked_at_birth(preset, monkeypatch):
    seen_links = []
    cut = decomposition.cut

    def watched(model, view, op, definers):
        cut(model, view, op, definers)
        seen_links.append(model.coalitions.links_of(op.uid))

    monkeypatch.setattr(decomposition, "cut", watched)
    run_model(small_config(f"strategy.preset={preset}", "steps=60"))
    assert seen_links  # challenges were taken up
    assert all(not links for links in seen_links)


def test_links_made_are_the_regie_or_the_leads():
    model = OpgaveModel(small_config("strategy.preset=hybrid", "steps=60"))
    kinds = set()
    for _ in range(60):
        model.step()
        for op in model.active_opgaven:
            kinds |= {
                model.coalitions.link_kind(op.uid, *ln) for ln in model.coalitions.links_of(op.uid)
            }
    assert kinds and kinds <= {REGIE, BILATERAL}


def mean_fragmentation(preset: str, seed: int, *overrides: str) -> float:
    model = run_model(
        small_config(f"strategy.preset={preset}", f"seed={seed}", "steps=80", *overrides)
    )
    return float(model.datacollector.get_model_vars_dataframe()["fragmentation"].mean())


def test_without_convening_the_hybrid_fragments():
    """Switch-off: a hybrid's pieces are held together only by the links its regie-holders make.
    With ``dynamics.regie.convene = 0`` nobody makes them (bilateral agreements remain), so its
    run-mean fragmentation rises, pair by pair on the same worlds."""
    seeds = range(8)
    held = np.array([mean_fragmentation("hybrid", s) for s in seeds])
    loose = np.array([mean_fragmentation("hybrid", s, "dynamics.regie.convene=0") for s in seeds])
    assert (loose - held).mean() > 0
    assert wilcoxon(loose - held, alternative="greater").pvalue < 0.01
