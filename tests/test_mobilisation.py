"""Mobilisation: motive terms and utility by hand, the citizens knob, who gets asked."""

import numpy as np
import pytest

from sim import OpgaveModel
from sim.model import motives, perception
from sim.model.actors import CITIZEN, COMPANY, INSTITUTION
from sim.model.coordination import BILATERAL
from sim.model.regie import REGIE
from tests.conftest import add_challenge, run_model, small_config


def one_challenge_model(*overrides):
    model = OpgaveModel(
        small_config("opgaven.initial=0", "opgaven.arrival_rate=0", "world.regions=1", *overrides)
    )
    op = add_challenge(model, [60.0, 20.0, 20.0, 0.0, 0.0, 0.0], urgency=0.4, business_case=0.7)
    op.public_attention = 0.3
    view = perception.perceive(model, [op])
    return model, op, view


def test_motive_terms_by_hand():
    model, op, view = one_challenge_model()
    shares = op.remaining / op.remaining.sum()
    inst = int(np.flatnonzero(model.actors.type == INSTITUTION)[0])
    comp = int(np.flatnonzero(model.actors.type == COMPANY)[0])
    cit = int(np.flatnonzero(model.actors.type == CITIZEN)[0])
    terms = motives.motive_terms(model, np.array([inst, comp, cit]), op, view)
    for row, t in zip((inst, comp, cit), terms, strict=True):
        hs = float((model.actors.home[row] * shares).sum())
        s = model.actors.sensitivity[row]
        assert t[0] == pytest.approx(hs + s * (1 - hs))  # intrinsic fit, proximity 1
    hs_inst = float((model.actors.home[inst] * shares).sum())
    assert terms[0, 1] == pytest.approx(hs_inst)  # credit for its mandate
    # legal pressure: urgency 0.4 or public attention 0.3 pushes, 1 - 0.6 * 0.7 = 0.58
    assert terms[0, 2] == pytest.approx(hs_inst * 0.58)
    hs_comp = float((model.actors.home[comp] * shares).sum())
    fit = model.actors.market_fit[comp]
    assert terms[1, 1] == pytest.approx(hs_comp * min(0.7 * fit, 1.0))  # business case
    assert terms[1, 2] == pytest.approx(0.3 * (0.5 + 0.5 * hs_comp))  # reputation
    assert terms[2, 2] == 0.0  # no external pressure on a citizen


def test_utility_by_hand():
    model, _op, _view = one_challenge_model()
    row = np.array([0])
    terms = np.array([[0.5, 0.2, 0.1]])
    beta = model.actors.motives[0]
    assert motives.utility(model, row, terms)[0] == pytest.approx(
        beta[0] * 0.5 + beta[1] * 0.2 + beta[2] * 0.1 - model.actors.cost[0]
    )


@pytest.mark.parametrize("preset", ["opgave_centred", "hybrid"])
def test_citizens_excluded_never_sit_at_a_table(preset):
    model = OpgaveModel(
        small_config(f"strategy.preset={preset}", "strategy.citizens=excluded", "steps=60")
    )
    for _ in range(60):
        model.step()
        assert model.datacollector.model_vars["participation_citizen"][-1] == 0.0
    M = model.coalitions.memberships
    assert M.n > 0
    assert not (model.actors.type[M.actor] == CITIZEN).any()


def test_citizens_as_members_do_join():
    model = run_model(small_config("strategy.preset=opgave_centred", "steps=80"))
    M = model.coalitions.memberships
    assert (model.actors.type[M.actor] == CITIZEN).any()


def test_nobody_holds_more_memberships_than_allowed():
    model = OpgaveModel(small_config("strategy.preset=hybrid", "steps=50"))
    for _ in range(50):
        model.step()
        assert (model.coalitions.count <= model.actors.max_memberships).all()
        M = model.coalitions.memberships
        counted = np.bincount(M.actor[M.active], minlength=model.actors.n)
        assert (counted == model.coalitions.count).all()


def test_by_mandate_pieces_each_have_one_mandated_domain():
    model = run_model(small_config("strategy.preset=institutional", "steps=60"))
    ini = model.coalitions.initiatives
    assert ini.n > 0
    assert (ini.scope.sum(axis=1) == 1).all()
    assert model.world.mandated[ini.scope.argmax(axis=1)].all()
    # pieces are linked only by the owner's regie or by two leads, never at birth
    assert all(
        model.coalitions.link_kind(int(ini.opgave[a]), a, b) in (BILATERAL, REGIE)
        for a, b in model.coalitions.all_links()
    )
