"""Perception through lenses, scarce attention, support and the owner's gate on the agenda."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import OpgaveModel, load_config
from sim.model import agenda, perception
from sim.model.actors import INSTITUTION
from sim.model.opgave import Status
from sim.model.perception import View
from sim.model.sensemaking import DEFINITIONS
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
    inside = perception.within(np.array([0, 1]), regions)
    assert inside.tolist() == [[True, False], [False, True]]  # actor 0 in region 0, 1 in 1
    seen = perception.Perception([], shares, inside, np.array([0.2, 0.3]), *[None] * 3)
    assert seen.proximity().tolist() == [[1.0, 0.2], [0.3, 1.0]]
    assert seen.proximity(columns=1).tolist() == [0.2, 1.0]
    assert seen.proximity(np.array([1, 0]), 0).tolist() == [0.3, 1.0]
    assert seen.proximity(np.array([0, 1, 1]), np.array([1, 0, 1])).tolist() == [0.2, 0.3, 1.0]


def test_raw_salience_by_hand():
    from sim import OpgaveModel

    model = OpgaveModel(small_config("world.regions=1", "dynamics.agenda.perception_floor=0"))
    op = model.active_opgaven[0]
    view = perception.perceive(model, [op])
    i = 0
    share = op.remaining / op.remaining.sum()
    expected = op.urgency * (model.actors.lens_eff[i] * share).sum() * 1.0
    assert view.raw_salience(0)[i] == pytest.approx(expected)
    assert view.raw_salience()[i, 0] == view.raw_salience(0)[i]


def chain(stubbornness: float) -> OpgaveModel:
    """Three citizens in a line A - B - C, one region, no sensitivity. A's lens sees 0.9 of a
    challenge whose need is all in domain 0; B and C see 0.3 of it (below the 0.5 floor)."""
    cfg = load_config(
        None,
        [
            "actors.citizen.count=3",
            "actors.institution.count=0",
            "actors.company.count=0",
            "actors.boundary_spanner.count=0",
            f"actors.citizen.stubbornness={stubbornness}",
            "opgaven.initial=0",
            "opgaven.arrival_rate=0",
            "world.regions=1",
            "dynamics.agenda.fj_iterations=1",
            "dynamics.agenda.perception_floor=0.5",
            "dynamics.agenda.signal_threshold=0.05",
        ],
    )
    model = OpgaveModel(cfg)
    model.actors.lens[:] = 0.3
    model.actors.lens[0, 0] = 0.9
    model.actors.sensitivity[:] = 0.0
    model.ties = sp.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float))
    add_challenge(model, [100.0, 0, 0, 0, 0, 0], urgency=0.6)
    return model


def test_only_the_lens_that_sees_enough_hears_directly():
    model = chain(0.5)
    seen = perception.perceive(model, model.active_opgaven)
    assert seen.relevance[:, 0] == pytest.approx([0.9, 0.3, 0.3])
    assert seen.raw_salience(0) == pytest.approx([0.6 * 0.9, 0.0, 0.0])  # only A hears of it


def test_talk_lets_others_hear_and_carry_it_by_hand():
    model = chain(0.5)  # lam = 0.5; W: A listens to B, B to A and C equally, C to B
    view = agenda.talk(model, perception.perceive(model, model.active_opgaven))
    # one FJ step from x0 = (0.54, 0, 0): A = .5*0 + .5*.54; B = .5*(.5*.54 + .5*0); C = .5*0
    assert view.x[:, 0] == pytest.approx([0.27, 0.135, 0.0])
    assert view.attention[:, 0].tolist() == [True, True, False]  # C has not heard of it yet
    view = agenda.talk(model, perception.perceive(model, model.active_opgaven))
    # from last step's (0.27, 0.135, 0): A = .5*.135 + .27; B = .5*.5*.27; C = .5*.135
    assert view.x[:, 0] == pytest.approx([0.3375, 0.0675, 0.0675])
    assert view.attention[:, 0].tolist() == [True, True, True]  # C heard it through B


def test_without_social_influence_only_the_direct_hearer_carries_it():
    model = chain(1.0)
    for _ in range(5):
        view = agenda.talk(model, perception.perceive(model, model.active_opgaven))
    assert view.x[:, 0] == pytest.approx([0.54, 0.0, 0.0])
    assert view.attention[:, 0].tolist() == [True, False, False]


def test_support_counts_carried_salience_over_everyone_it_concerns():
    cap = np.full(3, 0.4)
    eligible = np.ones((3, 1), bool)
    relevance = np.array([[0.9], [0.3], [0.3]])
    # with talk, step 1: (0.27 + 0.135) / (0.9 + 0.3 + 0.3); C counts in the mass, not carrying
    carried = np.array([[1], [1], [0]], bool)
    with_talk = agenda.support(np.array([[0.27], [0.135], [0]]), carried, cap, eligible, relevance)
    assert with_talk == pytest.approx([0.405 / 1.5])
    alone = agenda.support(
        np.array([[0.54], [0.0], [0.0]]), np.array([[1], [0], [0]], bool), cap, eligible, relevance
    )
    assert alone == pytest.approx([0.54 / 1.5])


def test_noticing_comes_before_the_scarce_slots():
    x = np.array([[0.04, 0.5, 0.06]])
    assert agenda.scarce_attention(x, 3, notice=0.05).tolist() == [[False, True, True]]
    assert agenda.scarce_attention(x, 1, notice=0.05).tolist() == [[False, True, False]]


def test_scarce_attention_keeps_the_top_slots():
    x = np.array([[0.1, 0.5, 0.3, 0.0], [0.0, 0.0, 0.0, 0.2]])
    att = agenda.scarce_attention(x, 2)
    assert att.tolist() == [[False, True, True, False], [False, False, False, True]]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 12),
    m=st.integers(1, 8),
    slots=st.integers(1, 9),
    rows=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_ranking_actors_in_blocks_carries_the_same_challenges(n, m, slots, rows, seed):
    rng = np.random.default_rng(seed)
    x = np.round(rng.random((n, m)), 1)  # ties and zeros too
    # all actors ranked at once, as before the blocks
    top = np.argpartition(-x, min(slots, m) - 1, axis=1)[:, :slots]
    whole = np.zeros((n, m), dtype=bool)
    np.put_along_axis(whole, top, True, axis=1)
    whole = (whole if slots < m else True) & (x > 0) & (x >= 0.3)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(agenda, "ROWS", rows)
        assert np.array_equal(agenda.scarce_attention(x, slots, notice=0.3), whole)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 300),
    m=st.one_of(st.integers(0, 5), st.integers(60, 70), st.integers(125, 200)),
    seed=st.integers(0, 2**32 - 1),
)
def test_support_and_public_attention_in_blocks_of_challenges_are_the_same_sums(n, m, seed):
    # numpy sums a lone column pairwise, a column among others row by row: the blocks of
    # columns must never leave one alone where the whole matrix did not (m = 65, 129, ...)
    from sim.model.incentives import carried

    rng = np.random.default_rng(seed)
    x, relevance, cap = rng.random((n, m)), rng.random((n, m)), rng.random(n)
    att, eligible = rng.random((n, m)) < 0.5, rng.random((n, m)) < 0.7
    citizens = rng.random(n) < 0.8
    weight = eligible * cap[:, None]  # every challenge at once, as before the blocks
    mass, held = (weight * relevance).sum(axis=0), (weight * att * x).sum(axis=0)
    whole = np.divide(held, mass, out=np.zeros_like(held), where=mass > 0)
    assert agenda.support(x, att, cap, eligible, relevance).tobytes() == whole.tobytes()
    view = SimpleNamespace(x=x, attention=att, opgaven=[None] * m)
    public = (x[citizens] * att[citizens]).mean(axis=0) if citizens.any() else np.zeros(m)
    assert carried(view, citizens).tobytes() == public.tobytes()


def test_only_institutions_seeing_enough_in_their_mandate_have_a_voice_as_owner():
    model = OpgaveModel(load_config("configs/base.yaml", ["seed=4"]))
    model.run_for(5)
    seen = agenda.talk(model, perception.perceive(model, model.active_opgaven))
    fit = model.config.dynamics.agenda.mandate_fit
    is_inst = model.actors.type == INSTITUTION
    whole = is_inst[:, None] & (seen.home_share * seen.proximity() >= fit)
    assert 0 < whole.sum() < is_inst.sum() * len(seen.opgaven)  # some, not all
    assert np.array_equal(agenda.owner_eligible(model, seen), whole)
    for k in range(len(seen.opgaven)):
        assert np.array_equal(agenda.owner_eligible(model, seen, k), whole[:, k])
    # computed once per step and kept with its view, for the institutions' rows alone
    institutions, fits = agenda.mandate_fits(model, seen)
    assert (
        np.array_equal(institutions, np.flatnonzero(is_inst)) and not institutions.flags.writeable
    )
    assert np.array_equal(fits, whole[institutions]) and agenda.mandate_fits(model, seen)[1] is fits


def test_support_by_hand():
    x = np.array([[0.5], [0.2]])
    att = np.array([[True], [False]])
    cap = np.array([2.0, 1.0])
    eligible = np.ones((2, 1), bool)
    relevance = np.array([[1.0], [0.5]])
    # carried = 2 * 0.5 = 1.0; mass = 2 * 1 + 1 * 0.5 = 2.5
    assert agenda.support(x, att, cap, eligible, relevance) == pytest.approx([0.4])


def between_mandates(preset: str, forcing: float = 10.0):
    """A world where one challenge spreads its need evenly over four mandated domains, so no
    institution sees 35% of it in its mandate (mandate_fit); forcing off unless given."""
    cfg = small_config(
        f"strategy.preset={preset}",
        "world.unmandated=[]",
        "world.regions=1",
        "opgaven.initial=0",
        "opgaven.arrival_rate=0",
        "dynamics.agenda.mandate_fit=0.35",
        f"dynamics.agenda.forcing={forcing}",
    )
    model = OpgaveModel(cfg)
    add_challenge(model, [50.0, 50.0, 50.0, 50.0, 0.0, 0.0], order=3, sigma=0.8)
    model.run_for(10)
    return model.opgaven[0]


def test_a_challenge_between_mandates_waits_under_the_owner_but_not_collectively():
    assert between_mandates("institutional").agenda_step == -1
    op = between_mandates("opgave_centred")
    assert op.agenda_step >= 1
    assert op.status in (Status.MOBILISED, Status.REALISING, Status.RESOLVED)


def test_urgency_and_public_attention_force_an_owner_to_take_it_up():
    op = between_mandates("institutional", forcing=0.01)
    assert op.agenda_step >= 1 and op.forced
    assert op.supporters.tolist() == [op.owner]


def forcing_world(forcing: float):
    """Two institutions (mandates: domain 0 and domain 1) and two citizens; a challenge with
    30% of its need in domain 0 and 20% in domain 1, so neither sees mandate_fit (0.35)."""
    cfg = load_config(
        None,
        [
            "actors.citizen.count=2",
            "actors.institution.count=2",
            "actors.company.count=0",
            "actors.boundary_spanner.count=0",
            "world.regions=1",
            "world.unmandated=[]",
            "opgaven.initial=0",
            "opgaven.arrival_rate=0",
            "strategy.preset=institutional",
            "dynamics.agenda.mandate_fit=0.35",
            f"dynamics.agenda.forcing={forcing}",
        ],
    )
    model = OpgaveModel(cfg)
    inst = np.flatnonzero(model.actors.type == INSTITUTION)
    model.actors.home[inst] = False
    model.actors.home[inst[0], 0] = model.actors.home[inst[1], 1] = True
    op = add_challenge(model, [30.0, 20.0, 50.0, 0, 0, 0], urgency=0.8)
    op.status = Status.SIGNALLED
    seen = perception.perceive(model, [op])
    op.public_attention = 0.5  # the stock the incentives stage keeps (sim/model/incentives.py)
    x = np.where(model.actors.type[:, None] == INSTITUTION, 0.0, 0.5)
    view = View(
        seen.opgaven, seen.shares, seen.inside, seen.reach, seen.relevance, seen.urgency,
        seen.floor, x=x, attention=np.zeros_like(x, dtype=bool),
        home_share=perception.home_share(model, seen),
    )  # fmt: skip
    return model, op, view, inst


def test_forcing_by_hand():
    # urgency x public attention = 0.8 x 0.5 = 0.4: forced at 0.4, not at 0.41
    model, op, view, inst = forcing_world(0.41)
    assert agenda.set_agenda(model, view) == [] and op.status == Status.SIGNALLED
    model, op, view, inst = forcing_world(0.4)
    assert agenda.set_agenda(model, view) == [op]
    assert op.status == Status.AGENDA and op.forced
    assert op.owner == inst[0]  # it sees 30% in its mandate, the other 20%
    assert agenda.owner_eligible(model, view)[:, 0].sum() == 0  # neither would have by fit
    assert DEFINITIONS["collective"].forced_owner(model, view, 0) == -1  # nobody owns a collective


def test_without_social_influence_owners_hear_of_multi_mandate_challenges_later():
    """Paired seeds, institutional preset, second- and third-order challenges, forcing off.

    An institution whose mandate frames roughly 20-45% of a challenge may own it (mandate_fit)
    but its lens does not see enough of it to hear of it directly (perception_floor): it can
    only hear of it through its ties. With every stubbornness 1 nobody hears through ties, so such
    challenges wait: agendas come later (censored latency) and fewer reach the agenda.
    """
    from scipy.stats import wilcoxon

    from sim.model.metrics import agenda_latency
    from tests.conftest import run_model

    world = [
        "strategy.preset=institutional",
        "opgaven.order_mix.first=0",
        "opgaven.order_mix.second=0.5",
        "opgaven.order_mix.third=0.5",
        "dynamics.agenda.forcing=10",
    ]
    alone = [f"actors.{t}.stubbornness=1" for t in ("citizen", "institution", "company")]
    alone.append("actors.boundary_spanner.stubbornness=1")
    later, fewer = [], []
    for seed in range(8):
        talk = run_model(small_config(f"seed={seed}", *world))
        silent = run_model(small_config(f"seed={seed}", *world, *alone))
        later.append(agenda_latency(silent) - agenda_latency(talk))
        fewer.append(
            sum(op.agenda_step >= 0 for op in talk.opgaven)
            - sum(op.agenda_step >= 0 for op in silent.opgaven)
        )
    assert min(later) >= 0 and np.mean(later) > 1.0
    assert wilcoxon(later, alternative="greater", zero_method="wilcox").pvalue < 0.05
    assert np.mean(fewer) > 0


@settings(max_examples=60, deadline=None)
@given(
    carried=st.lists(st.integers(0, 11), unique=True, max_size=12),
    new=st.integers(0, 4),
    seed=st.integers(0, 1000),
)
def test_carried_salience_takes_each_column_from_where_it_was(carried, new, seed):
    # Last step's matrix had challenges 0..11 in its columns (uid u in column 11 - u, so blocks
    # run backwards too); now some of them are in view, in any order, with new ones mixed in.
    rng = np.random.default_rng(seed)
    last = rng.random((5, 12))
    column = {u: 11 - u for u in range(12)}
    uids = carried + [100 + i for i in range(new)]
    rng.shuffle(uids)
    x0 = rng.random((5, len(uids)))
    seen = SimpleNamespace(
        opgaven=[SimpleNamespace(uid=u) for u in uids],
        relevance=np.empty_like(x0),
        raw_salience=lambda columns: x0[:, columns],
    )
    x = agenda.carried_salience((last, column), seen)
    for k, u in enumerate(uids):
        expected = last[:, column[u]] if u in column else x0[:, k]
        assert np.array_equal(x[:, k], expected)
    assert np.array_equal(agenda.carried_salience(None, seen), x0)


def test_salience_of_reads_each_challenge_from_the_last_talk():
    model = OpgaveModel(small_config())
    model.run_for(3)
    view = agenda.talk(model, perception.perceive(model, model.active_opgaven))
    assert view.opgaven
    for k, op in enumerate(view.opgaven):
        assert np.array_equal(agenda.salience_of(model, op), view.x[:, k])
    outside = SimpleNamespace(uid=10**9)  # never in a talk
    assert agenda.salience_of(model, outside) is None


def test_talk_over_two_threads_changes_no_number(monkeypatch):
    # a lone big run splits talk's product over the cores BLAS may use; every row is the same
    # sum either way, so the run is the same to the last bit
    def run(threads):
        model = OpgaveModel(small_config("steps=25"))
        model.talk_threads = threads
        model.run_for(25)
        return model

    monkeypatch.setattr(agenda, "SPLIT_WORK", 0)  # split even this small world's product
    one, two = run(1), run(2)
    pd.testing.assert_frame_equal(
        one.datacollector.get_model_vars_dataframe(), two.datacollector.get_model_vars_dataframe()
    )
    assert np.array_equal(one.salience[0], two.salience[0])
    # a small product stays on one thread: starting one costs more than it saves
    monkeypatch.undo()
    assert agenda.talk_threads(OpgaveModel(small_config()), agenda.SPLIT_WORK - 1) == 1
