"""Motives that change (docs/ODD.md 7.6b): the business case walks, public attention is a
decaying stock, pressure follows them, recruiting costs effort, an interest table forms only
what pays off, and every membership is recorded with why it held and why it ended."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sim import OpgaveModel
from sim.config.dynamics import IncentiveParams
from sim.engine.run import run_config, write_run
from sim.model import agenda, incentives, perception
from sim.model.actors import CITIZEN, COMPANY, INSTITUTION, Context, Institution
from sim.model.coalitions import Coalitions, Ending
from sim.model.motives import MOTIVE_LABELS, motive_label
from sim.model.realisation import allocate_effort
from sim.model.records import ENDINGS, membership_records
from sim.model.recruitment import TABLES
from tests.conftest import add_challenge, run_model, small_config


def test_walk_by_hand():
    p = IncentiveParams(business_drift=0.1, business_shock_chance=0.02, business_shock_size=0.4)
    case = np.array([0.5, 0.5, 0.5])
    # no shock (0.9 >= 0.02): each domain moves by drift * (2u - 1)
    calm = incentives.walk(case, np.array([0.75, 0.25, 0.5, 0.9, 0.0, 0.0]), p)
    assert calm == pytest.approx([0.55, 0.45, 0.5])
    # a shock (0.0 < 0.02) on domain int(0.4 * 3) = 1, downward (0.7 >= 0.5): 0.45 - 0.4
    hit = incentives.walk(case, np.array([0.75, 0.25, 0.5, 0.0, 0.4, 0.7]), p)
    assert hit == pytest.approx([0.55, 0.05, 0.5])
    # upward, and clipped to [0, 1]
    up = incentives.walk(np.array([0.9, 0.0]), np.array([0.5, 0.0, 0.0, 0.0, 0.2]), p)
    assert up == pytest.approx([1.0, 0.0])
    assert case == pytest.approx([0.5, 0.5, 0.5])  # the input is not changed


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 8), d=st.integers(1, 9), seed=st.integers(0, 2**32 - 1))
def test_all_challenges_walk_at_once_as_each_would_alone(m, d, seed):
    # the same numbers, to the last bit, as one challenge's walk written out for it alone
    p = IncentiveParams(business_drift=0.1, business_shock_chance=0.5, business_shock_size=0.4)
    rng = np.random.default_rng(seed)
    cases, u = rng.random((m, d)), rng.random((m, d + 3))

    def alone(case, u):
        out = case + p.business_drift * (2.0 * u[:d] - 1.0)
        if u[d] < p.business_shock_chance:
            out[min(int(u[d + 1] * d), d - 1)] += p.business_shock_size * (
                1.0 if u[d + 2] < 0.5 else -1.0
            )
        return np.clip(out, 0.0, 1.0)

    together = incentives.walk_all(cases, u, p)
    assert all(np.array_equal(together[i], alone(cases[i], u[i])) for i in range(m))


def test_frozen_markets_stay_put():
    p = IncentiveParams(business_drift=0.0, business_shock_chance=0.0)
    u = np.random.default_rng(1).random(7)
    assert incentives.walk(np.array([0.3, 0.6, 0.9, 0.1]), u, p) == pytest.approx(
        [0.3, 0.6, 0.9, 0.1]
    )


def test_attention_builds_and_decays_by_hand():
    assert incentives.attend(0.0, 1.0, 0.1) == pytest.approx(0.1)
    assert incentives.attend(0.5, 0.0, 0.1) == pytest.approx(0.45)  # the public looks away
    assert incentives.attend(0.5, 0.2, 1.0) == pytest.approx(0.2)  # no memory


def test_carried_salience_by_hand():
    view = SimpleNamespace(
        opgaven=[0, 1],
        x=np.array([[0.4, 0.2], [0.6, 0.8], [0.9, 0.9]]),
        attention=np.array([[True, False], [True, True], [False, True]]),
    )
    citizens = np.array([True, True, False])  # the third is not a citizen
    assert incentives.carried(view, citizens) == pytest.approx([0.5, 0.4])
    assert incentives.carried(view, np.zeros(3, bool)) == pytest.approx([0.0, 0.0])


def test_market_fit_within_its_spread():
    fit = incentives.market_fit(1000, 0.5, np.random.default_rng(0))
    assert fit.min() >= 0.5 and fit.max() <= 1.5
    assert incentives.market_fit(3, 0.0, np.random.default_rng(0)) == pytest.approx([1, 1, 1])


def one_challenge(*overrides):
    model = OpgaveModel(
        small_config("opgaven.initial=0", "opgaven.arrival_rate=0", "world.regions=1", *overrides)
    )
    op = add_challenge(model, [60.0, 20.0, 20.0, 0.0, 0.0, 0.0], urgency=0.4, business_case=0.7)
    return model, op, agenda.talk(model, perception.perceive(model, [op]))


def test_case_of_by_hand():
    model, _op, _ = one_challenge()
    comp = int(np.flatnonzero(model.actors.type == COMPANY)[0])
    d = int(model.actors.primary[comp])
    business = np.zeros((1, model.world.n_domains))
    business[0, d] = 0.6
    model.actors.market_fit[comp] = 1.2
    assert incentives.case_of(model, np.array([comp]), business)[0] == pytest.approx(0.72)
    model.actors.market_fit[comp] = 2.0
    assert incentives.case_of(model, np.array([comp]), business)[0] == 1.0  # capped


def test_institutional_pressure_follows_urgency_and_attention():
    ctx = Context(
        home_share=np.array([0.5, 0.5, 0.5]),
        proximity=np.array([1.0, 1.0, 0.2]),
        urgency=np.array([0.4, 0.4, 0.4]),
        public_attention=np.array([0.0, 0.5, 0.5]),
        business_of=lambda: np.zeros(3),
    )
    got = Institution.external_pressure(None, np.arange(3), ctx)
    assert got == pytest.approx([0.5 * 0.4, 0.5 * 0.7, 0.5 * 0.2 * 0.7])


def test_motive_labels():
    types = np.array([COMPANY, COMPANY, INSTITUTION, CITIZEN, COMPANY])
    got = np.array(MOTIVE_LABELS)[motive_label(types, np.array([2, 1, 2, 0, 0]))]
    assert got.tolist() == ["reputation", "interest", "external", "intrinsic", "intrinsic"]


def test_charge_spends_discretionary_effort_once():
    model, op, _ = one_challenge()
    inst = int(np.flatnonzero(model.actors.type == INSTITUTION)[0])
    budget = model.actors.capacity[inst] * model.actors.discretionary[inst]  # 8 x 0.2
    assert incentives.charge(model, inst, op, 1.0)
    assert not incentives.charge(model, inst, op, budget - 1.0 + 0.01)  # not enough left
    assert incentives.charge(model, inst, op, budget - 1.0)
    assert model.actors.committed[inst] == pytest.approx(budget)
    assert model.totals["recruiting"] == pytest.approx(budget)
    assert model.totals["overhead"] == pytest.approx(budget)  # it is coordination
    assert op.effort == pytest.approx(budget)


def test_committed_effort_is_not_spent_again():
    model, op, view = one_challenge()
    inst = int(np.flatnonzero(model.actors.type == INSTITUTION)[0])
    j = model.coalitions.new_initiative(op.uid, op.need > 0, inst, 1.0, 0)
    model.coalitions.join(inst, j, 1, 0.5, 0)
    rows = model.coalitions.active_rows()
    full = allocate_effort(model, view, rows)
    model.actors.committed[inst] = 0.5
    assert allocate_effort(model, view, rows) == pytest.approx(full - 0.5)


def test_interest_table_asks_for_own_stake_alone():
    model, _op, _ = one_challenge()
    a = model.actors
    row = np.array([0])
    b, cost = a.motives[0], a.cost[0]
    # enough in all, not in own stake (return and pressure) alone
    terms = np.array([[1.0, 0.5 * cost / b[1], 0.0]])
    assert TABLES["added_value"].accepts(model, row, terms)[0]
    assert not TABLES["interest"].accepts(model, row, terms)[0]
    assert not TABLES["interest"].forms(model, 0, terms[0])
    assert TABLES["added_value"].forms(model, 0, terms[0])
    assert TABLES["interest"].forms(model, 0, np.array([0.0, cost / b[1], 0.0]))
    # an institution under pressure: half its cost from its return, half from the pressure
    inst = int(np.flatnonzero(a.type == INSTITUTION)[0])
    b, cost = a.motives[inst], a.cost[inst]
    pressed = np.array([[0.0, 0.5 * cost / b[1], 0.5 * cost / b[2]]])
    assert TABLES["interest"].accepts(model, np.array([inst]), pressed)[0]
    assert not TABLES["interest"].accepts(model, np.array([inst]), pressed * 0.9)[0]


def test_leave_records_why():
    C = Coalitions(4, 2)
    j = C.new_initiative(0, np.array([True, False]), 0, 1.0, 0)
    rows = [C.join(a, j, 1, 0.5, 0) for a in range(3)]
    C.leave(np.array([rows[0]]), 3, Ending.MOTIVE_FADED)
    C.close_initiative(j, 5, Ending.INITIATIVE_FINISHED)
    M = C.memberships
    finished = Ending.INITIATIVE_FINISHED
    assert M.ending.tolist() == [Ending.MOTIVE_FADED, finished, finished]
    assert M.left.tolist() == [3, 5, 5]


def test_recruiting_costs_nothing_when_free():
    model = run_model(small_config("strategy.preset=opgave_centred", "steps=30"))
    assert model.totals["recruiting"] > 0
    free = run_model(
        small_config(
            "strategy.preset=opgave_centred", "steps=30", "dynamics.incentives.recruit_cost=0"
        )
    )
    assert free.totals["recruiting"] == 0.0


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    output = run_config(small_config("strategy.preset=hybrid", "steps=60"))
    write_run(output, out)
    return output, pd.read_parquet(out / "memberships.parquet")


def test_memberships_file(short_run):
    output, m = short_run
    assert list(m.columns) == [
        "actor",
        "type",
        "initiative",
        "challenge",
        "joined",
        "left",
        "motive",
        "ending",
        "motive_kept",
        "recruit_effort",
    ]
    assert len(m) == output.model.coalitions.memberships.n > 0
    assert ((m.left - m.joined) >= 0).all()
    assert set(m.ending) <= set(ENDINGS)
    assert set(m.motive) <= set(MOTIVE_LABELS)
    assert set(m.type) <= {"citizen", "institution", "company", "boundary_spanner"}
    assert (m.ending == "run_ended").sum() == int(output.model.coalitions.memberships.active.sum())
    assert (m.left[m.ending == "run_ended"] == 60).all()


def test_membership_records_match_the_tables():
    model = run_model(small_config("steps=30"))
    rec = membership_records(model)
    M = model.coalitions.memberships
    assert rec["actor"].tolist() == M.actor.tolist()
    faded = rec["ending"] == "motive_faded"
    assert (M.ending[faded] == Ending.MOTIVE_FADED).all()


def company_interest_durations(seed: int, *overrides: str) -> float:
    model = run_model(
        small_config(
            f"seed={seed}",
            "steps=80",
            "strategy.preset=opgave_centred",
            "actors.company.count=12",
            *overrides,
        )
    )
    m = pd.DataFrame(membership_records(model))
    held = m[(m.motive == "interest") & (m.type == "company")]
    return float((held.left - held.joined).mean())


def test_moving_markets_shorten_company_interest_memberships():
    """Paired over fixed seeds (the same world): when business cases walk and shock strongly,
    companies held by interest leave sooner than when every case is frozen; the only route is
    the leaving hazard reading the current case (switch it off and the difference goes)."""
    frozen = ["dynamics.incentives.business_drift=0", "dynamics.incentives.business_shock_chance=0"]
    strong = [
        "dynamics.incentives.business_drift=0.1",
        "dynamics.incentives.business_shock_chance=0.1",
    ]
    diff = np.array(
        [
            company_interest_durations(s, *strong) - company_interest_durations(s, *frozen)
            for s in range(12)
        ]
    )
    assert diff.mean() < 0, diff
    assert stats.ttest_rel(diff, np.zeros_like(diff), alternative="less").pvalue < 0.01, diff


def test_experiment_stores_memberships_when_asked(tmp_path):
    from sim import results
    from sim.engine.runner import plan_experiment, run_experiment

    configs = Path(__file__).resolve().parent.parent / "configs"
    spec = tmp_path / "spec.yaml"
    body = (
        "name: m\nscenarios: {a: {config: %s, set: {actors.citizen.count: 40}}}\n"
        "replications: 2\nsteps: 20\noutputs: {memberships: %s}\n"
    )
    spec.write_text(body % (configs / "hybrid.yaml", "true"))
    run_experiment(plan_experiment(spec), tmp_path / "yes", executor="serial")
    res = results.load(tmp_path / "yes")
    assert len(res.memberships) > 0
    assert set(res.memberships.run_id) == set(res.runs.run_id)
    assert set(res.memberships.ending) <= set(ENDINGS)
    spec.write_text(body % (configs / "hybrid.yaml", "false"))
    run_experiment(plan_experiment(spec), tmp_path / "no", executor="serial")
    assert len(results.load(tmp_path / "no").memberships) == 0


def test_memberships_record_what_recruiting_them_cost():
    model = run_model(small_config("strategy.preset=opgave_centred", "steps=40"))
    M = model.coalitions.memberships
    asked = M.recruit_effort > 0
    assert asked.any() and (~asked).any()  # some were asked, some came by themselves or seated
    price = model.config.dynamics.incentives.recruit_cost * model.actors.motives[M.actor, 1]
    assert M.recruit_effort[asked] == pytest.approx(price[asked])
    assert membership_records(model)["recruit_effort"].tolist() == M.recruit_effort.tolist()
