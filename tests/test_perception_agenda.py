"""Perception through lenses, scarce attention, support and the owner's gate on the agenda."""

import numpy as np
import pytest

from sim.model import agenda, perception
from sim.model.opgave import Status
from tests.conftest import add_challenge, small_config


def test_effective_lens_by_hand():
    lens = np.array([[0.9, 0.1], [0.5, 0.0]])
    eff = perception.effective_lens(lens, np.array([0.0, 0.5]))
    # row 0 unchanged (s = 0); row 1: 1 - 0.5*0.5 = 0.75 and 1 - 1*0.5 = 0.5
    assert eff == pytest.approx(np.array([[0.9, 0.1], [0.75, 0.5]]))


def test_need_shares_and_proximity():
    shares = perception.need_shares(np.array([[2.0, 2.0, 0.0], [0, 0, 0]]))
    assert shares == pytest.approx(np.array([[0.5, 0.5, 0.0], [0, 0, 0]]))
    regions = np.array([[True, False], [False, True]])  # challenge 0 in region 0, 1 in region 1
    prox = perception.proximity(np.array([0, 1]), np.array([0.2, 0.3]), regions)
    assert prox == pytest.approx(np.array([[1.0, 0.2], [0.3, 1.0]]))


def test_raw_salience_by_hand():
    from sim import OpgaveModel

    model = OpgaveModel(small_config("world.regions=1"))
    op = model.active_opgaven[0]
    view = perception.perceive(model, [op])
    i = 0
    share = op.remaining / op.remaining.sum()
    expected = op.urgency * (model.actors.lens_eff[i] * share).sum() * 1.0
    assert view.x0[i, 0] == pytest.approx(expected)


def test_scarce_attention_keeps_the_top_slots():
    x = np.array([[0.1, 0.5, 0.3, 0.0], [0.0, 0.0, 0.0, 0.2]])
    att = agenda.scarce_attention(x, 2)
    assert att.tolist() == [[False, True, True, False], [False, False, False, True]]


def test_support_by_hand():
    x = np.array([[0.5], [0.2]])
    att = np.array([[True], [False]])
    cap = np.array([2.0, 1.0])
    eligible = np.ones((2, 1), bool)
    relevance = np.array([[1.0], [0.5]])
    # carried = 2 * 0.5 = 1.0; mass = 2 * 1 + 1 * 0.5 = 2.5
    assert agenda.support(x, att, cap, eligible, relevance) == pytest.approx([0.4])


def between_mandates(preset: str):
    """A world where one challenge spreads its need evenly over four mandated domains, so no
    institution sees 35% of it in its mandate (mandate_fit)."""
    cfg = small_config(
        f"strategy.preset={preset}",
        "world.unmandated=[]",
        "world.regions=1",
        "opgaven.initial=0",
        "opgaven.arrival_rate=0",
        "dynamics.agenda.mandate_fit=0.35",
    )
    from sim import OpgaveModel

    model = OpgaveModel(cfg)
    add_challenge(model, [50.0, 50.0, 50.0, 50.0, 0.0, 0.0], order=3, sigma=0.8)
    model.run_for(10)
    return model.opgaven[0]


def test_a_challenge_between_mandates_waits_under_the_owner_but_not_collectively():
    assert between_mandates("institutional").agenda_step == -1
    op = between_mandates("opgave_centred")
    assert op.agenda_step >= 1
    assert op.status in (Status.MOBILISED, Status.REALISING, Status.RESOLVED)
