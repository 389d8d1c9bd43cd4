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
    op.locked = np.array([4.0, 0.0, 0.0])
    drift(op, (0.0, 0.0, 0.99), size=0.3, new_aspect=1.0)  # from care to the last fresh domain
    assert op.need.sum() == pytest.approx(10.0)
    assert op.remaining.sum() == pytest.approx(10.0)
    assert op.remaining.tolist() == pytest.approx([7.0, 0.0, 3.0])
    assert op.locked.tolist() == pytest.approx([2.8, 0.0, 1.2])  # instruments move along
    assert op.spans.tolist() == [True, False, True]
    assert (op.remaining <= op.need + 1e-12).all()


def two_domain_challenge() -> Opgave:
    need = np.array([10.0, 10.0, 0.0, 0.0])
    return Opgave(0, 2, need.copy(), need.copy(), 0.0, np.array([True]), 0.5, 0.5, 0)


def test_drift_is_neutral_between_domains():
    """Each domain it does not span, mandated or not, is an equally likely new aspect; each
    spanned domain an equally likely source."""

    def new_aspect_for(u: float) -> int:
        op = two_domain_challenge()
        drift(op, (0.0, 0.0, u), 0.5, 1.0)
        return int(np.flatnonzero(op.spans)[-1])

    assert [new_aspect_for(0.1), new_aspect_for(0.6)] == [2, 3]
    op = two_domain_challenge()
    drift(op, (0.9, 1.0, 0.0), 0.5, 0.0)  # from the second spanned domain to the other one
    assert op.remaining.tolist() == pytest.approx([15.0, 5.0, 0.0, 0.0])


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
        # regie tasks always done, held or not: this is about following drift, not the regie
        "dynamics.regie.chance=1",
    )
    model = OpgaveModel(cfg)
    # care and housing; energy is index 2
    add_challenge(model, [300.0, 300.0, 0.0, 0.0, 0.0, 0.0])
    model.run_for(5)
    op = model.opgaven[0]
    assert op.agenda_step >= 0, "the challenge must be on the agenda before it drifts"
    drift(op, (0.0, 0.0, 0.0), size=0.5, new_aspect=1.0)  # half of care's need into energy
    assert op.spans[2] and op.remaining[2] > 0
    model.run_for(10)
    inits = model.coalitions.initiatives
    return op.definition.copy(), inits.scope[inits.opgave == 0].any(axis=0)


def test_an_integral_network_follows_drift():
    definition, scope = follow("opgave_centred")
    assert definition[2] and scope[2]


def test_a_by_mandate_decomposition_does_not():
    definition, scope = follow("institutional")
    assert not definition[2] and not scope[2]
