"""Drift: need moves and appears elsewhere; an integral network follows it, a by-mandate
decomposition does not."""

import numpy as np
import pytest

from sim import OpgaveModel
from sim.model.emergence import drift
from sim.model.opgave import Opgave, effective_domains
from tests.conftest import add_challenge, small_config


def test_effective_domains_by_hand():
    assert effective_domains(np.array([5.0, 0, 0])) == pytest.approx(1.0)
    assert effective_domains(np.array([1.0, 1.0, 1.0, 1.0])) == pytest.approx(4.0)


def test_drift_moves_need_and_keeps_the_total():
    need = np.array([10.0, 0.0, 0.0])
    op = Opgave(
        uid=0,
        order=1,
        need=need.copy(),
        remaining=need.copy(),
        sigma=0.0,
        regions=np.array([True]),
        urgency=0.5,
        business_case=0.5,
        emerged=0,
    )
    drift(op, np.random.default_rng(0), size=0.3, new_aspect=1.0, D=3)
    assert op.need.sum() == pytest.approx(10.0)
    assert op.remaining.sum() == pytest.approx(10.0)
    assert op.remaining[0] == pytest.approx(7.0)
    assert (op.need[1:] > 0).sum() == 1  # a new aspect appeared
    assert (op.remaining <= op.need + 1e-12).all()


def follow(preset: str) -> tuple[np.ndarray, np.ndarray]:
    """One challenge in care and housing; after the work starts, need drifts into energy
    (unmandated). Returns the definition and the union of initiative scopes."""
    cfg = small_config(
        f"strategy.preset={preset}",
        "world.regions=1",
        "opgaven.initial=0",
        "opgaven.arrival_rate=0",
        "opgaven.drift_rate=0",
        "actors.boundary_spanner.count=4",
    )
    model = OpgaveModel(cfg)
    # care and housing; energy is index 2
    add_challenge(model, [300.0, 300.0, 0.0, 0.0, 0.0, 0.0])
    model.run_for(5)
    op = model.opgaven[0]
    assert op.agenda_step >= 0, "the challenge must be on the agenda before it drifts"
    moved = op.remaining[:2] * 0.5
    op.remaining[:2] -= moved
    op.need[:2] -= moved
    op.remaining[2] += moved.sum()
    op.need[2] += moved.sum()
    model.run_for(10)
    inits = model.coalitions.initiatives
    return op.definition.copy(), inits.scope[inits.opgave == 0].any(axis=0)


def test_an_integral_network_follows_drift():
    definition, scope = follow("opgave_centred")
    assert definition[2] and scope[2]


def test_a_by_mandate_decomposition_does_not():
    definition, scope = follow("institutional")
    assert not definition[2] and not scope[2]
