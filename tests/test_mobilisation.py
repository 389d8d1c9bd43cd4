"""Mobilisation: motive terms and utility by hand, the citizens knob, who gets asked, and
what an actor at its membership cap gives up."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sim import OpgaveModel
from sim.config.actors import ACTOR_TYPES
from sim.model import agenda, motives, perception, recruitment
from sim.model.actors import CITIZEN, COMPANY, INSTITUTION
from sim.model.coalitions import Ending
from sim.model.coordination import BILATERAL
from sim.model.records import membership_records
from sim.model.regie import REGIE
from tests.conftest import add_challenge, run_model, small_config


def one_challenge_model(*overrides):
    model = OpgaveModel(
        small_config("opgaven.initial=0", "opgaven.arrival_rate=0", "world.regions=1", *overrides)
    )
    op = add_challenge(model, [60.0, 20.0, 20.0, 0.0, 0.0, 0.0], urgency=0.4, business_case=0.7)
    op.public_attention = 0.3
    view = agenda.talk(model, perception.perceive(model, [op]))
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


# -- capacity: an actor at its cap trades its weakest membership for a better one --------------
def citizen_in_one_initiative():
    """A citizen (cap 1) holding one membership on challenge ``a``; challenge ``b`` has an
    initiative it could join."""
    model = OpgaveModel(
        small_config("opgaven.initial=0", "opgaven.arrival_rate=0", "world.regions=1")
    )
    a = add_challenge(model, [60.0, 20.0, 20.0, 0.0, 0.0, 0.0], urgency=0.4)
    b = add_challenge(model, [0.0, 0.0, 0.0, 30.0, 30.0, 40.0], urgency=0.4)
    view = agenda.talk(model, perception.perceive(model, [a, b]))
    C = model.coalitions
    scope = np.ones(model.world.n_domains, dtype=bool)
    ja = C.new_initiative(a.uid, scope, lead=-1, quality=1.0, step=0)
    jb = C.new_initiative(b.uid, scope, lead=-1, quality=1.0, step=0)
    cit = int(np.flatnonzero(model.actors.type == CITIZEN)[0])
    assert model.actors.max_memberships[cit] == 1
    terms_a = motives.motive_terms(model, np.array([cit]), a, view)[0]
    motives.join(model, cit, ja, terms_a)
    return model, view, cit, terms_a, jb


def gain_of(model, actor, terms):
    """The utility ``U = Σβ·term − cost`` of a membership with ``terms`` to ``actor``."""
    return float(motives.utility(model, np.array([actor]), np.asarray(terms)[None, :])[0])


def test_an_actor_below_its_cap_has_room_and_gives_up_nothing():
    model, view, _cit, _terms, _jb = citizen_in_one_initiative()
    spanner = int(np.flatnonzero(model.actors.type != CITIZEN)[0])
    assert motives.make_room(model, view, spanner, gain_of(model, spanner, np.ones(3)))
    assert model.coalitions.memberships.active.all()


def test_at_its_cap_an_actor_gives_up_its_weakest_membership_for_one_that_gives_more():
    model, view, cit, terms_a, jb = citizen_in_one_initiative()
    beta, cost = model.actors.motives[cit], model.actors.cost[cit]
    held_value = float(beta @ terms_a)  # its cost is spent: the held one is valued without it
    better = np.ones(3)
    assert float(beta.sum()) - cost > held_value  # the case this test is about
    assert motives.make_room(model, view, cit, gain_of(model, cit, better))
    M = model.coalitions.memberships
    assert not M.active[0] and M.ending[0] == Ending.CAPACITY and M.left[0] == model.steps
    assert model.coalitions.count[cit] == 0 and model.coalitions.held_by(cit).size == 0
    motives.join(model, cit, jb, better)
    assert model.coalitions.held_by(cit).tolist() == [1]


def test_at_its_cap_an_actor_keeps_what_it_has_when_the_new_one_gives_no_more():
    model, view, cit, terms_a, _jb = citizen_in_one_initiative()
    # the same challenge's terms again: the cost of joining makes it worth less than the held one
    assert not motives.make_room(model, view, cit, gain_of(model, cit, terms_a))
    assert model.coalitions.memberships.active[0]
    assert model.coalitions.count[cit] == 1


def capacity_endings(*overrides):
    model = run_model(small_config("strategy.preset=hybrid", "steps=60", *overrides))
    return pd.DataFrame(membership_records(model))


def test_capacity_endings_come_only_from_a_trade_and_go_when_caps_never_bind():
    m = capacity_endings()
    traded = m[m.ending == "capacity"]
    assert len(traded) > 0
    # each one was given up at the step its actor took up another membership, a later row
    rows = m.reset_index(drop=True)
    for row, t in traded.iterrows():
        later = rows.iloc[row + 1 :]
        assert ((later.actor == t.actor) & (later.joined == t.left)).any()
    # switch-off: caps nobody reaches, or no trading at the cap: no membership ends for capacity
    roomy = [f"actors.{t}.max_memberships=1000" for t in ACTOR_TYPES]
    assert (capacity_endings(*roomy).ending != "capacity").all()
    assert (capacity_endings("dynamics.mobilisation.trade_at_cap=false").ending != "capacity").all()


def test_without_trading_an_actor_at_its_cap_declines_even_a_better_offer():
    model, view, cit, terms_a, _jb = citizen_in_one_initiative()
    model.config.dynamics.mobilisation.trade_at_cap = False
    better = gain_of(model, cit, np.ones(3))
    assert better > float(model.actors.motives[cit] @ terms_a)  # it would trade if it could
    assert not motives.make_room(model, view, cit, better)
    assert model.coalitions.memberships.active[0] and model.coalitions.count[cit] == 1


def near_and_far(*overrides):
    """A world with one citizen's home challenge (near) and one outside its home domains (far),
    an initiative on each, seen by everyone."""
    model = OpgaveModel(
        small_config("opgaven.initial=0", "opgaven.arrival_rate=0", "world.regions=1", *overrides)
    )
    cit = int(np.flatnonzero(model.actors.type == CITIZEN)[0])
    home = model.actors.home[cit].astype(float)
    near = add_challenge(model, 100.0 * home, urgency=0.4)
    far = add_challenge(model, 100.0 * (1.0 - home), urgency=0.4)
    view = agenda.talk(model, perception.perceive(model, [near, far]))
    scope = np.ones(model.world.n_domains, dtype=bool)
    inits = [model.coalitions.new_initiative(op.uid, scope, -1, 1.0, 0) for op in (near, far)]
    terms = [motives.motive_terms(model, np.array([cit]), op, view)[0] for op in (near, far)]
    beta = model.actors.motives[cit]
    assert beta @ terms[1] < beta @ terms[0]  # the far one gives the citizen less
    return model, view, cit, (near, far), inits, terms


def test_at_its_cap_an_actor_gives_up_the_membership_that_gives_it_least():
    model, view, cit, _ops, (j_near, j_far), (t_near, t_far) = near_and_far(
        "actors.citizen.max_memberships=2"
    )
    motives.join(model, cit, j_near, t_near)  # row 0, worth more
    motives.join(model, cit, j_far, t_far)  # row 1, worth less
    assert motives.make_room(model, view, cit, gain_of(model, cit, np.ones(3)))
    M = model.coalitions.memberships
    assert M.active[0] and not M.active[1] and M.ending[1] == Ending.CAPACITY


@pytest.mark.parametrize("holds", ["far", "near"])
def test_a_self_mobilising_citizen_at_its_cap_trades_up_and_never_down(holds):
    model, view, cit, (near, far), (j_near, j_far), (t_near, t_far) = near_and_far(
        "strategy.preset=opgave_centred", "actors.citizen.self_mobilisation=1"
    )
    model.actors.cost[cit] = 0.0  # so the better challenge pays more even after joining
    held, offered = (j_far, near) if holds == "far" else (j_near, far)
    motives.join(model, cit, held, t_far if holds == "far" else t_near)
    view.attention[:, :] = False
    view.attention[cit, view.column(offered)] = True  # only this citizen carries the offer
    recruitment.self_mobilise(model, view, offered)
    M, C = model.coalitions.memberships, model.coalitions
    if holds == "far":  # trades up: the far membership ends for capacity, it joins near
        assert M.ending[0] == Ending.CAPACITY and C.is_member(cit, j_near)
    else:  # never down: it keeps the near membership and does not join far
        assert M.active[0] and not C.is_member(cit, j_far) and C.count[cit] == 1


@pytest.mark.parametrize("fitting", [[False, True, True], [False, False, False]])
def test_a_self_mobilising_citizen_joins_the_first_initiative_holding_its_home_domain(fitting):
    model, op, view = one_challenge_model(
        "strategy.preset=opgave_centred", "actors.citizen.self_mobilisation=1"
    )
    cit = int(np.flatnonzero(model.actors.type == CITIZEN)[0])
    model.actors.cost[cit] = 0.0  # joining pays whatever its terms
    home = int(model.actors.primary[cit])
    inits = []
    for fits in fitting:
        scope = np.ones(model.world.n_domains, dtype=bool)
        scope[home] = fits
        inits.append(model.coalitions.new_initiative(op.uid, scope, -1, 1.0, 0))
    view.attention[:, :] = False
    view.attention[cit, view.column(op)] = True  # only this citizen carries it
    recruitment.self_mobilise(model, view, op)
    # the first initiative whose scope holds its home domain; with none, the oldest
    expected = inits[fitting.index(True)] if any(fitting) else inits[0]
    assert [model.coalitions.is_member(cit, j) for j in inits] == [j == expected for j in inits]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 12), st.integers(0, 2**16), st.data())
def test_a_memberships_terms_are_its_own_computed_alone_or_with_others(domains, seed, data):
    # A step computes each membership's terms once (motives.terms_now) and reuses them, also
    # for rows first asked for among others: this holds only because every term is the row's
    # own, to the last bit, in any number of domains (sums over a row's domains included).
    names = [f"d{i}" for i in range(domains)]
    model = run_model(
        small_config(f"world.domains=[{','.join(names)}]", "world.unmandated=[]", f"seed={seed}"),
        steps=15,
    )
    rows = model.coalitions.active_rows()
    assume(rows.size > 1)
    view = agenda.talk(model, perception.perceive(model, model.active_opgaven))
    together = motives.membership_terms(model, rows, view)
    some = np.array(sorted(data.draw(st.sets(st.sampled_from(rows.tolist()), min_size=1))))
    alone = motives.membership_terms(model, some, view)
    assert np.array_equal(alone, together[np.searchsorted(rows, some)])
    # and the step's cache hands back the same, whatever was asked before
    cached = motives.terms_now(model, some, view)
    assert np.array_equal(motives.terms_now(model, rows, view), together)
    assert np.array_equal(cached, alone)
